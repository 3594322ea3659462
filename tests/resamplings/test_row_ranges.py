"""A task's rows 0 .. n-1 of files never built as ids; subsampling keeps bits, not bytes."""

from __future__ import annotations

import pickle
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from mlr3py import as_parquet_backend, as_task_classif, as_task_regr, lrn, resample, rsmp, tsk
from mlr3py.resamplings import CountInstance
from mlr3py.resamplings._split_inputs import row_hash

pytest.importorskip("duckdb", reason="needs the sql extra (pip install 'mlr3py[sql]')")


def _tasks(tmp_path: Path, n: int = 2000) -> tuple[object, object]:
    rng = np.random.default_rng(1)
    frame = pd.DataFrame({"a": rng.normal(size=n), "b": rng.normal(size=n)})
    frame["y"] = frame["a"] - frame["b"] + rng.normal(size=n)
    path = tmp_path / "t.parquet"
    frame.to_parquet(path)
    return (as_task_regr(as_parquet_backend(path), target="y", id="t"),
            as_task_regr(frame, target="y", id="t"))


def test_a_resample_on_files_never_builds_the_row_ids(tmp_path: Path) -> None:
    on_files, _ = _tasks(tmp_path)
    assert on_files._state.ids is None and on_files.nrow == 2000
    hash_before = on_files.hash
    rr = resample(on_files, lrn("regr.rpart"), rsmp("subsampling", ratio=0.1, repeats=2),
                  seed=1, store_predictions=False, measures="regr.mse")
    assert on_files._state.ids is None and on_files.backend._ids is None
    instance = rr.resampling.instance
    assert isinstance(instance, CountInstance)
    assert len(pickle.dumps(instance)) < 2000  # a range and bits: no ids, no byte counts
    np.testing.assert_array_equal(instance.row_ids, np.arange(2000))
    np.testing.assert_array_equal(on_files.row_ids, np.arange(2000))  # built when asked for
    assert not on_files.row_ids.flags.writeable
    assert on_files.hash == hash_before  # the same digest, block by block or whole
    assert rr.resampling.matches_task(on_files)


@pytest.mark.parametrize("key", ["subsampling", "holdout", "bootstrap"])
def test_a_range_gives_the_sets_of_the_built_ids(tmp_path: Path, key: str) -> None:
    on_files, in_memory = _tasks(tmp_path)
    in_memory.filter(in_memory.row_ids)  # the same rows, as ids (no longer "all rows")
    lazy = rsmp(key).instantiate(on_files, seed=7)
    built = rsmp(key).instantiate(in_memory, seed=7)
    assert len(pickle.dumps(lazy.instance)) < len(pickle.dumps(built.instance)) - 15_000
    assert lazy.instance == built.instance
    assert lazy.task_row_hash == built.task_row_hash == row_hash(np.arange(2000))
    for i in range(lazy.iters):
        for name in ("train_set", "test_set"):
            got, want = getattr(lazy, name)(i), getattr(built, name)(i)
            assert got.dtype == np.int64
            np.testing.assert_array_equal(got, want)
        n_test = lazy.test_size(i)
        np.testing.assert_array_equal(lazy.test_slice(i, 10, n_test - 5),
                                      np.sort(built.test_set(i))[10:n_test - 5])


def test_a_pickled_task_keeps_its_rows_unbuilt(tmp_path: Path) -> None:
    on_files, _ = _tasks(tmp_path)
    copy = pickle.loads(pickle.dumps(on_files))
    assert copy._state.ids is None and copy.nrow == 2000
    assert copy.hash == on_files.hash
    on_files.filter(np.arange(10, 20))
    assert on_files.nrow == 10
    np.testing.assert_array_equal(on_files.row_ids, np.arange(10, 20))
    assert copy.nrow == 2000  # the copy is independent


def test_subsampling_keeps_its_training_sets_as_bits() -> None:
    task = tsk("spam")
    sub = rsmp("subsampling", ratio=0.3, repeats=4).instantiate(task, seed=2)
    instance = sub.instance
    assert instance.packed and instance.counts.shape == (task.nrow, 4)
    assert len(pickle.dumps(instance)) < task.nrow * 4 // 8 + 1000  # a bit per id and set
    rng = np.random.default_rng(2)  # the draws the bits hold
    for i in range(4):
        column = np.zeros(task.nrow, dtype=bool)
        column[rng.choice(task.nrow, round(0.3 * task.nrow), replace=False, shuffle=False)] = True
        np.testing.assert_array_equal(instance.column(i), column)
        assert instance.train_count(i) == column.sum() == len(sub.train_set(i))
        assert instance.test_count(i) == task.nrow - column.sum()
    np.testing.assert_array_equal(instance.counts[:, 1], instance.column(1))


