"""The :class:`Measure` base class and its classification / regression variants.

``Measure.score()`` validates the prediction and the inputs a measure needs, then
calls the private hook ``_score()`` that subclasses implement (mlr3's
``Measure.R``). ``Measure.aggregate()`` combines the scores of several
resampling iterations: ``"macro"`` averages the per-iteration scores (or applies
the measure's ``aggregator``), ``"macro_weighted"`` weights them by the test set
sizes, ``"micro"`` scores the combined prediction.
"""

from __future__ import annotations

import copy
import math
import warnings
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np

from mlr3py._identified import Identified
from mlr3py.errors import ConfigError, InputError
from mlr3py.measures._chunked import MeanLoss
from mlr3py.measures._weighted import (
    USE_WEIGHTS,
    default_use_weights,
    prediction_weights,
    weighted_mean,
)
from mlr3py.params import ParamSet, ps
from mlr3py.predictions import Prediction, combine_predictions
from mlr3py.predictions._predict_sets import DEFAULT_PREDICT_SETS, check_predict_sets
from mlr3py.reflections import MEASURE_PROPERTIES

__all__ = ["Measure", "MeasureClassif", "MeasureRegr"]

_AVERAGES = ("macro", "micro")
_MACRO_WEIGHTED = "macro_weighted"


def _fmt_num(x: float) -> str:
    if math.isinf(x):
        return "Inf" if x > 0 else "-Inf"
    return f"{x:g}"


def format_range(rng: tuple[float, float]) -> str:
    """Format a range like mlr3measures: ``[0, 1]``, ``[0, Inf)``, ``(-Inf, Inf)``."""
    lo, hi = rng
    left = "(" if math.isinf(lo) else "["
    right = ")" if math.isinf(hi) else "]"
    return f"{left}{_fmt_num(lo)}, {_fmt_num(hi)}{right}"


