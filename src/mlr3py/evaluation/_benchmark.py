"""benchmark_grid() and benchmark(): compare learners across tasks and resamplings."""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from mlr3py._rng import instantiation_rng, make_root_seed
from mlr3py.encapsulation import check_method
from mlr3py.errors import ConfigError
from mlr3py.evaluation._benchmark_result import BenchmarkResult
from mlr3py.evaluation._resample import (
    PARTIAL_ATTR,
    check_instance_fits,
    check_learner,
    check_resampling,
    check_scores_only,
    check_task,
    run_experiments,
)
from mlr3py.learners import Learner, coerce_learner
from mlr3py.log import logger
from mlr3py.measures import MeasuresArg
from mlr3py.resamplings import Resampling
from mlr3py.tasks import Task

__all__ = ["benchmark", "benchmark_grid"]

T = TypeVar("T")

DESIGN_COLUMNS = ("task", "learner", "resampling")


def _as_list(x: T | Iterable[T], cls: type, what: str) -> list[Any]:
    items = [x] if isinstance(x, cls) else x
    if isinstance(items, str | bytes) or not isinstance(items, Iterable):
        items = [items]
    items = list(items)
    if not items:
        raise ConfigError(f"The '{what}' argument is empty. Pass at least one.")
    return items


def benchmark_grid(
    tasks: Task | Iterable[Task],
    learners: Learner | Iterable[Learner],
    resamplings: Resampling | Iterable[Resampling],
    paired: bool = False,
    seed: int | None = None,
) -> pd.DataFrame:
    """Build a full-factorial benchmark design (mlr3's ``benchmark_grid()``).

    With ``paired=False`` every resampling is cloned and instantiated once per
    task, and that instance is shared by all learners of the task, so the learners
    are compared on identical splits. Resamplings must then be un-instantiated,
    unless all tasks have the same row ids (an instantiated resampling is then used
    for every task). With ``paired=True`` tasks and already instantiated
    resamplings are matched one-to-one, and the grid is those pairs × learners.

    Parameters
    ----------
    tasks : Task or iterable of Task
    learners : Learner or iterable of Learner
    resamplings : Resampling or iterable of Resampling
    paired : bool
        Treat ``tasks`` and ``resamplings`` as instantiated pairs.
    seed : int or None
        Seed for instantiating the resamplings; None draws it from numpy's global
        generator (so ``np.random.seed`` beforehand makes the design reproducible).

    Returns
    -------
    pandas.DataFrame
        Columns task, learner, resampling (the objects); rows ordered by task, then
        learner, then resampling.
    """
    task_list = [check_task(t, "tasks") for t in _as_list(tasks, Task, "tasks")]
    learner_list = [check_learner(x, None, "learners")
                    for x in _as_list(coerce_learner(learners), Learner, "learners")]
    resampling_list = [
        check_resampling(r, "resamplings") for r in _as_list(resamplings, Resampling,
                                                             "resamplings")
    ]
    for task in task_list:
        for learner in learner_list:
            check_learner(learner, task, "learners")

    rows: list[tuple[Task, Learner, Resampling]] = []
    if paired:
        if len(task_list) != len(resampling_list):
            raise ConfigError(
                f"With paired=True benchmark_grid() needs one resampling per task. Got "
                f"{len(task_list)} tasks and {len(resampling_list)} resamplings."
            )
        for task, resampling in zip(task_list, resampling_list, strict=True):
            if not resampling.is_instantiated:
                raise ConfigError(
                    f"With paired=True every resampling must be instantiated on its task; "
                    f"Resampling '{resampling.id}' for Task '{task.id}' is not. Call "
                    "resampling.instantiate(task) first, or use paired=False."
                )
            check_instance_fits(resampling, task)
            rows.extend((task, learner, resampling) for learner in learner_list)
    else:
        same_rows = all(
            np.array_equal(t.row_ids, task_list[0].row_ids) for t in task_list[1:]
        )
        root = make_root_seed(seed)
        n_instantiated = 0
        instances: list[list[Resampling]] = []
        for task in task_list:
            per_task = []
            for resampling in resampling_list:
                if resampling.is_instantiated:
                    if not same_rows:
                        raise ConfigError(
                            f"Resampling '{resampling.id}' is already instantiated, but "
                            "benchmark_grid() instantiates resamplings per task. Pass "
                            "un-instantiated resamplings, or instantiate one per task and "
                            "use paired=True."
                        )
                    check_instance_fits(resampling, task)
                    per_task.append(resampling)
                else:
                    per_task.append(
                        resampling.clone().instantiate(
                            task, seed=instantiation_rng(root, n_instantiated)
                        )
                    )
                    n_instantiated += 1
            instances.append(per_task)
        for task, per_task in zip(task_list, instances, strict=True):
            for learner in learner_list:
                rows.extend((task, learner, instance) for instance in per_task)
    return pd.DataFrame(
        {
            "task": pd.Series([r[0] for r in rows], dtype=object),
            "learner": pd.Series([r[1] for r in rows], dtype=object),
            "resampling": pd.Series([r[2] for r in rows], dtype=object),
        }
    )


