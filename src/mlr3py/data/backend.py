"""Data backends: the read-only tables that tasks view (mlr3's ``DataBackend``), and the
in-memory backend over a pandas DataFrame.

A backend owns the data and knows its rows by *row ids* (0-based ``int64``
numbers, or the values of a primary-key column). Tasks never copy a backend:
they keep a list of active row ids and column roles and ask the backend for
the cells they need, so ``backend.data(rows, cols)`` must be a fast positional
take.

This module is where the backend names are imported from: the protocol
(:class:`DataBackend`, :class:`RowCodes`; :mod:`mlr3py.data._base`), row ids
(:func:`as_row_ids`, :data:`ROW_ID`; :mod:`mlr3py.data._row_ids`) and column types
(:class:`ColInfo`, :func:`column_type`; :mod:`mlr3py.data._columns`). It holds
:class:`DataBackendPandas` itself.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from mlr3py.data._base import DataBackend, RowCodes
from mlr3py.data._base import first_appearance as first_appearance
from mlr3py.data._columns import MATRIX_TYPES, ColInfo, col_info_from_dtype, column_type
from mlr3py.data._columns import dtype_for as dtype_for
from mlr3py.data._row_ids import ROW_ID, as_row_ids, unknown_rows_error
from mlr3py.errors import InputError
from mlr3py.registry import did_you_mean

__all__ = [
    "MATRIX_TYPES",
    "ROW_ID",
    "ColInfo",
    "DataBackend",
    "DataBackendPandas",
    "RowCodes",
    "as_row_ids",
    "column_type",
    "unknown_rows_error",
]

_DEFAULT_KEY = "..row_id"


class DataBackendPandas(DataBackend):
    """An in-memory backend over a pandas DataFrame.

    Parameters
    ----------
    data : pandas.DataFrame
        The table. It is not copied (pandas' copy-on-write keeps it safe).
    primary_key : str or None
        A column with unique integer row ids, or the name of the frame's index
        (``df.set_index("id")``), which then becomes that column. ``None`` numbers
        the rows ``0 .. n-1`` in their current order; the index is not data then (as
        mlr3 drops a data frame's row names): ``reset_index()`` keeps it as a column.

    Examples
    --------
    >>> import pandas as pd
    >>> backend = DataBackendPandas(pd.DataFrame({"x": [1.0, 2.0, 3.0]}))
    >>> backend.data([2, 0], ["x"])["x"].tolist()
    [3.0, 1.0]
    """

    def __init__(self, data: pd.DataFrame, primary_key: str | None = None) -> None:
        if not isinstance(data, pd.DataFrame):
            raise InputError(
                f"DataBackendPandas needs a pandas DataFrame. Got {type(data).__name__} instead; "
                "use as_data_backend() for polars or pyarrow tables."
            )
        if primary_key is not None and primary_key in _index_names(data):
            data = data.reset_index(level=primary_key)
        names = [str(c) for c in data.columns]
        if len(set(names)) != len(names):
            dup = sorted({c for c in names if names.count(c) > 1})
            raise InputError(f"Column names must be unique. Duplicated: {dup}.")
        frame = data.set_axis(names, axis=1)
        if primary_key is None and _DEFAULT_KEY in names:
            raise InputError(
                f"The column name '{_DEFAULT_KEY}' is reserved for the row ids of a backend "
                f"without a primary key. Rename the column, or pass "
                f"primary_key='{_DEFAULT_KEY}' if it holds unique integer row ids."
            )
        if primary_key is None:
            ids = np.arange(len(frame), dtype=np.int64)
            self._key = _DEFAULT_KEY
            self._positions: pd.Index | None = None
        else:
            if primary_key not in names:
                raise InputError(
                    f"The primary key '{primary_key}' is not a column of the data."
                    + did_you_mean(primary_key, names)
                )
            what = f"values of primary key '{primary_key}'"
            ids = as_row_ids(frame[primary_key].to_numpy(), what)
            if len(np.unique(ids)) != len(ids):
                raise InputError(
                    f"The primary key '{primary_key}' has duplicated values: "
                    f"{_duplicated(ids)}. Give a column with one value per row, or "
                    "primary_key=None to number the rows."
                )
            self._key = primary_key
            self._positions = pd.Index(ids)
        self._setup(frame, ids)

    def _setup(self, frame: pd.DataFrame, ids: np.ndarray) -> None:
        """Keep ``frame`` (string column names) indexed by the checked row ids ``ids``."""
        self._ids = ids
        self._ids.setflags(write=False)
        self._index = pd.Index(ids, name=ROW_ID)
        self._df = frame.set_axis(self._index, axis=0)
        self._names = [str(c) for c in frame.columns]
        self._hash: str | None = None
        self._init_caches()

    def _init_caches(self) -> None:
        """Empty the caches derived from the (read-only) data."""
        self._numeric: _NumericBlock | None = None
        self._missing_counts: dict[str, int] = {}

    def __getstate__(self) -> dict[str, Any]:
        # the caches are rebuilt on demand; do not ship them to other processes
        state = self.__dict__.copy()
        del state["_numeric"], state["_missing_counts"]
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._init_caches()

    @property
    def primary_key(self) -> str:
        return self._key

    @property
    def rownames(self) -> np.ndarray:
        return self._ids

    @property
    def colnames(self) -> list[str]:
        return list(self._names)

    @property
    def nrow(self) -> int:
        return len(self._ids)

    @property
    def ncol(self) -> int:
        return self._df.shape[1]

    @property
    def dtypes(self) -> dict[str, Any]:
        return dict(self._df.dtypes.items())

    def col_info(self) -> list[ColInfo]:
        return [col_info_from_dtype(name, dtype) for name, dtype in self._df.dtypes.items()]

    @property
    def hash(self) -> str:
        if self._hash is None:
            digest = hashlib.sha1(usedforsecurity=False)
            schema = [(col, str(dtype)) for col, dtype in self._df.dtypes.items()]
            digest.update(repr(schema).encode())
            digest.update(pd.util.hash_pandas_object(self._df, index=True).to_numpy().tobytes())
            self._hash = digest.hexdigest()[:16]
        return self._hash

    def positions(self, rows: Any) -> np.ndarray:
        """Storage positions of row ids ``rows``; unknown ids raise :class:`InputError`."""
        ids = as_row_ids(rows)
        if self._positions is None:
            pos = ids
            bad = (pos < 0) | (pos >= len(self._ids)) if len(pos) else np.zeros(0, dtype=bool)
        else:
            pos = self._positions.get_indexer(pd.Index(ids)).astype(np.int64, copy=False)
            bad = pos < 0
        if bad.any():
            raise unknown_rows_error(pd.unique(ids[bad]),
                                     f"the backend's rownames ({len(self._ids)} rows)")
        return pos

    def data(self, rows: Any, cols: Sequence[str]) -> pd.DataFrame:
        cols = self._check_cols(cols)
        frame = self._df[cols]
        if rows is None:
            return frame
        return frame.take(self.positions(rows))

    def matrix(self, rows: Any, cols: Sequence[str]) -> np.ndarray:
        """Rows ``rows`` and numeric columns ``cols`` as one float64 array.

        See :meth:`DataBackend.matrix`. The first call converts all numeric,
        integer and logical columns to one cached float64 block (a copy of
        those columns); later calls only take rows and columns from it.
        """
        block = self._numeric_block()
        index = block.columns
        if not all(col in index for col in cols):
            self._check_matrix_cols(cols)  # raises: unknown or non-numeric column
        take = [index[col] for col in cols]
        rows_at = None if rows is None else self.positions(rows)
        return block.take(rows_at, take)

    def _matrix_uncached(self, cols: Sequence[str]) -> np.ndarray:
        """:meth:`matrix` of all rows in storage order, column by column from the frame
        into one new array (one copy; the cached block, if built, is used instead).

        Float64 columns that are one run of the frame's block (the rows a database
        backend read, :func:`~mlr3py.data._arrow_frames.arrow_frame`) come as a
        read-only view of it instead: no copy (30 MiB for 200,000 rows of 19 columns).
        """
        if self._numeric is not None:
            return self.matrix(None, cols)
        cols = self._check_matrix_cols(cols)
        view = _block_view(self._df, cols)
        if view is not None:
            return view
        out = np.empty((len(self._df), len(cols)), dtype=np.float64)
        for j, col in enumerate(cols):
            out[:, j] = self._df[col].to_numpy(dtype=np.float64, na_value=np.nan)
        return out

    def _numeric_block(self) -> _NumericBlock:
        """The cached float64 block of all numeric, integer and logical columns."""
        if self._numeric is None:
            dtypes = self._df.dtypes
            cols = [c for c, dt in dtypes.items() if column_type(dt) in MATRIX_TYPES]
            values = self._df[cols].to_numpy(dtype=np.float64, na_value=np.nan)
            self._numeric = _NumericBlock.create(values, cols)
        return self._numeric

    def missings(self, rows: Any | None, cols: Sequence[str]) -> dict[str, int]:
        cols = self._check_cols(cols)
        if rows is None:
            return self._all_missings(cols)
        counts = self._df[cols].take(self.positions(rows)).isna().sum()
        return {col: int(counts[col]) for col in cols}

    def _all_missings(self, cols: list[str]) -> dict[str, int]:
        """Missing values per column over all rows (cached per column)."""
        cache = self._missing_counts
        todo = [col for col in cols if col not in cache]
        if todo:
            counts = self._df[todo].isna().sum()
            cache.update({col: int(counts[col]) for col in todo})
        return {col: cache[col] for col in cols}


def _index_names(data: pd.DataFrame) -> list[str]:
    """The names of ``data``'s index levels (unnamed levels left out)."""
    return [str(name) for name in data.index.names if name is not None]


def _duplicated(ids: np.ndarray, shown: int = 5) -> str:
    """Up to ``shown`` of the values that occur more than once in ``ids``, as text."""
    values, counts = np.unique(ids, return_counts=True)
    dups = values[counts > 1]
    text = ", ".join(str(v) for v in dups[:shown])
    return f"{text}, ... ({len(dups)} values)" if len(dups) > shown else text


@dataclass(frozen=True)
class _NumericBlock:
    """Numeric columns of a backend as one read-only float64 array (rows in storage order).

    Attributes
    ----------
    values : numpy.ndarray
        C-contiguous, shape ``(n_rows, len(columns))``.
    columns : dict
        Column name -> column index in ``values``.
    """

    values: np.ndarray
    columns: dict[str, int]

    @classmethod
    def create(cls, values: np.ndarray, cols: list[str]) -> _NumericBlock:
        """A block over ``values`` (made C-contiguous and read-only)."""
        values = np.ascontiguousarray(values, dtype=np.float64)
        values.setflags(write=False)
        return cls(values, {col: i for i, col in enumerate(cols)})

    def take(self, rows_at: np.ndarray | None, cols_at: list[int]) -> np.ndarray:
        """A new C-contiguous array: rows at positions ``rows_at`` (``None``: all) and
        columns at positions ``cols_at``."""
        values = self.values
        all_cols = len(cols_at) == values.shape[1] and cols_at == list(range(len(cols_at)))
        if all_cols:
            return values.copy() if rows_at is None else values.take(rows_at, axis=0)
        cols_idx = np.asarray(cols_at, dtype=np.intp)
        if rows_at is None:
            return values.take(cols_idx, axis=1)
        return np.ascontiguousarray(values[np.ix_(rows_at, cols_idx)])


def _block_view(frame: pd.DataFrame, cols: list[str]) -> np.ndarray | None:
    """Columns ``cols`` of ``frame`` as a read-only view of its block, or None where they
    are not one run of float64 columns of a single block (then they are copied)."""
    if not cols or not frame.columns.is_unique:
        return None
    at = frame.columns.get_indexer(pd.Index(cols))
    start = int(at[0])
    if (at < 0).any() or not np.array_equal(at, np.arange(start, start + len(cols))):
        return None
    part = frame.iloc[:, start:start + len(cols)]
    if not all(dtype == np.float64 for dtype in part.dtypes):
        return None
    values = part.to_numpy(dtype=np.float64, copy=False)
    base = frame.iloc[:, start].to_numpy(copy=False)
    if not np.shares_memory(values, base):
        return None  # pandas copied them: not one block
    view = values.view()
    view.flags.writeable = False
    return view
