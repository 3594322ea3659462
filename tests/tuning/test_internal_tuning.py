"""Internal tuning: to_tune(..., internal=True) lets early stopping pick a parameter in
every evaluation; the archive, the result and the AutoTuner's final model use it."""

from __future__ import annotations

import numpy as np
import pytest

from mlr3py import lrn, rsmp, tsk
from mlr3py.errors import ConfigError
from mlr3py.params import p_dbl, p_int, ps, to_tune
from mlr3py.tuning import TuningInstance, auto_tuner, tnr, trm, tune


def test_internal_token_stays_out_of_the_search_space():
    param_set = ps(n_estimators=p_int(1, 1000), learning_rate=p_dbl(0, 1))
    param_set.values["n_estimators"] = to_tune(upper=50, internal=True)
    param_set.values["learning_rate"] = to_tune(0.01, 1, logscale=True)
    assert param_set.search_space().ids() == ["learning_rate"]
    assert repr(param_set.values["n_estimators"]) == "to_tune(None, 50, internal=True)"
    assert repr(to_tune(internal=True)) == "to_tune(internal=True)"
    assert not to_tune(0.01, 1).internal


def test_internal_must_be_a_bool():
    with pytest.raises(ConfigError, match="internal of to_tune"):
        to_tune(upper=50, internal="yes")  # type: ignore[arg-type]


def _xgboost(**values):
    pytest.importorskip("xgboost")
    defaults = {"n_estimators": to_tune(upper=50, internal=True), "early_stopping_rounds": 5,
                "validate": "test", "learning_rate": to_tune(0.01, 1, logscale=True)}
    return lrn("classif.xgboost", **{**defaults, **values})


@pytest.fixture(scope="module")
def instance():
    return tune(tnr("random_search"), tsk("sonar"), _xgboost(), rsmp("cv", folds=3),
                "classif.ce", term_evals=3, seed=7)


def test_archive_records_the_aggregated_internal_values(instance):
    assert instance.search_space.ids() == ["learning_rate"]
    assert instance.internal_search_space.ids() == ["n_estimators"]
    data = instance.archive.data
    assert len(data) == 3 and "internal_tuned_values" in data.columns
    for _, row in data.iterrows():
        per_iteration = [r.state.internal_tuned_values["n_estimators"]
                         for r in row["resample_result"].job_results]
        assert len(per_iteration) == 3
        assert all(1 <= n <= 50 for n in per_iteration)
        value = row["internal_tuned_values"]["n_estimators"]
        assert isinstance(value, int)
        assert value == round(float(np.mean(per_iteration)))


def test_result_uses_the_best_configuration_internal_value(instance):
    data = instance.archive.data
    best = data.loc[data["classif.ce"].idxmin()]
    values = instance.result_learner_param_vals
    assert values["n_estimators"] == best["internal_tuned_values"]["n_estimators"]
    assert values["learning_rate"] == pytest.approx(np.exp(best["learning_rate"]))
    assert "validate" not in values and "early_stopping_rounds" not in values
    assert instance.result["internal_tuned_values"].iloc[0] == best["internal_tuned_values"]


def test_every_configuration_trains_with_the_upper_bound(instance):
    learner = instance.configure_learner({"learning_rate": 0.1})
    assert learner.param_set.values["n_estimators"] == 50
    assert learner.param_set.values["early_stopping_rounds"] == 5


def test_internal_tuning_with_an_explicit_search_space():
    learner = _xgboost(learning_rate=0.3)
    instance = TuningInstance(tsk("sonar"), learner, rsmp("holdout"), "classif.ce",
                              trm("evals", n_evals=2),
                              search_space=ps(max_depth=p_int(1, 3)), seed=1)
    tnr("random_search").optimize(instance)
    assert instance.archive.data["internal_tuned_values"].map(
        lambda v: 1 <= v["n_estimators"] <= 50).all()
    assert instance.result_learner_param_vals["n_estimators"] == \
        instance.result["internal_tuned_values"].iloc[0]["n_estimators"]


def test_auto_tuner_final_model_has_the_internally_tuned_rounds():
    at = auto_tuner(tnr("random_search"), _xgboost(), rsmp("cv", folds=3), "classif.ce",
                    term_evals=3)
    at.train(tsk("sonar"))
    rounds = at.tuning_instance.result_learner_param_vals["n_estimators"]
    final = at.learner
    assert final.param_set.values["n_estimators"] == rounds
    assert final.param_set.values.get("validate") is None
    assert final.model.estimator.get_booster().num_boosted_rounds() == rounds
    # the final model trains without early stopping: nothing internal to report
    assert at.internal_tuned_values is None and at.internal_valid_scores is None


