"""Command line entry point ``mlr3py``.

Commands::

    mlr3py list tasks|learners|measures|resamplings
    mlr3py benchmark --tasks sonar,penguins \\
        --learners classif.featureless,classif.rpart:max_depth=3 \\
        --resampling cv:folds=3 --measures classif.ce,classif.auc [--seed 1] [--json]
    mlr3py tune --task sonar --learner classif.rpart \
        --search-space "max_depth=int(1,20);ccp_alpha=dbl(1e-4,0.1,log)" \
        --tuner random_search --evals 50 --resampling cv:folds=3 --measure classif.ce --seed 1
    mlr3py status PATH                      # a result store's jobs per task and learner
    mlr3py resume PATH [--plan processes --workers 4] [--retry-errors]
    mlr3py results PATH [--measures classif.ce]   # the aggregate table of what is done

``benchmark`` and ``tune`` take ``--store PATH`` to keep every finished job on disk.

Objects are named by *specs* ``key`` or ``key:param=value,param=value``; values
are read as int, float, bool (``true``/``false``), ``None`` or, failing those,
a string. Bad input prints one line on stderr and exits with status 2.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TextIO

import pandas as pd

from mlr3py.errors import ConfigError, InputError, Mlr3pyError
from mlr3py.evaluation import BenchmarkResult, ResampleResult, benchmark, benchmark_grid
from mlr3py.learners import mlr_learners
from mlr3py.measures import mlr_measures
from mlr3py.registry import Dictionary, did_you_mean
from mlr3py.resamplings import mlr_resamplings
from mlr3py.store import open_store, resume
from mlr3py.tasks import mlr_tasks
from mlr3py.tuning import mlr_tuners, parse_search_space, tune

__all__ = [
    "Spec",
    "format_table",
    "main",
    "parse_spec",
    "parse_spec_list",
    "parse_value",
    "table_records",
]

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2

_REGISTRIES: dict[str, Callable[[], Dictionary[Any]]] = {
    "tasks": lambda: mlr_tasks,
    "learners": lambda: mlr_learners,
    "measures": lambda: mlr_measures,
    "resamplings": lambda: mlr_resamplings,
}


@dataclass(frozen=True)
class Spec:
    """A registry key with keyword arguments, parsed from ``key:param=value,...``.

    Attributes
    ----------
    key : str
        The registry key, e.g. ``"classif.rpart"``.
    params : dict
        Parameter or field values, e.g. ``{"max_depth": 3}``.
    """

    key: str
    params: dict[str, Any] = field(default_factory=dict)


def parse_value(text: str) -> Any:
    """Read a parameter value written on the command line.

    Parameters
    ----------
    text : str
        The value as typed.

    Returns
    -------
    int, float, bool, None or str
        ``"3"`` -> 3, ``"0.5"`` -> 0.5, ``"true"`` / ``"false"`` (any case) -> bool,
        ``"None"`` / ``"null"`` -> None, anything else -> the string itself
        (surrounding quotes removed).

    Examples
    --------
    >>> parse_value("3"), parse_value("1e-3"), parse_value("TRUE"), parse_value("gini")
    (3, 0.001, True, 'gini')
    """
    stripped = text.strip()
    lowered = stripped.lower()
    if lowered == "true":
        return True
    if lowered == "false":
        return False
    if lowered in ("none", "null"):
        return None
    try:
        return int(stripped)
    except ValueError:
        pass
    try:
        return float(stripped)
    except ValueError:
        pass
    if len(stripped) >= 2 and stripped[0] == stripped[-1] and stripped[0] in "'\"":
        return stripped[1:-1]
    return stripped


def _parse_assignment(item: str, spec_text: str) -> tuple[str, Any]:
    name, sep, value = item.partition("=")
    name = name.strip()
    if not sep or not name or not name.isidentifier():
        raise ConfigError(
            f"Cannot read '{item}' in the spec '{spec_text}': write parameters as "
            "'key:param=value,param=value', e.g. 'classif.rpart:max_depth=3'."
        )
    return name, parse_value(value)


def parse_spec(text: str) -> Spec:
    """Parse one spec ``key`` or ``key:param=value,param=value``.

    Parameters
    ----------
    text : str
        The spec, e.g. ``"cv:folds=3"``.

    Returns
    -------
    Spec
        The key and its keyword arguments.

    Raises
    ------
    ConfigError
        If the key is empty or a parameter is not written as ``name=value``.

    Examples
    --------
    >>> parse_spec("classif.rpart:max_depth=3,criterion=entropy")
    Spec(key='classif.rpart', params={'max_depth': 3, 'criterion': 'entropy'})
    """
    key, _, rest = text.partition(":")
    key = key.strip()
    if not key:
        raise ConfigError(
            f"The spec '{text}' has no key: write 'key' or 'key:param=value', e.g. 'cv:folds=3'."
        )
    params: dict[str, Any] = {}
    for item in rest.split(",") if rest.strip() else []:
        name, value = _parse_assignment(item, text)
        if name in params:
            raise ConfigError(f"The parameter '{name}' is given twice in the spec '{text}'.")
        params[name] = value
    return Spec(key, params)


def parse_spec_list(texts: str | Sequence[str]) -> list[Spec]:
    """Parse a comma-separated list of specs, where specs may carry parameters.

    A comma-separated item containing ``=`` but no ``:`` continues the previous
    spec's parameters, so ``"classif.rpart:max_depth=3,min_samples_leaf=5,
    classif.featureless"`` names two learners.

    Parameters
    ----------
    texts : str or sequence of str
        One string or several (an option given several times).

    Returns
    -------
    list of Spec
        In the given order.

    Raises
    ------
    ConfigError
        If the list is empty or an item cannot be read.
    """
    if isinstance(texts, str):
        texts = [texts]
    groups: list[str] = []
    for text in texts:
        for item in text.split(","):
            item = item.strip()
            if not item:
                continue
            if "=" in item and ":" not in item.split("=", 1)[0]:
                if not groups:
                    raise ConfigError(
                        f"The parameter '{item}' comes before any key in '{text}': write "
                        "'key:param=value', e.g. 'classif.rpart:max_depth=3'."
                    )
                sep = "," if ":" in groups[-1] else ":"
                groups[-1] = f"{groups[-1]}{sep}{item}"
            else:
                groups.append(item)
    if not groups:
        raise ConfigError(f"No keys given in {', '.join(repr(t) for t in texts) or 'the list'}.")
    return [parse_spec(group) for group in groups]


def _build(registry: Dictionary[Any], spec: Spec) -> Any:
    return registry.get(spec.key, **spec.params)


def _uses_predict_type(spec: Spec) -> bool:
    return "predict_type" in spec.params


def _adapt_predict_types(learners: list[Any], specs: list[Spec], measures: list[Any]) -> None:
    """Switch learners to the predict type the measures need ("prob" or "se").

    A learner whose spec names ``predict_type`` explicitly is left alone.
    """
    wanted = {m.predict_type for m in measures} - {"response"}
    for learner, spec in zip(learners, specs, strict=True):
        if _uses_predict_type(spec):
            continue
        for predict_type in ("prob", "se"):
            if predict_type in wanted and predict_type in learner.predict_types:
                learner.predict_type = predict_type
                break


def _fits(measure: Any, task: Any) -> bool:
    """Whether ``measure`` is defined for ``task`` (task type and task properties)."""
    if measure.task_type is not None and measure.task_type != task.task_type:
        return False
    return set(measure.task_properties or ()) <= set(task.properties)


def _check_measures_fit(measures: list[Any], tasks: list[Any], err: TextIO) -> None:
    """Reject a measure that fits none of the tasks; note the tasks where one gives NaN."""
    for measure in measures:
        misfits = [task.id for task in tasks if not _fits(measure, task)]
        if not misfits:
            continue
        needs = f"task type '{measure.task_type}'" if measure.task_type else "a task"
        if measure.task_properties:
            needs += f" with properties {sorted(measure.task_properties)}"
        if len(misfits) == len(tasks):
            raise ConfigError(
                f"Measure '{measure.id}' needs {needs}; none of the tasks "
                f"({', '.join(misfits)}) is one. Choose another measure."
            )
        print(
            f"note: Measure '{measure.id}' needs {needs}; its column is NaN for task(s) "
            f"{', '.join(misfits)}.",
            file=err,
        )


def _aggregate(bmr: Any, measures: list[Any], conditions: bool) -> pd.DataFrame:
    """``bmr.aggregate()``, with NaN where a measure does not fit an experiment's task."""
    if not measures:
        return bmr.aggregate(None, conditions=conditions).drop(columns="resample_result")
    rrs = bmr.resample_results
    common = [m for m in measures if all(_fits(m, rr.task) for rr in rrs)]
    table = bmr.aggregate(common, conditions=conditions).drop(columns="resample_result")
    for measure in measures:
        if any(measure is m for m in common):
            continue
        table[measure.id] = [
            float(rr.aggregate([measure]).iloc[0]) if _fits(measure, rr.task) else math.nan
            for rr in rrs
        ]
    ids = [m.id for m in measures]
    return table[[c for c in table.columns if c not in ids] + ids]


