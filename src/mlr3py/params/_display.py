"""A parameter set as a table (``as_table()``) and as text (its ``repr``)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pandas as pd

from mlr3py.params._domain import Domain
from mlr3py.params._format import format_number, format_value

__all__ = ["param_table", "param_text"]

_COLUMNS = ["id", "class", "lower", "upper", "nlevels", "default", "value"]


def param_table(params: Mapping[str, Domain], values: Mapping[str, Any]) -> pd.DataFrame:
    """One row per parameter: id, class, lower, upper, nlevels, default, value.

    Missing bounds (non-numeric parameters), missing defaults and unset values are
    ``pd.NA``.

    Parameters
    ----------
    params : mapping of str to Domain
        The parameters, by id, in their order.
    values : mapping
        The values set.

    Returns
    -------
    pandas.DataFrame
    """
    rows = []
    for key, d in params.items():
        rows.append({
            "id": key,
            "class": d.cls,
            "lower": d.lower if d.is_number else math.nan,
            "upper": d.upper if d.is_number else math.nan,
            "nlevels": d.nlevels,
            "default": d.default if d.has_default else pd.NA,
            "value": values[key] if key in values else pd.NA,
        })
    table = pd.DataFrame(rows, columns=_COLUMNS)
    # built as object columns from the start: inferring a string dtype first (pandas 3)
    # would turn pd.NA into nan
    for col in ("default", "value"):
        table[col] = pd.Series([row[col] for row in rows], dtype=object)
    return table


def param_text(params: Mapping[str, Domain], values: Mapping[str, Any], *,
               with_parents: bool) -> str:
    """The table for printing: empty cells for what is missing, ``Inf`` for infinite bounds.

    Parameters
    ----------
    params : mapping of str to Domain
        The parameters, by id, in their order.
    values : mapping
        The values set.
    with_parents : bool
        Add a ``parents`` column (the parameter each one depends on).

    Returns
    -------
    str
        ``"Empty."`` for a set without parameters.
    """
    if not params:
        return "Empty."
    table = param_table(params, values)
    cells: dict[str, list[str]] = {
        "id": list(table["id"]),
        "class": list(table["class"]),
        **{col: [_number_cell(v) for v in table[col]] for col in ("lower", "upper", "nlevels")},
        "default": [_value_cell(v) for v in table["default"]],
    }
    if with_parents:
        cells["parents"] = [d.depends.on if d.depends else "" for d in params.values()]
    cells["value"] = [_value_cell(v) for v in table["value"]]
    return pd.DataFrame(cells).to_string(index=False)


def _number_cell(value: float) -> str:
    if math.isnan(value):
        return ""
    if math.isinf(value):
        return "Inf" if value > 0 else "-Inf"
    return format_number(value)


def _value_cell(value: Any) -> str:
    return "" if value is pd.NA else format_value(value)
