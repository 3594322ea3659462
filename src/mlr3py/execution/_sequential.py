"""The "sequential" engine: one item after the other in the calling thread."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mlr3py.execution._engine import EngineInfo, LogForwardingKind, register_engine
from mlr3py.execution._plans import PlanSpec, enter_worker, exit_worker
from mlr3py.execution._units import Progress, Unit

__all__ = ["SequentialEngine"]


class SequentialEngine:
    """One item after the other in the calling thread."""

    forwarding: LogForwardingKind = "none"

    def __init__(self, spec: PlanSpec) -> None:
        self.spec = spec

    def map(
        self, fn: Callable[[Any], Any], units: list[Unit], levels: tuple[PlanSpec, ...],
        progress: Progress,
    ) -> list[list[Any]]:
        """``fn`` over each unit's items, in order."""
        tokens = enter_worker(levels, parallel=False)
        try:
            out = []
            for unit in units:
                res = []
                for item in unit.items:
                    res.append(fn(item))
                    progress.update(1)
                out.append(res)
            return out
        finally:
            exit_worker(tokens)


register_engine(EngineInfo("sequential", SequentialEngine, settings=()))
