"""Facts about task types shared by every layer (mlr3's ``mlr_reflections``).

One table answers: which task types exist, which predict types each supports, which
feature types a task may hold, which measure scores a task type by default and which
properties a learner or measure may declare. Every other module reads these values
from here, so that a new predict type or task type needs one entry in this table
(plus the classes that implement it).

This module is a leaf: it imports nothing from mlr3py.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

__all__ = [
    "DEFAULT_MEASURES",
    "FEATURE_TYPES",
    "FEATURE_TYPE_ABBREVIATIONS",
    "LEARNER_PREDICT_TYPES",
    "LEARNER_PROPERTIES",
    "MEASURE_PROPERTIES",
    "PREDICT_TYPES",
    "TASK_TYPES",
    "default_measure",
    "predict_types",
    "provided_predict_types",
]

TASK_TYPES: Final[tuple[str, ...]] = ("classif", "regr")
"""The supervised task types, in mlr3's order."""

PREDICT_TYPES: Final = MappingProxyType(
    {
        "classif": ("response", "prob"),
        "regr": ("response", "se"),
    }
)
"""Task type -> the predict types a learner of that type may support (first: default)."""

LEARNER_PREDICT_TYPES: Final = MappingProxyType(
    {
        "classif": MappingProxyType({"response": ("response",), "prob": ("response", "prob")}),
        "regr": MappingProxyType({"response": ("response",), "se": ("response", "se")}),
    }
)
"""Task type -> a learner's predict type -> the predict types its predictions carry
(mlr3's ``learner_predict_types``: a probability prediction also has a response)."""

FEATURE_TYPES: Final[tuple[str, ...]] = (
    "logical", "integer", "numeric", "character", "factor", "ordered", "POSIXct",
)
"""All feature types a task may have, in mlr3's order."""

FEATURE_TYPE_ABBREVIATIONS: Final = MappingProxyType(
    {
        "logical": "lgl",
        "integer": "int",
        "numeric": "dbl",
        "character": "chr",
        "factor": "fct",
        "ordered": "ord",
        "POSIXct": "pxc",
    }
)
"""Feature type -> the short name a task's printout uses."""

DEFAULT_MEASURES: Final = MappingProxyType(
    {
        "classif": "classif.ce",
        "regr": "regr.mse",
    }
)
"""Task type -> the key of its default measure (mlr3's ``default_measures()``)."""

LEARNER_PROPERTIES: Final[tuple[str, ...]] = (
    "twoclass", "multiclass", "missings", "weights", "importance", "selected_features",
    "oob_error", "validation", "internal_tuning",
)
"""The properties a learner may declare."""

MEASURE_PROPERTIES: Final = frozenset(
    {"requires_task", "requires_learner", "requires_train_set", "requires_model", "na_score",
     "weights"}
)
"""The properties a measure may declare."""


def predict_types(task_type: str) -> tuple[str, ...]:
    """The predict types of ``task_type`` (empty for an unknown type)."""
    return PREDICT_TYPES.get(task_type, ())


def default_measure(task_type: str) -> str | None:
    """The key of the default measure of ``task_type`` (None for an unknown type)."""
    return DEFAULT_MEASURES.get(task_type)


def provided_predict_types(task_type: str, learner_predict_type: str) -> tuple[str, ...]:
    """The predict types a prediction of a learner predicting ``learner_predict_type``
    carries (empty for an unknown task or predict type)."""
    return LEARNER_PREDICT_TYPES.get(task_type, MappingProxyType({})).get(learner_predict_type, ())