class Measure(Identified):
    """A performance measure: scores a prediction with a single number.

    Parameters
    ----------
    id : str
        Identifier, e.g. ``"classif.ce"``.
    task_type : {"classif", "regr"} or None
        The task type of predictions it scores; ``None`` for any (timings).
    param_set : ParamSet, optional
        The measure's parameters (empty by default).
    predict_type : {"response", "prob", "se"} or None
        The predict type it needs; ``None`` when it needs none.
    minimize : bool or None
        Whether lower is better (``None``: neither, e.g. bias).
    range : tuple of float
        Lowest and highest possible score.
    properties : iterable of str
        Among ``requires_task``, ``requires_learner``, ``requires_train_set``,
        ``requires_model``, ``na_score`` (may be NaN where undefined),
        ``weights`` (scores with the task's ``weights_measure`` column; see
        :mod:`mlr3py.measures._weighted` and ``use_weights``).
    task_properties : iterable of str
        Task properties it needs, e.g. ``{"twoclass"}``.
    average : {"macro", "micro", "macro_weighted"}
        How ``aggregate()`` combines resampling iterations: the mean (or
        ``aggregator``) of the per-iteration scores, the score of the combined
        prediction, or the per-iteration scores weighted by the test set sizes
        (by the sums of the measure weights with ``use_weights="use"``).
    label : str
        A human readable name.
    averages : tuple of str
        The averages this measure supports (``"macro_weighted"`` comes with
        ``"macro"``).
    aggregator : callable, optional
        What ``aggregate()`` applies to the per-iteration scores (mlr3's
        ``aggregator``): with ``average="macro"`` called as ``aggregator(scores)``
        (default :func:`numpy.mean`), with ``"macro_weighted"`` as
        ``aggregator(scores, weights)`` (default the weighted mean). E.g.
        ``msr("classif.ce", aggregator=np.median)``.

    Attributes
    ----------
    use_weights : {"use", "ignore", "error"}
        What a task with a ``weights_measure`` column means for this measure:
        ``"use"`` (only with property ``weights``; its default) scores with
        the weights of the scored rows, ``"ignore"`` scores without them
        (the default of measures without a task type, e.g. timings),
        ``"error"`` (the default of the others) raises an
        :class:`~mlr3py.errors.InputError`.
    predict_sets : list of str
        The predictions a resample or benchmark result scores with this measure:
        ``["test"]`` (the default) the test-set predictions, ``["train"]`` those of
        the training sets (the training error; the learner must have had
        ``predict_sets`` with ``"train"``), both their union. Settable (a str or
        a list), also as ``msr(key, predict_sets="train")``.

    Notes
    -----
    Subclasses implement ``_score(prediction, task, learner, train_set) -> float``;
    those with property ``weights`` also ``_score_weighted(prediction, weights)``, or
    :attr:`mean_loss` where the score is a mean of per-row losses (which also lets
    ``resample(..., store_predictions=False)`` score a test set chunk by chunk).
    """

    _kind = "Measure"
    _predict_sets: tuple[str, ...] = DEFAULT_PREDICT_SETS

    def __init__(
        self,
        id: str,  # noqa: A002
        *,
        task_type: str | None = None,
        param_set: ParamSet | None = None,
        predict_type: str | None = "response",
        minimize: bool | None = None,
        range: tuple[float, float] = (-math.inf, math.inf),  # noqa: A002
        properties: Iterable[str] = (),
        task_properties: Iterable[str] = (),
        average: str = "macro",
        label: str = "",
        averages: tuple[str, ...] = _AVERAGES,
        aggregator: Callable[..., Any] | None = None,
    ) -> None:
        self._averages = tuple(averages)
        if "macro" in self._averages and _MACRO_WEIGHTED not in self._averages:
            self._averages += (_MACRO_WEIGHTED,)
        self.id = id
        self.aggregator = aggregator
        self.task_type = task_type
        self.param_set = param_set if param_set is not None else ps()
        self.predict_type = predict_type
        self.minimize = minimize
        lo, hi = float(range[0]), float(range[1])
        if lo > hi:
            raise ConfigError(f"The range of Measure '{id}' must have lower <= upper. Got {range}.")
        self.range = (lo, hi)
        self.properties = set(properties)
        unknown = self.properties - MEASURE_PROPERTIES
        if unknown:
            raise ConfigError(
                f"Measure '{id}' has unknown properties {sorted(unknown)}. "
                f"Use some of {sorted(MEASURE_PROPERTIES)}."
            )
        self.task_properties = set(task_properties)
        self.average = average
        self.label = label or id
        self.use_weights = default_use_weights(self.properties, task_type)

    # -- settable fields ----------------------------------------------------------
    @property
    def param_set(self) -> ParamSet:
        """The measure's parameters."""
        return self._param_set

    @param_set.setter
    def param_set(self, value: ParamSet) -> None:
        self._param_set = value
        self._param_set.context = f"Measure '{self._id}'"

    @property
    def aggregator(self) -> Callable[..., Any] | None:
        """The function ``aggregate()`` applies to the per-iteration scores, or None
        for the (weighted) mean (see the class docstring)."""
        return self._aggregator

    @aggregator.setter
    def aggregator(self, value: Callable[..., Any] | None) -> None:
        if value is not None and not callable(value):
            raise ConfigError(
                f"The aggregator of Measure '{self.id}' must be a function of the "
                f"per-iteration scores (e.g. numpy.median) or None. Got {value!r:.80} instead."
            )
        self._aggregator = value

    @property
    def average(self) -> str:
        """``"macro"`` (mean of per-iteration scores), ``"micro"`` (score of all) or
        ``"macro_weighted"`` (mean weighted by test set sizes)."""
        return self._average

    @average.setter
    def average(self, value: str) -> None:
        if value not in self._averages:
            raise ConfigError(
                f"The average of Measure '{self.id}' must be one of "
                f"{list(self._averages)}. Got {value!r} instead."
            )
        self._average = value

    @property
    def predict_sets(self) -> list[str]:
        """The predict sets whose predictions this measure scores (see the class docstring)."""
        return list(self._predict_sets)

    @predict_sets.setter
    def predict_sets(self, value: str | Sequence[str]) -> None:
        self._predict_sets = check_predict_sets(value, f"Measure '{self.id}'")

    @property
    def use_weights(self) -> str:
        """``"use"``, ``"ignore"`` or ``"error"`` (see the class docstring)."""
        return self._use_weights

    @use_weights.setter
    def use_weights(self, value: str) -> None:
        allowed = [v for v in USE_WEIGHTS if v != "use" or "weights" in self.properties]
        if value not in allowed:
            hint = (
                " 'use' needs a measure with property 'weights'."
                if value == "use" else ""
            )
            raise ConfigError(
                f"The use_weights of Measure '{self.id}' must be one of {allowed}. "
                f"Got {value!r} instead.{hint}"
            )
        self._use_weights = value

    def _weights(self, prediction: Prediction | None, task: Any) -> np.ndarray | None:
        """The measure weights to score with, or None (see ``use_weights``)."""
        if self.use_weights == "ignore":
            return None
        weights = prediction_weights(self.id, prediction, task)
        if weights is not None and self.use_weights == "error":
            raise self._unusable_weights(task)
        return weights

    def _unusable_weights(self, task: Any) -> InputError:
        """The error of measure weights this measure cannot use (``use_weights="error"``)."""
        source = (f"Task '{task.id}' has" if task is not None
                  else "The prediction carries (from its task's)")
        return InputError(
            f"{source} measure weights (column role 'weights_measure'), which "
            f"Measure '{self.id}' cannot use (it has no property 'weights'). Set "
            f"measure.use_weights = 'ignore' to score it without the weights, or use a "
            f"measure with property 'weights'."
        )

    def check_task(self, task: Any) -> None:
        """Raise unless this measure can score predictions made on ``task``.

        For a check before predictions exist (``resample(..., store_predictions=False)``
        checks its measures before any job trains): the task properties the measure
        requires, and measure weights it cannot use.

        Raises
        ------
        ConfigError
            The task lacks a property in :attr:`task_properties`.
        InputError
            The task has measure weights (column role ``weights_measure``) and the
            measure's ``use_weights`` is ``"error"``.
        """
        if self.task_properties:
            self._require_properties(set(task.properties), f"task '{task.id}'")
        if self.use_weights == "error" and task.col_roles.get("weights_measure"):
            raise self._unusable_weights(task)

    @property
    def mean_loss(self) -> MeanLoss | None:
        """The score as a transform of the mean of per-row losses, or None where it is
        not one (the default).

        A measure that gives one can score a prediction chunk by chunk
        (:class:`~mlr3py.measures._chunked.ChunkedScore`): ``resample(...,
        store_predictions=False)`` then never holds a test set's whole prediction.
        """
        return None

    def _score_weighted(self, prediction: Any, weights: np.ndarray) -> float:
        """The weighted score: the weighted mean of the per-row losses of
        :attr:`mean_loss`; measures with property ``weights`` and no ``mean_loss``
        implement it."""
        mean_loss = self.mean_loss
        if mean_loss is None:
            raise NotImplementedError(
                f"{type(self).__name__} has property 'weights' but implements no "
                "_score_weighted() (nor mean_loss)."
            )
        values = mean_loss.losses(prediction)
        if values is None:
            return math.nan
        value = weighted_mean(values, weights, self.id)
        return value if math.isnan(value) else mean_loss.finish(value)

    # -- scoring ------------------------------------------------------------------
    def score(
        self,
        prediction: Prediction | None,
        task: Any = None,
        learner: Any = None,
        train_set: Any = None,
    ) -> float:
        """Score one prediction.

        Parameters
        ----------
        prediction : Prediction
            The prediction to score (may be ``None`` for measures needing no
            prediction, such as timings).
        task : Task, optional
            Needed by measures with property ``requires_task``.
        learner : Learner, optional
            Needed by measures with property ``requires_learner``.
        train_set : array-like of int, optional
            Needed by measures with property ``requires_train_set``.

        Returns
        -------
        float
            The score; NaN (with a warning) when the prediction lacks the
            measure's predict type, NaN where the measure is undefined.
        """
        self._check_prediction(prediction, task)
        self._check_requirements(task, learner, train_set)
        if (
            prediction is not None
            and self.predict_type is not None
            and self.predict_type not in prediction.predict_types
        ):
            warnings.warn(
                f"Measure '{self.id}' is missing predict type '{self.predict_type}' of "
                f"prediction (it has {prediction.predict_types}); the score is NaN.",
                stacklevel=2,
            )
            return math.nan
        weights = self._weights(prediction, task)
        if weights is not None:
            return float(self._score_weighted(prediction, weights))
        value = self._score(prediction, task=task, learner=learner, train_set=train_set)
        return float(value)

    def _score(
        self, prediction: Any, task: Any = None, learner: Any = None, train_set: Any = None
    ) -> float:
        """Compute the score; the hook every concrete measure implements."""
        raise NotImplementedError(
            f"{type(self).__name__} is abstract: subclasses of Measure implement _score()."
        )

    def _check_prediction(self, prediction: Prediction | None, task: Any) -> None:
        if prediction is None:
            if self.task_type is not None:
                raise InputError(f"Measure '{self.id}' needs a prediction to score. Got None.")
            return
        if not isinstance(prediction, Prediction):
            raise InputError(
                f"Measure '{self.id}' scores Prediction objects. Got {prediction!r:.80} instead."
            )
        if self.task_type is not None and prediction.task_type != self.task_type:
            raise ConfigError(
                f"Measure '{self.id}' (task type '{self.task_type}') cannot score a "
                f"{type(prediction).__name__} (task type '{prediction.task_type}'). "
                f"Use a '{prediction.task_type}.*' measure."
            )
        if not self.task_properties:
            return
        if task is not None and getattr(task, "properties", None) is not None:
            have = set(task.properties)
            what = f"task '{getattr(task, 'id', '?')}'"
        else:
            class_names = getattr(prediction, "class_names", None) or []
            have = {"twoclass"} if len(class_names) == 2 else {"multiclass"}
            what = f"the prediction (classes {class_names})"
        self._require_properties(have, what)

    def _require_properties(self, have: set[str], what: str) -> None:
        """Raise unless ``have`` includes the task properties this measure requires."""
        missing = self.task_properties - have
        if missing:
            raise ConfigError(
                f"Measure '{self.id}' requires task properties {sorted(missing)}, which "
                f"{what} lacks. Use it on a two-class task or choose another measure."
            )

    def _check_requirements(self, task: Any, learner: Any, train_set: Any) -> None:
        needs = {
            "requires_task": ("task", task),
            "requires_learner": ("learner", learner),
            "requires_train_set": ("train_set", train_set),
        }
        for prop, (arg, value) in needs.items():
            if prop in self.properties and value is None:
                raise ConfigError(
                    f"Measure '{self.id}' requires the {arg.replace('_', ' ')}; "
                    f"pass {arg}=... to score()."
                )
        if "requires_model" in self.properties and getattr(learner, "model", None) is None:
            raise ConfigError(
                f"Measure '{self.id}' requires the trained model; "
                "pass a learner with a stored model (store_models=True)."
            )

    def aggregate(
        self,
        predictions: Sequence[Prediction],
        scores: Sequence[float] | np.ndarray | None = None,
        *,
        task: Any = None,
        learners: Sequence[Any] | None = None,
        train_sets: Sequence[Any] | None = None,
    ) -> float:
        """Aggregate the scores of several resampling iterations into one number.

        Parameters
        ----------
        predictions : sequence of Prediction
            One prediction per iteration.
        scores : sequence of float, optional
            Per-iteration scores already computed (used for ``"macro"``).
        task : Task, optional
            The task all iterations share.
        learners, train_sets : sequences, optional
            One learner / train set per iteration, for measures needing them.

        Returns
        -------
        float
            ``"macro"``: the mean (or ``aggregator``) of the per-iteration scores
            (NaN propagates); ``"macro_weighted"``: their mean weighted by the
            number of rows (the sum of measure weights, with
            ``use_weights="use"``) of each prediction; ``"micro"``: the score of
            the combined prediction.
        """
        preds = list(predictions)
        n = len(preds) if scores is None else len(scores)
        for name, seq in (("learners", learners), ("train_sets", train_sets)):
            if seq is not None and len(seq) != len(preds):
                raise InputError(
                    f"Measure '{self.id}'.aggregate() needs one entry of {name} per "
                    f"prediction ({len(preds)}). Got {len(seq)} instead."
                )
        if self.average == "micro":
            if not preds:
                return math.nan
            train_set = None
            if train_sets is not None:
                train_set = np.unique(np.concatenate([np.asarray(t) for t in train_sets]))
            learner = learners[0] if learners else None
            return self.score(
                combine_predictions(preds), task=task, learner=learner, train_set=train_set
            )
        if scores is None:
            scores = [
                self.score(
                    p,
                    task=task,
                    learner=None if learners is None else learners[i],
                    train_set=None if train_sets is None else train_sets[i],
                )
                for i, p in enumerate(preds)
            ]
        if n == 0:
            return math.nan
        values = np.asarray(scores, dtype=float)
        if self.average == _MACRO_WEIGHTED:
            weights = self._iteration_weights(preds, n, task)
            if self.aggregator is not None:
                return float(self.aggregator(values, weights))
            return float(np.average(values, weights=weights))
        return float((self.aggregator or np.mean)(values))

    def _iteration_weights(self, predictions: list[Prediction], n: int, task: Any) -> np.ndarray:
        """Each iteration's weight for ``"macro_weighted"``: its number of predicted rows,
        or the sum of its measure weights when this measure uses them."""
        if len(predictions) != n:
            raise InputError(
                f"Measure '{self.id}' (average 'macro_weighted') weights each score by its "
                f"prediction's size, but got {n} scores and {len(predictions)} predictions."
            )
        out = np.empty(n, dtype=float)
        for i, prediction in enumerate(predictions):
            weights = None
            if self.use_weights == "use":
                weights = prediction_weights(self.id, prediction, task)
            out[i] = (
                float(np.sum(weights)) if weights is not None else len(prediction.row_ids)
            )
        return out

    def clone(self) -> Measure:
        """An independent deep copy (parameter values included)."""
        return copy.deepcopy(self)

    # -- description --------------------------------------------------------------
    def _dict_row(self) -> dict[str, Any]:
        """Columns of this measure in ``mlr_measures.as_table()``."""
        return {
            "label": self.label,
            "task_type": self.task_type,
            "predict_type": self.predict_type,
            "minimize": self.minimize,
            "range": format_range(self.range),
            "properties": sorted(self.properties),
            "task_properties": sorted(self.task_properties),
            "use_weights": self.use_weights,
        }

    def __repr__(self) -> str:
        values = self.param_set.get_values()
        params = ", ".join(f"{k}={v!r}" for k, v in values.items()) or "-"
        minimize = "-" if self.minimize is None else str(self.minimize)
        lines = [
            f"<{type(self).__name__}:{self.id}>: {self.label}",
            f"* Task type: {self.task_type or '-'}",
            f"* Range: {format_range(self.range)}",
            f"* Minimize: {minimize}",
            f"* Average: {self.average}",
            f"* Parameters: {params}",
            f"* Properties: {', '.join(sorted(self.properties)) or '-'}",
            f"* Predict type: {self.predict_type or '-'}",
        ]
        if self.task_properties:
            lines.append(f"* Task properties: {', '.join(sorted(self.task_properties))}")
        return "\n".join(lines)


class MeasureClassif(Measure):
    """A measure for classification predictions (``task_type="classif"``)."""

    def __init__(self, id: str, **kwargs: Any) -> None:  # noqa: A002
        super().__init__(id, task_type="classif", **kwargs)


class MeasureRegr(Measure):
    """A measure for regression predictions (``task_type="regr"``)."""

    def __init__(self, id: str, **kwargs: Any) -> None:  # noqa: A002
        super().__init__(id, task_type="regr", **kwargs)
