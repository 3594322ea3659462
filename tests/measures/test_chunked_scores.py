"""Scores summed chunk by chunk (Measure.mean_loss, ChunkedScore) equal whole scores."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from mlr3py import as_task_classif, as_task_regr, lrn, mlr_measures, msr
from mlr3py.measures import MeasureRegrSimple
from mlr3py.measures._chunked import ChunkedScore, MeanLoss
from mlr3py.testing import ConformanceError, check_measure_mean_loss


def _weighted_task(kind: str) -> object:
    rng = np.random.default_rng(5)
    n = 400
    frame = pd.DataFrame({"a": rng.normal(size=n), "b": rng.normal(size=n),
                          "w": rng.uniform(0.1, 3.0, size=n)})
    if kind == "regr":
        frame["y"] = np.abs(2.0 * frame["a"] + rng.normal(size=n)) + 1.0  # msle: > -1
        task = as_task_regr(frame, target="y", id="weighted")
    else:
        frame["y"] = np.where(frame["a"] + rng.normal(size=n) > 0, "yes", "no")
        task = as_task_classif(frame, target="y", id="weighted")
    task.col_roles["weights_measure"] = ["w"]
    return task


def _mean_loss_ids(prefix: str) -> list[str]:
    return [key for key in mlr_measures.keys() if key.startswith(prefix)
            and msr(key).mean_loss is not None]


@pytest.mark.parametrize("key", _mean_loss_ids("regr.") + _mean_loss_ids("classif."))
def test_chunks_in_any_order_give_the_weighted_score_of_the_whole(key: str) -> None:
    kind = key.split(".")[0]
    task = _weighted_task(kind)
    learner = lrn(f"{kind}.rpart", **({"predict_type": "prob"} if kind == "classif" else {}))
    learner.train(task, np.arange(200))
    prediction = learner.predict(task, np.arange(200, 400))
    measure = msr(key)
    chunked = ChunkedScore(measure, task)
    rng = np.random.default_rng(2)
    for part in np.array_split(rng.permutation(prediction.row_ids), 7):
        chunked.add(prediction.clone().filter(part))
    whole = measure.score(prediction, task=task)
    assert not math.isnan(whole)
    assert chunked.score() == pytest.approx(whole, rel=1e-12)


def test_repeated_rows_count_as_often_as_they_repeat() -> None:
    rng = np.random.default_rng(3)
    frame = pd.DataFrame({"a": rng.normal(size=100)})
    frame["y"] = frame["a"] + rng.normal(size=100)
    task = as_task_regr(frame, target="y")
    learner = lrn("regr.rpart").train(task, np.arange(50))
    twice = np.concatenate([np.arange(50, 100), np.arange(50, 60)])
    whole = msr("regr.rmse").score(learner.predict(task, twice))
    chunked = ChunkedScore(msr("regr.rmse"))
    repeats = np.where(np.arange(50, 100) < 60, 2.0, 1.0)
    chunked.add(learner.predict(task, np.arange(50, 100)), repeats)
    assert chunked.score() == pytest.approx(whole, rel=1e-12)


def test_a_missing_value_in_one_chunk_makes_the_score_nan() -> None:
    rng = np.random.default_rng(4)
    frame = pd.DataFrame({"a": rng.normal(size=60)})
    frame["y"] = frame["a"] + 1.0
    task = as_task_regr(frame, target="y")
    prediction = lrn("regr.rpart").train(task, np.arange(30)).predict(task, np.arange(30, 60))
    broken = prediction.clone().filter(np.arange(30, 40))
    broken.response[:] = np.nan
    chunked = ChunkedScore(msr("regr.mae"))
    chunked.add(prediction.clone().filter(np.arange(40, 60)))
    chunked.add(broken)
    assert math.isnan(chunked.score())
    assert math.isnan(ChunkedScore(msr("regr.mae")).score())  # no rows at all


def test_msle_is_undefined_in_chunks_as_it_is_whole() -> None:
    frame = pd.DataFrame({"a": np.arange(20.0), "y": np.linspace(-2.0, 5.0, 20)})
    task = as_task_regr(frame, target="y")
    prediction = lrn("regr.rpart").train(task).predict(task)
    chunked = ChunkedScore(msr("regr.msle"))
    chunked.add(prediction)
    assert math.isnan(msr("regr.msle").score(prediction))
    assert math.isnan(chunked.score())


def test_a_measure_that_is_no_mean_of_losses_is_refused() -> None:
    assert msr("regr.medae").mean_loss is None and msr("classif.auc").mean_loss is None
    with pytest.raises(ValueError, match=r"'regr\.medae' is not a mean of per-row losses"):
        ChunkedScore(msr("regr.medae"))


class _WrongRMSE(MeasureRegrSimple):
    """An RMSE whose losses forget the square root at the end."""

    def __init__(self) -> None:
        super().__init__("rmse")

    @property
    def mean_loss(self) -> MeanLoss | None:
        inner = super().mean_loss
        assert inner is not None
        return MeanLoss(inner.losses, float)


def test_the_conformance_check_catches_a_wrong_mean_loss() -> None:
    check_measure_mean_loss(msr("regr.rmse"))
    with pytest.raises(ConformanceError, match="scored in chunks"):
        check_measure_mean_loss(_WrongRMSE())


def test_sums_of_two_parts_merge_into_the_score_of_both() -> None:
    task = _weighted_task("regr")
    prediction = lrn("regr.rpart").train(task, np.arange(200)).predict(task, np.arange(200, 400))
    first, second = ChunkedScore(msr("regr.rmse"), task), ChunkedScore(msr("regr.rmse"), task)
    first.add(prediction.clone().filter(np.arange(200, 260)))
    second.add(prediction.clone().filter(np.arange(260, 400)))
    first.merge(second)
    assert first.score() == pytest.approx(msr("regr.rmse").score(prediction, task=task))
    with pytest.raises(ValueError, match=r"'regr\.mae' into those of Measure 'regr\.rmse'"):
        first.merge(ChunkedScore(msr("regr.mae")))
