"""SQLite reads split into key ranges read by parallel threads: the same rows, order,
chunks, dtypes and errors as one query (mlr3py.data._sqlite_ranges)."""

from __future__ import annotations

import itertools
import sqlite3
import threading
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from mlr3py.data import (
    DataBackendIbis,
    _ibis_queries,
    _sqlite_ranges,
    as_data_backend,
    as_sqlite_backend,
)
from mlr3py.errors import ConfigError, InputError

ibis = pytest.importorskip("ibis", reason="needs ibis (pip install 'mlr3py[sql]')")
pytest.importorskip("adbc_driver_sqlite")

N = 300


def _frame(n: int = N) -> pd.DataFrame:
    """Rows in key order (the scan order of the file), keys with gaps, missing values."""
    rng = np.random.default_rng(7)
    x = rng.normal(size=n)
    x[[3, 50, 299]] = np.nan
    k = pd.array(np.arange(n) % 7, dtype="Int64")
    k[np.array([4, 120])] = pd.NA
    carrier = np.array(["AA", "UA", "OO", "DL", "HA"], dtype=object)[np.arange(n) % 5]
    carrier[11] = None
    return pd.DataFrame({
        "id": 3 * np.arange(n, dtype=np.int64) + 5,
        "x": x,
        "k": k,
        "flag": np.arange(n) % 3 == 0,
        "carrier": carrier,
        "y": rng.normal(size=n),
    })


@pytest.fixture
def path(tmp_path: Path) -> Path:
    file = tmp_path / "r.sqlite"
    as_sqlite_backend(_frame(), file, primary_key="id", table="t")
    return file


def _view(path: Path) -> DataBackendIbis:
    """A lazy view like the mlr3 book's: a filter, a modulo and a CASE."""
    con = ibis.sqlite.connect(str(path))
    t = con.table("t")
    t = t.filter(t.id % 2 == 1).filter(t.y > -3)
    t = t.mutate(carrier=ibis.cases((t.carrier.isin(["OO", "HA"]), "other"),
                                    else_=t.carrier))
    backend = as_data_backend(t, primary_key="id")
    assert isinstance(backend, DataBackendIbis)
    return backend


def _table(path: Path) -> DataBackendIbis:
    backend = as_data_backend(path, primary_key="id", table="t")
    assert isinstance(backend, DataBackendIbis)
    return backend


def _stream(backend: DataBackendIbis, rows: Any, chunk_rows: int) -> list[pd.DataFrame]:
    out: list[pd.DataFrame] = []
    backend.stream_frames(rows, backend.colnames, chunk_rows, out.append)
    return out


def _reads(backend: DataBackendIbis, monkeypatch: pytest.MonkeyPatch, threads: int,
           rows: Any, chunk_rows: int) -> tuple[list[pd.DataFrame], np.ndarray]:
    monkeypatch.setenv("MLR3PY_DB_THREADS", str(threads))
    numeric = [c for c in backend.colnames if backend.col_info_map()[c].type
               in ("numeric", "integer")]
    return _stream(backend, rows, chunk_rows), backend.matrix(rows, numeric)


@pytest.mark.parametrize("make", [_table, _view], ids=["table", "view"])
@pytest.mark.parametrize("threads", [2, 3, 7, 5000])
def test_ranges_read_what_one_query_reads(
    path: Path, monkeypatch: pytest.MonkeyPatch, make: Any, threads: int
) -> None:
    """Rows, their order, the stream's chunks, dtypes and the matrix are those of one
    query, for 2 ranges up to more threads than rows."""
    backend = make(path)
    backend.parallel_read_min_rows = 1
    ids = np.asarray(backend.rownames)
    rng = np.random.default_rng(1)
    rows = rng.permutation(ids)[: len(ids) - 3]  # most rows, in no order
    rows = np.concatenate([rows, rows[:5]])  # duplicates are read once
    monkeypatch.setenv("MLR3PY_DB_THREADS", str(threads))
    ranges = backend._key_ranges(np.unique(rows), backend.colnames)
    assert ranges is not None and len(ranges) == min(threads, len(np.unique(rows)))
    one_frames, one_matrix = _reads(backend, monkeypatch, 1, rows, 40)
    frames, matrix = _reads(backend, monkeypatch, threads, rows, 40)
    assert [len(f) for f in frames] == [len(f) for f in one_frames]
    for got, want in zip(frames, one_frames, strict=True):
        pd.testing.assert_frame_equal(got, want)
    assert list(pd.concat(frames).index) == sorted(set(rows.tolist()))  # the key's order
    np.testing.assert_array_equal(matrix, one_matrix)


