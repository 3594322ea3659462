"""The one record every encapsulation method returns: :class:`EncapsulationResult`."""

from __future__ import annotations

import traceback
from dataclasses import dataclass, field
from typing import Any

from mlr3py.encapsulation._log_entry import LogEntry

__all__ = ["TIMEOUT_MSG", "EncapsulationResult", "error_entry", "over_limit", "timeout_entry"]

TIMEOUT_MSG = "reached elapsed time limit"
"""The message of the error logged when a call runs past its timeout."""


@dataclass
class EncapsulationResult:
    """What running one stage (train or predict) under an encapsulation method gives.

    Attributes
    ----------
    result : object
        The called function's return value; ``None`` when it failed.
    log : list of LogEntry
        Conditions signalled meanwhile (stage, class, msg, condition), in order.
    elapsed : float
        Seconds the call took (measured where it ran; wall clock).
    failed : bool
        The call raised an error, timed out or its process died: ``result`` is void.
    """

    result: Any
    log: list[LogEntry] = field(default_factory=list)
    elapsed: float = 0.0
    failed: bool = False


def error_entry(stage: str, exc: BaseException) -> LogEntry:
    """The log entry of an error: its message (or type name when empty), type name and traceback."""
    msg = str(exc) or type(exc).__name__
    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    return LogEntry(stage, "error", msg, type(exc).__name__, traceback=text)


def timeout_entry(stage: str) -> LogEntry:
    """The log entry of a call that reached its elapsed time limit."""
    return LogEntry(stage, "error", TIMEOUT_MSG, "TimeoutError")


def over_limit(elapsed: float, timeout: float | None) -> bool:
    """Whether ``elapsed`` seconds exceed ``timeout`` (None or inf: never)."""
    return timeout is not None and elapsed > timeout
