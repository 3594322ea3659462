"""Rows of one backend below those of another (mlr3's ``DataBackendRbind``).

:meth:`Task.rbind <mlr3py.tasks.Task.rbind>` puts a small backend of new rows below
the task's backend without copying either. The columns are the union of both parts'
columns; a column one part lacks reads as missing in its rows, in a dtype that holds
missing values (:func:`_nullable`), and a column both parts hold gets a dtype both
fit into (:func:`_union_dtype`). Missing values, distinct values, value counts and
row codes are asked of each part for its rows and merged.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from mlr3py.data._composed_base import _Composed, _hash, _own_cols
from mlr3py.data.backend import (
    ROW_ID,
    DataBackend,
    RowCodes,
    as_row_ids,
    column_type,
    first_appearance,
)

__all__ = ["DataBackendRbind"]


def _missing_frame(index: pd.Index, cols: Sequence[str], dtypes: Mapping[str, Any]) -> pd.DataFrame:
    """A frame of missing values with ``index`` and the dtypes of ``cols`` (dtypes that
    hold missing values: :func:`_nullable`)."""
    out: dict[str, Any] = {}
    for col in cols:
        dtype = dtypes[col]
        if isinstance(dtype, pd.CategoricalDtype):
            out[col] = pd.Categorical([None] * len(index), dtype=dtype)
        elif pd.api.types.is_float_dtype(dtype):
            out[col] = np.full(len(index), np.nan, dtype=dtype)
        elif isinstance(dtype, pd.api.extensions.ExtensionDtype) or \
                pd.api.types.is_datetime64_any_dtype(dtype):
            out[col] = pd.array([None] * len(index), dtype=dtype)
        else:
            out[col] = pd.Series([None] * len(index), dtype=object).to_numpy()
    return pd.DataFrame(out, index=index, columns=list(cols))


def _nullable(dtype: Any) -> Any:
    """``dtype``, or its nullable pandas version for numpy integer and bool dtypes (a
    column that reads as missing in the rows of one part of an rbind)."""
    if isinstance(dtype, np.dtype) and dtype.kind in "iu":
        return pd.Int64Dtype()
    if isinstance(dtype, np.dtype) and dtype.kind == "b":
        return pd.BooleanDtype()
    return dtype


def _union_dtype(a: Any, b: Any) -> Any:
    """The dtype of a column that is ``a`` in one backend and ``b`` in another.

    Integer columns stay integer and logical ones logical (nullable ``Int64`` /
    ``boolean`` where one side is nullable, as database backends' are); integer and
    float columns become float64; other mixes object.
    """
    if isinstance(a, pd.CategoricalDtype) and isinstance(b, pd.CategoricalDtype):
        cats = list(a.categories) + [c for c in b.categories if c not in set(a.categories)]
        return pd.CategoricalDtype(cats, ordered=a.ordered and b.ordered)
    if a == b:
        return a
    kind_a, kind_b = column_type(a), column_type(b)
    if kind_a == kind_b and kind_a in ("integer", "logical"):
        if isinstance(a, np.dtype) and isinstance(b, np.dtype):
            return np.dtype(np.int64) if kind_a == "integer" else np.dtype(bool)
        return pd.Int64Dtype() if kind_a == "integer" else pd.BooleanDtype()
    if pd.api.types.is_numeric_dtype(a) and pd.api.types.is_numeric_dtype(b):
        return np.dtype(np.float64)
    return np.dtype(object)


class DataBackendRbind(_Composed):
    """Rows of ``b2`` below those of ``b1`` (``b2`` wins for shared row ids).

    The columns are the union; a column one backend lacks reads as missing there.
    Categorical columns get the union of both backends' categories.

    Parameters
    ----------
    b1, b2 : DataBackend
        The backends.
    """

    def __init__(self, b1: DataBackend, b2: DataBackend) -> None:
        self._parts = (b1, b2)
        self.b1, self.b2 = b1, b2
        own2 = _own_cols(b2)
        set1 = set(b1.colnames)
        self._cols = list(b1.colnames) + [c for c in own2 if c not in set1]
        ids1, ids2 = b1.rownames, b2.rownames
        ids = np.concatenate([ids1[~np.isin(ids1, ids2)], ids2]).astype(np.int64)
        ids.setflags(write=False)
        self._ids = ids

    @property
    def primary_key(self) -> str:
        return self.b1.primary_key

    @property
    def rownames(self) -> np.ndarray:
        return self._ids

    @property
    def colnames(self) -> list[str]:
        return list(self._cols)

    @property
    def dtypes(self) -> dict[str, Any]:
        d1, d2 = self.b1.dtypes, self.b2.dtypes
        out = {}
        for col in self._cols:
            if col in d1 and col in d2:
                out[col] = _union_dtype(d1[col], d2[col])
            else:  # missing in the other part's rows
                out[col] = _nullable(d1[col] if col in d1 else d2[col])
        return out

    @property
    def hash(self) -> str:
        return _hash("rbind", self.b1.hash, self.b2.hash)

    def _part(self, backend: DataBackend, ids: np.ndarray, cols: list[str],
              dtypes: dict[str, Any]) -> pd.DataFrame:
        have = set(backend.colnames)
        own = [c for c in cols if c in have]
        frame = backend.data(ids, own)
        rest = [c for c in cols if c not in have]
        if rest:
            frame = pd.concat([frame, _missing_frame(frame.index, rest, dtypes)], axis=1)
        return frame.astype({c: dtypes[c] for c in cols if frame[c].dtype != dtypes[c]})

    def _split_rows(self, rows: Any | None) -> list[tuple[DataBackend, Any, int]]:
        """The parts holding ``rows`` (``None``: all rows): ``(part, its rows, count)``,
        the rows ``None`` where they are all the part's rows; parts without rows are
        left out."""
        ids2 = self.b2.rownames
        if rows is None:
            ids1 = self.b1.rownames
            shadowed = np.isin(ids1, ids2)  # b1's rows that b2 replaces
            out: list[tuple[DataBackend, Any, int]] = []
            if not shadowed.all():
                out.append((self.b1, None if not shadowed.any() else ids1[~shadowed],
                            int((~shadowed).sum())))
            if len(ids2):
                out.append((self.b2, None, len(ids2)))
            return out
        ids = as_row_ids(rows)
        in2 = np.isin(ids, ids2)
        return [(part, part_ids, len(part_ids))
                for part, part_ids in ((self.b1, ids[~in2]), (self.b2, ids[in2]))
                if len(part_ids)]

    def missings(self, rows: Any | None, cols: Sequence[str]) -> dict[str, int]:
        """Missing values per column: each part answers for its rows (a database with an
        aggregate query); a column a part lacks is missing in all of its rows."""
        cols = self._check_cols(cols)
        out = dict.fromkeys(cols, 0)
        for part, part_rows, n in self._split_rows(rows):
            have = set(part.colnames)
            own = [c for c in cols if c in have]
            found = part.missings(part_rows, own) if own else {}
            for col in cols:
                out[col] += found[col] if col in have else n
        return out

    def distinct(
        self, rows: Any | None, cols: Sequence[str], na_rm: bool = True
    ) -> dict[str, list[Any]]:
        """Distinct values per column: those of ``b1``'s rows, then the new ones of ``b2``'s
        (each part answers for its rows; see :meth:`DataBackend.distinct` for the order
        within a part); with ``na_rm=False`` one missing value last where any is missing."""
        cols = self._check_cols(cols)
        values: dict[str, list[Any]] = {c: [] for c in cols}
        missing = dict.fromkeys(cols, False)
        for part, part_rows, _ in self._split_rows(rows):
            have = set(part.colnames)
            own = [c for c in cols if c in have]
            found = part.distinct(part_rows, own, na_rm=True) if own else {}
            na = part.missings(part_rows, own) if own and not na_rm else {}
            for col in cols:
                missing[col] = missing[col] or col not in have or bool(na.get(col))
                seen = set(values[col])
                values[col].extend(v for v in found.get(col, ()) if v not in seen)
        if not na_rm:
            for col in cols:
                if missing[col]:
                    values[col].append(None)
        return values

    def value_counts(self, rows: Any | None, col: str) -> dict[Any, int]:
        """Rows per value of ``col``: the sum of the parts' counts (a database answers with
        a ``GROUP BY`` query)."""
        self._check_cols([col])
        out: dict[Any, int] = {}
        for part, part_rows, _ in self._split_rows(rows):
            if col in part.colnames:
                for value, n in part.value_counts(part_rows, col).items():
                    out[value] = out.get(value, 0) + n
        return out

    def row_codes(self, rows: Any | None, cols: Sequence[str]) -> RowCodes:
        """The parts' combinations (a database answers with aggregate queries), merged."""
        cols = self._check_cols(cols)
        ids = self._ids if rows is None else as_row_ids(rows)
        in2 = np.isin(ids, self.b2.rownames)
        dtypes = self.dtypes
        combos: list[pd.DataFrame] = []
        codes = np.empty(len(ids), dtype=np.int64)
        offset = 0
        for part, mask in ((self.b1, ~in2), (self.b2, in2)):
            if not mask.any():
                continue
            part_ids = None if rows is None and mask.all() else ids[mask]
            have = set(part.colnames)
            own = [c for c in cols if c in have]
            if own:
                got = part.row_codes(part_ids, own)
                frame, part_codes = got.combos, got.codes
            else:
                frame = pd.DataFrame(index=pd.RangeIndex(1))
                part_codes = np.zeros(int(mask.sum()), dtype=np.int64)
            combos.append(self._as_dtypes(frame, cols, dtypes).reset_index(drop=True))
            codes[mask] = part_codes + offset
            offset += len(frame)
        if not combos:
            return RowCodes(_missing_frame(pd.RangeIndex(0), cols, dtypes), codes)
        both = pd.concat(combos, axis=0, ignore_index=True)
        group = np.asarray(both.groupby(cols, sort=False, dropna=False, observed=True).ngroup(),
                           dtype=np.int64)
        first = np.unique(group, return_index=True)[1]  # one row per group, by group number
        return first_appearance(both.iloc[first].reset_index(drop=True), group[codes])

    @staticmethod
    def _as_dtypes(frame: pd.DataFrame, cols: list[str],
                   dtypes: dict[str, Any]) -> pd.DataFrame:
        """``frame`` (some of ``cols``) with all ``cols`` in ``dtypes``; the columns it
        lacks are missing."""
        rest = [c for c in cols if c not in frame.columns]
        if rest:
            frame = pd.concat([frame, _missing_frame(frame.index, rest, dtypes)], axis=1)
        frame = frame[cols]
        return frame.astype({c: dtypes[c] for c in cols if frame[c].dtype != dtypes[c]})

    def data(self, rows: Any, cols: Sequence[str]) -> pd.DataFrame:
        cols = self._check_cols(cols)
        ids = self._ids if rows is None else as_row_ids(rows)
        in2 = np.isin(ids, self.b2.rownames)
        dtypes = self.dtypes
        if in2.all():
            return self._part(self.b2, ids, cols, dtypes)[cols]
        if not in2.any():
            return self._part(self.b1, ids, cols, dtypes)[cols]
        f1 = self._part(self.b1, ids[~in2], cols, dtypes)
        f2 = self._part(self.b2, ids[in2], cols, dtypes)
        positions = np.concatenate([np.flatnonzero(~in2), np.flatnonzero(in2)])
        both = pd.concat([f1[cols], f2[cols]], axis=0)
        out = both.take(np.argsort(positions, kind="stable"))
        out.index.name = ROW_ID
        return out
