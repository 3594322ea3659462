"""Data backends and built-in data sets.

A :class:`DataBackend` is a read-only table addressed by 0-based ``int64`` row
ids; tasks view it through column roles and active row ids.
:func:`as_data_backend` wraps pandas, polars and pyarrow tables in memory, and
keeps databases (any engine of ibis: DuckDB, SQLite, PostgreSQL, ...), Parquet
files and polars lazy frames where they are;
:func:`load_dataset` reads OpenML data sets from a local CSV cache.
"""

from mlr3py.data.backend import (
    ROW_ID,
    ColInfo,
    DataBackend,
    DataBackendPandas,
    as_row_ids,
    column_type,
)
from mlr3py.data.convert import as_data_backend, register_data_backend, to_pandas
from mlr3py.data.databases import as_duckdb_backend, as_parquet_backend, as_sqlite_backend
from mlr3py.data.lazy import DataBackendLazy
from mlr3py.data.openml import DATA_DIR_ENV, data_dir, dataset_path, load_dataset, parse_arff
from mlr3py.data.sql import DataBackendIbis

__all__ = [
    "DATA_DIR_ENV",
    "ROW_ID",
    "ColInfo",
    "DataBackend",
    "DataBackendIbis",
    "DataBackendLazy",
    "DataBackendPandas",
    "as_data_backend",
    "as_duckdb_backend",
    "as_parquet_backend",
    "as_row_ids",
    "as_sqlite_backend",
    "column_type",
    "data_dir",
    "dataset_path",
    "load_dataset",
    "parse_arff",
    "register_data_backend",
    "to_pandas",
]
