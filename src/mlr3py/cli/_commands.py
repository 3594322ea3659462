"""The subcommands of ``mlr3py``: list, resample, benchmark, tune, status, resume, results.

Each command takes the parsed arguments and the output and error streams and returns
the exit status; :func:`mlr3py.cli.main` turns errors into messages.
"""

from __future__ import annotations

import argparse
import json
import math
from collections.abc import Callable, Sequence
from typing import Any, TextIO

import pandas as pd

from mlr3py.cli._spec import Spec, parse_spec_list
from mlr3py.cli._tables import format_table, table_records
from mlr3py.errors import ConfigError, Mlr3pyError
from mlr3py.evaluation import (
    BenchmarkResult,
    ResampleResult,
    benchmark,
    benchmark_grid,
    resample,
)
from mlr3py.filters import mlr_filters
from mlr3py.learners import mlr_learners
from mlr3py.measures import mlr_measures
from mlr3py.registry import Dictionary, did_you_mean
from mlr3py.resamplings import mlr_resamplings
from mlr3py.store import open_store, resume
from mlr3py.tasks import mlr_tasks
from mlr3py.tuning import mlr_terminators, mlr_tuners, parse_search_space, prepare_tune

__all__ = ["COMMANDS", "EXIT_FAILURE", "EXIT_OK", "EXIT_USAGE"]

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2

_REGISTRIES: dict[str, Callable[[], Dictionary[Any]]] = {
    "tasks": lambda: mlr_tasks,
    "learners": lambda: mlr_learners,
    "measures": lambda: mlr_measures,
    "resamplings": lambda: mlr_resamplings,
    "filters": lambda: mlr_filters,
    "tuners": lambda: mlr_tuners,
    "terminators": lambda: mlr_terminators,
}


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


def _single_spec(texts: Sequence[str], what: str, command: str = "tune") -> Spec:
    specs = parse_spec_list(texts)
    if len(specs) != 1:
        raise ConfigError(f"mlr3py {command} takes one {what}; got {[s.key for s in specs]}.")
    return specs[0]


def _cmd_resample(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    task = _build(mlr_tasks, _single_spec(args.task, "task", "resample"))
    learner_spec = _single_spec(args.learner, "learner", "resample")
    learner = _build(mlr_learners, learner_spec)
    resampling = _build(mlr_resamplings, _single_spec(args.resampling, "resampling",
                                                      "resample"))
    measures = [_build(mlr_measures, s) for s in parse_spec_list(args.measures)] \
        if args.measures else []
    _adapt_predict_types([learner], [learner_spec], measures)
    _check_measures_fit(measures, [task], err)
    rr = resample(task, learner, resampling, seed=args.seed, store=args.store)
    table = _result_table(rr, args)
    if args.scores:
        ids = [m.id for m in measures] if measures else None
        scores = rr.score(measures or None)
        keep = ["iteration", *(ids or [c for c in scores.columns
                                      if c not in ("task_id", "learner_id", "resampling_id",
                                                   "iteration", "prediction")])]
        scores = scores[[c for c in keep if c in scores.columns]]
        if args.json:
            print(json.dumps({"aggregate": table_records(table),
                              "scores": table_records(scores)}, indent=2), file=out)
            return EXIT_OK
        print(format_table(table), file=out)
        print(f"\nScores per iteration ({rr.iters}):", file=out)
        print(format_table(scores), file=out)
        return EXIT_OK
    _print_table(table, args, out)
    return EXIT_OK


def _tune_tables(instance: Any, as_json: bool) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The result and the archive of a tuning run as tables.

    For the terminal the result's ``learner_param_vals`` is one ``name=value, ...``
    string; for JSON it stays a mapping (an object in the records).
    """
    archive = instance.archive
    cols = [*archive.cols_x, *archive.cols_y]
    result = instance.result[[*cols, "learner_param_vals"]].copy()
    result["learner_param_vals"] = [
        dict(values) if as_json else ", ".join(f"{k}={v!r}" for k, v in values.items())
        for values in result["learner_param_vals"]
    ]
    table = archive.data[[*cols, "batch_nr", "warnings", "errors", "runtime_learners"]]
    return result, table


def _ends_by_itself(tuner: Any) -> bool:
    """Whether ``tuner`` stops without a terminator (grid search, finite repetitions, ...)."""
    try:
        tuner.check_terminator(mlr_terminators.get("none"))
    except ConfigError:
        return False
    return True


def _print_partial_archive(instance: Any, args: argparse.Namespace, out: TextIO) -> None:
    """Show the evaluations a failed tuning run made before its error (if any)."""
    archive = instance.archive
    if archive.n_evals == 0:
        return
    cols = [*archive.cols_x, *archive.cols_y, "batch_nr", "warnings", "errors",
            "runtime_learners"]
    table = archive.data[cols]
    if args.json:
        print(json.dumps({"result": None, "archive": table_records(table),
                          "stop_reason": None}, indent=2), file=out)
    else:
        print(f"Archive before the error ({archive.n_evals} evaluations):", file=out)
        print(format_table(table), file=out)


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
    if search_space is None and not learner.param_set.tune_tokens():
        raise ConfigError(
            f"There is nothing to tune: pass --search-space, e.g. --search-space "
            f"\"max_depth=int(1,20)\" (parameters of Learner '{learner.id}': "
            f"{', '.join(learner.param_set.ids()[:8])}, ...)."
        )
    if (getattr(tuner, "needs_budget", False) and search_space is not None
            and not search_space.ids(tags="budget")):
        raise ConfigError(
            f"Tuner '{tuner.id}' needs one parameter of --search-space tagged as the budget: "
            "add the flag 'budget' after its bounds, e.g. --search-space "
            "\"n_estimators=int(1,16,budget);max_depth=int(1,10)\"."
        )
    if args.evals is None and args.time is None and not _ends_by_itself(tuner):
        raise ConfigError(f"Tuner '{tuner.id}' needs a budget: pass --evals N and/or "
                          "--time SECONDS.")
    run = prepare_tune(tuner, task, learner, resampling, measures or None,
                       term_evals=args.evals, term_time=args.time, search_space=search_space,
                       seed=args.seed, store=args.store)
    try:
        instance = run.run()
    except Mlr3pyError:
        _print_partial_archive(run.instance, args, out)
        raise
    result, table = _tune_tables(instance, args.json)
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


Command = Callable[[argparse.Namespace, TextIO, TextIO], int]

COMMANDS: dict[str, Command] = {
    "list": _cmd_list,
    "resample": _cmd_resample,
    "benchmark": _cmd_benchmark,
    "tune": _cmd_tune,
    "status": _cmd_status,
    "resume": _cmd_resume,
    "results": _cmd_results,
}
