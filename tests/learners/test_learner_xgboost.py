"""classif.xgboost and regr.xgboost: xgboost's scikit-learn API (the ``xgboost`` extra)."""

from __future__ import annotations

import numpy as np
import pytest

from mlr3py import lrn, resample, rsmp
from mlr3py.errors import ConfigError
from mlr3py.tasks import as_task_classif, as_task_regr

xgboost = pytest.importorskip("xgboost")

SMALL = {"n_estimators": 15, "max_depth": 3, "random_state": 1}


def _direct(cls, **params):
    return cls(**SMALL, n_jobs=1, **params)


def test_classif_xgboost_equals_xgb_classifier(sonar, design_matrix):
    train, test = sonar.row_ids[::2], sonar.row_ids[1::2]
    learner = lrn("classif.xgboost", predict_type="prob", **SMALL, subsample=0.8).train(
        sonar, train
    )
    x_train, y_train = design_matrix(sonar, train)
    x_test, _ = design_matrix(sonar, test)
    direct = _direct(xgboost.XGBClassifier, subsample=0.8).fit(x_train, y_train)
    prediction = learner.predict(sonar, test)
    np.testing.assert_allclose(np.asarray(prediction.prob, dtype=float),
                               direct.predict_proba(x_test), rtol=1e-6)
    expected = np.asarray(sonar.class_names, dtype=object)[direct.predict(x_test)]
    np.testing.assert_array_equal(np.asarray(prediction.response), expected)


def test_classes_absent_from_training_are_encoded_away(iris, design_matrix):
    # setosa and virginica only: class codes 0 and 2 become xgboost's labels 0 and 1
    rows = iris.row_ids[np.asarray(iris.truth().codes) != 1]
    learner = lrn("classif.xgboost", predict_type="prob", **SMALL).train(iris, rows)
    x, y = design_matrix(iris, rows)
    direct = _direct(xgboost.XGBClassifier).fit(x, (y == 2).astype(int))
    prob = np.asarray(learner.predict(iris, rows).prob, dtype=float)
    assert list(learner.predict(iris, rows).prob.columns) == list(iris.class_names)
    np.testing.assert_array_equal(prob[:, 1], 0.0)
    np.testing.assert_allclose(prob[:, [0, 2]], direct.predict_proba(x), rtol=1e-6)


def test_multiclass_prob(iris, design_matrix):
    learner = lrn("classif.xgboost", predict_type="prob", **SMALL).train(iris)
    x, y = design_matrix(iris)
    direct = _direct(xgboost.XGBClassifier).fit(x, y)
    prob = np.asarray(learner.predict(iris).prob, dtype=float)
    np.testing.assert_allclose(prob, direct.predict_proba(x), rtol=1e-6)
    np.testing.assert_allclose(prob.sum(axis=1), 1.0, rtol=1e-6)


def test_regr_xgboost_equals_xgb_regressor(mtcars, design_matrix):
    learner = lrn("regr.xgboost", **SMALL, learning_rate=0.1, reg_lambda=2.0).train(mtcars)
    x, y = design_matrix(mtcars)
    direct = _direct(xgboost.XGBRegressor, learning_rate=0.1, reg_lambda=2.0).fit(x, y)
    np.testing.assert_allclose(learner.predict(mtcars).response, direct.predict(x), rtol=1e-6)


def test_factor_features(mixed_classif, design_matrix):
    learner = lrn("classif.xgboost", predict_type="prob", **SMALL).train(mixed_classif)
    x, y = design_matrix(mixed_classif)
    direct = _direct(xgboost.XGBClassifier).fit(x, y)
    np.testing.assert_allclose(np.asarray(learner.predict(mixed_classif).prob, dtype=float),
                               direct.predict_proba(x), rtol=1e-6)


def test_missing_values_are_passed_on(mtcars, design_matrix):
    data = mtcars.data()
    data.loc[data.index[::3], "wt"] = np.nan
    data.loc[data.index[1::4], "hp"] = np.nan
    task = as_task_regr(data, target="mpg", id="mtcars_na")
    learner = lrn("regr.xgboost", **SMALL)
    assert "missings" in learner.properties
    learner.train(task)
    x, y = design_matrix(task)
    assert np.isnan(x).any()
    direct = _direct(xgboost.XGBRegressor).fit(x, y)
    np.testing.assert_allclose(learner.predict(task).response, direct.predict(x), rtol=1e-6)


def test_weights(iris, design_matrix):
    weights = np.linspace(0.1, 2.0, iris.nrow)
    task = as_task_classif(iris.data().assign(w=weights), target="Species", id="iris_w")
    task.set_col_roles("w", roles=["weights_learner"])
    learner = lrn("classif.xgboost", predict_type="prob", **SMALL).train(task)
    x, y = design_matrix(iris)
    direct = _direct(xgboost.XGBClassifier).fit(x, y, sample_weight=weights)
    unweighted = _direct(xgboost.XGBClassifier).fit(x, y)
    prob = np.asarray(learner.predict(task).prob, dtype=float)
    np.testing.assert_allclose(prob, direct.predict_proba(x), rtol=1e-6)
    assert not np.allclose(prob, unweighted.predict_proba(x))


