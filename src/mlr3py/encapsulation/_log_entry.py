"""The record of one condition signalled while a function ran under encapsulation."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["LogEntry"]


@dataclass(frozen=True)
class LogEntry:
    """One condition signalled while a learner trained or predicted.

    Attributes
    ----------
    stage : str
        ``"train"`` or ``"predict"``.
    cls : str
        The condition's class: ``"output"``, ``"message"``, ``"warning"`` or ``"error"``.
    msg : str
        The condition's message.
    condition : str
        The type name of the condition, e.g. ``"LearnerTrainError"``,
        ``"UserWarning"``, ``"TimeoutError"``; empty for output and messages.
    traceback : str
        The formatted traceback of an error (empty for other conditions and
        where none was available). Not part of equality.
    """

    stage: str
    cls: str
    msg: str
    condition: str = ""
    traceback: str = field(default="", compare=False, repr=False)
