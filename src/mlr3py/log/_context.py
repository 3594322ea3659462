"""The job context: which job a log record was emitted in.

:func:`job_context` sets the context (task_id, learner_id, iteration,
resampling_id) for a block (the job runner does, per job), in a context variable,
so it holds for the running thread or asyncio task; :func:`current_job_context`
reads it. :class:`JobContextFilter` stamps it on the records it sees; mlr3py's
loggers and handlers carry one (:data:`JOB_CONTEXT_FILTER`).
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
from collections.abc import Iterator, Mapping
from typing import Any

__all__ = [
    "CONTEXT_FIELDS",
    "JOB_CONTEXT_FILTER",
    "JobContextFilter",
    "current_job_context",
    "job_context",
    "stamp_job_context",
]

CONTEXT_FIELDS: tuple[str, ...] = ("task_id", "learner_id", "iteration", "resampling_id")
"""The job context fields stamped on log records emitted while a job runs."""

_JOB_CONTEXT: contextvars.ContextVar[Mapping[str, Any] | None] = contextvars.ContextVar(
    "mlr3py_job_context", default=None
)


def current_job_context() -> dict[str, Any]:
    """The job context of the running job (empty outside jobs)."""
    ctx = _JOB_CONTEXT.get()
    return dict(ctx) if ctx else {}


@contextlib.contextmanager
def job_context(**fields: Any) -> Iterator[None]:
    """Stamp ``fields`` (task_id, learner_id, iteration, resampling_id) on records in the block.

    Nested blocks add to (and override) the outer context.
    """
    outer = _JOB_CONTEXT.get()
    merged = {**(outer or {}), **{k: v for k, v in fields.items() if v is not None}}
    token = _JOB_CONTEXT.set(merged)
    try:
        yield
    finally:
        _JOB_CONTEXT.reset(token)


def stamp_job_context(record: logging.LogRecord) -> None:
    """Set the running job's context fields on ``record`` where it has none of its own."""
    ctx = _JOB_CONTEXT.get()
    if ctx:
        for key, value in ctx.items():
            if not hasattr(record, key):
                setattr(record, key, value)


class JobContextFilter(logging.Filter):
    """Stamps the running job's context on every record it sees; lets every record through.

    mlr3py's loggers and the handlers mlr3py creates (:func:`add_json_handler`, the
    collectors of :func:`capture_records`) carry one already. Add one to a handler of
    your own so that the records of other libraries emitted while a job runs in this
    process carry ``task_id``, ``learner_id``, ``iteration`` and ``resampling_id`` too
    (records of jobs run in worker processes are tagged when they are replayed here)::

        handler.addFilter(JobContextFilter())
    """

    def filter(self, record: logging.LogRecord) -> bool:
        stamp_job_context(record)
        return True


#: The filter on mlr3py's loggers and on the handlers mlr3py creates.
JOB_CONTEXT_FILTER = JobContextFilter()
