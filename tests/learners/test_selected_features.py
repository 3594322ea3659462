"""learner.selected_features() (mlr3's ``Learner$selected_features()``): the features a
fitted model uses, for learners with property 'selected_features'."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.ensemble import RandomForestRegressor
from sklearn.linear_model import Lasso
from sklearn.svm import SVR

from mlr3py.errors import ConfigError, NotTrainedError
from mlr3py.learners import as_learner, mlr_learners
from mlr3py.tasks import Task, as_task_classif, as_task_regr


@pytest.fixture
def signal_task() -> Task:
    """y depends on x1 and on the factor f only; noise is pure noise."""
    rng = np.random.default_rng(3)
    n = 200
    df = pd.DataFrame(
        {
            "x1": rng.normal(size=n),
            "f": pd.Categorical(rng.choice(["a", "b", "c"], size=n)),
            "noise": rng.normal(size=n),
        }
    )
    df["y"] = 3 * df["x1"] + np.where(df["f"] == "b", 5.0, 0.0)
    return as_task_regr(df, target="y", id="signal")


def test_tree_selects_its_split_features_in_task_order(signal_task: Task) -> None:
    learner = mlr_learners.get("regr.rpart", max_depth=3)
    assert "selected_features" in learner.properties
    learner.train(signal_task)
    selected = learner.selected_features()
    assert set(selected) <= {"x1", "f", "noise"}
    assert "x1" in selected and "f" in selected  # a factor counts once, by its name
    assert selected == [f for f in signal_task.feature_names if f in selected]


def test_a_stump_selects_one_feature(signal_task: Task) -> None:
    learner = mlr_learners.get("regr.rpart", max_depth=1).train(signal_task)
    assert len(learner.selected_features()) == 1


def test_classification_tree_on_a_constant_target_selects_nothing() -> None:
    df = pd.DataFrame({"x": np.arange(20.0), "y": pd.Categorical(["a"] * 10 + ["b"] * 10)})
    task = as_task_classif(df, target="y")
    task.filter(list(range(10)))  # one class left: a single leaf
    learner = mlr_learners.get("classif.rpart").train(task)
    assert learner.selected_features() == []


def test_lasso_and_forest_through_as_learner(signal_task: Task) -> None:
    lasso = as_learner(Lasso(alpha=0.5)).train(signal_task)
    assert "noise" not in lasso.selected_features()
    assert "x1" in lasso.selected_features()
    forest = as_learner(RandomForestRegressor(n_estimators=5, max_depth=2, random_state=1))
    assert set(forest.train(signal_task).selected_features()) <= {"x1", "f", "noise"}


def test_featureless_selects_nothing(signal_task: Task) -> None:
    learner = mlr_learners.get("regr.featureless")
    assert "selected_features" in learner.properties
    with pytest.raises(NotTrainedError, match="selected_features"):
        learner.selected_features()
    assert learner.train(signal_task).selected_features() == []


def test_untrained_and_unsupported_learners_say_what_to_do(signal_task: Task) -> None:
    with pytest.raises(NotTrainedError, match=r"learner\.train\(task\)"):
        mlr_learners.get("regr.rpart").selected_features()
    svr = as_learner(SVR()).train(signal_task)
    assert "selected_features" not in svr.properties
    with pytest.raises(ConfigError, match="property 'selected_features'"):
        svr.selected_features()
