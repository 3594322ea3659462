"""The columns of an ibis table as features: their feature types and their values.

:func:`feature_type` maps an ibis column type to the feature type of a
:class:`~mlr3py.data.sql.DataBackendIbis` column (or refuses it), and
:func:`arrow_frame` converts a query's pyarrow result into a pandas frame with
the dtypes of those feature types, column by column from Arrow (factors
through their codes). :func:`database_dtype` is the dtype a database column comes
in: integer and logical columns that hold missing values (anywhere in the table)
are pandas' nullable ``Int64`` / ``boolean``, those that hold none numpy's int64 /
bool, as an in-memory frame holds them; the dtype does not depend on which rows
are read.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

import numpy as np
import pandas as pd

from mlr3py.data.backend import ColInfo, dtype_for
from mlr3py.errors import InputError

__all__ = ["arrow_frame", "database_dtype", "feature_type"]


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


def database_dtype(info: ColInfo, nullable: bool) -> Any:
    """The pandas dtype in which a database backend returns the column ``info``.

    Parameters
    ----------
    info : ColInfo
        The column.
    nullable : bool
        Whether the column holds missing values (in any row of the table): integer
        and logical columns are then nullable ``Int64`` / ``boolean`` (else int64 /
        bool), whatever rows are read. Other feature types are those of
        :func:`~mlr3py.data.backend.dtype_for` (float64, categorical, object and
        datetime columns hold missing values as they are).

    Returns
    -------
    numpy.dtype or pandas.api.extensions.ExtensionDtype
    """
    if nullable and info.type == "integer":
        return pd.Int64Dtype()
    if nullable and info.type == "logical":
        return pd.BooleanDtype()
    return dtype_for(info)


def arrow_frame(table: Any, cols: list[str], types: Mapping[str, str],
                levels: Mapping[str, tuple[Any, ...]],
                order: np.ndarray | None = None,
                nullable: Collection[str] | None = None) -> pd.DataFrame:
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
    nullable : collection of str, optional
        The integer and logical columns that hold missing values in the table
        (:func:`database_dtype`); None: those that hold missing values in ``table``.

    Returns
    -------
    pandas.DataFrame
        The columns ``cols`` with a default index: factors as categoricals,
        ``character`` as object arrays, ``numeric`` as float64, ``POSIXct`` as
        datetimes, integer and logical columns as int64 / bool, or nullable
        ``Int64`` / ``boolean`` if ``nullable`` names them (or they hold missing
        values in ``table``).
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
        else:  # integer, logical: nullable if the table's column holds missing values
            na = column.null_count > 0 if nullable is None else col in nullable
            out[col] = _int_or_bool(column, kind == "logical", na or column.null_count > 0)
    return pd.DataFrame(out, columns=cols)


def _int_or_bool(column: Any, logical: bool, nullable: bool) -> Any:
    """An Arrow integer or logical column as a numpy int64 / bool array, or (``nullable``)
    a pandas ``Int64`` / ``boolean`` array.

    The column is cast first: a result may hold an integer column as another
    width, a logical one as integers (SQLite) or a column of NULLs as type null.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    column = pc.cast(column, pa.bool_() if logical else pa.int64())
    if not nullable:
        return column.to_numpy(zero_copy_only=False)
    mask = pc.is_null(column).to_numpy(zero_copy_only=False)
    values = pc.fill_null(column, False if logical else 0).to_numpy(zero_copy_only=False)
    if logical:
        return pd.arrays.BooleanArray(np.asarray(values, dtype=bool), np.asarray(mask, dtype=bool))
    return pd.arrays.IntegerArray(np.asarray(values, dtype=np.int64),
                                  np.asarray(mask, dtype=bool))


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
