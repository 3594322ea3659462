"""Batches archived without a frame each: the archive's data is the same as when every
batch was archived as a frame, dtypes and None levels included."""

from __future__ import annotations

import pandas as pd
import pytest

from mlr3py import lrn, rsmp, tsk
from mlr3py.params import to_tune
from mlr3py.tuning import ti


@pytest.fixture
def batches() -> list[list[dict[str, object]]]:
    return [[{"max_depth": 2, "criterion": "gini", "max_features": None}],
            [{"max_depth": 3, "criterion": "entropy", "max_features": "sqrt"},
             {"max_depth": 1, "criterion": "gini", "max_features": None}],
            [{"max_depth": 4, "criterion": "gini", "max_features": "sqrt"}]]


def _instance() -> object:
    learner = lrn("classif.rpart", max_depth=to_tune(1, 5),
                  criterion=to_tune(["gini", "entropy"]),
                  max_features=to_tune([None, "sqrt"]))
    return ti(tsk("sonar"), learner, rsmp("holdout"), "classif.ce", term_evals=10, seed=3)


def test_archive_of_rows_equals_archive_of_frames(batches) -> None:
    framed, streamed = _instance(), _instance()
    for xs in batches:
        framed.eval_batch(xs)  # each batch archived as a frame
    streamed.eval_batches(iter(batches))  # archived as rows, one frame when read
    assert streamed.archive._pending  # no frame built yet
    cols = [c for c in framed.archive.data.columns if c not in ("timestamp",
                                                                "runtime_learners",
                                                                "resample_result")]
    pd.testing.assert_frame_equal(streamed.archive.data[cols], framed.archive.data[cols])
    assert streamed.archive.data["max_features"].tolist() == [None, "sqrt", None, "sqrt"]
    assert not streamed.archive._pending
    # rows added after the data was read come after the rows before
    streamed.eval_batches(iter([[{"max_depth": 5, "criterion": "entropy",
                                  "max_features": None}]]))
    assert streamed.archive.data["max_depth"].tolist() == [2, 3, 1, 4, 5]
    assert streamed.archive.data["batch_nr"].tolist() == [1, 2, 2, 3, 4]
