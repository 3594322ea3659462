"""Loggers of mlr3py (``mlr3py``, ``mlr3py.tuning``), job context, JSON lines and replay.

- :func:`set_threshold` changes a logger's threshold by name (``"warn"``,
  ``"info"``, ``"debug"``).
- :func:`add_json_handler` writes every record as one JSON object per line:
  ``level``, ``timestamp``, ``logger``, ``message`` and, for records emitted
  while a job runs, the job context ``task_id``, ``learner_id``, ``iteration``,
  ``resampling_id``.
- :func:`job_context` sets that context (the job runner does, per job); the
  records emitted meanwhile in the same thread or task by mlr3py's loggers, and
  every record that reaches a handler of mlr3py (JSON lines, capture, forwarding
  from workers) or a handler carrying a :class:`JobContextFilter`, are stamped
  with it. The global log record factory is left alone.
- :func:`capture_records` collects the records emitted in a block (e.g. inside an
  encapsulated child or a worker process) in a picklable form, and
  :func:`replay_records` hands them to the main process's handlers, job context
  included.
- :func:`log_forwarding` and :func:`forward_records` carry the records of jobs
  run in worker processes (plans "processes", "multicore", "dask") back to the
  main process, which replays them in design order.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime
import json
import logging
import threading
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mlr3py.errors import ConfigError

__all__ = [
    "CONTEXT_FIELDS",
    "JobContextFilter",
    "JsonFormatter",
    "LogForwarding",
    "add_json_handler",
    "capture_records",
    "current_job_context",
    "forward_records",
    "job_context",
    "log_forwarding",
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


def _stamp_job_context(record: logging.LogRecord) -> None:
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
        _stamp_job_context(record)
        return True


_JOB_CONTEXT_FILTER = JobContextFilter()
logger.addFilter(_JOB_CONTEXT_FILTER)
tuning_logger.addFilter(_JOB_CONTEXT_FILTER)


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

    Raises
    ------
    ConfigError
        If the file's directory does not exist, ``path`` is a directory, or the
        file cannot be opened for appending.
    """
    level_number = _level_number(level)
    _check_log_path(Path(path))
    try:
        handler = logging.FileHandler(path, mode="a", encoding="utf-8")
    except OSError as exc:
        raise ConfigError(
            f"add_json_handler() cannot open the log file '{path}': {exc.strerror or exc}. "
            f"Pass a writable file path."
        ) from exc
    handler.setLevel(level_number)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(_JOB_CONTEXT_FILTER)
    logging.getLogger(name).addHandler(handler)
    return handler


def _check_log_path(path: Path) -> None:
    """Raise :class:`ConfigError` unless a log file can be created at ``path``."""
    if path.is_dir():
        raise ConfigError(
            f"add_json_handler() needs a file path, but '{path}' is a directory. "
            f"Pass a file inside it, e.g. '{path / 'mlr3py.jsonl'}'."
        )
    parent = path.parent
    if not parent.is_dir():
        raise ConfigError(
            f"add_json_handler() cannot create '{path}': the directory '{parent}' does not "
            f"exist. Create it first (Path('{parent}').mkdir(parents=True)) or pass another path."
        )


# -- capture and replay --------------------------------------------------------------------
class _Collector(logging.Handler):
    def __init__(self, thread: int | None) -> None:
        super().__init__(logging.NOTSET)
        self.thread = thread
        self.records: list[logging.LogRecord] = []
        self.addFilter(_JOB_CONTEXT_FILTER)

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


# -- forwarding from worker processes ------------------------------------------------------
# Loggers of the engines that run dask workers: a dask worker process is theirs, so
# their levels there are left alone.
_ENGINE_LOGGERS = ("distributed", "dask", "tornado", "asyncio", "bokeh")


@dataclass(frozen=True)
class LogForwarding:
    """What a worker process needs to forward the records of a job to the main process.

    Attributes
    ----------
    levels : tuple of (str, int)
        The main process's explicitly set logger levels (``""``: the root logger);
        the worker uses them while a job runs, so it creates the records the main
        process would create.
    threshold : int
        Records below this level are not forwarded: no handler of the main process
        would take them (the lowest level of its handlers).
    dedicated : bool
        The worker process runs nothing but jobs (loky and fork workers): records of
        all its threads are forwarded. Otherwise (dask) only those of the job's thread.
    """

    levels: tuple[tuple[str, int], ...]
    threshold: int
    dedicated: bool = True


