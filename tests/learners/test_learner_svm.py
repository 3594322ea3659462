"""classif.svm and regr.svm: scikit-learn's SVC / SVR, probabilities, factors, tuning."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.calibration import CalibratedClassifierCV
from sklearn.svm import SVC, SVR

from mlr3py import lrn, msr, rsmp, tnr, tune
from mlr3py.errors import LearnerPredictError
from mlr3py.params import to_tune


def _halves(task):
    return task.row_ids[::2], task.row_ids[1::2]


def test_classif_svm_equals_svc(sonar, design_matrix):
    train, test = _halves(sonar)
    learner = lrn("classif.svm", C=10.0, gamma=0.05).train(sonar, train)
    x_train, y_train = design_matrix(sonar, train)
    x_test, _ = design_matrix(sonar, test)
    direct = SVC(C=10.0, gamma=0.05).fit(x_train, y_train)
    expected = np.asarray(sonar.class_names, dtype=object)[direct.predict(x_test)]
    np.testing.assert_array_equal(np.asarray(learner.predict(sonar, test).response), expected)
    np.testing.assert_allclose(
        learner.model.estimator.decision_function(x_test), direct.decision_function(x_test)
    )


def test_classif_svm_prob_is_platt_scaling_of_svc(iris, design_matrix):
    learner = lrn("classif.svm", predict_type="prob", C=2.0).train(iris)
    x, y = design_matrix(iris)
    direct = CalibratedClassifierCV(SVC(C=2.0), method="sigmoid", cv=5, ensemble=False)
    direct.fit(x, y)
    prediction = learner.predict(iris)
    prob = np.asarray(prediction.prob, dtype=float)
    np.testing.assert_allclose(prob, direct.predict_proba(x))
    np.testing.assert_allclose(prob.sum(axis=1), 1.0)
    # the response is the class of largest probability
    expected = np.asarray(iris.class_names, dtype=object)[prob.argmax(axis=1)]
    np.testing.assert_array_equal(np.asarray(prediction.response), expected)
    assert "probability" not in learner.param_set.ids()  # deprecated in scikit-learn 1.9


def test_classif_svm_response_training_has_no_probabilities(sonar):
    learner = lrn("classif.svm").train(sonar)
    assert isinstance(learner.model.estimator, SVC)
    learner.predict_type = "prob"
    with pytest.raises(LearnerPredictError, match="predict_type = 'prob' before training"):
        learner.predict(sonar)


def test_classif_svm_factor_features(mixed_classif, design_matrix):
    learner = lrn("classif.svm", kernel="linear").train(mixed_classif)
    x, y = design_matrix(mixed_classif)
    assert x.shape[1] == 7  # num, int, lgl, 3 levels of fct, ord
    direct = SVC(kernel="linear").fit(x, y)
    np.testing.assert_allclose(learner.model.estimator.coef_, direct.coef_)
    expected = np.asarray(mixed_classif.class_names, dtype=object)[direct.predict(x)]
    np.testing.assert_array_equal(np.asarray(learner.predict(mixed_classif).response), expected)


def test_classif_svm_weights_reach_svc(sonar, design_matrix):
    weights = np.linspace(0.2, 2.0, sonar.nrow)
    weighted = sonar.clone()
    weighted.cbind(weighted.data(cols=[]).assign(w=weights))
    weighted.set_col_roles("w", roles=["weights_learner"])
    learner = lrn("classif.svm").train(weighted)
    x, y = design_matrix(sonar)
    direct = SVC().fit(x, y, sample_weight=weights)
    np.testing.assert_allclose(learner.model.estimator.dual_coef_, direct.dual_coef_)


def test_regr_svm_equals_svr(mtcars, design_matrix):
    train, test = _halves(mtcars)
    learner = lrn("regr.svm", C=50.0, epsilon=0.5, kernel="linear").train(mtcars, train)
    x_train, y_train = design_matrix(mtcars, train)
    x_test, _ = design_matrix(mtcars, test)
    direct = SVR(C=50.0, epsilon=0.5, kernel="linear").fit(x_train, y_train)
    np.testing.assert_allclose(learner.predict(mtcars, test).response, direct.predict(x_test))


def test_svm_parameters_are_validated():
    with pytest.raises(ValueError, match="'C'"):
        lrn("classif.svm", C=-1.0)
    with pytest.raises(ValueError, match="'kernel'"):
        lrn("classif.svm", kernel="radial")


def test_tune_svm_cost_and_gamma_on_log_scale(sonar):
    learner = lrn(
        "classif.svm",
        C=to_tune(1e-1, 1e5, logscale=True),
        gamma=to_tune(1e-1, 1, logscale=True),
        kernel="rbf",
    )
    instance = tune(
        tnr("random_search", batch_size=4), sonar, learner, rsmp("cv", folds=3),
        msr("classif.ce"), term_evals=8, seed=7,
    )
    archive = instance.archive.data
    assert len(archive) == 8
    # the archive holds the logarithms, x_domain the values trained with
    for log_c, log_gamma, x_domain in archive[["C", "gamma", "x_domain"]].itertuples(index=False):
        assert np.log(1e-1) <= log_c <= np.log(1e5)
        assert np.log(1e-1) <= log_gamma <= 0
        assert x_domain["C"] == pytest.approx(np.exp(log_c))
        assert x_domain["gamma"] == pytest.approx(np.exp(log_gamma))
    best = instance.result_learner_param_vals
    assert best["kernel"] == "rbf"
    assert float(instance.result_y.iloc[0]) == archive["classif.ce"].min()
    assert archive["classif.ce"].min() < 0.3  # sonar's featureless error is about 0.47
