"""What ``_predict`` returns (PredictionDataClassif / PredictionDataRegr); missing predictions."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mlr3py import lrn, tsk
from mlr3py.errors import InputError
from mlr3py.learners import LearnerClassif
from mlr3py.predictions import (
    PredictionClassif,
    PredictionDataClassif,
    PredictionDataRegr,
    PredictionRegr,
    check_prediction_data,
    concat_prediction_data,
    missing_prediction,
    missing_prediction_data,
)


def test_classif_data_needs_response_or_prob() -> None:
    with pytest.raises(InputError, match="needs a response, a prob matrix, or both"):
        PredictionDataClassif()
    data = PredictionDataClassif(prob=[[0.2, 0.8], [0.5, 0.5]])
    assert data.prob.shape == (2, 2)
    assert data.n == 2


def test_classif_data_checks_shapes_and_lengths() -> None:
    with pytest.raises(InputError, match=r"prob of PredictionDataClassif must be a 2-D"):
        PredictionDataClassif(prob=[0.2, 0.8])
    with pytest.raises(InputError, match=r"response: 3, prob: 2"):
        PredictionDataClassif(response=["a", "b", "a"], prob=np.full((2, 2), 0.5))
    with pytest.raises(InputError, match=r"response of PredictionDataClassif must be one-dim"):
        PredictionDataClassif(response=np.zeros((2, 2)))
    with pytest.raises(InputError, match=r"row_ids: 1, response: 2"):
        PredictionDataClassif(response=["a", "b"], row_ids=[3])


def test_row_ids_must_be_integers() -> None:
    with pytest.raises(InputError, match="row_ids of PredictionDataRegr must be a 1-D sequence"):
        PredictionDataRegr(response=[1.0], row_ids=["x"])
    data = PredictionDataRegr(response=[1.0, 2.0], row_ids=[4, 7])
    assert data.row_ids.dtype == np.int64


def test_regr_data_needs_a_numeric_response_and_nonnegative_se() -> None:
    with pytest.raises(InputError, match="needs a response"):
        PredictionDataRegr(se=[1.0])
    with pytest.raises(InputError, match="response of PredictionDataRegr must be numeric"):
        PredictionDataRegr(response=["a", "b"])
    with pytest.raises(InputError, match="se of PredictionDataRegr must be >= 0"):
        PredictionDataRegr(response=[1.0, 2.0], se=[1.0, -1.0])
    with pytest.raises(InputError, match=r"response: 2, se: 1"):
        PredictionDataRegr(response=[1.0, 2.0], se=[1.0])
    data = PredictionDataRegr(response=[1, 2], se=[0.5, np.nan])
    assert data.response.dtype == np.float64


def test_fields_are_keyword_only() -> None:
    with pytest.raises(TypeError):
        PredictionDataRegr([1.0, 2.0])  # type: ignore[misc]


def test_concat_keeps_the_fields_every_part_has() -> None:
    parts = [
        PredictionDataClassif(
            response=pd.Categorical(["a", "b"], categories=["a", "b"]),
            prob=np.array([[0.9, 0.1], [0.2, 0.8]]), row_ids=[0, 1],
        ),
        PredictionDataClassif(
            response=pd.Categorical(["b"], categories=["a", "b"]), prob=np.array([[0.4, 0.6]]),
            row_ids=[5],
        ),
    ]
    out = concat_prediction_data(parts)
    assert isinstance(out, PredictionDataClassif)
    assert out.row_ids.tolist() == [0, 1, 5]
    assert list(out.response) == ["a", "b", "b"]
    assert out.prob.shape == (3, 2)
    with pytest.raises(InputError, match="name their row_ids"):
        concat_prediction_data([PredictionDataRegr(response=[1.0])])


def test_check_prediction_data_names_the_learner_and_the_class() -> None:
    data = PredictionDataRegr(response=[1.0])
    assert check_prediction_data(data, "regr", "Learner 'x'") is data
    with pytest.raises(InputError, match="Learner 'x' must return a PredictionDataClassif"):
        check_prediction_data({"response": [1.0]}, "classif", "Learner 'x'")


class _DictLearner(LearnerClassif):
    """Returns a dict from _predict, as learners did before prediction data was typed."""

    def __init__(self) -> None:
        super().__init__("classif.dict", properties={"twoclass", "multiclass"})

    def _train(self, task):
        return task.class_names[0]

    def _predict(self, task):
        return {"response": [self.model] * task.nrow}


def test_a_learner_returning_a_dict_gets_a_typed_error() -> None:
    learner = _DictLearner().train(tsk("iris"))
    with pytest.raises(InputError, match=r"'classif.dict' must return a PredictionDataClassif.*"
                                         r"Got dict"):
        learner.predict(tsk("iris"))


@pytest.mark.parametrize("key", ["classif.featureless", "classif.debug", "classif.rpart",
                                 "regr.featureless", "regr.debug", "regr.lm"])
def test_builtin_learners_return_prediction_data(key: str) -> None:
    task = tsk("iris") if key.startswith("classif") else tsk("mtcars")
    learner = lrn(key).train(task)
    data = learner._predict(task)
    expected = PredictionDataClassif if key.startswith("classif") else PredictionDataRegr
    assert isinstance(data, expected)


def test_missing_prediction_has_the_truth_and_nothing_predicted() -> None:
    task = tsk("iris")
    pred = missing_prediction(task, [0, 5, 9], predict_type="prob")
    assert isinstance(pred, PredictionClassif)
    assert pred.row_ids.tolist() == [0, 5, 9]
    assert list(pred.truth) == list(task.truth([0, 5, 9]))
    assert pred.response.isna().all()
    assert pred.prob is not None and pred.prob.isna().all().all()
    assert np.isnan(pred.score()["classif.ce"])
    regr = missing_prediction(tsk("mtcars"), predict_type="se")
    assert isinstance(regr, PredictionRegr)
    assert len(regr) == tsk("mtcars").nrow
    assert np.isnan(regr.response).all() and np.isnan(regr.se).all()
    with pytest.raises(InputError, match="'prob'"):
        missing_prediction(tsk("mtcars"), predict_type="prob")


def test_missing_prediction_data() -> None:
    data = missing_prediction_data("classif", 2, "response", ["a", "b"])
    assert isinstance(data, PredictionDataClassif)
    assert data.prob is None and pd.isna(data.response).all()
