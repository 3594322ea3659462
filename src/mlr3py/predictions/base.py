"""The :class:`Prediction` base class and :func:`combine_predictions` (mlr3's ``c()``)."""

from __future__ import annotations

import copy
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Sequence
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from mlr3py.errors import InputError
from mlr3py.predictions._scorer import get_scorer

__all__ = ["Prediction", "combine_predictions"]


def _as_row_ids(row_ids: Any) -> np.ndarray:
    """Convert ``row_ids`` to a 1-D int64 array, rejecting non-integer values."""
    arr = np.asarray(row_ids)
    if arr.ndim != 1:
        arr = arr.reshape(-1)
    if arr.size and not np.issubdtype(arr.dtype, np.integer):
        if np.issubdtype(arr.dtype, np.floating) and np.all(np.isfinite(arr)) and np.all(
            arr == np.round(arr)
        ):
            return arr.astype(np.int64)
        raise InputError(
            f"Prediction row ids must be integers. Got values of dtype '{arr.dtype}' instead."
        )
    return arr.astype(np.int64, copy=False)


def _check_length(values: Any, n: int, what: str) -> None:
    if len(values) != n:
        raise InputError(
            f"The {what} of a prediction must have one entry per row id ({n}). "
            f"Got {len(values)} instead."
        )


