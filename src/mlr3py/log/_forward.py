"""Forwarding from worker processes: the records of a job travel back with its result.

In the main process, :func:`log_forwarding` describes its logging setup (the
explicitly set logger levels and the lowest level any handler takes) as a
:class:`LogForwarding`; in the worker, :func:`forward_records` applies those
levels while the job runs and collects the records for the main process instead
of handing them to the worker's handlers (a hook on ``Logger.callHandlers``,
installed once). The main process replays them with
:func:`~mlr3py.log.replay_records`.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import threading
from collections.abc import Iterator
from dataclasses import dataclass

from mlr3py.log._context import stamp_job_context
from mlr3py.log._records import Collector, portable_record

__all__ = ["LogForwarding", "forward_records", "log_forwarding"]

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
            if isinstance(handler, logging.NullHandler | Collector):
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
                stamp_job_context(record)
                forwarder.records.append(portable_record(record))
            # the worker's own handlers (e.g. inherited from the main process by fork)
            # are skipped: the main process emits the record; collectors of mlr3py
            # (encapsulation's capture of a learner's log) still get it
            logger_: logging.Logger | None = self
            while logger_ is not None:
                for handler in logger_.handlers:
                    if isinstance(handler, Collector) and record.levelno >= handler.level:
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
