"""Benchmark designs streamed, the next queued behind the running: :func:`benchmark_stream`.

A tuner that evaluates one batch of configurations after another runs one
:func:`~mlr3py.evaluation.benchmark` per batch, and the workers wait while the main
process builds a batch's jobs and scores the last one. When the next batch does not
depend on the running one's scores, :func:`benchmark_stream` takes it as soon as the
running batch's last jobs are handed out (:func:`mlr3py.execution._stream.map_stream`)
and gives each batch's :class:`~mlr3py.evaluation.BenchmarkResult` back as soon as its
jobs are done. Each design runs exactly as :func:`~mlr3py.evaluation.benchmark` would
run it with the same seed: the same jobs, seeds and results.
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass
from typing import Any, Protocol

from mlr3py._rng import make_root_seed, preserved_rng_state
from mlr3py.encapsulation import check_method
from mlr3py.errors import ConfigError
from mlr3py.evaluation._benchmark_result import BenchmarkResult
from mlr3py.evaluation._job import Experiment, Job
from mlr3py.evaluation._resample import (
    PARTIAL_ATTR,
    _make_jobs,
    _prepare,
    group_results,
)
from mlr3py.evaluation._worker import (
    FINISHED_ATTR,
    check_fork_plan,
    check_threads_plan,
    run_job_kept,
    settle,
)
from mlr3py.execution._stream import Group, map_stream
from mlr3py.learners import Learner
from mlr3py.log import logger
from mlr3py.resamplings import Resampling
from mlr3py.tasks import Task

__all__ = ["BenchmarkSource", "StreamDesign", "benchmark_stream"]


@dataclass(frozen=True)
class StreamDesign:
    """One design of a stream: its experiments and the root seed of its jobs.

    Attributes
    ----------
    experiments : list of (Task, Learner, Resampling)
        Validated design rows (as :func:`~mlr3py.evaluation.benchmark` checks them).
    seed : int
        The root seed, as ``benchmark(..., seed=)``.
    last : bool
        No design follows before this one is done (its jobs are split for a balanced
        end: :class:`~mlr3py.execution._stream.Group`).
    """

    experiments: list[tuple[Task, Learner, Resampling]]
    seed: int
    last: bool = False


class BenchmarkSource(Protocol):
    """Gives :func:`benchmark_stream` its designs and takes their results."""

    def more(self, busy: bool) -> StreamDesign | None:
        """The next design, or None: none now (when ``busy`` is False, earlier designs
        are all done and None ends the stream)."""
        ...

    def done(self, result: BenchmarkResult) -> None:
        """The result of the oldest design not yet done (designs in the order given)."""
        ...


@dataclass
class _Running:
    prepared: list[Experiment]
    jobs: list[Job]
    start: float


class _Jobs:
    """A :class:`BenchmarkSource` as an item source of jobs."""

    def __init__(self, source: BenchmarkSource, store_models: bool,
                 encapsulate: str | None) -> None:
        self.source = source
        self.store_models = store_models
        self.encapsulate = encapsulate
        self.running: deque[_Running] = deque()

    def more(self, busy: bool) -> Group | None:
        design = self.source.more(busy)
        if design is None:
            return None
        if not design.experiments:
            raise ConfigError("A design of a benchmark stream has no experiments; give at "
                              "least one (task, learner, resampling).")
        logger.info("Running benchmark with %d experiments", len(design.experiments))
        root = make_root_seed(design.seed)
        prepared = _prepare(design.experiments, root, self.encapsulate)
        jobs = _make_jobs(prepared, root, self.store_models)
        check_threads_plan(jobs)
        check_fork_plan(jobs)
        self.running.append(_Running(prepared, jobs, time.perf_counter()))
        return Group(jobs, design.last)

    def done(self, outcomes: list[Any]) -> None:
        run = self.running.popleft()
        try:
            results = settle(run.jobs, outcomes)
        except Exception as exc:
            finished = getattr(exc, FINISHED_ATTR, None)
            if finished is not None:
                delattr(exc, FINISHED_ATTR)
                setattr(exc, PARTIAL_ATTR, BenchmarkResult(
                    group_results(run.prepared, finished, self.store_models)))
            raise
        grouped = group_results(run.prepared, results, self.store_models)
        logger.info(
            "Finished benchmark: %d experiments, %d resampling iterations in %.3f s",
            len(grouped), sum(rr.iters for rr in grouped), time.perf_counter() - run.start,
        )
        self.source.done(BenchmarkResult(grouped))


def benchmark_stream(source: BenchmarkSource, store_models: bool = False,
                     encapsulate: str | None = None) -> None:
    """Run the designs ``source`` gives, the next one's jobs queued behind the running ones.

    Under the process plans the next design's jobs are taken as soon as the running
    one's last jobs are handed out to the workers, so the workers do not wait while a
    design is built or a result is digested; other plans run the designs one after the
    other. Each design's result is what ``benchmark(design, seed=design.seed)`` gives.

    Parameters
    ----------
    source : BenchmarkSource
        Gives the designs (:meth:`BenchmarkSource.more`) and takes each one's
        :class:`~mlr3py.evaluation.BenchmarkResult` (:meth:`BenchmarkSource.done`), in order.
    store_models : bool
        Keep the trained learners.
    encapsulate : str, optional
        Encapsulation method for every learner, as for :func:`~mlr3py.evaluation.benchmark`.

    Raises
    ------
    Exception
        An error a learner without encapsulation raised, once its design's jobs have
        all run (its ``partial_result`` the design's finished jobs), or an error of the
        source; designs given back before it stay given back, later ones are dropped.
    """
    if not isinstance(store_models, bool):
        raise ConfigError(
            f"The 'store_models' argument must be a bool. Got {store_models!r} instead."
        )
    if encapsulate is not None:
        encapsulate = check_method(encapsulate, "benchmark_stream()")
    with preserved_rng_state():
        map_stream(run_job_kept, _Jobs(source, store_models, encapsulate), desc="jobs")

