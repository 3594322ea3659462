"""Plan levels: :class:`PlanSpec` and which levels are active where.

The levels that :func:`~mlr3py.execution._plans.plan` sets, and inside a job the
levels after the one that runs it (:func:`enter_worker`). Kept apart from the plans'
validation, which asks the engine registry (:mod:`mlr3py.execution._engine`, whose
engines run units of :mod:`mlr3py.execution._units` on these levels).
"""

from __future__ import annotations

import contextvars
from dataclasses import dataclass, field
from typing import Any

from mlr3py.execution._threads import available_cores

__all__ = [
    "SEQUENTIAL",
    "PlanSpec",
    "current_levels",
    "current_plan",
    "default_workers",
    "enter_worker",
    "exit_worker",
    "in_parallel_worker",
    "set_levels",
    "worker_depth",
]


@dataclass(frozen=True)
class PlanSpec:
    """One plan level: a strategy and its settings (see :func:`tweak`).

    Attributes
    ----------
    strategy : str
        Canonical strategy name: sequential, threads, processes, multicore or dask.
    workers : int or None
        Number of workers; None: :func:`~mlr3py.available_cores` at the top level,
        1 inside a worker (for dask with a client or address: the cluster's threads).
    client : object or None
        A ``dask.distributed.Client`` (dask only).
    address : str or None
        A dask scheduler address such as ``"tcp://127.0.0.1:8786"`` (dask only).
    """

    strategy: str
    workers: int | None = None
    client: Any = field(default=None, compare=False)
    address: str | None = None

    def __repr__(self) -> str:
        parts = [repr(self.strategy)]
        if self.workers is not None:
            parts.append(f"workers={self.workers}")
        if self.address is not None:
            parts.append(f"address={self.address!r}")
        if self.client is not None:
            parts.append("client=<Client>")
        return f"tweak({', '.join(parts)})"

    def __reduce__(self) -> tuple[Any, ...]:
        # a dask Client does not travel to workers; an address does
        address = self.address
        if address is None and self.client is not None:
            address = getattr(getattr(self.client, "scheduler", None), "address", None)
        return (PlanSpec, (self.strategy, self.workers, None, address))

    @property
    def is_sequential(self) -> bool:
        """Whether this level runs jobs one after the other in the calling thread."""
        return self.strategy == "sequential"


SEQUENTIAL = PlanSpec("sequential")


_global_levels: tuple[PlanSpec, ...] = (SEQUENTIAL,)
_worker_levels: contextvars.ContextVar[tuple[PlanSpec, ...] | None] = contextvars.ContextVar(
    "mlr3py_worker_levels", default=None
)
_depth: contextvars.ContextVar[int] = contextvars.ContextVar("mlr3py_worker_depth", default=0)
_parallel: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "mlr3py_parallel_worker", default=False
)


def current_levels() -> tuple[PlanSpec, ...]:
    """The active plan levels, outermost first (inside a worker: the remaining levels)."""
    levels = _worker_levels.get()
    if levels is None:
        levels = _global_levels
    return levels or (SEQUENTIAL,)


def current_plan() -> PlanSpec:
    """The level that runs jobs started here."""
    return current_levels()[0]


def worker_depth() -> int:
    """0 in the main program, 1 inside a job of the outer level, and so on."""
    return _depth.get()


def in_parallel_worker() -> bool:
    """Whether the code runs inside a job of a parallel level (thread, process, dask)."""
    return _parallel.get()


def default_workers(spec: PlanSpec) -> int:
    """``spec.workers``, or :func:`available_cores` at the top level and 1 inside workers."""
    if spec.workers is not None:
        return spec.workers
    return 1 if in_parallel_worker() else available_cores()


def enter_worker(levels: tuple[PlanSpec, ...], parallel: bool) -> tuple[Any, ...]:
    """Inside a job: make ``levels`` (the next ones) active; returns tokens for exit.

    ``parallel`` says whether the job runs on a parallel level; there, inner
    levels without explicit ``workers`` use one worker.
    """
    return (
        _worker_levels.set(tuple(levels)),
        _depth.set(_depth.get() + 1),
        _parallel.set(_parallel.get() or parallel),
    )


def exit_worker(tokens: tuple[Any, ...]) -> None:
    """Undo :func:`enter_worker`."""
    _worker_levels.reset(tokens[0])
    _depth.reset(tokens[1])
    _parallel.reset(tokens[2])


def set_levels(levels: tuple[PlanSpec, ...]) -> None:
    """Make ``levels`` active: inside a job for the rest of it, else for the program."""
    global _global_levels
    if _worker_levels.get() is not None:
        _worker_levels.set(levels)
    else:
        _global_levels = levels
