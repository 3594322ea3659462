"""A backend over an ibis table expression: SQL databases, DuckDB, Parquet (mlr3db's
``DataBackendDplyr`` / ``DataBackendDuckDB``).

The data stays where it lives. The backend keeps the expression (unbound from
its connection, so it pickles) and a :class:`~mlr3py.data._connect.Connector`
that reopens the connection in any process; every question is one query:
column types come from the schema, factor levels of all string columns from
one ``UNION`` query, missing values and distinct values from aggregates, and
rows by id from a join with the ids registered as a table (never a long
``IN (...)`` list).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from mlr3py.data._adbc import adbc_batches, adbc_table, sqlite_file
from mlr3py.data._connect import Connector, IbisConnector, connector_for, run_query
from mlr3py.data._sqlite_ranges import key_ranges, read_ranges, read_threads
from mlr3py.data.backend import (
    ROW_ID,
    ColInfo,
    DataBackend,
    RowCodes,
    as_row_ids,
    dtype_for,
    first_appearance,
    unknown_rows_error,
)
from mlr3py.errors import InputError
from mlr3py.registry import did_you_mean

__all__ = ["ROW_NUMBER_KEY", "DataBackendIbis"]

#: The primary key a backend adds (numbering the rows 0 .. n-1) when none is given.
ROW_NUMBER_KEY = "..row_id"
_ID_COL = "..id"


def _feature_type(name: str, dtype: Any, strings_as_factors: bool) -> str:
    """The feature type of an ibis column type; unsupported types raise :class:`InputError`."""
    if dtype.is_boolean():
        return "logical"
    if dtype.is_integer():
        return "integer"
    if dtype.is_floating() or dtype.is_decimal():
        return "numeric"
    if dtype.is_string():
        return "factor" if strings_as_factors else "character"
    if dtype.is_timestamp() or dtype.is_date():
        return "POSIXct"
    raise InputError(
        f"Column '{name}' has type {dtype}, which no feature type covers. Drop it or cast "
        "it in the table expression first (expr.drop(...), or expr.mutate(...) with .cast())."
    )


def _sorted_unique(ids: np.ndarray) -> np.ndarray:
    """The distinct ``ids``, sorted (``ids`` itself when they are so already)."""
    if len(ids) < 2 or bool(np.all(ids[1:] > ids[:-1])):
        return ids
    return np.unique(ids)


class DataBackendIbis(DataBackend):
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

    Raises
    ------
    InputError
        For an unknown primary key, one that is not an integer column or holds
        duplicated or missing values, and columns of types no feature type covers.
    """

    in_memory = False

    def __init__(
        self,
        table: Any,
        primary_key: str | None = None,
        *,
        strings_as_factors: bool = True,
        connector: Connector | None = None,
        generated_key: bool = False,
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
                    f"The primary key '{primary_key}' is not a column of the table."
                    + did_you_mean(str(primary_key), names)
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
            n: _feature_type(n, schema[n], strings_as_factors) for n in self._names
        }
        self._init_caches()
        self._generated = generated_key or primary_key is None
        if not self._generated:
            self._check_key()

    def _init_caches(self) -> None:
        self._nrow: int | None = None
        self._ids: np.ndarray | None = None
        self._levels: dict[str, tuple[Any, ...]] | None = None
        self._hash: str | None = None
        self._adbc_path: str | bool | None = False  # False: not looked up yet

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state["_ids"] = None  # the row ids are re-read where needed, never shipped
        state["_adbc_path"] = False  # looked up again where the backend is used
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)

    # ------------------------------------------------------------------ queries
    @property
    def _sqlite_path(self) -> str | None:
        """The SQLite file this backend reads through ADBC (``None``: read through ibis)."""
        if self._adbc_path is False:
            con = self._connector
            self._adbc_path = (sqlite_file(con.engine, con.args)
                               if isinstance(con, IbisConnector) else None)
        return self._adbc_path if isinstance(self._adbc_path, str) else None

    def _run(self, query: Any) -> Any:
        """Execute an ibis expression on this backend's connection; a pyarrow Table."""
        path = self._sqlite_path
        if path is None:
            return run_query(self._connector, lambda con: con.to_pyarrow(query))

        def fetch(con: Any) -> Any:
            try:
                return adbc_table(path, con, query)
            except Exception:  # see mlr3py.data._adbc: ibis gives the same result, slower
                return con.to_pyarrow(query)

        return run_query(self._connector, fetch)

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
            raise InputError(
                f"The primary key '{key}' has duplicated values ({n - n_distinct} duplicate(s))."
                " Every row needs a unique integer id."
            )
        self._nrow = n

    def _ids_table(self, ids: np.ndarray) -> Any:
        """The distinct ``ids`` as a table registered on the connection (a memtable)."""
        import ibis
        import pyarrow as pa

        return ibis.memtable(pa.table({_ID_COL: pa.array(ids, type=pa.int64())}))

    def _restricted(self, rows: Any | None) -> Any:
        """The expression, restricted to row ids ``rows`` (``None``: all rows)."""
        if rows is None:
            return self._expr
        ids = _sorted_unique(as_row_ids(rows))
        table = self._ids_table(ids)
        # "key IN (SELECT id FROM ids)": every engine hashes or indexes the subquery
        # (SQLite runs a semi join with an unindexed table as a nested loop)
        return self._expr.filter(self._expr[self._key].isin(table[_ID_COL]))

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

    def col_info(self) -> list[ColInfo]:
        levels = self._all_levels()
        return [ColInfo(n, t, levels.get(n)) for n, t in self._types.items()]

    def _all_levels(self) -> dict[str, tuple[Any, ...]]:
        """Levels of all factor columns, from one query."""
        if self._levels is None:
            factors = [n for n, t in self._types.items() if t == "factor"]
            found = self._distinct_query(None, factors)
            self._levels = {c: tuple(sorted(found[c], key=str)) for c in factors}
        return self._levels

    def _distinct_query(self, rows: Any | None, cols: list[str]) -> dict[str, list[Any]]:
        """Column -> distinct non-missing values among ``rows``: one ``UNION`` query."""
        if not cols:
            return {}
        import ibis

        expr = self._restricted(rows)
        parts = [
            expr.select(**{"..col": ibis.literal(i, type="int32"), "..value": expr[c]}).distinct()
            for i, c in enumerate(cols)
        ]
        groups: dict[str, list[Any]] = {c: [] for c in cols}
        same = len({str(expr.schema()[c]) for c in cols}) == 1
        if same:
            out = self._run(ibis.union(*parts, distinct=False))
            for i, value in zip(out.column(0).to_pylist(), out.column(1).to_pylist(), strict=True):
                if value is not None:
                    groups[cols[i]].append(value)
            return groups
        for c, part in zip(cols, parts, strict=True):  # columns of different types
            out = self._run(part)
            groups[c] = [v for v in out.column(1).to_pylist() if v is not None]
        return groups

    def _convert(self, table: Any, cols: list[str]) -> pd.DataFrame:
        """A pyarrow result as a pandas frame with the backend's dtypes (column by column
        from Arrow; factors through their codes)."""
        import pyarrow as pa
        import pyarrow.compute as pc

        levels = self._all_levels()
        out: dict[str, Any] = {}
        for col in cols:
            kind = self._types[col]
            column = table.column(col)
            if kind == "factor":
                dtype = dtype_for(ColInfo(col, kind, levels[col]))
                lookup = pa.array(list(levels[col]), type=column.type)
                codes = pc.fill_null(pc.index_in(column, value_set=lookup), -1)
                out[col] = pd.Categorical.from_codes(codes.to_numpy().astype(np.int32),
                                                     dtype=dtype)
            elif kind == "character":
                out[col] = np.asarray(column.to_pylist(), dtype=object)
            elif kind == "numeric":
                out[col] = pc.cast(column, pa.float64()).to_numpy(zero_copy_only=False)
            elif kind == "POSIXct":
                out[col] = pd.to_datetime(column.to_pandas())
            else:  # integer (float64 where missing), logical (object where missing)
                out[col] = column.to_numpy(zero_copy_only=False)
        return pd.DataFrame(out, columns=cols)

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
                      else self._key_ranges(_sorted_unique(wanted), cols))
            table = self._run(query) if ranges is None else self._ranges_table(query, ranges)
        else:
            table = self._run(self._restricted(wanted).select(*select))
        got = pd.Index(table.column(key).to_numpy().astype(np.int64, copy=False))
        positions = got.get_indexer(wanted) if len(wanted) else np.empty(0, dtype=np.intp)
        bad = positions < 0
        if bad.any():
            raise unknown_rows_error(pd.unique(wanted[bad]),
                                     f"the values of the primary key '{key}'")
        frame = self._convert(table, cols).take(positions)
        frame.index = pd.Index(wanted, name=ROW_ID)
        return frame

    def _query_sorted(self, ids: np.ndarray, cols: list[str]) -> Any:
        """The query for key and ``cols`` of the sorted, distinct ``ids`` (any row order): a
        key range for most of a table, else a join on the ids registered as a table.

        On SQLite most of a table is read by a plain scan without the range: SQLite would
        serve the range through the key's index, a lookup per row that took 1.5x the
        scan's time on the flights table; the caller drops the rows it did not ask for.
        """
        select = [self._key] + [c for c in cols if c != self._key]
        expr = self._expr
        if self._most_rows(ids):
            key = expr[self._key]
            query = expr if self._sqlite_path is not None else expr.filter(
                (key >= int(ids[0])) & (key <= int(ids[-1])))
        else:
            query = self._restricted(ids)
        return query.select(*select)

    def _most_rows(self, ids: np.ndarray) -> bool:
        """Whether the distinct ``ids`` are most of the table (read by a scan, not by id)."""
        return self._nrow is not None and len(ids) > self._nrow // 2

    def _key_ranges(self, ids: np.ndarray, cols: list[str]) -> list[tuple[int, int]] | None:
        """The key ranges that parallel threads read the sorted, distinct ``ids`` in, or
        ``None`` for one query: a SQLite scan of most of the table, of at least
        :attr:`parallel_read_min_rows` rows and at most :attr:`parallel_read_max_cells`
        values, where more than one thread is allowed (:mod:`mlr3py.data._sqlite_ranges`).
        """
        if (self._sqlite_path is None or self._generated or not self._most_rows(ids)
                or len(ids) < self.parallel_read_min_rows
                or len(ids) * (len(cols) + 1) > self.parallel_read_max_cells):
            return None
        ranges = key_ranges(ids, read_threads())
        return ranges if len(ranges) > 1 else None

    def _ranges_table(self, query: Any, ranges: list[tuple[int, int]]) -> Any:
        """The result of ``query`` (SQLite) as one pyarrow Table, read in key ``ranges``."""
        import pyarrow as pa

        batches: list[Any] = []
        self._each_batch(query, self.chunk_rows, batches.append, ranges)
        return pa.Table.from_batches(batches, schema=query.schema().to_pyarrow())

    def _each_batch(self, query: Any, batch_rows: int, take: Callable[[Any], None],
                    ranges: list[tuple[int, int]] | None = None) -> None:
        """Hand the result of ``query`` to ``take`` in Arrow batches of ``batch_rows`` rows
        (through ADBC for SQLite, where a failure before the first batch falls back to
        ibis); with ``ranges`` (SQLite only), read by parallel threads range by range."""
        def stream(con: Any) -> None:
            path = self._sqlite_path
            if path is not None and ranges is not None:
                def by_ibis(lo: int, hi: int) -> Any:
                    key = query[self._key]
                    part = query.filter((key >= lo) & (key <= hi))
                    return con.to_pyarrow_batches(part, chunk_size=batch_rows)

                read_ranges(path, con, query, self._key, ranges, batch_rows, take, by_ibis)
                return
            if path is not None:
                try:
                    batches = iter(adbc_batches(path, con, query, batch_rows))
                    first = next(batches, None)
                except Exception:  # see mlr3py.data._adbc: read it through ibis
                    pass
                else:
                    if first is not None:
                        take(first)
                    for batch in batches:
                        take(batch)
                    return
            for batch in con.to_pyarrow_batches(query, chunk_size=batch_rows):
                take(batch)

        run_query(self._connector, stream)

    def stream_frames(
        self, rows: Any, cols: Sequence[str], chunk_rows: int,
        consume: Callable[[pd.DataFrame], None],
    ) -> None:
        """Rows ``rows`` (duplicates read once) and columns ``cols`` from one query, handed
        to ``consume`` as frames of at most ``chunk_rows`` rows as they arrive.

        Each frame is indexed by its row ids (in the engine's order). Only the
        frame being handed over and the Arrow batches behind it are in memory,
        except where a SQLite scan is read in key ranges by parallel threads
        (:attr:`parallel_read_max_cells`): there the ranges after the first wait
        in memory, and the frames come range by range (the one query's order where
        the table's scan order is the key's). ``consume`` must not query this
        backend (a second query on the connection would end the stream).

        Raises
        ------
        InputError
            After the stream, for row ids that are not in the data.
        """
        import pyarrow as pa

        cols = self._check_cols(cols)
        self._all_levels()  # no other query on the connection while the stream is open
        uniq = _sorted_unique(as_row_ids(rows))
        found = np.zeros(len(uniq), dtype=bool)
        pending: list[Any] = []
        query = self._query_sorted(uniq, cols) if len(uniq) else None
        batch_rows = max(1, min(self.stream_batch_rows, chunk_rows))

        def emit(table: Any) -> None:
            frame = self._convert(table, cols)
            frame.index = pd.Index(table.column(0).to_numpy().astype(np.int64, copy=False),
                                   name=ROW_ID)
            consume(frame)

        def take(batch: Any) -> None:
            keys = batch.column(0).to_numpy().astype(np.int64, copy=False)
            at = np.searchsorted(uniq, keys)
            keep = (at < len(uniq)) & (uniq[np.minimum(at, len(uniq) - 1)] == keys)
            found[at[keep]] = True
            if not keep.all():
                batch = batch.filter(pa.array(keep))
            if batch.num_rows:
                pending.append(batch)
            while sum(b.num_rows for b in pending) >= chunk_rows:
                table = pa.Table.from_batches(pending)
                pending[:] = table.slice(chunk_rows).to_batches()
                emit(table.slice(0, chunk_rows))

        if query is not None:
            self._each_batch(query, batch_rows, take, self._key_ranges(uniq, cols))
            if pending:
                emit(pa.Table.from_batches(pending))
        if not found.all():
            raise unknown_rows_error(uniq[~found],
                                     f"the values of the primary key '{self._key}'")

    def matrix(self, rows: Any, cols: Sequence[str]) -> np.ndarray:
        """Rows ``rows`` and numeric columns ``cols`` as one float64 array.

        The result streams from one query in Arrow batches of :attr:`chunk_rows`
        rows straight into the array (no DataFrame), so only one batch is held
        twice.
        """
        import pyarrow as pa
        import pyarrow.compute as pc

        cols = self._check_matrix_cols(cols)
        wanted = np.asarray(self.rownames) if rows is None else as_row_ids(rows)
        uniq = _sorted_unique(wanted)
        values = np.empty((len(uniq), len(cols)), dtype=np.float64)
        found = np.zeros(len(uniq), dtype=bool)
        if len(uniq):
            query = self._query_sorted(uniq, cols)

            def fill(batch: Any) -> None:
                keys = batch.column(0).to_numpy().astype(np.int64, copy=False)
                at = np.searchsorted(uniq, keys)
                keep = (at < len(uniq)) & (uniq[np.minimum(at, len(uniq) - 1)] == keys)
                at = at[keep]
                found[at] = True
                for j, col in enumerate(cols):
                    column = pc.cast(batch.column(col if col != self._key else 0),
                                     pa.float64())
                    values[at, j] = column.to_numpy(zero_copy_only=False)[keep]

            self._each_batch(query, self.chunk_rows, fill, self._key_ranges(uniq, cols))
        if not found.all():
            raise unknown_rows_error(uniq[~found],
                                     f"the values of the primary key '{self._key}'")
        if uniq is wanted:
            return values  # the ids were sorted and distinct already
        return values[np.searchsorted(uniq, wanted)]

    #: Rows per Arrow batch that :meth:`matrix` streams.
    chunk_rows: int = 262_144

    #: The fewest rows a SQLite read splits into key ranges read by parallel threads
    #: (:mod:`mlr3py.data._sqlite_ranges`): each range scans the whole table.
    parallel_read_min_rows: int = 50_000

    #: The most values (rows x columns) a SQLite read splits into key ranges: the ranges
    #: after the first are held in memory until their turn.
    parallel_read_max_cells: int = 8_388_608

    #: Rows per Arrow batch that :meth:`stream_frames` reads; a frame collects several.
    #: The engine holds about a batch per thread besides the one handed over, so small
    #: batches keep a stream's memory low (benchmarks/backend_parquet.py, 2,000,000 rows
    #: x 20 float64 columns: 40 MiB less peak memory than batches of 100,000 rows).
    stream_batch_rows: int = 16_384

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
        cols = self._check_cols(cols)
        found = self._distinct_query(rows, cols)
        out: dict[str, list[Any]] = {}
        missing = self.missings(rows, cols) if not na_rm else {}
        for col in cols:
            values = sorted(found[col], key=str)
            if not na_rm and missing[col]:
                values.append(None)
            out[col] = values
        return out

    def missings(self, rows: Any | None, cols: Sequence[str]) -> dict[str, int]:
        cols = self._check_cols(cols)
        if not cols:
            return {}
        expr = self._restricted(rows)
        aggs = {f"m{i}": expr[c].isnull().sum() for i, c in enumerate(cols)}
        out = self._run(expr.aggregate(**aggs))
        return {c: int(out.column(i)[0].as_py() or 0) for i, c in enumerate(cols)}

    def value_counts(self, rows: Any | None, col: str) -> dict[Any, int]:
        """Value -> count among ``rows``: one ``GROUP BY`` query (rows given with
        duplicates are counted in memory)."""
        self._check_cols([col])
        if rows is not None:
            ids = as_row_ids(rows)
            if len(_sorted_unique(np.sort(ids))) != len(ids):
                return super().value_counts(ids, col)
        expr = self._restricted(rows)
        out = self._run(expr.group_by(expr[col]).aggregate(n=expr.count()))
        return {v: int(n) for v, n in zip(out.column(0).to_pylist(), out.column(1).to_pylist(),
                                          strict=True) if v is not None}

    def row_codes(self, rows: Any | None, cols: Sequence[str]) -> RowCodes:
        """Two queries: the combinations with their counts (``GROUP BY``, ordered by the
        columns) and the row ids ordered by the columns, split by those counts."""
        cols = self._check_cols(cols)
        wanted = np.asarray(self.rownames) if rows is None else as_row_ids(rows)
        expr = self._restricted(None if rows is None else wanted)
        counted = expr.group_by(cols).aggregate(**{_ID_COL: expr.count()}).order_by(cols)
        combos = self._run(counted)
        by = [*cols, self._key] if self._key not in cols else cols
        keys = self._run(expr.order_by(by).select(self._key))
        keys = keys.column(0).to_numpy().astype(np.int64, copy=False)
        counts = combos.column(_ID_COL).to_numpy().astype(np.int64, copy=False)
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
