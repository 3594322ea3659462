"""Checks of a single prediction against the task it was made on."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from mlr3py.predictions import Prediction
from mlr3py.testing._base import require

__all__ = ["check_prediction", "prediction_values", "same_predictions"]

_TOL = 1e-6


def prediction_values(prediction: Any) -> dict[str, np.ndarray]:
    """The predicted values of a prediction as plain arrays, for comparisons.

    Keys: ``row_ids``, ``response`` (labels as strings for classification,
    ``None`` for missing), and ``prob`` / ``se`` when present.
    """
    out: dict[str, np.ndarray] = {"row_ids": np.asarray(prediction.row_ids)}
    response = prediction.response
    if prediction.task_type == "classif":
        out["response"] = np.array(
            [None if pd.isna(v) else str(v) for v in np.asarray(response, dtype=object)],
            dtype=object,
        )
        prob = getattr(prediction, "prob", None)
        if prob is not None:
            out["prob"] = np.asarray(prob, dtype=float)
    else:
        out["response"] = np.asarray(response, dtype=float)
        se = getattr(prediction, "se", None)
        if se is not None:
            out["se"] = np.asarray(se, dtype=float)
    return out


def same_predictions(a: dict[str, np.ndarray], b: dict[str, np.ndarray], exact: bool) -> str:
    """Describe the first difference between two :func:`prediction_values` ("" if none)."""
    if sorted(a) != sorted(b):
        return f"predict types differ: {sorted(a)} vs {sorted(b)}"
    for key in a:
        x, y = a[key], b[key]
        if x.shape != y.shape:
            return f"'{key}' has shape {x.shape} vs {y.shape}"
        if x.dtype == object or exact:
            equal = (
                np.array_equal(x, y) if x.dtype == object
                else np.array_equal(x, y, equal_nan=True)
            )
        else:
            equal = np.allclose(x, y, rtol=1e-7, atol=1e-10, equal_nan=True)
        if not equal:
            diff = np.flatnonzero(
                ~(x == y) if x.dtype == object else ~np.isclose(x, y, equal_nan=True)
            ).tolist()
            return f"'{key}' differs (first differing positions {diff[:5]})"
    return ""


def _check_classif(prediction: Any, task: Any, n: int) -> None:
    class_names = [str(c) for c in task.class_names]
    response = prediction.response
    require(
        isinstance(response, pd.Categorical),
        f"the response must be a pandas.Categorical, got {type(response).__name__}",
    )
    require(len(response) == n, f"the response has {len(response)} values for {n} rows")
    cats = [str(c) for c in response.categories]
    require(
        cats == class_names,
        f"the response's categories {cats} must be the task's class names {class_names}",
    )
    n_missing = int(pd.isna(np.asarray(response, dtype=object)).sum())
    require(n_missing == 0, f"the response has {n_missing} missing values")
    prob = prediction.prob
    if prob is None:
        return
    require(isinstance(prob, pd.DataFrame), f"prob must be a DataFrame, got {type(prob).__name__}")
    cols = [str(c) for c in prob.columns]
    require(cols == class_names, f"the prob columns {cols} must be the class names {class_names}")
    values = prob.to_numpy(dtype=float)
    require(values.shape == (n, len(class_names)), f"prob has shape {values.shape}")
    require(not np.isnan(values).any(), "prob has missing values")
    require(
        values.min() >= -_TOL and values.max() <= 1 + _TOL,
        f"prob must lie in [0, 1], got values from {values.min()} to {values.max()}",
    )
    sums = values.sum(axis=1)
    bad = np.flatnonzero(np.abs(sums - 1) > _TOL)
    require(
        bad.size == 0,
        f"prob rows must sum to 1, but {bad.size} rows do not (e.g. row sum {sums[bad[:1]]})",
    )
    codes = np.array([class_names.index(str(v)) for v in np.asarray(response, dtype=object)])
    chosen = values[np.arange(n), codes]
    wrong = np.flatnonzero(chosen < values.max(axis=1) - _TOL)
    require(
        wrong.size == 0,
        f"the response must be a class of largest prob (ties allowed), but it is not in "
        f"{wrong.size} rows (e.g. position {wrong[:1].tolist()})",
    )


def _check_regr(prediction: Any, n: int) -> None:
    response = np.asarray(prediction.response)
    require(
        response.shape == (n,) and np.issubdtype(response.dtype, np.floating),
        f"the response must be a 1-D float array of length {n}, got dtype {response.dtype} "
        f"and shape {response.shape}",
    )
    n_missing = int(np.isnan(response).sum())
    require(n_missing == 0, f"the response has {n_missing} missing values")
    se = prediction.se
    if se is None:
        return
    se = np.asarray(se, dtype=float)
    require(se.shape == (n,), f"se has shape {se.shape}, expected ({n},)")
    require(not np.isnan(se).any(), "se has missing values")
    require(bool((se >= 0).all()), f"se must be non-negative, got minimum {se.min()}")


def check_prediction(prediction: Any, task: Any, predict_type: str | None = None) -> None:
    """Check a prediction made on all rows of ``task``.

    Checks the class and task type, the row ids (each task row exactly once),
    the truth (equal to the task's), the predict types (``predict_type`` present;
    only ``response`` for predict type ``response``), and the values:
    classification responses are categoricals over the class names without
    missing values, ``prob`` has one column per class name, values in [0, 1],
    rows summing to 1, and the response is a class of largest probability;
    regression responses are floats without missing values and ``se`` is
    non-negative.

    Parameters
    ----------
    prediction : Prediction
        The prediction.
    task : Task
        The task that was predicted.
    predict_type : str, optional
        The learner's predict type when predicting.

    Raises
    ------
    AssertionError
        Describing the first violation.
    """
    require(
        isinstance(prediction, Prediction),
        f"predict() must return a Prediction, got {type(prediction).__name__}",
    )
    require(
        prediction.task_type == task.task_type,
        f"the prediction's task_type '{prediction.task_type}' differs from the task's "
        f"'{task.task_type}'",
    )
    row_ids = np.asarray(prediction.row_ids)
    expected = np.asarray(task.row_ids)
    n = len(expected)
    require(np.issubdtype(row_ids.dtype, np.integer), f"row_ids have dtype {row_ids.dtype}")
    require(len(row_ids) == n, f"the prediction has {len(row_ids)} rows, the task {n}")
    require(
        len(np.unique(row_ids)) == n and set(row_ids.tolist()) == set(expected.tolist()),
        "the prediction's row_ids must be the task's row ids, each once",
    )
    types = list(prediction.predict_types)
    if predict_type is not None:
        require(predict_type in types, f"predict type '{predict_type}' missing from {types}")
        if predict_type == "response":
            require(types == ["response"], f"predict types {types}, expected ['response']")
    truth = prediction.truth
    if task.task_type == "classif":
        want = [str(v) for v in np.asarray(task.truth(row_ids), dtype=object)]
        got = [str(v) for v in np.asarray(truth, dtype=object)]
        require(got == want, "the prediction's truth differs from the task's target")
        _check_classif(prediction, task, n)
    else:
        want_values = np.asarray(task.truth(row_ids), dtype=float)
        require(
            np.allclose(np.asarray(truth, dtype=float), want_values, equal_nan=True),
            "the prediction's truth differs from the task's target",
        )
        _check_regr(prediction, n)
