"""Data backends: the read-only tables that tasks view (mlr3's ``DataBackend``).

A backend owns the data and knows its rows by *row ids* (0-based ``int64``
numbers, or the values of a primary-key column). Tasks never copy a backend:
they keep a list of active row ids and column roles and ask the backend for
the cells they need, so ``backend.data(rows, cols)`` must be a fast positional
take.
"""

from __future__ import annotations

import hashlib
from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

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

#: Name of the index of every frame that ``data()`` returns.
ROW_ID = "row_id"
_DEFAULT_KEY = "..row_id"

#: Column types that :meth:`DataBackend.matrix` converts to float64.
MATRIX_TYPES: frozenset[str] = frozenset({"numeric", "integer", "logical"})


def unknown_rows_error(unknown: Any, valid: str = "") -> InputError:
    """The error for row ids that are not in the data: the first ten and their count.

    Parameters
    ----------
    unknown : array-like
        The unknown row ids (distinct).
    valid : str, optional
        What the valid row ids are, e.g. ``"the values of the primary key 'id'"``.

    Returns
    -------
    InputError
        To be raised by the caller.
    """
    unknown = np.asarray(unknown)
    shown = ", ".join(str(x) for x in unknown[:10]) + (", ..." if len(unknown) > 10 else "")
    return InputError(
        f"Row ids not in the data: {shown} ({len(unknown)} unknown)."
        + (f" Valid row ids are {valid}." if valid else "")
    )


def as_row_ids(rows: Any, what: str = "row ids") -> np.ndarray:
    """Convert ``rows`` (an int, a range, a list, an array, a Series) to an int64 array.

    Parameters
    ----------
    rows : int or iterable of int
        Row ids.
    what : str
        How to name the argument in error messages.

    Returns
    -------
    numpy.ndarray
        A one-dimensional ``int64`` array (a new array or a read-only view is not
        guaranteed; do not write into it).
    """
    if isinstance(rows, (bool, np.bool_)):
        raise InputError(f"The {what} must be integers. Got {rows!r} instead.")
    if isinstance(rows, (int, np.integer)):
        return np.asarray([rows], dtype=np.int64)
    if isinstance(rows, range):
        return np.arange(rows.start, rows.stop, rows.step, dtype=np.int64)
    if isinstance(rows, (pd.Series, pd.Index)):
        rows = rows.to_numpy()
    arr = np.asarray(rows) if not isinstance(rows, np.ndarray) else rows
    if arr.ndim != 1:
        arr = arr.reshape(-1) if arr.ndim == 0 else arr
    if arr.ndim != 1:
        raise InputError(f"The {what} must be one-dimensional. Got shape {arr.shape} instead.")
    if arr.dtype == np.int64:
        return arr
    if arr.size == 0:
        return np.empty(0, dtype=np.int64)
    if np.issubdtype(arr.dtype, np.integer):
        return arr.astype(np.int64)
    if arr.dtype == object and all(
        isinstance(x, (int, np.integer)) and not isinstance(x, (bool, np.bool_)) for x in arr
    ):
        return arr.astype(np.int64)
    shown = ", ".join(repr(x) for x in arr[:5].tolist())
    raise InputError(
        f"The {what} must be integers (np.int64). Got values of type {arr.dtype} instead: {shown}."
    )


def column_type(dtype: Any) -> str:
    """Map a pandas dtype to mlr3's feature type name.

    Returns one of ``"logical"``, ``"integer"``, ``"numeric"``, ``"factor"``,
    ``"ordered"``, ``"POSIXct"``, ``"character"``.
    """
    if isinstance(dtype, pd.CategoricalDtype):
        return "ordered" if dtype.ordered else "factor"
    if isinstance(dtype, np.dtype) and dtype.kind in "fbiu":  # fast path: numpy dtypes
        return {"f": "numeric", "b": "logical"}.get(dtype.kind, "integer")
    if pd.api.types.is_bool_dtype(dtype):
        return "logical"
    if pd.api.types.is_integer_dtype(dtype):
        return "integer"
    if pd.api.types.is_float_dtype(dtype):
        return "numeric"
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return "POSIXct"
    return "character"


@dataclass(frozen=True)
class ColInfo:
    """What a backend knows about one column without reading its values.

    Attributes
    ----------
    name : str
        The column name.
    type : str
        The feature type, one of :data:`mlr3py.reflections.FEATURE_TYPES`.
    levels : tuple or None
        The levels of a ``factor`` / ``ordered`` column (in level order), else ``None``.
    """

    name: str
    type: str
    levels: tuple[Any, ...] | None = None


