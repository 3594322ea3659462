"""Tasks whose row ids repeat (bootstrap training views, upsampling) never leak copies
of a row into both a training and a test set; filter() keeps each row once."""

from __future__ import annotations

import numpy as np
import pytest

from mlr3py import rsmp, tsk
from mlr3py.errors import ConfigError


def test_filter_with_repeated_ids_gives_distinct_rows_and_no_leak() -> None:
    task = tsk("iris").filter(list(range(150)) + list(range(150)))
    assert task.nrow == 150
    cv = rsmp("cv", folds=3).instantiate(task, seed=1)
    for i in range(3):
        assert not set(cv.train_set(i)) & set(cv.test_set(i))
        assert len(cv.test_set(i)) == 50


@pytest.mark.parametrize("key", ["cv", "holdout", "subsampling", "bootstrap"])
def test_copies_of_a_row_stay_on_one_side(key: str) -> None:
    ids = list(range(60)) + list(range(0, 60, 3))  # rows 0, 3, ... twice
    task = tsk("iris")._use_rows(ids)
    res = rsmp(key).instantiate(task, seed=2)
    for i in range(res.iters or 0):
        train, test = res.train_set(i), res.test_set(i)
        assert not set(train) & set(test)
        # a row in a set comes with all its copies
        for part in (train, test):
            for row in set(part.tolist()) & set(range(0, 60, 3)):
                assert np.count_nonzero(part == row) % 2 == 0


def test_repeated_rows_with_strata_are_refused() -> None:
    task = tsk("iris")._use_rows([0, 0, 1, 50, 51, 100, 101, 101])
    task.col_roles["stratum"] = ["Species"]
    with pytest.raises(ConfigError, match=r"row ids more than once \(0, 101; 2 repeated"):
        rsmp("cv", folds=2).instantiate(task, seed=1)
