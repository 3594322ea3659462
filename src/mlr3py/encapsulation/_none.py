"""Method ``"none"``: call directly; conditions propagate, no timeout is enforced."""

from __future__ import annotations

import time
from typing import Any

from mlr3py.encapsulation._record import EncapsulationResult

__all__ = ["run_none"]


def run_none(
    stage: str, obj: Any, attr: str, args: tuple[Any, ...], timeout: float | None = None
) -> EncapsulationResult:
    """Call ``obj.attr(*args)`` as is. Errors propagate with their original type.

    ``timeout`` is ignored: without encapsulation nothing would catch it (as in mlr3).
    """
    start = time.perf_counter()
    result = getattr(obj, attr)(*args)
    return EncapsulationResult(result, [], time.perf_counter() - start)
