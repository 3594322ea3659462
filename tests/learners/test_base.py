"""The Learner base: fields, train/predict, state, clone, reset, print, registry."""

from __future__ import annotations

import importlib.util
import math

import numpy as np
import pandas as pd
import pytest

from mlr3py.errors import ConfigError, UnknownKeyError
from mlr3py.learners import (
    Learner,
    LearnerClassif,
    LearnerRegr,
    LearnerState,
    LogEntry,
    mlr_learners,
)
from mlr3py.params import p_int, ps
from mlr3py.predictions import PredictionClassif, PredictionDataClassif, PredictionRegr

ALL_KEYS = sorted([
    "classif.debug", "classif.featureless", "classif.kknn", "classif.log_reg",
    "classif.ranger", "classif.rpart", "regr.debug", "regr.featureless", "regr.kknn",
    "regr.lm", "regr.ranger", "regr.rpart",
    "classif.svm", "regr.svm", "classif.glmnet", "regr.glmnet", "classif.cv_glmnet",
    "regr.cv_glmnet", "classif.naive_bayes", "classif.lda", "classif.qda",
    *(["classif.xgboost", "regr.xgboost"] if importlib.util.find_spec("xgboost") else []),
    # torch learners are registered where torch is installed
    *([f"{t}.{k}" for t in ("classif", "regr")
       for k in ("mlp", "tab_resnet", "ft_transformer", "tabnet", "module")]
      if importlib.util.find_spec("torch") is not None else []),
])


class _Constant(LearnerClassif):
    """Minimal subclass: implements only _train and _predict."""

    def __init__(self) -> None:
        super().__init__(
            "classif.constant",
            param_set=ps(k=p_int(1, tags="train")),
            properties={"twoclass", "multiclass"},
        )

    def _train(self, task):
        return task.class_names[0]

    def _predict(self, task):
        return PredictionDataClassif(response=[self.model] * task.nrow)


def test_registry_has_all_learners():
    assert mlr_learners.keys() == ALL_KEYS
    for key in ALL_KEYS:
        learner = mlr_learners.get(key)
        assert isinstance(learner, Learner)
        assert learner.id == key
        assert learner.param_set.context == f"Learner '{key}'"


def test_registry_table_columns():
    table = mlr_learners.as_table()
    assert list(table.columns) == [
        "key", "label", "task_type", "feature_types", "packages", "properties", "predict_types",
    ]
    row = table.set_index("key").loc["classif.rpart"]
    assert row["task_type"] == "classif"
    assert row["predict_types"] == ["response", "prob"]
    assert "importance" in row["properties"]
    assert row["packages"] == ["scikit-learn"]


def test_lrn_sets_params_and_fields():
    learner = mlr_learners.get("classif.rpart", max_depth=3, predict_type="prob", id="tree")
    assert learner.param_set.values["max_depth"] == 3
    assert learner.predict_type == "prob"
    assert learner.id == "tree"
    assert learner.param_set.context == "Learner 'tree'"


def test_unknown_param_suggests():
    with pytest.raises(UnknownKeyError, match="max_depth"):
        mlr_learners.get("classif.rpart", max_dept=3)


def test_param_value_error_uses_template():
    learner = mlr_learners.get("classif.rpart")
    with pytest.raises(ConfigError) as err:
        learner.param_set.values["max_depth"] = "a"
    assert str(err.value) == (
        "The 'max_depth' parameter of Learner 'classif.rpart' must be an int >= 1 or None. "
        "Got 'a' instead."
    )
    with pytest.raises(ConfigError, match="'max_depth' parameter of Learner 'classif.rpart'"):
        learner.param_set.values["max_depth"] = 0


def test_predict_type_is_validated():
    learner = mlr_learners.get("regr.lm")
    with pytest.raises(ConfigError, match="predict type of Learner 'regr.lm'.*'se'"):
        learner.predict_type = "se"
    assert learner.predict_type == "response"


def test_id_must_be_string():
    learner = mlr_learners.get("classif.featureless")
    with pytest.raises(ConfigError, match="non-empty string"):
        learner.id = ""


def test_train_sets_typed_state(iris):
    learner = mlr_learners.get("classif.rpart", max_depth=2)
    assert learner.state is None and learner.model is None
    assert learner.train(iris, iris.row_ids[:100]) is learner
    state = learner.state
    assert isinstance(state, LearnerState)
    assert state.model is learner.model
    assert state.train_time >= 0
    assert state.predict_time is None
    assert state.param_vals == {"max_depth": 2}
    assert state.feature_names == iris.feature_names
    assert state.feature_types == dict.fromkeys(iris.feature_names, "numeric")
    assert state.class_names == ["setosa", "versicolor", "virginica"]
    assert state.task_type == "classif"
    assert state.train_task_id == "iris"
    assert state.target_name == "Species"
    assert state.n_train == 100
    assert state.log == []


def test_state_param_vals_is_a_snapshot(iris):
    learner = mlr_learners.get("classif.rpart", max_depth=2).train(iris)
    learner.param_set.values["max_depth"] = 5
    assert learner.state.param_vals == {"max_depth": 2}


