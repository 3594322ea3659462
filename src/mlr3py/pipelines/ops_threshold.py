"""Thresholds for classification: ``po("threshold")`` and ``po("tunethreshold")``
(mlr3pipelines' ``PipeOpThreshold`` and ``PipeOpTuneThreshold``).

``threshold`` sets a fixed threshold on the probability predictions that reach
it (:meth:`~mlr3py.predictions.PredictionClassif.set_threshold`).
``tunethreshold`` follows ``po("learner_cv", lrn(..., predict_type="prob"))``: in
training it finds the threshold that optimises a measure on the learner's
cross-validated probabilities (out-of-fold, so the threshold is not fitted to
the rows the model saw), and at prediction time it applies that threshold to
the learner's probabilities for the new rows.
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from mlr3py.errors import ConfigError, InputError
from mlr3py.measures import Measure, mlr_measures
from mlr3py.params import p_int, p_uty, ps
from mlr3py.pipelines._pipeop import Channel, PipeOp
from mlr3py.predictions import PredictionClassif
from mlr3py.tasks import TaskClassif

__all__ = ["PipeOpThreshold", "PipeOpTuneThreshold"]


def _check_thresholds(value: Any) -> bool | str:
    what = ("a number in [0, 1], a mapping class -> non-negative number, or a list of "
            "non-negative numbers in class order")
    if isinstance(value, (Mapping, pd.Series, list, tuple, np.ndarray)):
        try:
            values = dict(value).values() if isinstance(value, (Mapping, pd.Series)) else value
            numbers = np.asarray(list(values), dtype=float)
        except (TypeError, ValueError):
            return f"must be {what}"
        return True if len(numbers) and (numbers >= 0).all() else f"must be {what}"
    if isinstance(value, bool) or not isinstance(value, (int, float, np.number)):
        return f"must be {what}"
    return True if 0 <= float(value) <= 1 else f"must be {what}"


class PipeOpThreshold(PipeOp):
    """Sets the threshold of classification predictions (``po("threshold", thresholds=0.3)``).

    Parameter ``thresholds`` (default 0.5): for two classes a number in [0, 1]
    (positive class when its probability is ``>=`` it), or for any number of
    classes a mapping class -> weight, or a list of weights in class order (the
    response is the class of largest ``prob / weight``). The input prediction must
    have probabilities: predict with ``predict_type="prob"``. The input is not
    changed; the output is a copy.

    Examples
    --------
    >>> from mlr3py import lrn
    >>> from mlr3py.pipelines import as_learner, po
    >>> learner = as_learner(lrn("classif.rpart", predict_type="prob")
    ...                      >> po("threshold", thresholds=0.3))
    """

    def __init__(self, id: str = "threshold") -> None:  # noqa: A002
        super().__init__(id, param_set=ps(thresholds=p_uty(_check_thresholds, init=0.5,
                                                           tags="predict")),
                         input=[Channel("input", "NULL", "PredictionClassif")],
                         output=[Channel("output", "NULL", "PredictionClassif")],
                         label="Change the Threshold of a Classification Prediction")

    def _train(self, inputs: list[Any]) -> list[Any]:
        self.state = {}
        return [None]

    def _predict(self, inputs: list[Any]) -> list[Any]:
        prediction: PredictionClassif = copy.deepcopy(inputs[0])
        if prediction.prob_matrix is None:
            raise InputError(
                f"PipeOp '{self.id}' needs probabilities, but the prediction has predict types "
                f"{prediction.predict_types}. Set predict_type='prob' on the learner before it.")
        thresholds = self.param_set.values.get("thresholds", 0.5)
        if isinstance(thresholds, (list, tuple, np.ndarray)):  # one per class, in class order
            if len(thresholds) != len(prediction.class_names):
                raise ConfigError(
                    f"PipeOp '{self.id}' got {len(thresholds)} thresholds for the "
                    f"{len(prediction.class_names)} classes {prediction.class_names}. Give one "
                    "per class (in this order), or a mapping class -> threshold.")
            thresholds = dict(zip(prediction.class_names, thresholds, strict=True))
        prediction.set_threshold(thresholds)
        return [prediction]


def _prob_columns(op_id: str, task: TaskClassif) -> list[str]:
    """The features ``*.prob.<class>`` of ``task``, one per class, in class order."""
    classes = list(task.class_names)
    cols = []
    for name in classes:
        found = [f for f in task.feature_names if f.endswith(f".prob.{name}")]
        if len(found) != 1:
            raise InputError(
                f"PipeOp '{op_id}' needs one feature '<learner id>.prob.{name}' per class "
                f"{classes}; Task '{task.id}' has {len(found)} for class '{name}' (features: "
                f"{task.feature_names[:6]}). Put po('learner_cv', lrn(..., predict_type='prob')) "
                f"before it.")
        cols.append(found[0])
    return cols


def _check_measure(value: Any) -> bool | str:
    return True if isinstance(value, (str, Measure)) else \
        "must be a classification measure or its key (e.g. 'classif.ce')"


class PipeOpTuneThreshold(PipeOp):
    """Tunes the threshold on cross-validated probabilities (``po("tunethreshold")``).

    Follows ``po("learner_cv", lrn(..., predict_type="prob"))``, whose task holds the
    features ``<id>.prob.<class>``. Training searches the threshold that optimises
    ``measure`` (default ``"classif.ce"``) on these probabilities; its state is the
    threshold. Prediction gives the prediction made of the new rows'
    probabilities with that threshold.

    The search: for two classes every distinct probability of the positive class
    (and 0 and 1) is a candidate, so the best threshold is exact (ties: the one
    nearest to 0.5); for more classes, a coordinate search (three passes) over the
    class weights on a grid of ``resolution`` steps in (0, 1], starting from equal
    weights.

    Parameters of the operator: ``measure`` (a Measure or key) and ``resolution``
    (int >= 2, default 51).

    Examples
    --------
    >>> from mlr3py import lrn, tsk
    >>> from mlr3py.pipelines import as_learner, po
    >>> learner = as_learner(po("learner_cv", lrn("classif.rpart", predict_type="prob"))
    ...                      >> po("tunethreshold"))
    >>> learner = learner.train(tsk("sonar"))
    """

    def __init__(self, id: str = "tunethreshold") -> None:  # noqa: A002
        params = ps(measure=p_uty(_check_measure, init="classif.ce", tags="train"),
                    resolution=p_int(2, init=51, tags="train"))
        super().__init__(id, param_set=params,
                         input=[Channel("input", "TaskClassif", "TaskClassif")],
                         output=[Channel("output", "NULL", "PredictionClassif")],
                         label="Tune the Threshold of a Classification Prediction")

    def _prediction(self, task: TaskClassif, cols: list[str]) -> PredictionClassif:
        prob = task.data(cols=cols).to_numpy(dtype=float, na_value=np.nan)
        return PredictionClassif(task.row_ids, truth=task.truth(), prob=prob,
                                 class_names=list(task.class_names))

    def _measure(self) -> Measure:
        measure = self.param_set.values.get("measure", "classif.ce")
        measure = mlr_measures.get(measure) if isinstance(measure, str) else measure
        if measure.task_type not in ("classif", None, ""):
            raise ConfigError(f"The measure of PipeOp '{self.id}' must be a classification "
                              f"measure. Got '{measure.id}' ({measure.task_type}).")
        return measure

    def _train(self, inputs: list[Any]) -> list[Any]:
        task: TaskClassif = inputs[0]
        cols = _prob_columns(self.id, task)
        prediction = self._prediction(task, cols)
        measure = self._measure()
        sign = 1.0 if measure.minimize else -1.0

        def loss(threshold: Any) -> float:
            return sign * float(prediction.set_threshold(threshold).score(measure).iloc[0])

        classes = list(prediction.class_names)
        if len(classes) == 2:
            pos = prediction.prob_matrix[:, 0]  # type: ignore[index]
            candidates = np.unique(np.concatenate([[0.0, 0.5, 1.0], pos[np.isfinite(pos)]]))
            losses = np.array([loss(float(t)) for t in candidates])
            best = candidates[losses <= losses.min() + 1e-12]
            threshold: Any = float(best[np.argmin(np.abs(best - 0.5))])
        else:
            threshold = self._coordinate_search(classes, loss)
        self.state = {"threshold": threshold}
        return [None]

    def _coordinate_search(self, classes: list[str], loss: Any) -> dict[str, float]:
        grid = np.linspace(0.0, 1.0, int(self.param_set.values.get("resolution", 51)))[1:]
        weights = dict.fromkeys(classes, 1.0)
        best = loss(weights)
        for _, name in itertools.product(range(3), classes):  # a few passes
            for value in grid:
                trial = {**weights, name: float(value)}
                score = loss(trial)
                if score < best - 1e-12:
                    best, weights = score, trial
        return weights

    def _predict(self, inputs: list[Any]) -> list[Any]:
        task: TaskClassif = inputs[0]
        prediction = self._prediction(task, _prob_columns(self.id, task))
        return [prediction.set_threshold(self.state["threshold"])]
