"""Conversion of user data to backends: :func:`as_data_backend` and its registry.

:func:`as_data_backend` looks the type of its argument up in a registry of
converters (:func:`register_data_backend`), walking the type's method
resolution order; types are named by top-level module and class name, so
optional libraries (polars, pyarrow, ibis, duckdb) are imported only when such
an object is given. Paths (``str`` / ``os.PathLike``) are told apart by the
file's content: a Parquet file, a directory of them, or a SQLite or DuckDB
database (with ``table=``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd

from mlr3py.data._arrow_frames import table_frame
from mlr3py.data.backend import DataBackend, DataBackendPandas, column_type
from mlr3py.errors import InputError

__all__ = [
    "as_data_backend", "register_data_backend", "to_pandas", "typed_objects", "unusable_data",
]

#: A converter: ``(data, primary_key, **options) -> DataBackend``.
Converter = Callable[..., DataBackend]

# (top-level module, class name) -> converter
_CONVERTERS: dict[tuple[str, str], Converter] = {}


def register_data_backend(module: str, name: str, converter: Converter) -> None:
    """Register ``converter`` for objects of class ``name`` from package ``module``.

    Parameters
    ----------
    module : str
        The top-level package of the class (``"polars"``, ``"ibis"``, ``"builtins"``).
    name : str
        The class name (subclasses match too).
    converter : callable
        Called as ``converter(data, primary_key, **options)``; returns a
        :class:`DataBackend`.
    """
    _CONVERTERS[(module, name)] = converter


def _lookup(data: Any) -> Converter | None:
    for cls in type(data).__mro__:
        root = cls.__module__.split(".")[0]
        # the module as registered ("__main__" for a script's class), or without its
        # leading underscores (DuckDB's classes live in "_duckdb")
        found = (_CONVERTERS.get((root, cls.__name__))
                 or _CONVERTERS.get((root.lstrip("_"), cls.__name__)))
        if found is not None:
            return found
    return None


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
        whose columns have the feature types a database backend gives them
        (:func:`~mlr3py.data._arrow_frames.table_frame`): booleans and integers
        with missing values nullable ``boolean`` / ``Int64``, decimals float64,
        dates and timestamps ``datetime64[ns]``, dictionary columns (polars
        ``Categorical`` / ``Enum``) categoricals (an ``Enum`` ordered, with its
        declared levels).
    """
    if isinstance(data, pd.DataFrame):
        return data
    module = type(data).__module__.split(".")[0]
    if module == "polars":
        if type(data).__name__ == "LazyFrame":
            data = data.collect()
        if type(data).__name__ == "DataFrame":
            return table_frame(data.to_arrow())
    if module == "pyarrow" and type(data).__name__ in ("Table", "RecordBatch"):
        return table_frame(data)
    if isinstance(data, dict):
        return pd.DataFrame(data)
    raise InputError(
        "Data must be a pandas DataFrame, a polars DataFrame or a pyarrow Table. "
        f"Got {type(data).__module__}.{type(data).__name__} instead."
    )


def _in_memory(data: Any, primary_key: str | None = None, **options: Any) -> DataBackend:
    strings_as_factors = options.pop("strings_as_factors", True)
    if options:
        raise InputError(
            f"In-memory tables take no options {sorted(options)} (only strings_as_factors); "
            "the others are for databases and files."
        )
    if not isinstance(strings_as_factors, bool):
        raise InputError(
            f"strings_as_factors must be True or False. Got {strings_as_factors!r} instead."
        )
    frame = typed_objects(to_pandas(data))
    if strings_as_factors:
        frame = _strings_as_factors(frame, primary_key)
    return DataBackendPandas(frame, primary_key=primary_key)


def typed_objects(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its object columns of booleans as logical columns and of decimals as
    float64 (the types a database gives them), the other columns not copied.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table.

    Returns
    -------
    pandas.DataFrame
        ``frame`` itself if no object column holds only booleans or only decimals
        (besides missing values); a boolean column with missing values becomes
        pandas' nullable ``boolean``, one without numpy bool.
    """
    typed: dict[int, Any] = {}
    for i, dtype in enumerate(frame.dtypes):
        if not pd.api.types.is_object_dtype(dtype):
            continue
        values = frame.iloc[:, i]
        inferred = pd.api.types.infer_dtype(values, skipna=True)
        if inferred == "boolean":
            typed[i] = values.astype("boolean" if values.isna().any() else bool)
        elif inferred == "decimal":
            typed[i] = values.astype(float)
    if not typed:
        return frame
    frame = frame.copy(deep=False)
    for i, values in typed.items():
        frame.isetitem(i, values)
    return frame


def _strings_as_factors(frame: pd.DataFrame, primary_key: str | None) -> pd.DataFrame:
    """``frame`` with its string (object) columns as categoricals, their sorted values as
    categories (as database backends' factors); the other columns are not copied."""
    strings = {c: frame[c].astype("category") for c, dtype in frame.dtypes.items()
               if c != primary_key and column_type(dtype) == "character"}
    if not strings:
        return frame
    frame = frame.copy(deep=False)  # (column names need not be str, as assign() wants)
    for col, values in strings.items():
        frame[col] = values
    return frame


for _module, _name in (("pandas", "DataFrame"), ("polars", "DataFrame"),
                       ("pyarrow", "Table"), ("pyarrow", "RecordBatch"), ("builtins", "dict")):
    register_data_backend(_module, _name, _in_memory)


def as_data_backend(data: Any, primary_key: str | None = None, **options: Any) -> DataBackend:
    """Build a backend from data, or return ``data`` if it is a backend already.

    Parameters
    ----------
    data : object
        A :class:`DataBackend`; a pandas / polars DataFrame or pyarrow Table (in
        memory); a polars ``LazyFrame`` (stays lazy); an ibis table expression; a
        DuckDB relation, or a DuckDB connection with ``table=``; a path to a SQLite
        or DuckDB file with ``table=``; a Parquet file, a list of them or a
        directory of them. Database and Parquet backends need ``mlr3py[sql]``.
    primary_key : str or None
        An integer column with unique row ids; ``None`` numbers the rows ``0 .. n-1``.
    **options
        ``strings_as_factors`` (default ``True``: string columns become factors, with
        their sorted distinct values as levels; for in-memory tables too); for
        databases and files also ``table`` (the table name).

    Returns
    -------
    DataBackend

    Raises
    ------
    InputError
        For data of an unknown kind, files that are neither Parquet nor a
        database, unknown tables, and bad primary keys.

    Examples
    --------
    >>> import pandas as pd
    >>> as_data_backend(pd.DataFrame({"x": [1, 2]})).nrow
    2
    """
    if isinstance(data, DataBackend):
        return data
    converter = _lookup(data)
    if converter is None:
        raise unusable_data(data)
    return converter(data, primary_key, **options)


def unusable_data(data: Any) -> InputError:
    """The error for data that :func:`as_data_backend` cannot use (naming its type)."""
    kind = f"{type(data).__module__}.{type(data).__name__}"
    return InputError(
        f"as_data_backend() cannot use data of type {kind}. Give a pandas / polars "
        "DataFrame, a pyarrow Table, a polars LazyFrame, an ibis table, a DuckDB relation "
        "or connection, or the path of a Parquet, DuckDB or SQLite file (or a list of "
        f"Parquet files). Got {kind} instead."
    )