class Prediction(ABC):
    """Predictions of a learner on a set of rows, with the true target values.

    Subclasses store the predicted values per predict type (``response``,
    ``prob``, ``se``) and implement ``as_data_frame()``, ``_subset()`` and
    ``_concat()``.
    """

    task_type: str = ""

    #: The attributes that hold one entry (or one row of a matrix) per predicted row,
    #: ``None`` where a predict type is absent; :meth:`_allocate` and :meth:`_put` fill
    #: a prediction piece by piece through them. ``None``: not declared (a subclass
    #: that does not, cannot be filled piece by piece; it is concatenated instead).
    _row_fields: ClassVar[tuple[str, ...] | None] = None

    #: The measure weights of the rows (mlr3's ``Prediction$weights``), or None.
    _weights: np.ndarray | None = None

    def __init__(self, row_ids: Any) -> None:
        self._row_ids = _as_row_ids(row_ids)

    @property
    def weights(self) -> np.ndarray | None:
        """The measure weights of the predicted rows (float, one per row), or None.

        Set from the task's ``weights_measure`` column when the prediction is made on
        a task that has one; :meth:`score` uses them (for measures with
        ``use_weights``) when no task is passed. Kept by :meth:`filter` and by
        :func:`combine_predictions` when every combined prediction has them.
        """
        return self._weights

    @weights.setter
    def weights(self, value: Any) -> None:
        if value is None:
            self._weights = None
            return
        arr = np.asarray(value, dtype=float)
        if arr.ndim != 1 or len(arr) != len(self._row_ids) or not np.all(np.isfinite(arr)) \
                or np.any(arr < 0):
            raise InputError(
                f"The weights of a prediction must be {len(self._row_ids)} finite, "
                f"non-negative numbers (one per predicted row). Got {value!r:.80} instead."
            )
        self._weights = arr

    # -- data ---------------------------------------------------------------------
    @property
    def row_ids(self) -> np.ndarray:
        """Row ids of the predicted observations (int64, in prediction order)."""
        return self._row_ids

    @property
    @abstractmethod
    def predict_types(self) -> list[str]:
        """The predict types this prediction holds, e.g. ``["response", "prob"]``."""

    @property
    @abstractmethod
    def _missing_mask(self) -> np.ndarray:
        """Boolean mask of rows with a missing prediction."""

    @property
    def missing(self) -> np.ndarray:
        """Row ids whose prediction is missing (NaN in any predict type)."""
        return self._row_ids[self._missing_mask]

    @abstractmethod
    def as_data_frame(self) -> pd.DataFrame:
        """The prediction as a DataFrame with columns ``row_ids``, ``truth``, ..."""

    def as_prediction_data(self) -> Any:
        """The predicted values (a :class:`~mlr3py.predictions.PredictionData`): what a
        learner's ``_predict`` returns to give this prediction (a learner wrapping
        another learner hands its prediction on this way)."""
        raise NotImplementedError(
            f"{type(self).__name__} must implement as_prediction_data(): the "
            "PredictionData holding its predicted values."
        )

    @abstractmethod
    def _subset(self, index: np.ndarray) -> None:
        """Keep only the rows at integer positions ``index`` (in place)."""

    @classmethod
    @abstractmethod
    def _concat(cls, predictions: Sequence[Prediction]) -> Prediction:
        """Concatenate predictions of this class (already checked to be compatible)."""

    def _allocate(self, row_ids: np.ndarray) -> Prediction:
        """A prediction like this one (class, predict types, class names) for ``row_ids``.

        ``row_ids`` (int64) becomes the new prediction's row ids as it is, not a copy;
        its other per-row arrays (:attr:`_row_fields`) are allocated with this one's
        dtypes but not set: :meth:`_put` fills them, piece by piece, so that a
        prediction made in pieces never exists twice (as pieces and concatenated).
        """
        if self._row_fields is None:
            raise NotImplementedError(f"{type(self).__name__} does not declare _row_fields.")
        out = copy.copy(self)
        out._weights = None  # filled by _put from the parts' weights
        n = len(row_ids)
        for name in self._row_fields:
            values = getattr(self, name)
            if name == "_row_ids":
                values = row_ids
            elif values is not None:
                values = np.empty((n, *values.shape[1:]), dtype=values.dtype)
            setattr(out, name, values)
        return out

    def _put(self, at: np.ndarray | slice, part: Prediction, check_row_ids: bool = True) -> None:
        """Write ``part``'s predicted rows into the rows at positions ``at`` (in place).

        ``part`` must be combinable with this prediction (:func:`combine_predictions`);
        its row ids are those of the rows at ``at``: integer positions, or a slice of
        consecutive ones (copied as blocks). ``check_row_ids=False``: ``part`` comes
        without row ids (its caller knows they are those at ``at``), and ``at`` decides.
        """
        self._check_combinable(part)
        if check_row_ids and not np.array_equal(self._row_ids[at], part._row_ids):
            raise InputError("A prediction's rows must be put where their row ids are.")
        for name in self._row_fields or ():
            values = getattr(self, name)
            if name != "_row_ids" and values is not None:
                values[at] = getattr(part, name)
        if part._weights is not None:  # the parts of one task: all have weights or none
            if self._weights is None:
                self._weights = np.zeros(len(self._row_ids))
            self._weights[at] = part._weights

    def _joined(self, others: Sequence[Prediction], row_ids: np.ndarray,
                join: Callable[[list[np.ndarray]], np.ndarray | None]) -> Prediction | None:
        """This prediction's rows followed by those of ``others``, whose row ids are
        ``row_ids``, each other per-row array (:attr:`_row_fields`, the weights) the one
        ``join`` makes of theirs, in order; None where ``join`` gives None for one, or
        where this class declares no :attr:`_row_fields` (the caller copies the parts
        instead, :meth:`_put`).

        ``others`` must be combinable with this prediction (:func:`combine_predictions`)
        and all have the same per-row arrays; ``join`` must return one of the total
        length, like :func:`numpy.concatenate`.
        """
        if self._row_fields is None:  # no per-row arrays declared to join
            return None
        parts = [self, *others]
        for other in others:
            self._check_combinable(other)
        out = copy.copy(self)
        for name in (*self._row_fields, "_weights"):
            if name == "_row_ids":
                out._row_ids = row_ids
                continue
            values = [getattr(part, name) for part in parts]
            if all(v is None for v in values):
                continue
            joined = None if any(v is None for v in values) else join(values)
            if joined is None or len(joined) != len(row_ids):
                return None
            setattr(out, name, joined)
        return out

    def _check_combinable(self, other: Prediction) -> None:
        """Raise :class:`InputError` if ``other`` cannot be combined with ``self``."""
        if type(other) is not type(self):
            raise InputError(
                f"Cannot combine a {type(self).__name__} with a {type(other).__name__}: "
                "all predictions must be of the same class."
            )
        if sorted(other.predict_types) != sorted(self.predict_types):
            raise InputError(
                "Cannot combine predictions with different predict types: "
                f"{self.predict_types} and {other.predict_types}."
            )

    # -- operations ---------------------------------------------------------------
    def clone(self, deep: bool = True) -> Prediction:
        """A copy to change without touching this prediction (mlr3's ``$clone()``).

        :meth:`filter` and ``set_threshold()`` work in place, as in mlr3; clone first
        to keep the original, e.g. ``prediction.clone().set_threshold(0.7)``.

        Parameters
        ----------
        deep : bool
            True (the default): the copy shares no arrays with this prediction.
            False: a shallow copy, which shares them.

        Returns
        -------
        Prediction
        """
        return copy.deepcopy(self) if deep else copy.copy(self)

    def filter(self, row_ids: Iterable[int]) -> Prediction:
        """Keep only the rows whose row id is in ``row_ids`` (in place, order kept).

        Parameters
        ----------
        row_ids : iterable of int
            The row ids to keep.

        Returns
        -------
        Prediction
            ``self``.
        """
        keep = np.isin(self._row_ids, _as_row_ids(list(row_ids)))
        self._subset(np.flatnonzero(keep))
        return self

    def score(
        self,
        measures: Any = None,
        task: Any = None,
        learner: Any = None,
        train_set: Any = None,
    ) -> pd.Series:
        """Score the prediction with one or more measures.

        Parameters
        ----------
        measures : Measure, str, list of those, or None
            Measures or measure keys; ``None`` uses the task type's default measure
            (:data:`mlr3py.reflections.DEFAULT_MEASURES`).
        task, learner, train_set : optional
            Passed on to measures that need them.

        Returns
        -------
        pandas.Series
            One float per measure, indexed by measure id.

        Raises
        ------
        InputError
            If ``measures`` is neither a measure, a key, nor a list of those.
        """
        return get_scorer()(self, measures, task=task, learner=learner, train_set=train_set)

    def __len__(self) -> int:
        return len(self._row_ids)

    def __add__(self, other: Prediction) -> Prediction:
        if not isinstance(other, Prediction):
            return NotImplemented
        return combine_predictions([self, other])

    def __radd__(self, other: Any) -> Prediction:
        # sum(predictions) starts with 0
        if isinstance(other, int) and other == 0:
            return combine_predictions([self])
        return NotImplemented

    def __repr__(self) -> str:
        n = len(self)
        head = f"<{type(self).__name__}> for {n} observation{'s' if n != 1 else ''}:"
        if n == 0:
            return head
        df = self.as_data_frame()
        body = df.to_string(index=False, max_rows=10, min_rows=6)
        return head + "\n" + body


def combine_predictions(predictions: Iterable[Prediction]) -> Prediction:
    """Concatenate predictions (mlr3's ``c()``), keeping duplicated row ids.

    Parameters
    ----------
    predictions : iterable of Prediction
        Predictions of one class, with the same predict types (and class names).

    Returns
    -------
    Prediction
        A new prediction with the rows of all inputs in order.
    """
    preds = list(predictions)
    if not preds:
        raise InputError("combine_predictions() needs at least one prediction. Got none.")
    first = preds[0]
    if not isinstance(first, Prediction):
        raise InputError(f"combine_predictions() needs Prediction objects. Got {first!r}.")
    for other in preds[1:]:
        if not isinstance(other, Prediction):
            raise InputError(f"combine_predictions() needs Prediction objects. Got {other!r}.")
        first._check_combinable(other)
    combined = type(first)._concat(preds)
    weights = [p._weights for p in preds if p._weights is not None]
    combined._weights = np.concatenate(weights) if len(weights) == len(preds) else None
    return combined
