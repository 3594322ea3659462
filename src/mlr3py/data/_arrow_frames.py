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
                levels: Mapping[str, tuple[Any, ...]]) -> pd.DataFrame:
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
