"""A GraphLearner and an AutoTuner report their inner learners' internal validation
scores, internally tuned values and out-of-bag error (as mlr3pipelines / mlr3tuning)."""

from __future__ import annotations

import pytest

from mlr3py import lrn, po, rsmp, tsk
from mlr3py.params import to_tune
from mlr3py.pipelines import GraphLearner
from mlr3py.tuning import auto_tuner, tnr


def _early_stopping_xgboost():
    pytest.importorskip("xgboost")
    return lrn("classif.xgboost", n_estimators=40, early_stopping_rounds=3, validate=0.3)


def test_graph_learner_prefixes_its_learner_internal_results():
    graph_learner = GraphLearner(po("scale") >> po("learner", _early_stopping_xgboost()))
    graph_learner.train(tsk("sonar"))
    inner = graph_learner.base_learner()
    tuned = inner.internal_tuned_values
    scores = inner.internal_valid_scores
    assert tuned is not None and scores is not None
    assert graph_learner.internal_tuned_values == {
        f"classif.xgboost.{k}": v for k, v in tuned.items()}
    assert graph_learner.internal_valid_scores == {
        f"classif.xgboost.{k}": v for k, v in scores.items()}
    assert graph_learner.state.internal_tuned_values == graph_learner.internal_tuned_values


def test_graph_learner_passes_the_oob_error_on():
    learner = lrn("classif.ranger", oob_score=True, n_estimators=20, random_state=1)
    graph_learner = GraphLearner(po("scale") >> po("learner", learner))
    graph_learner.train(tsk("sonar"))
    oob = graph_learner.base_learner().oob_error()
    assert graph_learner.state.oob_error == pytest.approx(oob)


def test_auto_tuner_reports_its_final_model_internal_results():
    learner = _early_stopping_xgboost()
    learner.param_set.values["max_depth"] = to_tune(1, 3)
    at = auto_tuner(tnr("random_search"), learner, rsmp("holdout"), "classif.ce", term_evals=2)
    at.train(tsk("sonar"))
    final = at.learner.state
    assert final.internal_tuned_values is not None
    assert at.internal_tuned_values == final.internal_tuned_values
    assert at.internal_valid_scores == final.internal_valid_scores
