"""Database, Parquet and lazy backends: the conformance suite on every kind, tasks on
them, typed errors for bad input, quoting, picklability and reconnection."""

from __future__ import annotations

import pickle
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import mlr3py
from mlr3py.data import (
    DataBackendIbis,
    _adbc,
    _connect,
    _ibis_queries,
    as_data_backend,
    as_duckdb_backend,
    as_parquet_backend,
    as_sqlite_backend,
)
from mlr3py.errors import BackendConnectionError, ConfigError, InputError
from mlr3py.testing import check_data_backend

ibis = pytest.importorskip("ibis", reason="needs ibis (pip install 'mlr3py[sql]')")
duckdb = pytest.importorskip("duckdb")
pl = pytest.importorskip("polars")


def _frame(n: int = 24) -> pd.DataFrame:
    rng = np.random.default_rng(3)
    x = rng.normal(size=n)
    x[[2, 7]] = np.nan
    colour = np.array(["red", "green", "blue"], dtype=object)[np.arange(n) % 3]
    colour[5] = None
    return pd.DataFrame({
        "id": np.arange(100, 100 + n, dtype=np.int64),
        "x": x,
        "k": np.arange(n, dtype=np.int64) % 5,
        "flag": (np.arange(n) % 2 == 0),
        "colour": colour,
        "y": rng.normal(size=n),
        "cls": np.array(["no", "yes"], dtype=object)[np.arange(n) % 2],
    })


def _parquet_dir(tmp: Path, frame: pd.DataFrame) -> Path:
    root = tmp / "parts"
    root.mkdir()
    for i, part in enumerate(np.array_split(np.arange(len(frame)), 3)):
        frame.iloc[part].to_parquet(root / f"part-{i}.parquet", index=False)
    return root


def _ibis_expr(tmp: Path, frame: pd.DataFrame) -> Any:
    con = ibis.duckdb.connect(str(tmp / "user.duckdb"))
    table = con.create_table("t", frame)
    return table.filter(table.k >= 0).mutate(x2=table.x * 2)


def _duckdb_connection(tmp: Path, frame: pd.DataFrame) -> Any:
    con = duckdb.connect(str(tmp / "raw.duckdb"))
    con.register("frame_view", frame)
    con.execute("CREATE TABLE t AS SELECT * FROM frame_view")
    return as_data_backend(con, table="t", primary_key="id")


FACTORIES: dict[str, Callable[[Path, pd.DataFrame], Any]] = {
    "pandas": lambda tmp, df: as_data_backend(df, primary_key="id"),
    "polars_lazy": lambda tmp, df: as_data_backend(pl.from_pandas(df).lazy()),
    "duckdb": lambda tmp, df: as_duckdb_backend(df, tmp / "d.duckdb", primary_key="id"),
    "duckdb_no_key": lambda tmp, df: as_duckdb_backend(df),
    "sqlite": lambda tmp, df: as_sqlite_backend(df, tmp / "s.sqlite", primary_key="id"),
    "sqlite_no_key": lambda tmp, df: as_sqlite_backend(df, tmp / "s2.sqlite"),
    "parquet_file": lambda tmp, df: (df.to_parquet(tmp / "f.parquet", index=False),
                                     as_parquet_backend(tmp / "f.parquet"))[1],
    "parquet_dir": lambda tmp, df: as_data_backend(str(_parquet_dir(tmp, df))),
    "ibis_expr": lambda tmp, df: as_data_backend(_ibis_expr(tmp, df), primary_key="id"),
    "duckdb_connection": _duckdb_connection,
    "duckdb_relation": lambda tmp, df: as_data_backend(duckdb.sql("SELECT * FROM df")),
}


@pytest.mark.parametrize("kind", list(FACTORIES))
def test_backend_conformance(kind: str, tmp_path: Path) -> None:
    backend = FACTORIES[kind](tmp_path, _frame())
    check_data_backend(backend)
    info = {i.name: i for i in backend.col_info()}
    if kind != "pandas":  # in memory, tasks turn strings into factors when they are built
        assert info["colour"].type == "factor"
        assert info["colour"].levels == ("blue", "green", "red")
    assert info["x"].type == "numeric" and info["k"].type == "integer"
    assert info["flag"].type == "logical"


