"""SQLite results read as Arrow through ADBC (``adbc-driver-sqlite``), where it is installed.

ibis' SQLite backend reads a result row by row into Python tuples and registers
an in-memory table (the row ids a backend asks for) with one ``INSERT`` per row:
most of the time a SQLite backend spends. The ADBC driver for SQLite (Apache
Arrow's) steps through the rows in C and hands over Arrow arrays, and ingests
an Arrow table in bulk. So for a backend on a SQLite file this module runs the
SQL that ibis compiles for its own SQLite backend on an ADBC connection to the
same file (read-only, each query a transaction of its own so it sees what was
committed before it; one per process and thread, opened again where the file at
the path was replaced or is gone), with the expression's
in-memory tables ingested as temporary tables, and casts the result to the
expression's schema. Any failure here (a function ibis provides to SQLite as a
Python function, a value the cast rejects) makes the caller run the query
through ibis instead: the result is the same, only slower.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from mlr3py.data._connect import file_identity

__all__ = ["adbc_batches", "adbc_table", "compiled_sql", "sql_cursor", "sqlite_file"]

_LOCAL = threading.local()


def sqlite_file(engine: str, args: tuple[Any, ...]) -> str | None:
    """The database file of a SQLite connector when ADBC can read it, else ``None``."""
    if engine != "sqlite" or not args or not isinstance(args[0], (str, os.PathLike)):
        return None
    path = str(args[0])
    if path in ("", ":memory:") or not Path(path).is_file():
        return None
    try:
        import adbc_driver_sqlite.dbapi  # noqa: F401
    except ImportError:
        return None
    return path


def _connection(path: str) -> Any:
    """This thread's read-only ADBC connection to ``path`` (opened on first use, and
    again where the file at ``path`` is not the one it opened: see
    :func:`mlr3py.data._connect.file_identity`).

    Raises
    ------
    FileNotFoundError
        Where no file is at ``path``.
    """
    import adbc_driver_sqlite.dbapi as adbc

    cons: dict[tuple[int, str], tuple[Any, tuple[int, ...]]] = (
        getattr(_LOCAL, "cons", None) or {})
    _LOCAL.cons = cons
    key = (os.getpid(), path)
    ident = file_identity(path, "sqlite")
    held = cons.get(key)
    if held is not None and held[1] == ident:
        return held[0]
    if held is not None:  # the file was replaced (or is gone): the old one is not read
        _drop(path)
    if ident is None:
        raise FileNotFoundError(f"The SQLite file '{path}' does not exist.")
    uri = "file:" + str(Path(path).resolve()).replace("?", "%3f").replace("#", "%23")
    # autocommit: each query is a read transaction of its own, so it sees what others
    # committed before it (a connection without it keeps its first snapshot)
    con = adbc.connect(uri + "?mode=ro", autocommit=True)
    cons[key] = (con, ident)
    return con


def _drop(path: str) -> None:
    """Forget this thread's connection to ``path`` (the next query reopens it)."""
    cons = getattr(_LOCAL, "cons", None) or {}
    held = cons.pop((os.getpid(), path), None)
    if held is not None:
        with contextlib.suppress(Exception):
            held[0].close()


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


_BATCH_ROWS = "adbc.sqlite.query.batch_rows"

#: compiled SQL of queries (their in-memory tables replaced by named ones) -> the SQL text
_SQL: dict[Any, str] = {}
_SQL_MAX = 512


def compiled_sql(con: Any, expr: Any) -> tuple[str, list[tuple[str, Any]]]:
    """The SQL of ``expr`` as the ibis connection ``con`` compiles it, and its in-memory
    tables as (name, pyarrow Table) pairs to ingest under those names.

    The in-memory tables (row ids, new in every query) are replaced by tables of
    fixed names first, so a query asked again with other ids is compiled once.
    """
    import ibis.expr.operations as ops

    op = expr.op()
    temps: list[tuple[str, Any]] = []
    subs = {}
    for i, mem in enumerate(op.find(ops.InMemoryTable)):
        name = f"mlr3py_ids_{i}"
        subs[mem] = ops.UnboundTable(name=name, schema=mem.schema)
        temps.append((name, mem.data.to_pyarrow(mem.schema)))
    if subs:
        op = op.replace(subs)
    sql = _SQL.get(op)
    if sql is None:
        if len(_SQL) >= _SQL_MAX:
            _SQL.clear()
        sql = _SQL[op] = str(con.compile(op.to_expr()))
    return sql, temps


@contextlib.contextmanager
def _cursor(path: str, con: Any, expr: Any, batch_rows: int | None = None) -> Iterator[Any]:
    """A cursor that has run ``expr`` (compiled by the ibis connection ``con``), its
    in-memory tables ingested as temporary tables (dropped afterwards)."""
    sql, temps = compiled_sql(con, expr)
    with sql_cursor(path, sql, temps, batch_rows) as cursor:
        yield cursor


@contextlib.contextmanager
def sql_cursor(
    path: str, sql: str, temps: Sequence[tuple[str, Any]] = (), batch_rows: int | None = None
) -> Iterator[Any]:
    """A cursor of this thread's connection to ``path`` that has run ``sql``, the
    (name, pyarrow Table) pairs ``temps`` ingested as temporary tables first (dropped
    afterwards); its record batches hold ``batch_rows`` rows (the driver's default of
    1,024 where ``None``)."""
    try:
        cursor = _connection(path).cursor()
    except Exception:
        _drop(path)
        raise
    failed = False
    try:
        for name, table in temps:
            cursor.adbc_ingest(name, table, mode="replace", temporary=True)
        if batch_rows is not None:  # fewer, larger batches: less work per batch in Python
            cursor.adbc_statement.set_options(**{_BATCH_ROWS: str(max(1, int(batch_rows)))})
        cursor.execute(sql)
        yield cursor
    except BaseException:
        failed = True
        raise
    finally:
        with contextlib.suppress(Exception):
            for name, _ in temps:
                cursor.execute(f"DROP TABLE IF EXISTS temp.{_quote(name)}")
            cursor.close()
        if failed:  # a closed or broken connection: the next query opens a new one
            _drop(path)


def adbc_table(path: str, con: Any, expr: Any) -> Any:
    """The result of the ibis expression ``expr`` as a pyarrow Table of its schema."""
    target = expr.schema().to_pyarrow()
    with _cursor(path, con, expr) as cursor:
        table = cursor.fetch_arrow_table()
    return table.rename_columns(target.names).cast(target)


def adbc_batches(path: str, con: Any, expr: Any, chunk_rows: int) -> Iterator[Any]:
    """The result of ``expr`` as pyarrow RecordBatches of its schema (at most
    ``chunk_rows`` rows each)."""
    target = expr.schema().to_pyarrow()
    with _cursor(path, con, expr, chunk_rows) as cursor:
        for batch in cursor.fetch_record_batch():
            batch = batch.rename_columns(target.names).cast(target)
            for start in range(0, batch.num_rows, chunk_rows):
                yield batch.slice(start, chunk_rows)