def test_stratified_subsampling_combines_bits_into_counts() -> None:
    task = tsk("german_credit")
    task.col_roles["stratum"] = [task.target_names[0]]
    sub = rsmp("subsampling", ratio=0.5, repeats=2).instantiate(task, seed=3)
    instance = sub.instance
    assert instance.counts.shape == (task.nrow, 2)
    for i in range(2):
        train, test = sub.train_set(i), sub.test_set(i)
        assert len(np.intersect1d(train, test)) == 0 and len(train) + len(test) == task.nrow


def test_an_instance_shows_its_ids_and_counts_as_arrays() -> None:
    task = tsk("iris")
    instance = rsmp("subsampling", ratio=0.5, repeats=3).instantiate(task, seed=1).instance
    assert instance.counts.shape == (150, 3)
    assert (instance.counts > 0).sum(axis=0).tolist() == [75, 75, 75]
    test = instance.row_ids[instance.counts[:, 0] == 0]
    assert len(test) == 75 and test.dtype == np.int64


def test_states_pickled_with_ids_and_counts_as_arrays_still_load() -> None:
    from mlr3py.tasks._state import TaskState

    task = tsk("iris").filter(np.arange(10, 60))
    state = task._state.__getstate__()
    old = {("row_ids" if k == "ids" else k): v for k, v in state.items()}
    loaded = TaskState.__new__(TaskState)
    loaded.__setstate__(old)
    np.testing.assert_array_equal(loaded.row_ids, np.arange(10, 60))
    assert "row_ids" not in vars(loaded)
    sub = rsmp("subsampling", ratio=0.5, repeats=2).instantiate(tsk("iris"), seed=4)
    legacy = CountInstance.__new__(CountInstance)
    legacy.__setstate__({"row_ids": np.arange(150), "counts": sub.instance.counts})
    assert legacy == sub.instance
    np.testing.assert_array_equal(legacy.train(1), sub.train_set(1))


def test_a_grouped_instance_shows_its_group_labels() -> None:
    task = tsk("iris")
    frame = task.data().assign(g=np.repeat(["a", "b", "c", "d", "e"], 30))
    grouped = as_task_classif(frame, target="Species")
    grouped.col_roles["feature"] = [c for c in grouped.col_roles["feature"] if c != "g"]
    grouped.col_roles["group"] = ["g"]
    sub = rsmp("subsampling", ratio=0.6, repeats=2).instantiate(grouped, seed=1)
    assert sub.instance.row_ids.tolist() == ["a", "b", "c", "d", "e"]
    assert sub.instance.counts.shape == (5, 2)
    assert len(sub.train_set(0)) == 90 and len(sub.test_set(0)) == 60


def test_bootstrap_counts_take_a_byte_unless_an_id_is_drawn_more_often() -> None:
    boot = rsmp("bootstrap", repeats=3).instantiate(tsk("spam"), seed=5)
    counts = boot.instance.counts
    assert counts.dtype == np.uint8
    rng = np.random.default_rng(5)  # the draws the counts hold
    n = tsk("spam").nrow
    for r in range(3):
        want = np.bincount(rng.integers(0, n, size=n), minlength=n)
        np.testing.assert_array_equal(counts[:, r], want)


class _SameId:
    """A generator that draws id 0 every time."""

    def integers(self, low: int, high: int, size: int) -> np.ndarray:
        return np.zeros(size, dtype=np.int64)


def test_bootstrap_counts_widen_where_an_id_is_drawn_more_than_255_times() -> None:
    boot = rsmp("bootstrap", ratio=1.0, repeats=2)
    instance = boot._sample(range(300), _SameId())  # type: ignore[arg-type]
    assert instance.counts.dtype == np.int64
    assert instance.counts[0].tolist() == [300, 300] and instance.counts[1:].sum() == 0
    np.testing.assert_array_equal(instance.train(1), np.zeros(300, dtype=np.int64))


@pytest.mark.parametrize("ids", [range(0, 1000), range(7, 1007), range(10, 3010, 3)])
@pytest.mark.parametrize("packed", [True, False])
def test_sets_of_a_range_equal_those_of_its_ids_built(ids: range, packed: bool) -> None:
    rng = np.random.default_rng(2)
    drawn = rng.random((len(ids), 2)) < 0.3
    counts = (np.asfortranarray(np.stack([np.packbits(c) for c in drawn.T], axis=1))
              if packed else np.asfortranarray(drawn.astype(np.uint8)))
    kept = CountInstance(ids, counts, packed=packed)
    built = np.arange(ids.start, ids.stop, ids.step)
    for i in range(2):
        np.testing.assert_array_equal(kept.test(i), built[~drawn[:, i]])
        np.testing.assert_array_equal(kept.train(i), built[drawn[:, i]])
        assert kept.test(i).dtype == np.int64
        np.testing.assert_array_equal(kept.sorted_test_slice(i, 5, 60),
                                      built[~drawn[:, i]][5:60])
