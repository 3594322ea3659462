"""Greedy information-theoretic filters (mlr3filters' praznik filters): ``mim``, ``jmi``,
``jmim``, ``njmim``, ``disr`` and ``cmim``.

Each selects features one at a time by a criterion built from entropies of discrete
variables: factors, ordered factors and logicals as they are, numeric features (and a
numeric target) cut into ``bins`` bins of equal width, as praznik does. The entropies
are plug-in estimates from counts (``numpy.bincount``); no maintained Python package
offers these criteria for mixed data, and each is a few lines on top of them.

With ``S`` the features selected so far, a candidate ``X`` and the target ``Y``:

- ``mim``: ``I(X;Y)`` (no greedy step; the features by mutual information);
- ``jmi``: ``sum over s in S of I(X,s;Y)``;
- ``jmim``: ``min over s in S of I(X,s;Y)``;
- ``njmim``: ``min over s in S of I(X,s;Y) / H(X,s,Y)``;
- ``disr``: ``sum over s in S of I(X,s;Y) / H(X,s,Y)``;
- ``cmim``: ``min(I(X;Y), min over s in S of I(X;Y | s))``.

The first feature is the one of largest ``I(X;Y)``; ties (equal up to rounding) go to
the earlier feature.
Scores follow mlr3filters: the ``k`` selected features score ``1, ..., 0`` evenly
spaced in the order they were selected (``k = nfeat`` when given to
:meth:`~mlr3py.filters.Filter.calculate`, otherwise every feature); the others NaN.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from mlr3py.filters._filter import Filter, mlr_filters
from mlr3py.filters._information import _codes
from mlr3py.params import p_int, ps
from mlr3py.reflections import TASK_TYPES
from mlr3py.tasks import TaskSupervised

__all__ = ["FilterCMIM", "FilterDISR", "FilterJMI", "FilterJMIM", "FilterMIM", "FilterNJMIM",
           "greedy_information_order"]

_TIE = 1e-10
"""Relative difference below which two criterion values are a tie (rounding)."""

_MAX_CODE = 1 << 24
"""Largest joint code counted directly; beyond it codes are renumbered first."""


def _joint(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """One code per distinct pair of codes (both >= 0)."""
    codes = a * (int(b.max()) + 1) + b
    if int(codes.max()) >= _MAX_CODE:
        codes = np.unique(codes, return_inverse=True)[1].astype(np.int64)
    return codes


def _entropy(codes: np.ndarray) -> float:
    counts = np.bincount(codes)
    p = counts[counts > 0] / codes.size
    return float(-np.sum(p * np.log(p)))


#: the value of a candidate ``x`` for one selected feature ``s``: ``step(x, s, y, H(y))``
_Step = Callable[[np.ndarray, np.ndarray, np.ndarray, float], float]


def _jmi_step(x: np.ndarray, s: np.ndarray, y: np.ndarray, h_y: float) -> float:
    xs = _joint(x, s)
    return _entropy(xs) + h_y - _entropy(_joint(xs, y))


def _normalised_jmi_step(x: np.ndarray, s: np.ndarray, y: np.ndarray, h_y: float) -> float:
    xs = _joint(x, s)
    h_xsy = _entropy(_joint(xs, y))
    return (_entropy(xs) + h_y - h_xsy) / h_xsy if h_xsy > 0 else 0.0


def _conditional_step(x: np.ndarray, s: np.ndarray, y: np.ndarray, h_y: float) -> float:
    # I(X;Y | s) = H(X,s) + H(Y,s) - H(X,Y,s) - H(s)
    xs = _joint(x, s)
    return (_entropy(xs) + _entropy(_joint(y, s)) - _entropy(_joint(xs, y))
            - _entropy(s))


#: criterion -> (how a candidate's values over the selected features combine, its step)
_CRITERIA: dict[str, tuple[str, _Step | None]] = {
    "mim": ("sum", None),
    "jmi": ("sum", _jmi_step),
    "jmim": ("min", _jmi_step),
    "njmim": ("min", _normalised_jmi_step),
    "disr": ("sum", _normalised_jmi_step),
    "cmim": ("min", _conditional_step),
}


def greedy_information_order(columns: list[np.ndarray], y: np.ndarray, k: int,
                             criterion: str) -> list[int]:
    """The indices of ``k`` features in the order ``criterion`` selects them.

    Parameters
    ----------
    columns : list of numpy.ndarray
        One array of integer codes (>= 0) per feature.
    y : numpy.ndarray
        Integer codes (>= 0) of the target.
    k : int
        How many features to select.
    criterion : {"mim", "jmi", "jmim", "njmim", "disr", "cmim"}

    Returns
    -------
    list of int
    """
    combine, step = _CRITERIA[criterion]
    p = len(columns)
    k = min(k, p)
    h_y = _entropy(y)
    relevance = np.array([_entropy(x) + h_y - _entropy(_joint(x, y)) for x in columns])
    if step is None or k == 0:
        return [int(j) for j in np.argsort(-relevance, kind="stable")[:k]]
    if criterion == "cmim":
        acc = relevance.copy()
    else:
        acc = np.full(p, np.inf if combine == "min" else 0.0)
    top = float(relevance.max())
    selected = [int(np.flatnonzero(relevance >= top - _TIE * max(1.0, abs(top)))[0])]
    free = np.ones(p, dtype=bool)
    free[selected[0]] = False
    while len(selected) < k:
        s = columns[selected[-1]]
        for j in np.flatnonzero(free):
            value = step(columns[j], s, y, h_y)
            acc[j] = min(acc[j], value) if combine == "min" else acc[j] + value
        candidates = np.where(free, acc, -np.inf)
        top = float(candidates.max())
        # the first of equal values; values equal but for rounding count as equal
        best = int(np.flatnonzero(candidates >= top - _TIE * max(1.0, abs(top)))[0])
        selected.append(best)
        free[best] = False
    return selected


class _FilterGreedyInformation(Filter):
    """A greedy information-theoretic filter; the subclass names its criterion."""

    criterion: str = ""

    def __init__(self, label: str) -> None:
        super().__init__(
            self.criterion,
            task_types=TASK_TYPES,
            feature_types=("integer", "numeric", "factor", "ordered", "logical"),
            param_set=ps(bins=p_int(2, default=10, tags="train")),
            packages=("numpy", "pandas"),
            label=label,
        )

    def _calculate(self, task: TaskSupervised, nfeat: int) -> np.ndarray:
        bins = int(self._values()["bins"])
        data = task.data(cols=task.feature_names)
        columns = [_codes(data[f], bins, "uniform") for f in task.feature_names]
        truth = task.truth()
        if task.task_type == "classif":
            y = np.asarray(truth.codes, dtype=np.int64)
        else:
            y = _codes(pd.Series(np.asarray(truth, dtype=float)), bins, "uniform")
        order = greedy_information_order(columns, y, nfeat, self.criterion)
        scores = np.full(len(columns), np.nan)
        scores[order] = np.linspace(1.0, 0.0, len(order)) if len(order) > 1 else 1.0
        return scores


class FilterMIM(_FilterGreedyInformation):
    """Mutual information maximisation (``mim``; mlr3filters' ``FilterMIM``, praznik's
    ``MIM``): the features by ``I(X;Y)``. See :mod:`mlr3py.filters._greedy_information`.

    Parameters (``param_set``)
    --------------------------
    bins : int, default 10
        Equal-width bins per numeric column.
    """

    criterion = "mim"

    def __init__(self) -> None:
        super().__init__("Mutual Information Maximization")


class FilterJMI(_FilterGreedyInformation):
    """Joint mutual information (``jmi``; praznik's ``JMI``): the next feature maximises
    the sum of ``I(X,s;Y)`` over the selected ``s``. See :class:`FilterMIM` for
    ``bins``."""

    criterion = "jmi"

    def __init__(self) -> None:
        super().__init__("Joint Mutual Information")


class FilterJMIM(_FilterGreedyInformation):
    """Minimal joint mutual information maximisation (``jmim``; praznik's ``JMIM``): the
    next feature maximises the minimum of ``I(X,s;Y)`` over the selected ``s``. See
    :class:`FilterMIM` for ``bins``.

    Examples
    --------
    >>> from mlr3py import tsk
    >>> from mlr3py.filters import flt
    >>> flt("jmim").calculate(tsk("iris"), nfeat=2).scores.iloc[:2].tolist()
    [1.0, 0.0]
    """

    criterion = "jmim"

    def __init__(self) -> None:
        super().__init__("Minimal Joint Mutual Information Maximization")


class FilterNJMIM(_FilterGreedyInformation):
    """Minimal normalised joint mutual information maximisation (``njmim``; praznik's
    ``NJMIM``): as ``jmim`` with ``I(X,s;Y) / H(X,s,Y)``. See :class:`FilterMIM` for
    ``bins``."""

    criterion = "njmim"

    def __init__(self) -> None:
        super().__init__("Minimal Normalised Joint Mutual Information Maximization")


class FilterDISR(_FilterGreedyInformation):
    """Double input symmetrical relevance (``disr``; praznik's ``DISR``): as ``jmi`` with
    ``I(X,s;Y) / H(X,s,Y)``. See :class:`FilterMIM` for ``bins``."""

    criterion = "disr"

    def __init__(self) -> None:
        super().__init__("Double Input Symmetrical Relevance")


class FilterCMIM(_FilterGreedyInformation):
    """Conditional mutual information maximisation (``cmim``; praznik's ``CMIM``): the
    next feature maximises ``min(I(X;Y), min over selected s of I(X;Y | s))``. See
    :class:`FilterMIM` for ``bins``."""

    criterion = "cmim"

    def __init__(self) -> None:
        super().__init__("Minimal Conditional Mutual Information Maximization")


for _cls in (FilterMIM, FilterJMI, FilterJMIM, FilterNJMIM, FilterDISR, FilterCMIM):
    mlr_filters.add(_cls.criterion, _cls)
