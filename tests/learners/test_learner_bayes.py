"""classif.naive_bayes, classif.lda and classif.qda: generative classifiers from scikit-learn."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.discriminant_analysis import (
    LinearDiscriminantAnalysis,
    QuadraticDiscriminantAnalysis,
)
from sklearn.naive_bayes import GaussianNB

from mlr3py import lrn
from mlr3py.tasks import as_task_classif

ESTIMATORS = {
    "classif.naive_bayes": GaussianNB,
    "classif.lda": LinearDiscriminantAnalysis,
    "classif.qda": QuadraticDiscriminantAnalysis,
}


@pytest.mark.parametrize("key", list(ESTIMATORS))
def test_equals_the_estimator_fitted_directly(key, iris, design_matrix):
    train, test = iris.row_ids[::2], iris.row_ids[1::2]
    learner = lrn(key, predict_type="prob").train(iris, train)
    x_train, y_train = design_matrix(iris, train)
    x_test, _ = design_matrix(iris, test)
    direct = ESTIMATORS[key]().fit(x_train, y_train)
    prediction = learner.predict(iris, test)
    np.testing.assert_allclose(np.asarray(prediction.prob, dtype=float),
                               direct.predict_proba(x_test))
    expected = np.asarray(iris.class_names, dtype=object)[direct.predict(x_test)]
    np.testing.assert_array_equal(np.asarray(prediction.response), expected)
    assert prediction.score("classif.ce").iloc[0] < 0.1


def test_naive_bayes_one_hot_encodes_factors(mixed_classif, design_matrix):
    learner = lrn("classif.naive_bayes", predict_type="prob").train(mixed_classif)
    x, y = design_matrix(mixed_classif)
    direct = GaussianNB().fit(x, y)
    assert learner.model.estimator.theta_.shape == (2, 7)  # 3 one-hot columns for fct
    np.testing.assert_allclose(np.asarray(learner.predict(mixed_classif).prob, dtype=float),
                               direct.predict_proba(x))


def test_naive_bayes_uses_weights(iris, design_matrix):
    weights = np.linspace(0.1, 2.0, iris.nrow)
    task = as_task_classif(iris.data().assign(w=weights), target="Species", id="iris_w")
    task.set_col_roles("w", roles=["weights_learner"])
    learner = lrn("classif.naive_bayes").train(task)
    x, y = design_matrix(iris)
    direct = GaussianNB().fit(x, y, sample_weight=weights)
    np.testing.assert_allclose(learner.model.estimator.theta_, direct.theta_)
    assert "weights" not in lrn("classif.lda").properties


@pytest.mark.parametrize("key", ["classif.lda", "classif.qda"])
def test_discriminant_analysis_codes_factors_without_the_first_level(
    key, mixed_classif, design_matrix
):
    learner = lrn(key, predict_type="prob").train(mixed_classif)
    x, y = design_matrix(mixed_classif)
    # num, int, lgl, fct.a (dropped), fct.b, fct.c, ord: MASS's treatment coding
    x = np.delete(x, 3, axis=1)
    direct = ESTIMATORS[key]().fit(x, y)
    assert learner.model.estimator.n_features_in_ == 6
    np.testing.assert_allclose(np.asarray(learner.predict(mixed_classif).prob, dtype=float),
                               direct.predict_proba(x))
    # the same coding at predict time, for new data too
    newdata = mixed_classif.data(rows=mixed_classif.row_ids[:5], cols=mixed_classif.feature_names)
    np.testing.assert_allclose(np.asarray(learner.predict_newdata(newdata).prob, dtype=float),
                               direct.predict_proba(x[:5]))


def test_qda_reg_param_reaches_the_estimator(iris):
    learner = lrn("classif.qda", reg_param=0.5).train(iris)
    assert learner.model.estimator.reg_param == 0.5
