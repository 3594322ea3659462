"""The "threads" engine: a thread pool; each thread draws from random streams of its own."""

from __future__ import annotations

import concurrent.futures
import contextlib
from collections.abc import Callable, Iterator
from typing import Any

from mlr3py.execution._engine import EngineInfo, LogForwardingKind, register_engine
from mlr3py.execution._items import item_threads
from mlr3py.execution._plans import PlanSpec, default_workers
from mlr3py.execution._units import Progress, Unit, run_chunk

__all__ = ["ThreadsEngine"]


class ThreadsEngine:
    """A thread pool of the plan's workers; BLAS threads limited to what the items ask for."""

    forwarding: LogForwardingKind = "none"

    def __init__(self, spec: PlanSpec) -> None:
        self.spec = spec

    def map(
        self, fn: Callable[[Any], Any], units: list[Unit], levels: tuple[PlanSpec, ...],
        progress: Progress,
    ) -> list[list[Any]]:
        """``fn`` over each unit's items; a unit per pool task."""
        n = min(default_workers(self.spec), len(units)) or 1
        wanted = max((item_threads(i) for u in units for i in u.items), default=1)
        results: list[list[Any] | None] = [None] * len(units)
        with _thread_limit(wanted), concurrent.futures.ThreadPoolExecutor(
            max_workers=n, thread_name_prefix="mlr3py"
        ) as pool:
            futures = {
                pool.submit(run_chunk, fn, unit.items, levels): k for k, unit in enumerate(units)
            }
            try:
                for fut in concurrent.futures.as_completed(futures):
                    results[futures[fut]] = fut.result()
                    progress.update(len(units[futures[fut]].items))
            except BaseException:
                for fut in futures:
                    fut.cancel()
                raise
        return [r if r is not None else [] for r in results]


@contextlib.contextmanager
def _thread_limit(n: int) -> Iterator[None]:
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover
        yield
        return
    with threadpool_limits(limits=max(1, n)):
        yield


register_engine(EngineInfo("threads", ThreadsEngine))