def test_internal_on_a_learner_without_internal_tuning():
    learner = lrn("classif.rpart", max_depth=to_tune(1, 10, internal=True),
                  ccp_alpha=to_tune(1e-3, 0.1))
    with pytest.raises(ConfigError, match=r"'max_depth'.*lacks the property 'internal_tuning'"):
        TuningInstance(tsk("sonar"), learner, rsmp("holdout"), "classif.ce", seed=1)


def test_internal_on_a_parameter_the_learner_does_not_tune_itself():
    learner = _xgboost(n_estimators=50, learning_rate=to_tune(0.01, 1, internal=True),
                       max_depth=to_tune(1, 3))
    with pytest.raises(ConfigError, match=r"'learning_rate'.*tunes only 'n_estimators'"):
        TuningInstance(tsk("sonar"), learner, rsmp("holdout"), "classif.ce", seed=1)


def test_internal_without_validation_or_early_stopping():
    with pytest.raises(ConfigError, match=r"'n_estimators'.*set 'validate'"):
        TuningInstance(tsk("sonar"), _xgboost(validate=None, early_stopping_rounds=None),
                       rsmp("holdout"), "classif.ce", seed=1)
    with pytest.raises(ConfigError, match=r"'n_estimators'.*set 'early_stopping_rounds'"):
        TuningInstance(tsk("sonar"), _xgboost(early_stopping_rounds=None), rsmp("holdout"),
                       "classif.ce", seed=1)


def test_internal_needs_a_finite_upper_bound():
    with pytest.raises(ConfigError, match=r"'n_estimators'.*unbounded"):
        TuningInstance(tsk("sonar"), _xgboost(n_estimators=to_tune(internal=True)),
                       rsmp("holdout"), "classif.ce", seed=1)


def test_torch_learner_internal_tuning_needs_patience():
    pytest.importorskip("torch")
    learner = lrn("classif.mlp", epochs=to_tune(upper=20, internal=True), validate="test",
                  lr=to_tune(1e-4, 1e-2, logscale=True))
    with pytest.raises(ConfigError, match=r"'epochs'.*set 'patience' > 0"):
        TuningInstance(tsk("sonar"), learner, rsmp("holdout"), "classif.ce", seed=1)
    learner.param_set.values["patience"] = 3
    instance = TuningInstance(tsk("sonar"), learner, rsmp("holdout"), "classif.ce", seed=1)
    assert instance.internal_search_space.ids() == ["epochs"]
    assert instance.configure_learner({"lr": 1e-3}).param_set.values["epochs"] == 20


def test_internal_tuning_of_a_graph_learner():
    from mlr3py import po
    from mlr3py.pipelines import GraphLearner

    graph_learner = GraphLearner(po("scale") >> po("learner", _xgboost(validate=0.3)))
    key = "classif.xgboost.n_estimators"
    assert graph_learner.internal_tuning_param == key
    instance = tune(tnr("random_search"), tsk("sonar"), graph_learner, rsmp("cv", folds=3),
                    "classif.ce", term_evals=2, seed=3)
    data = instance.archive.data
    assert data["internal_tuned_values"].map(lambda v: 1 <= v[key] <= 50).all()
    best = data.loc[data["classif.ce"].idxmin()]
    values = instance.result_learner_param_vals
    assert values[key] == best["internal_tuned_values"][key]
    assert "classif.xgboost.validate" not in values
    assert "classif.xgboost.early_stopping_rounds" not in values


def test_conformance_check_refuses_an_unknown_internal_tuning_param():
    from mlr3py.testing import ConformanceError, check_learner_param_set

    learner = lrn("classif.featureless")
    check_learner_param_set(learner)
    learner.internal_tuning_param = "no_such_param"
    with pytest.raises(ConformanceError, match="internal_tuning_param 'no_such_param'"):
        check_learner_param_set(learner)


def test_auto_tuner_refuses_internal_tuning_it_cannot_do_when_built():
    with pytest.raises(ConfigError, match=r"'n_estimators'.*set 'validate'"):
        auto_tuner(tnr("random_search"), _xgboost(validate=None, early_stopping_rounds=None),
                   rsmp("holdout"), "classif.ce", term_evals=2)
