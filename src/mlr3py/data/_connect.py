"""How a database backend reaches its data: connectors and one connection per process.

A backend never holds a live connection. It holds a :class:`Connector`, a small
picklable recipe (the engine and its connection arguments; the Parquet files or
the polars plan: :mod:`mlr3py.data._file_connectors`), and asks
:func:`connection` for the connection. Each process
and thread opens a connector's connection once and reuses it (database
connections are not safe to share between threads: a DuckDB connection ends a
streamed result when another thread runs a query on it); a query that fails
because the connection went away drops it (:func:`run_query`), so the next
query opens a new one. A connection to a database file remembers the file's
identity (:func:`file_identity`): where the file at its path was replaced
(deleted and written again, renamed or copied over) or is gone, the connections
to it are closed and a new one is opened on the file now at the path.
"""

from __future__ import annotations

import os
import threading
import uuid
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from mlr3py.errors import BackendConnectionError, ConfigError, InputError

__all__ = [
    "DB_THREADS_ENV",
    "Connector",
    "IbisConnector",
    "connection",
    "connector_for",
    "db_threads",
    "drop_connection",
    "file_identity",
    "release_file",
    "run_query",
]

_T = TypeVar("_T")


@dataclass(frozen=True)
class _Open:
    """A connection opened in process ``pid``; ``file`` (resolved) and ``ident`` (its
    :func:`file_identity` when the connection was opened): where it reads a database file."""

    pid: int
    con: Any
    file: str | None = None
    ident: tuple[int, ...] | None = None


# (connector key, thread id) -> the open connection: opened once per process and thread
# and reused while its file (if any) is the one it opened
_OPEN: dict[tuple[str, int], _Open] = {}
# token -> (process id, connection the user gave): used only in the process that made it
_LIVE: dict[str, tuple[int, Any]] = {}
_LOCK = threading.RLock()

DB_THREADS_ENV = "MLR3PY_DB_THREADS"
"""An environment variable: where set (a positive integer), the number of threads a read
of the databases mlr3py opens may use: the threads of its DuckDB databases (Parquet
files, database files), and the key ranges a large SQLite read is split into, each read
by a thread of its own. Without it DuckDB uses one thread per core and a SQLite read up
to four threads (no more than the cores this process may run on). Worker processes of
the parallel plans set it to 1, as they limit BLAS and OpenMP to one thread: two workers
on two cores would otherwise each scan with two threads. The user's own connections keep
their settings. ``MLR3PY_DUCKDB_THREADS``, its former name, is read where it is unset."""

_DB_THREADS_OLD_ENV = "MLR3PY_DUCKDB_THREADS"


def db_threads() -> int | None:
    """The threads a database read may use, from :data:`DB_THREADS_ENV` (``None``: unset).

    Raises
    ------
    ConfigError
        For a value that is not a positive integer.
    """
    for name in (DB_THREADS_ENV, _DB_THREADS_OLD_ENV):
        text = os.environ.get(name, "").strip()
        if not text:
            continue
        if not text.isdigit() or int(text) < 1:
            raise ConfigError(
                f"The environment variable {name} must be a positive integer (the threads "
                f"a database read may use). Got {text!r} instead."
            )
        return int(text)
    return None


def _ibis() -> Any:
    try:
        import ibis
    except ImportError as err:  # pragma: no cover - depends on the environment
        raise ImportError(
            "Database and Parquet backends need ibis: pip install 'mlr3py[sql]'."
        ) from err
    return ibis


class Connector(ABC):
    """A picklable recipe for opening the connection a backend queries."""

    @property
    @abstractmethod
    def key(self) -> str:
        """Identifies the connection: connectors with equal keys share it in a process."""

    @abstractmethod
    def open(self) -> Any:
        """Open a new ibis connection (an ``ibis.BaseBackend``)."""

    def describe(self) -> str:
        """A short text naming the database, for messages."""
        return self.key

    @property
    def fork_safe(self) -> bool:
        """Whether a process forked from one that used the connection can open its own."""
        return True


