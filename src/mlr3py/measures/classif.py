"""Classification measures (mlr3's ``classif.*`` keys, definitions of mlr3measures).

Binary measures take the first class name of the prediction as the positive
class and need a two-class prediction (task property ``twoclass``).
"""

from __future__ import annotations

import math
from functools import partial
from typing import Any

import numpy as np

from mlr3py.measures import _functions as f
from mlr3py.measures import _mauc
from mlr3py.measures._chunked import MeanLoss
from mlr3py.measures._simple import MeasureSpec, lookup_spec, param_values
from mlr3py.measures._weighted import WEIGHTED_CLASSIF
from mlr3py.measures.base import MeasureClassif
from mlr3py.params import ParamSet, p_dbl, ps
from mlr3py.predictions import PredictionClassif

__all__ = ["CLASSIF_SPECS", "MeasureClassifSimple"]

_INF = math.inf
_UNIT = (0.0, 1.0)


def _fbeta_params() -> ParamSet:
    return ps(beta=p_dbl(0, None, default=1.0))


def _logloss_params() -> ParamSet:
    return ps(eps=p_dbl(0, 1, default=1e-15))


def _binary(fun: Any, label: str, minimize: bool, rng: tuple[float, float] = _UNIT,
            na_score: bool = True, **kw: Any) -> MeasureSpec:
    return MeasureSpec(fun, label, rng, minimize, binary=True, na_score=na_score, **kw)


#: name -> spec of every built-in classification measure.
CLASSIF_SPECS: dict[str, MeasureSpec] = {
    "ce": MeasureSpec(f.ce, "Classification Error", _UNIT, True),
    "acc": MeasureSpec(f.acc, "Classification Accuracy", _UNIT, False),
    "bacc": MeasureSpec(f.bacc, "Balanced Accuracy", _UNIT, False),
    "mcc": MeasureSpec(f.mcc, "Matthews Correlation Coefficient", (-1.0, 1.0), False),
    "logloss": MeasureSpec(
        f.logloss, "Log Loss", (0.0, _INF), True, "prob", param_set=_logloss_params
    ),
    "mbrier": MeasureSpec(f.mbrier, "Multiclass Brier Score", (0.0, 2.0), True, "prob"),
    "mauc_aunu": MeasureSpec(
        _mauc.mauc_aunu, "Average 1 vs. rest multiclass AUC", _UNIT, False, "prob", na_score=True
    ),
    "mauc_aunp": MeasureSpec(
        _mauc.mauc_aunp, "Weighted average 1 vs. rest multiclass AUC", _UNIT, False, "prob",
        na_score=True,
    ),
    "mauc_au1u": MeasureSpec(
        _mauc.mauc_au1u, "Average 1 vs. 1 multiclass AUC", _UNIT, False, "prob", na_score=True
    ),
    "mauc_au1p": MeasureSpec(
        _mauc.mauc_au1p, "Weighted average 1 vs. 1 multiclass AUC", _UNIT, False, "prob",
        na_score=True,
    ),
    "mauc_mu": MeasureSpec(
        _mauc.mauc_mu, "Multiclass mu AUC", _UNIT, False, "prob", na_score=True
    ),
    "auc": _binary(f.auc, "Area Under the ROC Curve", False, predict_type="prob"),
    "prauc": _binary(f.prauc, "Precision-Recall Curve", False, predict_type="prob"),
    "bbrier": _binary(f.bbrier, "Binary Brier Score", True, predict_type="prob", na_score=False),
    "precision": _binary(f.ppv, "Precision", False),
    "ppv": _binary(f.ppv, "Positive Predictive Value", False),
    "recall": _binary(f.tpr, "Recall", False),
    "tpr": _binary(f.tpr, "True Positive Rate", False),
    "sensitivity": _binary(f.tpr, "Sensitivity", False),
    "tnr": _binary(f.tnr, "True Negative Rate", False),
    "specificity": _binary(f.tnr, "Specificity", False),
    "fpr": _binary(f.fpr, "False Positive Rate", True),
    "fnr": _binary(f.fnr, "False Negative Rate", True),
    "npv": _binary(f.npv, "Negative Predictive Value", False),
    "dor": _binary(f.dor, "Diagnostic Odds Ratio", False, (0.0, _INF)),
    "fdr": _binary(f.fdr, "False Discovery Rate", True),
    "fomr": _binary(f.fomr, "False Omission Rate", True),
    "fbeta": _binary(f.fbeta, "F-beta score", False, param_set=_fbeta_params),
    "tp": _binary(f.tp, "True Positives", False, (0.0, _INF), na_score=False),
    "fp": _binary(f.fp, "False Positives", True, (0.0, _INF), na_score=False),
    "tn": _binary(f.tn, "True Negatives", False, (0.0, _INF), na_score=False),
    "fn": _binary(f.fn, "False Negatives", True, (0.0, _INF), na_score=False),
}


