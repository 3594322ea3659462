"""The debug measure (mlr3's ``MeasureDebugClassif``): cheap, for testing the framework."""

from __future__ import annotations

import math
import random
from typing import Any

from mlr3py.measures.base import Measure
from mlr3py.params import p_dbl, ps

__all__ = ["MeasureDebugClassif"]


class MeasureDebugClassif(Measure):
    """Scores the number of predicted rows; NaN with probability ``na_ratio``.

    As in mlr3 it has no task type (it scores any prediction) and needs the
    ``response`` predict type. The NaN draw uses Python's :mod:`random`, which
    ``resample()`` / ``benchmark()`` seed per job; with ``na_ratio=0`` (the
    default) nothing is drawn.

    Parameters (``param_set``)
    --------------------------
    na_ratio : float in [0, 1]
        Probability of scoring NaN (default 0).

    Examples
    --------
    >>> from mlr3py import lrn, msr, tsk
    >>> task = tsk("iris")
    >>> prediction = lrn("classif.featureless").train(task).predict(task, row_ids=range(10))
    >>> msr("debug_classif").score(prediction)
    10.0
    """

    def __init__(self) -> None:
        super().__init__(
            "debug_classif",
            task_type=None,
            param_set=ps(na_ratio=p_dbl(0.0, 1.0, tags={"required"}, init=0.0)),
            predict_type="response",
            range=(0.0, math.inf),
            properties={"na_score"},
            label="Debug Classification Measure",
        )

    def _score(
        self, prediction: Any, task: Any = None, learner: Any = None, train_set: Any = None
    ) -> float:
        na_ratio = float(self.param_set.values.get("na_ratio", 0.0))
        if na_ratio > 0 and na_ratio > random.random():
            return math.nan
        return float(len(prediction.row_ids))


#: key -> constructor, for ``mlr_measures``.
DEBUG_MEASURES: dict[str, Any] = {"debug_classif": MeasureDebugClassif}
