"""Learners on database tasks read fetched copies: one query per training set and per
chunk of a test set, with the predictions of a single call."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("ibis")
pytest.importorskip("duckdb")

import mlr3py
from mlr3py.data import DataBackendIbis, as_duckdb_backend
from mlr3py.data.fetched import DataBackendFetched


def _frame(n: int = 90) -> pd.DataFrame:
    rng = np.random.default_rng(5)
    x = rng.normal(size=n)
    x[[3, 11]] = np.nan
    return pd.DataFrame({
        "id": np.arange(1000, 1000 + n, dtype=np.int64),
        "x": x,
        "z": rng.normal(size=n),
        "colour": np.array(["red", "green", "blue"], dtype=object)[np.arange(n) % 3],
        "cls": np.array(["no", "yes"], dtype=object)[(rng.normal(size=n) > 0).astype(int)],
        "y": rng.normal(size=n),
    })


@pytest.fixture
def queries(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The queries database backends run (appended as they run)."""
    calls: list[Any] = []
    run, matrix = DataBackendIbis._run, DataBackendIbis.matrix
    stream = DataBackendIbis.stream_frames
    monkeypatch.setattr(DataBackendIbis, "_run",
                        lambda self, q: (calls.append(q), run(self, q))[1])
    monkeypatch.setattr(DataBackendIbis, "matrix",
                        lambda self, r, c: (calls.append("matrix"), matrix(self, r, c))[1])
    monkeypatch.setattr(DataBackendIbis, "stream_frames",
                        lambda self, *a: (calls.append("stream"), stream(self, *a))[1])
    return calls


@pytest.fixture
def chunk_size() -> Iterator[None]:
    old = mlr3py.options.predict_chunk_size
    yield
    mlr3py.options.predict_chunk_size = old


def test_fetch_reads_all_columns_once_on_first_use(tmp_path: Path, queries: list[Any]) -> None:
    frame = _frame()
    task = mlr3py.as_task_classif(as_duckdb_backend(frame, tmp_path / "f.duckdb", "id"),
                                  target="cls")
    task.col_roles["feature"] = ["x", "colour"]
    rows = [1005, 1001, 1001, 1089]
    want_data, want_truth = task.data(rows), task.truth(rows)
    want_missings = want_data.isna().sum().to_dict()
    task.levels()
    queries.clear()
    view = task.fetch(rows)
    assert isinstance(view.backend, DataBackendFetched) and not view.backend.is_loaded
    assert queries == []  # nothing read yet
    pd.testing.assert_frame_equal(view.data(), want_data)
    pd.testing.assert_series_equal(pd.Series(view.truth()), pd.Series(want_truth))
    assert view.missings().to_dict() == want_missings
    assert len(queries) == 1  # features, target, missings
    assert list(view.row_ids) == rows and view.nrow == 4 and task.nrow == 90
    # levels and classes are those of the whole table, not of the rows fetched
    assert view.levels(["colour"]) == {"colour": ["blue", "green", "red"]}
    assert view.class_names == task.class_names
    with pytest.raises(mlr3py.errors.InputError, match="5"):
        task.fetch([5])


@pytest.mark.parametrize("size", [7, 40, 10_000])
def test_chunked_prediction_equals_in_memory(
    tmp_path: Path, size: int, chunk_size: None, queries: list[Any]
) -> None:
    frame = _frame()
    db = mlr3py.as_task_classif(as_duckdb_backend(frame, tmp_path / "p.duckdb", "id"),
                                target="cls")
    factors = {"colour": frame["colour"].astype("category")}
    mem = mlr3py.as_task_classif(mlr3py.as_data_backend(frame.assign(**factors), "id"),
                                 target="cls")
    learner = mlr3py.lrn("classif.rpart", predict_type="prob", max_depth=3)
    learner.train(mem, row_ids=list(range(1000, 1045)))
    rows = [*range(1089, 1030, -1), 1031, 1031]  # unsorted, a duplicate
    mlr3py.options.predict_chunk_size = size
    queries.clear()
    got = learner.predict(db, rows)
    want = learner.predict(mem, rows)
    assert len(queries) == 1  # chunks stream from one query
    assert queries[0] == ("stream" if size < len(rows) else queries[0])
    np.testing.assert_array_equal(got.row_ids, rows)
    np.testing.assert_array_equal(got.row_ids, want.row_ids)
    pd.testing.assert_series_equal(pd.Series(got.truth), pd.Series(want.truth))
    pd.testing.assert_series_equal(pd.Series(got.response), pd.Series(want.response))
    np.testing.assert_array_equal(got.prob, want.prob)


