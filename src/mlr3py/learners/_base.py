"""The learner base classes: :class:`Learner`, :class:`LearnerClassif`, :class:`LearnerRegr`.

The public methods (:meth:`Learner.train`, :meth:`Learner.predict`,
:meth:`Learner.predict_newdata`) check that learner and task fit together,
then call the private hooks a subclass implements:

- ``_train(task) -> model``: fit on all active rows of ``task``;
- ``_predict(task) -> PredictionData``: predict all active rows of ``task``,
  returning a :class:`~mlr3py.predictions.PredictionDataClassif` (``response``,
  ``prob``) or :class:`~mlr3py.predictions.PredictionDataRegr` (``response``,
  ``se``), with ``row_ids`` set when fewer rows are predicted than asked for.

The hooks run under the learner's encapsulation (``learner.encapsulation``,
``timeout``, ``fallback``; see :mod:`mlr3py.learners._encapsulated`). With the
default ``"none"`` exceptions raised inside the hooks propagate unchanged.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from mlr3py._identified import Identified
from mlr3py.errors import ConfigError, NotTrainedError
from mlr3py.learners._as_prediction import as_prediction_classif, as_prediction_regr
from mlr3py.learners._checks import (
    check_feature_types,
    check_missings,
    check_predict_features,
    check_predict_levels,
    check_task_properties,
    check_task_type,
)
from mlr3py.learners._encapsulated import EncapsulationMixin
from mlr3py.learners._fallback import predict_data, predict_state, train_fallback
from mlr3py.learners._features import feature_info
from mlr3py.learners._fetch import fetches, predict_fetched, rows_view
from mlr3py.learners._format import format_learner, ordered_types
from mlr3py.learners._internal_results import InternalResults, record_internal_results
from mlr3py.learners._labels import as_categorical, class_dtype, classes_from_codes
from mlr3py.learners._newdata import newdata_task
from mlr3py.learners._results import LearnerResults
from mlr3py.learners._state import LearnerState
from mlr3py.learners._weights import check_use_weights, default_use_weights, weights_task
from mlr3py.params import ParamSet, ps
from mlr3py.predictions import (
    Prediction,
    PredictionClassif,
    PredictionData,
    PredictionRegr,
    set_task_weights,
)
from mlr3py.predictions._predict_sets import DEFAULT_PREDICT_SETS, check_predict_sets
from mlr3py.reflections import FEATURE_TYPES, PREDICT_TYPES
from mlr3py.tasks import TaskClassif

if TYPE_CHECKING:
    from mlr3py.tasks import TaskSupervised

__all__ = [
    "FEATURE_TYPES",
    "Learner",
    "LearnerClassif",
    "LearnerRegr",
    "as_categorical",
    "class_dtype",
    "classes_from_codes",
]



class Learner(LearnerResults, InternalResults, Identified, EncapsulationMixin):
    """A machine-learning algorithm behind one interface (mlr3's ``Learner``).

    Subclasses call this constructor and implement ``_train`` and ``_predict``.

    Parameters
    ----------
    id : str
        Identifier, e.g. ``"classif.rpart"``.
    param_set : ParamSet, optional
        The hyperparameters; an empty set when omitted.
    predict_types : sequence of str
        Supported predict types; the first is the default ``predict_type``.
    feature_types : iterable of str
        Supported feature types (see :data:`FEATURE_TYPES`).
    properties : iterable of str
        Among ``"twoclass"``, ``"multiclass"``, ``"missings"``, ``"weights"``,
        ``"importance"``.
    packages : sequence of str
        Python packages the learner needs.
    label : str
        A short human-readable description.

    Attributes
    ----------
    state : LearnerState or None
        Set by :meth:`train`; ``None`` while untrained.
    parallel_predict : bool
        Predict in row chunks through the active plan (:func:`mlr3py.plan`) and
        combine them; the result equals the sequential prediction. Default False.
    rowwise_predict : bool
        Whether the prediction of a row depends on that row alone (not on the rows
        predicted with it, nor on random draws), so that predicting rows in parts and
        putting the parts together gives the prediction of all rows at once. Under a
        parallel plan, ``resample()`` and ``benchmark()`` may then split a large test set
        across the workers (:attr:`mlr3py.options.predict_split_rows`). False unless a
        learner class says so (scikit-learn learners do).
    use_weights : {"use", "ignore", "error"}
        What training on a task with learner weights (column role
        ``weights_learner``) does: fit with them (``"use"``, the default of learners
        with property ``"weights"``), train as if there were none (``"ignore"``), or
        raise an :class:`~mlr3py.errors.InputError` (``"error"``, the default of the
        other learners). Settable, also as ``lrn(key, use_weights="ignore")``.
    predict_sets : list of str
        The sets ``resample()`` and ``benchmark()`` predict in each iteration:
        ``["test"]`` (the default), ``["train", "test"]`` to predict the training
        set too (for the training error: a measure with ``predict_sets="train"``),
        or ``["train"]``. Settable, also as ``lrn(key, predict_sets=["train", "test"])``.
    """

    _kind = "Learner"
    _use_weights: str | None = None  # None: the default for the learner's properties
    _predict_sets: tuple[str, ...] = DEFAULT_PREDICT_SETS

    task_type: ClassVar[str] = ""
    parallel_predict: bool = False
    rowwise_predict: ClassVar[bool] = False

    def __init__(
        self,
        id: str,  # noqa: A002 - mlr3's name
        *,
        param_set: ParamSet | None = None,
        predict_types: Sequence[str] = ("response",),
        feature_types: Iterable[str] = FEATURE_TYPES,
        properties: Iterable[str] = (),
        packages: Sequence[str] = (),
        label: str = "",
    ) -> None:
        allowed = PREDICT_TYPES.get(self.task_type, ())
        bad = [p for p in predict_types if p not in allowed]
        if not predict_types or bad:
            raise ConfigError(
                f"The predict types of Learner '{id}' must be a non-empty subset of "
                f"{list(allowed)}. Got {list(predict_types)} instead."
            )
        bad_types = sorted(set(feature_types) - set(FEATURE_TYPES))
        if bad_types:
            raise ConfigError(
                f"The feature types of Learner '{id}' must be among {list(FEATURE_TYPES)}. "
                f"Got {bad_types} instead."
            )
        self.param_set: ParamSet = param_set if param_set is not None else ps()
        self._id = ""
        self.id = id
        self.label = label
        self.predict_types: list[str] = list(predict_types)
        self._predict_type = self.predict_types[0]
        self.feature_types: set[str] = set(feature_types)
        self.properties: set[str] = set(properties)
        self.packages: list[str] = list(packages)
        self.state: LearnerState | None = None

    # -- fields ---------------------------------------------------------------------
    @property
    def predict_type(self) -> str:
        """The predict type used by :meth:`predict` (one of ``predict_types``; settable)."""
        return self._predict_type

    @predict_type.setter
    def predict_type(self, value: str) -> None:
        if value not in self.predict_types:
            raise ConfigError(
                f"The predict type of Learner '{self.id}' must be one of "
                f"{', '.join(repr(p) for p in self.predict_types)}. Got {value!r} instead."
            )
        self._predict_type = value

    @property
    def use_weights(self) -> str:
        """``"use"``, ``"ignore"`` or ``"error"``: how :meth:`train` treats learner weights."""
        if self._use_weights is not None:
            return self._use_weights
        return default_use_weights(self.properties)

    @use_weights.setter
    def use_weights(self, value: str) -> None:
        self._use_weights = check_use_weights(self, value)

    @property
    def predict_sets(self) -> list[str]:
        """The sets predicted in each resampling iteration (see the class docstring)."""
        return list(self._predict_sets)

    @predict_sets.setter
    def predict_sets(self, value: str | Sequence[str]) -> None:
        self._predict_sets = check_predict_sets(value, f"Learner '{self.id}'")

    # -- train / predict ------------------------------------------------------------
    def train(self, task: TaskSupervised, row_ids: Iterable[int] | None = None) -> Learner:
        """Train the learner on ``task`` (restricted to ``row_ids`` when given).

        Parameters
        ----------
        task : Task
            A task of the learner's type.
        row_ids : iterable of int, optional
            Rows to train on; all active rows of ``task`` when omitted.

        Returns
        -------
        Learner
            ``self``, with :attr:`state` set.

        Raises
        ------
        InputError
            If the task does not fit the learner (type, classes, feature types,
            missing values), a row id is not in the task, or the task has learner
            weights and :attr:`use_weights` is ``"error"``.
        ConfigError
            If the parameter values are incomplete or inconsistent.
        """
        check_task_type(self, task)
        check_task_properties(self, task)
        task = weights_task(self, task)  # raises, or drops weights to be ignored
        info = feature_info(task)
        check_feature_types(self, info.types, task.id)
        if row_ids is not None:
            view = rows_view(task, row_ids)  # a database task: read in one query, on use
            check_missings(self, view, info.names, superset=task)
            task = view
        else:
            check_missings(self, task, info.names)
        param_vals = self.param_set.get_values()
        self.param_set.assert_(param_vals)
        self.param_set.assert_untuned("train")
        self.state = None
        run = self._run_stage("train", "_train", task)
        self.state = LearnerState(
            model=run.result,
            train_time=run.elapsed,
            log=list(run.log),
            param_vals=param_vals,
            feature_names=list(info.names),
            feature_types=dict(info.types),
            levels={k: list(v) for k, v in info.levels.items()},
            class_names=list(task.class_names) if isinstance(task, TaskClassif) else None,
            task_type=task.task_type,
            train_task_id=task.id,
            target_name=task.target_names[0],
            n_train=task.nrow,
        )
        record_internal_results(self, self.state)
        if self.fallback is not None:
            train_fallback(self, task)
        return self

    def predict(self, task: TaskSupervised, row_ids: Iterable[int] | None = None) -> Prediction:
        """Predict the rows of ``task`` (restricted to ``row_ids`` when given).

        Parameters
        ----------
        task : Task
            A task with the training task's features.
        row_ids : iterable of int, optional
            Rows to predict; all active rows of ``task`` when omitted.

        Returns
        -------
        Prediction
            A :class:`PredictionClassif` or :class:`PredictionRegr`.

        Raises
        ------
        NotTrainedError
            If the learner has not been trained, or its training failed (under
            encapsulation) and it has no fallback.
        InputError
            If the task's features differ from the training task's.
        """
        _check_training_succeeded(self, predict_state(self))
        prediction = self._predict_or_missing(task, row_ids)
        return set_task_weights(prediction, task)  # mlr3's Prediction$weights

    def _predict_or_missing(
        self, task: TaskSupervised, row_ids: Iterable[int] | None = None
    ) -> Prediction:
        """:meth:`predict`, except that a failed training predicts missing values.

        ``resample()`` and ``benchmark()`` predict this way: the error stays in the
        log and the scores are NaN, as in mlr3's workhorse.
        """
        state = predict_state(self)
        check_task_type(self, task)
        check_predict_features(self, state, feature_info(task).types, task.id)
        if fetches(task):  # a database or files: chunks of rows, each read in one query
            return predict_fetched(self, state, task, row_ids)
        if row_ids is not None:
            task = task.clone()._use_rows(row_ids)
        if not self._maps_unseen_levels():
            check_predict_levels(self, state, task)
        return self._timed_predict(state, task, has_truth=True)

    def _timed_predict(
        self, state: LearnerState, task: TaskSupervised, has_truth: bool
    ) -> Prediction:
        pdata = predict_data(self, state, task)  # encapsulated; fallback stands in
        return self._as_prediction(task, pdata, has_truth)

    def predict_newdata(self, newdata: Any, task: TaskSupervised | None = None) -> Prediction:
        """Predict new observations given as a data frame.

        Parameters
        ----------
        newdata : pandas.DataFrame (or polars / pyarrow table)
            Must hold the training task's features (other columns are ignored).
            When it holds the target column too, that becomes the truth;
            otherwise the truth is missing.
        task : Task, optional
            Unused except for its id in messages; kept for mlr3 compatibility.

        Returns
        -------
        Prediction
        """
        state = predict_state(self)
        _check_training_succeeded(self, state)
        new_task, has_truth = newdata_task(self, state, newdata, task)
        check_predict_features(self, state, feature_info(new_task).types, new_task.id)
        return self._timed_predict(state, new_task, has_truth)

    def _train(self, task: TaskSupervised) -> Any:
        raise NotImplementedError(f"{type(self).__name__} must implement _train(task).")

    def _predict(self, task: TaskSupervised) -> PredictionData:
        raise NotImplementedError(f"{type(self).__name__} must implement _predict(task).")

    def _maps_unseen_levels(self) -> bool:
        """Whether the trained model predicts for factor levels unseen in training.

        ``False`` (the default): ``predict`` refuses such levels with an
        :class:`~mlr3py.errors.InputError`. Learners that map them to an
        "unknown" code (torch learners with embeddings) return ``True``.
        """
        return False

    def _as_prediction(
        self, task: TaskSupervised, pdata: PredictionData, has_truth: bool
    ) -> Prediction:
        raise NotImplementedError(f"{type(self).__name__} must implement _as_prediction().")

    # -- housekeeping -------------------------------------------------------------------
    def _design(self) -> Any:
        """What decides this learner's results besides its class, id, predict type and
        parameter values (None: nothing more), e.g. the learner an AutoTuner wraps and
        how it tunes, or a graph's operators. A result store keys its jobs by it too, so
        that a changed design is not read back as the old one's results."""
        return None

    def reset(self) -> Learner:
        """Forget the trained state (model, timings, log); returns ``self``."""
        self.state = None
        return self

    def clone(self) -> Learner:
        """An independent deep copy (parameter values and state included)."""
        return copy.deepcopy(self)

    def _dict_row(self) -> dict[str, Any]:
        """The columns this learner contributes to ``mlr_learners.as_table()``."""
        return {
            "label": self.label,
            "task_type": self.task_type,
            "feature_types": ordered_types(self.feature_types),
            "packages": list(self.packages),
            "properties": sorted(self.properties),
            "predict_types": list(self.predict_types),
        }

    def __repr__(self) -> str:
        return format_learner(self)


class LearnerClassif(Learner):
    """Base class of classification learners (predict types ``response``, ``prob``).

    ``_predict`` returns a :class:`~mlr3py.predictions.PredictionDataClassif`: its
    ``response`` as labels (a :class:`pandas.Categorical` or an array of class
    names, NaN for a missing prediction) and/or its ``prob`` as a 2-D array with one
    column per class in ``state.class_names`` order (or a DataFrame with class-name
    columns).
    """

    task_type: ClassVar[str] = "classif"

    def _as_prediction(
        self, task: TaskSupervised, pdata: PredictionData, has_truth: bool = True
    ) -> PredictionClassif:
        return as_prediction_classif(self, task, pdata, has_truth)


class LearnerRegr(Learner):
    """Base class of regression learners (predict types ``response``, ``se``).

    ``_predict`` returns a :class:`~mlr3py.predictions.PredictionDataRegr`: its
    ``response`` (1-D floats, NaN for a missing prediction) and, for predict type
    ``se``, its ``se`` (1-D floats).
    """

    task_type: ClassVar[str] = "regr"

    def _as_prediction(
        self, task: TaskSupervised, pdata: PredictionData, has_truth: bool = True
    ) -> PredictionRegr:
        return as_prediction_regr(self, task, pdata, has_truth)


# -- helpers ----------------------------------------------------------------------------
def _check_training_succeeded(learner: Learner, state: LearnerState) -> None:
    """Raise :class:`NotTrainedError` naming the error if training failed without a fallback."""
    if state.model is not None or learner.fallback is not None:
        return
    errors = [e for e in state.log if e.stage == "train" and e.cls == "error"]
    why = f" ({errors[-1].condition}: {errors[-1].msg})" if errors else ""
    raise NotTrainedError(
        f"Cannot predict: Learner '{learner.id}' has not been trained yet, its training "
        f"failed{why}. Fix the error and train again, or set a fallback learner "
        f"(learner.fallback = lrn('{learner.task_type}.featureless')) to predict in its place."
    )
