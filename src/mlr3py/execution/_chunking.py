"""Chunking and ordering: how the jobs of one run are handed to the active plan.

``mlr3py.options.exec_random`` (default True) starts the jobs in random order, so
that slow experiments do not all land at the end; ``exec_chunk_size`` (default 1)
puts that many jobs into one submitted unit, which amortises the per-submission
overhead of worker processes and clusters. Results always come back in design
order, and since every job carries its own seed, neither setting changes them.

Log records emitted while a job runs in a worker process ("processes",
"multicore", "dask") travel back with its result (:func:`mlr3py.log.forward_records`)
and are handed to this process's handlers when the run's results are in, in
design order, tagged with their job (:func:`mlr3py.log.replay_records`). Under
"sequential" and "threads" records are emitted here as they happen.
"""

from __future__ import annotations

import contextlib
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from mlr3py.errors import Mlr3pyError
from mlr3py.execution._backends import ProcessBackend, Unit, get_backend
from mlr3py.execution._dask import DaskBackend
from mlr3py.execution._failures import WorkerDied, failed_job_result
from mlr3py.execution._job import Job, JobResult
from mlr3py.execution._plans import SEQUENTIAL, current_levels, worker_depth
from mlr3py.execution._progress import progress_bar
from mlr3py.log import LogForwarding, forward_records, log_forwarding, replay_records
from mlr3py.options import options

__all__ = ["make_chunks", "map_items", "map_jobs"]

T = TypeVar("T")


def make_chunks(n: int, chunk_size: int, shuffle: bool) -> list[list[int]]:
    """Split positions ``0..n-1`` into chunks of ``chunk_size``, in random order if ``shuffle``.

    The shuffle uses a generator of its own (seeded from the operating system),
    never numpy's or :mod:`random`'s global one.
    """
    order = list(range(n))
    if shuffle and n > 1:
        random.Random(random.SystemRandom().getrandbits(64)).shuffle(order)
    return [order[i:i + chunk_size] for i in range(0, n, chunk_size)]


@dataclass
class Forwarded:
    """An item's result from a worker process and the log records emitted meanwhile."""

    value: Any
    records: list[Any]


_RECORDS_ATTR = "mlr3py_log_records"


class ForwardLogs:
    """``fn`` run in a worker process, its log records kept for the main process.

    Returns a :class:`Forwarded`; an exception raised by ``fn`` carries the records
    in its attribute ``mlr3py_log_records``.
    """

    def __init__(self, fn: Callable[[Any], Any], config: LogForwarding) -> None:
        self.fn = fn
        self.config = config

    def __call__(self, item: Any) -> Forwarded:
        records: list[Any] = []
        try:
            with forward_records(self.config) as records:
                value = self.fn(item)
        except BaseException as exc:
            with contextlib.suppress(Exception):
                setattr(exc, _RECORDS_ATTR, list(records))
            raise
        return Forwarded(value, records)


def _forwarding(backend: Any) -> LogForwarding | None:
    if isinstance(backend, ProcessBackend):
        return log_forwarding(dedicated=True)
    if isinstance(backend, DaskBackend):
        return log_forwarding(dedicated=False)
    return None  # sequential and threads emit in this process


def _job_fields(item: Any) -> dict[str, Any] | None:
    if isinstance(item, Job):
        return {"task_id": item.task.id, "learner_id": item.learner.id,
                "iteration": item.iteration, "resampling_id": item.resampling.id}
    return None  # not a job (e.g. a chunk of rows to predict): the current job's context


def _run(
    fn: Callable[[Any], Any], items: Sequence[Any], desc: str, chunk_size: int | None = None
) -> list[Any]:
    levels = current_levels()
    spec = SEQUENTIAL if options.debug else levels[0]
    inner = levels[1:]
    if options.debug:
        inner = ()
    parallel = not spec.is_sequential
    positions = make_chunks(
        len(items),
        (chunk_size or options.exec_chunk_size) if parallel else max(1, len(items)),
        shuffle=parallel and options.exec_random,
    )
    units = [Unit(k, 0, [items[p] for p in chunk]) for k, chunk in enumerate(positions)]
    backend = get_backend(spec)
    forwarding = _forwarding(backend)
    call = ForwardLogs(fn, forwarding) if forwarding is not None else fn
    bar = progress_bar(len(items), worker_depth(), desc)
    try:
        outcomes = backend.map(call, units, inner, bar)
    except BaseException as exc:
        records = getattr(exc, _RECORDS_ATTR, None)
        if records:
            with contextlib.suppress(Exception):
                delattr(exc, _RECORDS_ATTR)
            replay_records(records)
        raise
    finally:
        bar.close()
    results: list[Any] = [None] * len(items)
    for chunk, outs in zip(positions, outcomes, strict=True):
        for p, out in zip(chunk, outs, strict=True):
            results[p] = out
    for p, out in enumerate(results):  # design order
        if isinstance(out, Forwarded):
            if out.records:
                replay_records(out.records, _job_fields(items[p]))
            results[p] = out.value
    return results


def map_jobs(fn: Callable[[Job], JobResult], jobs: Sequence[Job]) -> list[JobResult]:
    """Run ``fn`` (``run_job``) over ``jobs`` through the active plan, in design order.

    Jobs lost with a dead worker become :func:`failed_job_result` records.
    """
    results = _run(fn, jobs, "jobs")
    return [
        failed_job_result(job, res.message) if isinstance(res, WorkerDied) else res
        for job, res in zip(jobs, results, strict=True)
    ]


def map_items(
    fn: Callable[[Any], T], items: Sequence[Any], desc: str = "chunks",
    chunk_size: int | None = None,
) -> list[T]:
    """Run ``fn`` over ``items`` through the active plan (e.g. parallel prediction).

    ``chunk_size`` overrides ``options.exec_chunk_size``.

    Raises
    ------
    Mlr3pyError
        If a worker died while it held an item.
    """
    results = _run(fn, items, desc, chunk_size)
    for res in results:
        if isinstance(res, WorkerDied):
            raise Mlr3pyError(f"A {res.message} while running {desc}.")
    return results
