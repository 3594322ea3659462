"""DeathAttribution: whom a worker's death is blamed on, from plain data (no cluster)."""

from __future__ import annotations

from mlr3py.execution._deaths import (
    MAX_START_FAILURES,
    DeathAttribution,
    Verdict,
    WorkerDied,
    apply_verdict,
)
from mlr3py.execution._units import Unit


class _Count:
    def __init__(self) -> None:
        self.n = 0

    def update(self, n: int = 1) -> None:
        self.n += n


def test_lost_at_blames_the_running_item_and_resubmits_the_others() -> None:
    verdict = DeathAttribution().lost_at(Unit(3, 2, ["a", "b", "c", "d"]), 1)
    assert verdict.failed == ((3, 3),) and verdict.running
    assert [(u.chunk, u.offset, u.items) for u in verdict.again] == [
        (3, 2, ["a"]), (3, 4, ["c", "d"])]


def test_lost_at_counts_attempts_when_nothing_ran_then_blames_all() -> None:
    attribution = DeathAttribution(max_attempts=2)
    unit = Unit(0, 0, ["a", "b"])
    assert attribution.lost_at(unit, -1) == Verdict(again=(unit,))
    verdict = attribution.lost_at(unit, -1)
    assert verdict.failed == ((0, 0), (0, 1)) and not verdict.again and not verdict.running


def test_lost_on_blames_the_one_unit_that_ran_alone_on_the_dead_worker() -> None:
    attribution = DeathAttribution()
    attribution.started(5, "w1", 1)
    attribution.started(6, "w2", 1)
    verdict = attribution.lost_on(Unit(0, 0, ["x"]), 5, "w1", pending={6, 7})
    assert verdict.failed == ((0, 0),) and verdict.running
    # a unit queued on the same worker is not blamed, and no attempt is counted
    queued = Unit(1, 0, ["y"])
    assert attribution.lost_on(queued, 7, "w1", pending={6}) == Verdict(again=(queued,))
    assert queued.attempts == 0


def test_lost_on_splits_a_unit_of_several_items_into_single_ones() -> None:
    attribution = DeathAttribution()
    attribution.started(0, "w", 9)
    verdict = attribution.lost_on(Unit(2, 4, ["a", "b", "c"]), 0, "w", pending=set())
    assert not verdict.failed
    assert [(u.chunk, u.offset, u.items) for u in verdict.again] == [
        (2, 4, ["a"]), (2, 5, ["b"]), (2, 6, ["c"])]


def test_lost_on_several_running_units_each_run_again_counting_an_attempt() -> None:
    attribution = DeathAttribution()
    attribution.started(0, "w", 1)
    attribution.started(1, "w", 2)
    first, second = Unit(0, 0, ["a"]), Unit(1, 0, ["b"])
    assert attribution.lost_on(first, 0, "w", pending={1}).again == (first,)
    assert attribution.lost_on(second, 1, "w", pending=set()).again == (second,)
    assert first.attempts == second.attempts == 1


def test_lost_on_a_worker_with_no_known_unit_counts_attempts_until_blamed() -> None:
    attribution = DeathAttribution()
    unit = Unit(0, 0, ["a"])
    for _ in range(MAX_START_FAILURES - 1):
        assert attribution.lost_on(unit, 0, "gone", pending=set()).again == (unit,)
    assert attribution.lost_on(unit, 0, "gone", pending=set()).failed == ((0, 0),)


def test_lost_on_fixes_the_running_units_at_the_first_loss() -> None:
    attribution = DeathAttribution()
    attribution.started(0, "w", 1)
    assert attribution.lost_on(Unit(0, 0, ["a"]), 0, "w", pending=set()).failed
    attribution.started(1, "w", 1)  # a later start on a restarted worker of the same id
    later = Unit(1, 0, ["b"])
    assert attribution.knows("w")
    assert attribution.lost_on(later, 1, "w", pending=set()) == Verdict(again=(later,))


def test_apply_verdict_records_deaths_and_counts_progress() -> None:
    died = WorkerDied(-9)
    results = {0: [None, None, None]}
    progress = _Count()
    again = apply_verdict(Verdict(failed=((0, 1),), again=(Unit(0, 2, ["c"]),), running=True),
                          died, results, progress)
    assert results[0] == [None, died, None] and progress.n == 1
    assert [(u.offset, u.items) for u in again] == [(2, ["c"])]
