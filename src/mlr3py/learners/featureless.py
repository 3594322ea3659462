"""Featureless baselines: ``classif.featureless`` and ``regr.featureless`` (mlr3 semantics).

They look only at the target during training and ignore every feature, so they
give the baseline any real learner should beat. Random choices use numpy's
global generator, so seeding numpy (as the job runner does) makes them
reproducible.
"""

# Random draws use numpy's legacy generator on purpose, through job_random_state(): the job
# runner seeds it (the global one, or the worker thread's own) from the job's seed.

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from mlr3py._rng import job_random_state
from mlr3py.errors import NotTrainedError
from mlr3py.learners._base import LearnerClassif, LearnerRegr
from mlr3py.learners._features import task_weights
from mlr3py.learners._labels import classes_from_codes
from mlr3py.params import p_fct, p_lgl, ps
from mlr3py.predictions import PredictionDataClassif, PredictionDataRegr
from mlr3py.reflections import PREDICT_TYPES
from mlr3py.tasks import TaskClassif

if TYPE_CHECKING:
    from mlr3py.tasks import TaskSupervised

__all__ = [
    "FeaturelessClassifModel",
    "FeaturelessRegrModel",
    "LearnerClassifFeatureless",
    "LearnerRegrFeatureless",
]

# Scale that makes the median absolute deviation consistent for the normal sd (R's mad()).
_MAD_SCALE = 1.4826


@dataclass(frozen=True)
class FeaturelessClassifModel:
    """The class frequencies seen in training."""

    class_names: list[str]
    counts: np.ndarray
    features: list[str]


@dataclass(frozen=True)
class FeaturelessRegrModel:
    """The location (mean or median) and scale (sd or mad) of the training target."""

    location: float
    scale: float
    features: list[str]


class _FeaturelessImportance:
    """``importance()``: zero for every feature; ``selected_features()``: none (the model
    uses no feature)."""

    id: str
    model: Any

    def importance(self) -> pd.Series:
        """Importance of each training feature: all zero.

        Returns
        -------
        pandas.Series
            Zeros indexed by feature name.
        """
        if self.model is None:
            raise NotTrainedError(
                f"Learner '{self.id}' has no model; call learner.train(task) before importance()."
            )
        features = self.model.features
        return pd.Series(np.zeros(len(features)), index=features, dtype=float)

    def selected_features(self) -> list[str]:
        """The features the model uses: none (mlr3's ``character(0)``).

        Returns
        -------
        list of str
            Empty.
        """
        if self.model is None:
            raise NotTrainedError(
                f"Learner '{self.id}' has no model; call learner.train(task) before "
                "selected_features()."
            )
        return []


class LearnerClassifFeatureless(_FeaturelessImportance, LearnerClassif):
    """Featureless classification learner (``classif.featureless``).

    Parameters (``param_set``)
    --------------------------
    method : {"mode", "sample", "weighted.sample"}, default "mode"
        ``mode`` predicts the most frequent training class (ties: one of the
        tied classes, drawn at random once per prediction); ``sample`` draws
        each label uniformly from the classes; ``weighted.sample`` draws each
        label with the training frequencies. Probabilities: ``mode`` gives the
        training frequencies, ``sample`` uniform probabilities,
        ``weighted.sample`` probability 1 for the drawn label.

    With learner weights (column role ``weights_learner``, property ``"weights"``)
    the training frequencies are the weighted ones (sums of the weights per class).

    Examples
    --------
    >>> from mlr3py import lrn, tsk
    >>> learner = lrn("classif.featureless", predict_type="prob")
    >>> prediction = learner.train(tsk("iris")).predict(tsk("iris"))
    """

    def __init__(self) -> None:
        super().__init__(
            "classif.featureless",
            param_set=ps(
                method=p_fct(
                    ["mode", "sample", "weighted.sample"],
                    default="mode",
                    init="mode",
                    tags={"predict"},
                )
            ),
            predict_types=PREDICT_TYPES["classif"],
            properties={
                "twoclass", "multiclass", "missings", "importance", "selected_features", "weights"
            },
            label="Featureless Classification Learner",
        )

    def _train(self, task: TaskSupervised) -> FeaturelessClassifModel:
        assert isinstance(task, TaskClassif)  # checked by train()
        class_names = list(task.class_names)
        codes = np.asarray(task.truth().codes)
        weights = task_weights(task)
        known = codes >= 0
        counts = np.bincount(
            codes[known], weights=None if weights is None else weights[known],
            minlength=len(class_names),
        )
        return FeaturelessClassifModel(class_names, counts, list(task.feature_names))

    def _predict(self, task: TaskSupervised) -> PredictionDataClassif:
        model: FeaturelessClassifModel = self.model
        method = self.param_set.get_values(tags="predict").get("method", "mode")
        n = task.nrow
        k = len(model.class_names)
        total = model.counts.sum()
        freqs = model.counts / total if total > 0 else np.full(k, 1.0 / k)
        if method == "mode":
            best = np.flatnonzero(model.counts == model.counts.max())
            code = best[0] if len(best) == 1 else job_random_state().choice(best)
            codes = np.full(n, code, dtype=np.int64)
        elif method == "sample":
            codes = job_random_state().randint(0, k, size=n)
        else:
            codes = job_random_state().choice(k, size=n, p=freqs)
        prob = None
        if self.predict_type == "prob":
            if method == "mode":
                prob = np.tile(freqs, (n, 1))
            elif method == "sample":
                prob = np.full((n, k), 1.0 / k)
            else:
                prob = np.eye(k)[codes]
        return PredictionDataClassif(
            response=classes_from_codes(codes, model.class_names), prob=prob
        )


