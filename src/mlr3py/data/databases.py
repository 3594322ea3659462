"""Backends over databases and files: converters for :func:`as_data_backend` and mlr3db's
sugar :func:`as_duckdb_backend`, :func:`as_sqlite_backend`, :func:`as_parquet_backend`.

Everything here goes through ibis (``pip install 'mlr3py[sql]'``): an ibis
table expression of any engine, DuckDB relations and connections, SQLite and
DuckDB files, Parquet files (read by DuckDB as a view) and polars lazy frames
(queried by polars).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import uuid
from pathlib import Path
from typing import Any

import pandas as pd

from mlr3py.data._connect import IbisConnector, connection, release_file
from mlr3py.data._connect import _quote as _sql_quote
from mlr3py.data._file_connectors import (
    UNION_MAX_FILES,
    ParquetConnector,
    PolarsConnector,
    parquet_columns,
)
from mlr3py.data.backend import DataBackend
from mlr3py.data.convert import register_data_backend, to_pandas, typed_objects, unusable_data
from mlr3py.data.sql import ROW_NUMBER_KEY, DataBackendIbis
from mlr3py.errors import BackendConnectionError, ConfigError, InputError
from mlr3py.registry import did_you_mean

__all__ = ["as_duckdb_backend", "as_parquet_backend", "as_sqlite_backend"]

_TABLE = "data"
_RANGED = "data..by_file"  # the view key ranges are read from (ParquetConnector.ranged)


def _ibis() -> Any:
    from mlr3py.data._connect import _ibis as load

    return load()


def _file_kind(path: Path) -> str:
    """``"parquet"``, ``"sqlite"`` or ``"duckdb"`` from the file's first bytes."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(16)
    except OSError as err:
        raise InputError(f"Cannot read the file '{path}': {err.strerror}.") from err
    if head[:4] == b"PAR1":
        return "parquet"
    if head.startswith(b"SQLite format 3"):
        return "sqlite"
    if head[8:12] == b"DUCK":
        return "duckdb"
    raise InputError(
        f"The file '{path}' is not a Parquet file, a SQLite database or a DuckDB database "
        "(judged by its first bytes)."
    )


def _parquet_files(source: Any) -> list[Path]:
    """The Parquet files of a file, a directory (recursively, sorted) or a list of files."""
    if isinstance(source, (list, tuple)):
        paths = [Path(p) for p in source]
        if not paths:
            raise InputError("The list of Parquet files is empty.")
    else:
        root = Path(source)
        if root.is_dir():
            paths = sorted(p for p in root.rglob("*.parquet") if p.is_file())
            if not paths:
                raise InputError(f"The directory '{root}' holds no '*.parquet' files.")
        else:
            paths = [root]
    for path in paths:
        if not path.exists():
            raise InputError(f"The file '{path}' does not exist.")
        if _file_kind(path) != "parquet":
            raise InputError(f"The file '{path}' is not a Parquet file.")
    return [p.resolve() for p in paths]


def _table(con: Any, table: str | None, where: str) -> Any:
    """Table ``table`` of an ibis connection; unknown names raise :class:`InputError`."""
    names = list(con.list_tables())
    if table is None:
        raise InputError(
            f"Name the table of the {where} to use: table='...' (tables: {names})."
        )
    if table not in names:
        raise InputError(
            f"Table '{table}' is not in the {where} (tables: {names})." + did_you_mean(table, names)
        )
    return con.table(table)


def as_parquet_backend(
    source: Any, primary_key: str | None = None, *, strings_as_factors: bool = True
) -> DataBackendIbis:
    """A backend over Parquet files, queried by DuckDB without loading them.

    Parameters
    ----------
    source : str, os.PathLike or list of them
        A Parquet file, a list of files (one table, rows in this order) or a
        directory (all ``*.parquet`` files below it, sorted by path).
    primary_key : str or None
        An integer column with unique row ids; ``None`` numbers the rows
        ``0 .. n-1`` across the files (by file order and position in each file).
    strings_as_factors : bool
        String columns become factors.

    Returns
    -------
    DataBackendIbis

    Raises
    ------
    InputError
        For missing files, files that are not Parquet, an empty directory and a column
        whose types in two files cannot be combined (a column may be absent from some
        files: it is missing in their rows).
    """
    _ibis()  # the sql extra (ibis, DuckDB, pyarrow), or an ImportError saying so
    import pyarrow.parquet as pq

    files = _parquet_files(source)
    offsets: list[int] = []
    schemas: list[Any] = []
    total = 0
    for path in files:
        offsets.append(total)
        meta = pq.read_metadata(path)
        total += meta.num_rows
        schemas.append(meta.schema.to_arrow_schema())
    names = [str(p) for p in files]
    absent = parquet_columns(names, schemas)
    key = ROW_NUMBER_KEY if primary_key is None else None
    ranged = _RANGED if key is not None and 1 < len(files) <= UNION_MAX_FILES else None
    connector = ParquetConnector(tuple(names), _TABLE, key, tuple(offsets), ranged, absent)
    con = connection(connector)
    backend = DataBackendIbis(
        con.table(_TABLE), primary_key or ROW_NUMBER_KEY,
        strings_as_factors=strings_as_factors, connector=connector,
        generated_key=primary_key is None,
    )
    if primary_key is None:
        backend._nrow = total
    if ranged is not None:
        backend._by_range = con.table(ranged).unbind()
    return backend


