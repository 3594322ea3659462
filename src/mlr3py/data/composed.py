"""Backends composed of other backends (mlr3's ``DataBackendCbind``, ``Rbind``, ``Rename``).

Tasks grow without copying their data: ``task.cbind(frame)`` puts a small
in-memory backend next to the task's backend, ``task.rbind(frame)`` below it,
``task.rename(old, new)`` renames columns on the fly. The original backends are
neither copied nor changed, and they stay lazy: a task over a database remains a
task over the database plus a small in-memory part. Only the public methods of
:class:`~mlr3py.data.DataBackend` are used, so any backend can be composed.
:class:`DataBackendMatrix`, the block of float columns that numeric operators put
next to a task, is defined in :mod:`mlr3py.data._matrix` and imported from here.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from mlr3py.data._matrix import DataBackendMatrix
from mlr3py.data.backend import (
    ROW_ID,
    DataBackend,
    RowCodes,
    as_row_ids,
    column_type,
    first_appearance,
)
from mlr3py.errors import InputError
from mlr3py.registry import did_you_mean

__all__ = ["DataBackendCbind", "DataBackendMatrix", "DataBackendRbind", "DataBackendRename"]


def _hash(*parts: str) -> str:
    return hashlib.sha1(repr(parts).encode(), usedforsecurity=False).hexdigest()[:16]


def _own_cols(backend: DataBackend) -> list[str]:
    """Columns of ``backend`` without its primary key."""
    key = backend.primary_key
    return [c for c in backend.colnames if c != key]


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


class _Composed(DataBackend):
    """Shared behaviour: composed backends are materialised, in memory and fork-safe when
    all their parts are (a task over a database and a few rows in memory answers with
    aggregate queries, as over the database alone)."""

    _parts: tuple[DataBackend, ...]

    @property
    def in_memory(self) -> bool:  # type: ignore[override]
        return all(p.in_memory for p in self._parts)

    @property
    def is_materialized(self) -> bool:  # type: ignore[override]
        return all(p.is_materialized for p in self._parts)

    @property
    def fork_safe(self) -> bool:  # type: ignore[override]
        return all(p.fork_safe for p in self._parts)

    def _check_cols(self, cols: Any) -> list[str]:
        cols = list(cols)
        known = set(self.colnames)
        for col in cols:
            if col not in known:
                raise InputError(
                    f"Column '{col}' is not in the data (columns: {len(known)})."
                    + did_you_mean(str(col), self.colnames)
                )
        return cols


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


class DataBackendRename(_Composed):
    """The columns of ``backend`` under new names.

    Parameters
    ----------
    backend : DataBackend
        The data.
    mapping : mapping of str to str
        Old name -> new name (the primary key cannot be renamed).
    """

    def __init__(self, backend: DataBackend, mapping: Mapping[str, str]) -> None:
        self._parts = (backend,)
        self.backend = backend
        cols = backend.colnames
        for old in mapping:
            if old not in cols:
                raise InputError(f"Cannot rename column '{old}': it is not in the data."
                                 + did_you_mean(str(old), cols))
            if old == backend.primary_key:
                raise InputError(f"Cannot rename the primary key '{old}'.")
        new_names = [mapping.get(c, c) for c in cols]
        if len(set(new_names)) != len(new_names):
            dup = sorted({c for c in new_names if new_names.count(c) > 1})
            raise InputError(f"Renaming would give duplicated column names {dup}. "
                             "Choose names that are not in the data yet.")
        self._new = dict(zip(cols, new_names, strict=True))
        self._old = {n: o for o, n in self._new.items()}

    @property
    def primary_key(self) -> str:
        return self.backend.primary_key

    @property
    def rownames(self) -> np.ndarray:
        return self.backend.rownames

    @property
    def colnames(self) -> list[str]:
        return [self._new[c] for c in self.backend.colnames]

    @property
    def dtypes(self) -> dict[str, Any]:
        return {self._new[c]: d for c, d in self.backend.dtypes.items()}

    @property
    def hash(self) -> str:
        return _hash("rename", self.backend.hash, repr(sorted(self._new.items())))

    def data(self, rows: Any, cols: Sequence[str]) -> pd.DataFrame:
        cols = self._check_cols(cols)
        frame = self.backend.data(rows, [self._old[c] for c in cols])
        return frame.set_axis(cols, axis=1)

    def matrix(self, rows: Any, cols: Sequence[str]) -> np.ndarray:
        cols = self._check_cols(cols)
        return self.backend.matrix(rows, [self._old[c] for c in cols])

    def missings(self, rows: Any | None, cols: Sequence[str]) -> dict[str, int]:
        cols = self._check_cols(cols)
        counts = self.backend.missings(rows, [self._old[c] for c in cols])
        return {c: counts[self._old[c]] for c in cols}

    def distinct(
        self, rows: Any | None, cols: Sequence[str], na_rm: bool = True
    ) -> dict[str, list[Any]]:
        cols = self._check_cols(cols)
        found = self.backend.distinct(rows, [self._old[c] for c in cols], na_rm=na_rm)
        return {c: found[self._old[c]] for c in cols}

    def value_counts(self, rows: Any | None, col: str) -> dict[Any, int]:
        self._check_cols([col])
        return self.backend.value_counts(rows, self._old[col])

    def row_codes(self, rows: Any | None, cols: Sequence[str]) -> RowCodes:
        cols = self._check_cols(cols)
        got = self.backend.row_codes(rows, [self._old[c] for c in cols])
        return RowCodes(got.combos.set_axis(cols, axis=1), got.codes)