@pytest.mark.postgres
def test_postgres_backend_conformance_and_resample(postgres_url: str) -> None:
    con = ibis.connect(postgres_url)
    frame = _frame(40)
    con.create_table("conformance", frame, overwrite=True)
    backend = as_data_backend(con.table("conformance"), primary_key="id")
    check_data_backend(backend)
    assert isinstance(backend, DataBackendIbis)
    task = mlr3py.as_task_classif(backend, target="cls", id="pg")
    assert task.class_names == ["no", "yes"] and task.nrow == 40
    memory = mlr3py.as_task_classif(frame.drop(columns="id"), target="cls")
    scores = []
    for t in (task, memory):
        rr = mlr3py.resample(t, mlr3py.lrn("classif.rpart"), mlr3py.rsmp("cv", folds=3), seed=7)
        scores.append(rr.score(mlr3py.msr("classif.ce"))["classif.ce"].to_numpy())
    np.testing.assert_allclose(scores[0], scores[1])


@pytest.mark.parametrize("kind", ["duckdb", "sqlite", "parquet_dir"])
@pytest.mark.parametrize("cols", [["x", "y"], ["x", "colour", "k", "flag"]])
def test_rows_come_in_the_order_asked_for(kind: str, cols: list[str], tmp_path: Path) -> None:
    # numeric columns are put in order while they are converted (one block, no
    # reordered copy); other columns through Arrow's take
    frame = _frame(40)
    backend = FACTORIES[kind](tmp_path, frame)
    key = "id" if backend.primary_key == "id" else backend.primary_key
    offset = 100 if key == "id" else 0
    wanted = np.array([139, 100, 117, 117, 102, 138, 100]) - 100 + offset
    got = backend.data(wanted, cols)
    expected = frame.iloc[wanted - offset][cols].reset_index(drop=True)
    assert list(got.index) == list(wanted)
    pd.testing.assert_frame_equal(got.reset_index(drop=True)[["x"]], expected[["x"]])
    for col in cols[1:]:
        assert [None if pd.isna(v) else v for v in got[col]] == [
            None if pd.isna(v) else v for v in expected[col]], col
    if cols == ["x", "y"]:
        assert got.to_numpy().dtype == np.float64
        assert len(got._mgr.blocks) == 1  # one block: no copy to make a matrix of it


def test_task_on_database_matches_memory(tmp_path: Path) -> None:
    frame = _frame(60)
    sql = mlr3py.as_task_regr(as_sqlite_backend(frame, tmp_path / "t.sqlite", "id"), target="y")
    factors = {c: frame[c].astype("category") for c in ("colour", "cls")}
    mem = mlr3py.as_task_regr(as_data_backend(frame.assign(**factors), "id"), target="y")
    assert sql.feature_types.equals(mem.feature_types)
    assert sql.nrow == mem.nrow == 60
    assert sql.levels(["colour"]) == {"colour": ["blue", "green", "red"]}
    np.testing.assert_allclose(sql.truth([101, 100]), mem.truth([101, 100]))
    learner = mlr3py.lrn("regr.rpart")
    resampling = mlr3py.rsmp("subsampling", ratio=0.5, repeats=2)
    a = mlr3py.resample(sql, learner, resampling, seed=11).score(mlr3py.msr("regr.rmse"))
    b = mlr3py.resample(mem, learner, resampling, seed=11).score(mlr3py.msr("regr.rmse"))
    np.testing.assert_allclose(a["regr.rmse"].to_numpy(), b["regr.rmse"].to_numpy())


def test_classif_task_on_duckdb_uses_aggregates(tmp_path: Path) -> None:
    backend = as_duckdb_backend(_frame(30), tmp_path / "c.duckdb", primary_key="id")
    task = mlr3py.as_task_classif(backend, target="cls", positive="yes")
    assert task.class_names == ["yes", "no"]
    assert list(task.truth([100, 101])) == ["no", "yes"]
    task.set_col_roles("colour", add_to="stratum")
    assert int(task.strata["N"].sum()) == 30


def test_matrix_in_chunks(tmp_path: Path) -> None:
    backend = as_duckdb_backend(_frame(50), tmp_path / "m.duckdb", primary_key="id")
    backend.chunk_rows = 7
    check_data_backend(backend)
    rows = [149, 100, 120, 100]
    want = backend.data(rows, ["x", "k"]).to_numpy(dtype=float, na_value=np.nan)
    np.testing.assert_array_equal(backend.matrix(rows, ["x", "k"]), want)


