"""``find_correlation``: scores from the cutoff at which caret's ``findCorrelation``
would drop a feature (mlr3filters' ``FilterFindCorrelation``)."""

from __future__ import annotations

import warnings

import numpy as np

from mlr3py.filters._filter import Filter, mlr_filters
from mlr3py.params import p_fct, ps
from mlr3py.reflections import TASK_TYPES
from mlr3py.tasks import TaskSupervised

__all__ = ["FilterFindCorrelation"]


class FilterFindCorrelation(Filter):
    """Redundancy among the features, target ignored (``find_correlation``).

    caret's ``findCorrelation(cutoff)`` removes, from each pair of features
    correlated above ``cutoff``, the one with the larger mean absolute correlation
    with all features. This filter scores each feature with ``1 -`` the cutoff at
    which it would be removed, so that ``select_features(scores, cutoff=1 - c)``
    keeps what ``findCorrelation(cutoff=c)`` keeps. As in mlr3filters: the features
    are ordered by mean absolute correlation, highest first (ties: the later
    feature first), and a feature's removal cutoff is its largest absolute
    correlation with the features after it in that order (the last one is never
    removed: score 1). A constant feature, correlated with nothing, scores NaN (last).

    The correlation matrix is pandas' ``DataFrame.corr`` (pairwise complete
    observations, so missing values are allowed); the rest is a few numpy lines
    ported from mlr3filters, as neither scikit-learn nor scipy has this score.

    Parameters (``param_set``)
    --------------------------
    method : {"pearson", "spearman", "kendall"}, default "pearson"

    Examples
    --------
    >>> from mlr3py import tsk
    >>> from mlr3py.filters import flt, select_features
    >>> scores = flt("find_correlation").calculate(tsk("mtcars")).scores
    >>> kept = select_features(scores, cutoff=1 - 0.9)
    >>> [f for f in scores.index if f not in kept]
    ['cyl']
    """

    def __init__(self) -> None:
        super().__init__(
            "find_correlation",
            task_types=TASK_TYPES,
            feature_types=("integer", "numeric"),
            param_set=ps(method=p_fct(["pearson", "spearman", "kendall"], default="pearson",
                                      tags="train")),
            properties=("missings",),
            packages=("pandas",),
            label="Correlation-based Score",
        )

    def _calculate(self, task: TaskSupervised, nfeat: int) -> np.ndarray:
        data = task.data(cols=task.feature_names)
        cm = np.abs(data.corr(method=self._values()["method"]).to_numpy(dtype=float))
        with warnings.catch_warnings():
            # a constant feature has no correlations (NaN): it scores NaN, as in R
            warnings.simplefilter("ignore", RuntimeWarning)
            avg = np.nanmean(cm, axis=0)
            # decreasing mean correlation; R's order(decreasing = TRUE) keeps ties in order
            order = np.argsort(-avg, kind="stable")
            ordered = cm[np.ix_(order, order)]
            ordered[np.triu_indices_from(ordered)] = 0.0  # upper triangle and diagonal
            cutoff = np.nanmax(ordered, axis=0) if len(order) else np.zeros(0)
        scores = np.empty(len(order))
        scores[order] = 1.0 - cutoff
        # a constant feature has no correlation with anything (not even itself)
        scores[np.isnan(cm).all(axis=0)] = np.nan
        return scores


mlr_filters.add("find_correlation", FilterFindCorrelation)
