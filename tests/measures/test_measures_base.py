"""Tests of the Measure base class: validation, aggregation, description."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

from mlr3py.errors import ConfigError, InputError, UnknownKeyError
from mlr3py.measures import Measure, MeasureClassif, MeasureRegr, mlr_measures
from mlr3py.predictions import PredictionClassif, PredictionRegr


def _regr(rows: list[int], truth: list[float], response: list[float]) -> PredictionRegr:
    return PredictionRegr(rows, truth=truth, response=response)


def test_task_type_mismatch_names_both(binary_pred: PredictionClassif) -> None:
    with pytest.raises(ConfigError, match=r"regr\.mse.*'regr'.*PredictionClassif.*'classif'"):
        mlr_measures.get("regr.mse").score(binary_pred)


def test_missing_predict_type_warns_and_gives_nan() -> None:
    pred = PredictionClassif([0, 1], truth=["a", "b"], response=["a", "a"], class_names=["a", "b"])
    with pytest.warns(UserWarning, match="classif.auc.*missing predict type 'prob'"):
        value = mlr_measures.get("classif.auc").score(pred)
    assert math.isnan(value)


def test_score_needs_a_prediction() -> None:
    with pytest.raises(InputError, match="Prediction"):
        mlr_measures.get("classif.ce").score("not a prediction")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="needs a prediction"):
        mlr_measures.get("classif.ce").score(None)


def test_requirements_are_checked() -> None:
    class NeedsAll(MeasureRegr):
        def __init__(self) -> None:
            super().__init__(
                "regr.needs",
                properties={"requires_task", "requires_learner", "requires_train_set"},
                minimize=True,
            )

        def _score(self, prediction: Any, task: Any = None, learner: Any = None,
                   train_set: Any = None) -> float:
            return float(len(train_set))

    pred = _regr([0], [1.0], [1.0])
    with pytest.raises(ConfigError, match="requires the task"):
        NeedsAll().score(pred)
    with pytest.raises(ConfigError, match="requires the learner"):
        NeedsAll().score(pred, task=object())
    with pytest.raises(ConfigError, match="requires the train set"):
        NeedsAll().score(pred, task=object(), learner=object())
    assert NeedsAll().score(pred, task=object(), learner=object(), train_set=[1, 2]) == 2.0


def test_unknown_property_rejected() -> None:
    with pytest.raises(ConfigError, match="unknown properties"):
        Measure("x", properties={"fast"})


def test_base_score_hook_is_abstract() -> None:
    with pytest.raises(NotImplementedError, match="_score"):
        MeasureRegr("regr.abstract").score(_regr([0], [1.0], [1.0]))


def test_macro_aggregate_is_mean_of_iterations() -> None:
    preds = [_regr([0, 1], [1.0, 2.0], [1.0, 4.0]), _regr([2], [0.0], [1.0])]
    measure = mlr_measures.get("regr.mse")
    assert measure.aggregate(preds) == pytest.approx((2.0 + 1.0) / 2)
    assert measure.aggregate(preds, scores=np.array([1.0, 3.0])) == 2.0


def test_micro_aggregate_scores_combined_prediction() -> None:
    preds = [_regr([0, 1], [1.0, 2.0], [1.0, 4.0]), _regr([2], [0.0], [1.0])]
    measure = mlr_measures.get("regr.mse", average="micro")
    assert measure.average == "micro"
    assert measure.aggregate(preds) == pytest.approx(5.0 / 3)


def test_macro_aggregate_propagates_nan() -> None:
    measure = mlr_measures.get("regr.mse")
    assert math.isnan(measure.aggregate([], scores=[1.0, math.nan]))
    assert math.isnan(measure.aggregate([], scores=[]))


def test_aggregate_checks_lengths() -> None:
    preds = [_regr([0], [1.0], [1.0])]
    with pytest.raises(InputError, match="learners"):
        mlr_measures.get("regr.mse").aggregate(preds, learners=[None, None])


def test_average_validated() -> None:
    with pytest.raises(ConfigError, match="'weighted'"):
        mlr_measures.get("classif.ce", average="weighted")


def test_parameter_values_validated() -> None:
    with pytest.raises(ConfigError, match=r"'beta' parameter of Measure 'classif\.fbeta'"):
        mlr_measures.get("classif.fbeta", beta=-1.0)
    with pytest.raises(UnknownKeyError, match="bta"):
        mlr_measures.get("classif.fbeta", bta=2.0)


def test_id_settable_and_names_score_column(binary_pred: PredictionClassif) -> None:
    measure = mlr_measures.get("classif.ce", id="error")
    assert binary_pred.score(measure).index.tolist() == ["error"]
    assert "Measure 'error'" in measure.param_set.context
    with pytest.raises(ConfigError, match="non-empty string"):
        measure.id = ""


def test_clone_is_independent() -> None:
    measure = mlr_measures.get("classif.fbeta", beta=2.0)
    copy = measure.clone()
    copy.param_set.set_values(beta=0.5)
    assert measure.param_set.get_values()["beta"] == 2.0


def test_repr_and_dict_row() -> None:
    measure = mlr_measures.get("classif.auc")
    text = repr(measure)
    assert text.startswith("<MeasureClassifSimple:classif.auc>: Area Under the ROC Curve")
    assert "* Range: [0, 1]" in text
    assert "* Predict type: prob" in text
    row = mlr_measures.as_table().set_index("key").loc["classif.auc"].to_dict()
    assert row["task_type"] == "classif"
    assert row["predict_type"] == "prob"
    assert row["minimize"] is False
    assert row["range"] == "[0, 1]"
    assert row["task_properties"] == ["twoclass"]


def test_declared_metadata() -> None:
    ce = mlr_measures.get("classif.ce")
    assert isinstance(ce, MeasureClassif)
    assert (ce.task_type, ce.predict_type, ce.minimize, ce.range) == (
        "classif", "response", True, (0.0, 1.0)
    )
    rsq = mlr_measures.get("regr.rsq")
    assert rsq.range == (-math.inf, 1.0)
    assert rsq.minimize is False
    assert mlr_measures.get("regr.bias").minimize is None
