"""Database files written again while this process reads them: a read sees what was
committed before it (SQLite through ADBC), and writing a DuckDB file this process
has open for reading closes its connections to the file first."""

from __future__ import annotations

import contextlib
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pandas as pd
import pytest

from mlr3py.data import as_data_backend, as_duckdb_backend, as_sqlite_backend
from mlr3py.errors import BackendConnectionError

pytest.importorskip("ibis", reason="needs ibis (pip install 'mlr3py[sql]')")
duckdb = pytest.importorskip("duckdb")


def _old() -> pd.DataFrame:
    return pd.DataFrame({"x": [1.0, 2.0, 3.0], "s": list("abc")})


def _new() -> pd.DataFrame:
    return pd.DataFrame({"x": [9.0, 8.0], "s": list("qr")})


def test_a_new_sqlite_backend_reads_the_file_as_it_is_now(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite"
    first = as_sqlite_backend(_old(), path=path)
    assert first.head()["x"].tolist() == [1.0, 2.0, 3.0]
    second = as_sqlite_backend(_new(), path=path)
    assert second.nrow == 2
    got = second.data(None, ["x", "s"])
    assert got["x"].tolist() == [9.0, 8.0] and got["s"].tolist() == ["q", "r"]
    assert {c.name: c.levels for c in second.col_info()}["s"] == ("q", "r")
    # the same file opened by path, after the rewrite
    third = as_data_backend(str(path), table="data")
    assert third.data(None, ["x"])["x"].tolist() == [9.0, 8.0]


def test_rows_inserted_by_another_connection_are_read(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite"
    backend = as_sqlite_backend(_old(), path=path)
    assert backend.data(None, ["x"])["x"].tolist() == [1.0, 2.0, 3.0]
    with contextlib.closing(sqlite3.connect(path)) as writer:
        writer.execute("INSERT INTO data VALUES (4.0, 'a')")
        writer.commit()
    assert backend.data(None, ["x"])["x"].tolist() == [1.0, 2.0, 3.0, 4.0]
    fresh = as_data_backend(str(path), table="data")
    assert fresh.nrow == 4


# ---------------------------------------------------------------- DuckDB files
def test_a_duckdb_file_is_written_again_in_one_process(tmp_path: Path) -> None:
    path = tmp_path / "d.duckdb"
    first = as_duckdb_backend(_old(), path=path)
    assert first.head()["x"].tolist() == [1.0, 2.0, 3.0]
    second = as_duckdb_backend(_new(), path=path)
    got = second.data(None, ["x", "s"])
    assert got["x"].tolist() == [9.0, 8.0] and got["s"].tolist() == ["q", "r"]
    assert {c.name: c.levels for c in second.col_info()}["s"] == ("q", "r")
    # the first backend reconnects on its next query and reads the new table
    assert first.data(None, ["x"])["x"].tolist() == [9.0, 8.0]
    assert as_duckdb_backend(_old(), path=path).nrow == 3


def test_a_duckdb_file_read_in_another_thread_is_written_again(tmp_path: Path) -> None:
    path = tmp_path / "d.duckdb"
    first = as_duckdb_backend(_old(), path=path)
    worker = threading.Thread(target=first.head)
    worker.start()
    worker.join()
    assert as_duckdb_backend(_new(), path=path).nrow == 2


def test_a_duckdb_file_another_process_holds_is_named(tmp_path: Path) -> None:
    path = tmp_path / "d.duckdb"
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import duckdb, sys, time; con = duckdb.connect(sys.argv[1]); "
         "con.execute('CREATE TABLE t (a INT)'); print('ready', flush=True); time.sleep(60)",
         str(path)],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        with pytest.raises(BackendConnectionError,
                           match=r"d\.duckdb'.*another process holds it.*another path"):
            as_duckdb_backend(_old(), path=path)
    finally:
        holder.kill()
        holder.wait()


def test_a_duckdb_file_a_user_connection_holds_is_named(tmp_path: Path) -> None:
    path = tmp_path / "d.duckdb"
    as_duckdb_backend(_old(), path=path)
    mine = duckdb.connect(str(path), read_only=True)
    try:
        with pytest.raises(BackendConnectionError, match=r"d\.duckdb'.*did not open"):
            as_duckdb_backend(_new(), path=path)
    finally:
        mine.close()
    assert as_duckdb_backend(_new(), path=path).nrow == 2