class MeasureClassifSimple(MeasureClassif):
    """A classification measure defined by a row of :data:`CLASSIF_SPECS`.

    Parameters
    ----------
    name : str
        The measure's name without prefix, e.g. ``"ce"``; its id is ``"classif.ce"``.

    Notes
    -----
    The score is NaN when the prediction is empty or has a missing truth or a
    missing prediction (response, or probabilities for ``prob`` measures).
    """

    def __init__(self, name: str) -> None:
        spec = lookup_spec(CLASSIF_SPECS, name, "classification")
        self.spec = spec
        super().__init__(
            f"classif.{name}",
            param_set=spec.param_set() if spec.param_set else None,
            predict_type=spec.predict_type,
            minimize=spec.minimize,
            range=spec.range,
            properties=({"na_score"} if spec.na_score else set())
            | ({"weights"} if name in WEIGHTED_CLASSIF else set()),
            task_properties={"twoclass"} if spec.binary else set(),
            label=spec.label,
        )

    def _score(
        self, prediction: Any, task: Any = None, learner: Any = None, train_set: Any = None
    ) -> float:
        assert isinstance(prediction, PredictionClassif)
        truth = prediction.truth_codes
        if truth.size == 0 or (truth < 0).any():
            return math.nan
        params = param_values(self.param_set)
        if self.spec.predict_type == "prob":
            prob = prediction.prob_matrix
            if prob is None or (prob != prob).any():
                return math.nan
            return self.spec.fun(truth, prob, **params)
        response = prediction.response_codes
        if (response < 0).any():
            return math.nan
        return self.spec.fun(truth, response, len(prediction.class_names), **params)

    @property
    def mean_loss(self) -> MeanLoss | None:
        """Per-row losses of the measures with property ``weights`` (ce, acc, logloss, ...)."""
        return MeanLoss.of_table(self._losses, self.id.removeprefix("classif."), WEIGHTED_CLASSIF)

    def _losses(self, prediction: Any) -> np.ndarray | None:
        assert isinstance(prediction, PredictionClassif)
        truth = prediction.truth_codes
        if truth.size == 0 or (truth < 0).any():
            return None
        loss = WEIGHTED_CLASSIF[self.id.removeprefix("classif.")][0]
        params = param_values(self.param_set)
        if self.spec.predict_type == "prob":
            prob = prediction.prob_matrix
            if prob is None or (prob != prob).any():
                return None
            return np.asarray(loss(truth, prob, len(prediction.class_names), **params),
                              dtype=float)
        response = prediction.response_codes
        if (response < 0).any():
            return None
        return np.asarray(loss(truth, response, len(prediction.class_names), **params),
                          dtype=float)


#: key -> constructor, for ``mlr_measures``.
CLASSIF_MEASURES: dict[str, Any] = {
    f"classif.{name}": partial(MeasureClassifSimple, name) for name in CLASSIF_SPECS
}
