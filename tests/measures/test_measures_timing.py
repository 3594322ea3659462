"""Tests of time_train, time_predict and time_both."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pytest

from mlr3py.errors import ConfigError
from mlr3py.measures import MeasureElapsedTime, mlr_measures
from mlr3py.predictions import PredictionRegr


@dataclass
class _State:
    train_time: float | None
    predict_time: float | None


class _LearnerWithState:
    def __init__(self, train: float | None, predict: float | None) -> None:
        self.state = _State(train, predict)


class _LearnerWithTimings:
    def __init__(self) -> None:
        self.timings = {"train": 1.5, "predict": 0.25}


@pytest.fixture
def pred() -> PredictionRegr:
    return PredictionRegr([0], truth=[1.0], response=[1.0])


def test_reads_timings(pred: PredictionRegr) -> None:
    learner = _LearnerWithTimings()
    assert mlr_measures.get("time_train").score(pred, learner=learner) == 1.5
    assert mlr_measures.get("time_predict").score(pred, learner=learner) == 0.25
    assert mlr_measures.get("time_both").score(pred, learner=learner) == 1.75


def test_reads_state_and_nan_for_missing_stage(pred: PredictionRegr) -> None:
    learner = _LearnerWithState(2.0, None)
    assert mlr_measures.get("time_train").score(pred, learner=learner) == 2.0
    assert math.isnan(mlr_measures.get("time_both").score(pred, learner=learner))


def test_requires_learner(pred: PredictionRegr) -> None:
    measure = mlr_measures.get("time_train")
    assert measure.task_type is None
    assert measure.predict_type is None
    assert measure.minimize is True
    assert "requires_learner" in measure.properties
    with pytest.raises(ConfigError, match="requires the learner"):
        measure.score(pred)


def test_scores_any_task_type_and_no_prediction() -> None:
    measure = mlr_measures.get("time_both")
    assert measure.score(None, learner=_LearnerWithTimings()) == 1.75


def test_macro_aggregate_with_learners(pred: PredictionRegr) -> None:
    learners = [_LearnerWithState(1.0, 0.0), _LearnerWithState(3.0, 0.0)]
    assert mlr_measures.get("time_train").aggregate([pred, pred], learners=learners) == 2.0


def test_micro_not_supported() -> None:
    with pytest.raises(ConfigError, match="macro"):
        mlr_measures.get("time_train", average="micro")


def test_bad_stage() -> None:
    with pytest.raises(ConfigError, match="stages"):
        MeasureElapsedTime("time_x", ("fit",))
