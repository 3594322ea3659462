"""Predictions of a classification learner: response labels and class probabilities."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from mlr3py.errors import ConfigError, InputError
from mlr3py.predictions._data import PredictionDataClassif
from mlr3py.predictions.base import Prediction, _as_row_ids, _check_length

__all__ = ["PredictionClassif", "class_dtype"]


def class_dtype(class_names: Sequence[str]) -> pd.CategoricalDtype:
    """The (unordered) categorical dtype with categories ``class_names``.

    Dtypes are immutable and cached per tuple of class names: building one
    validates its categories, which costs more than predicting a small model.
    """
    return _class_dtype(tuple(class_names))


@functools.lru_cache(maxsize=256)
def _class_dtype(class_names: tuple[str, ...]) -> pd.CategoricalDtype:
    return pd.CategoricalDtype(list(class_names))


def _infer_class_names(truth: Any, response: Any, prob: Any) -> list[str]:
    for values in (truth, response):
        if isinstance(values, pd.Categorical) or isinstance(
            getattr(values, "dtype", None), pd.CategoricalDtype
        ):
            return [str(c) for c in pd.Categorical(values).categories]
    if isinstance(prob, pd.DataFrame):
        return [str(c) for c in prob.columns]
    seen: set[str] = set()
    for values in (truth, response):
        if values is not None:
            seen.update(str(v) for v in pd.Series(values, dtype=object).dropna())
    return sorted(seen)


def _as_codes(values: Any, class_names: list[str], what: str) -> np.ndarray:
    """Integer codes of ``values`` in ``class_names`` (-1 for missing values)."""
    if isinstance(values, pd.Series):
        values = values.array
    if isinstance(values, pd.Categorical):
        if [str(c) for c in values.categories] == class_names:
            return np.asarray(values.codes, dtype=np.int32)
        values = np.asarray(values.astype(object))
    obj = np.asarray(values, dtype=object).reshape(-1)
    missing = np.asarray(pd.isna(obj), dtype=bool)
    index = pd.Index(class_names, dtype=object)
    codes = np.asarray(index.get_indexer(obj), dtype=np.int32)
    if ((codes < 0) & ~missing).any():  # labels that are not strings, e.g. 0 / 1
        labels = np.array([str(v) for v in obj], dtype=object)
        codes = np.asarray(index.get_indexer(labels), dtype=np.int32)
    codes[missing] = -1
    bad = (codes < 0) & ~missing
    if bad.any():
        unknown = sorted({str(v) for v in obj[bad]})
        raise InputError(
            f"The {what} of a prediction contains labels {unknown} that are not among the "
            f"class names {class_names}. Pass class_names including every label."
        )
    return codes


def _as_prob(prob: Any, class_names: list[str], n: int) -> np.ndarray:
    if isinstance(prob, pd.DataFrame):
        cols = [str(c) for c in prob.columns]
        if sorted(cols) != sorted(class_names):
            raise InputError(
                f"The prob columns of a prediction must be the class names {class_names}. "
                f"Got columns {cols} instead."
            )
        prob = prob.set_axis(cols, axis=1)[class_names].to_numpy(dtype=float)
    arr = np.array(prob, dtype=float)
    if arr.ndim == 1 and len(class_names) == 2:
        arr = np.column_stack([arr, 1.0 - arr])
    if arr.ndim != 2 or arr.shape != (n, len(class_names)):
        raise InputError(
            f"The prob of a prediction must be a matrix with {n} rows and one column per "
            f"class ({len(class_names)}). Got shape {arr.shape} instead."
        )
    finite = arr[~np.isnan(arr)]
    if finite.size and (finite.min() < -1e-8 or finite.max() > 1 + 1e-8):
        raise InputError(
            "The prob of a prediction must lie in [0, 1]. "
            f"Got values from {finite.min()} to {finite.max()} instead."
        )
    return arr


def _argmax_codes(scores: np.ndarray) -> np.ndarray:
    """Column of the largest value per row (first on ties); -1 for rows with NaN."""
    codes = np.full(scores.shape[0], -1, dtype=np.int32)
    ok = ~np.isnan(scores).any(axis=1)
    if scores.shape[1] and ok.any():
        codes[ok] = np.argmax(scores[ok], axis=1)
    return codes


class PredictionClassif(Prediction):
    """Predictions of a classification learner.

    Parameters
    ----------
    row_ids : array-like of int
        Row ids of the predicted observations.
    truth : array-like or pandas.Categorical
        True labels (missing values allowed, e.g. for new data).
    response : array-like or pandas.Categorical, optional
        Predicted labels; NaN marks a missing prediction. Computed from ``prob``
        (largest probability, first class on ties) when omitted.
    prob : pandas.DataFrame or 2-D array, optional
        Class probabilities, one column per class (DataFrame columns named by class,
        array columns in ``class_names`` order).
    class_names : list of str, optional
        The classes, positive class first for two-class tasks. Taken from
        ``truth``'s categories when omitted.

    Examples
    --------
    >>> p = PredictionClassif([0, 1, 2], truth=["a", "b", "a"], response=["a", "a", "a"],
    ...                       class_names=["a", "b"])
    >>> float(p.score()["classif.ce"])
    0.3333333333333333
    """

    task_type = "classif"
    _row_fields = ("_row_ids", "_truth", "_response", "_prob")

    def __init__(
        self,
        row_ids: Any,
        truth: Any,
        response: Any = None,
        prob: Any = None,
        class_names: Sequence[str] | None = None,
    ) -> None:
        super().__init__(row_ids)
        n = len(self._row_ids)
        if response is None and prob is None:
            raise InputError("A PredictionClassif needs a response, a prob matrix, or both.")
        if class_names is None:
            class_names = _infer_class_names(truth, response, prob)
        self._class_names = [str(c) for c in class_names]
        if len(set(self._class_names)) != len(self._class_names):
            raise InputError(f"Class names must be unique. Got {self._class_names} instead.")
        _check_length(truth, n, "truth")
        self._truth = _as_codes(truth, self._class_names, "truth")
        self._prob = None if prob is None else _as_prob(prob, self._class_names, n)
        if self._prob is not None and response is None:
            self._response = _argmax_codes(self._prob)
        else:
            _check_length(response, n, "response")
            self._response = _as_codes(response, self._class_names, "response")

    @classmethod
    def _from_codes(
        cls,
        row_ids: np.ndarray,
        truth: np.ndarray,
        response: np.ndarray,
        prob: np.ndarray | None,
        class_names: list[str],
    ) -> PredictionClassif:
        obj = cls.__new__(cls)
        obj._row_ids = row_ids
        obj._truth = truth
        obj._response = response
        obj._prob = prob
        obj._class_names = list(class_names)
        return obj

    # -- accessors ----------------------------------------------------------------
    @property
    def class_names(self) -> list[str]:
        """The class labels (positive class first for two-class tasks)."""
        return list(self._class_names)

    @property
    def positive(self) -> str | None:
        """The positive class (the first class) for two classes, else ``None``."""
        return self._class_names[0] if len(self._class_names) == 2 else None

    @property
    def predict_types(self) -> list[str]:
        return ["response", "prob"] if self._prob is not None else ["response"]

    def _categorical(self, codes: np.ndarray) -> pd.Categorical:
        return pd.Categorical.from_codes(codes, dtype=class_dtype(self._class_names))

    @property
    def truth(self) -> pd.Categorical:
        """True labels as a Categorical with categories ``class_names``."""
        return self._categorical(self._truth)

    @property
    def response(self) -> pd.Categorical:
        """Predicted labels as a Categorical (NaN for missing predictions)."""
        return self._categorical(self._response)

    def as_prediction_data(self) -> PredictionDataClassif:
        """The predicted labels and probabilities, with the row ids."""
        return PredictionDataClassif(response=self.response, prob=self.prob,
                                     row_ids=self.row_ids)

    @property
    def prob(self) -> pd.DataFrame | None:
        """Class probabilities (columns ``class_names``, index row ids) or ``None``."""
        if self._prob is None:
            return None
        index = pd.Index(self._row_ids, name="row_id")
        return pd.DataFrame(self._prob, columns=self._class_names, index=index)

    @property
    def _missing_mask(self) -> np.ndarray:
        mask = self._response < 0
        if self._prob is not None:
            mask = mask | np.isnan(self._prob).any(axis=1)
        return mask

    @property
    def confusion(self) -> pd.DataFrame:
        """Confusion matrix: counts with predicted labels as rows, true labels as columns.

        Rows with a missing truth or response are left out.
        """
        k = len(self._class_names)
        ok = (self._truth >= 0) & (self._response >= 0)
        flat = self._response[ok].astype(np.int64) * k + self._truth[ok]
        counts = np.bincount(flat, minlength=k * k).reshape(k, k)
        return pd.DataFrame(
            counts,
            index=pd.Index(self._class_names, name="response"),
            columns=pd.Index(self._class_names, name="truth"),
        )

    # -- operations ---------------------------------------------------------------
    def set_threshold(
        self, threshold: float | Mapping[str, float] | pd.Series
    ) -> PredictionClassif:
        """Recompute the response from the probabilities with a threshold (in place).

        Parameters
        ----------
        threshold : float or mapping class -> float
            Two classes: a float ``t`` in [0, 1]; an observation is labelled positive
            (the first class) when its positive probability is ``>= t``. Any number of
            classes: one non-negative weight per class; the response is the class with
            the largest ``prob / weight`` (first class on ties).

        Returns
        -------
        PredictionClassif
            ``self``.
        """
        if self._prob is None:
            raise ConfigError(
                "set_threshold() needs predicted probabilities, but this prediction has "
                "predict types ['response'] only. Predict with predict_type='prob'."
            )
        if isinstance(threshold, (Mapping, pd.Series)):
            weights = {str(k): v for k, v in dict(threshold).items()}
            if sorted(weights) != sorted(self._class_names):
                raise ConfigError(
                    f"set_threshold() needs one threshold per class {self._class_names}. "
                    f"Got thresholds for {list(weights)} instead."
                )
            w = np.array([weights[c] for c in self._class_names], dtype=float)
            if np.isnan(w).any() or (w < 0).any():
                raise ConfigError(
                    f"Thresholds must be non-negative numbers. Got {weights} instead."
                )
            with np.errstate(divide="ignore", invalid="ignore"):
                scaled = self._prob / w
            scaled[np.isnan(scaled) & ~np.isnan(self._prob)] = 0.0  # 0 / 0
            self._response = _argmax_codes(scaled)
            return self
        if isinstance(threshold, bool) or not isinstance(threshold, (int, float, np.number)):
            raise ConfigError(
                "The threshold must be a float in [0, 1] (two classes) or a mapping class -> "
                f"threshold. Got {threshold!r} instead."
            )
        t = float(threshold)
        if not 0.0 <= t <= 1.0:
            raise ConfigError(
                f"The threshold must be a float in [0, 1]. Got {threshold!r} instead."
            )
        if len(self._class_names) != 2:
            raise ConfigError(
                f"A single threshold needs two classes, but this prediction has "
                f"{len(self._class_names)} ({self._class_names}). Pass a mapping class -> "
                "threshold instead."
            )
        pos = self._prob[:, 0]
        codes = np.where(pos >= t, 0, 1).astype(np.int32)
        codes[np.isnan(pos)] = -1
        self._response = codes
        return self

    def as_data_frame(self) -> pd.DataFrame:
        """Columns ``row_ids``, ``truth``, ``response`` and ``prob.<class>`` per class."""
        data: dict[str, Any] = {
            "row_ids": self._row_ids,
            "truth": self.truth,
            "response": self.response,
        }
        if self._prob is not None:
            for j, c in enumerate(self._class_names):
                data[f"prob.{c}"] = self._prob[:, j]
        return pd.DataFrame(data)

    def _subset(self, index: np.ndarray) -> None:
        self._row_ids = self._row_ids[index]
        self._truth = self._truth[index]
        self._response = self._response[index]
        if self._prob is not None:
            self._prob = self._prob[index]
        if self._weights is not None:
            self._weights = self._weights[index]

    def _check_combinable(self, other: Prediction) -> None:
        super()._check_combinable(other)
        assert isinstance(other, PredictionClassif)
        if other._class_names != self._class_names:
            raise InputError(
                "Cannot combine predictions with different class names: "
                f"{self._class_names} and {other._class_names}."
            )

    @classmethod
    def _concat(cls, predictions: Sequence[Prediction]) -> PredictionClassif:
        preds = [p for p in predictions if isinstance(p, PredictionClassif)]
        first = preds[0]
        prob = None
        if first._prob is not None:
            prob = np.concatenate([p._prob for p in preds], axis=0)
        return cls._from_codes(
            _as_row_ids(np.concatenate([p._row_ids for p in preds])),
            np.concatenate([p._truth for p in preds]),
            np.concatenate([p._response for p in preds]),
            prob,
            first._class_names,
        )

    # -- views used by measures ---------------------------------------------------
    @property
    def truth_codes(self) -> np.ndarray:
        """True labels as integer codes into ``class_names`` (-1 = missing)."""
        return self._truth

    @property
    def response_codes(self) -> np.ndarray:
        """Predicted labels as integer codes into ``class_names`` (-1 = missing)."""
        return self._response

    @property
    def prob_matrix(self) -> np.ndarray | None:
        """Probabilities as a float array (columns in ``class_names`` order) or ``None``."""
        return self._prob
