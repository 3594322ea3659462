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

__all__ = ["arrow_frame", "database_dtype", "feature_type", "table_frame"]


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
        or ``"POSIXct"`` (as :func:`table_frame` gives for an in-memory table).
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
        if kind in ("factor", "ordered"):
            dtype = dtype_for(ColInfo(col, kind, levels[col]))
            if pa.types.is_dictionary(column.type):  # (an engine may keep a polars Enum's)
                column = pc.cast(column, column.type.value_type)
            lookup = pa.array(list(levels[col]), type=column.type)
            codes = pc.fill_null(pc.index_in(column, value_set=lookup), -1)
            out[col] = pd.Categorical.from_codes(codes.to_numpy().astype(np.int32),
                                                 dtype=dtype)
        elif kind == "character":
            out[col] = np.asarray(column.to_pylist(), dtype=object)
        elif kind == "numeric":
            out[col] = pc.cast(column, pa.float64()).to_numpy(zero_copy_only=False)
        elif kind == "POSIXct":
            out[col] = _nanoseconds(pd.to_datetime(column.to_pandas()))
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


def _nanoseconds(values: pd.Series) -> pd.Series:
    """Datetimes in nanoseconds, the unit of :func:`~mlr3py.data.backend.dtype_for`'s
    ``POSIXct`` (an engine's Arrow result, and pandas after it, keep the engine's unit:
    seconds for a date, microseconds for a timestamp)."""
    return values.dt.as_unit("ns")


def table_frame(table: Any) -> pd.DataFrame:
    """An in-memory Arrow table as a pandas frame, its columns of the feature types (and
    dtypes) that a database backend gives the same columns.

    Column by column: booleans and integers with missing values become pandas'
    nullable ``boolean`` / ``Int64`` (without, numpy bool / integers), decimals
    float64, dates and timestamps ``datetime64[ns]`` (time zone kept; the table's
    unit if a value lies outside nanoseconds' range), dictionary columns
    categoricals: an ordered dictionary (a polars ``Enum``) with its declared
    values as levels, in their order, an unordered one with the values it uses,
    sorted (as the levels of a database's string column). Other columns convert as
    ``pyarrow.Table.to_pandas()`` converts them.

    Parameters
    ----------
    table : pyarrow.Table or pyarrow.RecordBatch
        The table.

    Returns
    -------
    pandas.DataFrame
        With the table's column names (repeated names kept) and a default index (or
        the index that pandas metadata of the table names).
    """
    import pyarrow as pa

    if isinstance(table, pa.RecordBatch):
        table = pa.Table.from_batches([table])
    names = list(table.column_names)
    typed = {i: values for i, column in enumerate(table.columns)
             if (values := _table_column(column)) is not None}
    index = set((table.schema.pandas_metadata or {}).get("index_columns", []))
    for i in typed:  # converted above: to_pandas() gets a column of nulls in its place
        if names[i] not in index:  # (pandas metadata's index columns convert as they are)
            table = table.set_column(i, names[i], pa.nulls(table.num_rows))
    frame = table.to_pandas()  # one conversion (and block) for the columns kept as they are
    as_index = frame.shape[1] != len(names)  # pandas metadata made some columns the index
    for i, values in typed.items():
        if as_index and names[i] not in frame.columns:
            continue
        frame.isetitem(frame.columns.get_loc(names[i]) if as_index else i, values.array)
    return frame


def _table_column(column: Any) -> Any:
    """One Arrow column of :func:`table_frame` as a pandas Series, or None where
    ``to_pandas()`` converts it as it should be."""
    import pyarrow as pa
    import pyarrow.compute as pc

    kind = column.type
    if pa.types.is_boolean(kind) or pa.types.is_integer(kind):
        if column.null_count == 0:
            return None
        return pd.Series(_int_or_bool(column, pa.types.is_boolean(kind), True))
    if pa.types.is_decimal(kind):
        return pd.Series(pc.cast(column, pa.float64()).to_numpy(zero_copy_only=False))
    if pa.types.is_date(kind) or pa.types.is_timestamp(kind):
        unit = pa.timestamp("ns", tz=getattr(kind, "tz", None))
        try:
            return column.cast(unit).to_pandas()
        except pa.ArrowInvalid:  # outside 1677-2262: the table's unit
            return column.to_pandas()
    if pa.types.is_dictionary(kind):
        values = column.to_pandas()
        if kind.ordered:
            return values.astype(pd.CategoricalDtype(values.cat.categories, ordered=True))
        used = values.dropna().unique()  # (astype() would keep the order: equal dtypes)
        return values.cat.set_categories(_sorted_levels(list(used)))
    return None


def _sorted_levels(values: list[Any]) -> list[Any]:
    """Levels sorted (as text where the values do not compare)."""
    try:
        return sorted(values)
    except TypeError:
        return sorted(values, key=str)
