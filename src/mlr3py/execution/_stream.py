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
does that, and each unit costs a submission, a result to collect and a switch in the
worker (on the tuning benchmark's batches of 60 jobs, 4 equal units per batch instead of
9 decreasing ones took the main process 0.13 s of CPU per run instead of 0.16 to 0.19 s).
A group its source marks as the last (:class:`Group`) gets the decreasing units.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from mlr3py.execution._chunking import TAIL_UNITS_PER_WORKER, UNITS_PER_WORKER
from mlr3py.execution._engine import engine_info, get_engine
from mlr3py.execution._map import (
    forwarding_call,
    map_outcomes,
    plan_level,
    replay_failure,
    unit_positions,
    unwrap,
)
from mlr3py.execution._plans import PlanSpec, default_workers, worker_depth
from mlr3py.execution._progress import grow_total, progress_bar
from mlr3py.execution._units import Progress, Unit

__all__ = [
    "Group", "ItemSource", "StreamingEngine", "UnitFeed", "as_group", "map_stream",
    "stream_workers",
]


@dataclass(frozen=True)
class Group:
    """A group of items that says whether it is the stream's last (as far as its source
    knows).

    Attributes
    ----------
    items : sequence
        The items.
    last : bool
        No group follows (or none before this one is done): it is split into the
        decreasing units of a single run, whose small last units keep every worker busy
        until it ends.
    """

    items: Sequence[Any]
    last: bool = False


class ItemSource(Protocol):
    """Where :func:`map_stream` gets its groups of items and sends their outcomes."""

    def more(self, busy: bool) -> Sequence[Any] | Group | None:
        """The next group of items (a sequence, or a :class:`Group`), or None: no group now.

        Parameters
        ----------
        busy : bool
            Earlier groups are still running (their outcomes have not all been given
            to :meth:`done`); None then means: ask again once one is done. When not
            busy, None ends the stream.

        Returns
        -------
        sequence, Group or None
        """
        ...

    def done(self, outcomes: list[Any]) -> None:
        """The outcomes of the oldest group not yet done, in item order (a
        :class:`~mlr3py.execution._deaths.WorkerDied` for an item lost with its worker).
        An exception raised here ends the stream: no more units are submitted, the
        running ones are waited for, and the exception propagates from :func:`map_stream`."""
        ...


@dataclass
class _Given:
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
        self.pending: deque[_Given] = deque()
        self.exhausted = False
        self._next_chunk = 0

    def more(self, busy: bool) -> list[Unit]:
        """The units of the source's next group (``[]``: none now; when not busy, the
        stream has ended)."""
        if self.exhausted:
            return []
        group = as_group(self.source.more(busy))
        if group is None:
            self.exhausted = not busy
            return []
        items = group.items
        tail = TAIL_UNITS_PER_WORKER if group.last else UNITS_PER_WORKER
        positions = unit_positions(self.spec, len(items), self.chunk_size, tail)
        chunks = list(range(self._next_chunk, self._next_chunk + len(positions)))
        self._next_chunk += len(positions)
        self.pending.append(_Given(items, chunks, positions))
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


def as_group(given: Sequence[Any] | Group | None) -> Group | None:
    """What a source's :meth:`ItemSource.more` gave, as a :class:`Group` (None: no items)."""
    if given is None:
        return None
    group = given if isinstance(given, Group) else Group(given)
    return group if len(group.items) else None


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
        while (group := as_group(source.more(False))) is not None:
            source.done(map_outcomes(fn, group.items, desc, chunk_size))
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


def stream_workers() -> int:
    """How many items a stream through the active plan level runs at once: 0 where its
    engine does not take units while it runs (sequential, threads, dask: the groups of
    a stream run one after the other)."""
    spec, _ = plan_level()
    if spec.is_sequential or not isinstance(get_engine(spec), StreamingEngine):
        return 0
    count = engine_info(spec.strategy).workers
    return count(spec) if count is not None else default_workers(spec)
