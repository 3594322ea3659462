"""Tests of PredictionRegr."""

from __future__ import annotations

import numpy as np
import pytest

from mlr3py.errors import InputError
from mlr3py.predictions import PredictionRegr


@pytest.fixture
def pred() -> PredictionRegr:
    return PredictionRegr([3, 4, 5], truth=[1.0, 2.0, 3.0], response=[1.5, 2.0, 2.0],
                          se=[0.1, 0.2, 0.3])


def test_accessors(pred: PredictionRegr) -> None:
    assert pred.task_type == "regr"
    assert pred.predict_types == ["response", "se"]
    np.testing.assert_allclose(pred.truth, [1, 2, 3])
    np.testing.assert_allclose(pred.se, [0.1, 0.2, 0.3])
    assert pred.row_ids.dtype == np.int64
    assert len(pred) == 3


def test_score_defaults_to_mse(pred: PredictionRegr) -> None:
    assert pred.score()["regr.mse"] == pytest.approx((0.25 + 0 + 1) / 3)


def test_as_data_frame(pred: PredictionRegr) -> None:
    df = pred.as_data_frame()
    assert list(df.columns) == ["row_ids", "truth", "response", "se"]
    assert df["response"].tolist() == [1.5, 2.0, 2.0]


def test_missing_and_filter() -> None:
    p = PredictionRegr([1, 2, 3], truth=[1, 2, 3], response=[1.0, np.nan, 3.0])
    assert p.missing.tolist() == [2]
    assert p.predict_types == ["response"]
    p.filter([3, 1])
    assert p.row_ids.tolist() == [1, 3]
    assert p.missing.size == 0


def test_repr(pred: PredictionRegr) -> None:
    assert repr(pred).startswith("<PredictionRegr> for 3 observations:")


def test_bad_input() -> None:
    with pytest.raises(InputError, match="numeric"):
        PredictionRegr([0], truth=["a"], response=[1.0])
    with pytest.raises(InputError, match="one entry per row id"):
        PredictionRegr([0, 1], truth=[1.0, 2.0], response=[1.0])
    with pytest.raises(InputError, match="se"):
        PredictionRegr([0], truth=[1.0], response=[1.0], se=[-1.0])
