"""map_stream(): groups of items, the next one queued behind the running one."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from _helper_shared import Holder, Item, die_on_one, inspect

from mlr3py import plan
from mlr3py.execution._deaths import WorkerDied
from mlr3py.execution._map import map_outcomes
from mlr3py.execution._stream import map_stream


class Source:
    """Three groups of four items, each group sharing a holder of its own; records calls."""

    def __init__(self, n_groups: int = 3, eager: bool = True,
                 fail_done: int | None = None) -> None:
        self.groups = [[Item(Holder(np.full(3, float(g + 1))), i) for i in range(4)]
                       for g in range(n_groups)]
        self.eager = eager
        self.fail_done = fail_done
        self.given = 0
        self.events: list[tuple[str, Any]] = []
        self.outcomes: list[list[Any]] = []

    def more(self, busy: bool) -> list[Item] | None:
        if busy and not self.eager:
            self.events.append(("wait", busy))
            return None
        if self.given == len(self.groups):
            self.events.append(("end", busy))
            return None
        self.events.append(("group", busy))
        self.given += 1
        return self.groups[self.given - 1]

    def done(self, outcomes: list[Any]) -> None:
        self.events.append(("done", len(self.outcomes)))
        if self.fail_done == len(self.outcomes):
            raise RuntimeError(f"group {self.fail_done} rejected")
        self.outcomes.append(outcomes)


def _sums(outcomes: list[list[Any]]) -> list[list[float]]:
    return [[out if isinstance(out, WorkerDied) else out[1] for out in group]
            for group in outcomes]


WANT = [[3.0] * 4, [6.0] * 4, [9.0] * 4]


@pytest.mark.parametrize("strategy", ["sequential", "threads"])
def test_engines_without_streaming_run_the_groups_one_after_the_other(strategy: str) -> None:
    source = Source()
    with plan(strategy, workers=2) if strategy != "sequential" else plan("sequential"):
        map_stream(inspect, source)
    assert _sums(source.outcomes) == WANT
    assert ("group", True) not in source.events  # never asked while a group ran
    assert [e for e in source.events if e[0] == "done"] == [("done", 0), ("done", 1),
                                                             ("done", 2)]


@pytest.mark.subprocess
def test_process_workers_take_the_next_group_while_one_runs() -> None:
    source = Source()
    with plan("processes", workers=2):
        map_stream(inspect, source)
    assert _sums(source.outcomes) == WANT  # each group's own shared holder, in group order
    events = source.events
    # the second group was asked for, and given, while the first was running
    assert events.index(("group", True)) < events.index(("done", 0))
    assert events[-1] == ("end", False)
    pids = {out[0] for group in source.outcomes for out in group}
    assert len(pids) == 2  # the workers, not this process
    # the same outcomes as one map per group
    with plan("processes", workers=2):
        again = [map_outcomes(inspect, group) for group in Source().groups]
    assert _sums(again) == WANT


@pytest.mark.subprocess
def test_a_source_that_waits_is_asked_again_once_a_group_is_done() -> None:
    source = Source(eager=False)
    with plan("processes", workers=2):
        map_stream(inspect, source)
    assert _sums(source.outcomes) == WANT
    groups = [e for e in source.events if e[0] == "group"]
    assert groups == [("group", False)] * 3  # each one only once the one before was done
    assert ("wait", True) in source.events


@pytest.mark.subprocess
def test_an_error_of_the_source_ends_the_stream_and_the_workers_go_on() -> None:
    source = Source(fail_done=0)
    with plan("processes", workers=2):
        with pytest.raises(RuntimeError, match="group 0 rejected"):
            map_stream(inspect, source)
        assert source.outcomes == []  # no later group is given back after the error
        assert [out[1] for out in map_outcomes(inspect, Source().groups[1])] == [6.0] * 4


@pytest.mark.subprocess
def test_an_item_lost_with_its_worker_fails_alone() -> None:
    source = Source()
    with plan("processes", workers=2):
        map_stream(die_on_one, _Deadly(source))
    sums = source.outcomes
    assert isinstance(sums[1][1], WorkerDied)  # the second group's item 1 killed its worker
    assert [v for k, v in enumerate(sums[1]) if k != 1] == [6.0] * 3
    assert sums[0] == [3.0] * 4 and sums[2] == [9.0] * 4


class _Deadly:
    """The second group's items run die_on_one for real; the others get other indices."""

    def __init__(self, source: Source) -> None:
        self.source = source
        for g, group in enumerate(source.groups):
            if g != 1:
                for item in group:
                    item.i += 10  # die_on_one kills only on index 1

    def more(self, busy: bool) -> list[Item] | None:
        return self.source.more(busy)

    def done(self, outcomes: list[Any]) -> None:
        self.source.done(outcomes)


def test_a_group_is_split_into_two_equal_units_per_worker() -> None:
    from mlr3py import options, tweak
    from mlr3py.execution._progress import NullProgress
    from mlr3py.execution._stream import UnitFeed

    class Sixty:
        def more(self, busy: bool) -> list[int]:
            return list(range(60))

        def done(self, outcomes: list[Any]) -> None:
            pass

    assert options.exec_chunk_size is None  # the default: no earlier test leaks its own
    feed = UnitFeed(Sixty(), tweak("processes", workers=2), None, NullProgress())
    units = feed.more(busy=False)
    assert [len(u.items) for u in units] == [15] * 4
    assert sorted(i for u in units for i in u.items) == list(range(60))
    # a chunk size of the caller's is honoured; the next group's chunks are numbered on
    chained = UnitFeed(Sixty(), tweak("processes", workers=2), 25, NullProgress())
    assert [len(u.items) for u in chained.more(busy=False)] == [25, 25, 10]
    assert [u.chunk for u in chained.more(busy=True)] == [3, 4, 5]


def test_the_last_group_is_split_into_decreasing_units() -> None:
    from mlr3py import tweak
    from mlr3py.execution._chunking import auto_chunk_sizes
    from mlr3py.execution._progress import NullProgress
    from mlr3py.execution._stream import Group, UnitFeed

    class Last:
        def more(self, busy: bool) -> Group:
            return Group(list(range(60)), last=True)

        def done(self, outcomes: list[Any]) -> None:
            pass

    feed = UnitFeed(Last(), tweak("processes", workers=2), None, NullProgress())
    sizes = [len(u.items) for u in feed.more(busy=True)]
    assert sizes == auto_chunk_sizes(60, 2) and sizes[-1] < sizes[0]  # balances the end
