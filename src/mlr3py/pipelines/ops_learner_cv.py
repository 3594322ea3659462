"""Cross-validated predictions as features: ``po("learner_cv", lrn(...))`` (mlr3pipelines'
``PipeOpLearnerCV``), the building block of stacking (``ppl("stacking", ...)``).

In training the operator resamples its learner on the task (``resampling.method``
``"cv"`` with ``resampling.folds`` folds, or ``"insample"``) and outputs a task
whose features are the out-of-fold predictions on the training rows; it also
trains the learner on all training rows, its state. At prediction time that
learner predicts the new rows. So a learner after it never trains on a
prediction made by a model that saw the row (no leak). The features are named
``<id>.response`` (``predict_type="response"``), ``<id>.prob.<class>``
(``"prob"``; with ``resampling.keep_response`` also ``<id>.response``) or
``<id>.response`` and ``<id>.se`` (``"se"``). The target, and the other column
roles, stay.

The folds are drawn, through ``resample()``'s root seed, from the job's numpy
stream (:func:`mlr3py._rng.job_random_state`): ``np.random.seed(s)`` before
training gives the folds of ``resample(task, learner, rsmp("cv", folds=3))`` after
the same ``np.random.seed(s)``, and inside ``resample()`` / ``benchmark()`` each job
repeats under every plan (a nested ``resample()`` runs on the plan's next level).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
import pandas as pd

from mlr3py.errors import ConfigError
from mlr3py.evaluation import resample
from mlr3py.learners import Learner, LearnerState, mlr_learners
from mlr3py.params import ParamSetCollection, p_fct, p_int, p_lgl, p_uty, ps
from mlr3py.pipelines._preproc import PipeOpTaskPreproc, _check_selector, replace_features
from mlr3py.predictions import Prediction
from mlr3py.resamplings import mlr_resamplings
from mlr3py.tasks import Task, TaskSupervised

__all__ = ["LearnerCVState", "PipeOpLearnerCV"]


@dataclass
class LearnerCVState:
    """The state of a trained ``learner_cv`` operator.

    Attributes
    ----------
    affected : list of str
        The features the learner was trained on.
    learner_state : LearnerState
        The state of the learner trained on all training rows.
    """

    affected: list[str]
    learner_state: LearnerState


class PipeOpLearnerCV(PipeOpTaskPreproc):
    """A learner's cross-validated predictions as the features of a task.

    Parameters
    ----------
    learner : Learner
        The learner (cloned); ``classif.featureless`` when omitted.
    id : str, optional
        Defaults to the learner's id.

    Notes
    -----
    The parameters are the learner's (unprefixed) and ``resampling.method``
    (``"cv"`` or ``"insample"``, default ``"cv"``), ``resampling.folds`` (an int
    >= 2, default 3), ``resampling.keep_response`` (keep ``<id>.response`` beside
    the probabilities, default False) and ``affect_columns``.

    Examples
    --------
    >>> from mlr3py import lrn, tsk
    >>> from mlr3py.pipelines import po
    >>> op = po("learner_cv", lrn("classif.rpart", predict_type="prob"))
    >>> (out,) = op.train([tsk("iris")])
    >>> out.feature_names[:1]
    ['classif.rpart.prob.setosa']
    """

    def __init__(self, learner: Learner | None = None, id: str | None = None) -> None:  # noqa: A002
        if learner is None:  # a placeholder, so that the registry can list the operator
            learner = mlr_learners.get("classif.featureless")
        if not isinstance(learner, Learner):
            raise ConfigError(f"PipeOp 'learner_cv' needs a Learner (lrn('classif.rpart')). "
                              f"Got {type(learner).__name__} instead.")
        self.learner: Learner = learner.clone().reset()
        own = ps(**{
            "resampling.method": p_fct(["cv", "insample"], init="cv",
                                       tags=("train", "required")),
            "resampling.folds": p_int(2, init=3, tags=("train", "required")),
            "resampling.keep_response": p_lgl(init=False, tags=("train", "required")),
            "affect_columns": p_uty(_check_selector, tags="train"),
        })
        params = ParamSetCollection([own, self.learner.param_set],
                                    context="PipeOp 'learner_cv'")
        kind = {"classif": "TaskClassif", "regr": "TaskRegr"}.get(self.learner.task_type, "Task")
        super().__init__(id if id is not None else self.learner.id, params, task_type=kind,
                         packages=self.learner.packages,
                         label="Cross-Validated Predictions as Features")

    @property
    def learner_model(self) -> Learner:
        """A copy of the learner with the trained state (untrained before training)."""
        learner = self.learner.clone()
        state = self.state
        learner.state = state.learner_state if isinstance(state, LearnerCVState) else None
        return learner

    def _train_task(self, task: Task) -> Task:
        values = self.param_set.values
        cols = self.affected(task)
        sub = cast(TaskSupervised, task if cols == task.feature_names
                   else task.clone().select(cols))
        learner = self.learner
        try:
            if values.get("resampling.method", "cv") == "cv":
                folds = mlr_resamplings.get("cv", folds=values.get("resampling.folds", 3))
                oof = resample(sub, learner, folds).prediction()
                learner.train(sub)
            else:
                learner.train(sub)
                oof = learner.predict(sub)
            assert learner.state is not None  # trained
            self.state = LearnerCVState(cols, learner.state)
        finally:
            learner.reset()
        return self._to_task(oof, task)

    def _predict_task(self, task: Task) -> Task:
        state: LearnerCVState = self.state
        sub = cast(TaskSupervised, task if state.affected == task.feature_names
                   else task.clone().select(state.affected))
        # a copy: predicting records timings and log entries, the trained state stays as it is
        self.learner.state = dataclasses.replace(state.learner_state,
                                                 log=list(state.learner_state.log))
        try:
            prediction = self.learner.predict(sub)
        finally:
            self.learner.state = None
        return self._to_task(prediction, task)

    def _to_task(self, prediction: Prediction, task: Task) -> Task:
        """``task`` with its features replaced by the prediction's columns (by row id)."""
        ids = pd.Index(np.asarray(task.row_ids, dtype=np.int64)).unique()
        pred_ids = pd.Index(np.asarray(prediction.row_ids, dtype=np.int64))
        at = pred_ids.get_indexer(ids)
        if (at < 0).any():  # pragma: no cover - resample() predicts every row once
            raise ConfigError(f"PipeOp '{self.id}' got no prediction for some rows.")
        cols: dict[str, Any] = {}
        prob = getattr(prediction, "prob", None)
        keep = self.param_set.values.get("resampling.keep_response", False)
        if prob is None or keep:
            response = getattr(prediction, "response")  # noqa: B009 - classif or regr
            cols[f"{self.id}.response"] = response.take(at) \
                if isinstance(response, pd.Categorical) else np.asarray(response)[at]
        if prob is not None:
            for name in prob.columns:
                cols[f"{self.id}.prob.{name}"] = prob[name].to_numpy()[at]
        se = getattr(prediction, "se", None)
        if se is not None:
            cols[f"{self.id}.se"] = np.asarray(se)[at]
        frame = pd.DataFrame(cols, index=pd.Index(ids, name="row_id"))
        return replace_features(task, task.feature_names, frame)
