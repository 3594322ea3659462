"""Loggers of mlr3py (``mlr3py``, ``mlr3py.tuning``), job context, JSON lines and replay.

- :func:`set_threshold` changes a logger's threshold by name (``"warn"``,
  ``"info"``, ``"debug"``).
- :func:`add_json_handler` writes every record as one JSON object per line:
  ``level``, ``timestamp``, ``logger``, ``message`` and, for records emitted
  while a job runs, the job context ``task_id``, ``learner_id``, ``iteration``,
  ``resampling_id``.
- :func:`job_context` sets that context (the job runner does, per job); every
  :class:`logging.LogRecord` created meanwhile in the same thread or task is
  stamped with it, whichever logger emits it.
- :func:`capture_records` collects the records emitted in a block (e.g. inside an
  encapsulated child or a worker process) in a picklable form, and
  :func:`replay_records` hands them to the main process's handlers, job context
  included.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime
import json
import logging
import threading
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from mlr3py.errors import ConfigError

__all__ = [
    "CONTEXT_FIELDS",
    "JsonFormatter",
    "add_json_handler",
    "capture_records",
    "current_job_context",
    "job_context",
    "logger",
    "replay_records",
    "set_threshold",
    "tuning_logger",
]

logger = logging.getLogger("mlr3py")
tuning_logger = logging.getLogger("mlr3py.tuning")
logger.addHandler(logging.NullHandler())

_LEVELS = {
    "fatal": logging.CRITICAL,
    "error": logging.ERROR,
    "warn": logging.WARNING,
    "warning": logging.WARNING,
    "info": logging.INFO,
    "debug": logging.DEBUG,
    "trace": logging.DEBUG,
}

CONTEXT_FIELDS: tuple[str, ...] = ("task_id", "learner_id", "iteration", "resampling_id")
"""The job context fields stamped on log records emitted while a job runs."""


def _level_number(level: str | int) -> int:
    if isinstance(level, bool) or not isinstance(level, str | int):
        raise ConfigError(
            f"A log level must be a name ({', '.join(_LEVELS)}) or an int. Got {level!r} instead."
        )
    if isinstance(level, str):
        if level.lower() not in _LEVELS:
            raise ConfigError(
                f"Unknown log level '{level}'. Use one of: {', '.join(_LEVELS)}."
            )
        return _LEVELS[level.lower()]
    return level


def set_threshold(level: str | int, name: str = "mlr3py") -> None:
    """Set the threshold of an mlr3py logger by name ("warn", "info", "debug") or number.

    Parameters
    ----------
    level : str or int
        A level name such as ``"info"`` or a :mod:`logging` level number.
    name : str
        The logger, ``"mlr3py"`` or ``"mlr3py.tuning"``.
    """
    logging.getLogger(name).setLevel(_level_number(level))


# -- job context ---------------------------------------------------------------------------
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


_factory_lock = threading.Lock()
_factory_installed = False


def _install_record_factory() -> None:
    """Wrap the log record factory once so that records carry the job context."""
    global _factory_installed
    with _factory_lock:
        if _factory_installed:
            return
        previous = logging.getLogRecordFactory()

        def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
            record = previous(*args, **kwargs)
            ctx = _JOB_CONTEXT.get()
            if ctx:
                for key, value in ctx.items():
                    if not hasattr(record, key):
                        setattr(record, key, value)
            return record

        logging.setLogRecordFactory(factory)
        _factory_installed = True


_install_record_factory()


# -- JSON lines ----------------------------------------------------------------------------
class JsonFormatter(logging.Formatter):
    """Formats a record as one JSON object: level, timestamp, logger, message, job context."""

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "level": record.levelname,
            "timestamp": datetime.datetime.fromtimestamp(
                record.created, tz=datetime.timezone.utc
            ).isoformat(timespec="milliseconds"),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key in CONTEXT_FIELDS:
            value = getattr(record, key, None)
            if value is not None:
                out[key] = value
        if record.exc_info:
            out["exception"] = self.formatException(record.exc_info)
        return json.dumps(out, default=str)


def add_json_handler(
    path: str | Path, level: str | int = "info", name: str = "mlr3py"
) -> logging.FileHandler:
    """Append the records of an mlr3py logger to ``path`` as JSON lines.

    Each line holds ``level``, ``timestamp`` (ISO 8601, UTC), ``logger``,
    ``message`` and, when the record was emitted while a job ran (in this process,
    a worker or an encapsulated child process), ``task_id``, ``learner_id``,
    ``iteration`` (0-based) and ``resampling_id``.

    Parameters
    ----------
    path : str or Path
        The file (appended to).
    level : str or int
        Threshold of the handler (``"info"``, ``"debug"``, ...). The logger's own
        threshold must let the records through too (see :func:`set_threshold`).
    name : str
        The logger to attach to.

    Returns
    -------
    logging.FileHandler
        The handler; remove it with ``logging.getLogger(name).removeHandler(h)``
        and ``h.close()``.
    """
    handler = logging.FileHandler(path, mode="a", encoding="utf-8")
    handler.setLevel(_level_number(level))
    handler.setFormatter(JsonFormatter())
    logging.getLogger(name).addHandler(handler)
    return handler


# -- capture and replay --------------------------------------------------------------------
class _Collector(logging.Handler):
    def __init__(self, thread: int | None) -> None:
        super().__init__(logging.NOTSET)
        self.thread = thread
        self.records: list[logging.LogRecord] = []

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
    collector = _Collector(threading.get_ident() if this_thread_only else None)
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
