"""``open_store()`` and ``resume()``: read a result store, run what it lacks."""

from __future__ import annotations

import contextlib
import socket
import time
from collections.abc import Iterator
from typing import Any

import pandas as pd

from mlr3py.errors import StoreError
from mlr3py.evaluation import BenchmarkResult, ResampleResult
from mlr3py.evaluation._resample import group_results, run_stored
from mlr3py.evaluation._sink import RunSpec
from mlr3py.execution import plan as set_plan
from mlr3py.store._status import job_status, status_table
from mlr3py.store._store import ResultStore
from mlr3py.store._tuning import TuningSpec, resume_tuning, tuning_results

__all__ = ["Store", "open_store", "resume"]


class Store:
    """A result store opened for reading (and resuming): see :func:`open_store`.

    Attributes
    ----------
    path : pathlib.Path
        The store directory.
    kind : str
        ``"resample"``, ``"benchmark"`` or ``"tuning"``; ``"empty"`` for a store whose
        run ended before it recorded its design.
    """

    def __init__(self, path: Any) -> None:
        self._store = ResultStore(path, create=False)
        self.path = self._store.root
        self.kind = self._store.meta().get("kind", "empty")

    def spec(self) -> Any:
        """The run's recorded design (a RunSpec, or a TuningSpec for tuning)."""
        spec = self._store.get_object("spec") if self.kind != "empty" else None
        if spec is None:
            raise StoreError(f"The store at '{self.path}' holds no run: it ended before "
                             "it recorded its design. Start the run again with this store.")
        return spec

    def status(self) -> pd.DataFrame:
        """Jobs per task and learner: done, errors, running, lost, failed, not started,
        and the first failed job's message (see :data:`mlr3py.store.STATUS_COLUMNS`).

        Jobs are counted as the store knows them: for tuning, those of the batches
        proposed so far. :meth:`jobs` lists every job with its whole message.
        """
        rows = [(r[4], r[5], r[6], r[7], r[9], r[10], r[11], r[3], r[12])
                for r in self._store.job_rows()]
        if self.kind in ("resample", "benchmark") and not rows:
            spec = self.spec()
            rows = [(j.task.id, j.learner.id, "pending", 0, None, None, None, j.iteration,
                     None) for j in spec.jobs]
        return status_table(rows)

    def jobs(self) -> pd.DataFrame:
        """One row per job the store knows, in design order: task_id, learner_id,
        experiment, iteration, status (done, running, lost, failed, not_started), errors,
        attempts and message (why it failed, e.g. the error its learner raised; None)."""
        now, host = time.time(), socket.gethostname()
        rows = [{"task_id": r[4], "learner_id": r[5], "experiment": r[2], "iteration": r[3],
                 "status": job_status((r[6], r[9], r[10], r[11]), now, host),
                 "errors": r[7], "attempts": r[8], "message": r[12]}
                for r in self._store.job_rows()]
        table = pd.DataFrame(rows, columns=["task_id", "learner_id", "experiment", "iteration",
                                            "status", "errors", "attempts", "message"])
        table["message"] = table["message"].astype(object).where(table["message"].notna(), None)
        return table

    def results(self) -> BenchmarkResult | ResampleResult | Any:
        """What is done so far (also while the run goes on).

        Returns
        -------
        BenchmarkResult, ResampleResult or TuningInstance
            A benchmark gives the experiments with at least one finished iteration, each
            with its finished iterations; a resample its finished iterations; tuning the
            instance with the archive of its finished batches (and its result, once
            assigned).
        """
        spec = self.spec()
        if isinstance(spec, TuningSpec):
            return tuning_results(self._store, spec)
        assert isinstance(spec, RunSpec)
        done = {r[0] for r in self._store.job_rows() if r[6] in ("done", "error")}
        keys = [job.key for job in spec.jobs if job.key in done]
        loaded = self._store.load_results(keys)
        results = [loaded[k] for k in keys]
        if spec.kind == "resample":
            (rr,) = group_results(spec.experiments, results, spec.store_models)
            return rr
        return BenchmarkResult(group_results(spec.experiments, results, spec.store_models,
                                             keep_empty=False))

    def resume(self, retry_errors: bool = False, plan: Any = None,
               workers: int | None = None) -> BenchmarkResult | ResampleResult | Any:
        """Run the jobs not done yet; see :func:`resume`."""
        return resume(self.path, retry_errors=retry_errors, plan=plan, workers=workers)

    def __repr__(self) -> str:
        table = self.status()
        done, total = int(table["done"].sum()), int(table["total"].sum())
        return f"<Store '{self.path}': {self.kind}, {done} of {total} jobs done>"


def open_store(path: Any) -> Store:
    """Open a result store written by ``resample()``, ``benchmark()`` or ``tune()``.

    Parameters
    ----------
    path : str or os.PathLike
        The directory given as ``store=``.

    Returns
    -------
    Store
        With ``status()``, ``results()`` and ``resume()``.

    Examples
    --------
    >>> bmr = benchmark(design, seed=1, store="runs/study")   # killed half-way
    >>> store = mlr3py.open_store("runs/study")
    >>> store.status()           # done / running / lost / errors per task and learner
    >>> store.results().aggregate()
    >>> bmr = mlr3py.resume("runs/study")
    """
    return Store(path)


@contextlib.contextmanager
def _plan(plan: Any, workers: int | None) -> Iterator[None]:
    if plan is None:
        if workers is not None:
            raise StoreError("resume() got workers= without plan=; pass e.g. "
                             "plan='processes', workers=4.")
        yield
        return
    kwargs = {} if workers is None else {"workers": workers}
    with set_plan(plan, **kwargs):
        yield


def resume(path: Any, retry_errors: bool = False, plan: Any = None,
           workers: int | None = None) -> BenchmarkResult | ResampleResult | Any:
    """Run what a store's run has not finished, and return the whole result.

    Jobs already done are read from the store, not rerun; every job keeps the seed it
    had, so the result equals that of an uninterrupted run with the same seed.

    Parameters
    ----------
    path : str or os.PathLike
        The store directory.
    retry_errors : bool
        Also rerun jobs that finished with an error (recorded with a fallback).
    plan : str or PlanSpec, optional
        Run the remaining jobs under this plan (e.g. ``"processes"``); default: the
        active plan.
    workers : int, optional
        The plan's number of workers.

    Returns
    -------
    BenchmarkResult, ResampleResult or TuningInstance
        What the original call would have returned.
    """
    store = ResultStore(path, create=False)
    meta = store.meta()
    spec = store.get_object("spec")
    if spec is None or "fingerprint" not in meta:
        raise StoreError(f"The store at '{store.root}' holds no recorded run to resume.")
    with _plan(plan, workers):
        if isinstance(spec, TuningSpec):
            return resume_tuning(store, spec, retry_errors)
        store.open_run(meta["kind"], meta["fingerprint"], spec)
        try:
            results = run_stored(spec.jobs, store, retry_errors=retry_errors)
        finally:
            store.close()
    rrs = group_results(spec.experiments, results, spec.store_models)
    return rrs[0] if spec.kind == "resample" else BenchmarkResult(rrs)
