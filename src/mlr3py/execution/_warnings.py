"""Warnings raised in worker processes, sent back to the caller: :func:`record_warnings`.

Under ``"sequential"`` and ``"threads"`` a warning a job raises (a learner
without ``"evaluate"`` / ``"process"`` encapsulation, which would capture it
into the learner's log) goes through this process's warning filters and
handlers. In a worker process it would only reach the worker's stderr; so the
worker records every warning of the job (:func:`record_warnings`) and the caller
raises them again (:func:`replay_warnings`), in job order, where its own filters
decide what is shown, logged (:func:`logging.captureWarnings`) or turned into
errors.

:mod:`warnings` keeps its filters per process, not per thread: recording in a
worker that runs several jobs at once in threads (a dask worker with several
threads) would catch the other jobs' warnings too, so there warnings stay
with the worker.
"""

from __future__ import annotations

import contextlib
import sys
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

__all__ = ["WarningRecord", "record_warnings", "replay_warnings"]


@dataclass(frozen=True)
class WarningRecord:
    """A warning raised in a worker: what :func:`warnings.warn_explicit` needs to raise it again."""

    message: str
    category: type[Warning]
    filename: str
    lineno: int
    module: str | None


def _record(w: warnings.WarningMessage) -> WarningRecord:
    category = w.category if isinstance(w.category, type) else UserWarning
    module = None
    if w.filename:
        for name, mod in list(sys.modules.items()):
            if getattr(mod, "__file__", None) == w.filename:
                module = name
                break
    return WarningRecord(str(w.message), category, w.filename, w.lineno or 0, module)


@contextlib.contextmanager
def record_warnings(exclusive: bool) -> Iterator[list[WarningRecord]]:
    """Record the warnings raised in the block into the yielded list (when ``exclusive``).

    Parameters
    ----------
    exclusive : bool
        This process runs one job at a time; otherwise nothing is recorded (see the
        module docstring) and the list stays empty.
    """
    out: list[WarningRecord] = []
    if not exclusive:
        yield out
        return
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")  # the caller's filters decide when they are replayed
        try:
            yield out
        finally:
            out.extend(_record(w) for w in caught)


def replay_warnings(records: list[WarningRecord]) -> None:
    """Raise recorded warnings in this process, through its filters."""
    for rec in records:
        registry: dict[Any, Any] | None = None
        module = sys.modules.get(rec.module) if rec.module else None
        if module is not None:
            registry = module.__dict__.setdefault("__warningregistry__", {})
        warnings.warn_explicit(rec.message, rec.category, rec.filename, rec.lineno,
                               module=rec.module, registry=registry)
