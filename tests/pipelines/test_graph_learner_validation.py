"""A GraphLearner validates its learners on data that went through its graph:
set_validate() (mlr3pipelines), validate="test" in resample() and tuning, a ratio, and
"predefined" validation tasks."""

from __future__ import annotations

import numpy as np
import pytest

from mlr3py import lrn, msr, resample, rsmp, set_validate, tsk
from mlr3py.errors import ConfigError
from mlr3py.params import to_tune
from mlr3py.pipelines import GraphLearner, po
from mlr3py.tuning import tnr, tune


def _graph_learner(**values):
    pytest.importorskip("xgboost")
    xgboost = lrn("classif.xgboost", **{"n_estimators": 30, "early_stopping_rounds": 3, **values})
    learner = GraphLearner(po("scale") >> po("learner", xgboost))
    learner.predict_type = "prob"
    return learner


@pytest.fixture
def sonar():
    return tsk("sonar")


def _logloss(prediction) -> float:
    return float(prediction.score(msr("classif.logloss"))["classif.logloss"])


def test_set_validate_sets_the_graph_and_its_final_learner():
    learner = _graph_learner()
    assert set_validate(learner, "test") is learner
    assert learner.validate == "test"
    assert learner.param_set.values["classif.xgboost.validate"] == "predefined"
    assert "* Validate: 'test'" in repr(learner)
    set_validate(learner, None)
    assert learner.validate is None
    assert "Validate" not in repr(learner)
    assert "classif.xgboost.validate" not in learner.param_set.values


def test_validate_test_scores_the_scaled_test_rows_in_resample(sonar):
    learner = set_validate(_graph_learner(), "test")
    rr = resample(sonar, learner, rsmp("cv", folds=3), store_models=True, seed=1)
    for result, prediction in zip(rr.job_results, rr.predictions(), strict=True):
        scores = result.state.internal_valid_scores
        assert set(scores) == {"classif.xgboost.logloss"}
        # the early-stopped model predicts the test rows, scaled as in training, with the
        # round it validated best: the validation score is that prediction's log loss
        assert scores["classif.xgboost.logloss"] == pytest.approx(_logloss(prediction),
                                                                  rel=1e-4)
        assert 1 <= result.state.internal_tuned_values["classif.xgboost.n_estimators"] <= 30


def test_a_predefined_validation_task_goes_through_the_trained_graph(sonar):
    test_ids = sonar.row_ids[::4]
    train_ids = np.setdiff1d(sonar.row_ids, test_ids)
    learner = set_validate(_graph_learner(), "predefined")
    learner.internal_valid_task = sonar.clone().filter(test_ids)
    learner.train(sonar, train_ids)
    score = learner.internal_valid_scores["classif.xgboost.logloss"]
    assert score == pytest.approx(_logloss(learner.predict(sonar, test_ids)), rel=1e-4)
    # unscaled, the rows would score otherwise: the inner model trained on scaled features
    raw = learner.graph_model.pipeops["classif.xgboost"].learner_model
    assert _logloss(raw.predict(sonar, test_ids)) != pytest.approx(score, rel=1e-2)


def test_a_ratio_holds_validation_rows_out_of_the_whole_graph(sonar):
    learner = set_validate(_graph_learner(), 0.25)
    learner.train(sonar)
    held_out = round(0.25 * sonar.nrow)
    assert learner.model.states["classif.xgboost"].n_train == sonar.nrow - held_out
    assert set(learner.internal_valid_scores) == {"classif.xgboost.logloss"}
    ratio_rr = resample(sonar, learner, rsmp("cv", folds=3), seed=1)
    test_rr = resample(sonar, set_validate(learner, "test"), rsmp("cv", folds=3), seed=1)
    assert [r.state.internal_valid_scores for r in ratio_rr.job_results] != [
        r.state.internal_valid_scores for r in test_rr.job_results]


