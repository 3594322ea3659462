"""Capture and replay: the records of a block, picklable, handed to another process's handlers.

:func:`capture_records` collects the records emitted in a block (e.g. inside an
encapsulated child or a worker process) as :func:`portable_record` copies;
:func:`replay_records` hands them to this process's handlers, job context included.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from mlr3py.log._context import JOB_CONTEXT_FILTER, current_job_context

__all__ = ["Collector", "capture_records", "portable_record", "replay_records"]


class Collector(logging.Handler):
    """Collects portable copies of the records it handles (of one thread, or of all)."""

    def __init__(self, thread: int | None) -> None:
        super().__init__(logging.NOTSET)
        self.thread = thread
        self.records: list[logging.LogRecord] = []
        self.addFilter(JOB_CONTEXT_FILTER)

    def emit(self, record: logging.LogRecord) -> None:
        thread = getattr(record, "replayed_in_thread", record.thread)
        if self.thread is not None and thread != self.thread:
            return
        self.records.append(portable_record(record))


def portable_record(record: logging.LogRecord) -> logging.LogRecord:
    """A picklable copy of ``record``: message formatted, args and traceback dropped."""
    data = dict(record.__dict__)
    data["msg"] = record.getMessage()
    data["args"] = None
    if record.exc_info:
        data["exc_text"] = logging.Formatter().formatException(record.exc_info)
    data["exc_info"] = None
    return logging.makeLogRecord(data)


@contextlib.contextmanager
def capture_records(
    name: str = "", this_thread_only: bool = True
) -> Iterator[list[logging.LogRecord]]:
    """Collect the records that reach logger ``name`` (root: ``""``) in the block.

    The records still go to the logger's other handlers. The yielded list fills
    with picklable copies (see :func:`portable_record`) that carry the job context.

    Parameters
    ----------
    name : str
        The logger whose records (its own and its descendants') are collected.
    this_thread_only : bool
        Ignore records emitted by other threads.
    """
    collector = Collector(threading.get_ident() if this_thread_only else None)
    target = logging.getLogger(name)
    target.addHandler(collector)
    try:
        yield collector.records
    finally:
        target.removeHandler(collector)


def replay_records(
    records: Iterable[logging.LogRecord], context: Mapping[str, Any] | None = None
) -> None:
    """Hand records from another process to this process's handlers.

    Each record goes to ``logging.getLogger(record.name).handle(record)``, so it
    reaches the handlers of its logger and its ancestors here (the handlers'
    levels and filters apply; the loggers' thresholds were applied where the
    record was emitted). Fields of ``context`` (e.g. the job's task_id,
    learner_id, iteration, resampling_id) are set where the record lacks them.

    Parameters
    ----------
    records : iterable of logging.LogRecord
        Records as collected by :func:`capture_records`.
    context : mapping, optional
        Job context to tag them with; the current job context by default.
    """
    ctx = dict(context) if context is not None else current_job_context()
    here = threading.get_ident()
    for record in records:
        record.replayed_in_thread = here
        for key, value in ctx.items():
            if getattr(record, key, None) is None:
                setattr(record, key, value)
        logging.getLogger(record.name).handle(record)
