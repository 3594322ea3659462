"""classif.glmnet, regr.glmnet and their cv_ twins: elastic nets from scikit-learn."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import minimize
from sklearn.linear_model import ElasticNet, ElasticNetCV, LogisticRegression, LogisticRegressionCV

from mlr3py import lrn
from mlr3py.errors import ConfigError
from mlr3py.tasks import as_task_regr

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


def test_classif_glmnet_equals_logistic_regression_with_saga(sonar, design_matrix):
    train, test = sonar.row_ids[::2], sonar.row_ids[1::2]
    learner = lrn(
        "classif.glmnet", predict_type="prob", C=5.0, l1_ratio=0.5, random_state=2
    ).train(sonar, train)
    x_train, y_train = design_matrix(sonar, train)
    x_test, _ = design_matrix(sonar, test)
    direct = LogisticRegression(
        C=5.0, l1_ratio=0.5, solver="saga", max_iter=1000, random_state=2
    ).fit(x_train, y_train)
    np.testing.assert_allclose(learner.model.estimator.coef_, direct.coef_)
    prediction = learner.predict(sonar, test)
    np.testing.assert_allclose(np.asarray(prediction.prob, dtype=float),
                               direct.predict_proba(x_test))
    expected = np.asarray(sonar.class_names, dtype=object)[direct.predict(x_test)]
    np.testing.assert_array_equal(np.asarray(prediction.response), expected)


def test_classif_glmnet_defaults_are_a_lasso():
    learner = lrn("classif.glmnet")
    assert learner.estimator.get_params()["l1_ratio"] == 1.0
    assert learner.estimator.get_params()["solver"] == "saga"
    # the l1 penalty needs saga (or liblinear): the combination is checked when set
    with pytest.raises(ConfigError, match="solver='saga'"):
        lrn("classif.glmnet", solver="lbfgs")


def test_classif_glmnet_multiclass_is_multinomial(iris, design_matrix):
    learner = lrn("classif.glmnet", predict_type="prob", random_state=1).train(iris)
    x, y = design_matrix(iris)
    direct = LogisticRegression(l1_ratio=1.0, solver="saga", max_iter=1000,
                                random_state=1).fit(x, y)
    assert learner.model.estimator.coef_.shape == (3, 4)
    np.testing.assert_allclose(np.asarray(learner.predict(iris).prob, dtype=float),
                               direct.predict_proba(x))


def test_regr_glmnet_equals_elastic_net(mtcars, design_matrix):
    learner = lrn("regr.glmnet").train(mtcars)
    x, y = design_matrix(mtcars)
    direct = ElasticNet(alpha=0.01, l1_ratio=1.0).fit(x, y)
    np.testing.assert_allclose(learner.model.estimator.coef_, direct.coef_)
    np.testing.assert_allclose(learner.predict(mtcars).response, direct.predict(x))


def test_regr_glmnet_lambda_is_alpha_and_lasso_is_sparse(mtcars):
    weak = lrn("regr.glmnet", alpha=0.01).train(mtcars).model.estimator
    strong = lrn("regr.glmnet", alpha=2.0).train(mtcars).model.estimator
    assert np.count_nonzero(strong.coef_) < np.count_nonzero(weak.coef_)
    ridge = lrn("regr.glmnet", alpha=2.0, l1_ratio=0.0).train(mtcars).model.estimator
    assert np.count_nonzero(ridge.coef_) == len(ridge.coef_)


def test_regr_glmnet_factor_features_and_weights(mixed_regr, design_matrix):
    data = mixed_regr.data()
    weights = np.linspace(0.1, 1.0, len(data))
    task = as_task_regr(data.assign(w=weights), target="y", id="mixed_regr_w")
    task.set_col_roles("w", roles=["weights_learner"])
    learner = lrn("regr.glmnet", alpha=0.05, l1_ratio=0.5).train(task)
    x, y = design_matrix(mixed_regr)
    assert x.shape[1] == 4  # x and the 3 levels of fct
    direct = ElasticNet(alpha=0.05, l1_ratio=0.5).fit(x, y, sample_weight=weights)
    np.testing.assert_allclose(learner.model.estimator.coef_, direct.coef_)
    np.testing.assert_allclose(learner.predict(task).response, direct.predict(x))


def test_classif_cv_glmnet_equals_logistic_regression_cv(iris, design_matrix):
    learner = lrn("classif.cv_glmnet", Cs=4, predict_type="prob", random_state=5).train(iris)
    x, y = design_matrix(iris)
    direct = LogisticRegressionCV(
        Cs=4, l1_ratios=(1.0,), solver="saga", cv=10, scoring="neg_log_loss",
        max_iter=1000, use_legacy_attributes=False, random_state=5,
    ).fit(x, y)
    fitted = learner.model.estimator
    assert fitted.C_ == pytest.approx(direct.C_)
    np.testing.assert_allclose(np.asarray(learner.predict(iris).prob, dtype=float),
                               direct.predict_proba(x))
    assert learner.param_set.values["n_jobs"] == 1


def test_regr_cv_glmnet_equals_elastic_net_cv(mtcars, design_matrix):
    learner = lrn("regr.cv_glmnet").train(mtcars)
    x, y = design_matrix(mtcars)
    direct = ElasticNetCV(l1_ratio=1.0, cv=10).fit(x, y)
    assert learner.model.estimator.alpha_ == pytest.approx(direct.alpha_)
    np.testing.assert_allclose(learner.predict(mtcars).response, direct.predict(x))


def test_classif_glmnet_c_is_one_over_lambda_times_n(sonar, design_matrix):
    # glmnet's objective with alpha = 0 (ridge): mean negative log-likelihood + lambda / 2 |w|^2
    lam, n = 0.05, sonar.nrow
    x, y = design_matrix(sonar)

    def objective(p):
        z = x @ p[:-1] + p[-1]
        return np.mean(np.logaddexp(0, z) - y * z) + lam / 2 * p[:-1] @ p[:-1]

    optimum = minimize(objective, np.zeros(x.shape[1] + 1), method="BFGS",
                       options={"gtol": 1e-9}).x
    learner = lrn("classif.glmnet", C=1 / (lam * n), l1_ratio=0.0, tol=1e-10, max_iter=20000,
                  random_state=1).train(sonar)
    np.testing.assert_allclose(learner.model.estimator.coef_[0], optimum[:-1], atol=1e-4)
