"""Conversion of user tables (pandas, polars, pyarrow) to backends."""

from __future__ import annotations

from typing import Any

import pandas as pd

from mlr3py.data.backend import DataBackend, DataBackendPandas
from mlr3py.errors import InputError

__all__ = ["as_data_backend", "to_pandas"]


def to_pandas(data: Any) -> pd.DataFrame:
    """Convert a pandas, polars or pyarrow table (or a dict of columns) to a pandas DataFrame.

    Parameters
    ----------
    data : pandas.DataFrame, polars.DataFrame, polars.LazyFrame, pyarrow.Table or dict
        The table.

    Returns
    -------
    pandas.DataFrame
        ``data`` itself when it is a pandas DataFrame, otherwise a converted copy
        (polars / arrow dictionary columns become pandas categoricals).
    """
    if isinstance(data, pd.DataFrame):
        return data
    module = type(data).__module__.split(".")[0]
    if module == "polars":
        if type(data).__name__ == "LazyFrame":
            data = data.collect()
        if type(data).__name__ == "DataFrame":
            return data.to_pandas()
    if module == "pyarrow" and type(data).__name__ in ("Table", "RecordBatch"):
        return data.to_pandas()
    if isinstance(data, dict):
        return pd.DataFrame(data)
    raise InputError(
        "Data must be a pandas DataFrame, a polars DataFrame or a pyarrow Table. "
        f"Got {type(data).__module__}.{type(data).__name__} instead."
    )


def as_data_backend(data: Any, primary_key: str | None = None) -> DataBackend:
    """Build a backend from a table, or return ``data`` if it is a backend already.

    Parameters
    ----------
    data : DataBackend, pandas.DataFrame, polars.DataFrame or pyarrow.Table
        The data.
    primary_key : str or None
        A column with unique integer row ids; ``None`` numbers the rows ``0 .. n-1``.

    Returns
    -------
    DataBackend

    Examples
    --------
    >>> import pandas as pd
    >>> as_data_backend(pd.DataFrame({"x": [1, 2]})).nrow
    2
    """
    if isinstance(data, DataBackend):
        return data
    return DataBackendPandas(to_pandas(data), primary_key=primary_key)
