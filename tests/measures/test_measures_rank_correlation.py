"""Rank correlations regr.srho (Spearman) and regr.ktau (Kendall's tau-b) against scipy."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from mlr3py import msr
from mlr3py.predictions import PredictionRegr


def _pred(truth: np.ndarray, response: np.ndarray) -> PredictionRegr:
    return PredictionRegr(np.arange(truth.size), truth=truth, response=response)


def test_match_scipy(regr_pred: PredictionRegr) -> None:
    t, r = regr_pred.truth, regr_pred.response
    assert msr("regr.srho").score(regr_pred) == pytest.approx(stats.spearmanr(t, r)[0])
    assert msr("regr.ktau").score(regr_pred) == pytest.approx(stats.kendalltau(t, r)[0])


def test_hand_computed_with_ties() -> None:
    # Spearman = Pearson on average ranks; Kendall's tau-b corrects for ties
    truth = np.array([1.0, 2.0, 3.0, 4.0])
    response = np.array([1.0, 3.0, 2.0, 2.0])
    pearson = np.corrcoef([1, 2, 3, 4], [1, 4, 2.5, 2.5])[0, 1]
    assert msr("regr.srho").score(_pred(truth, response)) == pytest.approx(pearson)
    # pairs: concordant (1,2), (1,3), (1,4); discordant (2,3), (2,4); tied in response (3,4)
    tau_b = (3 - 2) / math.sqrt(6 * 5)
    assert msr("regr.ktau").score(_pred(truth, response)) == pytest.approx(tau_b)


def test_monotone_and_reversed() -> None:
    truth = np.array([1.0, 2.0, 5.0, 9.0])
    for key in ("regr.srho", "regr.ktau"):
        assert msr(key).score(_pred(truth, truth**3)) == pytest.approx(1.0)
        assert msr(key).score(_pred(truth, -truth)) == pytest.approx(-1.0)


def test_constant_or_single_values_give_nan() -> None:
    truth = np.array([1.0, 2.0, 3.0])
    for key in ("regr.srho", "regr.ktau"):
        assert math.isnan(msr(key).score(_pred(truth, np.full(3, 2.0))))
        assert math.isnan(msr(key).score(_pred(np.full(3, 2.0), truth)))
        assert math.isnan(msr(key).score(_pred(np.array([1.0]), np.array([2.0]))))


def test_metadata_follows_mlr3() -> None:
    for key in ("regr.srho", "regr.ktau"):
        m = msr(key)
        assert (m.range, m.minimize, m.predict_type) == ((-1.0, 1.0), False, "response")
        assert "na_score" in m.properties
