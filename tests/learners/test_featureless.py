"""classif.featureless and regr.featureless (mlr3 semantics)."""

from __future__ import annotations

import numpy as np
import pytest

from mlr3py.errors import ConfigError, NotTrainedError
from mlr3py.learners import mlr_learners


def _prob(prediction) -> np.ndarray:
    return np.asarray(prediction.prob, dtype=float)


def test_mode_predicts_majority_class(sonar):
    learner = mlr_learners.get("classif.featureless")
    assert learner.param_set.values["method"] == "mode"
    subset = sonar.row_ids[85:]  # 111 M, 12 R
    prediction = learner.train(sonar, subset).predict(sonar)
    assert set(prediction.response) == {"M"}
    np.testing.assert_array_equal(learner.model.counts, [111, 12])


def test_mode_prob_is_training_frequencies(iris):
    learner = mlr_learners.get("classif.featureless", predict_type="prob")
    rows = iris.row_ids[:60]  # 50 setosa, 10 versicolor, 0 virginica
    prediction = learner.train(iris, rows).predict(iris, iris.row_ids[:5])
    np.testing.assert_allclose(_prob(prediction), np.tile([50 / 60, 10 / 60, 0.0], (5, 1)))
    assert set(prediction.response) == {"setosa"}


def test_mode_ties_broken_at_random_once_per_prediction(iris, seed_global_rng):
    learner = mlr_learners.get("classif.featureless").train(iris)
    seen = set()
    for seed in range(20):
        seed_global_rng(seed)
        response = set(learner.predict(iris).response)
        assert len(response) == 1
        seen |= response
    assert len(seen) > 1


def test_sample_draws_uniformly(iris, seed_global_rng):
    learner = mlr_learners.get("classif.featureless", method="sample", predict_type="prob")
    learner.train(iris, iris.row_ids[:50])  # only setosa in training
    seed_global_rng(1)
    prediction = learner.predict(iris)
    assert set(prediction.response) == {"setosa", "versicolor", "virginica"}
    np.testing.assert_allclose(_prob(prediction), 1 / 3)


def test_weighted_sample_follows_frequencies(sonar, seed_global_rng):
    learner = mlr_learners.get(
        "classif.featureless", method="weighted.sample", predict_type="prob"
    )
    learner.train(sonar, sonar.row_ids[85:])
    seed_global_rng(2)
    big = sonar.clone()
    prediction = learner.predict(big)
    share_m = np.mean(np.asarray(prediction.response) == "M")
    assert 0.8 < share_m < 0.99
    prob = _prob(prediction)
    # probability one for the drawn label
    np.testing.assert_array_equal(prob[:, 0] == 1, np.asarray(prediction.response) == "M")


def test_featureless_is_reproducible_with_numpy_seed(iris, seed_global_rng):
    learner = mlr_learners.get("classif.featureless", method="sample").train(iris)
    seed_global_rng(42)
    first = list(learner.predict(iris).response)
    seed_global_rng(42)
    assert list(learner.predict(iris).response) == first


def test_invalid_method_message():
    learner = mlr_learners.get("classif.featureless")
    with pytest.raises(ConfigError, match="'method' parameter of Learner 'classif.featureless'"):
        learner.param_set.values["method"] = "median"


def test_regr_mean_and_sd(mtcars):
    learner = mlr_learners.get("regr.featureless", predict_type="se").train(mtcars)
    y = mtcars.truth()
    prediction = learner.predict(mtcars, mtcars.row_ids[:3])
    np.testing.assert_allclose(prediction.response, [y.mean()] * 3)
    np.testing.assert_allclose(prediction.se, [y.std(ddof=1)] * 3)


def test_regr_robust_median_and_mad(mtcars):
    learner = mlr_learners.get("regr.featureless", robust=True, predict_type="se")
    prediction = learner.train(mtcars).predict(mtcars)
    y = mtcars.truth()
    median = np.median(y)
    np.testing.assert_allclose(prediction.response, median)
    np.testing.assert_allclose(prediction.se, 1.4826 * np.median(np.abs(y - median)))


def test_featureless_handles_missing_values(penguins):
    prediction = mlr_learners.get("classif.featureless").train(penguins).predict(penguins)
    assert set(prediction.response) == {"Adelie"}


def test_importance_is_zero(iris):
    learner = mlr_learners.get("classif.featureless")
    with pytest.raises(NotTrainedError):
        learner.importance()
    importance = learner.train(iris).importance()
    assert list(importance.index) == iris.feature_names
    assert (importance == 0).all()
