"""A learner that leaves rows out of its prediction (predict_missing_type="omit") on files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from mlr3py import as_parquet_backend, as_task_classif, lrn, options

pytest.importorskip("duckdb", reason="needs the sql extra (pip install 'mlr3py[sql]')")


def test_rows_left_out_are_dropped_not_left_uninitialised(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(rng.normal(size=(3000, 3)), columns=list("abc"))
    frame["cls"] = np.where(frame["a"] > 0, "p", "n")
    path = tmp_path / "t.parquet"
    frame.to_parquet(path)
    task = as_task_classif(as_parquet_backend(path), target="cls")
    options.predict_chunk_size = 500  # the test set streams in chunks
    learner = lrn("classif.debug", predict_missing=0.5, predict_missing_type="omit")
    learner.train(task, np.arange(1000))
    asked = np.arange(1000, 3000)[::-1]  # descending: the prediction keeps this order
    prediction = learner.predict(task, asked)
    ids = prediction.row_ids
    assert 0 < len(ids) < len(asked)
    assert np.isin(ids, asked).all() and bool(np.all(np.diff(ids) < 0))
    np.testing.assert_array_equal(prediction.truth.astype(str),
                                  frame.loc[ids, "cls"].to_numpy())
    assert set(prediction.response.astype(str)) <= {"n", "p"}