class LearnerRegrFeatureless(_FeaturelessImportance, LearnerRegr):
    """Featureless regression learner (``regr.featureless``).

    Parameters (``param_set``)
    --------------------------
    robust : bool, default False
        ``False``: predict the mean of the training target, with its standard
        deviation as ``se``. ``True``: the median, with the median absolute
        deviation (scaled by 1.4826, like R's ``mad()``) as ``se``.

    With learner weights (column role ``weights_learner``, property ``"weights"``)
    as mlr3: the weighted mean with the square root of the weighted variance
    ``sum(w * (y - mean)^2) / (sum(w) - sum(w^2) / sum(w))`` as ``se``; robust,
    the weighted median with the weighted median absolute deviation (times 1.4826).
    """

    def __init__(self) -> None:
        super().__init__(
            "regr.featureless",
            param_set=ps(robust=p_lgl(default=False, init=False, tags={"train"})),
            predict_types=PREDICT_TYPES["regr"],
            properties={"missings", "importance", "selected_features", "weights"},
            label="Featureless Regression Learner",
        )

    def _train(self, task: TaskSupervised) -> FeaturelessRegrModel:
        y = np.asarray(task.truth(), dtype=np.float64)
        robust = self.param_set.get_values(tags="train").get("robust", False)
        weights = task_weights(task)
        if weights is not None:
            return _weighted_model(y, weights, robust, list(task.feature_names))
        if robust:
            location = float(np.median(y))
            scale = float(_MAD_SCALE * np.median(np.abs(y - location)))
        else:
            location = float(np.mean(y))
            scale = float(np.std(y, ddof=1)) if len(y) > 1 else float("nan")
        return FeaturelessRegrModel(location, scale, list(task.feature_names))

    def _predict(self, task: TaskSupervised) -> PredictionDataRegr:
        model: FeaturelessRegrModel = self.model
        n = task.nrow
        se = np.full(n, model.scale) if self.predict_type == "se" else None
        return PredictionDataRegr(response=np.full(n, model.location), se=se)


def _weighted_model(
    y: np.ndarray, weights: np.ndarray, robust: bool, features: list[str]
) -> FeaturelessRegrModel:
    """The weighted location and scale of ``y`` (mlr3's weighted featureless regression)."""
    if robust:
        location = _weighted_median(y, weights)
        scale = _MAD_SCALE * _weighted_median(np.abs(y - location), weights)
        return FeaturelessRegrModel(location, scale, features)
    total = float(weights.sum())
    location = float(np.sum(weights * y) / total) if total > 0 else float("nan")
    denom = total - float(np.sum(weights**2)) / total if total > 0 else 0.0
    spread = float(np.sum(weights * (y - location) ** 2))
    scale = float(np.sqrt(spread / denom)) if denom > 0 else float("nan")
    return FeaturelessRegrModel(location, scale, features)


def _weighted_median(y: np.ndarray, weights: np.ndarray) -> float:
    """The smallest ``y`` whose cumulative weight reaches half the total (no interpolation)."""
    order = np.argsort(y, kind="stable")
    cum = np.cumsum(weights[order])
    if len(cum) == 0 or cum[-1] <= 0:
        return float("nan")
    return float(y[order][np.searchsorted(cum, 0.5 * cum[-1])])
