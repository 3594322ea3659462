"""Table-driven measures: one spec per mlr3measures function (mlr3's ``*Simple`` classes)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from mlr3py.errors import UnknownKeyError
from mlr3py.params import ParamSet
from mlr3py.registry import did_you_mean

__all__ = ["MeasureSpec", "lookup_spec", "param_values"]


@dataclass(frozen=True)
class MeasureSpec:
    """Metadata of a table-driven measure.

    Attributes
    ----------
    fun : callable
        The score function (see :mod:`mlr3py.measures._functions`).
    label : str
        Human readable name.
    range : tuple of float
        Lowest and highest score.
    minimize : bool or None
        Whether lower is better.
    predict_type : str
        ``"response"`` or ``"prob"``.
    binary : bool
        Whether the measure needs two classes (task property ``twoclass``).
    na_score : bool
        Whether the measure is undefined (NaN) for some inputs.
    param_set : callable returning ParamSet, optional
        Builds the measure's parameters; their values are passed to ``fun``.
    """

    fun: Callable[..., float]
    label: str
    range: tuple[float, float]
    minimize: bool | None
    predict_type: str = "response"
    binary: bool = False
    na_score: bool = False
    param_set: Callable[[], ParamSet] | None = field(default=None)


def lookup_spec(table: dict[str, MeasureSpec], name: str, kind: str) -> MeasureSpec:
    if name not in table:
        raise UnknownKeyError(
            f"'{name}' is not a {kind} measure of mlr3py." + did_you_mean(name, table)
        )
    return table[name]


def param_values(param_set: ParamSet) -> dict[str, Any]:
    if not len(param_set):  # most measures have no parameters; scoring calls this per iteration
        return {}
    values = dict(param_set.default)
    values.update(param_set.get_values())
    return values
