"""Conformance checks for result stores (the evaluation layer's ``JobStore`` protocol).

A store gets a fresh instance from a factory for each check; the checks run small
real benchmarks through it: the results equal those of a run without a store, a run on
a filled store runs nothing and gives the same results, its writer pickles (it goes to
the worker processes), and a run of another design is refused.
"""

from __future__ import annotations

import functools
import pickle
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from mlr3py.errors import Mlr3pyError
from mlr3py.evaluation import benchmark, benchmark_grid
from mlr3py.evaluation._sink import JobStore, JobWriter
from mlr3py.learners import mlr_learners
from mlr3py.resamplings import mlr_resamplings
from mlr3py.tasks import mlr_tasks
from mlr3py.testing._base import Check, ConformanceError, require

__all__ = ["check_job_store", "job_store_checks"]

StoreFactory = Callable[[], JobStore]


def _design(depth: int = 2) -> Any:
    learner = mlr_learners.get("classif.rpart")
    learner.param_set.set_values(max_depth=depth)
    return benchmark_grid(mlr_tasks.get("penguins"),
                          [learner, mlr_learners.get("classif.featureless")],
                          mlr_resamplings.get("cv", folds=2), seed=1)


def _scores(bmr: Any) -> list[float]:
    return [float(x) for x in bmr.score("classif.ce")["classif.ce"]]


def check_job_store_results(make_store: StoreFactory) -> None:
    """A run with the store gives the results of a run without one."""
    plain = benchmark(_design(), seed=3)
    stored = benchmark(_design(), seed=3, store=make_store())
    require(_scores(stored) == _scores(plain),
            "a benchmark with the store scores differently than one without")


def check_job_store_resume(make_store: StoreFactory) -> None:
    """A second run on the filled store finds every job done and gives the same results."""
    first = benchmark(_design(), seed=3, store=make_store())
    again = make_store()
    done: list[int] = []
    real = again.begin_jobs

    def counting(jobs: Any, retry_errors: bool = False) -> set[str]:
        keys = real(jobs, retry_errors=retry_errors)
        done.append(len(keys))
        return keys

    again.begin_jobs = counting  # type: ignore[method-assign]
    second = benchmark(_design(), seed=3, store=again)
    require(done == [4], f"begin_jobs() of the second run reported {done} jobs done, not [4]")
    require(_scores(second) == _scores(first), "the second run's results differ")
    require(not again.is_open, "the store is still open after the run (close() not effective)")


def check_job_store_writer(make_store: StoreFactory) -> None:
    """The writer is a JobWriter and pickles (it travels to the worker processes)."""
    store = make_store()
    writer = store.writer()
    require(isinstance(writer, JobWriter), "writer() does not return a JobWriter")
    pickle.loads(pickle.dumps(writer))


def check_job_store_other_design(make_store: StoreFactory) -> None:
    """A run of another design on the store is refused with an mlr3py error."""
    store = make_store()
    benchmark(_design(2), seed=3, store=store)
    try:
        benchmark(_design(3), seed=3, store=store)
    except Mlr3pyError:
        return
    raise AssertionError("a run of another design on the filled store was not refused")


_CHECKS = (check_job_store_results, check_job_store_resume, check_job_store_writer,
           check_job_store_other_design)


def job_store_checks(make_store: StoreFactory) -> Iterator[Check]:
    """Yield ``(name, check)`` pairs for a store factory (for ``pytest.mark.parametrize``).

    ``make_store()`` must return the store for one directory: each call of the factory
    within a check opens the same store, and separate checks may share it only if the
    factory gives each check a fresh one (e.g. a new temporary directory per call of
    :func:`job_store_checks`).
    """
    for check in _CHECKS:
        yield check.__name__, functools.partial(_run, check, make_store)


def _run(check: Callable[[StoreFactory], None], make_store: StoreFactory) -> None:
    try:
        check(make_store)
    except AssertionError as exc:
        raise ConformanceError(f"JobStore fails check '{check.__name__}': {exc}",
                               subject="JobStore", check=check.__name__) from exc


def check_job_store(make_stores: Callable[[], StoreFactory],
                    exclude: Iterable[str] = ()) -> None:
    """Run every result store conformance check; raise on the first failure.

    Parameters
    ----------
    make_stores : callable
        Returns, for each check, a fresh factory: a callable opening one new, empty store
        (each call of that factory opens the same store).
    exclude : iterable of str
        Skip checks whose name contains one of these substrings.

    Raises
    ------
    ConformanceError
        Naming the check that failed.
    """
    patterns = tuple(exclude)
    for check in _CHECKS:
        if not any(p in check.__name__ for p in patterns):
            _run(check, make_stores())
