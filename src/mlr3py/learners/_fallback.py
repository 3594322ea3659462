"""Fallback learners: trained alongside, they stand in where a learner failed.

- :func:`train_fallback` trains ``learner.fallback`` on the same task right after
  the learner and keeps its state in ``learner.state.fallback_state``.
- :func:`predict_data` runs the learner's predict step (encapsulated); when
  training or predicting failed, the fallback's predictions replace the
  learner's, and missing predictions (NaN, or rows left out) are filled in from
  the fallback. Imputed predictions are logged (class ``"message"``).
- Without a fallback, a failed step gives missing predictions (so scores are
  NaN and the error is in the log).
- :func:`fallback_for_failure` is the same path for a step that failed outside the
  learner (e.g. the worker process running it died): a failed state holding the
  error, and the fallback's (or missing) predictions of the test rows.

A fallback that fails itself is a configuration error
(:class:`~mlr3py.errors.ConfigError`): it must always work (e.g. featureless).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from mlr3py.encapsulation import LogEntry
from mlr3py.errors import ConfigError
from mlr3py.learners._checks import check_trained
from mlr3py.learners._encapsulated import check_fallback
from mlr3py.learners._labels import as_categorical, as_prob, classes_from_codes
from mlr3py.learners._state import LearnerState
from mlr3py.log import logger
from mlr3py.predictions import (
    Prediction,
    PredictionData,
    PredictionDataClassif,
    PredictionDataRegr,
    check_prediction_data,
    missing_prediction_data,
)
from mlr3py.tasks import TaskClassif, TaskSupervised

if TYPE_CHECKING:
    from mlr3py.learners._base import Learner
    from mlr3py.tasks import TaskSupervised

__all__ = [
    "failed_stage",
    "fallback_for_failure",
    "predict_data",
    "predict_state",
    "train_fallback",
]


def failed_stage(state: LearnerState, stage: str) -> bool:
    """Whether an error was logged for ``stage``."""
    return any(e.stage == stage and e.cls == "error" for e in state.log)


def predict_state(learner: Learner) -> LearnerState:
    """The state to predict with: also a state whose training failed (it predicts missing)."""
    state = learner.state
    if state is not None and state.model is None and failed_stage(state, "train"):
        return state
    return check_trained(learner)


def _fallback_error(learner: Learner, fallback: Learner, stage: str, why: Any) -> ConfigError:
    return ConfigError(
        f"The fallback learner '{fallback.id}' of Learner '{learner.id}' failed to {stage}: "
        f"{why}. A fallback must not fail; use a simple one such as "
        f"lrn('{learner.task_type}.featureless')."
    )


def train_fallback(learner: Learner, task: TaskSupervised) -> None:
    """Train ``learner.fallback`` on ``task`` (already restricted to the training rows)."""
    fallback = learner.fallback
    state = learner.state
    if fallback is None or state is None:
        return
    check_fallback(learner, fallback)
    fallback.predict_type = learner.predict_type
    try:
        fallback.train(task)
    except ConfigError:
        raise
    except Exception as exc:
        raise _fallback_error(learner, fallback, "train", f"{type(exc).__name__}: {exc}") from exc
    fb_state = fallback.state
    if fb_state is None or fb_state.model is None or failed_stage(fb_state, "train"):
        errors = [e.msg for e in (fb_state.log if fb_state else []) if e.cls == "error"]
        raise _fallback_error(learner, fallback, "train", "; ".join(errors) or "no model")
    state.fallback_state = fb_state


def predict_data(learner: Learner, state: LearnerState, task: TaskSupervised) -> PredictionData:
    """Predict ``task`` with the learner's encapsulation, its fallback standing in.

    Sets ``state.predict_time`` and appends the predict step's conditions to
    ``state.log``. Returns prediction data for all rows of ``task`` (or the rows
    the learner returned, when it has no fallback).
    """
    if state.model is None:  # training failed: there is nothing to predict with
        state.predict_time = 0.0
        pdata = None
    else:
        run = learner._run_stage("predict", "_predict_step", task)
        state.log.extend(run.log)
        state.predict_time = run.elapsed
        pdata = None if run.failed else check_prediction_data(
            run.result, learner.task_type, f"Learner '{learner.id}'"
        )
    if state.fallback_state is not None and learner.fallback is not None:
        return _impute(learner, state, task, pdata)
    if pdata is None:
        return missing_prediction_data(
            learner.task_type, task.nrow, learner.predict_type, state.class_names or ()
        )
    return pdata


def fallback_for_failure(
    learner: Learner,
    task: TaskSupervised,
    train_ids: Iterable[int],
    test_ids: Iterable[int],
    entry: LogEntry,
) -> tuple[LearnerState, Prediction]:
    """The state and test-set prediction of a learner whose step failed outside it.

    Used where the learner could not even report its own failure (e.g. the worker
    process that trained it died). The state is a failed one holding ``entry``; the
    prediction comes from the learner's fallback, trained on ``train_ids`` now and
    logged as any imputation is ("Imputed n/n predictions using fallback 'id'"), or
    has every value missing when the learner has no fallback. ``learner`` itself is
    left unchanged.

    Parameters
    ----------
    learner : Learner
        The learner whose step failed (its parameter values and fallback are used).
    task : TaskSupervised
        The task it was run on.
    train_ids, test_ids : iterable of int
        The rows it was to train on and to predict.
    entry : LogEntry
        The error to record, e.g. ``LogEntry("train", "error", "worker process died ...")``.

    Returns
    -------
    (LearnerState, Prediction)
    """
    state = LearnerState(
        model=None,
        train_time=0.0,
        log=[entry],
        param_vals=learner.param_set.get_values(),
        class_names=list(task.class_names) if isinstance(task, TaskClassif) else None,
        task_type=task.task_type,
        train_task_id=task.id,
        target_name=task.target_names[0],
    )
    host = learner.clone().reset()
    host.state = state
    if host.fallback is not None:
        train_fallback(host, task.clone()._use_rows(train_ids))
    test_task = task.clone()._use_rows(test_ids)
    pdata = predict_data(host, state, test_task)
    return state, host._as_prediction(test_task, pdata, True)


# -- imputation ----------------------------------------------------------------------------
def _fallback_data(learner: Learner, state: LearnerState, task: TaskSupervised) -> PredictionData:
    fallback = learner.fallback
    assert fallback is not None
    fallback.state = state.fallback_state
    fallback.predict_type = learner.predict_type
    try:
        return check_prediction_data(
            fallback._predict_step(task), fallback.task_type, f"Learner '{fallback.id}'"
        )
    except ConfigError:
        raise
    except Exception as exc:
        raise _fallback_error(learner, fallback, "predict", f"{type(exc).__name__}: {exc}") from exc


def _impute(
    learner: Learner, state: LearnerState, task: TaskSupervised, pdata: PredictionData | None
) -> PredictionData:
    fallback = learner.fallback
    assert fallback is not None
    filled = _dense(learner, state, task, _fallback_data(learner, state, task))
    n = task.nrow
    n_imputed = n
    if pdata is not None:
        own = _dense(learner, state, task, pdata)
        n_imputed = own.fill_from(filled)
        filled = own
    if n_imputed:
        msg = f"Imputed {n_imputed}/{n} predictions using fallback '{fallback.id}'"
        state.log.append(LogEntry("predict", "message", msg))
        logger.debug("Learner '%s' on task '%s': %s", learner.id, task.id, msg)
    return filled.as_data(learner.task_type, list(state.class_names or []))


@dataclass
class _Dense:
    """Prediction values over all rows of a task (in task order) and which are missing."""

    missing: np.ndarray
    codes: np.ndarray | None = None  # classification: class codes, -1 missing
    response: np.ndarray | None = None  # regression
    prob: np.ndarray | None = None
    se: np.ndarray | None = None

    def fill_from(self, other: _Dense) -> int:
        """Take ``other``'s values where this one is missing; the number of rows filled."""
        rows = self.missing
        for name in ("codes", "response", "prob", "se"):
            mine, theirs = getattr(self, name), getattr(other, name)
            if mine is not None and theirs is not None:
                mine[rows] = theirs[rows]
        return int(rows.sum())

    def as_data(self, task_type: str, class_names: list[str]) -> PredictionData:
        if task_type == "classif":
            response = classes_from_codes(self.codes, class_names)
            return PredictionDataClassif(response=response, prob=self.prob)
        return PredictionDataRegr(response=self.response, se=self.se)


