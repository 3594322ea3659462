"""Penalised linear models, ``*.glmnet`` and ``*.cv_glmnet``: elastic nets from scikit-learn.

mlr3learners wraps R's glmnet, which minimises, for observations ``i = 1..n``,

    loss / n + lambda * ((1 - alpha) / 2 * ||beta||_2^2 + alpha * ||beta||_1)

(loss: half the residual sum of squares for ``regr``, the negative
log-likelihood for ``classif``). The scikit-learn estimators minimise the same
objective with other names:

==================  ================================  ====================================
glmnet              ``regr.glmnet`` (``ElasticNet``)  ``classif.glmnet`` (``LogisticRegression``)
==================  ================================  ====================================
``alpha`` (mixing)  ``l1_ratio`` (default 1.0)        ``l1_ratio`` (default 1.0)
``lambda``          ``alpha`` (default 0.01)          ``C = 1 / (lambda * n)`` (default 1.0)
``standardize``     not done: use ``po("scale")``     not done: use ``po("scale")``
``maxit``           ``max_iter`` (default 1000)       ``max_iter`` (default 1000)
``thresh``          ``tol``                           ``tol``
==================  ================================  ====================================

The defaults follow mlr3learners: a lasso (glmnet's ``alpha = 1``) and, for
``regr.glmnet``, the penalty mlr3learners predicts with (``s = 0.01``).
``classif.glmnet`` uses the "saga" solver, the one scikit-learn solver for
every elastic net mixing; ``C`` is the inverse of ``lambda * n``, so the same
``C`` penalises less on more rows. Two classes give a binomial model, more a
multinomial one, as glmnet's ``family``.

The ``*.cv_glmnet`` learners choose the penalty by 10-fold cross-validation
(glmnet's ``nfolds = 10``) over a path (``Cs`` / ``alphas``), scoring
``classif`` by log loss (cv.glmnet's deviance), and refit on all training rows
with the best one (scikit-learn's choice is cv.glmnet's ``lambda.min``, not
the mlr3learners default ``lambda.1se``). The folds are consecutive blocks of
the training rows (stratified for ``classif``), not shuffled.
"""

from __future__ import annotations

from sklearn.linear_model import ElasticNet, ElasticNetCV, LogisticRegression, LogisticRegressionCV

from mlr3py.learners._sklearn import LearnerClassifSklearn, LearnerRegrSklearn

__all__ = [
    "LearnerClassifCVGlmnet",
    "LearnerClassifGlmnet",
    "LearnerRegrCVGlmnet",
    "LearnerRegrGlmnet",
]

_CV_FOLDS = 10


class LearnerClassifGlmnet(LearnerClassifSklearn):
    """Penalised logistic regression, ``classif.glmnet``: ``LogisticRegression`` with "saga".

    Main parameters: ``C`` (inverse penalty, ``1 / (lambda * n)``, default
    1.0), ``l1_ratio`` (glmnet's ``alpha``, default 1.0: lasso), ``max_iter``
    (default 1000), ``tol``, ``fit_intercept``, ``class_weight``.
    Properties: twoclass, multiclass, weights. Predict types: response, prob.
    """

    def __init__(self) -> None:
        super().__init__(
            LogisticRegression(l1_ratio=1.0, solver="saga", max_iter=1000),
            "classif.glmnet",
            label="GLM with Elastic Net Regularization",
        )


class LearnerRegrGlmnet(LearnerRegrSklearn):
    """Elastic net regression, ``regr.glmnet``: scikit-learn's ``ElasticNet``.

    Main parameters: ``alpha`` (glmnet's ``lambda``, default 0.01),
    ``l1_ratio`` (glmnet's ``alpha``, default 1.0: lasso), ``max_iter``
    (default 1000), ``tol``, ``fit_intercept``, ``positive``, ``selection``.
    Properties: weights. Predict type: response.
    """

    def __init__(self) -> None:
        super().__init__(
            ElasticNet(alpha=0.01, l1_ratio=1.0),
            "regr.glmnet",
            label="GLM with Elastic Net Regularization",
        )


class LearnerClassifCVGlmnet(LearnerClassifSklearn):
    """Penalised logistic regression with a cross-validated penalty, ``classif.cv_glmnet``.

    scikit-learn's ``LogisticRegressionCV`` with "saga". Main parameters:
    ``Cs`` (the number of penalties on a log grid in [1e-4, 1e4], or the list
    of them; default 10), ``l1_ratios`` (default ``(1.0,)``: lasso), ``cv``
    (default 10), ``scoring`` (default "neg_log_loss"), ``max_iter`` (default
    1000), ``n_jobs`` (tagged ``threads``, default 1). The chosen penalty is
    the fitted estimator's ``C_``.
    Properties: twoclass, multiclass, weights. Predict types: response, prob.
    """

    def __init__(self) -> None:
        super().__init__(
            LogisticRegressionCV(
                l1_ratios=(1.0,), solver="saga", cv=_CV_FOLDS, scoring="neg_log_loss",
                max_iter=1000, use_legacy_attributes=False,
            ),
            "classif.cv_glmnet",
            label="GLM with Elastic Net Regularization",
        )
        self.param_set.set_values(n_jobs=1)


class LearnerRegrCVGlmnet(LearnerRegrSklearn):
    """Elastic net regression with a cross-validated penalty, ``regr.cv_glmnet``.

    scikit-learn's ``ElasticNetCV``. Main parameters: ``alphas`` (the number
    of penalties on the path, default 100, or the list of them; glmnet's
    ``nlambda``), ``eps`` (smallest over largest penalty, default 1e-3),
    ``l1_ratio`` (default 1.0: lasso), ``cv`` (default 10), ``max_iter``,
    ``n_jobs`` (tagged ``threads``, default 1). The chosen penalty is the
    fitted estimator's ``alpha_``.
    Properties: weights. Predict type: response.
    """

    def __init__(self) -> None:
        super().__init__(
            ElasticNetCV(l1_ratio=1.0, cv=_CV_FOLDS),
            "regr.cv_glmnet",
            label="GLM with Elastic Net Regularization",
        )
        self.param_set.set_values(n_jobs=1)
