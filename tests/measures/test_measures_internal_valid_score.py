"""msr("internal_valid_score") (mlr3's MeasureInternalValidScore): a score the learner
computed on its internal validation data."""

from __future__ import annotations

import math

import pytest

from mlr3py import lrn, msr, rsmp, tsk
from mlr3py.errors import ConfigError
from mlr3py.evaluation import resample


@pytest.fixture
def xgboost_trained() -> object:
    pytest.importorskip("xgboost")
    learner = lrn("classif.xgboost", n_estimators=100, early_stopping_rounds=5,
                  validate=0.3, random_state=1)
    return learner.train(tsk("sonar"))


def test_reads_the_learners_first_internal_valid_score(xgboost_trained: object) -> None:
    scores = xgboost_trained.internal_valid_scores  # type: ignore[attr-defined]
    assert scores
    first = next(iter(scores))
    measure = msr("internal_valid_score")
    assert measure.id == "internal_valid_score"
    assert measure.score(None, learner=xgboost_trained) == scores[first]
    selected = msr("internal_valid_score", select=first, minimize=True)
    assert selected.id == first
    assert selected.minimize is True
    assert selected.score(None, learner=xgboost_trained) == scores[first]


def test_nan_for_an_unknown_score_or_a_learner_without_validation(
    xgboost_trained: object,
) -> None:
    assert math.isnan(
        msr("internal_valid_score", select="nope").score(None, learner=xgboost_trained)
    )
    plain = lrn("classif.xgboost", n_estimators=5).train(tsk("sonar"))
    assert plain.internal_valid_scores is None
    assert math.isnan(msr("internal_valid_score").score(None, learner=plain))
    rpart = lrn("classif.rpart").train(tsk("sonar"))
    assert math.isnan(msr("internal_valid_score").score(None, learner=rpart))


def test_select_and_minimize_are_checked() -> None:
    with pytest.raises(ConfigError, match="select"):
        msr("internal_valid_score", select=3)
    with pytest.raises(ConfigError, match="minimize"):
        msr("internal_valid_score", minimize="yes")
    assert msr("internal_valid_score").minimize is None


def test_resample_with_validate_test_scores_each_iteration() -> None:
    pytest.importorskip("xgboost")
    learner = lrn("classif.xgboost", n_estimators=100, early_stopping_rounds=3,
                  validate="test", random_state=1)
    rr = resample(tsk("sonar"), learner, rsmp("cv", folds=3), store_models=True, seed=1)
    expected = [next(iter(t.internal_valid_scores.values())) for t in rr.learners]
    assert rr.score("internal_valid_score")["internal_valid_score"].tolist() == expected
