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


@pytest.mark.parametrize("ids", [[10, 20, 30, 40], [40, 10, 30, 20]])
def test_copies_share_one_table(ids: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    built = []
    real = _state._sorted_unique
    monkeypatch.setattr(_state, "_sorted_unique", lambda a: built.append(1) or real(a))
    task = _task(ids)
    clones = [task.clone() for _ in range(5)]
    for clone in clones:  # a resample clones its task, and each job checks its rows
        clone.filter([20, 40])  # in the task's order
        assert clone.row_ids.tolist() == [i for i in ids if i in (20, 40)]
    with pytest.raises(InputError, match="Row ids not in Task 't': 5"):
        clones[0].filter([5])
    assert task.clone().fetch([30, 10]).row_ids.tolist() == [30, 10]
    # one table for the original's ids, shared by the clones (and the fetched view); one
    # for the ids of the clone that filtered again (without sharing: 7)
    assert len(built) == 2


def test_the_table_goes_with_the_row_ids() -> None:
    task = _task([40, 10, 30, 20])  # unsorted: a sorted copy is the table
    assert task.fetch([30, 10]).row_ids.tolist() == [30, 10]
    key = (id(task.row_ids), "sorted")
    assert _state._MEMBERSHIP[key].tolist() == [10, 20, 30, 40]
    task.filter([30, 10])  # new row ids: the old ones and their table are gone
    assert key not in _state._MEMBERSHIP


def test_contiguous_ids_use_a_mask_per_backend_size() -> None:
    task = _task([0, 1, 2, 3])
    task.filter([1, 3])
    assert task._state.unknown_rows(np.array([0, 1, 2, 3, 4, -1])).tolist() == [
        True, False, True, False, True, True]