def test_ranges_are_used_only_for_large_sqlite_scans(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    backend = _table(path)
    ids = np.asarray(backend.rownames)
    monkeypatch.setenv("MLR3PY_DB_THREADS", "4")
    assert backend._key_ranges(ids, ["x"]) is None  # below parallel_read_min_rows
    backend.parallel_read_min_rows = 1
    assert backend._key_ranges(ids, ["x"]) == _sqlite_ranges.key_ranges(ids, 4)
    assert backend._key_ranges(ids[:10], ["x"]) is None  # few rows: read by id
    backend.parallel_read_max_cells = len(ids)
    assert backend._key_ranges(ids, ["x"]) is None  # too large to hold the later ranges
    backend.parallel_read_max_cells = 2 * len(ids)
    monkeypatch.setenv("MLR3PY_DB_THREADS", "1")
    assert backend._key_ranges(ids, ["x"]) is None  # one thread allowed: one query
    generated = as_data_backend(ibis.sqlite.connect(str(path)).table("t"))
    assert isinstance(generated, DataBackendIbis)
    generated.parallel_read_min_rows = 1
    monkeypatch.setenv("MLR3PY_DB_THREADS", "4")
    assert generated._key_ranges(np.asarray(generated.rownames), ["x"]) is None


@pytest.mark.parametrize("threads", [1, 2, 4])
def test_unknown_ids_error_as_with_one_query(
    path: Path, monkeypatch: pytest.MonkeyPatch, threads: int
) -> None:
    """Ids beyond the table fill the last range, which reads no row: the same error."""
    backend = _table(path)
    backend.parallel_read_min_rows = 1
    ids = np.asarray(backend.rownames)
    rows = np.concatenate([ids, np.arange(10_000, 10_000 + len(ids))])
    monkeypatch.setenv("MLR3PY_DB_THREADS", str(threads))
    if threads > 1:
        ranges = backend._key_ranges(np.unique(rows), ["x"])
        assert ranges is not None and ranges[-1][0] >= 10_000  # a range of unknown ids only
    with pytest.raises(InputError, match=r"10000, 10001, 10002.*primary key 'id'"):
        _stream(backend, rows, 50)
    with pytest.raises(InputError, match=r"10000, 10001, 10002.*primary key 'id'"):
        backend.matrix(rows, ["x"])


def test_key_ranges_split_the_ids_without_gaps() -> None:
    ids = np.array([2, 3, 5, 8, 13, 21, 34])
    assert _sqlite_ranges.key_ranges(ids, 1) == [(2, 34)]
    assert _sqlite_ranges.key_ranges(ids, 2) == [(2, 7), (8, 34)]
    assert _sqlite_ranges.key_ranges(ids, 3) == [(2, 4), (5, 12), (13, 34)]
    many = _sqlite_ranges.key_ranges(ids, 100)  # more ranges than ids: one id each
    assert [lo for lo, _ in many] == ids.tolist()
    assert all(hi + 1 == lo for (_, hi), (lo, _) in itertools.pairwise(many))
    assert many[-1][1] == 34
    assert _sqlite_ranges.key_ranges(ids[:0], 3) == []


def test_read_ranges_with_an_empty_range(path: Path) -> None:
    """A range without rows hands nothing on; the others come in range order, in
    batches of at most chunk_rows rows."""
    backend = _table(path)
    query = backend._expr.select("id", "x", "carrier")
    con = ibis.sqlite.connect(str(path))
    got: list[Any] = []
    ranges = [(5, 100), (101, 103), (104, 10_000)]  # 101..103: no id (ids are 5 + 3i)
    _sqlite_ranges.read_ranges(str(path), con, query, "id", ranges, 7, got.append,
                               lambda lo, hi: pytest.fail("no fallback expected"))
    assert all(b.num_rows <= 7 for b in got)
    ids = [i for b in got for i in b.column("id").to_pylist()]
    assert ids == [5 + 3 * i for i in range(N)]
    assert got[0].schema == query.schema().to_pyarrow()


def test_a_range_that_fails_before_its_first_batch_is_read_through_ibis(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    backend = _table(path)
    backend.parallel_read_min_rows = 1
    monkeypatch.setenv("MLR3PY_DB_THREADS", "1")
    want = _stream(backend, backend.rownames, 64)
    real = _sqlite_ranges.sql_cursor
    failed: list[str] = []

    def broken(path: str, sql: str, *args: Any, **kwargs: Any) -> Any:
        if "BETWEEN 5 " not in sql:  # all ranges but the first
            failed.append(sql)
            raise RuntimeError("no such function: a Python function of ibis")
        return real(path, sql, *args, **kwargs)

    monkeypatch.setattr(_sqlite_ranges, "sql_cursor", broken)
    monkeypatch.setenv("MLR3PY_DB_THREADS", "3")
    got = _stream(backend, backend.rownames, 64)
    assert len(failed) == 2
    assert [len(f) for f in got] == [len(f) for f in want]
    for a, b in zip(got, want, strict=True):
        pd.testing.assert_frame_equal(a, b)


def test_errors_stop_the_threads(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A failure after a range's first batch and a failing consumer are raised, and no
    range is still being read afterwards."""
    backend = _table(path)
    backend.parallel_read_min_rows = 1
    monkeypatch.setenv("MLR3PY_DB_THREADS", "2")
    ids = backend.rownames

    def failing(frame: pd.DataFrame) -> None:
        raise ValueError("the consumer failed")

    monkeypatch.setenv("MLR3PY_DB_THREADS", "1")
    want = _stream(backend, ids, 50)
    monkeypatch.setenv("MLR3PY_DB_THREADS", "2")
    with pytest.raises(ValueError, match="the consumer failed"):
        backend.stream_frames(ids, ["x"], 10, failing)
    for got, one in zip(_stream(backend, ids, 50), want, strict=True):  # reads on
        pd.testing.assert_frame_equal(got, one)
    real = _sqlite_ranges.sql_cursor

    class Broken:
        def __init__(self, cursor: Any) -> None:
            self.cursor = cursor

        def fetch_record_batch(self) -> Any:
            for i, batch in enumerate(self.cursor.fetch_record_batch()):
                if i == 1:
                    raise RuntimeError("disk I/O error")
                yield batch

    from contextlib import contextmanager

    @contextmanager
    def broken(*args: Any, **kwargs: Any) -> Any:
        with real(*args, **{**kwargs, "batch_rows": 8}) as cursor:
            yield Broken(cursor)

    monkeypatch.setattr(_sqlite_ranges, "sql_cursor", broken)
    with pytest.raises(RuntimeError, match="disk I/O error"):
        _stream(backend, ids, 50)
    busy = [t for t in threading.enumerate() if t.name.startswith("mlr3py-sqlite")]
    assert busy  # the pool's threads live on, idle, with their connections
    pool = _sqlite_ranges._pool(2)
    assert pool.submit(lambda: 1).result(timeout=5) == 1  # not blocked by a stale read
    monkeypatch.setattr(_sqlite_ranges, "sql_cursor", real)
    for got, one in zip(_stream(backend, ids, 50), want, strict=True):
        pd.testing.assert_frame_equal(got, one)


def test_range_queries_scan_the_table(path: Path) -> None:
    """The `+` keeps SQLite off the key's index: a lookup per row is slower than a scan."""
    con = ibis.sqlite.connect(str(path))
    backend = _view(path)
    from mlr3py.data._adbc import compiled_sql

    sql, temps = compiled_sql(con, backend._expr.select("id", "x"))
    assert temps == []
    plain = sqlite3.connect(path)
    try:
        plan = plain.execute("EXPLAIN QUERY PLAN " + _sqlite_ranges.range_sql(sql, "id", 5, 50))
        text = " ".join(str(row) for row in plan.fetchall())
        assert "SCAN" in text and "INDEX" not in text
        rows = plain.execute(_sqlite_ranges.range_sql(sql, "id", 5, 50)).fetchall()
        assert [r[0] for r in rows] == [i for i in range(5, 51, 3) if i % 2 == 1]
    finally:
        plain.close()


def test_read_threads_follow_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MLR3PY_DUCKDB_THREADS", raising=False)
    monkeypatch.setenv("MLR3PY_DB_THREADS", "3")
    assert _sqlite_ranges.read_threads() == 3
    monkeypatch.setenv("MLR3PY_DB_THREADS", "0")
    with pytest.raises(ConfigError, match="MLR3PY_DB_THREADS.*'0'"):
        _sqlite_ranges.read_threads()
    monkeypatch.delenv("MLR3PY_DB_THREADS")
    import os

    cores = len(os.sched_getaffinity(0))
    assert _sqlite_ranges.read_threads() == max(1, min(cores, _sqlite_ranges.MAX_READ_THREADS))


@pytest.mark.parametrize("make", [_table, _view], ids=["table", "view"])
def test_data_of_most_rows_in_ranges_as_in_one_query(
    path: Path, monkeypatch: pytest.MonkeyPatch, make: Any
) -> None:
    """data() of most rows (in any order, with duplicates) reads them in ranges too:
    the same frame, and the same error for unknown ids."""
    backend = make(path)
    backend.parallel_read_min_rows = 1
    ids = np.asarray(backend.rownames)
    rows = np.concatenate([np.random.default_rng(2).permutation(ids)[3:], ids[:4]])
    calls: list[int] = []
    real = _sqlite_ranges.read_ranges

    def counted(*args: Any) -> None:
        calls.append(len(args[4]))
        real(*args)

    monkeypatch.setattr(_ibis_queries, "read_ranges", counted)
    monkeypatch.setenv("MLR3PY_DB_THREADS", "1")
    want = backend.data(rows, backend.colnames)
    assert calls == []
    monkeypatch.setenv("MLR3PY_DB_THREADS", "3")
    pd.testing.assert_frame_equal(backend.data(rows, backend.colnames), want)
    assert calls == [3]
    with pytest.raises(InputError, match=r"9999.*primary key 'id'"):
        backend.data(np.concatenate([rows, [9999]]), ["x"])
