"""``selected_features``: the features a learner's model uses (mlr3filters'
``FilterSelectedFeatures``)."""

from __future__ import annotations

import numpy as np

from mlr3py.filters._filter import mlr_filters
from mlr3py.filters._learner_based import _LearnerParamsFilter
from mlr3py.learners import Learner
from mlr3py.tasks import TaskSupervised

__all__ = ["FilterSelectedFeatures"]


class FilterSelectedFeatures(_LearnerParamsFilter):
    """Whether the learner's model uses each feature (``selected_features``).

    Trains a clone of the learner on the task and scores the features its
    ``selected_features()`` names 1, the others 0, as mlr3filters does: with
    ``select_features(scores, cutoff=1)`` (or ``po("filter", ...,
    filter_cutoff=1)``) a learner with embedded selection, e.g. a tree, picks the
    features for another learner. The filter's parameters are the learner's.

    Parameters
    ----------
    learner : Learner, optional
        A learner with the property ``"selected_features"``; ``classif.rpart`` by
        default (mlr3filters: ``classif.featureless``, which selects none). Settable.

    Examples
    --------
    >>> from mlr3py import lrn, tsk
    >>> from mlr3py.filters import flt
    >>> f = flt("selected_features", learner=lrn("classif.rpart", max_depth=1))
    >>> f.calculate(tsk("iris")).scores.iloc[:2].tolist()
    [1.0, 0.0]
    """

    _needs = "selected_features"

    def __init__(self, learner: Learner | None = None) -> None:
        super().__init__("selected_features", learner, "Embedded Feature Selection")

    def _calculate(self, task: TaskSupervised, nfeat: int) -> np.ndarray:
        learner = self._learner.clone()
        learner.train(task)
        selected = set(learner.selected_features())  # type: ignore[attr-defined]
        return np.array([1.0 if f in selected else 0.0 for f in task.feature_names])


mlr_filters.add("selected_features", FilterSelectedFeatures)