def test_strings_as_factors_false_gives_character(tmp_path: Path) -> None:
    backend = as_duckdb_backend(_frame(), tmp_path / "c.duckdb", strings_as_factors=False)
    info = {i.name: i for i in backend.col_info()}
    assert info["colour"].type == "character" and info["colour"].levels is None


def test_duckdb_sugar_on_parquet_files_refuses_a_database_path(tmp_path: Path) -> None:
    _frame().to_parquet(tmp_path / "f.parquet", index=False)
    with pytest.raises(ConfigError, match=r"f.parquet.* writes no database; path='.*x.duckdb'"):
        as_duckdb_backend(tmp_path / "f.parquet", path=tmp_path / "x.duckdb")
    assert not (tmp_path / "x.duckdb").exists()
    assert as_duckdb_backend(tmp_path / "f.parquet").nrow == len(_frame())


def test_levels_of_all_factors_come_from_one_query(tmp_path: Path, monkeypatch: Any) -> None:
    backend = as_sqlite_backend(_frame(), tmp_path / "q.sqlite", primary_key="id")
    calls: list[Any] = []
    original = DataBackendIbis._run
    monkeypatch.setattr(DataBackendIbis, "_run",
                        lambda self, q: (calls.append(q), original(self, q))[1])
    info = backend.col_info()
    assert [i.name for i in info if i.type == "factor"] == ["colour", "cls"]
    assert len(calls) == 1


def test_fetching_rows_uses_an_id_table_not_a_literal_list(tmp_path: Path) -> None:
    backend = as_duckdb_backend(_frame(), tmp_path / "j.duckdb", primary_key="id")
    sql = str(ibis.to_sql(backend._restricted(list(range(100, 120))), dialect="duckdb"))
    assert "105" not in sql and "110" not in sql  # no literal list of ids
    assert "IN (SELECT" in " ".join(sql.upper().split()).replace("( ", "(")
    assert ">= 100" in sql and "<= 119" in sql  # and their key range, for the engine to skip


def test_rows_of_a_parquet_directory_are_read_from_their_files_only(tmp_path: Path) -> None:
    frame = _frame(400)
    for i in range(4):
        frame.iloc[100 * i:100 * (i + 1)].to_parquet(tmp_path / f"part-{i}.parquet")
    backend = as_parquet_backend(tmp_path)
    assert backend.data([150, 120, 399, 0], ["id"])["id"].tolist() == [250, 220, 499, 100]
    # a dense part of the rows is read as a key range, which reaches each file's scan:
    # DuckDB's plan reads file 1 and leaves the three others out
    query = backend._query_sorted(np.arange(110, 190), ["x"])
    sql = str(ibis.to_sql(query, dialect="duckdb"))
    plan = "\n".join(row[1] for row in _connect.connection(backend._connector).raw_sql(
        "EXPLAIN " + sql).fetchall())
    assert plan.count("EMPTY_RESULT") == 3
    # sparse ids: the join on the ids, and their key range
    sparse = str(ibis.to_sql(backend._restricted([120, 150, 190]), dialect="duckdb"))
    assert ">= 120" in sparse and "<= 190" in sparse and "150" not in sparse


def test_backend_pickles_without_a_connection(tmp_path: Path) -> None:
    backend = as_sqlite_backend(_frame(200), tmp_path / "p.sqlite", primary_key="id")
    backend.rownames  # noqa: B018 - fills the cache of row ids
    blob = pickle.dumps(backend)
    assert len(blob) < 8000  # the recipe, no data, no row ids
    small = as_sqlite_backend(_frame(20), tmp_path / "p2.sqlite", primary_key="id")
    assert abs(len(pickle.dumps(small)) - len(blob)) < 200


# ---------------------------------------------------------------- bad input
def test_unknown_table_is_named(tmp_path: Path) -> None:
    as_sqlite_backend(_frame(), tmp_path / "u.sqlite")
    with pytest.raises(InputError, match="'flights'.*not in the SQLite file"):
        as_data_backend(str(tmp_path / "u.sqlite"), table="flights")


def test_unknown_primary_key_is_named(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="primary key 'idx'"):
        as_sqlite_backend(_frame(), tmp_path / "k.sqlite", primary_key="idx")


