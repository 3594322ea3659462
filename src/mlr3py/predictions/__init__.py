"""Predictions of learners: :class:`PredictionClassif` and :class:`PredictionRegr`.

A prediction holds the row ids, the true target values and the predicted values
per predict type; it can be scored with measures, filtered and combined.
A learner's ``_predict`` returns :class:`PredictionDataClassif` /
:class:`PredictionDataRegr` (the predicted values only), which the learner turns
into a prediction. :func:`missing_prediction` builds a prediction whose values are
all missing (a step that failed).

:meth:`Prediction.score` reaches the measures through a hook
(:mod:`mlr3py.predictions._scorer`), because measures are a layer above.
Public names are loaded on first use, so that the package root can wire that hook
without importing pandas.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mlr3py.predictions._data import (
        PredictionData,
        PredictionDataClassif,
        PredictionDataRegr,
        check_prediction_data,
        concat_prediction_data,
    )
    from mlr3py.predictions._missing import missing_prediction, missing_prediction_data
    from mlr3py.predictions._weights import set_task_weights
    from mlr3py.predictions.base import Prediction, combine_predictions
    from mlr3py.predictions.classif import PredictionClassif
    from mlr3py.predictions.regr import PredictionRegr

_EXPORTS: dict[str, str] = {
    "Prediction": "mlr3py.predictions.base",
    "combine_predictions": "mlr3py.predictions.base",
    "PredictionClassif": "mlr3py.predictions.classif",
    "PredictionRegr": "mlr3py.predictions.regr",
    "PredictionData": "mlr3py.predictions._data",
    "PredictionDataClassif": "mlr3py.predictions._data",
    "PredictionDataRegr": "mlr3py.predictions._data",
    "check_prediction_data": "mlr3py.predictions._data",
    "concat_prediction_data": "mlr3py.predictions._data",
    "missing_prediction": "mlr3py.predictions._missing",
    "missing_prediction_data": "mlr3py.predictions._missing",
    "set_task_weights": "mlr3py.predictions._weights",
}

__all__ = [
    "Prediction",
    "PredictionClassif",
    "PredictionData",
    "PredictionDataClassif",
    "PredictionDataRegr",
    "PredictionRegr",
    "check_prediction_data",
    "combine_predictions",
    "concat_prediction_data",
    "missing_prediction",
    "missing_prediction_data",
    "set_task_weights",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'mlr3py.predictions' has no attribute '{name}'")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
