"""Some rows of a backend, fetched in one query and then held in memory.

A learner reads a task's features and then its target (and, for some
learners, weights): against a database, one query each. A training set or a
chunk of a test set fetched once, all columns the task uses in one query,
answers all of these from memory. :class:`DataBackendFetched` is that copy: an
in-memory backend over the rows that describes its columns as the backend it
came from does (types and factor levels of the whole table, not of the rows
fetched). It reads on first use, so a learner reads it inside its
encapsulation: a database lost at that moment is an error of that step.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from mlr3py.data.backend import ColInfo, DataBackend, DataBackendPandas, as_row_ids
from mlr3py.errors import InputError

__all__ = ["FETCHED_KEY", "DataBackendFetched"]

#: The primary key column of a fetched backend (holds the source's row ids).
FETCHED_KEY = "..fetched_id"


def _same_ids(rows: Any, ids: np.ndarray) -> bool:
    """Whether ``rows`` are ``ids``, in this order."""
    if rows is ids:
        return True
    rows = np.asarray(rows)
    return rows.shape == ids.shape and bool(np.array_equal(rows, ids))


class DataBackendFetched(DataBackend):
    """Rows ``rows`` and columns ``cols`` of ``source``, read on first use and kept.

    Parameters
    ----------
    source : DataBackend
        The backend to read from (one ``source.data()`` call, on first use).
    rows : iterable of int
        Row ids of ``source``; duplicates are fetched once. The rows are kept
        sorted, or in the order of ``frame`` where its index is ``rows``, distinct.
    cols : sequence of str
        Columns of ``source``.
    frame : pandas.DataFrame, optional
        These rows (index: row ids, any order) and columns, read already; then
        nothing is read from ``source``.

    Notes
    -----
    Row ids stay those of ``source``; :meth:`col_info` gives the source's types
    and levels; :attr:`hash` is made of the source's hash, the columns and the rows.
    """

    in_memory = True

    def __init__(
        self, source: DataBackend, rows: Any, cols: Sequence[str],
        frame: pd.DataFrame | None = None,
    ) -> None:
        ids = as_row_ids(rows)
        # a frame read already whose distinct rows are ``rows`` in its own order (a chunk of
        # a stream, in the engine's order) is kept in that order: sorting it would copy it
        as_read = frame is not None and _same_ids(frame.index, ids) and frame.index.is_unique
        if not as_read and len(ids) > 1 and not bool(np.all(ids[1:] > ids[:-1])):
            ids = np.sort(ids)  # sorted and distinct (sorting beats hashing here)
            ids = ids[np.concatenate(([True], ids[1:] != ids[:-1]))]
        ids.setflags(write=False)
        self._source = source
        self._ids = ids
        self._cols = list(dict.fromkeys(cols))
        infos = source.col_info_map()
        self._infos = [infos[c] for c in self._cols]
        self._frame: DataBackendPandas | None = None
        self._hash: str | None = None
        if frame is not None:  # read already (e.g. a chunk of a stream)
            index = frame.index.to_numpy()
            if len(index) != len(ids) or not np.array_equal(index, ids):
                order = pd.Index(index).get_indexer(ids)
                if (order < 0).any():
                    raise InputError("The frame of a fetched backend lacks some of its row ids.")
                frame = frame.take(order)
            self._keep(frame)

    def _keep(self, frame: pd.DataFrame) -> None:
        """Hold ``frame`` (the rows in the order of ``self._ids``, columns ``self._cols``)."""
        if list(frame.columns) != self._cols:
            frame = frame[self._cols]  # (a copy: skipped where the columns are these already)
        frame = frame.reset_index(drop=True)
        frame.insert(0, FETCHED_KEY, self._ids)
        inner = DataBackendPandas.__new__(DataBackendPandas)
        inner._key = FETCHED_KEY
        inner._positions = pd.Index(self._ids)
        inner._setup(frame, self._ids.copy())  # distinct ids: no check needed
        self._frame = inner

    def _fetched(self) -> DataBackendPandas:
        """The rows in memory (read from the source on first use)."""
        if self._frame is None:
            self._keep(self._source.data(self._ids, self._cols))
        assert self._frame is not None
        return self._frame

    @property
    def is_loaded(self) -> bool:
        """Whether the rows have been read."""
        return self._frame is not None

    @property
    def primary_key(self) -> str:
        return FETCHED_KEY

    @property
    def rownames(self) -> np.ndarray:
        return self._ids

    @property
    def colnames(self) -> list[str]:
        return [FETCHED_KEY, *self._cols]

    def col_info(self) -> list[ColInfo]:
        return [ColInfo(FETCHED_KEY, "integer", None), *self._infos]

    @property
    def dtypes(self) -> dict[str, Any]:
        """The source's dtypes of these columns (a database's integer column with
        missing values anywhere is ``Int64``, though these rows may hold none)."""
        source = self._source.dtypes
        return {FETCHED_KEY: np.dtype(np.int64), **{c: source[c] for c in self._cols}}

    @property
    def hash(self) -> str:
        if self._hash is None:
            digest = hashlib.sha1(usedforsecurity=False)
            digest.update(self._source.hash.encode())
            digest.update(repr(self._cols).encode())
            digest.update(np.ascontiguousarray(self._ids).data)
            self._hash = digest.hexdigest()[:16]
        return self._hash

    def data(self, rows: Any, cols: Sequence[str]) -> pd.DataFrame:
        return self._fetched().data(rows, cols)

    def matrix(self, rows: Any, cols: Sequence[str]) -> np.ndarray:
        """Rows ``rows`` and numeric columns ``cols`` as one float64 array.

        All rows in storage order (a chunk of a prediction, a training set: read
        once) come straight from the frame into the new array; other rows from
        the cached block of all numeric columns that :class:`DataBackendPandas`
        builds on first use, which would be a second copy of the rows here.
        """
        inner = self._fetched()
        if rows is None or _same_ids(rows, self._ids):
            return inner._matrix_uncached(cols)
        return inner.matrix(rows, cols)

    def missings(self, rows: Any | None, cols: Sequence[str]) -> dict[str, int]:
        return self._fetched().missings(rows, cols)

    def distinct(
        self, rows: Any | None, cols: Sequence[str], na_rm: bool = True
    ) -> dict[str, list[Any]]:
        return self._fetched().distinct(rows, cols, na_rm)

    def value_counts(self, rows: Any | None, col: str) -> dict[Any, int]:
        return self._fetched().value_counts(rows, col)

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state["_frame"] = None  # another process reads the rows itself
        return state
