"""``Resampling.test_size()`` and ``test_slice()``: a test set counted and read in parts."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

import mlr3py
from mlr3py.errors import ConfigError
from mlr3py.resamplings import _counts


def _task(n: int, row_ids: np.ndarray | None = None) -> mlr3py.TaskRegr:
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"x": rng.random(n), "y": rng.random(n)})
    task = mlr3py.as_task_regr(frame, target="y")
    if row_ids is not None:
        task.filter(row_ids)
    return task


@pytest.mark.parametrize(
    "resampling",
    [mlr3py.rsmp("subsampling", ratio=0.3, repeats=2), mlr3py.rsmp("holdout", ratio=0.6),
     mlr3py.rsmp("bootstrap", repeats=2), mlr3py.rsmp("cv", folds=3),
     mlr3py.rsmp("repeated_cv", folds=2, repeats=2), mlr3py.rsmp("loo")],
    ids=lambda r: r.id,
)
def test_parts_are_the_sorted_test_set(resampling: mlr3py.Resampling) -> None:
    # row ids out of order: the parts are still those of the test set sorted
    task = _task(60, row_ids=np.random.default_rng(3).permutation(60)[:45])
    resampling.instantiate(task, seed=2)
    for i in range(resampling.iters):
        test = np.sort(resampling.test_set(i))
        assert resampling.test_size(i) == len(test)
        cuts = [0, len(test) // 4, len(test) // 2, len(test)]
        parts = [resampling.test_slice(i, a, b) for a, b in itertools.pairwise(cuts)]
        assert np.array_equal(np.concatenate(parts), test)
        assert all(p.dtype == np.int64 for p in parts)


def test_counting_strategies_build_only_the_part(monkeypatch: pytest.MonkeyPatch) -> None:
    # on ascending row ids, subsampling neither builds its test set to count it nor to cut
    # a part out of it: the blocks it counts in are small here, so the part spans several
    task = _task(5_000)
    resampling = mlr3py.rsmp("subsampling", ratio=0.1, repeats=2).instantiate(task, seed=1)
    expected = [resampling.test_set(i) for i in range(2)]
    monkeypatch.setattr(_counts, "_BLOCK", 64)
    monkeypatch.setattr(_counts.CountInstance, "test", _refused)
    for i in range(2):
        assert resampling.test_size(i) == len(expected[i]) == 4_500
        for a, b in [(0, 4_500), (1_000, 1_001), (4_499, 4_500), (130, 3_000), (10, 10)]:
            assert np.array_equal(resampling.test_slice(i, a, b), expected[i][a:b])


def test_grouped_tasks_count_rows_not_groups() -> None:
    frame = pd.DataFrame({"x": np.arange(40.0), "y": np.arange(40.0),
                          "g": np.repeat(np.arange(10), 4)})
    task = mlr3py.as_task_regr(frame, target="y")
    task.set_col_roles("g", roles=["group"])
    resampling = mlr3py.rsmp("subsampling", ratio=0.5, repeats=1).instantiate(task, seed=1)
    test = resampling.test_set(0)
    assert resampling.test_size(0) == len(test) == 20
    assert np.array_equal(resampling.test_slice(0, 4, 12), np.sort(test)[4:12])


def test_parts_need_an_instance_and_an_iteration() -> None:
    resampling = mlr3py.rsmp("subsampling", repeats=2)
    with pytest.raises(ConfigError, match="not been instantiated"):
        resampling.test_size(0)
    resampling.instantiate(_task(20), seed=1)
    with pytest.raises(ConfigError, match="i=2 is out of range"):
        resampling.test_slice(2, 0, 3)


def _refused(self: object, i: int) -> np.ndarray:
    raise AssertionError("the whole test set was built")
