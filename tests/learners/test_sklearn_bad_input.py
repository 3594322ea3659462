"""scikit-learn learners report unusable data and parameter combinations in mlr3py's words."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mlr3py import as_task_classif, as_task_regr, lrn, tsk
from mlr3py.errors import ConfigError, InputError
from mlr3py.learners import as_learner


def _task_with_inf():
    df = pd.DataFrame({
        "a": np.r_[np.inf, np.linspace(0, 1, 19)],
        "b": np.linspace(0, 1, 20),
        "y": np.repeat(["p", "q"], 10),
    })
    return as_task_classif(df, target="y")


@pytest.mark.parametrize("key", ["classif.log_reg", "classif.rpart", "classif.kknn"])
def test_infinite_feature_values_are_named_at_train(key: str) -> None:
    with pytest.raises(InputError, match=r"infinite values in feature\(s\) 'a' \(1\)"):
        lrn(key).train(_task_with_inf())


def test_infinite_values_at_predict_are_named() -> None:
    task = _task_with_inf()
    learner = lrn("classif.rpart").train(task, row_ids=list(range(1, 20)))
    with pytest.raises(InputError, match=r"infinite values in feature\(s\) 'a'"):
        learner.predict(task, row_ids=[0])


def test_task_without_features() -> None:
    task = as_task_classif(pd.DataFrame({"y": np.repeat(["p", "q"], 10)}), target="y")
    with pytest.raises(InputError, match=r"no features.*classif\.featureless"):
        lrn("classif.rpart").train(task)


def test_empty_training_rows() -> None:
    with pytest.raises(InputError, match="0 rows of Task 'iris'"):
        lrn("classif.rpart").train(tsk("iris"), row_ids=[])


@pytest.mark.parametrize(("key", "task_id"), [("classif.kknn", "iris"), ("regr.kknn", "mtcars")])
def test_more_neighbours_than_rows(key: str, task_id: str) -> None:
    learner = lrn(key, n_neighbors=50)
    with pytest.raises(InputError, match=r"n_neighbors=50.*10 training row"):
        learner.train(tsk(task_id), row_ids=list(range(10)))
    learner.param_set.values["n_neighbors"] = 10
    learner.train(tsk(task_id), row_ids=list(range(10)))


def test_default_neighbours_checked_too() -> None:
    df = pd.DataFrame({"a": [1.0, 2.0, 3.0], "y": [1.0, 2.0, 3.0]})
    with pytest.raises(InputError, match="n_neighbors=5"):
        lrn("regr.kknn").train(as_task_regr(df, target="y"))


@pytest.mark.parametrize(
    ("values", "pattern"),
    [
        ({"penalty": "l1", "solver": "lbfgs"}, r"solver='lbfgs'.*penalty='l1'"),
        ({"l1_ratio": 1.0}, r"solver='lbfgs'.*l1_ratio=1"),
        ({"l1_ratio": 0.5, "solver": "liblinear"}, r"elastic net.*needs solver='saga'"),
        ({"C": np.inf, "solver": "liblinear"}, r"'liblinear' needs a penalty"),
        ({"dual": True}, r"dual=True needs solver='liblinear'"),
        ({"dual": True, "solver": "liblinear", "l1_ratio": 1.0}, r"dual=True supports only"),
    ],
)
def test_log_reg_combinations_checked_at_construction(values: dict, pattern: str) -> None:
    with pytest.raises(ConfigError, match=pattern):
        lrn("classif.log_reg", **values)


def test_log_reg_combination_checked_on_assignment_and_valid_ones_fit() -> None:
    learner = lrn("classif.log_reg")
    with pytest.raises(ConfigError, match=r"Learner 'classif.log_reg'.*set_values\("):
        learner.param_set.values["penalty"] = "l1"
    assert "penalty" not in learner.param_set.values  # nothing changed
    learner.param_set.set_values(solver="saga", l1_ratio=1.0, max_iter=2000)
    learner.train(tsk("sonar"))
    learner.clone().param_set.set_values(solver="liblinear", dual=True, l1_ratio=0.0)
    with pytest.raises(ConfigError):
        learner.clone().param_set.set_values(solver="lbfgs")


def test_forest_and_neighbour_combinations() -> None:
    with pytest.raises(ConfigError, match=r"max_samples=0.5 needs bootstrap=True"):
        lrn("classif.ranger", bootstrap=False, max_samples=0.5)
    with pytest.raises(ConfigError, match=r"oob_score=True.*bootstrap=True"):
        lrn("regr.ranger", bootstrap=False, oob_score=True)
    with pytest.raises(ConfigError, match=r"metric='cosine'.*algorithm='kd_tree'"):
        lrn("classif.kknn", algorithm="kd_tree", metric="cosine")
    lrn("classif.kknn", algorithm="brute", metric="cosine").train(tsk("iris"))


def test_as_learner_refuses_an_invalid_estimator_configuration() -> None:
    from sklearn.linear_model import LogisticRegression

    with pytest.raises(ConfigError, match="penalty='l1'"):
        as_learner(LogisticRegression(penalty="l1"))


def test_empty_prediction_rows() -> None:
    learner = lrn("classif.rpart").train(tsk("iris"))
    with pytest.raises(InputError, match="cannot predict 0 rows of Task 'iris'"):
        learner.predict(tsk("iris"), row_ids=[])
