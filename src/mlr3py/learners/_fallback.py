"""Fallback learners: trained alongside, they stand in where a learner failed.

- :func:`train_fallback` trains ``learner.fallback`` on the same task right after
  the learner and keeps its state in ``learner.state.fallback_state``.
- :func:`predict_data` runs the learner's predict step (encapsulated); when
  training or predicting failed, the fallback's predictions replace the
  learner's, and missing predictions (NaN, or rows left out) are filled in from
  the fallback. Imputed predictions are logged (class ``"message"``).
- Without a fallback, a failed step gives missing predictions (so scores are
  NaN and the error is in the log).

A fallback that fails itself is a configuration error
(:class:`~mlr3py.errors.ConfigError`): it must always work (e.g. featureless).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from mlr3py.encapsulation._log_entry import LogEntry
from mlr3py.errors import ConfigError
from mlr3py.learners._checks import check_trained
from mlr3py.learners._encapsulated import check_fallback
from mlr3py.log import logger

if TYPE_CHECKING:
    from mlr3py.learners._base import Learner
    from mlr3py.learners._state import LearnerState
    from mlr3py.tasks import Task

__all__ = ["failed_stage", "predict_data", "predict_state", "train_fallback"]


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


def train_fallback(learner: Learner, task: Task) -> None:
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


def predict_data(learner: Learner, state: LearnerState, task: Task) -> dict[str, Any]:
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
        pdata = None if run.failed else run.result
    if state.fallback_state is not None and learner.fallback is not None:
        return _impute(learner, state, task, pdata)
    if pdata is None:
        return _missing_data(learner, state, task.nrow)
    return pdata


# -- imputation ----------------------------------------------------------------------------
def _fallback_data(learner: Learner, state: LearnerState, task: Task) -> dict[str, Any]:
    fallback = learner.fallback
    assert fallback is not None
    fallback.state = state.fallback_state
    fallback.predict_type = learner.predict_type
    try:
        return fallback._predict_step(task)
    except ConfigError:
        raise
    except Exception as exc:
        raise _fallback_error(learner, fallback, "predict", f"{type(exc).__name__}: {exc}") from exc


def _impute(
    learner: Learner, state: LearnerState, task: Task, pdata: dict[str, Any] | None
) -> dict[str, Any]:
    fallback = learner.fallback
    assert fallback is not None
    fb_full = _dense(learner, state, task, _fallback_data(learner, state, task))
    n = task.nrow
    if pdata is None:
        filled = fb_full
        n_imputed = n
    else:
        full = _dense(learner, state, task, pdata)
        missing = full.pop("_missing")
        fb_full.pop("_missing")
        n_imputed = int(missing.sum())
        for key, values in full.items():
            if key in fb_full:
                values[missing] = fb_full[key][missing]
        filled = full
    filled.pop("_missing", None)
    if n_imputed:
        msg = f"Imputed {n_imputed}/{n} predictions using fallback '{fallback.id}'"
        state.log.append(LogEntry("predict", "message", msg))
        logger.debug("Learner '%s' on task '%s': %s", learner.id, task.id, msg)
    return _sparse(learner, state, filled)


def _dense(
    learner: Learner, state: LearnerState, task: Task, pdata: dict[str, Any]
) -> dict[str, Any]:
    """Prediction data as arrays over all rows of ``task``, plus a ``_missing`` mask."""
    n = task.nrow
    pos = np.arange(n)
    if pdata.get("row_ids") is not None:
        pos = pd.Index(task.row_ids).get_indexer(np.asarray(pdata["row_ids"]))
    out: dict[str, Any] = {}
    if learner.task_type == "classif":
        from mlr3py.learners._base import _as_prob, as_categorical

        class_names = list(state.class_names or [])
        codes = np.full(n, -1, dtype=np.int64)
        missing = np.zeros(n, dtype=bool)
        if pdata.get("prob") is not None and learner.predict_type == "prob":
            prob = np.full((n, len(class_names)), np.nan)
            prob[pos] = np.asarray(_as_prob(pdata["prob"], class_names), dtype=np.float64)
            out["prob"] = prob
            missing |= np.isnan(prob).any(axis=1)
            if pdata.get("response") is None:
                ok = ~np.isnan(prob).any(axis=1)
                codes[ok] = prob[ok].argmax(axis=1)
        if pdata.get("response") is not None:
            codes[pos] = np.asarray(as_categorical(pdata["response"], class_names).codes)
        out["codes"] = codes
        missing |= codes < 0
    else:
        response = np.full(n, np.nan)
        response[pos] = np.asarray(pdata["response"], dtype=np.float64)
        out["response"] = response
        missing = np.isnan(response)
        if pdata.get("se") is not None and learner.predict_type == "se":
            se = np.full(n, np.nan)
            se[pos] = np.asarray(pdata["se"], dtype=np.float64)
            out["se"] = se
    out["_missing"] = missing
    return out


def _sparse(learner: Learner, state: LearnerState, dense: dict[str, Any]) -> dict[str, Any]:
    """Dense arrays back to prediction data for ``_as_prediction``."""
    if learner.task_type == "classif":
        from mlr3py.learners._base import classes_from_codes

        out = {"response": classes_from_codes(dense["codes"], list(state.class_names or []))}
        if "prob" in dense:
            out["prob"] = dense["prob"]
        return out
    return {k: v for k, v in dense.items() if k in ("response", "se")}


def _missing_data(learner: Learner, state: LearnerState, n: int) -> dict[str, Any]:
    """Prediction data with every prediction missing."""
    if learner.task_type == "classif":
        from mlr3py.learners._base import classes_from_codes

        class_names = list(state.class_names or [])
        out: dict[str, Any] = {"response": classes_from_codes(np.full(n, -1), class_names)}
        if learner.predict_type == "prob":
            out["prob"] = np.full((n, len(class_names)), np.nan)
        return out
    out = {"response": np.full(n, np.nan)}
    if learner.predict_type == "se":
        out["se"] = np.full(n, np.nan)
    return out