@dataclass(frozen=True)
class IbisConnector(Connector):
    """Reconnects with ``ibis.<engine>.connect(*args, **kwargs)``.

    Attributes
    ----------
    engine : str
        The ibis backend name (``"duckdb"``, ``"sqlite"``, ``"postgres"``, ...).
    args : tuple
        Positional connection arguments (e.g. the database file).
    kwargs : tuple of (str, value) pairs
        Keyword connection arguments.
    token : str or None
        Names the connection the user handed over, used as it is in the process
        that made it (an in-memory database exists only there).
    """

    engine: str
    args: tuple[Any, ...] = ()
    kwargs: tuple[tuple[str, Any], ...] = ()
    token: str | None = field(default=None, compare=False)

    @property
    def key(self) -> str:
        return f"{self.engine}:{self.args!r}:{self.kwargs!r}:{self.token}"

    def describe(self) -> str:
        where = ", ".join([repr(a) for a in self.args]
                          + [f"{k}={v!r}" for k, v in self.kwargs if k != "password"])
        return f"{self.engine} database ({where or 'in memory'})"

    @property
    def fork_safe(self) -> bool:
        """DuckDB is not: its thread pool does not survive ``fork()``."""
        return self.engine != "duckdb"

    @property
    def file(self) -> str | None:
        """The database file mlr3py opens (resolved), or ``None``: an in-memory
        database, a server, or a connection the user handed over."""
        if self.token is not None or self.in_memory or not self.args:
            return None
        if self.engine not in ("duckdb", "sqlite") or not isinstance(
                self.args[0], (str, os.PathLike)):
            return None
        return str(Path(self.args[0]).resolve())

    @property
    def in_memory(self) -> bool:
        """Whether the database exists only inside the connection."""
        if self.args or self.kwargs:
            first = str(self.args[0]) if self.args else ""
            return first in (":memory:", "") and self.engine in ("duckdb", "sqlite")
        return self.engine in ("duckdb", "sqlite")

    def open(self) -> Any:
        if self.token is not None:
            live = _LIVE.get(self.token)
            if live is not None and live[0] == os.getpid():
                return _for_this_thread(self.engine, live[1])
        if self.in_memory:
            raise BackendConnectionError(
                f"Cannot reconnect to an in-memory {self.engine} database in another process "
                "(or after it was closed). Write the data to a database file, e.g. with "
                "as_duckdb_backend(data, path='data.duckdb'), to use it with process plans."
            )
        module = getattr(_ibis(), self.engine)
        kwargs = dict(self.kwargs)
        try:
            con = module.connect(*self.args, **kwargs)
        except Exception as err:
            # DuckDB: this process holds the file open for writing already (the user's own
            # connection); share that database instead of a read-only one
            if "different configuration" not in str(err) or not kwargs.pop("read_only", False):
                raise
            con = module.connect(*self.args, **kwargs)
        if self.engine == "duckdb":
            _setup_duckdb(con)
        return con


# thread id of the thread that handed over each live connection (by ``id()`` of it)
_LIVE_THREAD: dict[int, int] = {}


def _for_this_thread(engine: str, con: Any) -> Any:
    """The user's live connection ``con``, or in another thread a cursor of it (DuckDB).

    A DuckDB cursor is a second connection to the same database (in-memory tables
    included) that a thread may use while others query the first; other engines'
    live connections are shared as they are.
    """
    owner = _LIVE_THREAD.get(id(con))
    if engine != "duckdb" or owner is None or owner == threading.get_ident():
        return con
    raw = getattr(con, "con", None)
    if raw is None or not hasattr(raw, "cursor"):
        return con
    cursor = _ibis().duckdb.from_connection(raw.cursor())
    _quiet_duckdb(cursor)
    return cursor


def _quiet_duckdb(con: Any) -> None:
    """No progress bar on standard output for long queries of a DuckDB connection."""
    try:
        con.raw_sql("SET enable_progress_bar = false")
    except Exception:  # pragma: no cover - an engine without the setting
        pass


def _setup_duckdb(con: Any) -> None:
    """Settings of a DuckDB database mlr3py opened: quiet, at most the threads allowed,
    and no cache of the files it reads (Parquet files).

    DuckDB (1.3 and later) keeps the blocks it read of external files in its buffer
    pool, in case they are read again; the operating system's page cache does that
    for local files already. Fetching 200,000 rows of 20 columns from ten Parquet
    files of 10,000,000 rows kept 41 MiB so, 44 MiB of the fetch's 173 MiB peak
    (``benchmarks/backend_parquet.py``).
    """
    _quiet_duckdb(con)
    try:
        con.raw_sql("SET enable_external_file_cache = false")
    except Exception:  # pragma: no cover - DuckDB before 1.3: no such cache
        pass
    threads = db_threads()
    if threads is not None:
        con.raw_sql(f"SET threads = {threads}")


def connector_for(con: Any) -> IbisConnector:
    """A connector for an open ibis connection (it is also used as it is in this process)."""
    engine = str(getattr(con, "name", "")) or type(con).__module__.split(".")[-1]
    args = tuple(getattr(con, "_con_args", ()) or ())
    kwargs = tuple(sorted((getattr(con, "_con_kwargs", {}) or {}).items()))
    if engine == "duckdb" and not args and not kwargs:
        path = _duckdb_path(con)
        if path:
            args = (path,)
    token = uuid.uuid4().hex
    with _LOCK:
        _LIVE[token] = (os.getpid(), con)
        _LIVE_THREAD[id(con)] = threading.get_ident()
    return IbisConnector(engine, args, kwargs, token)


def _duckdb_path(con: Any) -> str | None:
    """The file of an ibis DuckDB connection made with ``from_connection`` (or ``None``)."""
    try:
        rows = con.raw_sql("SELECT path FROM duckdb_databases() WHERE database_name = "
                           "current_database()").fetchall()
    except Exception:
        return None
    return str(rows[0][0]) if rows and rows[0][0] else None


def _quote(name: str) -> str:
    """An SQL identifier, quoted (embedded quotes doubled)."""
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    """An SQL string literal (embedded quotes doubled)."""
    return "'" + text.replace("'", "''") + "'"