def _open_duckdb_file(path: Path, table: str | None, primary_key: str | None,
                      strings_as_factors: bool) -> DataBackendIbis:
    connector = IbisConnector("duckdb", (str(path),), (("read_only", True),))
    con = connection(connector)
    return DataBackendIbis(_table(con, table, f"DuckDB file '{path}'"), primary_key,
                           strings_as_factors=strings_as_factors, connector=connector)


def _open_sqlite_file(path: Path, table: str | None, primary_key: str | None,
                      strings_as_factors: bool) -> DataBackendIbis:
    connector = IbisConnector("sqlite", (str(path),))
    con = connection(connector)
    return DataBackendIbis(_table(con, table, f"SQLite file '{path}'"), primary_key,
                           strings_as_factors=strings_as_factors, connector=connector)


def _from_path(
    source: Any, primary_key: str | None = None, *, table: str | None = None,
    strings_as_factors: bool = True,
) -> DataBackend:
    if not _is_path_like(source):
        raise unusable_data(source)
    if isinstance(source, (list, tuple)) or Path(source).is_dir():
        return as_parquet_backend(source, primary_key, strings_as_factors=strings_as_factors)
    path = Path(source).resolve()
    if not path.exists():
        raise InputError(f"The file '{source}' does not exist.")
    kind = _file_kind(path)
    if kind == "parquet":
        return as_parquet_backend(path, primary_key, strings_as_factors=strings_as_factors)
    opener = _open_duckdb_file if kind == "duckdb" else _open_sqlite_file
    return opener(path, table, primary_key, strings_as_factors)


def _from_ibis(
    table: Any, primary_key: str | None = None, *, strings_as_factors: bool = True
) -> DataBackend:
    return DataBackendIbis(table, primary_key, strings_as_factors=strings_as_factors)


def _from_duckdb_connection(
    con: Any, primary_key: str | None = None, *, table: str | None = None,
    strings_as_factors: bool = True,
) -> DataBackend:
    ibis_con = _ibis().duckdb.from_connection(con)
    return DataBackendIbis(_table(ibis_con, table, "DuckDB connection"), primary_key,
                           strings_as_factors=strings_as_factors)


def _from_duckdb_relation(
    rel: Any, primary_key: str | None = None, *, strings_as_factors: bool = True
) -> DataBackend:
    # a relation cannot be re-created in another process: store its result in a DuckDB file
    return as_duckdb_backend(rel.to_arrow_table(), primary_key=primary_key,
                             strings_as_factors=strings_as_factors)


def _from_polars_lazy(
    frame: Any, primary_key: str | None = None, *, strings_as_factors: bool = True
) -> DataBackend:
    import polars as pl

    # an Enum is an ordered factor with its declared levels, as in an in-memory frame
    enums = {name: tuple(dtype.categories) for name, dtype in frame.collect_schema().items()
             if isinstance(dtype, pl.Enum)}
    if primary_key is None:
        frame = frame.with_row_index(ROW_NUMBER_KEY).with_columns(
            pl.col(ROW_NUMBER_KEY).cast(pl.Int64)
        )
    connector = PolarsConnector(frame, _TABLE, uuid.uuid4().hex)
    table = connection(connector).table(_TABLE)
    return DataBackendIbis(table, primary_key or ROW_NUMBER_KEY,
                           strings_as_factors=strings_as_factors, connector=connector,
                           generated_key=primary_key is None, ordered=enums)


def _is_path_like(data: Any) -> bool:
    return isinstance(data, (str, os.PathLike)) or (
        isinstance(data, (list, tuple)) and bool(data)
        and all(isinstance(x, (str, os.PathLike)) for x in data)
    )


def _temp_database(suffix: str) -> Path:
    handle, name = tempfile.mkstemp(prefix="mlr3py-", suffix=suffix)
    os.close(handle)
    os.unlink(name)
    return Path(name)