def test_internal_tuning_through_a_graph_learner_validating_on_test(sonar):
    learner = set_validate(_graph_learner(n_estimators=to_tune(upper=30, internal=True),
                                          max_depth=to_tune(1, 3)), "test")
    instance = tune(tnr("random_search"), sonar, learner, rsmp("cv", folds=2), "classif.ce",
                    term_evals=2, seed=3)
    for _, row in instance.archive.data.iterrows():
        per_iteration = [r.state.internal_tuned_values["classif.xgboost.n_estimators"]
                         for r in row["resample_result"].job_results]
        tuned = row["internal_tuned_values"]["classif.xgboost.n_estimators"]
        assert tuned == round(float(np.mean(per_iteration)))
    values = instance.result_learner_param_vals
    assert 1 <= values["classif.xgboost.n_estimators"] <= 30
    assert "classif.xgboost.validate" not in values


def test_internal_tuning_without_set_validate_points_to_set_validate(sonar):
    learner = _graph_learner(n_estimators=to_tune(upper=30, internal=True),
                             max_depth=to_tune(1, 3))
    with pytest.raises(ConfigError, match=r"operator 'classif.xgboost' has no validation "
                                          r"data; call set_validate\(learner, 'test'\)"):
        tune(tnr("random_search"), sonar, learner, rsmp("cv", folds=2), "classif.ce",
             term_evals=2, seed=3)


def test_set_validate_refuses_what_is_no_learner():
    with pytest.raises(ConfigError, match="set_validate.. takes a Learner.*'classif.xgboost' "
                                          r"\(of type str\)"):
        set_validate("classif.xgboost", "test")  # type: ignore[arg-type]


def test_set_validate_refuses_an_operator_that_is_no_learner():
    learner = _graph_learner()
    with pytest.raises(ConfigError, match="'scale' given to set_validate.*PipeOpScale, not a "
                                          "learner.*'classif.xgboost'"):
        set_validate(learner, "test", ids="scale")
    with pytest.raises(ConfigError, match="'nope' given to set_validate.*not an operator"):
        set_validate(learner, "test", ids=["nope"])
    assert learner.validate is None


def test_set_validate_refuses_a_learner_without_validation():
    learner = GraphLearner(po("scale") >> lrn("classif.rpart"))
    with pytest.raises(ConfigError, match="'classif.rpart' .*has no internal validation"):
        set_validate(learner, "test")
    with pytest.raises(ConfigError, match="has no internal validation"):
        set_validate(lrn("classif.rpart"), 0.2)


def test_set_validate_refuses_other_values():
    with pytest.raises(ConfigError, match=r"None, a ratio in \(0, 1\).*Got 1.5"):
        set_validate(_graph_learner(), 1.5)


def test_training_without_validation_data_says_what_to_do(sonar):
    learner = set_validate(_graph_learner(), "test")
    with pytest.raises(ConfigError, match="validate='test'.*resample"):
        learner.train(sonar)
    learner.validate = None  # its learner still expects the graph's validation data
    with pytest.raises(ConfigError, match="'validate' is None.*set_validate"):
        learner.train(sonar)


def test_a_network_graph_learner_validates_in_its_model_operator(sonar):
    pytest.importorskip("torch")
    from tests.torch_graph.conftest import mlp_graph

    from mlr3py.torch import as_learner_torch

    learner = as_learner_torch(mlp_graph(epochs=2, batch_size=32, seed=1,
                                         measures_valid="classif.ce"))
    set_validate(learner, "test")
    assert learner.param_set.values["torch_model_classif.validate"] == "test"
    rr = resample(sonar, learner, rsmp("holdout"), seed=1)
    assert set(rr.job_results[0].state.internal_valid_scores) == {"torch_model_classif.classif.ce"}
    with pytest.raises(ConfigError, match="validates in its model operator only"):
        set_validate(learner, "test", ids="torch_model_classif")
