"""The built-in tuning spaces of mlr3tuningspaces, on mlr3py's (scikit-learn's) parameters.

Two collections, each for classification and regression:

- ``"<learner>.default"``: Bischl et al. (2023), "Hyperparameter optimization:
  Foundations, algorithms, best practices, and open challenges", WIREs Data
  Mining and Knowledge Discovery 13(2), e1484 (arXiv 2021).
- ``"<learner>.rbv2"``: the RandomBot v2 spaces, Binder, Pfisterer and Bischl
  (2020), "Collecting empirical data about hyperparameters for data driven
  AutoML", AutoML workshop at ICML.

for ``rpart``, ``ranger``, ``svm``, ``glmnet``, ``kknn`` and (with the
``xgboost`` extra) ``xgboost``. The ``kknn`` spaces are those of
mlr3tuningspaces before it dropped ``kknn`` (removed from CRAN).

The R learners' parameters are renamed to the scikit-learn ones the mlr3py
learners have; where the two differ in meaning, the space says so in its
``note`` and below. A parameter without an equivalent is left out.

rpart (``DecisionTree*``)
    ``minsplit`` -> ``min_samples_split`` (at least 2: scikit-learn rejects 1,
    which rpart treats as 2), ``minbucket`` -> ``min_samples_leaf``,
    ``maxdepth`` -> ``max_depth``, ``cp`` -> ``ccp_alpha`` over the same
    numbers. They are not the same scale: rpart's ``cp`` is the improvement a
    split must bring relative to the root node's error, ``ccp_alpha`` the
    absolute cost-complexity penalty (impurity per leaf) of minimal
    cost-complexity pruning.
ranger (``RandomForest*``)
    ``num.trees`` -> ``n_estimators``, ``mtry.ratio`` -> ``max_features`` as a
    fraction (0 gives one feature, as ranger's ``mtry = max(1, ...)``),
    ``sample.fraction`` -> ``max_samples``, ``min.node.size`` (the smallest node
    that is split) -> ``min_samples_split`` (at least 2). Left out:
    ``replace`` (scikit-learn's forests always draw with replacement, and
    ``bootstrap=False`` ignores ``max_samples``), ``splitrule``,
    ``num.random.splits`` (extremely randomised trees are another estimator)
    and ``respect.unordered.factors`` (no factor handling in the trees).
svm (``SVC`` / ``SVR``)
    ``cost`` -> ``C``, ``gamma``, ``degree``, ``tolerance`` -> ``tol``;
    ``kernel`` levels ``linear``, ``polynomial`` -> ``"poly"``, ``radial`` ->
    ``"rbf"``, ``sigmoid``. libsvm has no iteration limit by default
    (``max_iter=-1``); ``get_learner(max_iter=...)`` bounds each fit.
glmnet (``LogisticRegression`` / ``ElasticNet``)
    ``alpha`` (the mixing) -> ``l1_ratio``; ``s`` (the penalty lambda) ->
    ``alpha`` for ``regr.glmnet`` (the same objective) and ``C`` for
    ``classif.glmnet``, which is ``1 / (lambda * n)``: the space tunes ``C``
    over the inverse of the ``s`` range, so the penalty it covers scales with
    the number of training rows ``n``.
kknn (``KNeighbors*``)
    ``k`` -> ``n_neighbors``, ``distance`` (the Minkowski power) -> ``p``,
    ``kernel`` -> ``weights`` where scikit-learn has the kernel:
    ``rectangular`` -> ``"uniform"``, ``inv`` -> ``"distance"``; the other
    kernels are left out. ``n_neighbors`` must not exceed the training rows.
xgboost (``XGB*``)
    ``nrounds`` -> ``n_estimators``, ``eta`` -> ``learning_rate``, ``lambda``
    -> ``reg_lambda``, ``alpha`` -> ``reg_alpha``; the others keep their names.
    Left out: ``rate_drop`` and ``skip_drop`` of the dart booster, which the
    mlr3py learner's parameter set does not hold.

Examples
--------
>>> from mlr3py.tuning import mlr_tuning_spaces
>>> "classif.ranger.rbv2" in mlr_tuning_spaces
True
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from mlr3py.learners import mlr_learners
from mlr3py.params import TuneToken, p_dbl, to_tune
from mlr3py.tuning._tuning_space import TuningSpace, mlr_tuning_spaces

__all__ = ["AtLeast"]


@dataclass(frozen=True)
class AtLeast:
    """``max(x, bound)``: a picklable trafo keeping a sampled value above a bound.

    Parameters
    ----------
    bound : float
        The smallest value handed to the learner.
    """

    bound: float

    @property
    def __name__(self) -> str:  # shown by Domain.__repr__
        return "at_least"

    def __call__(self, x: Any) -> float:
        """Return ``max(x, bound)``."""
        return max(float(x), self.bound)


# a fraction in [0, 1] as scikit-learn's max_features, which must be > 0; any
# fraction below 1 / n_features gives one feature, as ranger's mtry.ratio = 0
_MTRY_RATIO = to_tune(p_dbl(0, 1, trafo=AtLeast(1e-9)))

_TREE_NOTE = ("cp -> ccp_alpha over the same numbers, though not the same scale (rpart's cp "
              "is relative to the root node's error, ccp_alpha an absolute penalty)")
_FOREST_NOTE = ("mtry.ratio -> max_features, sample.fraction -> max_samples, num.trees -> "
                "n_estimators; left out: replace (scikit-learn draws with replacement)")
_SVM_NOTE = "cost -> C; kernel levels polynomial -> 'poly', radial -> 'rbf'"
_GLMNET_NOTE = {
    "classif": "alpha -> l1_ratio; s -> C = 1 / (s * n), tuned over the inverse of the s range",
    "regr": "alpha -> l1_ratio; s -> alpha (ElasticNet's penalty)",
}
_KKNN_NOTE = ("k -> n_neighbors, distance -> p, kernel -> weights (rectangular -> 'uniform', "
              "inv -> 'distance'; the other kernels are left out)")
_XGB_NOTE = "nrounds -> n_estimators, eta -> learning_rate, lambda -> reg_lambda, " \
    "alpha -> reg_alpha"

_DEFAULT: dict[str, tuple[str, str, dict[str, TuneToken]]] = {
    "glmnet": ("GLM", "", {}),  # filled per task type below: the penalty differs
    "kknn": ("KKNN", _KKNN_NOTE, {
        "n_neighbors": to_tune(1, 50, logscale=True),
        "p": to_tune(1, 5),
        "weights": to_tune(["uniform", "distance"]),
    }),
    "ranger": ("Ranger", _FOREST_NOTE, {
        "max_features": _MTRY_RATIO,
        "max_samples": to_tune(0.1, 1.0),
        "n_estimators": to_tune(1, 2000),
    }),
    "rpart": ("Rpart", _TREE_NOTE, {
        "min_samples_split": to_tune(2, 128, logscale=True),
        "min_samples_leaf": to_tune(1, 64, logscale=True),
        "ccp_alpha": to_tune(1e-4, 1e-1, logscale=True),
    }),
    "svm": ("SVM", _SVM_NOTE, {
        "C": to_tune(1e-4, 1e4, logscale=True),
        "kernel": to_tune(["poly", "rbf", "sigmoid", "linear"]),
        "degree": to_tune(2, 5),
        "gamma": to_tune(1e-4, 1e4, logscale=True),
    }),
    "xgboost": ("XGBoost", _XGB_NOTE, {
        "learning_rate": to_tune(1e-4, 1, logscale=True),
        "n_estimators": to_tune(1, 5000),
        "max_depth": to_tune(1, 20),
        "colsample_bytree": to_tune(1e-1, 1),
        "colsample_bylevel": to_tune(1e-1, 1),
        "reg_lambda": to_tune(1e-3, 1e3, logscale=True),
        "reg_alpha": to_tune(1e-3, 1e3, logscale=True),
        "subsample": to_tune(1e-1, 1),
    }),
}

_RBV2: dict[str, tuple[str, str, dict[str, TuneToken]]] = {
    "glmnet": ("GLM", "", {}),
    "kknn": ("KKNN", "k -> n_neighbors", {"n_neighbors": to_tune(1, 30)}),
    "ranger": ("Ranger", _FOREST_NOTE + ", splitrule, num.random.splits, "
               "respect.unordered.factors; min.node.size -> min_samples_split (at least 2)", {
                   "n_estimators": to_tune(1, 2000),
                   "max_samples": to_tune(0.1, 1.0),
                   "max_features": _MTRY_RATIO,
                   "min_samples_split": to_tune(2, 100),
               }),
    "rpart": ("Rpart", _TREE_NOTE + "; minsplit from 2, as scikit-learn needs", {
        "ccp_alpha": to_tune(1e-4, 1, logscale=True),
        "max_depth": to_tune(1, 30),
        "min_samples_leaf": to_tune(1, 100),
        "min_samples_split": to_tune(2, 100),
    }),
    "svm": ("SVM", _SVM_NOTE + "; tolerance -> tol", {
        "kernel": to_tune(["linear", "poly", "rbf"]),
        "C": to_tune(1e-4, 1e3, logscale=True),
        "gamma": to_tune(1e-4, 1e3, logscale=True),
        "tol": to_tune(1e-4, 2, logscale=True),
        "degree": to_tune(2, 5),
    }),
    "xgboost": ("XGBoost", _XGB_NOTE + "; left out: rate_drop, skip_drop", {
        "booster": to_tune(["gblinear", "gbtree", "dart"]),
        "n_estimators": to_tune(7, 2981, logscale=True),
        "learning_rate": to_tune(1e-4, 1, logscale=True),
        "gamma": to_tune(1e-5, 7, logscale=True),
        "reg_lambda": to_tune(1e-4, 1e3, logscale=True),
        "reg_alpha": to_tune(1e-4, 1e3, logscale=True),
        "subsample": to_tune(0.1, 1),
        "max_depth": to_tune(1, 15),
        "min_child_weight": to_tune(1, 1e2, logscale=True),
        "colsample_bytree": to_tune(0.01, 1),
        "colsample_bylevel": to_tune(0.01, 1),
    }),
}

# glmnet's s in [1e-4, 1e4] (default) and [1e-4, 1e3] (rbv2): the penalty of
# regr.glmnet, the inverse of C for classif.glmnet
_GLMNET = {
    ("default", "classif"): {"C": to_tune(1e-4, 1e4, logscale=True), "l1_ratio": to_tune(0, 1)},
    ("default", "regr"): {"alpha": to_tune(1e-4, 1e4, logscale=True), "l1_ratio": to_tune(0, 1)},
    ("rbv2", "classif"): {"l1_ratio": to_tune(0, 1), "C": to_tune(1e-3, 1e4, logscale=True)},
    ("rbv2", "regr"): {"l1_ratio": to_tune(0, 1), "alpha": to_tune(1e-4, 1e3, logscale=True)},
}

_COLLECTIONS = {"default": ("Default", _DEFAULT), "rbv2": ("RandomBot", _RBV2)}
_TASK_TYPES = {"classif": "Classification", "regr": "Regression"}


def _register() -> None:
    for collection, (collection_label, spaces) in _COLLECTIONS.items():
        for family, (name, family_note, family_values) in spaces.items():
            for task_type, type_label in _TASK_TYPES.items():
                learner = f"{task_type}.{family}"
                key = f"{learner}.{collection}"
                values, note = (_GLMNET[collection, task_type], _GLMNET_NOTE[task_type]) \
                    if family == "glmnet" else (family_values, family_note)
                constructor = functools.partial(
                    TuningSpace, key=key, learner=learner, values=dict(values),
                    tags=(collection, "classification" if task_type == "classif"
                          else "regression"),
                    label=f"{type_label} {name} with {collection_label}", note=note,
                )
                if learner in mlr_learners:
                    mlr_tuning_spaces.add(key, constructor)
                else:  # an optional learner whose dependency is missing
                    mlr_tuning_spaces.add_unavailable(
                        key, f"TuningSpace '{key}' is for Learner '{learner}', which is not "
                        f"available here: lrn('{learner}') says what to install.",
                    )


_register()
