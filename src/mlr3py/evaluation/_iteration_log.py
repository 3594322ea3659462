"""The conditions the iterations of a resample logged: warnings and errors per iteration.

A :class:`~mlr3py.evaluation.JobResult` keeps its learner's log entries (``LogEntry``
records, or mappings where a result was read back from elsewhere). These functions
give :class:`~mlr3py.evaluation.ResampleResult` its ``warnings`` / ``errors`` tables,
its per-iteration lists (``score(conditions=True)``) and the counts it prints.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from mlr3py.evaluation._job import JobResult

__all__ = ["condition_counts", "entry_field", "log_table", "messages"]


def entry_field(entry: Any, name: str) -> Any:
    """Read ``cls`` / ``msg`` from a LogEntry-like object or a mapping."""
    if isinstance(entry, dict):
        return entry.get(name, entry.get("class") if name == "cls" else None)
    value = getattr(entry, name, None)
    if value is None and name == "cls":
        value = getattr(entry, "class_", None)
    return value


def messages(result: JobResult, cls: str) -> list[str]:
    """The messages of class ``cls`` ("warning" / "error") an iteration logged."""
    return [str(entry_field(e, "msg")) for e in result.log if entry_field(e, "cls") == cls]


def log_table(results: Sequence[JobResult], cls: str) -> pd.DataFrame:
    """The messages of class ``cls`` of all ``results``: columns iteration, msg."""
    rows = [(r.iteration, msg) for r in results for msg in messages(r, cls)]
    return pd.DataFrame(
        {
            "iteration": pd.Series([row[0] for row in rows], dtype="int64"),
            "msg": pd.Series([row[1] for row in rows], dtype="object"),
        }
    )


def condition_counts(results: Sequence[JobResult]) -> tuple[list[int], list[int]]:
    """The number of warnings and of errors each of ``results`` logged (two lists in
    the order of ``results``), counted without building the tables."""
    warnings = [0] * len(results)
    errors = [0] * len(results)
    for i, result in enumerate(results):
        for entry in result.log:
            cls = entry_field(entry, "cls")
            if cls == "warning":
                warnings[i] += 1
            elif cls == "error":
                errors[i] += 1
    return warnings, errors
