"""Filters that score each feature on its own: ``variance``.

Each is a thin layer over numpy, scipy or scikit-learn.
"""

from __future__ import annotations

import numpy as np

from mlr3py.filters._filter import Filter, mlr_filters
from mlr3py.params import p_lgl, ps
from mlr3py.reflections import TASK_TYPES
from mlr3py.tasks import Task

__all__ = ["FilterVariance"]

_NUMERIC = ("integer", "numeric")


class FilterVariance(Filter):
    """Variance of each numeric feature (``variance``; mlr3filters' ``FilterVariance``).

    The sample variance (denominator ``n - 1``, as R's ``var()``), computed with
    numpy. Features of one value score 0; a feature with fewer than two values
    scores NaN (last).

    Parameters (``param_set``)
    --------------------------
    na_rm : bool, default True
        Ignore missing values (property ``"missings"``); with ``False`` a task with
        missing values in a numeric feature is refused.

    Examples
    --------
    >>> from mlr3py import tsk
    >>> from mlr3py.filters import flt
    >>> flt("variance").calculate(tsk("mtcars")).scores.index[:2].tolist()
    ['disp', 'hp']
    """

    def __init__(self) -> None:
        super().__init__(
            "variance",
            task_types=TASK_TYPES,
            feature_types=_NUMERIC,
            param_set=ps(na_rm=p_lgl(default=True, tags="train")),
            packages=("numpy",),
            label="Variance",
        )

    def _get_properties(self) -> tuple[str, ...]:
        return ("missings",) if self._values()["na_rm"] else ()

    def _calculate(self, task: Task, nfeat: int) -> np.ndarray:
        x = task.data_matrix()
        if self._values()["na_rm"]:
            n = np.sum(~np.isnan(x), axis=0)
            with np.errstate(invalid="ignore", divide="ignore"):
                mean = np.nansum(x, axis=0) / n
                out: np.ndarray = np.nansum((x - mean) ** 2, axis=0) / (n - 1)
            out[n < 2] = np.nan
            return out
        if x.shape[0] < 2:
            return np.full(x.shape[1], np.nan)
        return np.asarray(np.var(x, axis=0, ddof=1), dtype=float)


mlr_filters.add("variance", FilterVariance)
