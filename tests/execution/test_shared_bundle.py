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


def test_the_bundle_is_pickled_once_and_grows_with_new_objects() -> None:
    a, b = Holder(np.array([1.0])), Holder(np.array([2.0]))
    units = [Unit(0, 0, [Item(a, 0)]), Unit(1, 0, [Item(b, 1)])]
    run = ProcessRun(lambda x: x, units, (), _NoProgress(), [])
    try:
        first = run._bundle()
        assert run._bundle() is first  # the same bytes for the next worker
        assert set(first.unpack()) == {id(a), id(b)}
        c = Holder(np.array([3.0]))
        run.objects[id(c)] = c  # an object met later (a unit split after a death)
        assert set(run._bundle().unpack()) == {id(a), id(b), id(c)}
    finally:
        run.files.close()
