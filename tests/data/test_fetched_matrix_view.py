"""A training set read from files gives its float columns to learners without a copy."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from mlr3py import as_parquet_backend, as_task_regr

pytest.importorskip("duckdb", reason="needs the sql extra (pip install 'mlr3py[sql]')")


def _task(tmp_path: Path) -> tuple[object, pd.DataFrame]:
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(rng.normal(size=(500, 4)), columns=list("abcd"))
    frame["y"] = frame["a"] * 2.0
    path = tmp_path / "t.parquet"
    frame.to_parquet(path)
    return as_task_regr(as_parquet_backend(path), target="y"), frame


def test_the_features_of_fetched_rows_are_a_read_only_view(tmp_path: Path) -> None:
    task, frame = _task(tmp_path)
    rows = np.arange(0, 500, 3)
    view = task.fetch(rows)
    matrix = view.data_matrix(cols=["a", "b", "c", "d"])
    np.testing.assert_array_equal(matrix, frame.loc[rows, list("abcd")].to_numpy())
    assert not matrix.flags.writeable  # the fetched rows' block itself
    with pytest.raises(ValueError, match="read-only"):
        matrix[0, 0] = 1.0
    again = view.data_matrix(cols=["a", "b", "c", "d"])
    assert np.shares_memory(matrix, again)


def test_columns_out_of_their_order_are_copied(tmp_path: Path) -> None:
    task, frame = _task(tmp_path)
    rows = np.arange(0, 500, 7)
    matrix = task.fetch(rows).data_matrix(cols=["c", "a"])
    np.testing.assert_array_equal(matrix, frame.loc[rows, ["c", "a"]].to_numpy())
    assert matrix.flags.writeable
