"""Scores summed over a prediction's chunks, for predictions never held whole.

A measure whose score is the mean of per-row losses (``regr.mse``, ``regr.rmse``,
``regr.mae``, ``classif.ce``, ``classif.logloss``, ...; its :attr:`Measure.mean_loss
<mlr3py.measures.Measure.mean_loss>`) scores a prediction from two sums: of the
losses and of the rows (or of their measure weights). :class:`ChunkedScore` adds them
up chunk by chunk, so that ``resample(..., store_predictions=False)`` scores a test
set of ten million rows read from files in chunks of 50,000 without ever holding its
prediction (:mod:`mlr3py.evaluation._streamed_scores`). The score is the one of the
whole prediction up to rounding: NaN where a chunk has a missing truth or prediction,
and with measure weights the weighted mean, as :meth:`Measure.score
<mlr3py.measures.Measure.score>` gives it.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from mlr3py.measures.base import Measure
    from mlr3py.predictions import Prediction

__all__ = ["ChunkedScore", "MeanLoss"]


@dataclass(frozen=True)
class MeanLoss:
    """A score that is a transform of the mean of per-row losses.

    Attributes
    ----------
    losses : callable
        ``losses(prediction)``: the loss of each row of a prediction, or None where the
        score is undefined (NaN) for it (a missing truth or prediction). A NaN loss
        makes the score NaN too.
    finish : callable
        The score from the (weighted) mean loss, e.g. ``math.sqrt`` for an RMSE.
    """

    losses: Callable[[Any], np.ndarray | None]
    finish: Callable[[float], float]

    @classmethod
    def of_table(cls, losses: Callable[[Any], np.ndarray | None], name: str,
                 table: Mapping[str, tuple[Any, Callable[[float], float]]]) -> MeanLoss | None:
        """The mean loss of measure ``name`` in a table of ``name -> (per-row loss, finish)``
        (:data:`~mlr3py.measures._weighted.WEIGHTED_REGR` and ``WEIGHTED_CLASSIF``), its
        per-row losses computed by ``losses``; None where ``name`` is not in the table."""
        entry = table.get(name)
        return None if entry is None else cls(losses, entry[1])


class ChunkedScore:
    """A measure's score of a prediction given in chunks (any order, each row once).

    Parameters
    ----------
    measure : Measure
        A measure with a :attr:`~mlr3py.measures.Measure.mean_loss`.
    task : Task, optional
        The task predicted on: its measure weights (``weights_measure``), as
        :meth:`~mlr3py.measures.Measure.score` takes them.

    Raises
    ------
    ValueError
        The measure is not a mean of per-row losses.
    """

    def __init__(self, measure: Measure, task: Any = None) -> None:
        loss = measure.mean_loss
        if loss is None:
            raise ValueError(
                f"Measure '{measure.id}' is not a mean of per-row losses; score the whole "
                "prediction with measure.score()."
            )
        self.measure = measure
        self.task = task
        self._loss = loss
        self._total = 0.0
        self._weight = 0.0
        self._rows = 0
        self._weighted = False
        self._undefined = False

    def add(self, prediction: Prediction, repeats: np.ndarray | None = None) -> None:
        """Add the losses of the rows of one chunk.

        Parameters
        ----------
        prediction : Prediction
            The chunk's prediction, its truth included.
        repeats : numpy.ndarray, optional
            How often each of its rows counts (a row id that a test set holds twice).
        """
        if self._undefined or not len(prediction.row_ids):
            return
        measure = self.measure
        if measure.predict_type is not None and measure.predict_type not in \
                prediction.predict_types:
            warnings.warn(
                f"Measure '{measure.id}' is missing predict type '{measure.predict_type}' "
                f"of prediction (it has {prediction.predict_types}); the score is NaN.",
                stacklevel=2,
            )
            self._undefined = True
            return
        values = self._loss.losses(prediction)
        if values is None or bool(np.isnan(values).any()):
            self._undefined = True
            return
        weights = measure._weights(prediction, self.task)
        self._rows += len(values)
        if weights is None and repeats is None:
            self._total += float(np.sum(values))
            self._weight += len(values)
            return
        if weights is None:
            assert repeats is not None
            self._total += float(np.dot(repeats, values))
            self._weight += float(np.sum(repeats))
            return
        if repeats is not None:
            weights = weights * repeats
        if not bool(np.isfinite(values).all()):  # as the weighted mean of the whole
            self._undefined = True
            return
        self._weighted = True
        self._total += float(np.dot(weights, values))
        self._weight += float(np.sum(weights))

    def merge(self, other: ChunkedScore) -> None:
        """Add the sums of ``other`` (the same measure, over other rows)."""
        if other.measure.id != self.measure.id:
            raise ValueError(
                f"Cannot merge the sums of Measure '{other.measure.id}' into those of "
                f"Measure '{self.measure.id}'."
            )
        self._undefined = self._undefined or other._undefined
        self._total += other._total
        self._weight += other._weight
        self._rows += other._rows

    def score(self) -> float:
        """The score of all chunks added: NaN where none was, or where it is undefined."""
        if self._undefined or not self._rows:
            return math.nan
        if self._weight <= 0:
            warnings.warn(
                f"Measure '{self.measure.id}': the measure weights of the {self._rows} "
                "scored row(s) sum to 0, so the weighted score is undefined (NaN).",
                stacklevel=2,
            )
            return math.nan
        return float(self._loss.finish(self._total / self._weight))
