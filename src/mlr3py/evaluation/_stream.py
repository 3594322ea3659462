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

import dataclasses
import io
import pickle
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
    set_measures,
)
from mlr3py.evaluation._worker import (
    FINISHED_ATTR,
    check_fork_plan,
    check_threads_plan,
    run_job_kept,
    settle,
)
from mlr3py.execution._stream import Group, map_stream, stream_workers
from mlr3py.learners import Learner
from mlr3py.log import logger
from mlr3py.measures import Measure
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
    own_learners : bool
        The learners are the design's own, untrained, held by no one else (a tuning
        batch's configured clones): they run as they are instead of as clones.
    measures : list of Measure, optional
        Each job scores its prediction with these and keeps the scores instead of the
        prediction, as ``benchmark(..., store_predictions=False, measures=)``.
    """

    experiments: list[tuple[Task, Learner, Resampling]]
    seed: int
    last: bool = False
    own_learners: bool = False
    measures: list[Measure] | None = None


class BenchmarkSource(Protocol):
    """Gives :func:`benchmark_stream` its designs and takes their results."""

    def more(self, busy: bool) -> StreamDesign | None:
        """The next design, or None: none now (when ``busy`` is False, earlier designs
        are all done and None ends the stream)."""
        ...

    def done(self, result: BenchmarkResult) -> None:
        """The result of the oldest design not yet done (designs in the order given)."""
        ...


class _KeptClones:
    """The task and resampling clones of earlier designs, taken again for a later design
    that names the same task (and resampling) in the same state.

    ``benchmark()`` clones each design's tasks and resamplings; a stream of designs on one
    task (a tuner's batches) would get a new clone of it per design. Clones that are equal
    to an earlier design's are replaced by that design's: the process plans then send
    them to each worker once per stream, not once per design, and the workers keep the
    caches they built on them (the task's float matrix, its row index), as the sequential
    run keeps them on the backend the clones share. Equal means: the same pickle, the
    task's read-only backend (shared by all clones) left out. A clone that differs (the
    task was changed between designs) is used as it is and kept for later designs.
    """

    def __init__(self) -> None:
        # ids of the originals -> (the original, kept alive for its id; its clone)
        self.kept: dict[tuple[int, ...], tuple[Any, Any]] = {}

    def reuse(self, experiments: list[tuple[Task, Learner, Resampling]],
              prepared: list[Experiment]) -> list[Experiment]:
        """``prepared`` (made from ``experiments``), its clones replaced by kept equal ones."""
        chosen: dict[int, Any] = {}  # id of a new clone -> the clone to use (memo per design)
        out = []
        for (task, _, resampling), exp in zip(experiments, prepared, strict=True):
            new_task = self._take((id(task),), task, exp.task, exp.task.backend, chosen)
            new_resampling = self._take((id(task), id(resampling)), resampling,
                                        exp.resampling, exp.task.backend, chosen)
            out.append(dataclasses.replace(exp, task=new_task, resampling=new_resampling))
        return out

    def _take(self, key: tuple[int, ...], original: Any, clone: Any, backend: Any,
              chosen: dict[int, Any]) -> Any:
        if id(clone) in chosen:
            return chosen[id(clone)]
        kept = self.kept.get(key)
        if kept is not None and kept[0] is original:
            mark = _fingerprint(clone, backend)
            if mark is not None and mark == _fingerprint(kept[1], backend):
                chosen[id(clone)] = kept[1]
                return kept[1]
        self.kept[key] = (original, clone)
        chosen[id(clone)] = clone
        return clone


def _fingerprint(obj: Any, backend: Any) -> bytes | None:
    """The pickle of ``obj`` without ``backend`` (None if it does not pickle)."""

    class _Pickler(pickle.Pickler):
        def persistent_id(self, o: Any) -> str | None:
            return "backend" if o is backend else None

    buffer = io.BytesIO()
    try:
        _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(obj)
    except Exception:
        return None
    return buffer.getvalue()


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
        # only where the designs travel to worker processes: elsewhere every clone already
        # shares the caches on the backend, and checking clones would be work for nothing
        self.clones = _KeptClones() if stream_workers() > 0 else None

    def more(self, busy: bool) -> Group | None:
        design = self.source.more(busy)
        if design is None:
            return None
        if not design.experiments:
            raise ConfigError("A design of a benchmark stream has no experiments; give at "
                              "least one (task, learner, resampling).")
        logger.info("Running benchmark with %d experiments", len(design.experiments))
        root = make_root_seed(design.seed)
        prepared = _prepare(design.experiments, root, self.encapsulate,
                            clone_learners=not design.own_learners)
        if self.clones is not None:
            prepared = self.clones.reuse(design.experiments, prepared)
        if design.measures is not None:
            set_measures(prepared, design.measures)
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

