"""Measures that read the trained learner rather than the prediction.

mlr3's ``MeasureSelectedFeatures`` (``selected_features``), ``MeasureOOBError``
(``oob_error``) and ``MeasureInternalValidScore`` (``internal_valid_score``). They
have no task type and need no predict type; resample and benchmark results pass
each iteration's learner (its state, with the model under ``store_models=True``).
A graph learner is asked through its ``base_learner()``, as in mlr3.

A learner trained in ``resample()`` / ``benchmark()`` keeps its model only with
``store_models=True``: without it ``selected_features`` raises a
:class:`~mlr3py.errors.ConfigError` (property ``requires_model``, as in mlr3).
``oob_error`` and ``internal_valid_score`` read the learner's state (as mlr3
does), which keeps them without the model; only for a wrapper that leaves them
with its inner learner (a graph learner) do they need the model, and score NaN
with a warning saying to store the models.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

from mlr3py.errors import ConfigError
from mlr3py.measures.base import Measure
from mlr3py.params import p_lgl, ps

__all__ = ["MeasureInternalValidScore", "MeasureOOBError", "MeasureSelectedFeatures"]


def _base_learner(learner: Any) -> Any:
    """The learner to ask: a trained graph learner's ``base_learner()``, else itself."""
    base = getattr(learner, "base_learner", None)
    if callable(base) and getattr(learner, "model", None) is not None:
        return base()
    return learner


def _records_internal_results(learner: Any) -> bool:
    """Whether ``learner``'s state is the whole answer: a trained learner that is not
    a wrapper (no ``base_learner()``) keeps its internal results in its state."""
    return getattr(learner, "state", None) is not None and not callable(
        getattr(learner, "base_learner", None)
    )


def _model_dropped(measure: Measure, learner: Any) -> float:
    """NaN, with a warning that the learner's model was not kept."""
    warnings.warn(
        f"Measure '{measure.id}' reads the trained model of Learner "
        f"'{getattr(learner, 'id', '?')}', which has none (resample() and benchmark() "
        f"keep models only with store_models=True); the score is NaN.",
        stacklevel=4,
    )
    return math.nan


