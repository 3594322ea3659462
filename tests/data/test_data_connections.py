"""Database files written again while this process reads them: a read sees what was
committed before it (SQLite through ADBC), and writing a DuckDB file this process
has open for reading closes its connections to the file first."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

import pandas as pd
import pytest

from mlr3py.data import as_data_backend, as_sqlite_backend

pytest.importorskip("ibis", reason="needs ibis (pip install 'mlr3py[sql]')")


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
