"""Tables of the command line: for the terminal, and as JSON records."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

__all__ = ["format_table", "table_records"]


def _format_cell(value: Any) -> Any:
    if isinstance(value, (set, frozenset)):
        return ", ".join(sorted(str(v) for v in value))
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return value


def format_table(table: pd.DataFrame) -> str:
    """Render a table for the terminal: no index, collections joined by commas."""
    shown = table.copy()
    for col in shown.columns:
        if shown[col].dtype == object:
            shown[col] = shown[col].map(_format_cell)
    return shown.to_string(index=False)


def _json_value(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        return _json_value(value.item())
    if isinstance(value, (set, frozenset)):
        return sorted(_json_value(v) for v in value)
    if isinstance(value, (list, tuple)):
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if value is pd.NA or value is pd.NaT:
        return None
    return str(value)


def table_records(table: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows of ``table`` as JSON-ready dicts (NaN -> None, numpy scalars -> Python,
    dict cells -> objects)."""
    return [
        {str(col): _json_value(row[col]) for col in table.columns}
        for _, row in table.astype(object).iterrows()
    ]