def dtype_for(info: ColInfo) -> Any:
    """The pandas dtype in which a backend returns a column described by ``info``."""
    kinds: dict[str, Any] = {
        "logical": np.dtype(bool), "integer": np.dtype(np.int64),
        "numeric": np.dtype(np.float64), "POSIXct": np.dtype("datetime64[ns]"),
        "character": np.dtype(object),
    }
    if info.type in ("factor", "ordered"):
        return pd.CategoricalDtype(list(info.levels or ()), ordered=info.type == "ordered")
    return kinds[info.type]


def col_info_from_dtype(name: str, dtype: Any) -> ColInfo:
    """The :class:`ColInfo` of a column held in a pandas dtype."""
    kind = column_type(dtype)
    levels = tuple(dtype.categories) if isinstance(dtype, pd.CategoricalDtype) else None
    return ColInfo(name, kind, levels)


@dataclass(frozen=True)
class RowCodes:
    """Rows by the combination of values of some columns (strata, groups).

    Attributes
    ----------
    combos : pandas.DataFrame
        One row per combination present, in order of first appearance among the
        rows asked for (missing values form combinations of their own), with a
        default index.
    codes : numpy.ndarray
        For each row asked for (in that order), the position of its combination
        in ``combos`` (``int64``).
    """

    combos: pd.DataFrame
    codes: np.ndarray


def first_appearance(combos: pd.DataFrame, codes: np.ndarray) -> RowCodes:
    """``combos`` and ``codes`` renumbered by first appearance in ``codes`` (combinations
    that do not appear are dropped)."""
    present, first = np.unique(codes, return_index=True)
    order = present[np.argsort(first, kind="stable")]
    remap = np.full(len(combos), -1, dtype=np.int64)
    remap[order] = np.arange(len(order), dtype=np.int64)
    return RowCodes(combos.iloc[order].reset_index(drop=True), remap[codes])


