"""Compatibility checks between learners and tasks: typed errors naming the values."""

from __future__ import annotations

import pandas as pd
import pytest

from mlr3py.errors import InputError, NotTrainedError
from mlr3py.learners import LearnerClassif, mlr_learners
from mlr3py.predictions import PredictionDataClassif
from mlr3py.tasks import as_task_classif


class _TwoClassNumeric(LearnerClassif):
    """A learner for two-class tasks with numeric features only."""

    def __init__(self) -> None:
        super().__init__(
            "classif.twoclass", feature_types={"numeric"}, properties={"twoclass"}
        )

    def _train(self, task):
        return task.class_names[0]

    def _predict(self, task):
        return PredictionDataClassif(response=[self.model] * task.nrow)


def test_task_type_mismatch(mtcars, iris):
    with pytest.raises(InputError, match="Type 'regr' of Task 'mtcars'.*'classif.rpart'"):
        mlr_learners.get("classif.rpart").train(mtcars)
    learner = mlr_learners.get("regr.rpart").train(mtcars)
    with pytest.raises(InputError, match="Type 'classif' of Task 'iris'"):
        learner.predict(iris)


def test_multiclass_task_for_twoclass_learner(iris, sonar):
    learner = _TwoClassNumeric()
    learner.train(sonar)
    with pytest.raises(InputError, match="'iris' has property 'multiclass'.*'classif.twoclass'"):
        learner.train(iris)


def test_unsupported_feature_types_are_named():
    df = pd.DataFrame({"x": [1.0, 2, 3, 4], "f": ["a", "b", "a", "b"], "y": list("ynyn")})
    task = as_task_classif(df, target="y", id="tiny")
    with pytest.raises(InputError, match=r"'f' \(factor\) of Task 'tiny'.*'numeric'"):
        _TwoClassNumeric().train(task)


def test_missing_values_rejected_without_property(penguins):
    with pytest.raises(InputError) as err:
        mlr_learners.get("classif.log_reg").train(penguins)
    message = str(err.value)
    assert "Task 'penguins'" in message and "'classif.log_reg'" in message
    assert "'bill_length' (2)" in message and "'sex' (11)" in message
    assert "'island'" not in message


def test_missing_values_only_in_untrained_rows_are_fine(penguins):
    data = penguins.data()
    complete = data.index[data.notna().all(axis=1)].to_numpy()
    learner = mlr_learners.get("classif.kknn")
    learner.train(penguins, complete)
    assert learner.state.n_train == len(complete)


def test_learner_with_missings_property_accepts_them(penguins):
    learner = mlr_learners.get("classif.rpart").train(penguins)
    assert len(learner.predict(penguins)) == 344
    assert mlr_learners.get("classif.featureless").train(penguins).model is not None


def test_predict_before_train(iris):
    learner = mlr_learners.get("classif.rpart")
    with pytest.raises(NotTrainedError, match="'classif.rpart' has not been trained"):
        learner.predict(iris)
    with pytest.raises(NotTrainedError):
        learner.predict_newdata(iris.data())


def test_predict_after_model_dropped(iris):
    learner = mlr_learners.get("classif.rpart").train(iris)
    learner.state.model = None
    with pytest.raises(NotTrainedError, match="no model"):
        learner.predict(iris)


def test_predict_on_other_features_names_them(iris):
    learner = mlr_learners.get("classif.rpart").train(iris)
    fewer = iris.clone().select(["Petal.Length", "Petal.Width"])
    with pytest.raises(InputError) as err:
        learner.predict(fewer)
    assert "missing feature(s) 'Sepal.Length', 'Sepal.Width'" in str(err.value)
    df = iris.data().assign(extra=1.0)
    wider = as_task_classif(df, target="Species", id="wider")
    with pytest.raises(InputError, match="extra feature\\(s\\) 'extra'"):
        learner.predict(wider)


def test_extra_features_at_predict_time_say_how_to_drop_them(iris):
    learner = mlr_learners.get("classif.rpart").train(iris)
    wider = as_task_classif(iris.data().assign(extra=1.0), target="Species", id="wider")
    with pytest.raises(InputError, match=r"select\(learner\.state\.feature_names\)"):
        learner.predict(wider)
    prediction = learner.predict(wider.clone().select(learner.state.feature_names))
    assert len(prediction) == 150


def test_a_learner_trained_without_features_says_so(mtcars):
    learner = mlr_learners.get("regr.featureless").train(mtcars.clone().select([]))
    with pytest.raises(InputError, match="trained on Task 'mtcars' without features, but"):
        learner.predict(mtcars)


def test_predict_on_changed_feature_type(sonar):
    df = sonar.data()
    learner = mlr_learners.get("classif.rpart").train(sonar)
    changed = as_task_classif(df.assign(V1=(df["V1"] > 0.02).astype(str)), target="Class")
    with pytest.raises(InputError, match=r"'V1' \(numeric -> factor\)"):
        learner.predict(changed)


def test_integer_and_numeric_are_interchangeable(mtcars):
    learner = mlr_learners.get("regr.lm").train(mtcars)
    df = mtcars.data()
    as_int = df.assign(cyl=df["cyl"].astype("int64"))
    from mlr3py.tasks import as_task_regr

    prediction = learner.predict(as_task_regr(as_int, target="mpg"))
    assert len(prediction) == 32


def test_unknown_row_ids(iris):
    with pytest.raises(InputError, match="999"):
        mlr_learners.get("classif.featureless").train(iris, [1, 2, 999])


def test_missing_values_at_predict_time_are_named():
    train = as_task_classif(
        pd.DataFrame({"x": [1.0, 2, 3, 4, 5, 6], "y": list("ababab")}), target="y"
    )
    learner = mlr_learners.get("classif.kknn", n_neighbors=1).train(train)
    new = pd.DataFrame({"x": [float("nan"), 2.0]})
    with pytest.raises(InputError, match=r"missing values in feature\(s\) 'x' \(1\).*"
                       r"'classif.kknn' does not support missing values"):
        learner.predict_newdata(new)
    # the check runs inside the predict step: a fallback learner takes over
    learner.fallback = mlr_learners.get("classif.featureless")
    learner.train(train)
    prediction = learner.predict_newdata(new)
    assert prediction.response.isna().sum() == 0
    assert learner.errors["condition"].tolist() == ["InputError"]
