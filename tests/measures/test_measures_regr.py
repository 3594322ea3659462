"""Regression measures against scikit-learn and hand computations."""

from __future__ import annotations

import math

import numpy as np
import pytest
from sklearn import metrics

from mlr3py.errors import ConfigError
from mlr3py.measures import mlr_measures
from mlr3py.predictions import PredictionRegr


def score(key: str, pred: PredictionRegr, **kwargs: object) -> float:
    return mlr_measures.get(key, **kwargs).score(pred)


@pytest.mark.parametrize(
    ("key", "reference"),
    [
        ("regr.mse", metrics.mean_squared_error),
        ("regr.rmse", metrics.root_mean_squared_error),
        ("regr.mae", metrics.mean_absolute_error),
        ("regr.medae", metrics.median_absolute_error),
        ("regr.rsq", metrics.r2_score),
        ("regr.mape", metrics.mean_absolute_percentage_error),
        ("regr.maxae", metrics.max_error),
        ("regr.msle", metrics.mean_squared_log_error),
        ("regr.rmsle", metrics.root_mean_squared_log_error),
    ],
)
def test_matches_sklearn(key: str, reference: object, regr_pred: PredictionRegr) -> None:
    expected = reference(regr_pred.truth, regr_pred.response)  # type: ignore[operator]
    assert score(key, regr_pred) == pytest.approx(expected)


def test_bias_and_sse_by_hand() -> None:
    pred = PredictionRegr([0, 1, 2], truth=[1.0, 2.0, 3.0], response=[2.0, 2.0, 5.0])
    assert score("regr.bias", pred) == pytest.approx(1.0)
    assert score("regr.sse", pred) == pytest.approx(5.0)
    assert score("regr.maxae", pred) == 2.0
    assert score("regr.medae", pred) == 1.0


def test_mape_nan_with_zero_truth() -> None:
    pred = PredictionRegr([0, 1], truth=[0.0, 2.0], response=[1.0, 2.0])
    assert math.isnan(score("regr.mape", pred))


@pytest.mark.parametrize("key", ["regr.msle", "regr.rmsle"])
def test_msle_nan_for_values_at_or_below_minus_one(key: str) -> None:
    pred = PredictionRegr([0, 1], truth=[-2.0, 2.0], response=[1.0, 2.0])
    assert math.isnan(score(key, pred))
    pred = PredictionRegr([0, 1], truth=[1.0, 2.0], response=[-1.0, 2.0])
    assert math.isnan(score(key, pred))


def test_msle_defined_between_minus_one_and_zero() -> None:
    pred = PredictionRegr([0], truth=[-0.5], response=[0.0])
    assert score("regr.msle", pred) == pytest.approx(math.log(0.5) ** 2)


def test_rsq_nan_for_constant_truth() -> None:
    pred = PredictionRegr([0, 1, 2], truth=[3.0, 3.0, 3.0], response=[1.0, 2.0, 3.0])
    assert math.isnan(score("regr.rsq", pred))


def test_rsq_with_train_set_mean() -> None:
    class FakeTask:
        id = "fake"
        properties = frozenset()

        def truth(self, rows: np.ndarray) -> np.ndarray:
            return np.array([10.0, 20.0, 30.0, 40.0])[rows]

    pred = PredictionRegr([2, 3], truth=[30.0, 40.0], response=[32.0, 38.0])
    measure = mlr_measures.get("regr.rsq", pred_set_mean=False)
    # train mean 15: SST = 15^2 + 25^2 = 850, SSE = 8
    value = measure.score(pred, task=FakeTask(), train_set=[0, 1])
    assert value == pytest.approx(1 - 8 / 850)
    with pytest.raises(ConfigError, match="train set"):
        measure.score(pred)
    assert mlr_measures.get("regr.rsq").score(pred) == pytest.approx(1 - 8 / 50)


def test_missing_response_or_truth_gives_nan() -> None:
    pred = PredictionRegr([0, 1], truth=[1.0, 2.0], response=[1.0, np.nan])
    assert math.isnan(score("regr.mse", pred))
    new_data = PredictionRegr([0], truth=[np.nan], response=[1.0])
    assert math.isnan(score("regr.mae", new_data))
    assert math.isnan(score("regr.rsq", new_data))


def test_empty_prediction_gives_nan() -> None:
    empty = PredictionRegr([], truth=[], response=[])
    for key in ["regr.mse", "regr.maxae", "regr.rsq", "regr.sse"]:
        assert math.isnan(score(key, empty)), key
