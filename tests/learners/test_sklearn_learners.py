"""The built-in scikit-learn learners: rpart, ranger, log_reg, lm, kknn."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LinearRegression
from sklearn.tree import DecisionTreeClassifier

from mlr3py.learners import SklearnModel, mlr_learners
from mlr3py.tasks import as_task_regr, mlr_tasks

CLASSIF = ["classif.rpart", "classif.ranger", "classif.log_reg", "classif.kknn"]
REGR = ["regr.rpart", "regr.ranger", "regr.lm", "regr.kknn"]


def _ce(prediction) -> float:
    return float(prediction.score("classif.ce").iloc[0])


def _mse(prediction) -> float:
    return float(prediction.score("regr.mse").iloc[0])


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.parametrize("key", CLASSIF)
@pytest.mark.parametrize("predict_type", ["response", "prob"])
def test_classif_learners_beat_featureless(key, predict_type, sonar, seed_global_rng):
    train, test = sonar.row_ids[::2], sonar.row_ids[1::2]
    seed_global_rng(1)
    learner = mlr_learners.get(key, predict_type=predict_type).train(sonar, train)
    prediction = learner.predict(sonar, test)
    assert len(prediction) == len(test)
    baseline = mlr_learners.get("classif.featureless").train(sonar, train).predict(sonar, test)
    assert _ce(prediction) < _ce(baseline)
    if predict_type == "prob":
        prob = np.asarray(prediction.prob, dtype=float)
        assert prob.shape == (len(test), 2)
        np.testing.assert_allclose(prob.sum(axis=1), 1.0)


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.parametrize("key", CLASSIF)
def test_classif_learners_multiclass(key, iris, seed_global_rng):
    seed_global_rng(2)
    prediction = mlr_learners.get(key).train(iris).predict(iris)
    assert _ce(prediction) < 0.1


@pytest.mark.parametrize("key", REGR)
def test_regr_learners_beat_featureless(key, mtcars, seed_global_rng):
    seed_global_rng(3)
    learner = mlr_learners.get(key).train(mtcars)
    prediction = learner.predict(mtcars)
    baseline = mlr_learners.get("regr.featureless").train(mtcars).predict(mtcars)
    assert _mse(prediction) < _mse(baseline)


def test_model_wraps_fitted_estimator(iris):
    learner = mlr_learners.get("classif.rpart", max_depth=2).train(iris)
    model = learner.model
    assert isinstance(model, SklearnModel)
    assert isinstance(model.estimator, DecisionTreeClassifier)
    assert model.estimator.get_depth() == 2
    assert not hasattr(learner.estimator, "tree_")  # the prototype stays unfitted


def test_same_predictions_as_sklearn(sonar):
    train, test = sonar.row_ids[::2], sonar.row_ids[1::2]
    learner = mlr_learners.get("classif.rpart", random_state=1).train(sonar, train)
    ours = np.asarray(learner.predict(sonar, test).response, dtype=object)
    x = sonar.data(cols=sonar.feature_names).to_numpy()
    y = np.asarray(sonar.truth(), dtype=object)
    tree = DecisionTreeClassifier(random_state=1).fit(x[train], y[train])
    assert (ours == tree.predict(x[test])).mean() > 0.95


def test_lm_matches_least_squares(mtcars):
    learner = mlr_learners.get("regr.lm").train(mtcars)
    x = mtcars.data(cols=mtcars.feature_names).to_numpy()
    expected = LinearRegression().fit(x, mtcars.truth()).predict(x)
    np.testing.assert_allclose(learner.predict(mtcars).response, expected)


def test_random_state_drawn_from_numpy_global_rng(sonar, seed_global_rng):
    def fit() -> tuple[int, np.ndarray]:
        learner = mlr_learners.get("classif.ranger", n_estimators=10, predict_type="prob")
        learner.train(sonar)
        prob = np.asarray(learner.predict(sonar).prob, dtype=float)
        return learner.model.estimator.random_state, prob

    seed_global_rng(11)
    state1, prob1 = fit()
    seed_global_rng(11)
    state2, prob2 = fit()
    assert isinstance(state1, int) and state1 == state2
    np.testing.assert_array_equal(prob1, prob2)
    seed_global_rng(12)
    assert fit()[0] != state1


def test_user_random_state_is_kept(sonar):
    learner = mlr_learners.get("classif.rpart", random_state=5).train(sonar)
    assert learner.model.estimator.random_state == 5
    assert "random_state" not in mlr_learners.get("classif.rpart").train(sonar).state.param_vals


def test_ranger_threads():
    learner = mlr_learners.get("classif.ranger")
    assert learner.param_set.values["n_jobs"] == 1
    assert learner.param_set.ids(tags="threads") == ["n_jobs"]
    assert mlr_learners.get("regr.ranger").param_set.values["n_jobs"] == 1
    learner.param_set.values["n_jobs"] = 2
    model = learner.train(mlr_tasks.get("sonar")).model.estimator
    assert isinstance(model, RandomForestClassifier)
    assert model.n_jobs == 2


def test_factor_features_one_hot(penguins_complete):
    learner = mlr_learners.get("classif.rpart").train(penguins_complete)
    encoder = learner.model.encoder
    assert encoder.output_names == [
        "island.Biscoe", "island.Dream", "island.Torgersen", "bill_length", "bill_depth",
        "flipper_length", "body_mass", "sex.female", "sex.male", "year",
    ]
    assert learner.model.estimator.n_features_in_ == 10
    # predicting rows with only one island level still encodes to the training columns
    biscoe = penguins_complete.data().query("island == 'Biscoe'").index.to_numpy()
    prediction = learner.predict(penguins_complete, biscoe)
    assert len(prediction) == len(biscoe)


def test_factor_features_missing_in_training_rows(penguins_complete):
    data = penguins_complete.data()
    no_dream = data.index[data["island"] != "Dream"].to_numpy()
    learner = mlr_learners.get("classif.kknn").train(penguins_complete, no_dream)
    assert "island.Dream" in learner.model.encoder.output_names
    dream = data.index[data["island"] == "Dream"].to_numpy()
    assert len(learner.predict(penguins_complete, dream)) == len(dream)


def test_mixed_feature_types(mixed_classif):
    learner = mlr_learners.get("classif.log_reg", predict_type="prob").train(mixed_classif)
    assert learner.model.encoder.output_names == [
        "num", "int", "lgl", "fct.a", "fct.b", "fct.c", "ord",
    ]
    assert _ce(learner.predict(mixed_classif)) < 0.3


def test_regr_with_factor(mixed_regr):
    learner = mlr_learners.get("regr.lm").train(mixed_regr)
    np.testing.assert_allclose(learner.predict(mixed_regr).response, mixed_regr.truth())


def test_rpart_learns_with_missing_values(penguins):
    learner = mlr_learners.get("classif.rpart").train(penguins)
    assert _ce(learner.predict(penguins)) < 0.05


def test_importance_summed_over_one_hot_columns(penguins_complete):
    learner = mlr_learners.get("classif.rpart", random_state=1).train(penguins_complete)
    importance = learner.importance()
    assert sorted(importance.index) == sorted(penguins_complete.feature_names)
    assert importance.is_monotonic_decreasing
    np.testing.assert_allclose(importance.sum(), 1.0)


def test_importance_needs_support(iris):
    from mlr3py.errors import ConfigError, NotTrainedError

    with pytest.raises(NotTrainedError):
        mlr_learners.get("classif.rpart").importance()
    learner = mlr_learners.get("classif.kknn").train(iris)
    assert "importance" not in learner.properties
    with pytest.raises(ConfigError, match="no feature importances"):
        learner.importance()


def test_weights_are_passed_as_sample_weight(mtcars):
    df = mtcars.data().assign(w=np.r_[np.ones(16), np.zeros(16)])
    weighted = as_task_regr(df, target="mpg", id="weighted")
    weighted.set_col_roles("w", roles=["weights_learner"])
    learner = mlr_learners.get("regr.lm").train(weighted)
    first_half = mlr_learners.get("regr.lm").train(mtcars, mtcars.row_ids[:16])
    np.testing.assert_allclose(
        learner.predict(weighted).response, first_half.predict(mtcars).response
    )


def test_learner_properties():
    assert mlr_learners.get("classif.rpart").properties == {
        "twoclass", "multiclass", "missings", "weights", "importance", "selected_features",
    }
    assert "missings" not in mlr_learners.get("classif.log_reg").properties
    assert "missings" not in mlr_learners.get("regr.kknn").properties
    assert mlr_learners.get("regr.lm").predict_types == ["response"]
    assert mlr_learners.get("classif.kknn").feature_types == {
        "logical", "integer", "numeric", "factor", "ordered",
    }


def test_parameter_names_follow_sklearn():
    params = mlr_learners.get("classif.rpart").param_set.params
    assert params["criterion"].levels == ("entropy", "gini", "log_loss")
    assert params["criterion"].default == "gini"
    assert params["max_depth"].cls == "ParamInt" and params["max_depth"].lower == 1
    assert params["ccp_alpha"].cls == "ParamDbl"
    assert mlr_learners.get("classif.kknn").param_set.params["n_neighbors"].default == 5
    assert params["max_depth"].upper == float("inf")
    assert params["max_depth"].special_vals == (None,)