class _MeasureLearner(Measure):
    """A measure of the learner alone: no task type, no predict type, ``requires_learner``."""

    def __init__(
        self,
        id: str,  # noqa: A002
        *,
        label: str,
        minimize: bool | None = True,
        properties: tuple[str, ...] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(
            id,
            task_type=None,
            predict_type=None,
            minimize=minimize,
            properties={"requires_learner", *properties},
            label=label,
            averages=("macro",),
            **kwargs,
        )


class MeasureSelectedFeatures(_MeasureLearner):
    """The number of features the trained model uses (mlr3's ``selected_features``).

    ``learner.selected_features()`` counted, for a learner with property
    ``selected_features``; NaN for one without. Needs the task and the trained
    model (``store_models=True`` in ``resample()`` / ``benchmark()``).

    Parameters (``param_set``)
    --------------------------
    normalize : bool
        Divide by the task's number of features (default False).

    Examples
    --------
    >>> from mlr3py import lrn, msr, tsk
    >>> task = tsk("sonar")
    >>> learner = lrn("classif.rpart", max_depth=1).train(task)
    >>> msr("selected_features").score(None, task=task, learner=learner)
    1.0
    """

    def __init__(self) -> None:
        param_set = ps(normalize=p_lgl(tags={"required"}, init=False))
        super().__init__(
            "selected_features",
            label="Absolute or Relative Frequency of Selected Features",
            properties=("requires_task", "requires_model", "na_score"),
            param_set=param_set,
            range=(0.0, math.inf),
        )

    def _score(
        self, prediction: Any, task: Any = None, learner: Any = None, train_set: Any = None
    ) -> float:
        learner = _base_learner(learner)
        if "selected_features" not in getattr(learner, "properties", ()):
            return math.nan
        n = float(len(learner.selected_features()))
        if self.param_set.values.get("normalize", False):
            n /= len(task.feature_names)
        return n


class MeasureOOBError(_MeasureLearner):
    """The learner's out-of-bag error (mlr3's ``oob_error``).

    ``learner.oob_error()`` for a learner with property ``oob_error`` (the random
    forests, trained with ``oob_score=True``); NaN for one without.

    Examples
    --------
    >>> from mlr3py import lrn, msr, tsk
    >>> learner = lrn("classif.ranger", oob_score=True).train(tsk("sonar"))
    >>> msr("oob_error").score(None, learner=learner) == learner.oob_error()
    True
    """

    def __init__(self) -> None:
        super().__init__(
            "oob_error", label="Out-of-bag Error", properties=("na_score",),
        )

    def _score(
        self, prediction: Any, task: Any = None, learner: Any = None, train_set: Any = None
    ) -> float:
        if "oob_error" not in getattr(learner, "properties", ()):
            return math.nan
        recorded = getattr(getattr(learner, "state", None), "oob_error", None)
        if recorded is not None:  # kept in the state, also without the model
            return float(recorded)
        if getattr(learner, "model", None) is None:
            if _records_internal_results(learner):  # trained without oob_score
                return math.nan
            return _model_dropped(self, learner)
        return float(_base_learner(learner).oob_error())


class MeasureInternalValidScore(_MeasureLearner):
    """A score the learner computed on its internal validation data
    (mlr3's ``internal_valid_score``).

    Reads ``learner.internal_valid_scores`` (metric -> score; set by learners with
    ``validate``, e.g. xgboost): the entry ``select``, or the first. NaN when the
    learner has none or not that entry.

    Parameters
    ----------
    select : str or None
        The metric to read (e.g. ``"logloss"``); None for the first. It also
        becomes the measure's id. Settable, also as ``msr(..., select="rmse")``.
    minimize : bool or None
        Whether smaller values are better (set it to tune on this measure).
    """

    def __init__(self, select: str | None = None, minimize: bool | None = None) -> None:
        self._select: str | None = None
        super().__init__(
            "internal_valid_score", label="Internal Validation Score",
            minimize=minimize, properties=("na_score",),
        )
        self.select = select

    @property
    def select(self) -> str | None:
        """The metric read from ``internal_valid_scores`` (None: the first)."""
        return self._select

    @select.setter
    def select(self, value: str | None) -> None:
        if value is not None and (not isinstance(value, str) or not value):
            raise ConfigError(
                f"The select of Measure '{self.id}' must be the name of an internal "
                f"validation score (a non-empty str) or None. Got {value!r} instead."
            )
        if self.id == (self._select or "internal_valid_score"):
            self.id = value or "internal_valid_score"
        self._select = value

    @property
    def minimize(self) -> bool | None:
        """Whether smaller values are better (None: unknown)."""
        return self._minimize

    @minimize.setter
    def minimize(self, value: bool | None) -> None:
        if value is not None and not isinstance(value, bool):
            raise ConfigError(
                f"The minimize of Measure 'internal_valid_score' must be True, False or "
                f"None. Got {value!r} instead."
            )
        self._minimize = value

    def _score(
        self, prediction: Any, task: Any = None, learner: Any = None, train_set: Any = None
    ) -> float:
        state = getattr(learner, "state", None)
        scores = getattr(state, "internal_valid_scores", None)
        if scores is None and not _records_internal_results(learner):
            base = _base_learner(learner)
            if not hasattr(base, "internal_valid_scores"):
                return math.nan
            if getattr(learner, "model", None) is None:
                return _model_dropped(self, learner)
            scores = base.internal_valid_scores
        if not scores:
            return math.nan
        key = self._select if self._select is not None else next(iter(scores))
        return float(scores.get(key, math.nan))


#: key -> constructor, for ``mlr_measures``.
LEARNER_MEASURES: dict[str, Any] = {
    "selected_features": MeasureSelectedFeatures,
    "oob_error": MeasureOOBError,
    "internal_valid_score": MeasureInternalValidScore,
}
