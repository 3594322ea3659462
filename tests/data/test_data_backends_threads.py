"""Database backends under the threads plan: each thread queries through its own connection."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import mlr3py
from mlr3py import lrn, rsmp

ibis = pytest.importorskip("ibis", reason="needs ibis (pip install 'mlr3py[sql]')")
duckdb = pytest.importorskip("duckdb")

from mlr3py.data import as_data_backend  # noqa: E402
from mlr3py.tasks import as_task_classif  # noqa: E402


def _frame(n: int = 40_000) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(rng.normal(size=(n, 4)), columns=["a", "b", "c", "d"])
    frame["y"] = np.where(frame["a"] + rng.normal(size=n) > 0, "p", "n")
    frame["id"] = np.arange(n, dtype=np.int64)
    return frame


def _duckdb_file(tmp_path: Path, frame: pd.DataFrame) -> Any:
    path = tmp_path / "t.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE t AS SELECT * FROM frame")
    con.close()
    return as_data_backend(str(path), table="t", primary_key="id")


def _sqlite_file(tmp_path: Path, frame: pd.DataFrame) -> Any:
    path = tmp_path / "t.sqlite"
    con = sqlite3.connect(path)
    frame.to_sql("t", con, index=False)
    con.close()
    return as_data_backend(str(path), table="t", primary_key="id")


def _duckdb_live(tmp_path: Path, frame: pd.DataFrame) -> Any:
    con = ibis.duckdb.connect()
    con.create_table("t", frame)
    return as_data_backend(con.table("t"), primary_key="id")


@pytest.mark.parametrize("make", [_duckdb_file, _sqlite_file, _duckdb_live],
                         ids=["duckdb-file", "sqlite-file", "duckdb-in-memory"])
def test_threads_plan_gives_the_sequential_scores(tmp_path: Path, make: Any) -> None:
    frame = _frame()
    task = as_task_classif(make(tmp_path, frame), target="y")
    # small prediction chunks: each test set is streamed in several chunks while the
    # other thread queries
    old_chunk = mlr3py.options.predict_chunk_size
    mlr3py.options.predict_chunk_size = 2_000
    try:
        scores = {}
        for name, kwargs in [("sequential", {}), ("threads", {"workers": 2})]:
            mlr3py.plan(name, **kwargs)
            rr = mlr3py.resample(task, lrn("classif.rpart", max_depth=4), rsmp("cv", folds=4),
                                 seed=1)
            assert rr.errors.empty, rr.errors
            scores[name] = rr.score()["classif.ce"].to_numpy()
    finally:
        mlr3py.plan("sequential")
        mlr3py.options.predict_chunk_size = old_chunk
    np.testing.assert_array_equal(scores["threads"], scores["sequential"])