def log_forwarding(dedicated: bool = True) -> LogForwarding | None:
    """The main process's logging setup for :func:`forward_records` (None: nothing to forward).

    Parameters
    ----------
    dedicated : bool
        See :attr:`LogForwarding.dedicated`.
    """
    root = logging.getLogger()
    loggers: list[logging.Logger] = [root]
    loggers += [lg for lg in list(root.manager.loggerDict.values())
                if isinstance(lg, logging.Logger)]
    levels: list[tuple[str, int]] = []
    threshold: int | None = None
    for lg in loggers:
        name = "" if lg is root else lg.name
        if lg.level != logging.NOTSET and not (
            not dedicated and name.split(".", 1)[0] in _ENGINE_LOGGERS
        ):
            levels.append((name, lg.level))
        for handler in lg.handlers:
            if isinstance(handler, logging.NullHandler | _Collector):
                continue
            threshold = handler.level if threshold is None else min(threshold, handler.level)
    if threshold is None and logging.lastResort is not None:
        threshold = logging.lastResort.level  # records without a handler end up there
    if threshold is None:
        return None
    return LogForwarding(tuple(levels), threshold, dedicated)


class _Forwarder:
    def __init__(self, threshold: int) -> None:
        self.threshold = threshold
        self.records: list[logging.LogRecord] = []


_FORWARDER: contextvars.ContextVar[_Forwarder | None] = contextvars.ContextVar(
    "mlr3py_log_forwarder", default=None
)
_process_forwarder: _Forwarder | None = None
_hook_lock = threading.Lock()
_hook_installed = False


def _install_forwarding_hook() -> None:
    """Route records to the active forwarder instead of this process's handlers (once)."""
    global _hook_installed
    with _hook_lock:
        if _hook_installed:
            return
        original = logging.Logger.callHandlers

        def callHandlers(self: logging.Logger, record: logging.LogRecord) -> None:  # noqa: N802
            forwarder = _FORWARDER.get() or _process_forwarder
            if forwarder is None:
                original(self, record)
                return
            if record.levelno >= forwarder.threshold:
                _stamp_job_context(record)
                forwarder.records.append(portable_record(record))
            # the worker's own handlers (e.g. inherited from the main process by fork)
            # are skipped: the main process emits the record; collectors of mlr3py
            # (encapsulation's capture of a learner's log) still get it
            logger_: logging.Logger | None = self
            while logger_ is not None:
                for handler in logger_.handlers:
                    if isinstance(handler, _Collector) and record.levelno >= handler.level:
                        handler.handle(record)
                if not logger_.propagate:
                    break
                logger_ = logger_.parent

        logging.Logger.callHandlers = callHandlers  # type: ignore[method-assign]
        _hook_installed = True


@contextlib.contextmanager
def forward_records(config: LogForwarding) -> Iterator[list[logging.LogRecord]]:
    """In a worker process: collect the records emitted in the block for the main process.

    The main process's logger levels apply meanwhile; records at or above
    ``config.threshold`` go into the yielded list (picklable copies carrying the
    job context) instead of to this process's handlers. The main process hands
    them to its handlers with :func:`replay_records`.

    Parameters
    ----------
    config : LogForwarding
        From :func:`log_forwarding` in the main process.
    """
    global _process_forwarder
    _install_forwarding_hook()
    saved: list[tuple[logging.Logger, int]] = []
    for name, level in config.levels:
        lg = logging.getLogger(name)
        if lg.level != level:
            saved.append((lg, lg.level))
            lg.setLevel(level)
    forwarder = _Forwarder(config.threshold)
    token = _FORWARDER.set(forwarder)
    previous = _process_forwarder
    if config.dedicated:
        _process_forwarder = forwarder
    try:
        yield forwarder.records
    finally:
        _FORWARDER.reset(token)
        if config.dedicated:
            _process_forwarder = previous
        for lg, level in reversed(saved):
            lg.setLevel(level)
