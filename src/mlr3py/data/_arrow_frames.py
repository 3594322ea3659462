"""The columns of an ibis table as features: their feature types and their values.

:func:`feature_type` maps an ibis column type to the feature type of a
:class:`~mlr3py.data.sql.DataBackendIbis` column (or refuses it), and
:func:`arrow_frame` converts a query's pyarrow result into a pandas frame with
the dtypes of those feature types, column by column from Arrow (factors
through their codes).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from mlr3py.data.backend import ColInfo, dtype_for
from mlr3py.errors import InputError

__all__ = ["arrow_frame", "feature_type"]


def feature_type(name: str, dtype: Any, strings_as_factors: bool) -> str:
    """The feature type of an ibis column type; unsupported types raise :class:`InputError`.

    Parameters
    ----------
    name : str
        The column's name (for the error message).
    dtype : ibis.expr.datatypes.DataType
        The column's ibis type.
    strings_as_factors : bool
        Whether string columns are factors (else ``character``).

    Returns
    -------
    str
        ``"logical"``, ``"integer"``, ``"numeric"``, ``"factor"``, ``"character"``
        or ``"POSIXct"``.
    """
    if dtype.is_boolean():
        return "logical"
    if dtype.is_integer():
        return "integer"
    if dtype.is_floating() or dtype.is_decimal():
        return "numeric"
    if dtype.is_string():
        return "factor" if strings_as_factors else "character"
    if dtype.is_timestamp() or dtype.is_date():
        return "POSIXct"
    raise InputError(
        f"Column '{name}' has type {dtype}, which no feature type covers. Drop it or cast "
        "it in the table expression first (expr.drop(...), or expr.mutate(...) with .cast())."
    )


def arrow_frame(table: Any, cols: list[str], types: Mapping[str, str],
                levels: Mapping[str, tuple[Any, ...]],
                order: np.ndarray | None = None) -> pd.DataFrame:
    """A pyarrow result as a pandas frame with the backend's dtypes.

    Parameters
    ----------
    table : pyarrow.Table or pyarrow.RecordBatch
        The result; it holds (at least) the columns ``cols``.
    cols : list of str
        The columns to convert, in the frame's order.
    types : mapping of str to str
        Column -> feature type (:func:`feature_type`).
    levels : mapping of str to tuple
        Factor column -> its levels; values that are not levels become missing.
    order : numpy.ndarray, optional
        The positions of the result's rows to take, in the frame's order (None: all
        rows as they are). Numeric columns are put in this order column by column,
        without a reordered copy of the whole result.

    Returns
    -------
    pandas.DataFrame
        The columns ``cols`` with a default index: factors as categoricals,
        ``character`` as object arrays, ``numeric`` as float64, ``POSIXct`` as
        datetimes; integer columns are float64 and logical columns object where
        values are missing.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    if cols and all(types[c] == "numeric" for c in cols):
        return _numeric_frame(table, cols, order)
    if order is not None:
        table = table.take(pa.array(order))
    out: dict[str, Any] = {}
    for col in cols:
        kind = types[col]
        column = table.column(col)
        if kind == "factor":
            dtype = dtype_for(ColInfo(col, kind, levels[col]))
            lookup = pa.array(list(levels[col]), type=column.type)
            codes = pc.fill_null(pc.index_in(column, value_set=lookup), -1)
            out[col] = pd.Categorical.from_codes(codes.to_numpy().astype(np.int32),
                                                 dtype=dtype)
        elif kind == "character":
            out[col] = np.asarray(column.to_pylist(), dtype=object)
        elif kind == "numeric":
            out[col] = pc.cast(column, pa.float64()).to_numpy(zero_copy_only=False)
        elif kind == "POSIXct":
            out[col] = pd.to_datetime(column.to_pandas())
        else:  # integer (float64 where missing), logical (object where missing)
            out[col] = column.to_numpy(zero_copy_only=False)
    return pd.DataFrame(out, columns=cols)


def _numeric_frame(table: Any, cols: list[str], order: np.ndarray | None) -> pd.DataFrame:
    """Numeric columns as one float64 block, filled column by column from Arrow.

    A frame built from a dict of columns copies them into its block, and reordering
    its rows copies them again; filling the block in place, each column put in
    ``order`` on the way, keeps one copy of the rows besides the Arrow result.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    block = np.empty((len(cols), table.num_rows if order is None else len(order)),
                     dtype=np.float64)
    for i, col in enumerate(cols):
        column = pc.cast(table.column(col), pa.float64()).to_numpy(zero_copy_only=False)
        block[i] = column if order is None else column[order]
    return pd.DataFrame(block.T, columns=cols, copy=False)
