"""An in-memory backend over one float64 matrix: the new columns of a task's ``cbind``.

Numeric pipeline operators (scaling, PCA) produce one block of floats;
:class:`DataBackendMatrix` keeps it as it is, so that neither a DataFrame is built
nor converted back for the learner. Row ids are looked up in a dense position
table when they are small, else in a pandas index.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from mlr3py.data.backend import ROW_ID, DataBackend, as_row_ids, unknown_rows_error
from mlr3py.errors import InputError

__all__ = ["DataBackendMatrix"]


class DataBackendMatrix(DataBackend):
    """A small in-memory backend over one float64 matrix (the new columns of a ``cbind``).

    Numeric operators (scaling, PCA) produce one block of floats; keeping it as
    it is spares building a DataFrame and converting it back for the learner.

    Parameters
    ----------
    values : numpy.ndarray
        Shape ``(len(row_ids), len(colnames))``; read-only afterwards.
    row_ids : numpy.ndarray
        Unique int64 row ids, one per row of ``values``.
    colnames : list of str
        Column names.
    primary_key : str
        The name of the (virtual) row id column.
    """

    def __init__(self, values: np.ndarray, row_ids: np.ndarray, colnames: Sequence[str],
                 primary_key: str) -> None:
        values = np.ascontiguousarray(values, dtype=np.float64)
        ids = as_row_ids(row_ids).copy()
        if values.ndim != 2 or values.shape != (len(ids), len(colnames)):
            raise InputError(f"DataBackendMatrix needs a matrix of shape ({len(ids)}, "
                             f"{len(colnames)}). Got {values.shape}.")
        if len(set(colnames)) != len(colnames):
            raise InputError("Column names must be unique.")
        values.setflags(write=False)
        ids.setflags(write=False)
        self._values, self._ids = values, ids
        self._names = [str(c) for c in colnames]
        self._col_at = {c: i for i, c in enumerate(self._names)}
        self._key = primary_key
        self._lookup: np.ndarray | None = None
        self._index: pd.Index | None = None
        self._nan_counts: np.ndarray | None = None  # per column over all rows, on first use
        if len(ids):
            lo, hi = int(ids.min()), int(ids.max())
            if lo >= 0 and hi < 4 * len(ids) + 1024:  # a dense position table is small
                lookup = np.full(hi + 1, -1, dtype=np.int64)
                lookup[ids] = np.arange(len(ids))
                if (lookup[ids] != np.arange(len(ids))).any():
                    raise InputError("DataBackendMatrix got duplicated row ids.")
                self._lookup = lookup
        if self._lookup is None:
            self._index = pd.Index(ids)
            if self._index.has_duplicates:
                raise InputError("DataBackendMatrix got duplicated row ids.")

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
    def dtypes(self) -> dict[str, Any]:
        return dict.fromkeys(self._names, np.dtype(np.float64))

    @property
    def hash(self) -> str:
        digest = hashlib.sha1(usedforsecurity=False)
        digest.update(repr(self._names).encode())
        digest.update(self._ids.tobytes())
        digest.update(self._values.tobytes())
        return digest.hexdigest()[:16]

    def positions(self, rows: Any) -> np.ndarray:
        """Row positions of row ids ``rows``; unknown ids raise :class:`InputError`."""
        ids = as_row_ids(rows)
        if self._lookup is not None:
            inside = (ids >= 0) & (ids < len(self._lookup))
            pos = np.where(inside, self._lookup[np.where(inside, ids, 0)], -1)
        else:
            assert self._index is not None
            pos = self._index.get_indexer(pd.Index(ids)).astype(np.int64, copy=False)
        if (pos < 0).any():
            raise unknown_rows_error(pd.unique(ids[pos < 0]))
        return pos

    def is_all_rows(self, rows: Any) -> bool:
        """Whether ``rows`` are exactly the backend's row ids in storage order.

        A task that grew by this block asks for exactly these rows (its active rows);
        they are answered without a row lookup.
        """
        if rows is None:
            return True
        ids = as_row_ids(rows)
        return len(ids) == len(self._ids) and bool(np.array_equal(ids, self._ids))

    def _col_positions(self, cols: Sequence[str]) -> np.ndarray | None:
        """Column positions of ``cols``; ``None`` when they are all columns in order."""
        at = np.asarray([self._col_at[c] for c in self._check_cols(cols)], dtype=np.intp)
        if len(at) == self._values.shape[1] and (at == np.arange(len(at))).all():
            return None
        return at

    def matrix(self, rows: Any, cols: Sequence[str]) -> np.ndarray:
        at = self._col_positions(cols)
        values = self._values
        if self.is_all_rows(rows):
            return values.copy() if at is None else values.take(at, axis=1)
        pos = self.positions(rows)
        # columns first: two takes are faster than one fancy index over both axes
        return values.take(pos, axis=0) if at is None else \
            values.take(at, axis=1).take(pos, axis=0)

    def data(self, rows: Any, cols: Sequence[str]) -> pd.DataFrame:
        cols = self._check_cols(cols)
        ids = self._ids if rows is None else as_row_ids(rows)
        return pd.DataFrame(self.matrix(ids, cols), columns=pd.Index(cols, dtype=object),
                            index=pd.Index(ids, name=ROW_ID))

    def _all_nan_counts(self) -> np.ndarray:
        """Missing values per column over all rows (computed once: the block is read-only)."""
        if self._nan_counts is None:
            values = self._values
            counts = np.zeros(values.shape[1], dtype=np.int64)
            # a column without NaN has a sum that is not NaN (inf - inf aside): count the others
            maybe = np.flatnonzero(np.isnan(values.sum(axis=0)))
            if len(maybe):
                counts[maybe] = np.isnan(values[:, maybe]).sum(axis=0)
            self._nan_counts = counts
        return self._nan_counts

    def missings(self, rows: Any | None, cols: Sequence[str]) -> dict[str, int]:
        cols = self._check_cols(cols)
        totals = self._all_nan_counts()
        at = [self._col_at[c] for c in cols]
        if self.is_all_rows(rows):
            return {c: int(totals[i]) for c, i in zip(cols, at, strict=True)}
        if not totals[at].any():
            self.positions(rows)  # checks the row ids
            return dict.fromkeys(cols, 0)
        counts = np.isnan(self.matrix(rows, cols)).sum(axis=0)
        return {c: int(n) for c, n in zip(cols, counts, strict=True)}