def test_importance_is_gain_summed_over_one_hot_columns(mixed_classif, design_matrix):
    learner = lrn("classif.xgboost", **SMALL).train(mixed_classif)
    x, y = design_matrix(mixed_classif)
    direct = _direct(xgboost.XGBClassifier).fit(x, y)
    gain = direct.get_booster().get_score(importance_type="gain")
    total = sum(gain.values())
    expected = np.zeros(x.shape[1])
    for key, value in gain.items():
        expected[int(key[1:])] = value / total  # f0, f1, ...: normalised gains
    importance = learner.importance()
    assert set(importance.index) == set(mixed_classif.feature_names)
    assert importance["num"] == pytest.approx(expected[0], rel=1e-5)
    assert importance["fct"] == pytest.approx(expected[3:6].sum(), rel=1e-5, abs=1e-12)
    assert importance.index[0] == "num"  # the signal


def test_parameters_follow_mlr3learners():
    learner = lrn("classif.xgboost")
    assert learner.param_set.values["n_jobs"] == 1
    assert learner.param_set.values["verbosity"] == 0
    assert "threads" in learner.param_set.tags["n_jobs"]
    assert learner.param_set.default["n_estimators"] == 100
    assert learner.param_set.default["learning_rate"] == 0.3
    for bad in ({"learning_rate": 1.5}, {"subsample": -0.1}, {"max_depth": -1},
                {"n_estimators": 0}, {"reg_lambda": -1.0}, {"booster": "gbforest"},
                {"validate": 1.5}):
        with pytest.raises(ConfigError, match=repr(next(iter(bad)))):
            lrn("classif.xgboost", **bad)
    assert learner.properties >= {"twoclass", "multiclass", "missings", "weights", "importance"}


def test_early_stopping_on_a_validation_share(sonar):
    learner = lrn("classif.xgboost", n_estimators=200, early_stopping_rounds=5,
                  validate=0.3, random_state=1)
    np.random.seed(4)  # noqa: NPY002 - the split is drawn from numpy's global generator
    learner.train(sonar)
    tuned = learner.internal_tuned_values
    assert tuned is not None and 1 <= tuned["n_estimators"] < 200
    estimator = learner.model.estimator
    assert estimator.best_iteration + 1 == tuned["n_estimators"]
    scores = learner.internal_valid_scores
    assert set(scores) == {"logloss"}
    assert scores["logloss"] == pytest.approx(
        estimator.evals_result()["validation_0"]["logloss"][estimator.best_iteration]
    )



def test_validation_share_is_a_random_split_of_the_training_rows(sonar, design_matrix):
    params = {"n_estimators": 200, "early_stopping_rounds": 5, "random_state": 1}
    np.random.seed(4)  # noqa: NPY002
    learner = lrn("classif.xgboost", predict_type="prob", validate=0.3, **params).train(sonar)
    # by hand: 30 % of the rows, drawn by a permutation from the same generator state
    np.random.seed(4)  # noqa: NPY002
    perm = np.random.permutation(sonar.nrow)  # noqa: NPY002
    n_valid = round(0.3 * sonar.nrow)
    ids = np.asarray(sonar.row_ids)
    valid, train = np.sort(ids[perm[:n_valid]]), np.sort(ids[perm[n_valid:]])
    x_train, y_train = design_matrix(sonar, train)
    x_valid, y_valid = design_matrix(sonar, valid)
    direct = xgboost.XGBClassifier(**params, n_jobs=1).fit(
        x_train, y_train, eval_set=[(x_valid, y_valid)], verbose=False
    )
    assert learner.internal_tuned_values == {"n_estimators": direct.best_iteration + 1}
    np.testing.assert_allclose(
        np.asarray(learner.predict(sonar).prob, dtype=float)[:, 1],
        direct.predict_proba(design_matrix(sonar)[0])[:, 1], rtol=1e-6,
    )


def test_validation_without_early_stopping_records_scores(mtcars):
    learner = lrn("regr.xgboost", n_estimators=10, validate=0.25).train(mtcars)
    assert learner.internal_tuned_values is None
    assert set(learner.internal_valid_scores) == {"rmse"}
    assert lrn("regr.xgboost").train(mtcars).internal_valid_scores is None


def test_early_stopping_needs_validation_data(sonar):
    with pytest.raises(ConfigError, match="needs a validation set"):
        lrn("classif.xgboost", early_stopping_rounds=5).train(sonar)
    with pytest.raises(ConfigError, match="validate='test'.*resample"):
        lrn("classif.xgboost", validate="test").train(sonar)


def test_validate_test_uses_the_resampling_test_rows(sonar):
    learner = lrn("classif.xgboost", n_estimators=100, early_stopping_rounds=3,
                  validate="test", random_state=1)
    rr = resample(sonar, learner, rsmp("holdout"), store_models=True, seed=1)
    trained = rr.learners[0]
    assert trained.internal_tuned_values["n_estimators"] < 100
    assert trained.internal_valid_task is None  # the job runner removes it after training
    # the same fit by hand: train rows for training, test rows for early stopping
    resampling = rr.resampling
    by_hand = lrn("classif.xgboost", n_estimators=100, early_stopping_rounds=3,
                  validate="test", random_state=1)
    by_hand.internal_valid_task = sonar.clone().filter(resampling.test_set(0))
    by_hand.train(sonar, resampling.train_set(0))
    assert by_hand.internal_tuned_values == trained.internal_tuned_values
