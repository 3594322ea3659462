"""Regression measures of mlr3measures: medse, sae, smape, pbias, pinball, rae, rse, rrse."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from sklearn import metrics

from mlr3py import as_task_regr, msr
from mlr3py.errors import ConfigError
from mlr3py.predictions import PredictionRegr

TRUTH = np.array([1.0, 2.0, 4.0, 8.0])
RESPONSE = np.array([2.0, 2.0, 3.0, 10.0])


def _pred(truth: np.ndarray = TRUTH, response: np.ndarray = RESPONSE) -> PredictionRegr:
    return PredictionRegr(np.arange(truth.size), truth=truth, response=response)


def test_values_computed_by_hand() -> None:
    pred = _pred()  # errors t - r: -1, 0, 1, -2; mean(t) = 3.75
    assert msr("regr.medse").score(pred) == pytest.approx(1.0)  # median(1, 0, 1, 4)
    assert msr("regr.sae").score(pred) == pytest.approx(4.0)
    smape = 2 * np.mean([1 / 3, 0 / 4, 1 / 7, 2 / 18])
    assert msr("regr.smape").score(pred) == pytest.approx(smape)
    assert msr("regr.pbias").score(pred) == pytest.approx(np.mean([1 / 1, 0, -1 / 4, 2 / 8]))
    sum_abs_dev = 2.75 + 1.75 + 0.25 + 4.25
    assert msr("regr.rae").score(pred) == pytest.approx(4.0 / sum_abs_dev)
    sst = 2.75**2 + 1.75**2 + 0.25**2 + 4.25**2
    assert msr("regr.rse").score(pred) == pytest.approx(6.0 / sst)
    assert msr("regr.rrse").score(pred) == pytest.approx(math.sqrt(6.0 / sst))
    assert msr("regr.rse").score(pred) == pytest.approx(1 - metrics.r2_score(TRUTH, RESPONSE))


@pytest.mark.parametrize("alpha", [0.1, 0.5, 0.9])
def test_pinball_matches_sklearn(regr_pred: PredictionRegr, alpha: float) -> None:
    expected = metrics.mean_pinball_loss(regr_pred.truth, regr_pred.response, alpha=alpha)
    assert msr("regr.pinball", alpha=alpha).score(regr_pred) == pytest.approx(expected)


def test_pinball_default_alpha_is_half_the_mae(regr_pred: PredictionRegr) -> None:
    measure = msr("regr.pinball")
    assert measure.param_set.default["alpha"] == 0.5
    assert measure.score(regr_pred) == pytest.approx(msr("regr.mae").score(regr_pred) / 2)
    with pytest.raises(ConfigError, match="alpha"):
        msr("regr.pinball", alpha=1.5)


def test_undefined_values_are_nan() -> None:
    constant = _pred(np.full(4, 3.0), RESPONSE)
    for key in ("regr.rae", "regr.rse", "regr.rrse"):
        assert math.isnan(msr(key).score(constant)), key
    zero_truth = _pred(np.array([0.0, 1.0]), np.array([1.0, 1.0]))
    assert math.isnan(msr("regr.pbias").score(zero_truth))
    both_zero = _pred(np.array([0.0, 1.0]), np.array([0.0, 2.0]))
    assert math.isnan(msr("regr.smape").score(both_zero))
    assert math.isnan(msr("regr.rse").score(_pred(np.array([1.0]), np.array([2.0]))))


def test_metadata_follows_mlr3() -> None:
    expected = {
        "regr.medse": ((0.0, math.inf), True),
        "regr.sae": ((0.0, math.inf), True),
        "regr.smape": ((0.0, 2.0), True),
        "regr.pbias": ((-math.inf, math.inf), None),
        "regr.pinball": ((-math.inf, math.inf), True),
        "regr.rae": ((0.0, math.inf), True),
        "regr.rse": ((0.0, math.inf), True),
        "regr.rrse": ((0.0, math.inf), True),
    }
    for key, (rng, minimize) in expected.items():
        m = msr(key)
        assert (m.range, m.minimize, m.predict_type) == (rng, minimize, "response"), key


def test_smape_pbias_pinball_use_measure_weights() -> None:
    rng = np.random.default_rng(7)
    n = 30
    w = rng.random(n) * 2
    y = rng.uniform(1, 5, n)
    task = as_task_regr(pd.DataFrame({"x": rng.random(n), "w": w, "y": y}), target="y")
    task.col_roles["weights_measure"] = ["w"]
    response = y + rng.normal(0, 1, n)
    pred = PredictionRegr(np.asarray(task.row_ids), truth=y, response=response)
    smape = np.sum(w * 2 * np.abs(y - response) / (np.abs(y) + np.abs(response))) / w.sum()
    assert msr("regr.smape").score(pred, task=task) == pytest.approx(smape)
    pbias = np.sum(w * (response - y) / np.abs(y)) / w.sum()
    assert msr("regr.pbias").score(pred, task=task) == pytest.approx(pbias)
    pinball = metrics.mean_pinball_loss(y, response, alpha=0.3, sample_weight=w)
    assert msr("regr.pinball", alpha=0.3).score(pred, task=task) == pytest.approx(pinball)
