"""Capturing what a call signals in this process: output, warnings, log records.

Used by the ``"evaluate"`` method. The capture is per thread, so jobs running in
threads side by side each get their own conditions:

- ``sys.stdout`` / ``sys.stderr`` are replaced, while any capture is active, by
  proxies that send the writes of a capturing thread to its buffers and all
  other writes to the original streams. Writes at the C level (to file
  descriptors 1 and 2, e.g. from compiled extensions) bypass ``sys.stdout`` and
  are not captured in-process; the ``"process"`` method captures those too.
- Warnings are routed by a hook on :mod:`warnings`' display function; while any
  capture is active an ``"always"`` filter makes every warning show (otherwise a
  warning repeated at the same place in a later iteration would be swallowed).
- Log records reaching the root logger from the capturing thread are collected;
  those of loggers outside ``mlr3py`` become log entries.
"""

from __future__ import annotations

import contextlib
import io
import logging
import sys
import threading
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, TextIO, cast

from mlr3py.encapsulation._log_entry import LogEntry
from mlr3py.log import capture_records

__all__ = ["Captured", "capture_output", "entries_from_records", "entries_from_text"]

_lock = threading.Lock()
_local = threading.local()
_active = 0
_saved: dict[str, Any] = {}
_ALWAYS = ("always", None, Warning, None, 0)


@dataclass
class Captured:
    """What one capture collected."""

    stdout: io.StringIO = field(default_factory=io.StringIO)
    stderr: io.StringIO = field(default_factory=io.StringIO)
    warnings: list[warnings.WarningMessage] = field(default_factory=list)
    records: list[logging.LogRecord] = field(default_factory=list)


class _Route(io.TextIOBase):
    """A stand-in for sys.stdout / sys.stderr that routes capturing threads' writes."""

    def __init__(self, original: TextIO, which: str) -> None:
        self._original = original
        self._which = which

    def _target(self) -> Any:
        cap = getattr(_local, "captured", None)
        return getattr(cap, self._which) if cap is not None else self._original

    def write(self, s: str) -> int:
        return self._target().write(s)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        with contextlib.suppress(Exception):
            self._target().flush()

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        return self._original.fileno()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._original, name)


def _route_warning(msg: warnings.WarningMessage) -> None:
    cap = getattr(_local, "captured", None)
    if cap is not None:
        cap.warnings.append(msg)
        return
    show = _saved.get("showwarnmsg")
    if show is None or show is _route_warning:
        show = warnings._showwarnmsg_impl  # type: ignore[attr-defined]
    show(msg)


def _install() -> None:
    global _active
    with _lock:
        _active += 1
        if _active > 1:
            return
        for which in ("stdout", "stderr"):
            stream = getattr(sys, which)
            if not isinstance(stream, _Route):
                _saved[which] = stream
                setattr(sys, which, _Route(stream, which))
        _saved["showwarnmsg"] = warnings._showwarnmsg  # type: ignore[attr-defined]
        warnings._showwarnmsg = _route_warning  # type: ignore[attr-defined]
        cast("list[Any]", warnings.filters).insert(0, _ALWAYS)
        warnings._filters_mutated()  # type: ignore[attr-defined]


def _uninstall() -> None:
    global _active
    with _lock:
        _active -= 1
        if _active > 0:
            return
        for which in ("stdout", "stderr"):
            stream = getattr(sys, which)
            if isinstance(stream, _Route) and which in _saved:
                setattr(sys, which, _saved.pop(which))
        if warnings._showwarnmsg is _route_warning:  # type: ignore[attr-defined]
            warnings._showwarnmsg = _saved.pop("showwarnmsg")  # type: ignore[attr-defined]
        with contextlib.suppress(ValueError):
            cast("list[Any]", warnings.filters).remove(_ALWAYS)
        warnings._filters_mutated()  # type: ignore[attr-defined]


@contextlib.contextmanager
def capture_output() -> Iterator[Captured]:
    """Capture the calling thread's output, warnings and log records in the block."""
    outer = getattr(_local, "captured", None)
    cap = Captured()
    _install()
    _local.captured = cap
    try:
        with capture_records("", this_thread_only=True) as records:
            yield cap
    finally:
        _local.captured = outer
        _uninstall()
        cap.records = list(records)


def entries_from_text(stage: str, text: str, cls: str) -> list[LogEntry]:
    """One entry per non-empty line of ``text`` (class ``"output"`` or ``"message"``)."""
    return [LogEntry(stage, cls, line) for line in text.splitlines() if line.strip()]


def entries_from_warnings(stage: str, caught: list[Any]) -> list[LogEntry]:
    """Entries of class ``"warning"`` from :class:`warnings.WarningMessage` objects."""
    return [LogEntry(stage, "warning", str(w.message), w.category.__name__) for w in caught]


def entries_from_records(stage: str, records: list[logging.LogRecord]) -> list[LogEntry]:
    """Entries from records of loggers outside ``mlr3py``: WARNING and up are warnings."""
    out = []
    for record in records:
        if record.name == "mlr3py" or record.name.startswith("mlr3py."):
            continue
        cls = "warning" if record.levelno >= logging.WARNING else "message"
        out.append(LogEntry(stage, cls, record.getMessage(), f"logging.{record.levelname}"))
    return out


def entries_from_capture(stage: str, cap: Captured) -> list[LogEntry]:
    """All entries of a capture: output, messages (stderr), warnings, log records."""
    return [
        *entries_from_text(stage, cap.stdout.getvalue(), "output"),
        *entries_from_text(stage, cap.stderr.getvalue(), "message"),
        *entries_from_warnings(stage, cap.warnings),
        *entries_from_records(stage, cap.records),
    ]
