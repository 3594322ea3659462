"""Strata and groups of a task on a database come from aggregate queries."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("ibis")
pytest.importorskip("duckdb")

import mlr3py
from mlr3py.data import DataBackendIbis, as_duckdb_backend, as_sqlite_backend


def _frame(n: int = 120) -> pd.DataFrame:
    rng = np.random.default_rng(8)
    colour = np.array(["red", "green", "blue"], dtype=object)[rng.integers(0, 3, size=n)]
    colour[[4, 50]] = None  # a stratum of its own
    return pd.DataFrame({
        "id": np.arange(500, 500 + n, dtype=np.int64),
        "colour": colour,
        "size": rng.integers(0, 2, size=n),
        "user": rng.integers(0, 15, size=n),
        "x": rng.normal(size=n),
        "y": rng.normal(size=n),
    })


def _tasks(tmp_path: Path, engine: str) -> tuple[Any, Any]:
    frame = _frame()
    writer = as_duckdb_backend if engine == "duckdb" else as_sqlite_backend
    db = mlr3py.as_task_regr(writer(frame, tmp_path / f"t.{engine}", "id"), target="y")
    factors = {"colour": pd.Categorical(frame["colour"], categories=["blue", "green", "red"])}
    mem = mlr3py.as_task_regr(mlr3py.as_data_backend(frame.assign(**factors), "id"), target="y")
    return db, mem


@pytest.fixture
def no_column_pulls(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading the rows of a database backend fails: only aggregates and row ids are read."""
    def refuse(self: Any, rows: Any, cols: Any) -> Any:
        raise AssertionError(f"whole-column pull of {list(cols)}")

    monkeypatch.setattr(DataBackendIbis, "data", refuse)
    monkeypatch.setattr(DataBackendIbis, "matrix", refuse)


@pytest.mark.parametrize("engine", ["duckdb", "sqlite"])
def test_strata_and_groups_equal_in_memory(tmp_path: Path, engine: str) -> None:
    db, mem = _tasks(tmp_path, engine)
    rows = np.asarray(db.row_ids)[::-1][:90]  # a filtered task in another order
    for task in (db, mem):
        task.filter(rows)
        task.set_col_roles(["colour", "size"], add_to="stratum")
    want = mem.strata
    got = db.strata
    assert got.index.equals(want.index) and list(got["N"]) == list(want["N"])
    for a, b in zip(got["row_ids"], want["row_ids"], strict=True):
        np.testing.assert_array_equal(a, b)
    for task in (db, mem):
        task.set_col_roles(["colour", "size"], remove_from="stratum")
        task.set_col_roles("user", roles="group")
    pd.testing.assert_frame_equal(db.groups, mem.groups, check_dtype=False)


def test_stratified_and_grouped_resampling_read_no_columns(
    tmp_path: Path, no_column_pulls: None
) -> None:
    db, mem = _tasks(tmp_path, "duckdb")
    for task in (db, mem):
        task.set_col_roles("colour", add_to="stratum")
    a = mlr3py.rsmp("cv", folds=3).instantiate(db, seed=4)
    b = mlr3py.rsmp("cv", folds=3).instantiate(mem, seed=4)
    for i in range(3):
        np.testing.assert_array_equal(a.test_set(i), b.test_set(i))
    for task in (db, mem):
        task.set_col_roles("colour", remove_from="stratum")
        task.set_col_roles("user", roles="group")
    a = mlr3py.rsmp("subsampling", ratio=0.5, repeats=2).instantiate(db, seed=4)
    b = mlr3py.rsmp("subsampling", ratio=0.5, repeats=2).instantiate(mem, seed=4)
    for i in range(2):
        np.testing.assert_array_equal(a.train_set(i), b.train_set(i))