@pytest.mark.parametrize("values, problem", [
    ([1, 2, 2, 3], "duplicated"), ([1.0, 2.0, None, 4.0], "missing"),
])
def test_bad_primary_key_values(tmp_path: Path, values: list[Any], problem: str) -> None:
    frame = pd.DataFrame({"key": pd.array(values, dtype="Int64"), "x": [1.0, 2.0, 3.0, 4.0]})
    with pytest.raises(InputError, match=f"primary key 'key' has.*{problem}"):
        as_duckdb_backend(frame, tmp_path / "b.duckdb", primary_key="key")


def test_primary_key_must_be_integer(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="'colour' must be an integer column"):
        as_duckdb_backend(_frame(), tmp_path / "i.duckdb", primary_key="colour")


def test_unknown_row_id_is_named(tmp_path: Path) -> None:
    backend = as_sqlite_backend(_frame(), tmp_path / "r.sqlite", primary_key="id")
    with pytest.raises(InputError, match="Row ids not in the data: 7"):
        backend.data([100, 7], ["x"])


def test_unsupported_target_type(tmp_path: Path) -> None:
    backend = as_sqlite_backend(_frame(), tmp_path / "tt.sqlite", primary_key="id")
    with pytest.raises(InputError, match="Target column 'colour' of TaskRegr.*numeric"):
        mlr3py.as_task_regr(backend, target="colour")


def test_unsupported_column_type_is_named(tmp_path: Path) -> None:
    con = ibis.duckdb.connect(str(tmp_path / "a.duckdb"))
    con.raw_sql("CREATE TABLE t AS SELECT 1 AS id, [1, 2] AS arr")
    with pytest.raises(InputError, match="Column 'arr' has type"):
        as_data_backend(con.table("t"), primary_key="id")


def test_file_that_is_not_parquet(tmp_path: Path) -> None:
    bad = tmp_path / "notes.parquet"
    bad.write_text("hello, world\n")
    with pytest.raises(InputError, match="notes.parquet' is not a Parquet file"):
        as_parquet_backend(bad)
    with pytest.raises(InputError, match="notes.parquet' is not a Parquet file"):
        as_data_backend(str(bad))
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="'.*empty' holds no"):
        as_parquet_backend(tmp_path / "empty")


def test_unknown_kind_of_data() -> None:
    with pytest.raises(InputError, match="cannot use data of type builtins.int"):
        as_data_backend(42)


@pytest.mark.parametrize("engine", ["sqlite", "duckdb"])
def test_identifiers_are_quoted(tmp_path: Path, engine: str) -> None:
    table = 'odd"; DROP TABLE data; --'
    col = "a\"b'; --"
    frame = pd.DataFrame({"id": [1, 2, 3], col: ["x", "y", "x"], "z;--": [1.0, 2.0, 3.0]})
    path = tmp_path / f"q.{engine}"
    con = getattr(ibis, engine).connect(str(path))
    con.create_table(table, frame)
    con.create_table("data", frame)
    con.disconnect()
    backend = as_data_backend(str(path), table=table, primary_key="id")
    check_data_backend(backend)
    assert backend.data([3, 1], [col])[col].tolist() == ["x", "x"]
    assert backend.missings(None, ["z;--"]) == {"z;--": 0}
    assert "data" in _connect.connection(backend.connector).list_tables()  # nothing dropped


# ---------------------------------------------------------------- connections
def _close_database(backend: Any) -> None:
    """Close this process's connections to a SQLite backend's file (through ibis and, where
    installed, ADBC): to the backend the database went away."""
    _connect.connection(backend.connector).con.close()
    path = _adbc.sqlite_file(backend.connector.engine, backend.connector.args)
    if path is not None:
        _adbc._connection(path).close()


def test_lost_connection_raises_and_reconnects(tmp_path: Path) -> None:
    backend = as_sqlite_backend(_frame(), tmp_path / "l.sqlite", primary_key="id")
    assert backend.data([100], ["x"]).shape == (1, 1)
    _close_database(backend)  # the database goes away
    with pytest.raises(BackendConnectionError, match="Lost the connection.*sqlite"):
        backend.data([100], ["x"])
    assert backend.data([101], ["x"]).shape == (1, 1)  # the next query reconnects


