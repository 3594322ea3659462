"""Predictions of a regression learner: response and standard error."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from mlr3py.errors import InputError
from mlr3py.predictions._data import PredictionDataRegr
from mlr3py.predictions.base import Prediction, _as_row_ids, _check_length

__all__ = ["PredictionRegr"]


def _as_float(values: Any, n: int, what: str) -> np.ndarray:
    _check_length(values, n, what)
    try:
        arr = np.array(values, dtype=float).reshape(-1)
    except (TypeError, ValueError) as err:
        raise InputError(
            f"The {what} of a regression prediction must be numeric. Got {values!r:.80} instead."
        ) from err
    return arr


class PredictionRegr(Prediction):
    """Predictions of a regression learner.

    Parameters
    ----------
    row_ids : array-like of int
        Row ids of the predicted observations.
    truth : array-like of float
        True target values (NaN allowed, e.g. for new data).
    response : array-like of float
        Predicted values; NaN marks a missing prediction.
    se : array-like of float, optional
        Predicted standard errors.

    Examples
    --------
    >>> p = PredictionRegr([0, 1], truth=[1.0, 2.0], response=[1.5, 2.5])
    >>> float(p.score()["regr.mse"])
    0.25
    """

    task_type = "regr"
    _row_fields = ("_row_ids", "_truth", "_response", "_se")

    def __init__(self, row_ids: Any, truth: Any, response: Any, se: Any = None) -> None:
        super().__init__(row_ids)
        n = len(self._row_ids)
        self._truth = _as_float(truth, n, "truth")
        self._response = _as_float(response, n, "response")
        self._se = None if se is None else _as_float(se, n, "se")
        if self._se is not None and (self._se[~np.isnan(self._se)] < 0).any():
            raise InputError("The se of a regression prediction must be >= 0.")

    @property
    def predict_types(self) -> list[str]:
        return ["response", "se"] if self._se is not None else ["response"]

    @property
    def truth(self) -> np.ndarray:
        """True target values."""
        return self._truth

    @property
    def response(self) -> np.ndarray:
        """Predicted values (NaN for missing predictions)."""
        return self._response

    def as_prediction_data(self) -> PredictionDataRegr:
        """The predicted values and standard errors, with the row ids."""
        return PredictionDataRegr(response=self.response, se=self.se, row_ids=self.row_ids)

    @property
    def se(self) -> np.ndarray | None:
        """Predicted standard errors, or ``None``."""
        return self._se

    @property
    def _missing_mask(self) -> np.ndarray:
        mask = np.isnan(self._response)
        if self._se is not None:
            mask = mask | np.isnan(self._se)
        return mask

    def as_data_frame(self) -> pd.DataFrame:
        """Columns ``row_ids``, ``truth``, ``response`` and ``se`` (when present)."""
        data: dict[str, Any] = {
            "row_ids": self._row_ids,
            "truth": self._truth,
            "response": self._response,
        }
        if self._se is not None:
            data["se"] = self._se
        return pd.DataFrame(data)

    def _subset(self, index: np.ndarray) -> None:
        self._row_ids = self._row_ids[index]
        self._truth = self._truth[index]
        self._response = self._response[index]
        if self._se is not None:
            self._se = self._se[index]
        if self._weights is not None:
            self._weights = self._weights[index]

    @classmethod
    def _concat(cls, predictions: Sequence[Prediction]) -> PredictionRegr:
        preds = [p for p in predictions if isinstance(p, PredictionRegr)]
        obj = cls.__new__(cls)
        obj._row_ids = _as_row_ids(np.concatenate([p._row_ids for p in preds]))
        obj._truth = np.concatenate([p._truth for p in preds])
        obj._response = np.concatenate([p._response for p in preds])
        obj._se = None if preds[0]._se is None else np.concatenate([p._se for p in preds])
        return obj
