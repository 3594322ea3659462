"""The built-in scikit-learn learners, named as in mlr3 / mlr3learners.

Parameter names and defaults are scikit-learn's: each learner's parameter set
is derived from its estimator's declared constraints (see
:func:`mlr3py.learners.as_learner`), so every constructor argument of the
estimator is a parameter, validated on assignment. Factor features are one-hot
encoded, ordered features become level indices, logical features 0/1.

Where an estimator has ``random_state`` and it is not set, training draws it
from numpy's global generator (seed numpy for reproducible results).

Tasks may hold infinite feature values (as in mlr3); these learners refuse
them at train and predict time with an :class:`~mlr3py.errors.InputError`
naming the features, as they do zero training rows, a task without features
and (``*.kknn``) more neighbours than training rows. Parameter combinations
scikit-learn rejects (e.g. ``classif.log_reg`` with ``penalty="l1"`` and
``solver="lbfgs"``) are :class:`~mlr3py.errors.ConfigError` as soon as they
are set.
"""

from __future__ import annotations

from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

from mlr3py.learners._oob import OobErrorMixin
from mlr3py.learners._sklearn import LearnerClassifSklearn, LearnerRegrSklearn

__all__ = [
    "LearnerClassifKKNN",
    "LearnerClassifLogReg",
    "LearnerClassifRanger",
    "LearnerClassifRpart",
    "LearnerRegrKKNN",
    "LearnerRegrLM",
    "LearnerRegrRanger",
    "LearnerRegrRpart",
]


class LearnerClassifRpart(LearnerClassifSklearn):
    """Classification tree (CART), ``classif.rpart``: scikit-learn's ``DecisionTreeClassifier``.

    Main parameters: ``criterion`` ({"gini", "entropy", "log_loss"}),
    ``max_depth`` (int >= 1 or None), ``min_samples_split``,
    ``min_samples_leaf``, ``max_features``, ``max_leaf_nodes``,
    ``min_impurity_decrease``, ``ccp_alpha`` (cost-complexity pruning, the
    counterpart of rpart's ``cp``), ``class_weight``, ``random_state``.
    Properties: twoclass, multiclass, missings, weights, importance.
    Predict types: response, prob.
    """

    def __init__(self) -> None:
        super().__init__(
            DecisionTreeClassifier(), "classif.rpart", label="Classification Tree"
        )


class LearnerRegrRpart(LearnerRegrSklearn):
    """Regression tree (CART), ``regr.rpart``: scikit-learn's ``DecisionTreeRegressor``.

    Main parameters: ``criterion`` ({"squared_error", "friedman_mse",
    "absolute_error", "poisson"}), ``max_depth``, ``min_samples_split``,
    ``min_samples_leaf``, ``max_features``, ``max_leaf_nodes``, ``ccp_alpha``,
    ``random_state``. Properties: missings, weights, importance.
    Predict type: response.
    """

    def __init__(self) -> None:
        super().__init__(DecisionTreeRegressor(), "regr.rpart", label="Regression Tree")


class LearnerClassifRanger(OobErrorMixin, LearnerClassifSklearn):
    """Random forest, ``classif.ranger``: scikit-learn's ``RandomForestClassifier``.

    Main parameters: ``n_estimators`` (default 100), ``max_features``
    (default "sqrt", ranger's ``mtry``), ``max_depth``, ``min_samples_leaf``,
    ``bootstrap``, ``max_samples``, ``class_weight``, ``random_state``,
    ``n_jobs`` (tagged ``threads``, set to 1 by default).
    Properties: twoclass, multiclass, missings, weights, importance, oob_error
    (``oob_error()``, the out-of-bag classification error, with ``oob_score=True``).
    Predict types: response, prob.
    """

    def __init__(self) -> None:
        super().__init__(RandomForestClassifier(), "classif.ranger", label="Random Forest")
        self.param_set.set_values(n_jobs=1)
        self.properties.add("oob_error")


class LearnerRegrRanger(OobErrorMixin, LearnerRegrSklearn):
    """Random forest, ``regr.ranger``: scikit-learn's ``RandomForestRegressor``.

    Main parameters: ``n_estimators`` (default 100), ``max_features``
    (default 1.0), ``max_depth``, ``min_samples_leaf``, ``bootstrap``,
    ``max_samples``, ``random_state``, ``n_jobs`` (tagged ``threads``, set to
    1 by default). Properties: missings, weights, importance, oob_error
    (``oob_error()``, the out-of-bag mean squared error, with ``oob_score=True``).
    Predict type: response.
    """

    def __init__(self) -> None:
        super().__init__(RandomForestRegressor(), "regr.ranger", label="Random Forest")
        self.param_set.set_values(n_jobs=1)
        self.properties.add("oob_error")


class LearnerClassifLogReg(LearnerClassifSklearn):
    """Logistic regression, ``classif.log_reg``: scikit-learn's ``LogisticRegression``.

    Main parameters: ``C`` (inverse regularisation strength, default 1.0),
    ``l1_ratio``, ``solver``, ``max_iter`` (default 100), ``tol``,
    ``fit_intercept``, ``class_weight``. Unlike R's ``glm``, scikit-learn
    regularises by default; set a large ``C`` for a plain maximum-likelihood
    fit. Properties: twoclass, multiclass, weights. Predict types: response, prob.
    """

    def __init__(self) -> None:
        super().__init__(
            LogisticRegression(), "classif.log_reg", label="Logistic Regression"
        )


class LearnerRegrLM(LearnerRegrSklearn):
    """Linear model (ordinary least squares), ``regr.lm``: scikit-learn's ``LinearRegression``.

    Parameters: ``fit_intercept`` (default True), ``positive`` (default
    False), ``copy_X``, ``n_jobs`` (tagged ``threads``), ``tol``.
    Properties: weights. Predict type: response.
    """

    def __init__(self) -> None:
        super().__init__(LinearRegression(), "regr.lm", label="Linear Model")


class LearnerClassifKKNN(LearnerClassifSklearn):
    """k-nearest neighbours, ``classif.kknn``: scikit-learn's ``KNeighborsClassifier``.

    Main parameters: ``n_neighbors`` (k, default 5), ``weights``
    ({"uniform", "distance"} or a callable; "distance" is the closest
    counterpart of kknn's weighting), ``p`` (Minkowski power, default 2),
    ``metric``, ``algorithm``, ``leaf_size``, ``n_jobs`` (tagged ``threads``).
    Features are not scaled. Properties: twoclass, multiclass.
    Predict types: response, prob.
    """

    def __init__(self) -> None:
        super().__init__(
            KNeighborsClassifier(), "classif.kknn", label="k-Nearest-Neighbor Classification"
        )


class LearnerRegrKKNN(LearnerRegrSklearn):
    """k-nearest neighbours, ``regr.kknn``: scikit-learn's ``KNeighborsRegressor``.

    Main parameters: ``n_neighbors`` (default 5), ``weights``, ``p``,
    ``metric``, ``algorithm``, ``leaf_size``, ``n_jobs`` (tagged ``threads``).
    Features are not scaled. Predict type: response.
    """

    def __init__(self) -> None:
        super().__init__(
            KNeighborsRegressor(), "regr.kknn", label="k-Nearest-Neighbor Regression"
        )
