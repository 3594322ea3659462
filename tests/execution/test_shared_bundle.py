"""The process plans pickle a run's shared objects once and send the same bytes to each worker."""

from __future__ import annotations

import numpy as np
from _helper_shared import Holder, Item

from mlr3py.execution._processes import ProcessRun
from mlr3py.execution._shared import collect
from mlr3py.execution._units import Unit


class _NoProgress:
    def update(self, n: int = 1) -> None:
        return None


def test_collect_finds_every_shared_object_once() -> None:
    a, b = Holder(np.array([1.0])), Holder(np.array([2.0]))
    objects: dict[int, object] = {}
    collect([Item(a, 0), Item(b, 1), Item(a, 2), 5], objects)
    assert objects == {id(a): a, id(b): b}


def test_the_bundle_is_pickled_once_and_later_objects_come_in_a_second_one() -> None:
    a, b = Holder(np.array([1.0])), Holder(np.array([2.0]))
    units = [Unit(0, 0, [Item(a, 0)]), Unit(1, 0, [Item(b, 1), Item(a, 2)])]
    run = ProcessRun(lambda x: x, units, (), _NoProgress(), [])
    try:
        run._bundle()
        run._bundle()  # nothing new: no second pickle
        assert len(run.bundles) == 1
        assert set(run.bundles[0].unpack()) == {id(a), id(b)}
        c = Holder(np.array([3.0]))
        run.extend([Unit(2, 0, [Item(c, 3), Item(a, 4)])])  # a later group of a stream
        run._bundle()
        assert len(run.bundles) == 2
        assert set(run.bundles[1].unpack()) == {id(c)}  # only what is new
    finally:
        run.files.close()
