"""Torch learners' internal validation (mlr3torch): ``internal_valid_scores`` (the last
epoch's ``measures_valid`` scores) and ``internal_tuned_values`` (``{"epochs": best
epoch}`` under early stopping), kept in the learner's state."""

from __future__ import annotations

import math

import pytest

from mlr3py import lrn, msr, resample, rsmp, tsk

SMALL = {"batch_size": 32, "seed": 1, "neurons": [8]}


def _mlp(**values: object) -> object:
    return lrn("classif.mlp", **{**SMALL, **values})


def test_properties_as_mlr3torch() -> None:
    for key in ("classif.mlp", "regr.mlp", "classif.tab_resnet"):
        assert {"validation", "internal_tuning"} <= lrn(key).properties


def test_scores_are_the_last_epochs_validation_measures() -> None:
    learner = _mlp(epochs=4, validate=0.3, measures_valid=["classif.ce", "classif.acc"])
    learner.train(tsk("sonar"))
    scores = learner.internal_valid_scores
    assert scores is not None and list(scores) == ["classif.ce", "classif.acc"]
    last = learner.history.iloc[-1]
    assert scores == {"classif.ce": last["valid.classif.ce"],
                      "classif.acc": last["valid.classif.acc"]}
    assert scores["classif.ce"] == pytest.approx(1 - scores["classif.acc"])
    assert learner.state.internal_valid_scores == scores
    assert learner.internal_tuned_values is None  # no early stopping


def test_early_stopping_records_the_best_epoch() -> None:
    learner = _mlp(epochs=12, validate=0.3, measures_valid=["classif.logloss"], patience=2)
    learner.train(tsk("sonar"))
    tuned = learner.internal_tuned_values
    assert tuned is not None and set(tuned) == {"epochs"}
    history = learner.history
    assert 1 <= tuned["epochs"] <= min(12, len(history))
    best = history["valid.classif.logloss"].idxmin()
    assert tuned["epochs"] == history["epoch"][best]
    assert learner.internal_valid_scores == {
        "classif.logloss": history["valid.classif.logloss"].iloc[-1]
    }


def test_without_validation_nothing_is_recorded() -> None:
    learner = _mlp(epochs=2).train(tsk("sonar"))
    assert learner.internal_valid_scores is None
    assert learner.internal_tuned_values is None


def test_validation_without_measures_gives_empty_scores() -> None:
    learner = _mlp(epochs=2, validate=0.3).train(tsk("sonar"))
    assert learner.internal_valid_scores == {}
    assert math.isnan(msr("internal_valid_score").score(None, learner=learner))


def test_resample_keeps_them_without_stored_models() -> None:
    learner = _mlp(epochs=6, validate="test", measures_valid=["classif.ce"], patience=2)
    rr = resample(tsk("sonar"), learner, rsmp("cv", folds=2), seed=1)
    states = [result.state for result in rr.job_results]
    assert all(state.model is None for state in states)
    expected = [state.internal_valid_scores["classif.ce"] for state in states]
    scored = rr.score(msr("internal_valid_score", select="classif.ce"))["classif.ce"]
    assert scored.tolist() == expected
    assert all(1 <= state.internal_tuned_values["epochs"] <= 6 for state in states)
