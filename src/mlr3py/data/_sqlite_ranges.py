"""A large SQLite read split into ranges of the primary key, read by parallel threads.

SQLite runs a query on one core. Reading most of a table through ADBC, the time
goes to stepping through the rows and building the Arrow arrays, both in C with
the GIL released; the filters of the query cost a fraction of it (on the mlr3 book's
flights view, 163,707 of 336,776 rows: 0.05 s to count the rows against 0.2 s to read
them). So :func:`read_ranges` splits such a read into ranges of the key, each the
expression's SQL wrapped as ``SELECT * FROM (<sql>) WHERE +key BETWEEN lo AND hi``
and read by a thread of its own with its own connection. The unary ``+`` keeps SQLite
off the key's index (a lookup per row is slower than a scan): every range scans the
table, and builds Arrow arrays only for its own rows.

The batches are handed on in range order, so the rows come in the order one query
over the whole table gives where the table's scan order is the key's order (the
flights file); within a range the order is SQLite's. The first range's batches are
handed on as they arrive; later ranges are read meanwhile and held until their turn,
so a read keeps up to (k - 1) / k of its result in memory (the caller limits the
size of a read it splits).

The number of threads (:func:`read_threads`) is ``MLR3PY_DB_THREADS`` where set
(worker processes of the parallel plans set it to 1), otherwise the cores this
process may run on, at most :data:`MAX_READ_THREADS`.
"""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import Any

import numpy as np

from mlr3py.data._adbc import compiled_sql, sql_cursor
from mlr3py.data._connect import db_threads

__all__ = ["MAX_READ_THREADS", "key_ranges", "range_sql", "read_ranges", "read_threads"]

MAX_READ_THREADS = 4
"""The most threads a SQLite read uses where ``MLR3PY_DB_THREADS`` is unset."""

# (process id, threads) -> the pool whose threads read ranges; each thread keeps its own
# ADBC connection (mlr3py.data._adbc: opened again where the file at the path was
# replaced), so the pool lives as long as the process
_POOLS: dict[tuple[int, int], ThreadPoolExecutor] = {}
_POOLS_LOCK = threading.Lock()


def _after_fork() -> None:
    """In a forked child: the parent's pools have no threads here, and their lock may have
    been held by a thread that does not exist here either."""
    global _POOLS_LOCK
    _POOLS_LOCK = threading.Lock()
    _POOLS.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork)


@dataclass(frozen=True)
class _Failed:
    """A range's read failed with ``error``; ``started``: after some of its batches."""

    error: BaseException
    started: bool


_DONE = object()


def read_threads() -> int:
    """The threads one SQLite read may use (at least 1).

    Returns
    -------
    int
        ``MLR3PY_DB_THREADS`` where set, otherwise the cores this process may run on
        (``os.sched_getaffinity``, else ``os.cpu_count()``), at most
        :data:`MAX_READ_THREADS`.
    """
    threads = db_threads()
    if threads is not None:
        return threads
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - platforms without affinity
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_READ_THREADS))


def key_ranges(ids: np.ndarray, parts: int) -> list[tuple[int, int]]:
    """Split the sorted, distinct ``ids`` into at most ``parts`` inclusive key ranges
    ``(lo, hi)`` holding about as many ids each (fewer ranges where there are fewer ids).

    The ranges cover ``ids[0] .. ids[-1]`` without gaps; each starts at one of the ids.
    """
    n = len(ids)
    if n == 0:
        return []
    starts = sorted({int(ids[(i * n) // parts]) for i in range(max(1, parts))})
    ends = [s - 1 for s in starts[1:]] + [int(ids[-1])]
    return list(zip(starts, ends, strict=True))


def range_sql(sql: str, key: str, lo: int, hi: int) -> str:
    """The query ``sql`` restricted to ``lo <= key <= hi``, the key kept off its index."""
    name = '"' + key.replace('"', '""') + '"'
    return (f'SELECT * FROM ({sql}) AS "mlr3py_range" '
            f'WHERE +"mlr3py_range".{name} BETWEEN {int(lo)} AND {int(hi)}')


def _pool(threads: int) -> ThreadPoolExecutor:
    key = (os.getpid(), threads)
    with _POOLS_LOCK:
        pool = _POOLS.get(key)
        if pool is None:
            pool = _POOLS[key] = ThreadPoolExecutor(threads, thread_name_prefix="mlr3py-sqlite")
        return pool


def _read_range(path: str, sql: str, target: Any, batch_rows: int,
                out: queue.SimpleQueue[Any], stop: threading.Event) -> None:
    """Put the batches of ``sql`` (cast to the schema ``target``) on ``out``, then
    :data:`_DONE`, or a :class:`_Failed`; stops early once ``stop`` is set."""
    started = False
    try:
        with sql_cursor(path, sql, batch_rows=batch_rows) as cursor:
            for batch in cursor.fetch_record_batch():
                if stop.is_set():
                    return
                out.put(batch.rename_columns(target.names).cast(target))
                started = True
        out.put(_DONE)
    except BaseException as err:  # handed to the reading thread, which raises it
        out.put(_Failed(err, started))


def read_ranges(
    path: str, con: Any, expr: Any, key: str, ranges: list[tuple[int, int]],
    chunk_rows: int, take: Callable[[Any], None],
    fallback: Callable[[int, int], Iterable[Any]],
) -> None:
    """Hand the result of the ibis expression ``expr`` on the SQLite file ``path`` to
    ``take`` in Arrow batches of at most ``chunk_rows`` rows, range by range.

    Parameters
    ----------
    path : str
        The database file.
    con : ibis connection
        The ibis SQLite connection to ``path``: it compiles ``expr``.
    expr : ibis.expr.types.Table
        The query, with the integer column ``key`` and no in-memory tables.
    key : str
        The column the ranges split.
    ranges : list of (int, int)
        Inclusive key ranges (:func:`key_ranges`); each is read by a thread of a pool
        of ``len(ranges)`` threads.
    chunk_rows : int
        The most rows per batch handed on.
    take : callable
        Receives the batches, in range order, in the calling thread.
    fallback : callable
        ``fallback(lo, hi)`` gives the batches of a range whose read failed before its
        first batch (see :mod:`mlr3py.data._adbc`: through ibis, the same rows).

    Raises
    ------
    Exception
        What reading a range raised after its first batch, what ``fallback`` or
        ``take`` raised. The threads have stopped when this returns or raises.
    """
    sql, temps = compiled_sql(con, expr)
    if temps:
        raise ValueError("A query split into key ranges cannot hold in-memory tables.")
    target = expr.schema().to_pyarrow()
    pool = _pool(len(ranges))
    stop = threading.Event()
    outs: list[queue.SimpleQueue[Any]] = [queue.SimpleQueue() for _ in ranges]
    futures: list[Future[None]] = [
        pool.submit(_read_range, path, range_sql(sql, key, lo, hi), target, chunk_rows,
                    out, stop)
        for (lo, hi), out in zip(ranges, outs, strict=True)
    ]
    try:
        for (lo, hi), out in zip(ranges, outs, strict=True):
            while (item := out.get()) is not _DONE:
                if isinstance(item, _Failed):
                    if item.started:
                        raise item.error
                    for batch in fallback(lo, hi):
                        _hand_on(batch, chunk_rows, take)
                    break
                _hand_on(item, chunk_rows, take)
    finally:
        stop.set()
        wait(futures)


def _hand_on(batch: Any, chunk_rows: int, take: Callable[[Any], None]) -> None:
    for start in range(0, batch.num_rows, chunk_rows):
        take(batch.slice(start, chunk_rows))
