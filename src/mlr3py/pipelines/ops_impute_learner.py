"""Imputation by a learner's predictions: ``po("imputelearner", lrn("regr.rpart"))``.

As mlr3pipelines' ``PipeOpImputeLearner``: for each affected feature the learner
is trained on the training rows where the feature is known, with the feature as
target and the context features (``context_columns``, default: all other
features) as inputs; a missing value is replaced by the learner's prediction
for its row. A regression learner imputes numeric and integer features (integers
rounded), a classification learner factor, ordered and logical ones.

The context is the task as it comes in: if it holds missing values, the learner
must handle them (property ``"missings"``, as ``regr.rpart`` and
``classif.rpart`` do), or the context be narrowed. A feature without any known
training value is imputed as 0 (numeric) or by a draw from its levels (factor,
logical), seeded as ``po("imputesample")``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from mlr3py._rng import job_random_state
from mlr3py.errors import ConfigError, InputError
from mlr3py.learners import Learner, LearnerState, mlr_learners
from mlr3py.params import ParamSetCollection, p_uty, ps
from mlr3py.pipelines._preproc import PipeOpTaskPreproc, _check_selector, replace_features
from mlr3py.pipelines.ops_impute_random import fill_positions, row_uniform
from mlr3py.tasks import Task, as_task_classif, as_task_regr

__all__ = ["ImputeLearnerState", "PipeOpImputeLearner"]

_TARGET = ".impute_col"
_MAX_SEED = 2**63 - 1


@dataclass
class ImputeLearnerState:
    """What ``po("imputelearner")`` learnt.

    Attributes
    ----------
    affected : list of str
        The features it imputes.
    context : dict
        Feature -> the context features its learner uses.
    models : dict
        Feature -> the learner's trained state, or the values to draw from when
        the feature had no known training value.
    seed : int
        The seed of those draws.
    levels : dict
        Context factor feature -> its training levels (other values are passed to
        the learners as missing).
    """

    affected: list[str]
    context: dict[str, list[str]]
    models: dict[str, LearnerState | np.ndarray]
    seed: int
    levels: dict[str, list[Any]]


class PipeOpImputeLearner(PipeOpTaskPreproc):
    """Impute features by a learner's predictions from the other features.

    Parameters
    ----------
    learner : Learner or str, optional
        A regression learner (imputes numeric features) or a classification
        learner (imputes factor and logical features), or its key. Default
        ``regr.rpart``. Its parameters are the operator's (unprefixed).
    id : str
        The operator's id.

    Notes
    -----
    Parameters besides the learner's: ``affect_columns`` (which features to
    impute) and ``context_columns`` (a :class:`Selector` of the features the
    learner uses; default all). A factor level of a context feature that training
    did not see is passed to the learners as a missing value; a new level of an
    imputed factor is kept as it is.
    """

    imputes = True

    def __init__(self, learner: Learner | str | None = None,
                 id: str = "imputelearner") -> None:  # noqa: A002
        if learner is None:
            learner = mlr_learners.get("regr.rpart")
        elif isinstance(learner, str):
            learner = mlr_learners.get(learner)
        if not isinstance(learner, Learner):
            raise ConfigError(f"PipeOp 'imputelearner' needs a Learner (lrn('regr.rpart')). "
                              f"Got {type(learner).__name__} instead.")
        if learner.task_type not in ("regr", "classif"):
            raise ConfigError(
                f"PipeOp 'imputelearner' takes a regression or classification learner. Got "
                f"'{learner.id}' of task type '{learner.task_type}'.")
        self.learner: Learner = learner.clone().reset()
        own = ps(affect_columns=p_uty(_check_selector, tags="train"),
                 context_columns=p_uty(_check_selector, tags="train"))
        params = ParamSetCollection([self.learner.param_set, own],
                                    context=f"PipeOp '{id}'")
        types = ("numeric", "integer") if learner.task_type == "regr" \
            else ("factor", "ordered", "logical")
        super().__init__(id, params, feature_types=types, packages=learner.packages,
                         label="Impute by a Learner's Predictions")  # type: ignore[arg-type]

    def _context(self, task: Task) -> list[str]:
        select = self.param_set.values.get("context_columns")
        if select is None:
            return list(task.feature_names)
        chosen = set(select(task))
        return [f for f in task.feature_names if f in chosen]

    def _train_task(self, task: Task) -> Task:
        cols = self.affected(task)
        context = self._context(task)
        seed = int(job_random_state().randint(0, _MAX_SEED, dtype=np.int64))
        if not cols:
            self.state = ImputeLearnerState([], {}, {}, seed, {})
            return task
        frame = task.data(cols=list(dict.fromkeys([*cols, *context])))
        models: dict[str, LearnerState | np.ndarray] = {}
        contexts: dict[str, list[str]] = {}
        for col in cols:
            contexts[col] = [c for c in context if c != col]
            models[col] = self._fit_one(col, frame, contexts[col])
        levels = {c: list(frame[c].cat.categories) for c in context
                  if isinstance(frame[c].dtype, pd.CategoricalDtype)}
        self.state = ImputeLearnerState(cols, contexts, models, seed, levels)
        return replace_features(task, cols, self._impute(frame, self.state))

    def _predict_task(self, task: Task) -> Task:
        state: ImputeLearnerState = self.state
        if not state.affected:
            return task
        needed = list(dict.fromkeys([*state.affected,
                                     *(c for ctx in state.context.values() for c in ctx)]))
        return replace_features(task, state.affected,
                                self._impute(task.data(cols=needed), state))

    def _fit_one(self, col: str, frame: pd.DataFrame,
                 context: list[str]) -> LearnerState | np.ndarray:
        series = frame[col]
        known = series.notna().to_numpy()
        if not known.any() or not context:
            return _fallback_values(series)
        data = frame.loc[known, context].reset_index(drop=True)
        data[_TARGET] = _as_target(series[known], self.learner.task_type).to_numpy()
        task = as_task_regr(data, target=_TARGET, id=f"impute_{col}") \
            if self.learner.task_type == "regr" \
            else as_task_classif(data, target=_TARGET, id=f"impute_{col}")
        learner = self.learner.clone().reset()
        try:
            learner.train(task)
        except InputError as err:
            raise InputError(
                f"PipeOp '{self.id}' cannot train learner '{learner.id}' to impute feature "
                f"'{col}' from the context features: {err} Or narrow 'context_columns'."
            ) from err
        assert learner.state is not None
        return learner.state

    def _impute(self, frame: pd.DataFrame, state: ImputeLearnerState) -> pd.DataFrame:
        rows = frame.index.to_numpy()
        out = {}
        for col in state.affected:
            series = frame[col]
            mask = series.isna().to_numpy()
            if not mask.any():
                out[col] = series
                continue
            model = state.models[col]
            if isinstance(model, np.ndarray):
                u = row_uniform(state.seed, f"{col}/learner", rows[mask])
                drawn = model[np.minimum((u * len(model)).astype(np.int64), len(model) - 1)]
            else:
                learner = self.learner.clone().reset()
                # a copy: predicting records timings and log entries in the state
                learner.state = dataclasses.replace(model, log=list(model.log))
                newdata = _known_levels(
                    frame.loc[mask, state.context[col]].reset_index(drop=True), state.levels)
                prediction = learner.predict_newdata(newdata)
                drawn = _from_response(getattr(prediction, "response", None), series)
            out[col] = fill_positions(series, mask, drawn)
        return pd.DataFrame(out, index=frame.index)


def _known_levels(frame: pd.DataFrame, levels: dict[str, list[Any]]) -> pd.DataFrame:
    """``frame`` with factor values unseen in training set to missing."""
    for col in frame.columns:
        if col in levels and isinstance(frame[col].dtype, pd.CategoricalDtype):
            known = frame[col].isin(levels[col])
            if not known.all():
                frame[col] = frame[col].where(known)
    return frame


def _as_target(series: pd.Series, task_type: str) -> pd.Series:
    """A feature as the imputation task's target: numbers, or factor levels as text."""
    if task_type == "regr":
        return series.astype(np.float64)
    return series.astype(object).map(str).astype("category")


def _from_response(response: Any, series: pd.Series) -> Any:
    """Predictions converted back to the feature's type."""
    values = np.asarray(response)
    if isinstance(series.dtype, pd.CategoricalDtype):
        by_text = {str(c): c for c in series.cat.categories}
        return np.asarray([by_text.get(str(v), v) for v in values], dtype=object)
    if pd.api.types.is_bool_dtype(series.dtype) or series.dtype == object:
        return np.asarray([str(v) == "True" for v in values], dtype=object)
    values = values.astype(np.float64)
    return np.round(values) if pd.api.types.is_integer_dtype(series.dtype) else values


def _fallback_values(series: pd.Series) -> np.ndarray:
    """What a feature without known training values is drawn from."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        levels = np.asarray(series.cat.categories, dtype=object)
        return levels if len(levels) else np.array([np.nan])
    if pd.api.types.is_bool_dtype(series.dtype) or series.dtype == object:
        return np.array([True, False], dtype=object)
    return np.array([0.0])
