"""What a learner's ``_predict`` returns: ``PredictionDataClassif`` / ``PredictionDataRegr``.

Prediction data holds the predicted values only; the learner turns it into a
:class:`~mlr3py.predictions.PredictionClassif` / :class:`~mlr3py.predictions.PredictionRegr`
by adding the truth from the task and the class names from its trained state.
``row_ids`` is ``None`` when the data covers every row of the predicted task in task
order, and names the rows otherwise (a learner may predict fewer rows than asked for).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, fields, replace
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from mlr3py.errors import InputError

__all__ = [
    "PREDICTION_DATA_CLASSES",
    "PredictionData",
    "PredictionDataClassif",
    "PredictionDataRegr",
    "check_prediction_data",
    "concat_prediction_data",
]


def _length(values: Any, what: str, owner: str) -> int:
    shape = getattr(values, "shape", None)
    if shape is not None:
        if len(shape) != 1:
            raise InputError(
                f"The {what} of {owner} must be one-dimensional. Got shape {tuple(shape)} instead."
            )
        return int(shape[0])
    try:
        return len(values)
    except TypeError:
        raise InputError(
            f"The {what} of {owner} must be a sequence of values. Got {values!r:.80} instead."
        ) from None


def _same_length(lengths: dict[str, int], owner: str) -> None:
    if len(set(lengths.values())) > 1:
        detail = ", ".join(f"{k}: {v}" for k, v in lengths.items())
        raise InputError(
            f"The fields of {owner} must describe the same number of rows. Got {detail}."
        )


@dataclass(kw_only=True)
class PredictionData:
    """Predicted values of some rows; the base of the per-task-type classes.

    Attributes
    ----------
    response : array-like or None
        The predicted values (one per row).
    row_ids : numpy.ndarray or None
        The rows predicted; ``None``: all rows of the predicted task, in its order.
    """

    task_type: ClassVar[str] = ""
    response: Any = None
    row_ids: Any = None

    def __post_init__(self) -> None:
        if self.row_ids is not None:
            rows = np.asarray(self.row_ids)
            if rows.ndim != 1 or (rows.size and not np.issubdtype(rows.dtype, np.integer)):
                raise InputError(
                    f"The row_ids of {self._owner} must be a 1-D sequence of integers. "
                    f"Got {self.row_ids!r:.80} instead."
                )
            self.row_ids = rows.astype(np.int64, copy=False)

    @property
    def _owner(self) -> str:
        return type(self).__name__

    @property
    def n(self) -> int | None:
        """The number of rows described, or None when no field says it."""
        if self.row_ids is not None:
            return len(self.row_ids)
        for f in fields(self):
            value = getattr(self, f.name)
            if value is not None:
                return len(value)
        return None

    def with_row_ids(self, row_ids: Any) -> PredictionData:
        """A copy that names its rows (``row_ids``)."""
        return replace(self, row_ids=row_ids)


@dataclass(kw_only=True)
class PredictionDataClassif(PredictionData):
    """Predictions of a classification learner.

    Attributes
    ----------
    response : pandas.Categorical, array-like of labels, or None
        Predicted class labels; a missing value marks a missing prediction.
    prob : numpy.ndarray, pandas.DataFrame or None
        Class probabilities, one row per predicted row: an array with columns in the
        trained state's ``class_names`` order, or a DataFrame whose columns are class
        names (absent classes count as 0). NaN marks a missing prediction.
    row_ids : numpy.ndarray or None
        See :class:`PredictionData`.

    At least one of ``response`` and ``prob`` is given; with ``prob`` only, the
    response is the class of largest probability.
    """

    task_type: ClassVar[str] = "classif"
    prob: Any = field(default=None)

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.response is None and self.prob is None:
            raise InputError(
                f"{self._owner} needs a response, a prob matrix, or both. Got neither."
            )
        lengths: dict[str, int] = {}
        if self.row_ids is not None:
            lengths["row_ids"] = len(self.row_ids)
        if self.response is not None:
            lengths["response"] = _length(self.response, "response", self._owner)
        if self.prob is not None:
            if not isinstance(self.prob, pd.DataFrame):
                prob = np.asarray(self.prob)
                if prob.ndim != 2 or not np.issubdtype(prob.dtype, np.number):
                    raise InputError(
                        f"The prob of {self._owner} must be a 2-D numeric array (one column "
                        f"per class) or a DataFrame with class-name columns. Got "
                        f"{self.prob!r:.80} instead."
                    )
                self.prob = prob
            lengths["prob"] = int(self.prob.shape[0])
        _same_length(lengths, self._owner)


@dataclass(kw_only=True)
class PredictionDataRegr(PredictionData):
    """Predictions of a regression learner.

    Attributes
    ----------
    response : numpy.ndarray
        Predicted values (float64); NaN marks a missing prediction.
    se : numpy.ndarray or None
        Predicted standard errors (float64, >= 0 or NaN).
    row_ids : numpy.ndarray or None
        See :class:`PredictionData`.
    """

    task_type: ClassVar[str] = "regr"
    se: Any = None

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.response is None:
            raise InputError(f"{self._owner} needs a response. Got None.")
        lengths: dict[str, int] = {}
        if self.row_ids is not None:
            lengths["row_ids"] = len(self.row_ids)
        self.response = self._floats(self.response, "response")
        lengths["response"] = len(self.response)
        if self.se is not None:
            self.se = self._floats(self.se, "se")
            lengths["se"] = len(self.se)
            if (self.se[~np.isnan(self.se)] < 0).any():
                raise InputError(f"The se of {self._owner} must be >= 0 (or NaN).")
        _same_length(lengths, self._owner)

    def _floats(self, values: Any, what: str) -> np.ndarray:
        _length(values, what, self._owner)
        try:
            return np.asarray(values, dtype=np.float64)
        except (TypeError, ValueError):
            raise InputError(
                f"The {what} of {self._owner} must be numeric. Got {values!r:.80} instead."
            ) from None


def _concat_values(values: Sequence[Any]) -> Any:
    first = values[0]
    if isinstance(first, pd.Categorical):
        cats = first.categories
        return pd.Categorical.from_codes(
            np.concatenate([np.asarray(pd.Categorical(v, categories=cats).codes) for v in values]),
            categories=cats,
        )
    if isinstance(first, pd.DataFrame):
        return pd.concat(values, ignore_index=True)
    if isinstance(first, pd.Series):
        return pd.concat(values, ignore_index=True).to_numpy()
    arrays = [np.asarray(v) for v in values]
    return np.vstack(arrays) if arrays[0].ndim == 2 else np.concatenate(arrays)


def concat_prediction_data(parts: Sequence[PredictionData]) -> PredictionData:
    """Concatenate the prediction data of row chunks (in order; each names its rows).

    A field is kept when every part has it.
    """
    if not parts:
        raise InputError("concat_prediction_data() needs at least one part. Got none.")
    cls = type(parts[0])
    if any(type(p) is not cls for p in parts):
        raise InputError(
            f"concat_prediction_data() needs parts of one class. Got "
            f"{sorted({type(p).__name__ for p in parts})}."
        )
    if any(p.row_ids is None for p in parts):
        raise InputError("concat_prediction_data() needs parts that name their row_ids.")
    out: dict[str, Any] = {}
    for f in fields(cls):
        values = [getattr(p, f.name) for p in parts]
        if all(v is not None for v in values):
            out[f.name] = _concat_values(values)
    return cls(**out)


PREDICTION_DATA_CLASSES: dict[str, type[PredictionData]] = {
    "classif": PredictionDataClassif,
    "regr": PredictionDataRegr,
}
"""Task type -> the class of prediction data its learners return."""


def check_prediction_data(value: Any, task_type: str, owner: str) -> PredictionData:
    """``value`` if it is prediction data of ``task_type``, else an InputError.

    Parameters
    ----------
    value : object
        What a learner's ``_predict`` returned.
    task_type : str
        The learner's task type.
    owner : str
        The learner, for messages, e.g. ``"Learner 'classif.rpart'"``.
    """
    expected = PREDICTION_DATA_CLASSES.get(task_type, PredictionData)
    if not isinstance(value, expected):
        raise InputError(
            f"{owner} must return a {expected.__name__} from _predict(). "
            f"Got {type(value).__name__} instead."
        )
    return value
