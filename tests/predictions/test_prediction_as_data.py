"""A prediction gives back the PredictionData a learner would return to make it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mlr3py.predictions import (
    Prediction,
    PredictionClassif,
    PredictionDataClassif,
    PredictionDataRegr,
    PredictionRegr,
)
from mlr3py.sugar import lrn, tsk


def test_classif_prediction_data_round_trip() -> None:
    task = tsk("iris")
    learner = lrn("classif.rpart", predict_type="prob").train(task)
    prediction = learner.predict(task, row_ids=[3, 60, 120])
    assert isinstance(prediction, PredictionClassif)
    data = prediction.as_prediction_data()
    assert isinstance(data, PredictionDataClassif)
    assert list(data.row_ids) == [3, 60, 120]
    assert list(data.response) == list(prediction.response)
    pd.testing.assert_frame_equal(data.prob, prediction.prob)


def test_regr_prediction_data_round_trip() -> None:
    task = tsk("mtcars")
    prediction = lrn("regr.featureless").train(task).predict(task, row_ids=[0, 5])
    assert isinstance(prediction, PredictionRegr)
    data = prediction.as_prediction_data()
    assert isinstance(data, PredictionDataRegr)
    np.testing.assert_array_equal(data.response, prediction.response)
    assert list(data.row_ids) == [0, 5] and data.se is None


def test_a_prediction_class_without_it_says_what_to_implement() -> None:
    class Bare(PredictionRegr):
        as_prediction_data = Prediction.as_prediction_data

    bare = Bare(row_ids=[0], truth=[1.0], response=[1.0])
    with pytest.raises(NotImplementedError, match="Bare must implement as_prediction_data"):
        bare.as_prediction_data()
