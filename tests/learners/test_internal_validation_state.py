"""Internal validation scores, internally tuned values and the out-of-bag error live in
the learner's state (mlr3's ``state$internal_valid_scores``, ``state$internal_tuned_values``,
``state$oob_error``), so ``resample()`` keeps them without ``store_models=True``."""

from __future__ import annotations

import math

import pytest

from mlr3py import lrn, msr, rsmp, tsk
from mlr3py.evaluation import resample
from mlr3py.learners._internal_results import record_internal_results
from mlr3py.learners._state import LearnerState


def _xgboost(**values: object) -> object:
    pytest.importorskip("xgboost")
    return lrn("classif.xgboost", n_estimators=100, random_state=1, **values)


def test_a_plain_learner_records_none() -> None:
    learner = lrn("classif.rpart").train(tsk("sonar"))
    assert learner.state is not None
    assert learner.state.internal_valid_scores is None
    assert learner.state.internal_tuned_values is None
    assert learner.state.oob_error is None
    assert learner.internal_valid_scores is None
    assert learner.internal_tuned_values is None


def test_nothing_is_recorded_without_a_model() -> None:
    learner = _xgboost(validate=0.3, early_stopping_rounds=3)
    state = LearnerState(model=None, train_time=0.0)
    record_internal_results(learner, state)  # type: ignore[arg-type]
    assert state.internal_valid_scores is None
    assert state.internal_tuned_values is None


def test_xgboost_declares_validation_and_internal_tuning() -> None:
    for key in ("classif.xgboost", "regr.xgboost"):
        pytest.importorskip("xgboost")
        assert {"validation", "internal_tuning"} <= lrn(key).properties


def test_xgboost_state_holds_the_scores_and_rounds_of_the_model() -> None:
    learner = _xgboost(validate=0.3, early_stopping_rounds=3).train(tsk("sonar"))
    state = learner.state
    model = learner.model
    assert state.internal_valid_scores == model.valid_scores
    assert state.internal_tuned_values == {"n_estimators": model.best_n_estimators}
    assert learner.internal_valid_scores == state.internal_valid_scores
    assert learner.internal_tuned_values == state.internal_tuned_values
    assert 1 <= learner.internal_tuned_values["n_estimators"] <= 100


def test_xgboost_without_validation_records_none() -> None:
    learner = _xgboost().train(tsk("sonar"))
    assert learner.internal_valid_scores is None
    assert learner.internal_tuned_values is None


def test_the_views_are_copies() -> None:
    learner = _xgboost(validate=0.3, early_stopping_rounds=3).train(tsk("sonar"))
    learner.internal_valid_scores.clear()
    learner.internal_tuned_values.clear()
    assert learner.internal_valid_scores
    assert learner.internal_tuned_values


def test_resample_without_store_models_scores_the_state_values() -> None:
    learner = _xgboost(validate="test", early_stopping_rounds=3)
    rr = resample(tsk("sonar"), learner, rsmp("cv", folds=3), seed=1)
    states = [result.state for result in rr.job_results]
    assert all(state.model is None for state in states)  # the models were dropped
    expected = [next(iter(state.internal_valid_scores.values())) for state in states]
    assert all(math.isfinite(value) for value in expected)
    scored = rr.score(msr("internal_valid_score"))["internal_valid_score"].tolist()
    assert scored == expected
    aggregated = rr.aggregate(msr("internal_valid_score"))["internal_valid_score"]
    assert aggregated == pytest.approx(sum(expected) / len(expected))
    rounds = [state.internal_tuned_values["n_estimators"] for state in states]
    assert all(1 <= r <= 100 for r in rounds)


def test_resample_without_store_models_equals_with_store_models() -> None:
    learner = _xgboost(validate="test", early_stopping_rounds=3)
    kept = resample(tsk("sonar"), learner, rsmp("cv", folds=3), store_models=True, seed=1)
    dropped = resample(tsk("sonar"), learner, rsmp("cv", folds=3), seed=1)
    measure = msr("internal_valid_score", select="logloss")
    assert dropped.score(measure)["logloss"].tolist() == kept.score(measure)["logloss"].tolist()
    assert [t.internal_tuned_values for t in kept.learners] == [
        r.state.internal_tuned_values for r in dropped.job_results
    ]


def test_ranger_oob_error_without_store_models() -> None:
    task = tsk("sonar")
    learner = lrn("classif.ranger", oob_score=True, n_estimators=30, random_state=1)
    kept = resample(task, learner, rsmp("cv", folds=3), store_models=True, seed=1)
    dropped = resample(task, learner, rsmp("cv", folds=3), seed=1)
    expected = [trained.oob_error() for trained in kept.learners]
    assert all(0.0 <= value <= 1.0 for value in expected)
    assert [r.state.oob_error for r in dropped.job_results] == expected
    assert dropped.score("oob_error")["oob_error"].tolist() == pytest.approx(expected)
    assert dropped.aggregate("oob_error")["oob_error"] == pytest.approx(
        sum(expected) / len(expected)
    )


def test_ranger_oob_error_is_kept_when_the_model_is_dropped() -> None:
    learner = lrn("classif.ranger", oob_score=True, n_estimators=30, random_state=1)
    learner.train(tsk("sonar"))
    value = learner.oob_error()
    assert learner.state is not None and learner.state.oob_error == value
    learner.state.model = None
    assert learner.oob_error() == value


def test_ranger_without_oob_score_records_none_and_scores_nan() -> None:
    learner = lrn("classif.ranger", n_estimators=10, random_state=1)
    rr = resample(tsk("sonar"), learner, rsmp("holdout"), seed=1)
    assert rr.job_results[0].state.oob_error is None
    assert math.isnan(rr.aggregate("oob_error")["oob_error"])
