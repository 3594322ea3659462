"""predict_newdata(): predictions for a data frame of new observations."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mlr3py.errors import InputError
from mlr3py.learners import mlr_learners
from mlr3py.predictions import PredictionClassif, PredictionRegr


def _labels(values) -> np.ndarray:
    return np.asarray(values, dtype=object)


def test_newdata_without_target_has_missing_truth(iris):
    learner = mlr_learners.get("classif.rpart").train(iris)
    newdata = iris.data(cols=iris.feature_names).reset_index(drop=True)
    prediction = learner.predict_newdata(newdata)
    assert isinstance(prediction, PredictionClassif)
    assert len(prediction) == 150
    np.testing.assert_array_equal(prediction.row_ids, np.arange(150))
    assert pd.isna(_labels(prediction.truth)).all()
    np.testing.assert_array_equal(
        _labels(prediction.response), _labels(learner.predict(iris).response)
    )


def test_newdata_with_target_keeps_truth(iris):
    learner = mlr_learners.get("classif.featureless").train(iris)
    newdata = iris.data().reset_index(drop=True).iloc[[0, 60, 120]]
    prediction = learner.predict_newdata(newdata)
    assert list(prediction.truth) == ["setosa", "versicolor", "virginica"]


def test_newdata_ignores_extra_columns_and_column_order(iris):
    learner = mlr_learners.get("classif.rpart").train(iris)
    newdata = iris.data(cols=iris.feature_names[::-1]).assign(note="x").head(5)
    assert len(learner.predict_newdata(newdata)) == 5


def test_newdata_missing_feature_is_named(iris):
    learner = mlr_learners.get("classif.rpart").train(iris)
    newdata = iris.data(cols=iris.feature_names).drop(columns="Petal.Width")
    with pytest.raises(InputError, match="lacks feature\\(s\\) 'Petal.Width'"):
        learner.predict_newdata(newdata)


def test_newdata_empty(iris):
    learner = mlr_learners.get("classif.rpart").train(iris)
    with pytest.raises(InputError, match="no rows"):
        learner.predict_newdata(iris.data().iloc[:0])


def test_newdata_single_row_twoclass_prob(sonar):
    learner = mlr_learners.get("classif.rpart", predict_type="prob").train(sonar)
    prediction = learner.predict_newdata(sonar.data(cols=sonar.feature_names).iloc[[100]])
    assert prediction.class_names == ["M", "R"]
    assert np.asarray(prediction.prob, dtype=float).shape == (1, 2)


def test_newdata_factor_columns_as_strings(penguins_complete):
    learner = mlr_learners.get("classif.rpart").train(penguins_complete)
    data = penguins_complete.data().reset_index(drop=True)
    newdata = data[data["island"] == "Dream"].drop(columns="species").copy()
    newdata["island"] = newdata["island"].astype(str)
    newdata["sex"] = newdata["sex"].astype(str)
    expected = learner.predict(
        penguins_complete,
        penguins_complete.row_ids[np.flatnonzero(data["island"] == "Dream")],
    )
    prediction = learner.predict_newdata(newdata)
    np.testing.assert_array_equal(_labels(prediction.response), _labels(expected.response))


def test_newdata_regression(mtcars):
    learner = mlr_learners.get("regr.lm").train(mtcars)
    newdata = mtcars.data(cols=mtcars.feature_names).head(4)
    prediction = learner.predict_newdata(newdata)
    assert isinstance(prediction, PredictionRegr)
    assert np.isnan(np.asarray(prediction.truth, dtype=float)).all()
    np.testing.assert_allclose(
        prediction.response, learner.predict(mtcars, mtcars.row_ids[:4]).response
    )


def test_newdata_from_polars(iris):
    pl = pytest.importorskip("polars")
    learner = mlr_learners.get("classif.rpart").train(iris)
    newdata = pl.from_pandas(iris.data(cols=iris.feature_names).reset_index(drop=True))
    assert len(learner.predict_newdata(newdata)) == 150


def test_newdata_keeps_character_features():
    from mlr3py.data import DataBackendPandas
    from mlr3py.tasks import TaskClassif

    df = pd.DataFrame(
        {"x": [1.0, 2.0, 3.0, 4.0], "s": ["p", "q", "p", "q"], "y": ["a", "b", "a", "a"]}
    )
    df["y"] = df["y"].astype("category")
    task = TaskClassif("chars", DataBackendPandas(df), "y")
    assert dict(zip(task.feature_types["id"], task.feature_types["type"], strict=True)) == {
        "x": "numeric", "s": "character",
    }
    learner = mlr_learners.get("classif.featureless").train(task)
    prediction = learner.predict_newdata(pd.DataFrame({"x": [9.0], "s": ["r"]}))
    assert list(prediction.response) == ["a"]


def test_predict_newdata_keeps_nullable_dtypes() -> None:
    """Nullable integer and boolean features keep their types in newdata (no object arrays)."""
    import pandas as pd

    from mlr3py import as_task_regr, lrn

    frame = pd.DataFrame({"k": pd.array([1, 2, None, 4, 5, 6], dtype="Int64"),
                          "b": pd.array([True, None, False, True, False, True],
                                        dtype="boolean"),
                          "y": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]})
    learner = lrn("regr.rpart")
    learner.train(as_task_regr(frame, target="y"))
    newdata = frame.iloc[[1, 2]].drop(columns="y")  # missing values in both features
    assert len(learner.predict_newdata(newdata).response) == 2