def test_predict_returns_prediction_with_truth(iris):
    learner = mlr_learners.get("classif.rpart").train(iris)
    rows = iris.row_ids[10:20]
    prediction = learner.predict(iris, rows)
    assert isinstance(prediction, PredictionClassif)
    np.testing.assert_array_equal(prediction.row_ids, rows)
    assert prediction.predict_types == ["response"]
    assert list(prediction.truth) == list(iris.truth(rows))
    assert learner.state.predict_time >= 0


def test_predict_type_prob_gives_probabilities(iris):
    learner = mlr_learners.get("classif.rpart", predict_type="prob").train(iris)
    prediction = learner.predict(iris)
    assert sorted(prediction.predict_types) == ["prob", "response"]
    prob = prediction.prob
    prob = prob.to_numpy() if isinstance(prob, pd.DataFrame) else np.asarray(prob)
    assert prob.shape == (150, 3)
    np.testing.assert_allclose(prob.sum(axis=1), 1.0)


def test_regression_prediction(mtcars):
    learner = mlr_learners.get("regr.featureless", predict_type="se").train(mtcars)
    prediction = learner.predict(mtcars)
    assert isinstance(prediction, PredictionRegr)
    np.testing.assert_allclose(prediction.response, mtcars.truth().mean())
    np.testing.assert_allclose(prediction.se, mtcars.truth().std(ddof=1))


def test_timings(iris):
    learner = mlr_learners.get("classif.featureless")
    assert all(math.isnan(v) for v in learner.timings.values())
    learner.train(iris)
    assert learner.timings["train"] >= 0 and math.isnan(learner.timings["predict"])
    learner.predict(iris)
    assert learner.timings["predict"] >= 0


def test_reset_forgets_state(iris):
    learner = mlr_learners.get("classif.featureless").train(iris)
    assert learner.reset() is learner
    assert learner.state is None and learner.model is None


def test_clone_is_independent(iris):
    learner = mlr_learners.get("classif.rpart", max_depth=2).train(iris)
    copy = learner.clone()
    copy.param_set.values["max_depth"] = 4
    copy.id = "other"
    copy.predict_type = "prob"
    copy.properties.add("extra")
    assert learner.param_set.values["max_depth"] == 2
    assert learner.id == "classif.rpart"
    assert learner.predict_type == "response"
    assert "extra" not in learner.properties
    assert copy.param_set.context == "Learner 'other'"
    assert learner.param_set.context == "Learner 'classif.rpart'"
    assert copy.model is not learner.model
    copy.reset()
    assert learner.model is not None


def test_print_like_mlr3(iris):
    learner = mlr_learners.get("classif.rpart", max_depth=3)
    text = repr(learner)
    assert text.splitlines() == [
        "<LearnerClassifRpart:classif.rpart>: Classification Tree",
        "* Model: -",
        "* Parameters: max_depth=3",
        "* Packages: scikit-learn",
        "* Predict Types: [response], prob",
        "* Feature Types: logical, integer, numeric, factor, ordered",
        "* Properties: importance, missings, multiclass, selected_features, twoclass, weights",
    ]
    learner.train(iris)
    assert "* Model: SklearnModel" in repr(learner)
    assert "* Parameters: list()" in repr(mlr_learners.get("classif.kknn"))


def test_log_tables_empty_without_conditions(iris):
    learner = mlr_learners.get("classif.featureless")
    assert list(learner.log.columns) == ["stage", "class", "msg", "condition"]
    learner.train(iris)
    learner.state.log.append(LogEntry("train", "warning", "careful"))
    learner.state.log.append(LogEntry("train", "error", "boom"))
    assert learner.warnings["msg"].tolist() == ["careful"]
    assert learner.errors["msg"].tolist() == ["boom"]
    assert len(learner.log) == 2


def test_minimal_subclass(sonar):
    learner = _Constant()
    assert learner.task_type == "classif"
    prediction = learner.train(sonar).predict(sonar)
    assert set(prediction.response) == {sonar.class_names[0]}
    assert learner.param_set.context == "Learner 'classif.constant'"


def test_bad_constructor_arguments():
    with pytest.raises(ConfigError, match="predict types"):
        _RegrWithProb()
    with pytest.raises(ConfigError, match="feature types"):
        LearnerRegr("regr.x", feature_types=["text"])


class _RegrWithProb(LearnerRegr):
    def __init__(self) -> None:
        super().__init__("regr.bad", predict_types=("response", "prob"))


def test_hook_exceptions_propagate_unchanged(iris):
    class Broken(_Constant):
        def _train(self, task):
            raise ZeroDivisionError("inner")

    learner = Broken()
    with pytest.raises(ZeroDivisionError, match="inner"):
        learner.train(iris)
    assert learner.state is None


def test_train_on_row_subset_leaves_task_alone(iris):
    rows = iris.row_ids[:30]
    mlr_learners.get("classif.rpart").train(iris, rows)
    assert iris.nrow == 150
