"""Information-theoretic filters: ``information_gain`` (binned entropies) and
``mutual_info`` (scikit-learn's nearest-neighbour estimate).

The two estimate the same quantity, the mutual information between a feature and
the target, in different ways. ``information_gain`` bins numeric features (and a
numeric target) and computes entropies of the bins, like FSelectorRcpp's
``information_gain`` behind mlr3filters, and offers its gain ratio and symmetric
uncertainty. ``mutual_info`` uses scikit-learn's ``mutual_info_classif`` /
``mutual_info_regression`` (Kraskov et al.'s k-nearest-neighbour estimator for
continuous variables), which needs no bins but is randomised (a little noise
breaks ties) and slower.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from mlr3py.filters._filter import Filter, mlr_filters
from mlr3py.params import p_fct, p_int, ps
from mlr3py.reflections import TASK_TYPES
from mlr3py.tasks import TaskSupervised

__all__ = ["FilterInformationGain", "FilterMutualInfo"]

_DISCRETE = ("logical", "factor", "ordered")


def _codes(col: pd.Series, bins: int, strategy: str) -> np.ndarray:
    """Integer codes of a column: categories as they are, numbers binned; missing values
    get a code of their own."""
    if isinstance(col.dtype, pd.CategoricalDtype):
        codes = col.cat.codes.to_numpy().astype(np.int64)  # missing: -1
    elif col.dtype == bool or col.dtype == object:
        codes = pd.factorize(col, use_na_sentinel=True)[0].astype(np.int64)
    else:
        values = col.to_numpy(dtype=float)
        if np.all(np.isnan(values)) or np.nanmin(values) == np.nanmax(values):
            binned = np.where(np.isnan(values), np.nan, 0.0)
        elif strategy == "quantile":
            binned = pd.qcut(values, bins, labels=False, duplicates="drop")
        else:
            binned = pd.cut(values, bins, labels=False)
        binned = np.asarray(binned, dtype=float)
        codes = np.where(np.isnan(binned), -1, binned).astype(np.int64)
    return codes


def _entropy(codes: np.ndarray) -> float:
    from scipy.stats import entropy

    return float(entropy(np.unique(codes, return_counts=True)[1]))


class FilterInformationGain(Filter):
    """Information gain of the target from each (binned) feature (``information_gain``).

    ``IG = H(Y) - H(Y | X)`` in nats, computed by scikit-learn's
    ``mutual_info_score`` on integer codes: factors and logicals as they are,
    numeric features cut into ``bins`` bins of equal frequency (``pandas.qcut``) or
    equal width (``pandas.cut``), a numeric target into ``bins`` bins of equal width.
    Missing values form a bin of their own.

    How it differs from mlr3filters' ``information_gain`` (FSelectorRcpp): that one
    discretises numeric features of a classification task by Fayyad and Irani's MDL
    method, whose cut points depend on the target, so its values differ from these;
    the three ``type`` formulas are the same. For a binning-free estimate use
    ``mutual_info``.

    Parameters (``param_set``)
    --------------------------
    type : {"infogain", "gainratio", "symuncert"}, default "infogain"
        ``IG``, ``IG / H(X)`` or ``2 IG / (H(X) + H(Y))``.
    bins : int, default 10
        Bins per numeric column.
    strategy : {"quantile", "uniform"}, default "quantile"
        Equal-frequency or equal-width bins for numeric features.

    Examples
    --------
    >>> from mlr3py import tsk
    >>> from mlr3py.filters import flt
    >>> flt("information_gain").calculate(tsk("penguins")).scores.index[0]
    'flipper_length'
    """

    def __init__(self) -> None:
        super().__init__(
            "information_gain",
            task_types=TASK_TYPES,
            feature_types=("integer", "numeric", *_DISCRETE, "character"),
            param_set=ps(
                type=p_fct(["infogain", "gainratio", "symuncert"], default="infogain",
                           tags="train"),
                bins=p_int(2, default=10, tags="train"),
                strategy=p_fct(["quantile", "uniform"], default="quantile", tags="train"),
            ),
            properties=("missings",),
            packages=("scikit-learn", "scipy", "pandas"),
            label="Information Gain",
        )

    def _calculate(self, task: TaskSupervised, nfeat: int) -> np.ndarray:
        from sklearn.metrics import mutual_info_score

        values = self._values()
        bins, kind = values["bins"], values["type"]
        data = task.data(cols=task.feature_names)
        truth = task.truth()
        if task.task_type == "classif":
            y = np.asarray(truth.codes, dtype=np.int64)
        else:
            y = _codes(pd.Series(np.asarray(truth, dtype=float)), bins, "uniform")
        h_y = _entropy(y)
        out = np.empty(len(task.feature_names))
        for j, name in enumerate(task.feature_names):
            x = _codes(data[name], bins, values["strategy"])
            gain = float(mutual_info_score(y, x))
            if kind == "infogain":
                out[j] = gain
                continue
            h_x = _entropy(x)
            den = h_x if kind == "gainratio" else (h_x + h_y) / 2
            out[j] = gain / den if den > 0 else 0.0
        return out


class FilterMutualInfo(Filter):
    """Mutual information between each feature and the target (``mutual_info``).

    scikit-learn's ``mutual_info_classif`` / ``mutual_info_regression``: a
    k-nearest-neighbour estimate for numeric features, counts for discrete ones
    (factors, ordered factors, logicals, given as codes). Randomised: scikit-learn
    adds a little noise to continuous features, drawn from numpy's global generator,
    so the scores are reproducible under a seed (as in :func:`~mlr3py.resample`).
    A constant feature scores 0 (scikit-learn's noise alone would give it a positive
    estimate). See :class:`FilterInformationGain` for the binned estimate.

    Parameters (``param_set``)
    --------------------------
    n_neighbors : int, default 3
        Neighbours of the estimator.
    threads : int, default 1
        scikit-learn's ``n_jobs``: features are estimated in parallel, in threads
        (joblib's threading backend). Tagged ``"threads"``.

    Examples
    --------
    >>> from mlr3py import tsk
    >>> from mlr3py.filters import flt
    >>> import numpy as np
    >>> np.random.seed(1)
    >>> flt("mutual_info").calculate(tsk("mtcars")).scores.index[0]
    'hp'
    """

    def __init__(self) -> None:
        super().__init__(
            "mutual_info",
            task_types=TASK_TYPES,
            feature_types=("integer", "numeric", *_DISCRETE),
            param_set=ps(
                n_neighbors=p_int(1, default=3, tags="train"),
                threads=p_int(1, default=1, init=1, tags="threads"),
            ),
            packages=("scikit-learn",),
            label="Mutual Information",
        )

    def _calculate(self, task: TaskSupervised, nfeat: int) -> np.ndarray:
        from joblib import parallel_config
        from sklearn.feature_selection import mutual_info_classif, mutual_info_regression

        values = self._values()
        data = task.data(cols=task.feature_names)
        types = task.col_types()
        discrete = np.array([types[f] in _DISCRETE for f in task.feature_names], dtype=bool)
        columns = [_codes(data[f], 2, "quantile").astype(float) if discrete[j]
                   else data[f].to_numpy(dtype=float)
                   for j, f in enumerate(task.feature_names)]
        x = np.column_stack(columns)
        kwargs: dict[str, Any] = {"discrete_features": discrete,
                                  "n_neighbors": values["n_neighbors"],
                                  "n_jobs": values["threads"], "random_state": None}
        # threads, not processes: a filter may itself run inside a worker process
        with parallel_config(backend="threading"):
            if task.task_type == "classif":
                out = mutual_info_classif(x, np.asarray(task.truth().codes), **kwargs)
            else:
                out = mutual_info_regression(x, np.asarray(task.truth(), dtype=np.float64),
                                             **kwargs)
        # a constant feature carries no information; scikit-learn's noise would give it a
        # positive estimate by chance
        scores = np.asarray(out, dtype=float)
        scores[np.nanmin(x, axis=0) == np.nanmax(x, axis=0)] = 0.0
        return scores


mlr_filters.add("information_gain", FilterInformationGain)
mlr_filters.add("mutual_info", FilterMutualInfo)
