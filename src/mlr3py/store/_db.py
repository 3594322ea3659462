"""The store's SQLite database: schema, connections, metadata.

One row per job in ``jobs``; each finished job's result (prediction, log, learner
state; pickled) in ``results``, written in the same transaction as the job's row; the
run's metadata (format version, kind, fingerprint, root seed) in ``meta``. The
database runs in WAL mode, so readers (``status()``, ``results()``) never block the
writers, and every worker process writes its own
rows, one short transaction per job; a process killed in the middle of one leaves
the database as it was before it (SQLite's journal).
"""

from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path

__all__ = ["JOB_STATES", "connect", "read_meta", "worker_connection"]

JOB_STATES = ("pending", "running", "done", "error", "failed")
"""pending: not started; running: leased by a worker; done: finished; error: finished
with an error in its log (counts as done unless ``retry_errors``); failed: finished but
its result could not be written (e.g. a full disk): it runs again on resume."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS jobs (
    key TEXT PRIMARY KEY,
    pos INTEGER NOT NULL,
    section TEXT NOT NULL,
    experiment INTEGER NOT NULL,
    iteration INTEGER NOT NULL,
    task_id TEXT NOT NULL,
    learner_id TEXT NOT NULL,
    resampling_id TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending',
    errors INTEGER NOT NULL DEFAULT 0,
    attempts INTEGER NOT NULL DEFAULT 0,
    host TEXT,
    pid INTEGER,
    started REAL,
    lease_until REAL,
    finished REAL,
    message TEXT,
    model_file INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS results (key TEXT PRIMARY KEY, data BLOB NOT NULL);
"""

_BUSY_TIMEOUT_S = 120.0


def connect(path: Path, create: bool = False) -> sqlite3.Connection:
    """A connection to the store database at ``path`` (WAL mode, waiting on locks).

    Parameters
    ----------
    path : Path
        The database file.
    create : bool
        Create the tables if missing.
    """
    con = sqlite3.connect(str(path), timeout=_BUSY_TIMEOUT_S, isolation_level=None,
                          check_same_thread=False)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=NORMAL")
    if create:
        con.executescript(_SCHEMA)
    return con


_local = threading.local()


def worker_connection(path: Path) -> sqlite3.Connection:
    """This thread's connection to ``path`` in this process (opened once, then reused)."""
    cache: dict[tuple[str, int], sqlite3.Connection] | None = getattr(_local, "cons", None)
    if cache is None:
        cache = _local.cons = {}
    key = (str(path), os.getpid())
    con = cache.get(key)
    if con is None:
        con = cache[key] = connect(path)
    return con


def read_meta(con: sqlite3.Connection) -> dict[str, str]:
    """The ``meta`` table as a dict (empty for a new store)."""
    try:
        return dict(con.execute("SELECT name, value FROM meta").fetchall())
    except sqlite3.OperationalError:
        return {}
