"""Objects that stand for a learner where one is expected (mlr3's ``as_learner()``).

mlr3's ``resample()``, ``benchmark_grid()`` and the tuning functions call
``as_learner()`` on what they are given, so a graph of pipeline operators can be
passed where a learner is expected. Here the layers that define such objects
register how each becomes a learner (:func:`register_learner_conversion`); the
layers below them (evaluation, tuning) call :func:`coerce_learner` without
knowing those types. This module registers scikit-learn estimators; the pipelines
register graphs and operators.

>>> from sklearn.tree import DecisionTreeClassifier
>>> coerce_learner(DecisionTreeClassifier(max_depth=2)).id
'classif.DecisionTreeClassifier'
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sklearn.base import BaseEstimator

from mlr3py.learners._base import Learner
from mlr3py.learners._sklearn import as_learner

__all__ = ["coerce_learner", "register_learner_conversion"]

_CONVERSIONS: list[tuple[type, Callable[[Any], Learner]]] = []


def register_learner_conversion(cls: type, convert: Callable[[Any], Learner]) -> None:
    """Make instances of ``cls`` usable where a learner is expected.

    Parameters
    ----------
    cls : type
        The class (its subclasses included) whose instances ``convert`` turns into a
        learner.
    convert : callable
        ``convert(obj) -> Learner``; it may raise a :class:`~mlr3py.errors.ConfigError`
        for an object that cannot be a learner (e.g. a graph that does not end in a
        prediction).
    """
    for i, (known, _) in enumerate(_CONVERSIONS):
        if known is cls:
            _CONVERSIONS[i] = (cls, convert)
            return
    _CONVERSIONS.append((cls, convert))


def coerce_learner(obj: Any) -> Any:
    """``obj`` as a learner when a conversion is registered for its type, else ``obj``.

    A learner is returned unchanged (not cloned). Anything without a registered
    conversion is returned as it is, for the caller's own check to name it.
    """
    if isinstance(obj, Learner):
        return obj
    for cls, convert in _CONVERSIONS:
        if isinstance(obj, cls):
            return convert(obj)
    return obj


register_learner_conversion(BaseEstimator, as_learner)
