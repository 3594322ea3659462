"""A task over a database with rows added by rbind answers missings, distinct values,
class counts and strata from its parts (aggregate queries on the database), without
reading the database's columns row by row."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("ibis", reason="needs ibis (pip install 'mlr3py[sql]')")
pytest.importorskip("duckdb")

import mlr3py
from mlr3py.data import DataBackend, DataBackendIbis, DataBackendPandas, as_duckdb_backend
from mlr3py.data.composed import DataBackendRbind


def _frame(n: int = 300) -> pd.DataFrame:
    rng = np.random.default_rng(5)
    x = rng.normal(size=n)
    x[[3, 40]] = np.nan
    colour = np.array(["red", "green", "blue"], dtype=object)[rng.integers(0, 3, size=n)]
    colour[7] = None
    return pd.DataFrame({
        "x": x,
        "k": rng.integers(0, 4, size=n),
        "colour": colour,
        "cls": np.array(["no", "yes"], dtype=object)[rng.integers(0, 2, size=n)],
    })


@pytest.fixture
def rows_read(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int]]:
    """(rows, columns) of every frame a database backend's data() returns."""
    shapes: list[tuple[int, int]] = []
    original = DataBackendIbis.data

    def data(self: Any, rows: Any, cols: Any) -> pd.DataFrame:
        out = original(self, rows, cols)
        shapes.append(out.shape)
        return out

    monkeypatch.setattr(DataBackendIbis, "data", data)
    return shapes


def test_rbind_on_a_database_task_reads_no_rows_for_aggregates(
    tmp_path: Path, rows_read: list[tuple[int, int]]
) -> None:
    frame = _frame()
    db = mlr3py.as_task_classif(as_duckdb_backend(frame, tmp_path / "r.duckdb"), target="cls")
    mem = mlr3py.as_task_classif(frame, target="cls")
    extra = frame.head(3).assign(colour=["blue", None, "purple"])
    for task in (db, mem):
        task.filter(np.arange(200))
        task.rbind(extra)
    assert not db.backend.in_memory
    assert rows_read == []  # rbind: class names from an aggregate, not the target column
    got_missings = db.missings()
    assert rows_read == []
    pd.testing.assert_series_equal(got_missings, mem.missings())
    assert db.class_counts() == mem.class_counts()
    assert db.class_names == mem.class_names
    repr(db)
    for task in (db, mem):
        task.set_col_roles(["colour", "k"], add_to="stratum")
    got, want = db.strata, mem.strata
    assert rows_read == []
    assert list(got["N"]) == list(want["N"])
    assert [tuple(np.sort(ids)) for ids in got["row_ids"]] == \
        [tuple(np.sort(ids)) for ids in want["row_ids"]]
    found = db.backend.distinct(db.row_ids, ["colour", "k"])
    assert rows_read == []
    assert set(found["colour"]) == {"red", "green", "blue", "purple"}
    assert sorted(found["k"]) == sorted(frame["k"].head(200).unique())


def _reference(backend: DataBackend) -> dict[str, Any]:
    """Missings, distinct values, value counts and row codes built on data()."""
    return {
        "missings": DataBackend.missings(backend, None, backend.colnames),
        "distinct": DataBackend.distinct(backend, [5, 0, 1], ["x", "s"]),
        "counts": DataBackend.value_counts(backend, None, "s"),
        "codes": DataBackend.row_codes(backend, [5, 0, 1, 2, 6], ["s", "x"]),
    }


def test_rbind_aggregates_equal_those_built_on_data() -> None:
    # b2 replaces row 1 of b1 and lacks column "s"; b1 lacks column "z"
    b1 = DataBackendPandas(pd.DataFrame({
        "x": [1.0, np.nan, 3.0, 1.0], "s": pd.Categorical(["a", "b", None, "a"])}))
    b2 = DataBackendPandas(pd.DataFrame({
        "id": [1, 5, 6], "x": [7.0, 1.0, np.nan], "z": pd.array([1, None, 2], dtype="Int64")}),
        primary_key="id")
    both = DataBackendRbind(b1, b2)
    want = _reference(both)
    assert both.missings(None, both.colnames) == want["missings"]
    assert both.missings([5, 0, 1, 1], ["s", "z"]) == {"s": 3, "z": 2}  # duplicates count
    got = both.distinct([5, 0, 1], ["x", "s"])
    assert {c: set(v) for c, v in got.items()} == \
        {c: set(v) for c, v in want["distinct"].items()}
    assert both.distinct([5, 0], ["s"], na_rm=False) == {"s": ["a", None]}
    assert both.value_counts(None, "s") == want["counts"]
    codes = both.row_codes([5, 0, 1, 2, 6], ["s", "x"])
    ref = want["codes"]
    pd.testing.assert_frame_equal(codes.combos.astype(object), ref.combos.astype(object))
    np.testing.assert_array_equal(codes.codes, ref.codes)