def test_lost_connection_in_a_resample_is_an_error_record(tmp_path: Path) -> None:
    backend = as_sqlite_backend(_frame(60), tmp_path / "rr.sqlite", primary_key="id")
    task = mlr3py.as_task_regr(backend, target="y")
    base = type(mlr3py.lrn("regr.rpart"))
    calls = {"n": 0}

    class Flaky(base):  # type: ignore[misc, valid-type]
        def _train(self, task: Any) -> Any:
            calls["n"] += 1
            if calls["n"] == 2:
                _close_database(backend)
            return super()._train(task)

    learner = Flaky()
    learner.encapsulate("try")
    rr = mlr3py.resample(task, learner, mlr3py.rsmp("cv", folds=3), seed=1)
    errors = rr.errors
    assert len(errors) == 1 and "Lost the connection" in str(errors.iloc[0].to_dict())
    scores = rr.score(mlr3py.msr("regr.rmse"))["regr.rmse"].to_numpy()
    assert np.isfinite(scores[[0, 2]]).all()


def test_in_memory_duckdb_cannot_reconnect_elsewhere() -> None:
    con = ibis.duckdb.connect()
    con.create_table("t", _frame())
    backend = as_data_backend(con.table("t"), primary_key="id")
    assert backend.nrow == 24  # usable in this process
    clone = pickle.loads(pickle.dumps(backend))
    _connect._LIVE.clear()  # as in another process
    _connect._OPEN.pop((clone.connector.key, threading.get_ident()), None)
    with pytest.raises(BackendConnectionError, match="in-memory duckdb"):
        clone.data([100], ["x"])


@pytest.mark.slow
@pytest.mark.subprocess
def test_processes_plan_on_a_database_backend(tmp_path: Path) -> None:
    frame = _frame(90)
    task = mlr3py.as_task_classif(as_duckdb_backend(frame, tmp_path / "pp.duckdb", "id"),
                                  target="cls")
    learner, resampling = mlr3py.lrn("classif.rpart"), mlr3py.rsmp("cv", folds=3)
    seq = mlr3py.resample(task, learner, resampling, seed=5).score()["classif.ce"].to_numpy()
    with mlr3py.plan("processes", workers=2):
        par = mlr3py.resample(task, learner, resampling, seed=5).score()["classif.ce"].to_numpy()
    np.testing.assert_allclose(seq, par)


def test_task_on_parquet_pickles_to_a_size_independent_of_the_table(tmp_path: Path) -> None:
    sizes = []
    for n in (100, 20_000):
        frame = pd.DataFrame({"x": np.arange(n, dtype=float), "y": np.arange(n) % 7 * 1.0})
        frame.to_parquet(tmp_path / f"n{n}.parquet", index=False)
        task = mlr3py.as_task_regr(as_parquet_backend(tmp_path / f"n{n}.parquet"), target="y")
        task.data(rows=[0, 1])  # fills what caches there are
        blob = pickle.dumps(task)
        sizes.append(len(blob))
        clone = pickle.loads(blob)
        np.testing.assert_array_equal(clone.row_ids, np.arange(n))
        assert clone.data(rows=[n - 1])["x"].tolist() == [n - 1.0]
    assert abs(sizes[1] - sizes[0]) < 200, sizes


def test_class_counts_come_from_one_aggregate_query(tmp_path: Path, monkeypatch: Any) -> None:
    backend = as_duckdb_backend(_frame(30), tmp_path / "cc.duckdb", primary_key="id")
    task = mlr3py.as_task_classif(backend, target="cls", positive="yes")
    calls: list[Any] = []
    original = DataBackendIbis._run
    monkeypatch.setattr(DataBackendIbis, "_run",
                        lambda self, q: (calls.append(q), original(self, q))[1])
    assert task.class_counts() == {"yes": 15, "no": 15}
    assert len(calls) == 1
    assert "yes (positive class, 50%)" in repr(task)
    task._use_rows([100, 101, 103, 103])  # repeated rows (a bootstrap sample) count
    assert task.class_counts() == {"yes": 3, "no": 1}
    task.filter([100, 101, 103, 103])  # filter() keeps each row once
    assert task.class_counts() == {"yes": 2, "no": 1}
    assert backend.value_counts(None, "colour") == {"red": 10, "green": 10, "blue": 9}


