"""partition(): mlr3's one-split sugar on the holdout resampling."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import mlr3py
from mlr3py import lrn, msr, partition, tsk
from mlr3py.errors import ConfigError
from mlr3py.resamplings import Partition


def _counts(task, rows) -> dict[str, int]:
    return pd.Series(np.asarray(task.truth(rows), dtype=object)).value_counts().to_dict()


def test_a_classification_split_is_stratified_by_the_target() -> None:
    task = tsk("iris")
    split = partition(task, seed=1)
    assert isinstance(split, Partition)
    assert len(split.train) == 102 and len(split.test) == 48 and len(split.validation) == 0
    assert split.train.dtype == np.int64
    assert _counts(task, split.train) == {"setosa": 34, "versicolor": 34, "virginica": 34}
    assert not set(split.train) & set(split.test)
    assert sorted([*split.train, *split.test]) == sorted(task.row_ids)
    assert task.col_roles["stratum"] == []  # the user's task is not changed
    assert repr(split) == "Partition(train=102 rows, test=48 rows, validation=0 rows)"


def test_the_book_workflow() -> None:
    task = tsk("penguins")
    split = partition(task, ratio=0.67, seed=42)
    learner = lrn("classif.rpart").train(task, split.train)
    score = learner.predict(task, split.test).score(msr("classif.acc"))["classif.acc"]
    assert 0.8 < score <= 1.0


def test_a_seed_makes_it_reproducible() -> None:
    task = tsk("mtcars")
    a, b = partition(task, 0.5, seed=3), partition(task, 0.5, seed=3)
    assert np.array_equal(a.train, b.train) and np.array_equal(a.test, b.test)
    assert not np.array_equal(a.train, partition(task, 0.5, seed=4).train)
    np.random.seed(7)  # noqa: NPY002 - seed=None draws from numpy's global stream
    c = partition(task, 0.5)
    np.random.seed(7)  # noqa: NPY002
    assert np.array_equal(c.train, partition(task, 0.5).train)


def test_the_stratum_role_is_honoured_and_stratify_false_skips_the_target() -> None:
    task = tsk("mtcars")
    task.set_col_roles("am", add_to="stratum")
    split = partition(task, 0.5, seed=1)
    am = task.data(rows=split.train, cols=["am"])["am"]
    assert am.value_counts().to_dict() == {0: 10, 1: 6}  # half of 19 / 13, rounded per stratum
    iris = tsk("iris")
    counts = [_counts(iris, partition(iris, 0.5, stratify=False, seed=s).train)
              for s in range(5)]
    assert any(set(c.values()) != {25} for c in counts)


def test_two_ratios_give_a_validation_set() -> None:
    task = tsk("iris")
    split = partition(task, ratio=(0.6, 0.2), seed=1)
    assert (len(split.train), len(split.test), len(split.validation)) == (90, 30, 30)
    together = [*split.train, *split.test, *split.validation]
    assert sorted(together) == sorted(task.row_ids)
    assert _counts(task, split.test) == {"setosa": 10, "versicolor": 10, "virginica": 10}


@pytest.mark.parametrize("ratio", [1.5, -0.1, "0.5", (0.7, 0.5), (0.5,), True, float("nan")])
def test_a_bad_ratio_is_a_config_error(ratio) -> None:
    with pytest.raises(ConfigError, match="The ratio of partition\\(\\) must be a share"):
        partition(tsk("iris"), ratio=ratio)


def test_exported_from_the_package_root_and_resamplings() -> None:
    assert mlr3py.partition is partition
    assert "partition" in mlr3py.__all__ and "Partition" in mlr3py.__all__