def file_identity(path: str, engine: str) -> tuple[int, ...] | None:
    """What tells the database file ``path`` from a file that replaced it (``None``: no
    file at the path): one ``os.stat``.

    The device and inode number; for DuckDB also the size and modification time, as
    DuckDB keeps the file's blocks it read (a file copied over in place, same inode,
    is a new database). A SQLite connection sees such changes itself (it checks the
    file's change counter at each read), so other connections' writes to it do not
    count as a new file.
    """
    try:
        st = os.stat(path)
    except OSError:
        return None
    if engine == "duckdb":
        return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)
    return (st.st_dev, st.st_ino)


def connection(connector: Connector) -> Any:
    """The open connection of ``connector`` in this process and thread (opened on first use).

    A cached connection to a database file whose file was replaced or is gone is
    closed, with the other connections of this process to that file (DuckDB serves a
    path's database from its open connections), and a new one is opened.

    Raises
    ------
    BackendConnectionError
        When the connection cannot be opened (the database file does not exist).
    """
    key = (connector.key, threading.get_ident())
    pid = os.getpid()
    with _LOCK:
        entry = _OPEN.get(key)
        if entry is not None and entry.pid == pid:
            if entry.file is None or file_identity(entry.file, _engine(connector)) == entry.ident:
                return entry.con
            stale = _forget_file(entry.file)
        else:
            stale = []
    _close(stale, pid)
    with _LOCK:
        return _open(connector, key, pid)


def _engine(connector: Connector) -> str:
    return connector.engine if isinstance(connector, IbisConnector) else ""


def _open(connector: Connector, key: tuple[str, int], pid: int) -> Any:
    """Open the connection of ``connector`` for ``key`` and keep it (under ``_LOCK``)."""
    file = connector.file if isinstance(connector, IbisConnector) else None
    ident = None
    if file is not None:
        # the identity before opening: a file replaced meanwhile is noticed at the next use
        ident = file_identity(file, _engine(connector))
        if ident is None:
            raise BackendConnectionError(
                f"Cannot open the {connector.describe()}: the file '{file}' does not exist "
                "(it was deleted or moved)."
            )
    try:
        con = connector.open()
    except (BackendConnectionError, ConfigError):
        raise
    except Exception as err:
        raise BackendConnectionError(
            f"Cannot open the {connector.describe()}: {err}"
        ) from err
    _OPEN[key] = _Open(pid, con, file, ident)
    if file is not None:
        _FILES[connector.key] = file
    return con


# connector key -> the database file its connections read (IbisConnector.file)
_FILES: dict[str, str] = {}


def _forget_file(target: str) -> list[_Open]:
    """Remove the connections (of every thread) to the file ``target`` (under ``_LOCK``)."""
    keys = {k for k, f in _FILES.items() if f == target}
    return [_OPEN.pop(k) for k in list(_OPEN) if k[0] in keys]


def _close(found: list[_Open], pid: int) -> int:
    """Close the connections in ``found`` that this process opened; how many."""
    closed = 0
    for entry in found:
        if entry.pid != pid:
            continue
        try:
            entry.con.disconnect()
        except Exception:
            pass
        closed += 1
    return closed


def release_file(path: str | os.PathLike[str]) -> int:
    """Close the connections this process opened to the database file ``path``, in
    every thread (the next query of a backend on it opens a new one).

    DuckDB opens a file once per process, read-only or for writing: writing a file
    that backends of this process read needs their connections closed first.
    Connections the user handed over are left alone.

    Returns
    -------
    int
        The number of connections closed.
    """
    target = str(Path(path).resolve())
    with _LOCK:
        found = _forget_file(target)
    return _close(found, os.getpid())


def drop_connection(connector: Connector) -> None:
    """Forget the connection of ``connector`` in this process (the next query reopens it)."""
    with _LOCK:
        entry = _OPEN.pop((connector.key, threading.get_ident()), None)
        if isinstance(connector, IbisConnector) and connector.token is not None:
            _LIVE.pop(connector.token, None)
    if entry is not None:
        _close([entry], os.getpid())


_CONNECTION_WORDS = ("closed", "connection", "terminat", "no such table", "unable to open",
                     "does not exist", "server", "cannot open", "not connected")


def _is_connection_error(err: BaseException) -> bool:
    name = type(err).__name__
    if name in ("OperationalError", "InterfaceError", "ConnectionException", "IOException"):
        return True
    text = str(err).lower()
    return name == "ProgrammingError" and any(word in text for word in _CONNECTION_WORDS)


def run_query(connector: Connector, query: Callable[[Any], _T]) -> _T:
    """Run ``query(connection)``; a lost connection is dropped and reported.

    Raises
    ------
    BackendConnectionError
        When the database cannot be reached (the next call reconnects).
    """
    con = connection(connector)
    try:
        return query(con)
    except (InputError, BackendConnectionError):
        raise
    except Exception as err:
        if not _is_connection_error(err):
            raise
        drop_connection(connector)
        raise BackendConnectionError(
            f"Lost the connection to the {connector.describe()} ({type(err).__name__}: "
            f"{err}). The next query reconnects."
        ) from err
