"""Sorted bars of feature scores: filter scores and learner importance.

Accepted: a pandas Series (index: features), an object with a ``scores`` Series
(a filter after ``calculate()``), or an object with an ``importance()`` method
returning one (a trained learner). The protocols below are registered, so any
object of that shape is plotted.
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

import numpy as np
import pandas as pd

from mlr3py.errors import InputError
from mlr3py.viz._common import axes
from mlr3py.viz._registry import register_plot

__all__ = ["HasImportance", "HasScores"]


@runtime_checkable
class HasScores(Protocol):
    """An object with feature scores in a ``scores`` attribute (a pandas Series)."""

    scores: Any


@runtime_checkable
class HasImportance(Protocol):
    """An object whose ``importance()`` returns feature scores (a pandas Series)."""

    def importance(self) -> Any: ...


def _series(obj: Any) -> pd.Series:
    if isinstance(obj, pd.Series):
        scores = obj
    elif callable(getattr(obj, "importance", None)):
        scores = obj.importance()
    else:
        scores = obj.scores
    if callable(scores):
        scores = scores()
    if not isinstance(scores, pd.Series):
        scores = pd.Series(scores)
    scores = pd.to_numeric(scores, errors="coerce").dropna()
    if scores.empty:
        raise InputError(f"The {type(obj).__name__} holds no scores; there is nothing to plot "
                         "(calculate the filter or train the learner first).")
    return scores


def _importance(obj: Any, ax: Any = None, n: int | None = None,
                ascending: bool = False) -> Any:
    """Horizontal bars of the scores, the highest on top (``n``: only the first n)."""
    scores = _series(obj).sort_values(ascending=ascending, kind="stable")
    if n is not None:
        scores = scores.iloc[: int(n)]
    ax = axes(ax, figsize=(5, max(2.0, 0.3 * len(scores) + 1)))
    positions = np.arange(len(scores))[::-1]
    ax.barh(positions, scores.to_numpy(dtype=float))
    ax.set_yticks(positions, labels=[str(i) for i in scores.index])
    fallback = "Importance" if callable(getattr(obj, "importance", None)) else "Score"
    ax.set_xlabel(str(scores.name) if scores.name is not None else fallback)
    ax.set_ylabel("Feature")
    return ax


for _target in (pd.Series, HasScores, HasImportance):
    register_plot(_target, "importance", _importance, "sorted bars of the scores",
                  default=True)
