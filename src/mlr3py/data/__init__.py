"""Data backends and built-in data sets.

A :class:`DataBackend` is a read-only table addressed by 0-based ``int64`` row
ids; tasks view it through column roles and active row ids.
:func:`as_data_backend` wraps pandas, polars and pyarrow tables;
:func:`load_dataset` reads OpenML data sets from a local CSV cache.
"""

from mlr3py.data.backend import ROW_ID, DataBackend, DataBackendPandas, as_row_ids, column_type
from mlr3py.data.convert import as_data_backend, to_pandas
from mlr3py.data.lazy import DataBackendLazy
from mlr3py.data.openml import DATA_DIR_ENV, data_dir, dataset_path, load_dataset, parse_arff

__all__ = [
    "DATA_DIR_ENV",
    "ROW_ID",
    "DataBackend",
    "DataBackendLazy",
    "DataBackendPandas",
    "as_data_backend",
    "as_row_ids",
    "column_type",
    "data_dir",
    "dataset_path",
    "load_dataset",
    "parse_arff",
    "to_pandas",
]