def test_chunks_are_written_into_one_prediction_on_the_ids_asked_for(
    tmp_path: Path, chunk_size: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Predicting in chunks allocates the prediction once and writes each chunk into it:
    no list of chunk predictions concatenated at the end, and its row ids are a
    read-only view of the sorted ids asked for, not a copy."""
    from mlr3py.learners import _fetch

    frame = _frame()
    db = mlr3py.as_task_regr(as_duckdb_backend(frame.drop(columns=["colour", "cls"]),
                                               tmp_path / "w.duckdb", "id"), target="y")
    mem = mlr3py.as_task_regr(mlr3py.as_data_backend(frame.drop(columns=["colour", "cls"]),
                                                     "id"), target="y")
    learner = mlr3py.lrn("regr.rpart", max_depth=3)
    learner.train(mem, row_ids=list(range(1000, 1040)))

    def no_concatenation(parts: Any) -> Any:
        raise AssertionError("chunk predictions were concatenated")

    monkeypatch.setattr(_fetch, "combine_predictions", no_concatenation)
    mlr3py.options.predict_chunk_size = 8
    ids = np.arange(1003, 1090, dtype=np.int64)  # sorted: 11 chunks
    got = learner.predict(db, ids)
    want = learner.predict(mem, ids)
    assert np.shares_memory(got.row_ids, ids) and not got.row_ids.flags.writeable
    np.testing.assert_array_equal(got.row_ids, want.row_ids)
    np.testing.assert_array_equal(got.truth, want.truth)
    np.testing.assert_array_equal(got.response, want.response)
    assert got.truth.dtype == want.truth.dtype and got.response.dtype == want.response.dtype
    rows = np.array([1080, 1004, 1004, *range(1010, 1030)])  # unsorted, a duplicate
    got = learner.predict(db, rows)
    np.testing.assert_array_equal(got.row_ids, rows)
    np.testing.assert_array_equal(got.response, learner.predict(mem, rows).response)
    assert not np.shares_memory(got.row_ids, rows)  # put in the order asked for


def test_chunks_of_a_prediction_class_without_row_fields_are_concatenated(
    tmp_path: Path, chunk_size: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Prediction subclass that does not declare its per-row fields cannot be filled in
    place: its chunks are concatenated and put in the order asked for, as before."""
    from mlr3py.predictions import PredictionRegr

    frame = _frame().drop(columns=["colour", "cls"])
    db = mlr3py.as_task_regr(as_duckdb_backend(frame, tmp_path / "c.duckdb", "id"), target="y")
    mem = mlr3py.as_task_regr(mlr3py.as_data_backend(frame, "id"), target="y")
    learner = mlr3py.lrn("regr.rpart", max_depth=3)
    learner.train(mem, row_ids=list(range(1000, 1040)))
    monkeypatch.setattr(PredictionRegr, "_row_fields", None)
    mlr3py.options.predict_chunk_size = 8
    rows = [1080, 1004, 1004, *range(1010, 1030)]
    got, want = learner.predict(db, rows), learner.predict(mem, rows)
    np.testing.assert_array_equal(got.row_ids, rows)
    np.testing.assert_array_equal(got.truth, want.truth)
    np.testing.assert_array_equal(got.response, want.response)


def test_resample_on_a_database_reads_one_query_per_set(
    tmp_path: Path, chunk_size: None, queries: list[Any]
) -> None:
    frame = _frame()
    db = mlr3py.as_task_regr(as_duckdb_backend(frame.drop(columns=["colour", "cls"]),
                                               tmp_path / "r.duckdb", "id"), target="y")
    db.col_roles["feature"] = ["z"]
    mem = mlr3py.as_task_regr(frame.drop(columns=["colour", "cls"]), target="y")
    mem.col_roles["feature"] = ["z"]
    resampling = mlr3py.rsmp("subsampling", ratio=0.3, repeats=3)
    learner = mlr3py.lrn("regr.rpart")
    mlr3py.options.predict_chunk_size = 25  # 63 test rows: 3 chunks, streamed
    db.missings()  # cached aggregate, as a first resample would leave it
    queries.clear()
    a = mlr3py.resample(db, learner, resampling, seed=3)
    assert len(queries) == 3 * (1 + 1) and queries.count("stream") == 3
    b = mlr3py.resample(mem, learner, resampling, seed=3)
    for i in range(3):
        pa, pb = a.predictions()[i], b.predictions()[i]
        np.testing.assert_array_equal(pa.row_ids - 1000, pb.row_ids)
        np.testing.assert_array_equal(pa.response, pb.response)
        np.testing.assert_array_equal(pa.truth, pb.truth)


def test_predict_chunk_size_option_is_checked(chunk_size: None) -> None:
    with pytest.raises(mlr3py.errors.ConfigError, match="predict_chunk_size.*>= 1.*0"):
        mlr3py.options.predict_chunk_size = 0


def test_stream_frames_hands_over_chunks(tmp_path: Path) -> None:
    backend = as_duckdb_backend(_frame(), tmp_path / "s.duckdb", "id")
    backend.stream_batch_rows = 4  # Arrow batches smaller than the chunks
    rows = [1070, 1003, 1003, *range(1010, 1060)]
    frames: list[pd.DataFrame] = []
    backend.stream_frames(rows, ["x", "colour"], 9, frames.append)
    assert all(len(f) <= 9 for f in frames) and sum(len(f) for f in frames) == 52
    got = pd.concat(frames).sort_index()
    pd.testing.assert_frame_equal(got, backend.data(sorted(set(rows)), ["x", "colour"]))
    with pytest.raises(mlr3py.errors.InputError, match="5000"):
        backend.stream_frames([1001, 5000], ["x"], 9, frames.append)


def test_a_frame_read_already_keeps_its_order_and_gives_its_matrix_without_a_cache(
    tmp_path: Path,
) -> None:
    """A chunk of a stream arrives in the engine's order: the fetched backend keeps that
    order (sorting would copy the frame), and the matrix of all its rows comes straight
    from the frame (no cached block of all numeric columns, a second copy)."""
    source = as_duckdb_backend(_frame(), tmp_path / "o.duckdb", "id")
    rows = np.array([1050, 1002, 1017, 1033], dtype=np.int64)
    frame = source.data(rows, ["x", "z", "y"])
    backend = DataBackendFetched(source, frame.index.to_numpy(), ["x", "z", "y"], frame)
    assert list(backend.rownames) == list(rows)
    want = frame[["z", "x"]].to_numpy()
    np.testing.assert_array_equal(backend.matrix(rows, ["z", "x"]), want)
    np.testing.assert_array_equal(backend.matrix(None, ["z", "x"]), want)
    assert backend._fetched()._numeric is None
    np.testing.assert_array_equal(backend.matrix([1017, 1050], ["y"]),
                                  frame.loc[[1017, 1050], ["y"]].to_numpy())
    with pytest.raises(mlr3py.errors.InputError):
        backend.matrix(None, ["nope"])
    # rows with duplicates, or a frame in another order than the rows: sorted, as before
    backend = DataBackendFetched(source, [1050, 1002, 1002], ["x"], frame.loc[[1050, 1002]])
    assert list(backend.rownames) == [1002, 1050]


def test_fetched_backend_passes_the_conformance_checks(tmp_path: Path) -> None:
    from mlr3py.testing import check_data_backend

    source = as_duckdb_backend(_frame(), tmp_path / "c.duckdb", "id")
    backend = DataBackendFetched(source, [1050, 1002, 1017, 1002, 1033], ["x", "colour", "cls"])
    check_data_backend(backend)
    assert list(backend.rownames) == [1002, 1017, 1033, 1050]


def test_duckdb_connections_print_no_progress_bar(tmp_path: Path) -> None:
    """Long queries (a stream of predictions) must not write DuckDB's progress bar to
    standard output."""
    from mlr3py.data import _connect, as_parquet_backend

    frame = _frame()
    frame.to_parquet(tmp_path / "p.parquet", index=False)
    for backend in (as_duckdb_backend(frame, tmp_path / "q.duckdb", "id"),
                    as_parquet_backend(tmp_path / "p.parquet")):
        con = _connect.connection(backend.connector)
        setting = con.raw_sql("SELECT current_setting('enable_progress_bar')").fetchall()
        assert setting == [(False,)]


@pytest.mark.parametrize("engine", ["duckdb", "sqlite"])
def test_most_of_a_table_by_id_gives_exactly_the_rows_asked(tmp_path: Path, engine: str) -> None:
    # Most rows are read by one scan (SQLite: without the key's index); the rows not asked
    # for, inside and outside the asked ids' range, must not come back.
    frame = _frame()
    if engine == "sqlite":
        backend = mlr3py.as_sqlite_backend(frame, tmp_path / "m.sqlite", primary_key="id")
    else:
        backend = as_duckdb_backend(frame, tmp_path / "m.duckdb", "id")
    rows = [r for r in range(1005, 1085) if r % 7 != 0]  # 69 of 90: gaps, not the ends
    frames: list[pd.DataFrame] = []
    backend.stream_frames(rows, ["x", "z"], 1000, frames.append)
    got = pd.concat(frames).sort_index()
    assert list(got.index) == rows
    pd.testing.assert_frame_equal(got, backend.data(rows, ["x", "z"]))
    matrix = backend.matrix(rows[::-1], ["x", "z"])
    np.testing.assert_array_equal(matrix, frame.set_index("id").loc[rows[::-1], ["x", "z"]]
                                  .to_numpy())


def test_duckdb_threads_follow_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """MLR3PY_DB_THREADS (worker processes set it to 1; MLR3PY_DUCKDB_THREADS is its former
    name) caps the threads of the DuckDB databases mlr3py opens; without it DuckDB keeps
    its default, and a value that is not a positive integer is an error naming it."""
    from mlr3py.data import _connect, as_parquet_backend
    from mlr3py.errors import ConfigError

    frame = _frame()
    frame.to_parquet(tmp_path / "t.parquet", index=False)
    backends = (as_duckdb_backend(frame, tmp_path / "t.duckdb", "id"),
                as_parquet_backend(tmp_path / "t.parquet"))

    def threads() -> list[int]:
        out = []
        for backend in backends:
            _connect.drop_connection(backend.connector)
            con = _connect.connection(backend.connector)
            out.append(int(con.raw_sql("SELECT current_setting('threads')").fetchone()[0]))
        return out

    monkeypatch.delenv("MLR3PY_DUCKDB_THREADS", raising=False)
    monkeypatch.setenv("MLR3PY_DB_THREADS", "1")
    assert threads() == [1, 1]
    monkeypatch.setenv("MLR3PY_DB_THREADS", "3")
    assert threads() == [3, 3]
    monkeypatch.setenv("MLR3PY_DUCKDB_THREADS", "2")  # the new name wins
    assert threads() == [3, 3]
    monkeypatch.delenv("MLR3PY_DB_THREADS")
    assert threads() == [2, 2]
    monkeypatch.setenv("MLR3PY_DB_THREADS", "many")
    with pytest.raises(ConfigError, match="MLR3PY_DB_THREADS.*'many'"):
        threads()
    monkeypatch.delenv("MLR3PY_DB_THREADS")
    monkeypatch.delenv("MLR3PY_DUCKDB_THREADS")
    import duckdb

    default = int(duckdb.connect().execute("SELECT current_setting('threads')").fetchone()[0])
    assert threads() == [default, default]
