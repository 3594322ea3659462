"""Integer and logical columns with missing values on database backends: one dtype per
column whatever rows are read (nullable ``Int64`` / ``boolean`` where the column holds
missing values, as in memory), ``dtypes`` that match ``data()``, rbind that keeps them,
and learners that train on them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("ibis", reason="needs ibis (pip install 'mlr3py[sql]')")
pytest.importorskip("duckdb")

import mlr3py
from mlr3py.data import (
    DataBackendPandas,
    as_data_backend,
    as_duckdb_backend,
    as_parquet_backend,
    as_sqlite_backend,
)
from mlr3py.data.composed import DataBackendRbind
from mlr3py.testing import check_data_backend


def _frame(n: int = 40) -> pd.DataFrame:
    rng = np.random.default_rng(11)
    i = pd.array(rng.integers(0, 9, size=n), dtype="Int64")
    i[[1, 6, 17]] = pd.NA
    b = pd.array(rng.random(n) < 0.5, dtype="boolean")
    b[[2, 6, 30]] = pd.NA
    return pd.DataFrame({
        "i": i,
        "b": b,
        "k": np.arange(n, dtype=np.int64) % 4,  # integer without missing values
        "flag": np.arange(n) % 3 == 0,  # logical without missing values
        "x": rng.normal(size=n),
        "y": rng.normal(size=n),
        "cls": np.array(["no", "yes"], dtype=object)[rng.integers(0, 2, size=n)],
    })


def _duckdb(frame: pd.DataFrame, tmp: Path) -> Any:
    return as_duckdb_backend(frame, tmp / "t.duckdb")


def _sqlite(frame: pd.DataFrame, tmp: Path) -> Any:
    return as_sqlite_backend(frame, tmp / "t.sqlite")


def _parquet(frame: pd.DataFrame, tmp: Path) -> Any:
    frame.to_parquet(tmp / "t.parquet", index=False)
    return as_parquet_backend(tmp / "t.parquet")


ENGINES: dict[str, Callable[[pd.DataFrame, Path], Any]] = {
    "duckdb": _duckdb, "sqlite": _sqlite, "parquet": _parquet,
}


@pytest.mark.parametrize("engine", list(ENGINES))
def test_integer_and_logical_columns_keep_their_dtype_whatever_rows(
    tmp_path: Path, engine: str
) -> None:
    backend = ENGINES[engine](_frame(), tmp_path)
    want = {"i": pd.Int64Dtype(), "b": pd.BooleanDtype(),
            "k": np.dtype(np.int64), "flag": np.dtype(bool)}
    assert {c: backend.dtypes[c] for c in want} == want
    # the same as the in-memory backend over the same frame
    memory = as_data_backend(_frame())
    assert {c: memory.dtypes[c] for c in want} == want
    for rows in ([5, 0, 2], [0, 3], None, [], list(range(39, -1, -1))):
        got = backend.data(rows, list(want))
        assert dict(got.dtypes) == want, rows
    got = backend.data([6, 0, 1], ["i", "b"])
    assert got["i"].tolist()[1:] == [_frame()["i"][0], pd.NA]
    assert got["i"].isna().tolist() == [True, False, True]
    assert got["b"].isna().tolist() == [True, False, False]


@pytest.mark.parametrize("engine", list(ENGINES))
def test_conformance_on_nullable_integer_and_logical_columns(
    tmp_path: Path, engine: str
) -> None:
    check_data_backend(ENGINES[engine](_frame(), tmp_path))


def test_rbind_on_a_database_task_keeps_integer_and_logical_columns(tmp_path: Path) -> None:
    frame = _frame()
    task = mlr3py.as_task_regr(_duckdb(frame, tmp_path), target="y")
    task.rbind(frame.head(2))
    data = task.data()
    assert data["i"].dtype == pd.Int64Dtype() and data["b"].dtype == pd.BooleanDtype()
    assert data["k"].dtype == np.dtype(np.int64) and data["flag"].dtype == np.dtype(bool)
    new = task.data(rows=[40, 41], cols=["i", "b", "flag"])
    assert new["i"].tolist() == frame["i"].head(2).tolist()
    assert new["b"].tolist() == frame["b"].head(2).tolist()
    assert new["flag"].tolist() == [True, False]
    assert dict(task.feature_types.set_index("id")["type"]) == {
        "i": "integer", "b": "logical", "k": "integer", "flag": "logical", "x": "numeric",
        "cls": "factor"}


def test_rbind_union_of_numpy_and_nullable_dtypes() -> None:
    b1 = DataBackendPandas(pd.DataFrame({"i": [1, 2], "b": [True, False], "z": [1, 2]}))
    b2 = DataBackendPandas(pd.DataFrame({
        "..row_id": [2, 3], "i": pd.array([None, 4], dtype="Int64"),
        "b": pd.array([True, None], dtype="boolean")}), primary_key="..row_id")
    both = DataBackendRbind(b1, b2)
    assert both.dtypes == {"i": pd.Int64Dtype(), "b": pd.BooleanDtype(), "z": pd.Int64Dtype()}
    got = both.data([3, 0, 2], ["i", "b", "z"])
    assert dict(got.dtypes) == {"i": pd.Int64Dtype(), "b": pd.BooleanDtype(),
                                "z": pd.Int64Dtype()}
    assert got["i"].tolist() == [4, 1, pd.NA]
    assert got["b"].tolist() == [pd.NA, True, True]
    assert got["z"].tolist() == [pd.NA, 1, pd.NA]


@pytest.mark.parametrize("task_type", ["regr", "classif"])
def test_rpart_resamples_a_database_task_with_missing_integers_and_logicals(
    tmp_path: Path, task_type: str
) -> None:
    frame = _frame()
    if task_type == "regr":
        task: Any = mlr3py.as_task_regr(_duckdb(frame.drop(columns="cls"), tmp_path),
                                         target="y")
    else:
        task = mlr3py.as_task_classif(_duckdb(frame.drop(columns="y"), tmp_path),
                                      target="cls")
    task.rbind(frame.drop(columns="cls" if task_type == "regr" else "y").head(3))
    assert task.missings()[["i", "b"]].tolist() == [4, 4]  # 3 + 1 among the rows added
    learner = mlr3py.lrn(f"{task_type}.rpart")
    assert "missings" in learner.properties
    result = mlr3py.resample(task, learner, mlr3py.rsmp("cv", folds=3), seed=1)
    assert not result.errors.shape[0]
    assert np.isfinite(result.aggregate().iloc[0])


def test_rows_fetched_for_a_learner_keep_the_tables_dtypes(tmp_path: Path) -> None:
    # rows 0, 3, 4 and 5 hold no missing value, yet the columns hold some: their
    # rows stay nullable, and dtypes says so
    from mlr3py.data.fetched import DataBackendFetched

    frame = _frame()
    backend = _duckdb(frame, tmp_path)
    rows = [int(r) for r in backend.rownames[[0, 3, 4, 5]]]
    fetched = DataBackendFetched(backend, rows, ["i", "b"])
    assert fetched.dtypes["i"] == backend.dtypes["i"] == pd.Int64Dtype()
    assert fetched.dtypes["b"] == backend.dtypes["b"] == pd.BooleanDtype()
    check_data_backend(fetched)
