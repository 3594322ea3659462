"""Sample weights for measures: mlr3's ``weights_measure`` column role and ``use_weights``.

A task may hold a column with role ``weights_measure``. Measures with the
property ``"weights"`` then score the weighted version of their definition
(weighted means of the per-observation losses, as mlr3measures does), using
the weights of the scored rows. ``Measure.use_weights`` decides what happens
when the task passed to ``score()`` has such weights:

- ``"use"`` (the default of measures with property ``"weights"``): weighted score;
- ``"ignore"``: the unweighted score (the default of measures that score no
  prediction, such as timings);
- ``"error"`` (the default of every other measure): an
  :class:`~mlr3py.errors.InputError`, so a measure that cannot use weights is
  never taken for a weighted one; set ``use_weights = "ignore"`` to score it
  without them.

Weights come from the task given to ``score()`` (``ResampleResult.score()`` and
``aggregate()`` pass theirs), looked up by the prediction's row ids; without a task,
from the prediction itself (``Prediction.weights``, set when it was made on a task
with measure weights, as mlr3 stores them on the prediction). When the
weights of the scored rows sum to zero the weighted score is undefined: it is
NaN, with a warning.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from mlr3py.errors import InputError
from mlr3py.measures._functions import TOL, pinball_loss, smape_loss
from mlr3py.predictions._weights import task_weights

__all__ = [
    "USE_WEIGHTS",
    "WEIGHTED_CLASSIF",
    "WEIGHTED_REGR",
    "default_use_weights",
    "prediction_weights",
    "weighted_mean",
]

#: The values of ``Measure.use_weights``.
USE_WEIGHTS = ("use", "ignore", "error")


def default_use_weights(properties: set[str], task_type: str | None) -> str:
    """``"use"`` with property ``"weights"``, ``"ignore"`` without a task type, else ``"error"``."""
    if "weights" in properties:
        return "use"
    return "ignore" if task_type is None else "error"


def prediction_weights(measure_id: str, prediction: Any, task: Any) -> np.ndarray | None:
    """The ``weights_measure`` weights of ``prediction``'s rows in ``task``, or None.

    Without a task: the weights the prediction carries (``Prediction.weights``), or None.

    Raises
    ------
    InputError
        If a row id of the prediction is not a row of the task.
    """
    if prediction is None:
        return None
    if task is None:
        carried = getattr(prediction, "weights", None)
        return None if carried is None else np.asarray(carried, dtype=float)
    try:
        return task_weights(task, prediction.row_ids)
    except LookupError as exc:
        col = task.col_roles["weights_measure"][0]
        raise InputError(
            f"Measure '{measure_id}' needs the measure weights (column '{col}') of the "
            f"predicted rows, but some row ids of the prediction are not rows of Task "
            f"'{task.id}'. Score with the task the prediction was made on."
        ) from exc


def weighted_mean(values: np.ndarray, weights: np.ndarray, measure_id: str) -> float:
    """``sum(w * v) / sum(w)``; NaN with a warning when the weights sum to zero.

    NaN too when a value is not finite (the measure is undefined there, as
    its unweighted version is).
    """
    if not np.all(np.isfinite(values)):
        return math.nan
    total = float(np.sum(weights))
    if total <= 0:
        warnings.warn(
            f"Measure '{measure_id}': the measure weights of the {len(weights)} scored row(s) "
            f"sum to 0, so the weighted score is undefined (NaN).",
            stacklevel=4,
        )
        return math.nan
    return float(np.sum(weights * values) / total)


def _onehot(truth: np.ndarray, k: int) -> np.ndarray:
    out = np.zeros((truth.size, k))
    out[np.arange(truth.size), truth] = 1.0
    return out


# Per-observation losses: (truth, response-or-prob, k) -> values averaged with the weights.
_Loss = Callable[..., np.ndarray]

#: name -> per-observation loss of the classification measures that take weights.
WEIGHTED_CLASSIF: dict[str, tuple[_Loss, Callable[[float], float]]] = {
    "ce": (lambda t, r, k: (t != r).astype(float), float),
    "acc": (lambda t, r, k: (t == r).astype(float), float),
    "logloss": (
        lambda t, p, k, eps=1e-15: -np.log(np.clip(p[np.arange(t.size), t], eps, 1 - eps)),
        float,
    ),
    "mbrier": (lambda t, p, k: np.sum((_onehot(t, p.shape[1]) - p) ** 2, axis=1), float),
    "bbrier": (lambda t, p, k: (p[:, 0] - (t == 0).astype(float)) ** 2, float),
}

#: name -> (per-observation loss, transform of the weighted mean) of regression measures.
WEIGHTED_REGR: dict[str, tuple[_Loss, Callable[[float], float]]] = {
    "mse": (lambda t, r: (t - r) ** 2, float),
    "rmse": (lambda t, r: (t - r) ** 2, math.sqrt),
    "mae": (lambda t, r: np.abs(t - r), float),
    "mape": (
        lambda t, r: np.where(np.abs(t) < TOL, np.nan, np.abs((t - r) / np.where(t == 0, 1, t))),
        float,
    ),
    "msle": (lambda t, r: (np.log1p(t) - np.log1p(r)) ** 2, float),
    "rmsle": (lambda t, r: (np.log1p(t) - np.log1p(r)) ** 2, math.sqrt),
    "bias": (lambda t, r: r - t, float),
    "smape": (smape_loss, float),
    "pbias": (
        lambda t, r: np.where(
            np.abs(t) < TOL, np.nan, (r - t) / np.where(t == 0, 1, np.abs(t))
        ),
        float,
    ),
    "pinball": (pinball_loss, float),
}