def _design_rows(design: Any) -> list[tuple[Task, Learner, Resampling]]:
    if not isinstance(design, pd.DataFrame):
        raise ConfigError(
            "The 'design' argument must be a pandas DataFrame with columns task, learner "
            f"and resampling (see benchmark_grid()). Got {type(design).__name__} instead."
        )
    missing = [c for c in DESIGN_COLUMNS if c not in design.columns]
    if missing:
        raise ConfigError(
            f"The design lacks the column(s) {missing}; it needs task, learner and "
            "resampling (see benchmark_grid())."
        )
    if len(design) == 0:
        raise ConfigError(
            "The design is empty: there is nothing to benchmark. Build it with "
            "benchmark_grid(tasks, learners, resamplings)."
        )
    rows = []
    for task, learner, resampling in zip(
        design["task"], design["learner"], design["resampling"], strict=True
    ):
        check_task(task, "task")
        check_resampling(resampling, "resampling")
        rows.append((task, check_learner(learner, task, "learner"), resampling))
    return rows


def benchmark(
    design: pd.DataFrame,
    store_models: bool = False,
    seed: int | None = None,
    encapsulate: str | None = None,
    store: Any = None,
    *,
    store_predictions: bool = True,
    measures: MeasuresArg = None,
) -> BenchmarkResult:
    """Run every experiment of a design (mlr3's ``benchmark()``).

    All iterations of all experiments are flattened into jobs, each with a seed
    spawned, in design order, from one root seed; they run through the execution
    layer and are regrouped into one ResampleResult per design row.

    Parameters
    ----------
    design : pandas.DataFrame
        Columns task, learner, resampling, e.g. from :func:`benchmark_grid`.
        Un-instantiated resamplings are instantiated (on a clone) per task with a
        generator derived from the root seed; one resampling object used by several
        learners of a task keeps one instance for all of them.
    store_models : bool
        Keep the trained learners.
    seed : int or None
        Root seed of the run. The same seed gives identical results. None draws it
        from numpy's global generator.
    encapsulate : str, optional
        Encapsulation method for every learner of this call, overriding their own
        (``"none"``, ``"try"``, ``"evaluate"``, ``"process"`` / ``"callr"``); the
        learners passed in are not changed.
    store : str, os.PathLike or JobStore, optional
        A result store directory: every finished job is written to it at once (from
        the workers, under parallel plans), and a run on an existing store of the same
        design runs only the jobs it does not hold (see :func:`mlr3py.open_store`). With
        ``seed=None`` an existing store's root seed is used.
    store_predictions : bool
        Keep the predictions (the default). False: each job scores them with
        ``measures`` where it runs and keeps only the scores (see
        :func:`~mlr3py.evaluation.resample`).
    measures : Measure, str, list of those, or None
        With ``store_predictions=False``: the measures to keep, for every task of the
        design (None: each task type's default).

    Returns
    -------
    BenchmarkResult

    Raises
    ------
    Exception
        An error a learner without encapsulation (``"none"``) raised: every job
        runs first, then the first error (in design order) is raised, its attribute
        ``partial_result`` the BenchmarkResult of the jobs that finished.
    """
    rows = _design_rows(design)
    if not isinstance(store_models, bool):
        raise ConfigError(
            f"The 'store_models' argument must be a bool. Got {store_models!r} instead."
        )
    logger.info("Running benchmark with %d experiments", len(rows))
    start = time.perf_counter()
    if encapsulate is not None:
        encapsulate = check_method(encapsulate, "benchmark()")
    scores_only = check_scores_only(store_predictions, measures, "benchmark()")
    try:
        results = run_experiments(rows, store_models, seed, encapsulate, store, "benchmark",
                                  scores_only)
    except Exception as exc:
        partial = getattr(exc, PARTIAL_ATTR, None)
        if isinstance(partial, list):
            setattr(exc, PARTIAL_ATTR, BenchmarkResult(partial))
        raise
    bmr = BenchmarkResult(results)
    logger.info(
        "Finished benchmark: %d experiments, %d resampling iterations in %.3f s",
        len(results), sum(rr.iters for rr in results), time.perf_counter() - start,
    )
    return bmr