def _format_cell(value: Any) -> Any:
    if isinstance(value, (set, frozenset)):
        return ", ".join(sorted(str(v) for v in value))
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return value


def format_table(table: pd.DataFrame) -> str:
    """Render a table for the terminal: no index, collections joined by commas."""
    shown = table.copy()
    for col in shown.columns:
        if shown[col].dtype == object:
            shown[col] = shown[col].map(_format_cell)
    return shown.to_string(index=False)


def _json_value(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        return _json_value(value.item())
    if isinstance(value, (set, frozenset)):
        return sorted(_json_value(v) for v in value)
    if isinstance(value, (list, tuple)):
        return [_json_value(v) for v in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if value is pd.NA or value is pd.NaT:
        return None
    return str(value)


def table_records(table: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows of ``table`` as JSON-ready dicts (NaN -> None, numpy scalars -> Python)."""
    return [
        {str(col): _json_value(row[col]) for col in table.columns}
        for _, row in table.astype(object).iterrows()
    ]


def _cmd_list(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    what = args.what.lower()
    if what not in _REGISTRIES and what + "s" in _REGISTRIES:
        what += "s"
    if what not in _REGISTRIES:
        raise ConfigError(
            f"Cannot list '{args.what}': choose one of {', '.join(_REGISTRIES)}."
            + did_you_mean(what, _REGISTRIES)
        )
    table = _REGISTRIES[what]().as_table()
    if args.json:
        print(json.dumps(table_records(table), indent=2), file=out)
    else:
        print(format_table(table), file=out)
    return EXIT_OK


def _cmd_benchmark(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    task_specs = parse_spec_list(args.tasks)
    learner_specs = parse_spec_list(args.learners)
    resampling_specs = parse_spec_list(args.resampling)
    measure_specs = parse_spec_list(args.measures) if args.measures else []

    tasks = [_build(mlr_tasks, s) for s in task_specs]
    learners = [_build(mlr_learners, s) for s in learner_specs]
    resamplings = [_build(mlr_resamplings, s) for s in resampling_specs]
    measures = [_build(mlr_measures, s) for s in measure_specs]
    _adapt_predict_types(learners, learner_specs, measures)

    _check_measures_fit(measures, tasks, err)

    design = benchmark_grid(tasks, learners, resamplings, seed=args.seed)
    bmr = benchmark(design, seed=args.seed, store=args.store)
    table = _aggregate(bmr, measures, args.conditions)
    if args.json:
        print(json.dumps(table_records(table), indent=2), file=out)
    else:
        print(format_table(table), file=out)
    return EXIT_OK


def _single_spec(texts: Sequence[str], what: str) -> Spec:
    specs = parse_spec_list(texts)
    if len(specs) != 1:
        raise ConfigError(f"mlr3py tune takes one {what}; got {[s.key for s in specs]}.")
    return specs[0]


def _tune_tables(instance: Any) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The result and the archive of a tuning run as printable tables."""
    archive = instance.archive
    cols = [*archive.cols_x, *archive.cols_y]
    result = instance.result[[*cols, "learner_param_vals"]].copy()
    result["learner_param_vals"] = [
        ", ".join(f"{k}={v!r}" for k, v in values.items())
        for values in result["learner_param_vals"]
    ]
    table = archive.data[[*cols, "batch_nr", "warnings", "errors", "runtime_learners"]]
    return result, table


def _cmd_tune(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    task = _build(mlr_tasks, _single_spec(args.task, "task"))
    learner_spec = _single_spec(args.learner, "learner")
    learner = _build(mlr_learners, learner_spec)
    resampling = _build(mlr_resamplings, _single_spec(args.resampling, "resampling"))
    tuner = _build(mlr_tuners, _single_spec(args.tuner, "tuner"))
    measures = [_build(mlr_measures, s) for s in parse_spec_list(args.measure)] if args.measure \
        else []
    _adapt_predict_types([learner], [learner_spec], measures)
    search_space = parse_search_space(args.search_space) if args.search_space else None
    if args.evals is None and args.time is None and not tuner.ends_by_itself:
        raise ConfigError(f"Tuner '{tuner.id}' needs a budget: pass --evals N and/or "
                          "--time SECONDS.")
    instance = tune(tuner, task, learner, resampling, measures or None,
                    term_evals=args.evals, term_time=args.time, search_space=search_space,
                    seed=args.seed, store=args.store)
    result, table = _tune_tables(instance)
    if args.json:
        payload = {"result": table_records(result), "archive": table_records(table),
                   "stop_reason": instance.archive.stop_reason}
        print(json.dumps(payload, indent=2), file=out)
    else:
        print("Result:", file=out)
        print(format_table(result), file=out)
        print(f"\nArchive ({instance.archive.n_evals} evaluations; "
              f"{instance.archive.stop_reason}):", file=out)
        print(format_table(table), file=out)
    return EXIT_OK


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mlr3py",
        description="Machine learning in Python the mlr3 way: list the registries or run a "
        "benchmark from the command line.",
        epilog="Specs: 'key' or 'key:param=value,param=value', e.g. 'cv:folds=3' or "
        "'classif.rpart:max_depth=3'. Values are read as int, float, bool, None or string.",
    )
    sub = parser.add_subparsers(dest="command",
                                metavar="{list,benchmark,tune,status,resume,results}")

    p_list = sub.add_parser("list", help="print a registry table")
    p_list.add_argument("what", help="one of: tasks, learners, measures, resamplings")
    p_list.add_argument("--json", action="store_true", help="print JSON row records")

    p_bench = sub.add_parser(
        "benchmark",
        help="run a benchmark and print the aggregate table",
        description="Cross every task with every learner and resampling (benchmark_grid), run "
        "the benchmark and print one row per combination with the aggregated measures. "
        "Learners switch to predict_type 'prob' (or 'se') when a measure needs it, unless "
        "their spec sets predict_type.",
    )
    p_bench.add_argument(
        "--tasks",
        action="append",
        required=True,
        metavar="SPECS",
        help="comma-separated task specs, e.g. sonar,penguins",
    )
    p_bench.add_argument(
        "--learners",
        action="append",
        required=True,
        metavar="SPECS",
        help="comma-separated learner specs, e.g. classif.featureless,classif.rpart:max_depth=3",
    )
    p_bench.add_argument(
        "--resampling",
        "--resamplings",
        action="append",
        default=None,
        metavar="SPECS",
        help="resampling spec(s), e.g. cv:folds=3 (default: cv:folds=3)",
    )
    p_bench.add_argument(
        "--measures",
        action="append",
        default=None,
        metavar="SPECS",
        help="comma-separated measure specs (default: the task type's default measure)",
    )
    p_bench.add_argument("--seed", type=int, default=None, help="root seed (an int)")
    p_bench.add_argument("--json", action="store_true", help="print JSON row records")
    p_bench.add_argument(
        "--conditions", action="store_true", help="add the warnings and errors columns"
    )
    p_bench.add_argument("--store", default=None, metavar="PATH",
                         help="keep every finished job in this result store (resumable)")
    _add_tune_parser(sub)
    _add_store_parsers(sub)
    return parser


def _add_tune_parser(sub: Any) -> None:
    p_tune = sub.add_parser(
        "tune",
        help="tune a learner's hyperparameters and print the result and the archive",
        description="Tune the learner on the task with the tuner: each configuration of the "
        "search space is resampled and scored; prints the best configuration and every "
        "evaluation. Search space: ';'-separated entries name=int(lo,hi), "
        "name=dbl(lo,hi[,log]), name=fct(a,b,...), name=lgl().",
    )
    p_tune.add_argument("--task", action="append", required=True, metavar="SPEC",
                        help="task spec, e.g. sonar")
    p_tune.add_argument("--learner", action="append", required=True, metavar="SPEC",
                        help="learner spec, e.g. classif.rpart")
    p_tune.add_argument("--search-space", default=None, metavar="TEXT",
                        help='e.g. "max_depth=int(1,20);ccp_alpha=dbl(1e-4,0.1,log)"')
    p_tune.add_argument("--tuner", action="append", default=None, metavar="SPEC",
                        help="tuner spec, e.g. random_search:batch_size=10 "
                        "(default: random_search)")
    p_tune.add_argument("--evals", type=int, default=None, help="stop after N evaluations")
    p_tune.add_argument("--time", type=float, default=None, help="stop after SECONDS")
    p_tune.add_argument("--resampling", action="append", default=None, metavar="SPEC",
                        help="resampling spec (default: cv:folds=3)")
    p_tune.add_argument("--measure", "--measures", action="append", default=None,
                        metavar="SPECS", help="measure spec(s); several give a Pareto front "
                        "(default: the task type's default measure)")
    p_tune.add_argument("--seed", type=int, default=None, help="root seed (an int)")
    p_tune.add_argument("--json", action="store_true", help="print JSON records")
    p_tune.add_argument("--store", default=None, metavar="PATH",
                        help="keep every finished job and batch in this result store")


def _add_store_parsers(sub: Any) -> None:
    p_status = sub.add_parser("status", help="a result store's jobs per task and learner",
                              description="Print the jobs of a result store per task and "
                              "learner: done, errors, running, lost (worker gone or lease "
                              "expired), failed (not written), not started.")
    p_status.add_argument("path", help="the store directory")
    p_status.add_argument("--json", action="store_true", help="print JSON row records")
    p_resume = sub.add_parser("resume", help="run the jobs a result store has not finished",
                              description="Run what a stored run has not finished (jobs done "
                              "are read, not rerun) and print the aggregate table.")
    p_resume.add_argument("path", help="the store directory")
    p_resume.add_argument("--plan", default=None, help="e.g. processes, multicore, dask")
    p_resume.add_argument("--workers", type=int, default=None, help="the plan's workers")
    p_resume.add_argument("--retry-errors", action="store_true",
                          help="also rerun jobs that finished with an error")
    p_resume.add_argument("--measures", action="append", default=None, metavar="SPECS",
                          help="comma-separated measure specs for the table")
    p_resume.add_argument("--json", action="store_true", help="print JSON row records")
    p_results = sub.add_parser("results", help="the aggregate table of a result store",
                               description="Print the aggregated scores of the jobs a store "
                               "holds (also while its run goes on).")
    p_results.add_argument("path", help="the store directory")
    p_results.add_argument("--measures", action="append", default=None, metavar="SPECS",
                           help="comma-separated measure specs (default: the task type's)")
    p_results.add_argument("--json", action="store_true", help="print JSON row records")


def _print_table(table: pd.DataFrame, args: argparse.Namespace, out: TextIO) -> None:
    if args.json:
        print(json.dumps(table_records(table), indent=2), file=out)
    else:
        print(format_table(table), file=out)


def _result_table(result: Any, args: argparse.Namespace) -> pd.DataFrame:
    measures = [_build(mlr_measures, s) for s in parse_spec_list(args.measures)] \
        if args.measures else None
    if isinstance(result, BenchmarkResult):
        return _aggregate(result, measures or [], False)
    if isinstance(result, ResampleResult):
        scores = result.aggregate(measures)
        row: dict[str, Any] = {"task_id": result.task.id, "learner_id": result.learner.id,
                               "resampling_id": result.resampling.id, "iters": result.iters}
        row.update({str(k): float(v) for k, v in scores.items()})
        return pd.DataFrame([row])
    archive = result.archive  # a TuningInstance
    return archive.data[[*archive.cols_x, *archive.cols_y, "batch_nr", "warnings", "errors"]]


def _cmd_status(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    _print_table(open_store(args.path).status(), args, out)
    return EXIT_OK


def _cmd_results(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    _print_table(_result_table(open_store(args.path).results(), args), args, out)
    return EXIT_OK


def _cmd_resume(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    result = resume(args.path, retry_errors=args.retry_errors, plan=args.plan,
                    workers=args.workers)
    _print_table(_result_table(result, args), args, out)
    return EXIT_OK


def main(
    argv: Sequence[str] | None = None, *, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    """Run the ``mlr3py`` command line.

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments without the program name; ``sys.argv[1:]`` when omitted.
    out, err : text stream, optional
        Where results and error messages go; ``sys.stdout`` / ``sys.stderr``.

    Returns
    -------
    int
        The exit status: 0 on success, 2 on bad input, 1 when a learner fails.
    """
    out = sys.stdout if out is None else out
    err = sys.stderr if err is None else err
    parser = _build_parser()
    try:
        args = parser.parse_args(list(argv) if argv is not None else None)
    except SystemExit as exc:  # argparse has printed usage and the message
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    if args.command is None:
        parser.print_help(err)
        return EXIT_USAGE
    if args.command == "benchmark" and args.resampling is None:
        args.resampling = ["cv:folds=3"]
    if args.command == "tune":
        args.resampling = args.resampling or ["cv:folds=3"]
        args.tuner = args.tuner or ["random_search"]
    handlers: dict[str, Callable[[argparse.Namespace, TextIO, TextIO], int]] = {
                "list": _cmd_list, "benchmark": _cmd_benchmark, "tune": _cmd_tune,
                "status": _cmd_status, "resume": _cmd_resume, "results": _cmd_results}
    handler = handlers[args.command]
    try:
        return handler(args, out, err)
    except (ConfigError, InputError) as exc:
        print(f"mlr3py {args.command}: error: {exc}", file=err)
        return EXIT_USAGE
    except Mlr3pyError as exc:
        print(f"mlr3py {args.command}: error: {type(exc).__name__}: {exc}", file=err)
        return EXIT_FAILURE


if __name__ == "__main__":
    sys.exit(main())
