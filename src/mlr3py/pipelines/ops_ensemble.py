"""Averaging predictions: ``po("classifavg")`` and ``po("regravg")`` (mlr3pipelines'
``PipeOpEnsemble``, ``PipeOpClassifAvg``, ``PipeOpRegrAvg``).

An ensemble operator follows several learner operators: in training it gets
their ``None`` outputs and learns nothing; at prediction time it combines their
predictions, row by row, into one weighted average. The parameter ``weights``
(one number, ignored: equal weights; or one per input) gives each input's
relative weight; weights are normalised to sum 1 and inputs of weight 0 are
dropped.

The predictions must be of the same rows in the same order (and, for
classification, of the same classes): otherwise the operator raises an
:class:`~mlr3py.errors.InputError` naming the first input that differs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from mlr3py.errors import ConfigError, InputError
from mlr3py.params import ParamSet, p_dbl, p_fct, p_uty, ps
from mlr3py.pipelines._pipeop import VARARG, Channel, PipeOp
from mlr3py.predictions import Prediction, PredictionClassif, PredictionRegr

__all__ = ["PipeOpClassifAvg", "PipeOpEnsemble", "PipeOpRegrAvg", "aggregate_se"]


@dataclass(frozen=True)
class _WeightsCheck:
    """Accepts finite non-negative numbers: one, or ``innum`` of them (any number when 0)."""

    innum: int

    def __call__(self, value: Any) -> bool | str:
        what = "one number or a list of " + (f"{self.innum} " if self.innum else "") + \
            "finite non-negative numbers (one per input)"
        try:
            arr = np.atleast_1d(np.asarray(value, dtype=float))
        except (TypeError, ValueError):
            return f"must be {what}"
        if arr.ndim != 1 or not len(arr) or not np.isfinite(arr).all() or (arr < 0).any():
            return f"must be {what}"
        if self.innum and len(arr) not in (1, self.innum):
            return f"must be {what}"
        return True


class PipeOpEnsemble(PipeOp):
    """Base of the operators that average predictions.

    Parameters
    ----------
    innum : int
        The number of input channels (``input1``, ``input2``, ...); 0 (default):
        one channel ``"..."`` that takes any number of inputs.
    id : str
        The operator's id.
    param_set : ParamSet, optional
        Its own parameters; ``weights`` is added.
    prediction_type : str
        The channel type in prediction (``"PredictionClassif"``, ``"PredictionRegr"``).

    Notes
    -----
    Subclasses implement ``_average(predictions, weights) -> Prediction``, given
    predictions already checked to fit together and weights summing to 1.
    """

    def __init__(self, innum: int = 0, id: str = "ensemble", *,  # noqa: A002
                 param_set: ParamSet | None = None,
                 prediction_type: str = "Prediction", label: str = "") -> None:
        if isinstance(innum, bool) or not isinstance(innum, int) or innum < 0:
            raise ConfigError(f"The 'innum' of PipeOp '{id}' must be an int >= 0 "
                              f"(0: any number of inputs). Got {innum!r} instead.")
        param_set = param_set if param_set is not None else ps()
        param_set.add(p_uty(_WeightsCheck(innum), tags="predict", init=1), id="weights")
        names = [f"input{i + 1}" for i in range(innum)] if innum else [VARARG]
        super().__init__(id, param_set=param_set,
                         input=[Channel(n, "NULL", prediction_type) for n in names],
                         output=[Channel("output", "NULL", prediction_type)], label=label)

    def _train(self, inputs: list[Any]) -> list[Any]:
        self.state = {}
        return [None]

    def _predict(self, inputs: list[Any]) -> list[Any]:
        first = inputs[0]
        for i, pred in enumerate(inputs[1:], start=2):
            if not np.array_equal(pred.row_ids, first.row_ids):
                raise InputError(
                    f"PipeOp '{self.id}' averages predictions of the same rows, but input {i} "
                    f"predicts other row ids than input 1 ({len(pred.row_ids)} rows, first "
                    f"{list(pred.row_ids[:3])} vs. {list(first.row_ids[:3])}). Feed it "
                    "learners that predict the same task.")
        weights = np.atleast_1d(np.asarray(self.param_set.values.get("weights", 1), dtype=float))
        if len(weights) == 1:
            weights = np.ones(len(inputs))
        elif len(weights) != len(inputs):
            raise ConfigError(
                f"PipeOp '{self.id}' got {len(inputs)} predictions but {len(weights)} weights. "
                "Give one weight per input, or a single number for equal weights.")
        if weights.sum() <= 0:
            raise ConfigError(f"The weights of PipeOp '{self.id}' must not all be 0. "
                              f"Got {list(weights)} instead.")
        weights = weights / weights.sum()
        keep = weights != 0  # as stats::weighted.mean: zero weights drop out
        kept = [p for p, k in zip(inputs, keep, strict=True) if k]
        return [self._average(kept, weights[keep])]

    def _average(self, predictions: list[Any], weights: np.ndarray) -> Prediction:
        raise NotImplementedError(f"{type(self).__name__} must implement _average().")


class PipeOpClassifAvg(PipeOpEnsemble):
    """Weighted average of classification predictions (``po("classifavg")``).

    When every input has probabilities, the output's are their weighted mean
    (``prob_aggr="mean"``, default) or their weighted geometric mean, renormalised
    per row (``"log"``, logarithmic opinion pooling; probabilities are first
    clamped to ``[prob_aggr_eps, 1]``). Otherwise the output's probabilities are
    the weighted shares of the votes of the inputs' responses. The response is
    the class of largest probability (the first such class on ties), as in
    mlr3pipelines' current ``PipeOpClassifAvg``.

    Parameters
    ----------
    innum : int
        Number of input channels; 0 (default): any number.
    id : str

    Examples
    --------
    >>> from mlr3py import lrn
    >>> from mlr3py.pipelines import gunion, po
    >>> graph = gunion([lrn("classif.rpart"), lrn("classif.featureless")]) >> po("classifavg")
    """

    def __init__(self, innum: int = 0, id: str = "classifavg") -> None:  # noqa: A002
        params = ps(prob_aggr=p_fct(["mean", "log"], init="mean", tags="predict"),
                    prob_aggr_eps=p_dbl(0, 1, init=1e-12, tags="predict"))
        super().__init__(innum, id, param_set=params, prediction_type="PredictionClassif",
                         label="Majority Vote Prediction")

    def _average(self, predictions: list[Any], weights: np.ndarray) -> Prediction:
        first: PredictionClassif = predictions[0]
        classes = first.class_names
        for i, pred in enumerate(predictions[1:], start=2):
            if pred.class_names != classes:
                raise InputError(
                    f"PipeOp '{self.id}' averages predictions of the same classes, but they "
                    f"differ: {classes} (input 1) and {pred.class_names} (input {i}). Feed it "
                    "learners trained on the same task.")
        if all(p.prob_matrix is not None for p in predictions):
            mats = np.stack([p.prob_matrix for p in predictions])
            if self.param_set.values.get("prob_aggr", "mean") == "log":
                eps = float(self.param_set.values.get("prob_aggr_eps", 1e-12))
                logs = np.tensordot(weights, np.log(np.clip(mats, eps, 1.0)), axes=1)
                prob = np.exp(logs - logs.max(axis=1, keepdims=True))
                prob /= prob.sum(axis=1, keepdims=True)
            else:
                prob = np.tensordot(weights, mats, axes=1)
        else:  # weighted vote shares of the responses
            prob = np.zeros((len(first.row_ids), len(classes)))
            rows = np.arange(len(first.row_ids))
            for w, pred in zip(weights, predictions, strict=True):
                codes = pred.response_codes
                ok = codes >= 0
                prob[rows[ok], codes[ok]] += w
        prob = np.clip(prob, 0.0, 1.0)
        return PredictionClassif(first.row_ids, truth=first.truth, prob=prob,
                                 class_names=classes)


def aggregate_se(means: np.ndarray, ses: np.ndarray | None, weights: np.ndarray,
                 method: str, rho: float = 0.0) -> np.ndarray | None:
    """The standard error of a weighted average of K predictions (mlr3pipelines'
    ``aggregate_se_weighted``).

    Parameters
    ----------
    means : numpy.ndarray
        K x N predicted means.
    ses : numpy.ndarray or None
        K x N standard errors (needed by all methods but ``"between"`` and ``"none"``).
    weights : numpy.ndarray
        K weights summing to 1.
    method : {"predictive", "mean", "within", "between", "none"}
        ``"between"``: sqrt of the weighted variance of the means; ``"within"``: sqrt of
        the weighted mean of se^2; ``"predictive"``: sqrt of their sum (the mixture's
        standard deviation); ``"mean"``: the standard error of the weighted mean under
        equicorrelation ``rho`` (clamped to [-1/(K-1), 1]); ``"none"``: no se.
    rho : float
        The correlation for ``"mean"``.

    Returns
    -------
    numpy.ndarray or None
    """
    if method == "none":
        return None
    mu_bar = weights @ means
    between = np.maximum(weights @ (means * means) - mu_bar**2, 0.0)
    if method == "between":
        return np.asarray(np.sqrt(between))
    if ses is None:
        raise InputError(f"se_aggr='{method}' needs a standard error from every input, but "
                         "some predictions have none. Predict with predict_type='se', or use "
                         "se_aggr='between' or 'none'.")
    within = weights @ (ses * ses)
    if method == "within":
        return np.asarray(np.sqrt(np.maximum(within, 0.0)))
    if method == "predictive":
        return np.asarray(np.sqrt(np.maximum(within + between, 0.0)))
    k = len(weights)
    if k == 1:
        return np.asarray(np.maximum(ses[0], 0.0))
    rho = min(max(rho, -1.0 / (k - 1)), 1.0)
    var = (1 - rho) * ((weights**2) @ (ses * ses)) + rho * (weights @ ses) ** 2
    return np.asarray(np.sqrt(np.maximum(var, 0.0)))


class PipeOpRegrAvg(PipeOpEnsemble):
    """Weighted average of regression predictions (``po("regravg")``).

    The response is the weighted mean of the responses; ``se_aggr`` says how
    the standard errors combine (see :func:`aggregate_se`; default ``"none"``,
    no se), ``se_aggr_rho`` is the correlation for ``se_aggr="mean"``.

    Parameters
    ----------
    innum : int
        Number of input channels; 0 (default): any number.
    id : str
    """

    def __init__(self, innum: int = 0, id: str = "regravg") -> None:  # noqa: A002
        params = ps(se_aggr=p_fct(["predictive", "mean", "within", "between", "none"],
                                  init="none", tags="predict"),
                    se_aggr_rho=p_dbl(-1, 1, default=0, tags="predict"))
        super().__init__(innum, id, param_set=params, prediction_type="PredictionRegr",
                         label="Weighted Prediction Averaging")

    def _average(self, predictions: list[Any], weights: np.ndarray) -> Prediction:
        first: PredictionRegr = predictions[0]
        means = np.stack([p.response for p in predictions])
        have_se = all(p.se is not None for p in predictions)
        ses = np.stack([p.se for p in predictions]) if have_se else None
        values = self.param_set.values
        se = aggregate_se(means, ses, weights, values.get("se_aggr", "none"),
                          float(values.get("se_aggr_rho", 0.0)))
        return PredictionRegr(first.row_ids, truth=first.truth, response=weights @ means, se=se)