class DataBackend(ABC):
    """A read-only table addressed by row ids.

    Subclasses implement the abstract members and one of :meth:`col_info` and
    :attr:`dtypes` (each has a default built on the other); ``head``,
    ``distinct`` and ``missings`` build on ``data`` and may be overridden for
    speed (database backends answer them with aggregate queries).
    """

    #: Whether the data is in memory already (lazy backends load it on first use).
    is_materialized: bool = True

    #: Whether reading a whole column is cheap (in-memory tables): tasks then cache
    #: per-row facts such as class codes; database backends answer with queries instead.
    in_memory: bool = True

    @property
    @abstractmethod
    def primary_key(self) -> str:
        """Name of the column (or virtual column) that holds the row ids."""

    @property
    @abstractmethod
    def rownames(self) -> np.ndarray:
        """All row ids (``int64``), in storage order."""

    @property
    @abstractmethod
    def colnames(self) -> list[str]:
        """All column names (the primary key only if it is a real column)."""

    @property
    def dtypes(self) -> dict[str, Any]:
        """Column name -> the pandas dtype in which :meth:`data` returns it."""
        return {info.name: dtype_for(info) for info in self.col_info()}

    def col_info(self) -> list[ColInfo]:
        """One :class:`ColInfo` per column (name, feature type, factor levels), in
        column order; the primary key is included when it is a real column."""
        return [col_info_from_dtype(name, dtype) for name, dtype in self.dtypes.items()]

    def col_info_map(self) -> dict[str, ColInfo]:
        """:meth:`col_info` as a dict column name -> :class:`ColInfo`."""
        return {info.name: info for info in self.col_info()}

    @property
    @abstractmethod
    def hash(self) -> str:
        """A hash of the content (cached; backends are read-only)."""

    @abstractmethod
    def data(self, rows: Any, cols: Sequence[str]) -> pd.DataFrame:
        """Rows ``rows`` (in this order, duplicates kept) and columns ``cols``.

        ``rows=None`` means all rows in storage order. The index holds the row ids
        and is named ``"row_id"``. Unknown row ids or columns raise
        :class:`~mlr3py.errors.InputError`.
        """

    @property
    def nrow(self) -> int:
        """Number of rows."""
        return len(self.rownames)

    @property
    def ncol(self) -> int:
        """Number of columns."""
        return len(self.colnames)

    def head(self, n: int = 6) -> pd.DataFrame:
        """The first ``n`` rows, all columns."""
        return self.data(self.rownames[:n], self.colnames)

    def distinct(
        self, rows: Any | None, cols: Sequence[str], na_rm: bool = True
    ) -> dict[str, list[Any]]:
        """Column -> distinct values among ``rows`` (``None``: all rows), in order of appearance."""
        frame = self.data(self.rownames if rows is None else rows, cols)
        out: dict[str, list[Any]] = {}
        for col in cols:
            values = frame[col]
            if na_rm:
                values = values.dropna()
            out[col] = list(values.unique())
        return out

    def missings(self, rows: Any | None, cols: Sequence[str]) -> dict[str, int]:
        """Column -> number of missing values among ``rows`` (all rows if ``None``)."""
        frame = self.data(self.rownames if rows is None else rows, cols)
        return {col: int(frame[col].isna().sum()) for col in cols}

    def row_codes(self, rows: Any | None, cols: Sequence[str]) -> RowCodes:
        """The combinations of values of ``cols`` among ``rows`` (``None``: all rows) and
        the combination of each row: what strata and groups are made of.

        Database backends answer with a ``GROUP BY`` query and the row ids
        ordered by the columns, without reading the columns row by row.
        """
        cols = self._check_cols(cols)
        frame = self.data(self.rownames if rows is None else rows, cols).reset_index(drop=True)
        codes = frame.groupby(cols, sort=False, dropna=False, observed=True).ngroup().to_numpy()
        codes = np.asarray(codes, dtype=np.int64)  # numbered by first appearance
        first = np.unique(codes, return_index=True)[1]
        return RowCodes(frame.iloc[first].reset_index(drop=True), codes)

    def value_counts(self, rows: Any | None, col: str) -> dict[Any, int]:
        """Value -> number of rows among ``rows`` (``None``: all rows; duplicates count)
        holding it in column ``col``; missing values are not counted."""
        counts = self.data(rows, [col])[col].value_counts(dropna=True)
        return {value: int(n) for value, n in counts.items() if n > 0}

    def matrix(self, rows: Any, cols: Sequence[str]) -> np.ndarray:
        """Rows ``rows`` and numeric columns ``cols`` as one float64 array.

        The fast path for learners that want a numeric matrix: it skips building
        a DataFrame. Logical columns become 0 / 1, missing values NaN.

        Parameters
        ----------
        rows : iterable of int or None
            Row ids (in this order, duplicates kept); ``None``: all rows in
            storage order.
        cols : sequence of str
            Columns of type ``numeric``, ``integer`` or ``logical``.

        Returns
        -------
        numpy.ndarray
            A new C-contiguous array of shape ``(len(rows), len(cols))``.

        Raises
        ------
        InputError
            For unknown rows or columns, or a column of another type.
        """
        cols = self._check_matrix_cols(cols)
        return self.data(rows, cols).to_numpy(dtype=np.float64, na_value=np.nan)

    def _check_matrix_cols(self, cols: Iterable[str]) -> list[str]:
        """``cols`` as a list; unknown or non-numeric columns raise :class:`InputError`."""
        cols = self._check_cols(cols)
        types = {info.name: info.type for info in self.col_info()}
        bad = [c for c in cols if types[c] not in MATRIX_TYPES]
        if bad:
            shown = ", ".join(f"'{c}' ({types[c]})" for c in bad[:10])
            raise InputError(
                f"matrix() needs numeric, integer or logical columns. Got {shown}; "
                "use data() for the other columns."
            )
        return cols

    def _check_cols(self, cols: Iterable[str]) -> list[str]:
        cols = list(cols)
        known = set(self.colnames)
        for col in cols:
            if col not in known:
                raise InputError(
                    f"Column '{col}' is not in the data (columns: {len(known)})."
                    + did_you_mean(str(col), self.colnames)
                )
        return cols

    def __repr__(self) -> str:
        return f"<{type(self).__name__}> ({self.nrow}x{self.ncol})"


class DataBackendPandas(DataBackend):
    """An in-memory backend over a pandas DataFrame.

    Parameters
    ----------
    data : pandas.DataFrame
        The table. It is not copied (pandas' copy-on-write keeps it safe).
    primary_key : str or None
        A column with unique integer row ids. ``None`` numbers the rows
        ``0 .. n-1`` in their current order.

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
                raise InputError(f"The primary key '{primary_key}' has duplicated values.")
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
        into one new array (one copy; the cached block, if built, is used instead)."""
        if self._numeric is not None:
            return self.matrix(None, cols)
        cols = self._check_matrix_cols(cols)
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
