"""Columns of one backend next to those of another (mlr3's ``DataBackendCbind``).

:meth:`Task.cbind <mlr3py.tasks.Task.cbind>` puts a small backend of new columns
next to the task's backend without copying either. Each query goes to the part
that holds the columns asked for: where one part answers alone (the columns of one
part, or the new columns of rows that part holds) it answers with its own queries,
a database with aggregate ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from mlr3py.data._composed_base import _Composed, _hash, _own_cols
from mlr3py.data.backend import DataBackend, RowCodes, as_row_ids

__all__ = ["DataBackendCbind"]


class DataBackendCbind(_Composed):
    """Columns of ``b2`` next to those of ``b1`` (``b2`` wins for shared names).

    The rows are those of ``b1``; a row of ``b1`` that ``b2`` lacks reads as
    missing in ``b2``'s columns.

    Parameters
    ----------
    b1, b2 : DataBackend
        The backends; their row ids refer to the same rows. ``b2``'s primary key
        column is not a column of the result.

    Examples
    --------
    >>> import pandas as pd
    >>> from mlr3py.data import DataBackendPandas
    >>> b1 = DataBackendPandas(pd.DataFrame({"x": [1.0, 2.0]}))
    >>> b2 = DataBackendPandas(pd.DataFrame({"id": [1, 0], "z": ["b", "a"]}), primary_key="id")
    >>> DataBackendCbind(b1, b2).data([0, 1], ["x", "z"])["z"].tolist()
    ['a', 'b']
    """

    def __init__(self, b1: DataBackend, b2: DataBackend) -> None:
        self._parts = (b1, b2)
        self.b1, self.b2 = b1, b2
        self._cols2 = _own_cols(b2)
        self._set2 = frozenset(self._cols2)
        # built on first use (a lazy b1 stays unloaded); the parts are read-only
        self._cols1_cache: list[str] | None = None
        self._dtypes_cache: dict[str, Any] | None = None
        self._within_cache: bool | None = None

    @property
    def _cols1(self) -> list[str]:
        """Columns read from ``b1``."""
        if self._cols1_cache is None:
            self._cols1_cache = [c for c in self.b1.colnames if c not in self._set2]
        return self._cols1_cache

    @property
    def primary_key(self) -> str:
        return self.b1.primary_key

    @property
    def rownames(self) -> np.ndarray:
        return self.b1.rownames

    @property
    def colnames(self) -> list[str]:
        return self._cols1 + self._cols2

    @property
    def dtypes(self) -> dict[str, Any]:
        if self._dtypes_cache is None:
            d1, d2 = self.b1.dtypes, self.b2.dtypes
            self._dtypes_cache = {**{c: d1[c] for c in self._cols1},
                                  **{c: d2[c] for c in self._cols2}}
        return dict(self._dtypes_cache)

    @property
    def hash(self) -> str:
        return _hash("cbind", self.b1.hash, self.b2.hash)

    def _split(self, cols: Sequence[str]) -> tuple[list[str], list[str]]:
        in2 = self._set2
        return [c for c in cols if c not in in2], [c for c in cols if c in in2]

    def _rows2(self, ids: np.ndarray) -> np.ndarray:
        """Mask: which of ``ids`` ``b2`` holds."""
        rows2 = self.b2.rownames
        if len(ids) == len(rows2) and np.array_equal(ids, rows2):  # a task's own new columns
            return np.ones(len(ids), dtype=bool)
        return np.isin(ids, rows2)

    def _check_rows1(self, ids: np.ndarray) -> None:
        """Raise :class:`InputError` for ids that ``b1`` lacks, given that ``b2`` holds them all."""
        if self._within_cache is None:  # whether b2's rows are rows of b1 (as after task.cbind)
            self._within_cache = bool(np.isin(self.b2.rownames, self.b1.rownames).all())
        if not self._within_cache:
            self.b1.data(ids, [])  # checks the row ids

    def data(self, rows: Any, cols: Sequence[str]) -> pd.DataFrame:
        cols = self._check_cols(cols)
        ids = self.b1.rownames if rows is None else as_row_ids(rows)
        cols1, cols2 = self._split(cols)
        # b1 checks the row ids (also when no column of b1 is asked for)
        frame1 = self.b1.data(ids, cols1)
        if not cols2:
            return frame1
        index = frame1.index
        present = self._rows2(ids)
        if present.all():
            frame2 = self.b2.data(ids, cols2).set_axis(index, axis=0)
        else:
            got = self.b2.data(ids[present], cols2)
            positions = pd.RangeIndex(len(ids))
            frame2 = got.set_axis(np.flatnonzero(present), axis=0).reindex(positions)
            frame2 = frame2.set_axis(index, axis=0)
        out = pd.concat([frame1, frame2], axis=1)
        return out[cols] if list(out.columns) != cols else out

    def matrix(self, rows: Any, cols: Sequence[str]) -> np.ndarray:
        # the parts check their columns (unknown or not numeric) themselves
        cols = list(cols)
        ids = self.b1.rownames if rows is None else as_row_ids(rows)
        cols1, cols2 = self._split(cols)
        if not cols2:
            return self.b1.matrix(ids, cols1)
        if not self._rows2(ids).all():
            return super().matrix(ids, cols)
        if not cols1:
            self._check_rows1(ids)
            return self.b2.matrix(ids, cols2)
        m1 = self.b1.matrix(ids, cols1)  # checks the row ids
        m2 = self.b2.matrix(ids, cols2)
        if cols == cols1 + cols2:
            return np.ascontiguousarray(np.hstack([m1, m2]))
        pos = {c: i for i, c in enumerate(cols1 + cols2)}
        return np.ascontiguousarray(np.hstack([m1, m2])[:, [pos[c] for c in cols]])

    def missings(self, rows: Any | None, cols: Sequence[str]) -> dict[str, int]:
        cols = self._check_cols(cols)
        cols1, cols2 = self._split(cols)
        out = self.b1.missings(rows, cols1) if cols1 else {}
        if cols2:
            ids = self.b1.rownames if rows is None else as_row_ids(rows)
            if self._rows2(ids).all():
                out.update(self.b2.missings(ids, cols2))
            else:
                out.update(super().missings(ids, cols2))
        return {c: out[c] for c in cols}

    def _one_part(self, rows: Any | None,
                  cols: list[str]) -> tuple[DataBackend, Any | None] | None:
        """The part that answers for ``cols`` of ``rows`` alone and the rows to ask it for
        (``b1`` checks the row ids), or None where both parts hold some of them."""
        cols1, cols2 = self._split(cols)
        if not cols2:
            return self.b1, rows
        if cols1:
            return None
        ids = self.b1.rownames if rows is None else as_row_ids(rows)
        if not self._rows2(ids).all():
            return None
        self._check_rows1(ids)
        return self.b2, ids

    def distinct(
        self, rows: Any | None, cols: Sequence[str], na_rm: bool = True
    ) -> dict[str, list[Any]]:
        cols = self._check_cols(cols)
        out: dict[str, list[Any]] = {}
        for half in self._split(cols):
            if half:
                found = self._one_part(rows, half)
                out.update(super().distinct(rows, half, na_rm=na_rm) if found is None
                           else found[0].distinct(found[1], half, na_rm=na_rm))
        return {c: out[c] for c in cols}

    def value_counts(self, rows: Any | None, col: str) -> dict[Any, int]:
        self._check_cols([col])
        found = self._one_part(rows, [col])
        if found is None:
            return super().value_counts(rows, col)
        return found[0].value_counts(found[1], col)

    def row_codes(self, rows: Any | None, cols: Sequence[str]) -> RowCodes:
        cols = self._check_cols(cols)
        found = self._one_part(rows, cols)
        if found is None:
            return super().row_codes(rows, cols)
        return found[0].row_codes(found[1], cols)