def as_duckdb_backend(
    data: Any,
    path: str | os.PathLike[str] | None = None,
    primary_key: str | None = None,
    *,
    strings_as_factors: bool = True,
) -> DataBackendIbis:
    """A DuckDB backend (mlr3db's ``as_duckdb_backend``).

    Parameters
    ----------
    data : table or path
        A pandas / polars DataFrame or pyarrow Table: written to the DuckDB file
        ``path`` (table ``"data"``). A Parquet file, a list of them or a
        directory: opened as a view, nothing is copied.
    path : str or os.PathLike, optional
        The database file for a data frame (default: a new temporary file); not
        for Parquet files, which are read where they are.
    primary_key : str or None
        An integer column with unique row ids; ``None`` numbers the rows ``0 .. n-1``.
    strings_as_factors : bool
        String columns become factors.

    Returns
    -------
    DataBackendIbis
        Opened read-only, so worker processes can open the file too. Writing a file
        that backends of this process read closes their connections to it first: on
        their next query they read the new table.

    Raises
    ------
    BackendConnectionError
        When another process (or a connection the user opened) holds the file.
    """
    if _is_path_like(data):
        if path is not None:
            raise ConfigError(
                f"as_duckdb_backend() opens the Parquet files {data!r} as a view in memory "
                f"and writes no database; path={str(path)!r} is for data frames. Drop path, "
                "or read the files into a data frame to write them to a DuckDB file."
            )
        return as_parquet_backend(data, primary_key, strings_as_factors=strings_as_factors)
    import pyarrow as pa

    frame = typed_objects(to_pandas(data)) if not isinstance(data, pa.Table) else data
    target = Path(path) if path is not None else _temp_database(".duckdb")
    writer = _duckdb_writer(target)
    try:
        writer.create_table(_TABLE, frame, overwrite=True)
    finally:
        writer.disconnect()
    return _open_duckdb_file(target.resolve(), _TABLE, primary_key, strings_as_factors)


def _duckdb_writer(target: Path) -> Any:
    """An ibis connection that may write the DuckDB file ``target``.

    DuckDB opens a file once per process, either read-only or for writing: the
    read-only connections of backends on the file are closed first (they reopen
    on their next query and read what was written).

    Raises
    ------
    BackendConnectionError
        When another process, or a connection of this one that mlr3py did not
        open, holds the file.
    """
    release_file(target)
    try:
        return _ibis().duckdb.connect(str(target))
    except Exception as err:
        text = str(err)
        if "lock" in text.lower():
            held = ("another process holds it open (DuckDB lets one process write a "
                    "file, or several read it)")
            what = "Close that process's connection to it"
        elif "different configuration" in text:
            held = "a connection of this process that mlr3py did not open holds it"
            what = "Close that connection (con.close())"
        else:
            raise
        raise BackendConnectionError(
            f"Cannot write the DuckDB file '{target}': {held}. {what}, or write to "
            f"another path. ({type(err).__name__}: {text.splitlines()[0]})"
        ) from err


def as_sqlite_backend(
    data: Any,
    path: str | os.PathLike[str] | None = None,
    primary_key: str | None = None,
    *,
    table: str = _TABLE,
    strings_as_factors: bool = True,
) -> DataBackendIbis:
    """A SQLite backend: ``data`` written to table ``table`` of the file ``path``.

    Parameters
    ----------
    data : pandas / polars DataFrame or pyarrow Table
        The data. Boolean columns are declared ``BOOLEAN`` (SQLite keeps 0 / 1),
        so they come back as logical columns.
    path : str or os.PathLike, optional
        The database file (default: a new temporary file). An existing table
        ``table`` in it is replaced.
    primary_key : str or None
        An integer column with unique row ids (the table gets an index on it);
        ``None`` numbers the rows ``0 .. n-1``.
    table : str
        The table name.
    strings_as_factors : bool
        String columns become factors.

    Returns
    -------
    DataBackendIbis
    """
    import sqlite3

    frame = typed_objects(to_pandas(data))
    frame = frame.set_axis([str(c) for c in frame.columns], axis=1)
    booleans = {c: "BOOLEAN" for c, dt in frame.dtypes.items() if pd.api.types.is_bool_dtype(dt)}
    target = Path(path) if path is not None else _temp_database(".sqlite")
    with contextlib.closing(sqlite3.connect(target)) as writer:
        frame.to_sql(table, writer, index=False, if_exists="replace", dtype=booleans or None)
        if primary_key is not None and primary_key in frame.columns:
            # rows by id become index lookups instead of scans of the table
            index = _sql_quote(f"{table}_{primary_key}_key")
            writer.execute(f"CREATE INDEX IF NOT EXISTS {index} ON {_sql_quote(table)} "
                           f"({_sql_quote(primary_key)})")
        writer.commit()
    return _open_sqlite_file(target.resolve(), table, primary_key, strings_as_factors)


register_data_backend("builtins", "str", _from_path)
register_data_backend("pathlib", "PurePath", _from_path)
register_data_backend("builtins", "list", _from_path)
register_data_backend("builtins", "tuple", _from_path)
register_data_backend("ibis", "Table", _from_ibis)
register_data_backend("duckdb", "DuckDBPyConnection", _from_duckdb_connection)
register_data_backend("duckdb", "DuckDBPyRelation", _from_duckdb_relation)
register_data_backend("polars", "LazyFrame", _from_polars_lazy)
