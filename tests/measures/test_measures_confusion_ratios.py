"""Binary confusion ratios of mlr3measures: classif.dor, classif.fdr, classif.fomr."""

from __future__ import annotations

import math

import numpy as np
import pytest
from sklearn import metrics

from mlr3py import msr
from mlr3py.errors import ConfigError
from mlr3py.predictions import PredictionClassif


def _pred(truth: list[str], response: list[str]) -> PredictionClassif:
    return PredictionClassif(np.arange(len(truth)), truth=truth, response=response,
                             class_names=["pos", "neg"])


def test_ratios_match_a_hand_counted_confusion_matrix() -> None:
    # tp = 3, fn = 1, fp = 2, tn = 4 (positive class "pos")
    truth = ["pos"] * 4 + ["neg"] * 6
    response = ["pos", "pos", "pos", "neg"] + ["pos", "pos"] + ["neg"] * 4
    pred = _pred(truth, response)
    assert msr("classif.dor").score(pred) == pytest.approx((3 * 4) / (2 * 1))
    assert msr("classif.fdr").score(pred) == pytest.approx(2 / 5)
    assert msr("classif.fomr").score(pred) == pytest.approx(1 / 5)
    # fdr = 1 - precision, fomr = 1 - npv
    assert msr("classif.fdr").score(pred) == pytest.approx(
        1 - metrics.precision_score(truth, response, pos_label="pos"))
    assert msr("classif.fomr").score(pred) == pytest.approx(1 - msr("classif.npv").score(pred))


def test_metadata_follows_mlr3() -> None:
    dor, fdr, fomr = msr("classif.dor"), msr("classif.fdr"), msr("classif.fomr")
    assert (dor.range, dor.minimize) == ((0.0, math.inf), False)
    assert (fdr.range, fdr.minimize) == ((0.0, 1.0), True)
    assert (fomr.range, fomr.minimize) == ((0.0, 1.0), True)
    for m in (dor, fdr, fomr):
        assert m.task_properties == {"twoclass"}
        assert m.predict_type == "response"
        assert "na_score" in m.properties


def test_undefined_ratios_are_nan() -> None:
    # nothing predicted positive: fdr's denominator tp + fp is 0; no errors: dor divides by 0
    none_positive = _pred(["pos", "neg", "neg"], ["neg", "neg", "neg"])
    assert math.isnan(msr("classif.fdr").score(none_positive))
    perfect = _pred(["pos", "neg"], ["pos", "neg"])
    assert math.isnan(msr("classif.dor").score(perfect))
    all_positive = _pred(["pos", "neg"], ["pos", "pos"])
    assert math.isnan(msr("classif.fomr").score(all_positive))


def test_ratios_need_two_classes() -> None:
    pred = PredictionClassif([0, 1, 2], truth=["a", "b", "c"], response=["a", "b", "b"],
                             class_names=["a", "b", "c"])
    with pytest.raises(ConfigError, match="twoclass"):
        msr("classif.dor").score(pred)