def _dense(
    learner: Learner, state: LearnerState, task: TaskSupervised, pdata: PredictionData
) -> _Dense:
    """Prediction data as arrays over all rows of ``task``, with the mask of missing rows."""
    n = task.nrow
    pos = np.arange(n)
    if pdata.row_ids is not None:
        pos = pd.Index(task.row_ids).get_indexer(pdata.row_ids)
    if isinstance(pdata, PredictionDataClassif):
        class_names = list(state.class_names or [])
        codes = np.full(n, -1, dtype=np.int64)
        missing = np.zeros(n, dtype=bool)
        prob = None
        if pdata.prob is not None and learner.predict_type == "prob":
            prob = np.full((n, len(class_names)), np.nan)
            prob[pos] = np.asarray(as_prob(pdata.prob, class_names), dtype=np.float64)
            missing |= np.isnan(prob).any(axis=1)
            if pdata.response is None:
                ok = ~np.isnan(prob).any(axis=1)
                codes[ok] = prob[ok].argmax(axis=1)
        if pdata.response is not None:
            codes[pos] = np.asarray(as_categorical(pdata.response, class_names).codes)
        return _Dense(missing=missing | (codes < 0), codes=codes, prob=prob)
    assert isinstance(pdata, PredictionDataRegr)
    response = np.full(n, np.nan)
    response[pos] = pdata.response
    se = None
    if pdata.se is not None and learner.predict_type == "se":
        se = np.full(n, np.nan)
        se[pos] = pdata.se
    return _Dense(missing=np.isnan(response), response=response, se=se)
