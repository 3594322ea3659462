"""Preparing user tables for tasks: string columns become categoricals (factors)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from mlr3py.data.backend import DataBackendPandas, column_type
from mlr3py.data.convert import to_pandas
from mlr3py.errors import InputError
from mlr3py.registry import did_you_mean

__all__ = ["prepare_frame"]


def _as_factor(values: pd.Series) -> pd.Series:
    """A categorical version of ``values`` with string categories, unused ones dropped."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        values = values.cat.remove_unused_categories()
    else:
        values = values.astype("category")
    cats = list(values.cat.categories)
    if not all(isinstance(c, str) for c in cats):
        names = [str(c) for c in cats]
        if len(set(names)) != len(names):
            raise InputError(
                f"Values {cats} of column '{values.name}' are not unique when written as text."
            )
        values = values.cat.rename_categories(names)
    return values


def prepare_frame(data: Any, target: str, task_type: str) -> DataBackendPandas:
    """Convert a table to a backend the way ``as_task_*`` does.

    String / object columns become unordered categoricals; for classification
    the target becomes a categorical with string categories (R's factor).

    Parameters
    ----------
    data : pandas, polars or pyarrow table
        The data.
    target : str
        The target column.
    task_type : str
        ``"classif"`` or ``"regr"``.

    Returns
    -------
    DataBackendPandas
    """
    frame = to_pandas(data)
    frame = frame.set_axis([str(c) for c in frame.columns], axis=1)
    if target not in frame.columns:
        raise InputError(
            f"Target column '{target}' is not in the data."
            + did_you_mean(target, list(frame.columns))
        )
    changed: dict[str, pd.Series] = {}
    for col in frame.columns:
        values = frame[col]
        if col == target and task_type == "classif":
            changed[col] = _as_factor(values)
        elif column_type(values.dtype) == "character":
            changed[col] = _as_factor(values)
    if changed:
        frame = frame.assign(**changed)
    return DataBackendPandas(frame.reset_index(drop=True))
