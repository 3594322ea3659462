"""Units of work and how a worker runs one: :class:`Unit`, :class:`Marker`, :func:`run_chunk`.

A run's items are split into chunks (:mod:`mlr3py.execution._chunking`); each
chunk is submitted as a :class:`Unit`. A worker runs a unit with
:func:`run_chunk`, telling a :class:`Marker` which item it is about to run, so
that the parent can say which item a worker was running when it died. The
running item may also say which phase it is in (:func:`note_phase`, e.g.
``"predict"``), so that a death is recorded with the phase it happened in.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from mlr3py._rng import local_streams
from mlr3py.execution._items import item_threads
from mlr3py.execution._levels import PlanSpec, enter_worker, exit_worker
from mlr3py.execution._threads import limit_worker_threads, threads_for

__all__ = ["Marker", "Progress", "Unit", "note_phase", "run_chunk"]


@dataclass
class Unit:
    """A chunk of items submitted together.

    Attributes
    ----------
    chunk : int
        Index of the chunk the items belong to.
    offset : int
        Position of the first item inside the chunk (units are split after a crash).
    items : list
        The items.
    attempts : int
        How often the unit was lost before any of its items started.
    """

    chunk: int
    offset: int
    items: list[Any]
    attempts: int = 0


class Progress(Protocol):
    """What engines report finished items to (a progress bar)."""

    def update(self, n: int = 1) -> Any: ...


class Marker(Protocol):
    """Where a worker notes the item it is about to run; a context manager around a unit."""

    def __enter__(self) -> Any: ...

    def __exit__(self, *exc: object) -> Any: ...

    def __call__(self, index: int) -> None: ...


_current = threading.local()


def note_phase(phase: str) -> None:
    """Tell the marker of the running item which phase it has reached (e.g. ``"predict"``).

    A worker that dies afterwards is reported with this phase
    (:attr:`~mlr3py.execution._deaths.WorkerDied.phase`). A no-op outside a
    worker, or with a marker that does not keep phases.
    """
    marker = getattr(_current, "marker", None)
    phase_of = getattr(marker, "phase", None)
    if phase_of is not None:
        phase_of(phase)


def _streams() -> contextlib.AbstractContextManager[None]:
    """The thread's own random streams (:func:`~mlr3py._rng.local_streams`) where items run
    in threads of a process that others share (the threads plan, dask's worker threads).

    A process plan's worker runs one item at a time in its main thread: the global
    streams, which every job seeds, are its own, as in the sequential run; new local
    streams would cost two generators per unit and a second seeding per job.
    """
    if threading.current_thread() is threading.main_thread():
        return contextlib.nullcontext()
    return local_streams()


def run_chunk(
    fn: Callable[[Any], Any],
    items: Sequence[Any],
    levels: tuple[PlanSpec, ...],
    marker: Marker | None = None,
    worker_process: bool = False,
) -> list[Any]:
    """Run ``fn`` over ``items`` inside a worker; the next plan levels are active meanwhile.

    Parameters
    ----------
    fn : callable
        The function, importable by reference.
    items : sequence
        The unit's items.
    levels : tuple of PlanSpec
        The plan levels for code running inside ``fn`` (nested resampling).
    marker : Marker, optional
        Told the index of each item before it runs, and ``len(items)`` after the
        last one, so that the parent knows which item a worker was running when it
        died (the process plans' file marker, or the dask plan's queue marker).
    worker_process : bool
        Running in a worker process: limit BLAS/OpenMP threads to one, except for
        items that ask for more (:class:`~mlr3py.execution._items.WantsThreads`).

    Returns
    -------
    list
        ``fn(item)`` for each item.
    """
    if worker_process:
        limit_worker_threads()
    tokens = enter_worker(levels, parallel=True)
    previous = getattr(_current, "marker", None)
    _current.marker = marker
    try:
        out = []
        with _streams(), marker if marker is not None else contextlib.nullcontext():
            for i, item in enumerate(items):
                if marker is not None:
                    marker(i)
                if worker_process:
                    with threads_for(item_threads(item)):
                        out.append(fn(item))
                else:
                    out.append(fn(item))
            if marker is not None:
                marker(len(items))  # all done: a death from now on loses only results
        return out
    finally:
        _current.marker = previous
        exit_worker(tokens)
