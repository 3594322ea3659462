"""A backend over an ibis table expression: SQL databases, DuckDB, Parquet (mlr3db's
``DataBackendDplyr`` / ``DataBackendDuckDB``).

The data stays where it lives. The backend keeps the expression (unbound from
its connection, so it pickles) and a :class:`~mlr3py.data._connect.Connector`
that reopens the connection in any process; every question is one query:
column types come from the schema, factor levels of all string columns from
one ``UNION`` query, missing values and distinct values from aggregates, and
rows by id from a join with the ids registered as a table (never a long
``IN (...)`` list).

:class:`DataBackendIbis` answers the backend's questions; its bases run the
queries (:mod:`mlr3py.data._ibis_queries`: ADBC for SQLite, key ranges read by
parallel threads) and stream rows in Arrow batches
(:mod:`mlr3py.data._ibis_stream`), and :mod:`mlr3py.data._arrow_frames` maps
column types to feature types and Arrow results to pandas frames.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from mlr3py.data._arrow_frames import arrow_frame, database_dtype, feature_type
from mlr3py.data._connect import Connector, connector_for
from mlr3py.data._ibis_queries import ID_COL, sorted_unique
from mlr3py.data._ibis_stream import IbisStreams
from mlr3py.data.backend import (
    ROW_ID,
    ColInfo,
    RowCodes,
    as_row_ids,
    first_appearance,
    unknown_rows_error,
)
from mlr3py.errors import InputError
from mlr3py.registry import did_you_mean

__all__ = ["ROW_NUMBER_KEY", "DataBackendIbis"]

#: The primary key a backend adds (numbering the rows 0 .. n-1) when none is given.
ROW_NUMBER_KEY = "..row_id"


class DataBackendIbis(IbisStreams):
    """A read-only backend over an ibis table expression.

    Parameters
    ----------
    table : ibis.expr.types.Table
        The data: a table of a connection, or a lazy query on it (select,
        filter, mutate, joins ...). It is not executed here.
    primary_key : str or None
        An integer column with unique, non-missing row ids. ``None`` adds a
        key ``"..row_id"`` numbering the rows ``0 .. n-1`` in the engine's scan
        order (stable for a file that does not change).
    strings_as_factors : bool
        String columns become factors with their distinct values (sorted) as
        levels; otherwise they are ``character`` columns.
    connector : Connector, optional
        How to reconnect (default: from the table's connection).
    generated_key : bool
        ``primary_key`` numbers the rows ``0 .. n-1`` and was added by mlr3py
        (a Parquet view, a polars row index): it is not checked and, like the key
        added for ``primary_key=None``, not listed among the columns.
    ordered : mapping of str to tuple, optional
        String columns that are ``ordered`` factors with these levels, in this
        order (a polars ``Enum``'s declared categories, which the engine's schema
        does not keep); other values become missing.

    Raises
    ------
    InputError
        For an unknown primary key, one that is not an integer column or holds
        duplicated or missing values, and columns of types no feature type covers.
    """

    in_memory = False

    @property
    def fork_safe(self) -> bool:  # type: ignore[override]
        return self._connector.fork_safe

    def __init__(
        self,
        table: Any,
        primary_key: str | None = None,
        *,
        strings_as_factors: bool = True,
        connector: Connector | None = None,
        generated_key: bool = False,
        ordered: Mapping[str, tuple[Any, ...]] | None = None,
    ) -> None:
        self._connector = connector if connector is not None else connector_for(
            table.get_backend()
        )
        expr = table.unbind()
        names = [str(c) for c in expr.columns]
        if primary_key is None:
            import ibis

            if ROW_NUMBER_KEY in names:
                raise InputError(
                    f"The column name '{ROW_NUMBER_KEY}' is reserved for the row numbers of a "
                    f"backend without a primary key. Rename it, or pass "
                    f"primary_key='{ROW_NUMBER_KEY}'."
                )
            expr = expr.mutate(**{ROW_NUMBER_KEY: ibis.row_number()})
            self._key = ROW_NUMBER_KEY
            self._names = names
        else:
            if primary_key not in names:
                raise InputError(
                    f"The primary key '{primary_key}' is not a column of the table "
                    f"(columns: {_listed(names)})." + did_you_mean(str(primary_key), names)
                )
            if not expr.schema()[primary_key].is_integer():
                raise InputError(
                    f"The primary key '{primary_key}' must be an integer column. Got type "
                    f"{expr.schema()[primary_key]} instead."
                )
            self._key = primary_key
            self._names = [n for n in names if n != primary_key] if generated_key else names
        self._expr = expr
        self._strings_as_factors = strings_as_factors
        schema = expr.schema()
        self._types = {
            n: feature_type(n, schema[n], strings_as_factors) for n in self._names
        }
        # timestamps with a time zone come back in it (pandas' datetime64[ns, zone])
        self._zones = {n: str(schema[n].timezone) for n, t in self._types.items()
                       if t == "POSIXct" and schema[n].is_timestamp() and schema[n].timezone}
        self._ordered = {n: tuple(v) for n, v in (ordered or {}).items() if n in self._types}
        self._types.update(dict.fromkeys(self._ordered, "ordered"))
        self._init_caches()
        self._generated = generated_key or primary_key is None
        if not self._generated:
            self._check_key()

    def _init_caches(self) -> None:
        self._nrow = None
        self._ids: np.ndarray | None = None
        self._levels = None
        self._na_cols: frozenset[str] | None = None
        self._hash: str | None = None
        self._adbc_path = False  # False: not looked up yet

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state["_ids"] = None  # the row ids are re-read where needed, never shipped
        state["_adbc_path"] = False  # looked up again where the backend is used
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)

    def _check_key(self) -> None:
        expr, key = self._expr, self._key
        col = expr[key]
        out = self._run(expr.aggregate(n=expr.count(), n_key=col.count(), n_distinct=col.nunique()))
        n, n_key, n_distinct = (int(out.column(i)[0].as_py() or 0) for i in range(3))
        if n_key < n:
            raise InputError(
                f"The primary key '{key}' has {n - n_key} missing value(s). Every row needs a "
                "unique integer id."
            )
        if n_distinct < n:
            counts = expr.group_by(key).aggregate(n=expr.count())
            twice = counts.filter(counts.n > 1)
            values = self._run(twice.order_by(key).select(key).limit(5)).column(0).to_pylist()
            many = int(self._run(twice.aggregate(n=twice.count())).column(0)[0].as_py() or 0)
            shown = ", ".join(str(v) for v in values)
            if many > len(values):
                shown += f", ... ({many} values)"
            raise InputError(
                f"The primary key '{key}' has duplicated values: {shown}. Give a column with "
                "one value per row, or primary_key=None to number the rows."
            )
        self._nrow = n

    # ------------------------------------------------------------------ contract
    @property
    def primary_key(self) -> str:
        return self._key

    @property
    def colnames(self) -> list[str]:
        return list(self._names)

    @property
    def ncol(self) -> int:
        return len(self._names)

    @property
    def nrow(self) -> int:
        if self._nrow is None:
            out = self._run(self._expr.aggregate(n=self._expr.count()))
            self._nrow = int(out.column(0)[0].as_py())
        return self._nrow

    @property
    def range_rows(self) -> int | None:
        """The row count where the key is generated (row numbers 0 .. n - 1), else None."""
        return self.nrow if self._generated else None

    @property
    def rownames(self) -> np.ndarray:
        if self._ids is None:
            if self._generated:
                ids = np.arange(self.nrow, dtype=np.int64)
            else:
                out = self._run(self._expr.select(self._key).order_by(self._key))
                ids = out.column(0).to_numpy().astype(np.int64, copy=False)
            ids.setflags(write=False)
            self._ids = ids
        return self._ids

    def _all_levels(self) -> dict[str, tuple[Any, ...]]:
        """Levels of all factor columns (one query) and of the ordered ones (declared)."""
        if self._levels is None:
            super()._all_levels().update(self._ordered)
        assert self._levels is not None
        return self._levels

    def col_info(self) -> list[ColInfo]:
        levels = self._all_levels()
        return [ColInfo(n, t, levels.get(n)) for n, t in self._types.items()]

    @property
    def dtypes(self) -> dict[str, Any]:
        """Column -> the dtype :meth:`data` gives it, whatever the rows: integer and
        logical columns that hold missing values anywhere in the table are nullable
        ``Int64`` / ``boolean``, the others int64 / bool
        (:func:`~mlr3py.data._arrow_frames.database_dtype`); dates and timestamps
        ``datetime64[ns]``, in the column's time zone if it has one."""
        na = self._with_missings()
        dtypes = {info.name: database_dtype(info, info.name in na) for info in self.col_info()}
        for name, zone in self._zones.items():
            dtypes[name] = pd.DatetimeTZDtype("ns", zone)
        return dtypes

    def stream_frames(
        self, rows: Any, cols: Sequence[str], chunk_rows: int,
        consume: Callable[[pd.DataFrame], None],
    ) -> None:
        """See :meth:`IbisStreams.stream_frames`; the integer and logical columns with
        missing values (which :meth:`_convert` needs) are read first, as no other query
        may run on the connection while the stream is open."""
        self._with_missings()
        super().stream_frames(rows, cols, chunk_rows, consume)

    def _with_missings(self) -> frozenset[str]:
        """The integer and logical columns that hold missing values: one aggregate query
        (on first use) over those the schema lets hold NULL (the primary key holds none)."""
        if self._na_cols is None:
            schema = self._expr.schema()
            cols = [n for n, t in self._types.items() if t in ("integer", "logical")
                    and schema[n].nullable and n != self._key]
            counts = self.missings(None, cols)
            self._na_cols = frozenset(c for c in cols if counts[c])
        return self._na_cols

    def _convert(self, table: Any, cols: list[str],
                 order: np.ndarray | None = None) -> pd.DataFrame:
        """A pyarrow result as a pandas frame in :attr:`dtypes`
        (:func:`~mlr3py.data._arrow_frames.arrow_frame`), its rows at positions
        ``order`` of the result (None: as they are)."""
        return arrow_frame(table, cols, self._types, self._all_levels(), order,
                           self._with_missings())

    def data(self, rows: Any, cols: Sequence[str]) -> pd.DataFrame:
        cols = self._check_cols(cols)
        key = self._key
        select = [key] + [c for c in cols if c != key]
        if rows is None:
            table = self._run(self._expr.select(*select).order_by(key))
            ids = table.column(key).to_numpy().astype(np.int64, copy=False)
            frame = self._convert(table, cols)
            frame.index = pd.Index(ids, name=ROW_ID)
            return frame
        wanted = as_row_ids(rows)
        if self._nrow is not None and len(wanted) > self._nrow // 2:
            # most rows: one plain scan is cheaper than shipping the ids to the database
            query = self._expr.select(*select)
            ranges = (None if self._sqlite_path is None
                      else self._key_ranges(sorted_unique(wanted), cols))
            table = self._run(query) if ranges is None else self._ranges_table(query, ranges)
        else:
            table = self._run(self._restricted(wanted).select(*select))
        got = pd.Index(table.column(key).to_numpy().astype(np.int64, copy=False))
        positions = got.get_indexer(wanted) if len(wanted) else np.empty(0, dtype=np.intp)
        bad = positions < 0
        if bad.any():
            raise unknown_rows_error(pd.unique(wanted[bad]),
                                     f"the values of the primary key '{key}'")
        # rows put in the order asked for while converting (no reordered copy of them)
        in_order = len(positions) == table.num_rows and _counts_up(positions)
        frame = self._convert(table, cols, None if in_order else positions)
        frame.index = pd.Index(wanted, name=ROW_ID)
        return frame

    def head(self, n: int = 6) -> pd.DataFrame:
        cols = self.colnames
        key = self._key
        select = [key] + [c for c in cols if c != key]
        table = self._run(self._expr.select(*select).order_by(key).limit(int(n)))
        frame = self._convert(table, cols)
        frame.index = pd.Index(table.column(key).to_numpy().astype(np.int64), name=ROW_ID)
        return frame

    def distinct(
        self, rows: Any | None, cols: Sequence[str], na_rm: bool = True
    ) -> dict[str, list[Any]]:
        """Column -> distinct values among ``rows`` (``None``: all rows), sorted (numbers
        numerically, strings as strings; a database keeps no order of appearance), a
        missing value last with ``na_rm=False``. Unknown row ids raise
        :class:`~mlr3py.errors.InputError`."""
        cols = self._check_cols(cols)
        if rows is not None:
            self._check_known(as_row_ids(rows))
        found = self._distinct_query(rows, cols)
        out: dict[str, list[Any]] = {}
        missing = self.missings(rows, cols) if not na_rm else {}
        for col in cols:
            values = _sorted(_as_values(self._types[col], found[col]))
            if not na_rm and missing[col]:
                values.append(None)
            out[col] = values
        return out

    def missings(self, rows: Any | None, cols: Sequence[str]) -> dict[str, int]:
        """Column -> missing values among ``rows`` (``None``: all rows; duplicated ids
        count once): one aggregate query, which also counts the rows found, so that
        unknown row ids raise :class:`~mlr3py.errors.InputError`."""
        cols = self._check_cols(cols)
        ids = None if rows is None else as_row_ids(rows)
        if not cols and (ids is None or self._known_here(ids)):
            return {}
        expr = self._restricted(ids)
        aggs = {f"m{i}": expr[c].isnull().sum() for i, c in enumerate(cols)}
        out = self._run(expr.aggregate(**aggs, **{ID_COL: expr.count()}))
        if ids is not None:
            found = int(out.column(ID_COL)[0].as_py() or 0)
            if found < len(np.unique(ids)):
                self._check_known(ids, found=found)
        return {c: int(out.column(i)[0].as_py() or 0) for i, c in enumerate(cols)}

    def _known_here(self, ids: np.ndarray) -> bool:
        """Whether ``ids`` are known to be row ids without a query (False: unknown ids, or
        the row ids have not been read)."""
        if self._generated and self._nrow is not None:
            return not len(ids) or (int(ids.min()) >= 0 and int(ids.max()) < self._nrow)
        if self._ids is not None:
            return bool(np.isin(ids, self._ids).all())
        return False

    def _check_known(self, ids: np.ndarray, found: int | None = None) -> None:
        """Raise :class:`~mlr3py.errors.InputError` naming the ids of ``ids`` that are not
        row ids; ``found``: how many of the distinct ``ids`` a query found (if known)."""
        if self._known_here(ids):
            return
        wanted = np.unique(ids)
        if found is None:
            expr = self._restricted(wanted)
            found = int(self._run(expr.aggregate(n=expr.count())).column(0)[0].as_py() or 0)
        if found >= len(wanted):
            return
        got = self._run(self._restricted(wanted).select(self._key)).column(0)
        have = got.to_numpy().astype(np.int64, copy=False)
        raise unknown_rows_error(pd.unique(ids[~np.isin(ids, have)]),
                                 f"the values of the primary key '{self._key}'")

    def value_counts(self, rows: Any | None, col: str) -> dict[Any, int]:
        """Value -> count among ``rows``: one ``GROUP BY`` query (rows given with
        duplicates are counted in memory)."""
        self._check_cols([col])
        if rows is not None:
            ids = as_row_ids(rows)
            if len(np.unique(ids)) != len(ids):
                return super().value_counts(ids, col)
        expr = self._restricted(rows)
        out = self._run(expr.group_by(expr[col]).aggregate(n=expr.count()))
        values = _as_values(self._types[col], out.column(0).to_pylist())
        return {v: int(n) for v, n in zip(values, out.column(1).to_pylist(), strict=True)
                if v is not None}

    def row_codes(self, rows: Any | None, cols: Sequence[str]) -> RowCodes:
        """Two queries: the combinations with their counts (``GROUP BY``, ordered by the
        columns) and the row ids ordered by the columns, split by those counts."""
        cols = self._check_cols(cols)
        wanted = np.asarray(self.rownames) if rows is None else as_row_ids(rows)
        expr = self._restricted(None if rows is None else wanted)
        counted = expr.group_by(cols).aggregate(**{ID_COL: expr.count()}).order_by(cols)
        combos = self._run(counted)
        by = [*cols, self._key] if self._key not in cols else cols
        keys = self._run(expr.order_by(by).select(self._key))
        keys = keys.column(0).to_numpy().astype(np.int64, copy=False)
        counts = combos.column(ID_COL).to_numpy().astype(np.int64, copy=False)
        code_of_key = np.repeat(np.arange(len(counts), dtype=np.int64), counts)
        order = np.argsort(keys, kind="stable")
        keys, code_of_key = keys[order], code_of_key[order]
        at = np.minimum(np.searchsorted(keys, wanted), max(len(keys) - 1, 0))
        if len(wanted) and (not len(keys) or bool((keys[at] != wanted).any())):
            raise unknown_rows_error(pd.unique(wanted[~np.isin(wanted, keys)]),
                                     f"the values of the primary key '{self._key}'")
        frame = self._convert(combos, cols)
        codes = code_of_key[at] if len(wanted) else np.empty(0, dtype=np.int64)
        return first_appearance(frame, codes)

    @property
    def hash(self) -> str:
        if self._hash is None:
            import ibis

            digest = hashlib.sha1(usedforsecurity=False)
            digest.update(self._connector.key.encode())
            digest.update(str(ibis.to_sql(self._expr, dialect="duckdb")).encode())
            self._hash = digest.hexdigest()[:16]
        return self._hash

    @property
    def connector(self) -> Connector:
        """How this backend (re)connects to its database."""
        return self._connector

    def __repr__(self) -> str:
        return f"<DataBackendIbis> ({self._connector.describe()}; {self.ncol} columns)"


def _listed(names: Sequence[str], limit: int = 10) -> str:
    """Names quoted and comma-separated, the first ``limit`` of them (and how many there
    are in all when there are more)."""
    shown = ", ".join(f"'{n}'" for n in names[:limit])
    return shown if len(names) <= limit else f"{shown}, ... ({len(names)} in all)"


def _as_values(kind: str, values: list[Any]) -> list[Any]:
    """A column's values from a query as :meth:`DataBackendIbis.data` gives them: dates
    and datetimes as pandas Timestamps, decimals as floats, a logical column's 0 / 1
    (SQLite) as booleans (missing values kept as None)."""
    convert: Callable[[Any], Any] | None = {
        "POSIXct": pd.Timestamp, "numeric": float, "logical": bool,
    }.get(kind)
    if convert is None:
        return values
    return [None if v is None else convert(v) for v in values]


def _sorted(values: list[Any]) -> list[Any]:
    """``values`` (of one column) sorted: numbers numerically, strings as strings (as text
    where the values do not compare)."""
    try:
        return sorted(values)
    except TypeError:
        return sorted(values, key=str)


def _counts_up(positions: np.ndarray) -> bool:
    """Whether ``positions`` are ``0, 1, 2, ...`` (the result is in the order asked for)."""
    n = len(positions)
    return n == 0 or (int(positions[0]) == 0 and int(positions[-1]) == n - 1
                      and bool(np.all(positions[1:] > positions[:-1])))
