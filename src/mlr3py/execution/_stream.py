"""Groups of items through the active plan, the next queued behind the running: :func:`map_stream`.

A caller that maps one group of items after another (a tuner evaluating batch after
batch) leaves the workers idle between two maps: while the main process builds the
next group, and while it digests the last one. When the caller knows its next group
before the current one is done (a random search's next batch does not depend on the
scores of this one), :func:`map_stream` asks its :class:`ItemSource` for that group
as soon as the running group's last unit is handed out: an engine that takes units
while it runs (:class:`StreamingEngine`, the process plans) queues the next group's
units behind the running ones, and each group's outcomes go back to the source, in
group order, as soon as all of its items are done, while the workers run the next.
Other engines (sequential, threads, dask) run the groups one after the other, as a
loop of :func:`~mlr3py.execution._map.map_outcomes` calls would, with the same
outcomes.

With no chunk size set, a group is split into :data:`~mlr3py.execution._chunking.UNITS_PER_WORKER`
equal units per worker, not into the decreasing units of a single run: their small
last units keep the workers busy until a run ends, but in a stream the next group
does that, and each unit costs a submission and a switch in the worker (on the
tuning benchmark's batches of 60 jobs, 4 equal units per batch made the 2-worker run
about 5% faster than the 9 decreasing ones); only the stream's last group ends
less balanced.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from mlr3py.execution._chunking import UNITS_PER_WORKER
from mlr3py.execution._engine import get_engine
from mlr3py.execution._map import (
    forwarding_call,
    map_outcomes,
    plan_level,
    replay_failure,
    unit_positions,
    unwrap,
)
from mlr3py.execution._plans import PlanSpec, worker_depth
from mlr3py.execution._progress import grow_total, progress_bar
from mlr3py.execution._units import Progress, Unit

__all__ = ["ItemSource", "StreamingEngine", "UnitFeed", "map_stream"]


class ItemSource(Protocol):
    """Where :func:`map_stream` gets its groups of items and sends their outcomes."""

    def more(self, busy: bool) -> Sequence[Any] | None:
        """The next group of items, or None: no group now.

        Parameters
        ----------
        busy : bool
            Earlier groups are still running (their outcomes have not all been given
            to :meth:`done`); None then means: ask again once one is done. When not
            busy, None ends the stream.

        Returns
        -------
        sequence or None
        """
        ...

    def done(self, outcomes: list[Any]) -> None:
        """The outcomes of the oldest group not yet done, in item order (a
        :class:`~mlr3py.execution._deaths.WorkerDied` for an item lost with its worker).
        An exception raised here ends the stream: no more units are submitted, the
        running ones are waited for, and the exception propagates from :func:`map_stream`."""
        ...


@dataclass
class _Group:
    """A group handed to the engine and not yet given back."""

    items: Sequence[Any]
    chunks: list[int]
    positions: list[list[int]]


class UnitFeed:
    """An :class:`ItemSource` as a streaming engine sees it: units in, outcomes per chunk out.

    Parameters
    ----------
    source : ItemSource
    spec : PlanSpec
        The plan level the engine runs (it sizes the units).
    chunk_size : int or None
        Items per unit, as for :func:`~mlr3py.execution._map.map_outcomes`.
    progress : Progress
        Its total grows by each group's items.
    """

    def __init__(self, source: ItemSource, spec: PlanSpec, chunk_size: int | None,
                 progress: Progress) -> None:
        self.source = source
        self.spec = spec
        self.chunk_size = chunk_size
        self.progress = progress
        self.pending: deque[_Group] = deque()
        self.exhausted = False
        self._next_chunk = 0

    def more(self, busy: bool) -> list[Unit]:
        """The units of the source's next group (``[]``: none now; when not busy, the
        stream has ended)."""
        if self.exhausted:
            return []
        items = self.source.more(busy)
        if not items:
            self.exhausted = not busy
            return []
        positions = unit_positions(self.spec, len(items), self.chunk_size, UNITS_PER_WORKER)
        chunks = list(range(self._next_chunk, self._next_chunk + len(positions)))
        self._next_chunk += len(positions)
        self.pending.append(_Group(items, chunks, positions))
        grow_total(self.progress, len(items))
        return [Unit(c, 0, [items[p] for p in pos])
                for c, pos in zip(chunks, positions, strict=True)]

    def oldest(self) -> list[int] | None:
        """The chunks of the oldest group not yet given back (None: none is pending)."""
        return self.pending[0].chunks if self.pending else None

    def deliver(self, outcomes: Mapping[int, list[Any]]) -> None:
        """Give the oldest group's outcomes (per chunk, in chunk order) back to the source."""
        group = self.pending.popleft()
        results: list[Any] = [None] * len(group.items)
        for chunk, positions in zip(group.chunks, group.positions, strict=True):
            for p, out in zip(positions, outcomes[chunk], strict=True):
                results[p] = out
        self.source.done(unwrap(group.items, results))


@runtime_checkable
class StreamingEngine(Protocol):
    """An engine that takes units while it runs."""

    def stream(self, fn: Callable[[Any], Any], feed: UnitFeed, levels: tuple[PlanSpec, ...],
               progress: Progress) -> None:
        """Run the feed's units until it has ended and every group was given back."""
        ...


def map_stream(fn: Callable[[Any], Any], source: ItemSource, desc: str = "items",
               chunk_size: int | None = None) -> None:
    """Run ``fn`` over the groups of items ``source`` gives, through the active plan.

    Parameters
    ----------
    fn : callable
        Importable by reference (worker processes receive it pickled).
    source : ItemSource
        Gives the groups (:meth:`ItemSource.more`) and receives each group's outcomes
        in group order (:meth:`ItemSource.done`), as
        :func:`~mlr3py.execution._map.map_outcomes` would return them.
    desc : str
        Label of the progress bar.
    chunk_size : int, optional
        Items per submitted unit (see :func:`~mlr3py.execution._map.map_outcomes`).
    """
    spec, inner = plan_level()
    engine = None if spec.is_sequential else get_engine(spec)
    if not isinstance(engine, StreamingEngine):
        while items := source.more(False):
            source.done(map_outcomes(fn, items, desc, chunk_size))
        return
    bar = progress_bar(None, worker_depth(), desc)
    try:
        engine.stream(forwarding_call(engine, fn), UnitFeed(source, spec, chunk_size, bar),
                      inner, bar)
    except BaseException as exc:
        replay_failure(exc)
        raise
    finally:
        bar.close()
