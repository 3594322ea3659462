"""Tests of the mlr_measures registry and every built-in measure."""

from __future__ import annotations

import math

import pytest

from mlr3py.errors import UnknownKeyError
from mlr3py.measures import Measure, mlr_measures
from mlr3py.predictions import PredictionClassif, PredictionRegr

CLASSIF = [
    "ce", "acc", "bacc", "auc", "prauc", "logloss", "bbrier", "mbrier", "precision", "recall",
    "fbeta", "tpr", "tnr", "fpr", "fnr", "ppv", "npv", "mcc", "sensitivity", "specificity",
    "tp", "fp", "tn", "fn",
]
REGR = ["mse", "rmse", "mae", "medae", "rsq", "mape", "maxae", "msle", "rmsle", "bias", "sse"]
KEYS = [f"classif.{k}" for k in CLASSIF] + [f"regr.{k}" for k in REGR] + [
    "time_train", "time_predict", "time_both"
]


def test_all_issue_keys_registered() -> None:
    assert set(KEYS) <= set(mlr_measures.keys())


@pytest.mark.parametrize("key", KEYS)
def test_built_in_measure_is_well_formed(key: str) -> None:
    measure = mlr_measures.get(key)
    assert isinstance(measure, Measure)
    assert measure.id == key
    assert measure.range[0] <= measure.range[1]
    assert measure.average == "macro"
    assert measure.label
    assert measure.minimize in (True, False, None)


@pytest.mark.parametrize("key", [k for k in KEYS if k.startswith("classif.")])
def test_classif_scores_lie_in_range(
    key: str, binary_pred: PredictionClassif, multi_pred: PredictionClassif
) -> None:
    measure = mlr_measures.get(key)
    preds = [binary_pred] if "twoclass" in measure.task_properties else [binary_pred, multi_pred]
    for pred in preds:
        value = measure.score(pred)
        assert not math.isnan(value)
        assert measure.range[0] <= value <= measure.range[1]


@pytest.mark.parametrize("key", [k for k in KEYS if k.startswith("regr.")])
def test_regr_scores_lie_in_range(key: str, regr_pred: PredictionRegr) -> None:
    measure = mlr_measures.get(key)
    value = measure.score(regr_pred)
    assert measure.range[0] <= value <= measure.range[1]


def test_table_view() -> None:
    table = mlr_measures.as_table()
    assert {"key", "task_type", "predict_type", "minimize", "range", "properties"} <= set(
        table.columns
    )
    row = table.set_index("key").loc["classif.logloss"]
    assert row["predict_type"] == "prob"
    assert row["range"] == "[0, Inf)"


def test_unknown_key_suggests() -> None:
    with pytest.raises(UnknownKeyError, match="classif.acc"):
        mlr_measures.get("classif.acx")
