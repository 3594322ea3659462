"""Task.add_strata(): stratify by columns, numeric ones cut into equal-width bins
(mlr3's ``Task$add_strata()``), e.g. a regression target for a stratified CV."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mlr3py import rsmp
from mlr3py.errors import ConfigError, InputError
from mlr3py.tasks import Task, as_task_classif, as_task_regr


@pytest.fixture
def regr() -> Task:
    df = pd.DataFrame({"x": np.arange(30.0), "y": np.r_[np.zeros(20), np.full(10, 10.0)]})
    df["y"] += np.linspace(0, 1, 30)
    return as_task_regr(df, target="y", id="lopsided")


def test_numeric_target_is_binned_into_a_stratum_column(regr: Task) -> None:
    assert regr.add_strata("y", bins=2) is regr
    assert regr.col_roles["stratum"] == ["..stratum_y"]
    assert regr.target_names == ["y"]
    assert regr.feature_names == ["x"]  # the stratum column is no feature
    strata = regr.strata
    assert strata is not None
    assert sorted(strata["N"].tolist()) == [10, 20]
    assert "strata" in regr.properties


def test_stratified_cv_keeps_the_bin_proportions(regr: Task) -> None:
    regr.add_strata("y", bins=2)
    cv = rsmp("cv", folds=5).instantiate(regr, seed=1)
    for i in range(5):
        high = regr.data(rows=cv.test_set(i), cols=["y"])["y"] > 5
        assert int(high.sum()) == 2  # 10 high rows spread evenly over 5 folds


def test_equal_width_bins_like_r_cut() -> None:
    task = as_task_regr(pd.DataFrame({"x": np.zeros(4), "y": [0.0, 1.0, 2.0, 9.0]}), target="y")
    task.add_strata("y", bins=3)
    counts = task.strata["N"].tolist()  # type: ignore[index]
    assert counts == [3, 1]  # [0, 3], (3, 6] is empty, (6, 9]


def test_factor_columns_and_one_bin_count_per_column() -> None:
    df = pd.DataFrame({
        "g": pd.Categorical(["a", "b"] * 10),
        "x": np.arange(20.0),
        "y": pd.Categorical(["u", "v", "v", "u"] * 5),
    })
    task = as_task_classif(df, target="y").add_strata(["g", "x"], bins=[3, 2])
    assert task.col_roles["stratum"] == ["..stratum_g", "..stratum_x"]
    strata = task.strata
    assert strata is not None and len(strata) == 4  # 2 levels of g x 2 bins of x
    assert task.feature_names == ["g", "x"]


def test_bad_bins_and_unknown_columns(regr: Task) -> None:
    with pytest.raises(ConfigError, match="bins"):
        regr.add_strata("y", bins=1)
    with pytest.raises(ConfigError, match="one such int per column"):
        regr.add_strata(["x", "y"], bins=[2])
    with pytest.raises(InputError, match="nope"):
        regr.add_strata("nope")
    assert regr.col_roles["stratum"] == []
