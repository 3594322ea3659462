"""classif.costs: mlr3's MeasureClassifCosts (cost matrix, rows = response, columns = truth)."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest

from mlr3py import as_task_classif, msr
from mlr3py.errors import ConfigError
from mlr3py.measures import MeasureClassifCosts
from mlr3py.predictions import PredictionClassif

# mlr3 book, chapter 13: predicting "good" for a bad customer costs 5, the reverse 1
COSTS = pd.DataFrame([[-1.0, 5.0], [1.0, -0.5]], index=["bad", "good"], columns=["bad", "good"])


def _pred() -> PredictionClassif:
    truth = ["good", "good", "bad", "bad", "good", "bad"]
    response = ["good", "bad", "good", "bad", "good", "good"]
    return PredictionClassif(np.arange(6), truth=truth, response=response,
                             class_names=["good", "bad"])


def test_mean_and_total_cost_by_hand() -> None:
    measure = msr("classif.costs", costs=COSTS)
    # (r, t) per row: (g,g) -0.5, (b,g) 5, (g,b) 1, (b,b) -1, (g,g) -0.5, (g,b) 1
    total = -0.5 + 5 + 1 - 1 - 0.5 + 1
    assert measure.score(_pred()) == pytest.approx(total / 6)
    measure.param_set.set_values(normalize=False)
    assert measure.score(_pred()) == pytest.approx(total)


def test_matches_the_confusion_matrix_product() -> None:
    pred = _pred()
    confusion = pred.confusion.loc[["bad", "good"], ["bad", "good"]].to_numpy()
    expected = float(np.sum(confusion * COSTS.to_numpy())) / confusion.sum()
    assert msr("classif.costs", costs=COSTS).score(pred) == pytest.approx(expected)


def test_label_order_does_not_matter() -> None:
    shuffled = COSTS.loc[["good", "bad"], ["bad", "good"]]
    assert msr("classif.costs", costs=shuffled).score(_pred()) == pytest.approx(
        msr("classif.costs", costs=COSTS).score(_pred()))


def test_range_follows_the_costs() -> None:
    assert msr("classif.costs").range == (-math.inf, math.inf)
    assert msr("classif.costs", costs=COSTS).range == (-math.inf, math.inf)
    assert msr("classif.costs", costs=COSTS.abs()).range == (0.0, math.inf)
    assert msr("classif.costs", costs=-COSTS.abs()).range == (-math.inf, 0.0)
    m = MeasureClassifCosts(COSTS)
    assert (m.minimize, m.predict_type, m.param_set.default["normalize"]) == (
        True, "response", True)
    assert "weights" in m.properties


def test_labels_not_matching_the_classes_are_named() -> None:
    other = pd.DataFrame(np.ones((2, 2)), index=["bad", "ok"], columns=["bad", "ok"])
    with pytest.raises(ConfigError, match=r"classes without costs: \['good'\].*no class: \['ok'\]"):
        msr("classif.costs", costs=other).score(_pred())


@pytest.mark.parametrize(
    ("costs", "message"),
    [
        (np.ones((2, 2)), "must be a pandas DataFrame"),
        (pd.DataFrame(np.ones((2, 2)), index=["a", "b"], columns=["a", "c"]),
         r"Rows only: \['b'\]; columns only: \['c'\]"),
        (pd.DataFrame(np.ones((2, 2)), index=["a", "a"], columns=["a", "b"]), "unique row"),
        (pd.DataFrame([[0.0, np.nan], [1.0, 0.0]], index=["a", "b"], columns=["a", "b"]),
         "finite"),
        (pd.DataFrame([["x", "y"], ["z", "w"]], index=["a", "b"], columns=["a", "b"]),
         "numeric"),
    ],
)
def test_invalid_cost_matrices_are_refused(costs: object, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        msr("classif.costs", costs=costs)


def test_without_costs_every_error_costs_one() -> None:
    with pytest.warns(UserWarning, match="no cost matrix"):
        value = msr("classif.costs").score(_pred())
    assert value == pytest.approx(msr("classif.ce").score(_pred()))


def test_empty_or_missing_predictions_give_nan() -> None:
    measure = msr("classif.costs", costs=COSTS)
    empty = PredictionClassif([], truth=[], response=[], class_names=["good", "bad"])
    assert math.isnan(measure.score(empty))
    missing = PredictionClassif([0, 1], truth=["good", "bad"], response=["good", None],
                                class_names=["good", "bad"])
    assert math.isnan(measure.score(missing))


def test_measure_weights_weight_the_costs() -> None:
    w = np.array([1.0, 2.0, 0.5, 1.0, 3.0, 1.0])
    df = pd.DataFrame({"x": np.arange(6.0), "w": w,
                       "y": ["good", "good", "bad", "bad", "good", "bad"]})
    task = as_task_classif(df, target="y", positive="good")
    task.col_roles["weights_measure"] = ["w"]
    pred = _pred()
    per_row = np.array([-0.5, 5, 1, -1, -0.5, 1])
    measure = msr("classif.costs", costs=COSTS)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert measure.score(pred, task=task) == pytest.approx(np.sum(w * per_row) / w.sum())
    measure.param_set.set_values(normalize=False)
    assert measure.score(pred, task=task) == pytest.approx(np.sum(w * per_row))
