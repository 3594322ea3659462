"""How a :class:`~mlr3py.data.sql.DataBackendIbis` asks its database.

:class:`IbisQueries` runs the backend's queries: one query's result as a pyarrow
Table (through ADBC for a SQLite file, :mod:`mlr3py.data._adbc`), the table
restricted to row ids (a join with the ids registered as a table, never a long
``IN (...)`` list), the factor levels of all string columns from one ``UNION``
query, and results streamed in Arrow batches, on SQLite read in key ranges by
parallel threads (:mod:`mlr3py.data._sqlite_ranges`) where most of a table is
read.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from mlr3py.data._adbc import adbc_batches, adbc_table, sqlite_file
from mlr3py.data._arrow_frames import arrow_frame
from mlr3py.data._connect import Connector, IbisConnector, run_query
from mlr3py.data._file_connectors import ParquetConnector, PolarsConnector
from mlr3py.data._read_ahead import read_ahead
from mlr3py.data._sqlite_ranges import key_ranges, read_ranges, read_threads
from mlr3py.data.backend import DataBackend, as_row_ids

__all__ = ["ID_COL", "IbisQueries", "sorted_unique"]

#: The column of the row ids registered as a table (and of counts in a ``GROUP BY``).
ID_COL = "..id"


def sorted_unique(ids: np.ndarray) -> np.ndarray:
    """The distinct ``ids``, sorted (``ids`` itself when they are so already)."""
    if len(ids) < 2 or bool(np.all(ids[1:] > ids[:-1])):
        return ids
    return np.unique(ids)


class IbisQueries(DataBackend):
    """The queries of a backend over an ibis table expression (a base of
    :class:`~mlr3py.data.sql.DataBackendIbis`, which sets the attributes below)."""

    _connector: Connector
    _expr: Any  # the ibis table expression, unbound from its connection
    #: The same rows through a view that key ranges are read from faster (a Parquet
    #: backend's view with one scan per file); None: :attr:`_expr`.
    _by_range: Any = None
    _key: str
    _types: dict[str, str]
    _generated: bool
    _nrow: int | None
    _levels: dict[str, tuple[Any, ...]] | None
    _adbc_path: str | bool | None  # False: not looked up yet

    #: Rows per Arrow batch that :meth:`matrix` streams.
    chunk_rows: int = 262_144

    #: The fewest rows a SQLite read splits into key ranges read by parallel threads
    #: (:mod:`mlr3py.data._sqlite_ranges`): each range scans the whole table.
    parallel_read_min_rows: int = 50_000

    #: The most values (rows x columns) a SQLite read splits into key ranges: the ranges
    #: after the first are held in memory until their turn.
    parallel_read_max_cells: int = 8_388_608

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

    def _ids_table(self, ids: np.ndarray) -> Any:
        """The distinct ``ids`` as a table registered on the connection (a memtable)."""
        import ibis
        import pyarrow as pa

        return ibis.memtable(pa.table({ID_COL: pa.array(ids, type=pa.int64())}))

    def _restricted(self, rows: Any | None) -> Any:
        """The expression, restricted to row ids ``rows`` (``None``: all rows)."""
        if rows is None:
            return self._expr
        ids = sorted_unique(as_row_ids(rows))
        table = self._ids_table(ids)
        # "key IN (SELECT id FROM ids)": every engine hashes or indexes the subquery
        # (SQLite runs a semi join with an unindexed table as a nested loop)
        lo, hi = (int(ids[0]), int(ids[-1])) if len(ids) else (0, -1)
        if self._sqlite_path is None and len(ids) and (
                self._nrow is None or 10 * (hi - lo + 1) < 9 * self._nrow):
            # and the ids' key range (where it leaves out a tenth of the table or more),
            # which engines with statistics (Parquet files' row groups, DuckDB's zone
            # maps) or an index on the key use to skip the rest; SQLite would look up
            # each row of the range through the key's index instead
            expr = self._ranged_expr()
            key = expr[self._key]
            return expr.filter(key.isin(table[ID_COL]) & (key >= lo) & (key <= hi))
        return self._expr.filter(self._expr[self._key].isin(table[ID_COL]))

    def _ranged_expr(self) -> Any:
        """The expression that a range of keys is read from (:attr:`_by_range`)."""
        return self._expr if self._by_range is None else self._by_range

    # ------------------------------------------------------------------ levels
    def _all_levels(self) -> dict[str, tuple[Any, ...]]:
        """Levels of all factor columns, from one query."""
        if self._levels is None:
            factors = [n for n, t in self._types.items() if t == "factor"]
            found = self._distinct_query(None, factors)
            self._levels = {c: tuple(sorted(found[c], key=str)) for c in factors}
        return self._levels

    def _distinct_query(self, rows: Any | None, cols: list[str]) -> dict[str, list[Any]]:
        """Column -> distinct non-missing values among ``rows``: one query (columns of
        one type unpivoted, or a ``UNION`` of one ``SELECT DISTINCT`` per column)."""
        if not cols:
            return {}
        import ibis

        expr = self._restricted(rows)
        same = len({str(expr.schema()[c]) for c in cols}) == 1
        if same and len(cols) > 1 and self._unpivots():
            from ibis.common.exceptions import OperationNotDefinedError, UnsupportedOperationError

            # one node however many columns: ibis compiles a UNION of n parts, each of
            # which looks at all of the table's columns, in time n x width (94 s for
            # 1,200 string columns), the unpivot in about a second; the columns are
            # renamed v0, v1, ... (PostgreSQL gives the names back quoted)
            wide = expr.select(**{f"v{i}": expr[c] for i, c in enumerate(cols)})
            long = wide.pivot_longer(list(wide.columns), names_to="..col",
                                     values_to="..value")
            try:
                out = self._run(long.distinct())
            except (OperationNotDefinedError, UnsupportedOperationError):
                pass  # an ibis version without the unpivot there: the UNION below
            else:
                groups: dict[str, list[Any]] = {c: [] for c in cols}
                for name, value in zip(out.column("..col").to_pylist(),
                                       out.column("..value").to_pylist(), strict=True):
                    if value is not None:
                        groups[cols[int(name.strip('"`[]')[1:])]].append(value)
                return groups
        parts = [
            expr.select(**{"..col": ibis.literal(i, type="int32"), "..value": expr[c]}).distinct()
            for i, c in enumerate(cols)
        ]
        groups = {c: [] for c in cols}
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

    def _unpivots(self) -> bool:
        """Whether the levels query unpivots the columns: on DuckDB (a database file,
        Parquet files) and polars. SQLite has no arrays; ibis's unpivot on PostgreSQL
        gives the values back as JSON text; other engines keep the ``UNION``."""
        con = self._connector
        if isinstance(con, IbisConnector):
            return con.engine == "duckdb"
        return isinstance(con, (ParquetConnector, PolarsConnector))

    def _convert(self, table: Any, cols: list[str],
                 order: np.ndarray | None = None) -> pd.DataFrame:
        """A pyarrow result as a pandas frame with the backend's dtypes (column by column
        from Arrow; factors through their codes, :func:`~mlr3py.data._arrow_frames.arrow_frame`),
        its rows at positions ``order`` of the result (None: as they are)."""
        return arrow_frame(table, cols, self._types, self._all_levels(), order)

    # ------------------------------------------------------------------ most rows
    def _query_sorted(self, ids: np.ndarray, cols: list[str]) -> Any:
        """The query for key and ``cols`` of the sorted, distinct ``ids`` (any row order): a
        key range for most of a table or most keys of their range, else a join on the ids
        registered as a table.

        On SQLite most of a table is read by a plain scan without the range: SQLite would
        serve the range through the key's index, a lookup per row that took 1.5x the
        scan's time on the flights table; the caller drops the rows it did not ask for.
        """
        select = [self._key] + [c for c in cols if c != self._key]
        expr = self._expr
        if self._sqlite_path is not None:
            query = expr if self._most_rows(ids) else self._restricted(ids)
        elif self._most_rows(ids) or self._dense(ids):
            ranged = self._ranged_expr()
            key = ranged[self._key]
            query = ranged.filter((key >= int(ids[0])) & (key <= int(ids[-1])))
        else:
            query = self._restricted(ids)
        return query.select(*select)

    @staticmethod
    def _dense(ids: np.ndarray) -> bool:
        """Whether the sorted, distinct ``ids`` are most of the keys in their range (a
        part of a test set): the range is read without the join on the ids, and the
        caller drops the rows it did not ask for."""
        return len(ids) > 0 and len(ids) > (int(ids[-1]) - int(ids[0]) + 1) // 2

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

    # ------------------------------------------------------------------ batches
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
            for batch in read_ahead(con.to_pyarrow_batches(query, chunk_size=batch_rows)):
                take(batch)

        run_query(self._connector, stream)
