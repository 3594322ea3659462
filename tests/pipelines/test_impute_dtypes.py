"""Imputed integer features keep an integer dtype in training and at prediction."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mlr3py import as_task_classif
from mlr3py.pipelines import po
from mlr3py.tasks import TaskClassif


def _task(with_missing: bool) -> TaskClassif:
    rng = np.random.default_rng(4)
    frame = pd.DataFrame({"x": rng.normal(size=30), "i": rng.integers(0, 10, size=30),
                          "y": rng.choice(["p", "q"], size=30)})
    if with_missing:
        frame["i"] = frame["i"].astype("Int64")
        frame.loc[[1, 5], "i"] = pd.NA
    return as_task_classif(frame, target="y")


@pytest.mark.parametrize("key", ["imputemean", "imputemedian", "imputeoor", "imputemode"])
def test_integer_missing_only_at_prediction_stays_integer(key: str) -> None:
    op = po(key)
    (trained,) = op.train([_task(with_missing=False)])
    (predicted,) = op.predict([_task(with_missing=True)])
    got = predicted.data(cols=["i"])["i"]
    assert trained.data(cols=["i"])["i"].dtype == np.int64
    assert got.dtype == np.int64
    assert predicted.feature_types.set_index("id").loc["i", "type"] == "integer"
    filled = got.iloc[[1, 5]].to_numpy()
    assert (filled == filled[0]).all() and float(filled[0]).is_integer()


@pytest.mark.parametrize("key", ["imputemean", "imputemedian", "imputeoor"])
def test_integer_missing_in_training_stays_integer(key: str) -> None:
    op = po(key)
    (trained,) = op.train([_task(with_missing=True)])
    (predicted,) = op.predict([_task(with_missing=False)])
    assert trained.data(cols=["i"])["i"].dtype == np.int64
    assert predicted.data(cols=["i"])["i"].dtype == np.int64
    assert trained.missings(["i"])["i"] == 0
