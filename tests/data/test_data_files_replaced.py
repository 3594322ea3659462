"""Database files replaced at their path while this process reads them, and several
backends on one Parquet file.

A connection to a database file (and the ADBC connection a SQLite file is read
through) is opened again where the file at its path is not the one it opened: a
new backend, or a new connection of the user's, reads the file now at the path,
and an old backend reads the new file or fails with a typed error, never the rows
of the file that was replaced. Backends on one Parquet file with and without a
primary key have views of their own.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd
import pytest

from mlr3py.data import as_data_backend, as_parquet_backend
from mlr3py.data._connect import file_identity
from mlr3py.errors import BackendConnectionError, InputError

ibis = pytest.importorskip("ibis", reason="needs ibis (pip install 'mlr3py[sql]')")
duckdb = pytest.importorskip("duckdb")

_OLD = pd.DataFrame({"id": [1, 2, 3], "x": [1.0, 2.0, 3.0]})
_NEW = pd.DataFrame({"id": [1, 2], "x": [10.0, 20.0]})


def _write_sqlite(path: Path, frame: pd.DataFrame) -> None:
    """A new SQLite file at ``path`` (any file there deleted first), written by sqlite3."""
    path.unlink(missing_ok=True)
    with contextlib.closing(sqlite3.connect(path)) as con:
        frame.to_sql("t", con, index=False)
        con.commit()


def _write_duckdb(path: Path, frame: pd.DataFrame) -> None:
    """A DuckDB file at ``path``, written by duckdb itself (not through mlr3py)."""
    con = duckdb.connect(str(path))
    try:
        con.register("frame", frame)
        con.execute("CREATE TABLE t AS SELECT * FROM frame")
    finally:
        con.close()


def _x(backend: object, rows: list[int]) -> list[float]:
    return backend.data(rows, ["x"])["x"].tolist()  # type: ignore[attr-defined]


def _new_rows_or_typed_error(backend: object, rows: list[int]) -> None:
    """The old backend reads the rows of the new file or says which rows are missing."""
    try:
        got = _x(backend, rows)
    except InputError as err:
        assert "Row ids not in the data" in str(err)
    else:
        assert got == [10.0, 20.0, 30.0][: len(rows)]


# ---------------------------------------------------------------- file identity
def test_a_file_replaced_at_its_path_has_another_identity(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite"
    _write_sqlite(path, _OLD)
    before = file_identity(str(path), "sqlite")
    assert before is not None and before == file_identity(str(path), "sqlite")
    # held open, as a connection holds it: its inode is not reused by the new file
    with open(path, "rb"):
        _write_sqlite(path, _NEW)
        assert file_identity(str(path), "sqlite") not in (None, before)
    path.unlink()
    assert file_identity(str(path), "sqlite") is None


# ---------------------------------------------------------------- SQLite files
def test_a_sqlite_file_deleted_and_written_again_is_read_anew(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite"
    _write_sqlite(path, _OLD)
    old = as_data_backend(str(path), table="t", primary_key="id")
    assert old.nrow == 3 and _x(old, [1, 2, 3]) == [1.0, 2.0, 3.0]
    _write_sqlite(path, _NEW)
    fresh = as_data_backend(str(path), table="t", primary_key="id")
    assert fresh.nrow == 2 and _x(fresh, [1, 2]) == [10.0, 20.0]
    # the user's own new connection to the path
    mine = as_data_backend(ibis.sqlite.connect(str(path)).table("t"), primary_key="id")
    assert mine.nrow == 2 and _x(mine, [1, 2]) == [10.0, 20.0]
    assert _x(old, [1, 2]) == [10.0, 20.0]
    with pytest.raises(InputError, match="Row ids not in the data: 3"):
        old.data([1, 2, 3], ["x"])


def test_a_sqlite_file_read_in_another_thread_is_read_anew(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite"
    _write_sqlite(path, _OLD)
    backend = as_data_backend(str(path), table="t", primary_key="id")
    seen = []
    with ThreadPoolExecutor(1) as worker:  # one thread, its connections kept between reads
        for frame in (_OLD, _NEW):
            _write_sqlite(path, frame)
            seen.append(worker.submit(_x, backend, [1, 2]).result())
    assert seen == [[1.0, 2.0], [10.0, 20.0]]


def test_a_deleted_sqlite_file_is_named_and_a_copy_put_back_is_read(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite"
    _write_sqlite(path, _OLD)
    shutil.copy(path, tmp_path / "backup.sqlite")
    backend = as_data_backend(str(path), table="t", primary_key="id")
    assert _x(backend, [1, 3]) == [1.0, 3.0]
    path.unlink()
    with pytest.raises(BackendConnectionError, match=r"s\.sqlite' does not exist"):
        backend.data([1, 3], ["x"])
    assert not path.exists()  # opening did not create an empty database
    shutil.copy(tmp_path / "backup.sqlite", path)
    assert _x(backend, [1, 3]) == [1.0, 3.0]
    # replaced by a rename
    _write_sqlite(tmp_path / "other.sqlite", _NEW)
    os.replace(tmp_path / "other.sqlite", path)
    _new_rows_or_typed_error(backend, [1, 2])
    _new_rows_or_typed_error(backend, [1, 2, 3])


# ---------------------------------------------------------------- DuckDB files
def test_a_duckdb_file_replaced_by_a_rename_is_read_anew(tmp_path: Path) -> None:
    path = tmp_path / "d.duckdb"
    _write_duckdb(path, _OLD)
    shutil.copy(path, tmp_path / "backup.duckdb")
    old = as_data_backend(str(path), table="t", primary_key="id")
    assert _x(old, [1, 2, 3]) == [1.0, 2.0, 3.0]
    _write_duckdb(tmp_path / "other.duckdb", _NEW)
    os.replace(tmp_path / "other.duckdb", path)
    fresh = as_data_backend(str(path), table="t", primary_key="id")
    assert fresh.nrow == 2 and _x(fresh, [1, 2]) == [10.0, 20.0]
    _new_rows_or_typed_error(old, [1, 2])
    _new_rows_or_typed_error(old, [1, 2, 3])
    # the original copied back: deleted first, then copied over the file in place
    path.unlink()
    with pytest.raises(BackendConnectionError, match=r"d\.duckdb' does not exist"):
        old.data([1], ["x"])
    shutil.copy(tmp_path / "backup.duckdb", path)
    assert _x(old, [1, 2, 3]) == [1.0, 2.0, 3.0]
    _write_duckdb(tmp_path / "other.duckdb", _NEW)
    shutil.copyfile(tmp_path / "other.duckdb", path)  # same inode, new content
    assert _x(fresh, [1, 2]) == [10.0, 20.0]
    assert as_data_backend(str(path), table="t", primary_key="id").nrow == 2


# ---------------------------------------------------------------- Parquet files
@pytest.mark.parametrize("keyed_first", [True, False])
def test_backends_on_one_parquet_file_are_independent(tmp_path: Path, keyed_first: bool) -> None:
    path = tmp_path / "a.parquet"
    pd.DataFrame({"id": [10, 11, 12], "x": [1.0, 2.0, 3.0]}).to_parquet(path, index=False)
    order = [True, False] if keyed_first else [False, True]
    made = {keyed: as_parquet_backend(path, "id" if keyed else None) for keyed in order}
    keyed, numbered = made[True], made[False]
    assert keyed.colnames == ["id", "x"] and keyed.rownames.tolist() == [10, 11, 12]
    assert numbered.colnames == ["id", "x"] and numbered.rownames.tolist() == [0, 1, 2]
    assert _x(keyed, [10, 12]) == [1.0, 3.0]
    assert _x(numbered, [0, 2]) == [1.0, 3.0]
    assert numbered.data([1], ["id"])["id"].tolist() == [11]
