"""How a learner prints: its ``repr`` and the types of its registry table row."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from mlr3py.reflections import FEATURE_TYPES

if TYPE_CHECKING:
    from mlr3py.learners._base import Learner

__all__ = ["format_learner", "ordered_types"]


def format_learner(learner: Learner) -> str:
    """The text of ``repr(learner)``: id, label, model, parameter values, types, properties.

    Parameters
    ----------
    learner : Learner
        The learner to describe.

    Returns
    -------
    str
        One header line and one ``* Field: value`` line per field.
    """
    model = "-" if learner.model is None else type(learner.model).__name__
    values = learner.param_set.get_values()
    params = ", ".join(f"{k}={_short(v)}" for k, v in values.items()) or "list()"
    ptypes = ", ".join(
        f"[{p}]" if p == learner.predict_type else p for p in learner.predict_types
    )
    label = f": {learner.label}" if learner.label else ""
    return "\n".join(
        [
            f"<{type(learner).__name__}:{learner.id}>{label}",
            f"* Model: {model}",
            f"* Parameters: {params}",
            f"* Packages: {', '.join(learner.packages) or '-'}",
            f"* Predict Types: {ptypes}",
            f"* Feature Types: {', '.join(ordered_types(learner.feature_types)) or '-'}",
            f"* Properties: {', '.join(sorted(learner.properties)) or '-'}",
        ]
    )


def ordered_types(types: Iterable[str]) -> list[str]:
    """The feature types among ``types``, in the order of :data:`FEATURE_TYPES`."""
    present = set(types)
    return [t for t in FEATURE_TYPES if t in present]


def _short(value: Any) -> str:
    """``value`` for one line: a function by its name, anything else by its repr, cut at 40."""
    text = value.__name__ if callable(value) and hasattr(value, "__name__") else repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
