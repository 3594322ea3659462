"""Method ``"evaluate"``: errors, warnings, messages, output and log records are captured.

Everything the call signals in Python becomes an entry of the learner's log, and
the program carries on. Limits (see :mod:`._capture` and :mod:`._timeout`):
writes by compiled code straight to file descriptors 1 and 2 are not captured,
a time limit cannot interrupt compiled code, and a crash of the interpreter
(segmentation fault, abort) ends the program: use ``"process"`` for those.
"""

from __future__ import annotations

from typing import Any

from mlr3py.encapsulation._capture import capture_output, entries_from_capture
from mlr3py.encapsulation._record import EncapsulationResult
from mlr3py.encapsulation._try import call_guarded

__all__ = ["run_evaluate"]


def run_evaluate(
    stage: str, obj: Any, attr: str, args: tuple[Any, ...], timeout: float | None = None
) -> EncapsulationResult:
    """Call ``obj.attr(*args)`` capturing every condition into the log."""
    with capture_output() as cap:
        out = call_guarded(stage, obj, attr, args, timeout)
    conditions = entries_from_capture(stage, cap)
    out.log = [*conditions, *out.log]
    return out
