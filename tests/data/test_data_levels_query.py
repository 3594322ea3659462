"""The factor levels of a database backend's string columns, from one query: polars
categorical columns beside string columns, and tables with many string columns."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import mlr3py
from mlr3py.data import DataBackendIbis, as_data_backend

pytest.importorskip("ibis", reason="needs ibis (pip install 'mlr3py[sql]')")
pl = pytest.importorskip("polars")


@pytest.mark.parametrize("dtype", ["categorical", "enum"])
def test_polars_categorical_and_string_columns_give_levels(dtype: str) -> None:
    kind = pl.Categorical if dtype == "categorical" else pl.Enum(["y", "x", "unused"])
    lf = pl.LazyFrame({"c": pl.Series(["x", "y", "x"], dtype=kind), "s": ["u", "v", "w"],
                       "y": [1.0, 2.0, 3.0]})
    backend = as_data_backend(lf)
    info = {c.name: c for c in backend.col_info()}
    if dtype == "categorical":
        assert info["c"].type == "factor" and info["c"].levels == ("x", "y")
    else:  # an Enum: ordered, with its declared levels (as for an in-memory polars frame)
        assert info["c"].type == "ordered" and info["c"].levels == ("y", "x", "unused")
    assert info["s"].levels == ("u", "v", "w")
    got = backend.data([2, 0], ["c", "s"])
    assert got["c"].tolist() == ["x", "x"] and got["s"].tolist() == ["w", "u"]
    assert backend.distinct([0, 1], ["c", "s"]) == {"c": ["x", "y"], "s": ["u", "v"]}


def test_a_task_on_a_polars_frame_from_pandas_with_a_categorical_column() -> None:
    frame = pd.DataFrame({"c": pd.Categorical(["a", "b", "a", "b"]), "s": list("uvuv"),
                          "y": [1.0, 2.0, 3.0, 4.0]})
    task = mlr3py.as_task_regr(as_data_backend(pl.from_pandas(frame).lazy()), target="y")
    assert task.levels(["c", "s"]) == {"c": ["a", "b"], "s": ["u", "v"]}


@pytest.mark.parametrize("kind", ["duckdb", "sqlite", "polars"])
def test_many_string_columns_give_their_levels_from_one_query(
        kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # DuckDB and polars unpivot the columns (one node, compiled in linear time);
    # SQLite keeps the UNION of one SELECT DISTINCT per column
    n = 120
    frame = pd.DataFrame({f"c{i}": np.array(["a", "b", "c", None], dtype=object)[
        (np.arange(12) + i) % (3 + i % 2)] for i in range(n)})
    frame["y"] = np.arange(12, dtype=float)
    if kind == "duckdb":
        backend = mlr3py.as_duckdb_backend(frame, tmp_path / "w.duckdb")
    elif kind == "sqlite":
        backend = mlr3py.as_sqlite_backend(frame, tmp_path / "w.sqlite")
    else:
        backend = as_data_backend(pl.from_pandas(frame).lazy())
    queries: list[Any] = []
    run = DataBackendIbis._run
    monkeypatch.setattr(DataBackendIbis, "_run",
                        lambda self, q: (queries.append(q), run(self, q))[1])
    levels = {c.name: c.levels for c in backend.col_info() if c.type == "factor"}
    assert len(queries) == 1
    unpivoted = "pivot" in repr(queries[0]).lower() or "unnest" in repr(queries[0]).lower()
    assert unpivoted == (kind != "sqlite")
    assert len(levels) == n
    assert all(levels[f"c{i}"] == ("a", "b", "c") for i in range(n))  # None is no level
    assert backend.distinct([0, 1], ["c0", "c1"]) == {"c0": ["a", "b"], "c1": ["b", "c"]}
