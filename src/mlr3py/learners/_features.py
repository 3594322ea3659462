"""What learners need to know about a task's features: names, types, levels, weights.

:func:`feature_info` is cached per (read-only) backend, feature set and levels
narrowed by ``Task.droplevels()``, because ``Task.feature_types`` builds a
DataFrame on every call, which would otherwise cost more than fitting a small tree.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from mlr3py.tasks import Task

__all__ = ["FeatureInfo", "feature_info", "feature_type_map", "task_weights"]


@dataclass(frozen=True)
class FeatureInfo:
    """A task's features: names (in order), types and levels of factor / ordered features.

    Shared through a cache: treat it as read-only.
    """

    names: tuple[str, ...]
    types: dict[str, str]
    levels: dict[str, list[Any]]


# Feature types and levels are a function of the read-only backend's column dtypes, the
# feature names and the levels the task's droplevels() left.
_InfoKey = tuple[tuple[str, ...], tuple[tuple[str, tuple[Any, ...]], ...]]
_FEATURE_INFO: weakref.WeakKeyDictionary[Any, dict[_InfoKey, FeatureInfo]] = (
    weakref.WeakKeyDictionary()
)


def feature_info(task: Task) -> FeatureInfo:
    """The :class:`FeatureInfo` of ``task``: its current levels, those left by
    ``Task.droplevels()`` included (cached per backend, feature set and narrowed levels)."""
    names = tuple(task.feature_names)
    narrowed = task.narrowed_levels
    key = (names, tuple((f, narrowed[f]) for f in names if f in narrowed))
    try:
        per_backend = _FEATURE_INFO.setdefault(task.backend, {})
    except TypeError:  # a backend that cannot be weakly referenced: no caching
        per_backend = {}
    info = per_backend.get(key)
    if info is None:
        types = feature_type_map(task)
        factors = [f for f, t in types.items() if t in ("factor", "ordered")]
        levels = {k: list(v or ()) for k, v in task.levels(factors).items()} if factors else {}
        info = FeatureInfo(names, types, levels)
        per_backend[key] = info
    return info


def feature_type_map(task: Task) -> dict[str, str]:
    """The task's features as a dict name -> type, in feature order."""
    return task.col_types()


def task_weights(task: Task) -> np.ndarray | None:
    """The task's learner weights aligned with ``task.row_ids``, or None without weights."""
    if "weights" not in task.properties:
        return None
    weights = task.weights
    if weights is None:
        return None
    series = pd.Series(weights["weight"].to_numpy(dtype=np.float64), index=weights["row_id"])
    return series.reindex(task.row_ids).to_numpy()
