"""The parameter set of the xgboost learners (``classif.xgboost``, ``regr.xgboost``).

xgboost's scikit-learn estimators declare no ``_parameter_constraints``, so
their parameters cannot be derived (see :mod:`mlr3py.learners._sklearn_params`);
this module declares them, with xgboost's names in its scikit-learn API and
the bounds of mlr3learners' parameter set:

==========================  =====================================  ==========================
mlr3learners / xgboost R    here (``XGBClassifier`` arguments)     domain, default
==========================  =====================================  ==========================
``nrounds``                 ``n_estimators``                       int >= 1, 100
``eta``                     ``learning_rate``                      [0, 1], 0.3
``max_depth``               ``max_depth``                          int >= 0, 6
``min_child_weight``        ``min_child_weight``                   >= 0, 1
``gamma``                   ``gamma``                              >= 0, 0
``subsample``               ``subsample``                          [0, 1], 1
``colsample_bytree`` & co.  ``colsample_bytree``/``bylevel``/      [0, 1], 1
                            ``bynode``
``lambda``                  ``reg_lambda``                         >= 0, 1
``alpha``                   ``reg_alpha``                          >= 0, 0
``nthread``                 ``n_jobs`` (tagged ``threads``)        int >= 1, 1
``verbose``                 ``verbosity``                          int in [0, 3], 0
``seed``                    ``random_state``                       int >= 0
``early_stopping_rounds``   ``early_stopping_rounds``              int >= 1 or None
==========================  =====================================  ==========================

Every other argument of the estimator is a parameter too (typed where its
values are simple, free otherwise, checked by xgboost when training). The
extra parameter ``validate`` (None, a ratio in (0, 1), ``"test"`` or ``"predefined"``; mlr3's
``Learner$validate``) is the learner's, not xgboost's: it has no ``"train"``
tag, so it is never passed to the estimator.
"""

from __future__ import annotations

from typing import Any

from mlr3py.learners._validation import check_validate
from mlr3py.params import Domain, ParamSet, p_dbl, p_fct, p_int, p_lgl, p_uty

__all__ = ["xgboost_param_set"]

_TRAIN = frozenset({"train"})


def _typed() -> dict[str, Domain]:
    train = set(_TRAIN)
    return {
        "n_estimators": p_int(1, default=100, tags=train),
        "learning_rate": p_dbl(0, 1, default=0.3, tags=train),
        "max_depth": p_int(0, default=6, tags=train),
        "max_leaves": p_int(0, default=0, tags=train),
        "max_bin": p_int(2, default=256, tags=train),
        "min_child_weight": p_dbl(0, default=1.0, tags=train),
        "gamma": p_dbl(0, default=0.0, tags=train),
        "max_delta_step": p_dbl(0, default=0.0, tags=train),
        "subsample": p_dbl(0, 1, default=1.0, tags=train),
        "colsample_bytree": p_dbl(0, 1, default=1.0, tags=train),
        "colsample_bylevel": p_dbl(0, 1, default=1.0, tags=train),
        "colsample_bynode": p_dbl(0, 1, default=1.0, tags=train),
        "reg_lambda": p_dbl(0, default=1.0, tags=train),
        "reg_alpha": p_dbl(0, default=0.0, tags=train),
        "scale_pos_weight": p_dbl(0, default=1.0, tags=train),
        "num_parallel_tree": p_int(1, default=1, tags=train),
        "booster": p_fct(["dart", "gblinear", "gbtree"], default="gbtree", tags=train),
        "tree_method": p_fct(["approx", "auto", "exact", "hist"], default="hist", tags=train),
        "grow_policy": p_fct(["depthwise", "lossguide"], default="depthwise", tags=train),
        "sampling_method": p_fct(["gradient_based", "uniform"], default="uniform", tags=train),
        "importance_type": p_fct(
            ["cover", "gain", "total_cover", "total_gain", "weight"], default="gain",
            tags=train,
        ),
        # None: xgboost's choice ("binary:logistic" / "multi:softprob" / "reg:squarederror")
        "objective": p_uty(default=None, tags=train),
        "base_score": p_dbl(special_vals=(None,), tags=train),
        "random_state": p_int(0, special_vals=(None,), tags=train),
        "n_jobs": p_int(1, special_vals=(None,), tags={"train", "threads"}),
        "verbosity": p_int(0, 3, default=1, tags=train),
        "early_stopping_rounds": p_int(1, special_vals=(None,), default=None, tags=train),
        "validate_parameters": p_lgl(default=True, tags=train),
        "enable_categorical": p_lgl(default=False, tags=train),
    }


def xgboost_param_set(estimator_params: dict[str, Any]) -> ParamSet:
    """The parameter set of an xgboost learner.

    Parameters
    ----------
    estimator_params : dict
        The estimator's ``get_params(deep=False)``: arguments the typed table
        lacks become free parameters (``p_uty``, tagged ``"train"``).

    Returns
    -------
    ParamSet
        With ``n_jobs=1`` and ``verbosity=0`` set, as mlr3learners sets
        ``nthread = 1`` and ``verbose = 0``.
    """
    domains = _typed()
    for name in estimator_params:
        domains.setdefault(name, p_uty(tags=set(_TRAIN)))
    domains["validate"] = p_uty(check_validate, default=None, tags={"validation"})
    param_set = ParamSet(domains)
    param_set.set_values(n_jobs=1, verbosity=0)
    return param_set
