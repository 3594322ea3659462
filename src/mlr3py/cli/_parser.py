"""The argument parser of the ``mlr3py`` command and its subcommands."""

from __future__ import annotations

import argparse
from typing import Any

__all__ = ["build_parser"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mlr3py",
        description="Machine learning in Python the mlr3 way: list the registries, resample a "
        "learner, run a benchmark or tune from the command line.",
        epilog="Specs: 'key' or 'key:param=value,param=value', e.g. 'cv:folds=3' or "
        "'classif.rpart:max_depth=3'. Values are read as int, float, bool, None or string.",
    )
    sub = parser.add_subparsers(dest="command",
                                metavar="{list,resample,benchmark,tune,status,resume,results}")

    p_list = sub.add_parser("list", help="print a registry table")
    p_list.add_argument("what", help="one of: tasks, learners, measures, resamplings, "
                        "filters, tuners, terminators")
    p_list.add_argument("--json", action="store_true", help="print JSON row records")

    _add_resample_parser(sub)
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


def _add_task_and_learner(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--task", action="append", required=True, metavar="SPEC",
                        help="task spec, e.g. sonar")
    parser.add_argument("--learner", action="append", required=True, metavar="SPEC",
                        help="learner spec, e.g. classif.rpart:max_depth=3")


def _add_resample_parser(sub: Any) -> None:
    p_rs = sub.add_parser(
        "resample",
        help="resample one learner on one task and print the aggregated measures",
        description="Resample the learner on the task (resample()) and print one row with "
        "the aggregated measures; --scores adds the measures of each iteration. The "
        "learner switches to predict_type 'prob' (or 'se') when a measure needs it, unless "
        "its spec sets predict_type.",
    )
    _add_task_and_learner(p_rs)
    p_rs.add_argument("--resampling", action="append", default=None, metavar="SPEC",
                      help="resampling spec (default: cv:folds=3)")
    p_rs.add_argument("--measures", "--measure", action="append", default=None,
                      metavar="SPECS", help="comma-separated measure specs (default: the "
                      "task type's default measure)")
    p_rs.add_argument("--scores", action="store_true", help="also print each iteration's "
                      "scores")
    p_rs.add_argument("--seed", type=int, default=None, help="root seed (an int)")
    p_rs.add_argument("--json", action="store_true", help="print JSON row records")
    p_rs.add_argument("--store", default=None, metavar="PATH",
                      help="keep every finished job in this result store (resumable)")


def _add_tune_parser(sub: Any) -> None:
    p_tune = sub.add_parser(
        "tune",
        help="tune a learner's hyperparameters and print the result and the archive",
        description="Tune the learner on the task with the tuner: each configuration of the "
        "search space is resampled and scored; prints the best configuration and every "
        "evaluation. Search space: ';'-separated entries name=int(lo,hi[,log][,budget]), "
        "name=dbl(lo,hi[,log][,budget]), name=fct(a,b,...), name=lgl(). The flag 'log' "
        "samples on the log scale; 'budget' tags the budget parameter (e.g. the number of "
        "trees) that --tuner successive_halving and hyperband need, e.g. "
        "\"n_estimators=int(1,16,budget);max_depth=int(1,10)\". Tuners that end by "
        "themselves (grid_search, successive_halving, hyperband) need no --evals or --time.",
    )
    _add_task_and_learner(p_tune)
    p_tune.add_argument("--search-space", default=None, metavar="TEXT",
                        help='e.g. "max_depth=int(1,20);ccp_alpha=dbl(1e-4,0.1,log)"; '
                        'for successive_halving / hyperband tag the budget: '
                        '"n_estimators=int(1,16,budget);max_depth=int(1,10)"')
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