def test_lazy_backend_over_a_database_passes_on_what_it_is(tmp_path: Path) -> None:
    import functools

    from mlr3py.data import DataBackendLazy

    path = tmp_path / "lazy.sqlite"
    as_sqlite_backend(_frame(), path, primary_key="id")
    opener = functools.partial(as_data_backend, str(path), table="data", primary_key="id")
    lazy = DataBackendLazy(opener, key="lazy-sqlite")
    check_data_backend(lazy)
    assert lazy.in_memory is False
    task = mlr3py.as_task_classif(lazy, target="cls")
    assert task.class_counts() == {"no": 12, "yes": 12}


def test_weights_on_a_database_are_checked(tmp_path: Path) -> None:
    frame = _frame(20).assign(w=np.linspace(0.5, 2.0, 20))
    frame.loc[3, "w"] = -1.0
    backend = as_duckdb_backend(frame, tmp_path / "w.duckdb", primary_key="id")
    task = mlr3py.as_task_regr(backend, target="y")
    with pytest.raises(InputError, match="weights_learner column 'w'.*non-negative"):
        task.set_col_roles("w", roles="weights_learner")
    task.set_col_roles("k", roles="weights_learner")
    assert "weights" in task.properties


def test_sqlite_reads_through_adbc_as_through_ibis(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("adbc_driver_sqlite")
    frame = _frame(80)
    backend = as_sqlite_backend(frame, tmp_path / "a.sqlite", primary_key="id")
    assert backend._sqlite_path == str(tmp_path.resolve() / "a.sqlite")
    rows = [170, 103, 141, 103]
    cols = [c for c in backend.colnames if c != "id"]
    calls = {"adbc": 0}
    real = _adbc.adbc_table

    def counted(*args: Any) -> Any:
        calls["adbc"] += 1
        return real(*args)

    monkeypatch.setattr(_ibis_queries, "adbc_table", counted)
    fast = backend.data(rows, cols)
    fast_matrix = backend.matrix(rows, ["x"])
    assert calls["adbc"] >= 1  # the rows (and the factor levels, on first use)
    slow_backend = as_data_backend(tmp_path / "a.sqlite", primary_key="id", table="data")
    slow_backend._adbc_path = None  # through ibis only
    used = calls["adbc"]
    pd.testing.assert_frame_equal(fast, slow_backend.data(rows, cols))
    np.testing.assert_array_equal(fast_matrix, slow_backend.matrix(rows, ["x"]))
    assert calls["adbc"] == used

    def broken(*args: Any) -> Any:
        raise RuntimeError("no such function")

    monkeypatch.setattr(_ibis_queries, "adbc_table", broken)  # falls back to ibis
    pd.testing.assert_frame_equal(backend.data(rows, cols), fast)


def test_sqlite_backend_indexes_its_primary_key(tmp_path: Path) -> None:
    import sqlite3

    frame = _frame().rename(columns={"id": 'my "id"; --'})
    as_sqlite_backend(frame, tmp_path / "i.sqlite", primary_key='my "id"; --', table="t;1")
    con = sqlite3.connect(tmp_path / "i.sqlite")
    try:
        plan = con.execute('EXPLAIN QUERY PLAN SELECT * FROM "t;1" WHERE "my ""id""; --" = 105')
        assert "USING INDEX" in " ".join(str(row) for row in plan.fetchall())
    finally:
        con.close()


@pytest.mark.parametrize("kind", ["parquet", "duckdb", "sqlite"])
def test_multicore_refuses_backends_that_do_not_survive_fork(tmp_path: Path, kind: str) -> None:
    frame = _frame(60)
    if kind == "parquet":
        frame.to_parquet(tmp_path / "f.parquet")
        backend = as_parquet_backend(tmp_path / "f.parquet")
    elif kind == "duckdb":
        backend = as_duckdb_backend(frame, tmp_path / "f.duckdb", primary_key="id")
    else:
        backend = as_sqlite_backend(frame, tmp_path / "f.sqlite", primary_key="id")
    assert backend.fork_safe == (kind == "sqlite")
    if kind == "sqlite":
        return
    task = mlr3py.as_task_regr(backend, target="k", id="forked")
    learner = mlr3py.lrn("regr.featureless")
    with mlr3py.plan(mlr3py.tweak("multicore", workers=2)), pytest.raises(
            ConfigError, match=r"Task 'forked'.*plan\('processes'\)"):
        mlr3py.resample(task, learner, mlr3py.rsmp("holdout"))
