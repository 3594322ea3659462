"""Preparing user tables for tasks: string columns become categoricals (factors)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from mlr3py.data.backend import DataBackendPandas, column_type
from mlr3py.data.convert import to_pandas
from mlr3py.errors import InputError
from mlr3py.registry import did_you_mean

__all__ = ["check_classif_target", "check_columns", "is_in_memory_table", "prepare_frame"]

# A float target with at most this many distinct values may be class labels (e.g. 0.0 / 1.0).
_MAX_FLOAT_CLASSES = 10


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


def check_columns(frame: pd.DataFrame) -> None:
    """Raise :class:`InputError` for column names or types no task can hold.

    Duplicated column names (after conversion to text) and complex-number
    columns (no mlr3 feature type covers them; they would otherwise become
    factors) are refused, naming the columns.
    """
    names = [str(c) for c in frame.columns]
    if len(set(names)) != len(names):
        dup = sorted({c for c in names if names.count(c) > 1})
        raise InputError(
            f"Column names must be unique, but {', '.join(repr(c) for c in dup)} "
            f"occur(s) more than once. Rename or drop the duplicated columns "
            f"(e.g. df.loc[:, ~df.columns.duplicated()])."
        )
    complex_cols = [
        str(c) for c, dt in zip(frame.columns, frame.dtypes, strict=True)
        if pd.api.types.is_complex_dtype(dt)
    ]
    if complex_cols:
        raise InputError(
            f"Column(s) {', '.join(repr(c) for c in complex_cols)} hold complex numbers, which "
            f"no feature type covers. Split them into real and imaginary parts "
            f"(np.real(...), np.imag(...)) or their modulus (np.abs(...))."
        )


def check_classif_target(values: pd.Series) -> None:
    """Refuse a float target that looks like a regression target for a classification task.

    A float column whose values are not all whole numbers and that has more
    than a few distinct values would silently become one class per value.
    Categorical columns pass (converting explicitly is the documented way to
    use such values as class labels).
    """
    if not pd.api.types.is_float_dtype(values.dtype):
        return
    arr = values.to_numpy(dtype=float, na_value=np.nan)
    arr = arr[~np.isnan(arr)]
    distinct = np.unique(arr)
    if len(distinct) <= _MAX_FLOAT_CLASSES and bool(np.all(distinct == np.round(distinct))):
        return
    raise InputError(
        f"The target column '{values.name}' holds floating-point numbers with "
        f"{len(distinct)} distinct values; as a classification target each value would "
        f"become a class. Use as_task_regr() for a numeric target, or convert the column to "
        f"categories first (df['{values.name}'].astype('category')) if they are class labels."
    )


def is_in_memory_table(data: Any) -> bool:
    """Whether ``data`` is a table held in memory (pandas, polars DataFrame, pyarrow, dict)."""
    if isinstance(data, (pd.DataFrame, dict)):
        return True
    module = type(data).__module__.split(".")[0]
    return (module, type(data).__name__) in (
        ("polars", "DataFrame"), ("pyarrow", "Table"), ("pyarrow", "RecordBatch"),
    )


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
    check_columns(frame)
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
            check_classif_target(values)
            changed[col] = _as_factor(values)
        elif column_type(values.dtype) == "character":
            changed[col] = _as_factor(values)
    if changed:
        frame = frame.assign(**changed)
    return DataBackendPandas(frame.reset_index(drop=True))
