"""The backend protocol: :class:`DataBackend`, the read-only table that tasks view.

A backend owns the data and knows its rows by *row ids* (0-based ``int64``
numbers, or the values of a primary-key column). Tasks never copy a backend:
they keep a list of active row ids and column roles and ask the backend for
the cells they need, so ``backend.data(rows, cols)`` must be a fast positional
take. :class:`DataBackend` declares what every backend implements and builds
the rest (``head``, ``distinct``, ``missings``, ``row_codes``, ``matrix``) on
``data``; :class:`RowCodes` is what ``row_codes`` returns.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from mlr3py.data._columns import MATRIX_TYPES, ColInfo, col_info_from_dtype, dtype_for
from mlr3py.errors import InputError
from mlr3py.registry import did_you_mean

__all__ = ["DataBackend", "RowCodes", "first_appearance"]


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

    #: Whether worker processes forked from one that used this backend can use it
    #: (DuckDB and polars run thread pools that a forked child does not get).
    fork_safe: bool = True

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
    def range_rows(self) -> int | None:
        """The number of rows where the row ids are ``0 .. n - 1`` in storage order and
        known to be so without building them (a generated row-number key), else None.

        A task on such a backend builds its row ids only when asked for them: ten
        million of them are 76 MiB.
        """
        return None

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
        """Column -> distinct values among ``rows`` (``None``: all rows).

        Their order is the backend's: in-memory backends give them in order of
        appearance, database backends sorted (a database keeps no order of appearance).
        """
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
