"""as_learner(): any scikit-learn estimator as a learner, with a derived parameter set."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.linear_model import Ridge
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC, SVR

from mlr3py.errors import ConfigError
from mlr3py.learners import (
    LearnerClassif,
    LearnerClassifSklearn,
    LearnerRegr,
    LearnerRegrSklearn,
    as_learner,
    mlr_learners,
)
from mlr3py.learners._sklearn_params import derive_param_set


def test_gradient_boosting_classifier(sonar, seed_global_rng):
    learner = as_learner(GradientBoostingClassifier(n_estimators=20))
    assert isinstance(learner, LearnerClassifSklearn) and isinstance(learner, LearnerClassif)
    assert learner.id == "classif.GradientBoostingClassifier"
    assert learner.label == "GradientBoostingClassifier"
    assert learner.predict_types == ["response", "prob"]
    assert learner.param_set.values == {"n_estimators": 20}
    assert {"twoclass", "multiclass", "weights", "importance"} <= learner.properties
    params = learner.param_set.params
    assert params["n_estimators"].cls == "ParamInt" and params["n_estimators"].lower == 1
    assert params["n_estimators"].default == 100
    assert params["learning_rate"].cls == "ParamDbl"
    assert params["loss"].cls == "ParamFct"
    assert set(params["loss"].levels) == {"log_loss", "exponential"}
    assert params["warm_start"].cls == "ParamLgl"
    assert params["verbose"].cls == "ParamInt"
    learner.predict_type = "prob"
    seed_global_rng(1)
    prediction = learner.train(sonar, sonar.row_ids[::2]).predict(sonar, sonar.row_ids[1::2])
    assert float(prediction.score("classif.ce").iloc[0]) < 0.4


def test_derived_validation_messages():
    learner = as_learner(GradientBoostingClassifier())
    with pytest.raises(ConfigError) as err:
        learner.param_set.values["n_estimators"] = 0
    assert str(err.value) == (
        "The 'n_estimators' parameter of Learner 'classif.GradientBoostingClassifier' must be "
        "an int >= 1. Got 0 instead."
    )
    # open bound (0, 1]: zero is rejected although the table shows lower = 0
    assert learner.param_set.params["subsample"].lower == 0
    with pytest.raises(ConfigError) as err:
        learner.param_set.values["subsample"] = 0.0
    assert "must be a float in the range (0.0, 1.0]. Got 0.0 instead." in str(err.value)
    learner.param_set.values["subsample"] = 0.5
    with pytest.raises(ConfigError, match="'loss' parameter"):
        learner.param_set.values["loss"] = "hinge"
    # mixed constraints: scikit-learn's own description of what is allowed
    with pytest.raises(ConfigError, match=r"'max_features' parameter.*a str among"):
        learner.param_set.values["max_features"] = "all"
    learner.param_set.values["max_features"] = 0.5
    learner.param_set.values["max_features"] = "sqrt"


def test_svr_regression(mtcars):
    learner = as_learner(SVR(C=10.0))
    assert isinstance(learner, LearnerRegrSklearn) and isinstance(learner, LearnerRegr)
    assert learner.id == "regr.SVR"
    assert learner.predict_types == ["response"]
    assert learner.param_set.values == {"C": 10.0}
    assert learner.param_set.params["kernel"].cls == "ParamUty"  # str options or a callable
    with pytest.raises(ConfigError, match=r"'kernel' parameter .*a str among .* or a callable"):
        learner.param_set.values["kernel"] = "cubic"
    learner.param_set.values["kernel"] = "linear"
    prediction = learner.train(mtcars).predict(mtcars)
    assert len(prediction) == 32
    assert np.isfinite(prediction.response).all()


def test_ridge(mtcars):
    learner = as_learner(Ridge(alpha=2.0))
    assert learner.id == "regr.Ridge"
    assert learner.param_set.values == {"alpha": 2.0}
    with pytest.raises(ConfigError, match="'alpha' parameter of Learner 'regr.Ridge'"):
        learner.param_set.values["alpha"] = -1.0
    assert "weights" in learner.properties
    ridge = Ridge(alpha=2.0).fit(mtcars.data(cols=mtcars.feature_names).to_numpy(),
                                 mtcars.truth())
    expected = ridge.predict(mtcars.data(cols=mtcars.feature_names).to_numpy())
    np.testing.assert_allclose(learner.train(mtcars).predict(mtcars).response, expected)


def test_svc_without_probability_has_no_prob():
    assert as_learner(SVC()).predict_types == ["response"]
    assert as_learner(SVC(probability=True)).predict_types == ["response", "prob"]


def test_gaussian_process_gives_se(mtcars):
    learner = as_learner(GaussianProcessRegressor(normalize_y=True), id="regr.gp")
    assert learner.id == "regr.gp"
    assert learner.predict_types == ["response", "se"]
    learner.predict_type = "se"
    prediction = learner.train(mtcars).predict(mtcars)
    assert (np.asarray(prediction.se) >= 0).all()


def test_not_an_estimator():
    with pytest.raises(ConfigError, match="StandardScaler, which is neither"):
        as_learner(StandardScaler())
    with pytest.raises(ConfigError, match="dict"):
        as_learner({"a": 1})


def test_learner_passes_through():
    learner = mlr_learners.get("classif.rpart")
    assert as_learner(learner) is learner


def test_wrapped_learner_clone_and_registry(iris):
    learner = as_learner(GradientBoostingClassifier(n_estimators=5))
    copy = learner.clone()
    copy.param_set.values["n_estimators"] = 7
    assert learner.param_set.values["n_estimators"] == 5
    mlr_learners.add("classif.gbm_test", lambda: as_learner(GradientBoostingClassifier()))
    try:
        built = mlr_learners.get("classif.gbm_test", n_estimators=3)
        assert built.param_set.values == {"n_estimators": 3}
        assert len(built.train(iris).predict(iris)) == 150
    finally:
        mlr_learners.remove("classif.gbm_test")


def test_random_state_reproducible(sonar, seed_global_rng):
    def fit() -> np.ndarray:
        learner = as_learner(GradientBoostingClassifier(n_estimators=5, subsample=0.5))
        learner.predict_type = "prob"
        return np.asarray(learner.train(sonar).predict(sonar).prob, dtype=float)

    seed_global_rng(3)
    first = fit()
    seed_global_rng(3)
    np.testing.assert_array_equal(fit(), first)


def test_estimator_rejecting_its_own_values():
    with pytest.raises(ConfigError, match="GradientBoostingClassifier"):
        derive_param_set(GradientBoostingClassifier(n_estimators=-3))


def test_n_jobs_tagged_threads():
    from sklearn.ensemble import ExtraTreesClassifier

    param_set = as_learner(ExtraTreesClassifier()).param_set
    assert param_set.ids(tags="threads") == ["n_jobs"]
    param_set.values["n_jobs"] = -1
    param_set.values["n_jobs"] = None
