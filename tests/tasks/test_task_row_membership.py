"""Which row ids a task holds is looked up in a table built once per row-id array."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mlr3py.data import as_data_backend
from mlr3py.errors import InputError
from mlr3py.tasks import TaskClassif, _state


def _task(ids: list[int]) -> TaskClassif:
    frame = pd.DataFrame({"row": ids, "x": np.arange(len(ids), dtype=float),
                          "y": pd.Categorical(["a", "b"] * (len(ids) // 2))})
    return TaskClassif("t", as_data_backend(frame, primary_key="row"), target="y")


@pytest.mark.parametrize("ids", [[10, 200, 3000, 40000], [40000, 10, 3000, 200]])
def test_copies_share_one_table(ids: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    built = []
    real = _state._sorted_unique
    monkeypatch.setattr(_state, "_sorted_unique", lambda a: built.append(1) or real(a))
    task = _task(ids)
    clones = [task.clone() for _ in range(5)]
    for clone in clones:  # a resample clones its task, and each job checks its rows
        clone.filter([200, 40000])  # in the task's order
        assert clone.row_ids.tolist() == [i for i in ids if i in (200, 40000)]
    with pytest.raises(InputError, match="Row ids not in Task 't': 5"):
        clones[0].filter([5])
    assert task.clone().fetch([3000, 10]).row_ids.tolist() == [3000, 10]
    # one table for the original's ids, shared by the clones (and the fetched view); one
    # for the ids of the clone that filtered again (without sharing: 7)
    assert len(built) == 2


def test_the_table_goes_with_the_row_ids() -> None:
    task = _task([40000, 10, 3000, 200])  # unsorted and sparse: a sorted copy is the table
    assert task.fetch([3000, 10]).row_ids.tolist() == [3000, 10]
    key = (id(task.row_ids), "sorted")
    assert _state._MEMBERSHIP[key].tolist() == [10, 200, 3000, 40000]
    task.filter([3000, 10])  # new row ids: the old ones and their table are gone
    assert key not in _state._MEMBERSHIP


def test_contiguous_ids_use_a_mask_per_backend_size() -> None:
    task = _task([0, 1, 2, 3])
    task.filter([1, 3])
    assert task._state.unknown_rows(np.array([0, 1, 2, 3, 4, -1])).tolist() == [
        True, False, True, False, True, True]


@pytest.mark.parametrize("ids", [[10, 12, 14, 16], [16, 10, 14, 12]])
def test_dense_ids_use_a_mask_over_their_range(ids: list[int],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    # keys that are most of their range (every second number): a mask over the range,
    # no sorted copy and no binary search
    monkeypatch.setattr(_state, "_sorted_unique", lambda a: pytest.fail("searched"))
    task = _task(ids)
    probe = np.array([9, 10, 11, 12, 16, 17, -3, 10**12])
    assert task._state.unknown_rows(probe).tolist() == [
        True, False, True, False, False, True, True, True]
    key = (id(task.row_ids), ("range mask", 10, 7))
    assert _state._MEMBERSHIP[key].tolist() == [True, False, True, False, True, False, True]
    task.filter([14, 10])
    assert task._state.unknown_rows(probe).tolist() == [
        True, False, True, True, True, True, True, True]
    with pytest.raises(InputError, match="Row ids not in Task 't': 12"):
        task.filter([12])
