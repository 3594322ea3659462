"""Running jobs: :func:`run_job` for one job, :func:`run_jobs` for many (mlr3's ``worker.R``).

:func:`run_jobs` is the single seam where execution plans plug in: it maps
:func:`run_job` over the jobs with the generic parallel map of
:mod:`mlr3py.execution` and returns the results in job order; a job lost with a
dead worker becomes a :func:`~mlr3py.evaluation._failures.failed_job_result`. Jobs
that do not divide evenly among the workers and predict large test sets are run
in steps instead, their test sets predicted in parts on all workers
(:mod:`mlr3py.evaluation._split_predict`).

An error that escapes a job (a learner without encapsulation, ``"none"``) does
not discard the other jobs: every job runs, and the first error in job order is
raised afterwards with the finished jobs' results in its attribute
``finished_jobs`` (``resample()`` and ``benchmark()`` turn them into the
``partial_result`` of the error).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from mlr3py._rng import preserved_rng_state
from mlr3py.errors import ConfigError
from mlr3py.evaluation._failures import failed_job_result
from mlr3py.evaluation._job import Job, JobResult
from mlr3py.evaluation._job_steps import (
    JobRaised,
    job_log_context,
    job_result,
    predict_step,
    predicts_test,
    train_step,
)
from mlr3py.evaluation._split_predict import run_split, split_layout
from mlr3py.evaluation._streamed_scores import streamed_measures, streamed_test_scores
from mlr3py.execution._deaths import WorkerDied
from mlr3py.execution._map import map_outcomes
from mlr3py.execution._plans import current_levels
from mlr3py.options import options

if TYPE_CHECKING:
    from mlr3py.evaluation._sink import JobWriter

__all__ = [
    "FINISHED_ATTR", "JobRaised", "StoredRun", "check_fork_plan", "check_threads_plan", "run_job",
    "run_job_kept",
    "run_jobs", "settle",
]

FINISHED_ATTR = "finished_jobs"
"""The attribute of an error raised by :func:`run_jobs` that holds the finished results."""


def run_job(job: Job) -> JobResult:
    """Train the job's learner on the train set and predict the sets of its
    ``predict_sets`` (the test set unless they lack ``"test"``, the train set if they
    have ``"train"``).

    numpy's global generator, :mod:`random` and (where used) torch are seeded
    from ``job.seed`` first. A clone of the job's learner is trained (in the
    worker, under parallel plans); ``job.learner`` is left untrained.

    Parameters
    ----------
    job : Job
        The job to run.

    Returns
    -------
    JobResult
        Prediction, learner state (model dropped unless ``job.store_models``),
        log and timings.
    """
    with job_log_context(job):
        learner, train_time = train_step(job)
        prediction, predict_time, streamed = None, 0.0, None
        if predicts_test(learner):
            measures = streamed_measures(job, learner)
            if measures is not None:  # scored as it streams, never held whole
                streamed, predict_time = streamed_test_scores(job, learner, measures)
            else:
                prediction, predict_time = predict_step(
                    learner, job.task, job.resampling.test_set(job.iteration)
                )
        return job_result(job, learner, prediction, train_time, predict_time, streamed)


def run_job_kept(job: Job) -> JobResult | JobRaised:
    """:func:`run_job`, with an error it raises returned as a :class:`JobRaised`."""
    try:
        return run_job(job)
    except Exception as exc:
        return JobRaised.of(exc)


def _raise_first(raised: JobRaised, finished: list[JobResult]) -> None:
    error = raised.error
    if error.__traceback__ is None and hasattr(error, "add_note"):  # it ran in a worker
        error.add_note("The job's traceback, in the worker:\n" + raised.traceback)
    setattr(error, FINISHED_ATTR, finished)
    raise error


class StoredRun:
    """:func:`run_job_kept` that records the job in a result store where it runs.

    Pickled to the workers with its :class:`~mlr3py.evaluation._sink.JobWriter`: the job
    is marked as running when it starts, and its result is written as soon as it is
    computed, before it travels back, so a main process that dies loses nothing finished.
    A job whose learner raised (no encapsulation) has no result: it is recorded as
    failed with the error's message (:meth:`JobWriter.raised`), so the store's status
    shows it and a resumed run runs it again.
    """

    def __init__(self, writer: JobWriter) -> None:
        self.writer = writer

    def __call__(self, job: Job) -> JobResult | JobRaised:
        self.writer.started(job)
        result = run_job_kept(job)
        if isinstance(result, JobResult):
            self.writer.finished(job, result)
        else:
            self.writer.raised(job, f"{type(result.error).__name__}: {result.error}")
        return result


def run_jobs(jobs: Sequence[Job], writer: JobWriter | None = None) -> list[JobResult]:
    """Run jobs and return one result per job, in job order.

    The active plan (:func:`mlr3py.plan`) maps :func:`run_job` over the jobs
    (:func:`mlr3py.execution._map.map_outcomes`); a job lost with a dead worker
    becomes a :func:`~mlr3py.evaluation._failures.failed_job_result`. The
    caller's random streams (numpy's global generator, :mod:`random`) are
    restored afterwards.

    Parameters
    ----------
    jobs : sequence of Job
        The jobs, in design order.
    writer : JobWriter, optional
        Records each job in a result store where it runs (:class:`StoredRun`); a job
        lost with a dead worker is recorded here.

    Returns
    -------
    list of JobResult

    Raises
    ------
    Exception
        The first error (in job order) that a job raised, once every job has run;
        its attribute ``finished_jobs`` holds the results of the jobs that finished.
    """
    check_threads_plan(jobs)
    check_fork_plan(jobs)
    layout = split_layout(jobs) if writer is None else None
    with preserved_rng_state():
        if layout is not None:  # each test set predicted in parts on all workers
            outcomes = run_split(jobs, layout)
        else:
            fn = run_job_kept if writer is None else StoredRun(writer)
            outcomes = map_outcomes(fn, jobs, desc="jobs")
    return settle(jobs, outcomes, writer)


def settle(jobs: Sequence[Job], outcomes: Sequence[JobResult | JobRaised | WorkerDied],
           writer: JobWriter | None = None) -> list[JobResult]:
    """The results of ``jobs`` from their outcomes (:func:`run_job_kept`'s, or a
    :class:`~mlr3py.execution._deaths.WorkerDied` for a job lost with its worker, which
    becomes a failed result, recorded by ``writer`` if given).

    Raises
    ------
    Exception
        The first error (in job order) that a job raised; its attribute
        ``finished_jobs`` holds the results of the jobs that finished.
    """
    results: list[JobResult | JobRaised] = []
    for job, out in zip(jobs, outcomes, strict=True):
        if isinstance(out, WorkerDied):
            out = failed_job_result(job, out.message, stage=out.phase or "train")
            if writer is not None:
                writer.finished(job, out)
        results.append(out)
    raised = [out for out in results if isinstance(out, JobRaised)]
    if raised:
        _raise_first(raised[0], [out for out in results if isinstance(out, JobResult)])
    return [out for out in results if isinstance(out, JobResult)]


def check_threads_plan(jobs: Sequence[Job]) -> None:
    """Refuse torch learners under the threads plan: their results would not be reproducible.

    torch keeps one random generator and one thread setting per process, shared by
    all threads: jobs running side by side draw from one stream in an order that
    changes from run to run, so results would differ from the sequential run's.
    """
    if options.debug or current_levels()[0].strategy != "threads":
        return
    for job in jobs:
        if "torch" in (getattr(job.learner, "packages", None) or ()):
            raise ConfigError(
                f"Learner '{job.learner.id}' uses torch, whose random state is shared by "
                "all threads of a process: under plan('threads') its results would differ "
                "from run to run. Use plan('processes') (or 'multicore', 'dask'), whose "
                "workers each have their own, or plan('sequential')."
            )


def check_fork_plan(jobs: Sequence[Job]) -> None:
    """Refuse tasks on DuckDB, Parquet files or polars under the multicore plan.

    Its workers are forked from this process, which has used the task's database:
    DuckDB's and polars' thread pools do not survive ``fork()``, and a forked worker
    that queries the data aborts or hangs. The processes plan starts fresh workers,
    each opening its own connection.
    """
    if options.debug or current_levels()[0].strategy != "multicore":
        return
    for job in jobs:
        backend = job.task.backend
        if not backend.fork_safe:
            part = _unsafe_part(backend)
            through = (f"{type(backend).__name__} ({_describe(backend)})" if part is backend
                       else f"{type(backend).__name__}, whose part {type(part).__name__} "
                            f"({_describe(part)})")
            raise ConfigError(
                f"Task '{job.task.id}' reads its data through {through}, which cannot be "
                "used in workers forked from this process (DuckDB and polars run thread "
                "pools that fork() does not copy). "
                "Use plan('processes'), whose workers start fresh and open their own "
                "connections, or plan('sequential')."
            )


def _unsafe_part(backend: Any) -> Any:
    """The backend inside ``backend`` (a composed or lazy one) that is not fork-safe:
    the one that holds the connection or thread pool (``backend`` itself if none is)."""
    inner = list(getattr(backend, "_parts", ()))
    if not inner and hasattr(backend, "backend"):  # a lazy backend (built by fork_safe)
        inner = [backend.backend]
    for part in inner:
        if not part.fork_safe:
            return _unsafe_part(part)
    return backend


def _describe(backend: object) -> str:
    connector = getattr(backend, "_connector", None)
    return connector.describe() if connector is not None else "a thread pool"

