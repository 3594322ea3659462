"""Feature selection and column functions: ``select``, ``removeconstants``, ``colapply``,
``mutate``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from mlr3py.errors import InputError
from mlr3py.params import p_dbl, p_lgl, p_uty, ps
from mlr3py.pipelines._preproc import PipeOpTaskPreproc, replace_features
from mlr3py.tasks import Task

__all__ = ["PipeOpColApply", "PipeOpMutate", "PipeOpRemoveConstants", "PipeOpSelect"]


def _is_callable(value: Any) -> bool | str:
    return True if callable(value) else "must be callable"


class PipeOpSelect(PipeOpTaskPreproc):
    """Keep the features a selector picks (``po("select", selector=selector_type("numeric"))``).

    ``selector`` is a :class:`~mlr3py.pipelines.Selector` (by type, name pattern
    or names) or any callable ``task -> feature names``; the choice is made on
    the training task and repeated at prediction time.
    """

    def __init__(self, id: str = "select") -> None:  # noqa: A002
        super().__init__(id, ps(selector=p_uty(_is_callable, tags=("train", "required"))),
                         label="Remove Features Depending on a Selector")

    def _train_task(self, task: Task) -> Task:
        chosen = set(self.param_set.values["selector"](task))
        affected = set(self.affected(task))
        keep = [f for f in task.feature_names if f in chosen or f not in affected]
        self.state = {"features": keep}
        return task.select(keep)

    def _predict_task(self, task: Task) -> Task:
        return task.select(self.state["features"])


class PipeOpRemoveConstants(PipeOpTaskPreproc):
    """Drop features that (almost) never change (``po("removeconstants")``).

    A feature is dropped when the share of rows differing from its mode is at
    most ``ratio`` (default 0: constant features only). Numbers closer than
    ``abs_tol`` / ``rel_tol`` count as equal; with ``na_ignore`` (default True)
    missing values are not counted.
    """

    def __init__(self, id: str = "removeconstants") -> None:  # noqa: A002
        super().__init__(id, ps(ratio=p_dbl(0, 1, init=0.0, tags="train"),
                                rel_tol=p_dbl(0, init=1e-8, tags="train"),
                                abs_tol=p_dbl(0, init=1e-8, tags="train"),
                                na_ignore=p_lgl(init=True, tags="train")),
                         label="Remove Constant Features")

    def _ratio(self, values: pd.Series) -> float:
        v = self.param_set.values
        if v.get("na_ignore", True):
            values = values.dropna()
        if len(values) == 0:
            return 0.0
        if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(
                values.dtype):
            x = values.to_numpy(dtype=np.float64, na_value=np.nan)
            mode = values.mode(dropna=True)
            if len(mode) == 0:
                return 0.0
            m = float(mode.iloc[0])
            same = np.isclose(x, m, rtol=v.get("rel_tol", 1e-8), atol=v.get("abs_tol", 1e-8))
            return float(1 - same.mean())
        counts = values.astype(object).value_counts(dropna=False)
        return float(1 - counts.iloc[0] / len(values))

    def _train_task(self, task: Task) -> Task:
        cols = self.affected(task)
        frame = task.data(cols=cols) if cols else pd.DataFrame()
        limit = self.param_set.values.get("ratio", 0.0)
        drop = [c for c in cols if self._ratio(frame[c]) <= limit]
        self.state = {"drop": drop}
        return self._predict_task(task)

    def _predict_task(self, task: Task) -> Task:
        drop = set(self.state["drop"])
        return task.select([f for f in task.feature_names if f not in drop]) if drop else task


class PipeOpColApply(PipeOpTaskPreproc):
    """Apply a function to each affected feature (``po("colapply", applicator=np.log1p)``).

    ``applicator`` maps a column (a pandas Series) to a column of the same length;
    it learns nothing, so training and prediction apply it alike.
    """

    def __init__(self, id: str = "colapply") -> None:  # noqa: A002
        super().__init__(id, ps(applicator=p_uty(_is_callable, tags=("train", "predict",
                                                                      "required"))),
                         label="Apply a Function to each Column of a Task")

    def _fit(self, frame: pd.DataFrame, task: Task) -> None:
        return None

    def _transform(self, frame: pd.DataFrame, fitted: Any) -> pd.DataFrame:
        fun: Callable[[pd.Series], Any] = self.param_set.values["applicator"]
        out = {}
        for col in frame.columns:
            values = fun(frame[col])
            if len(values) != len(frame):
                raise InputError(f"The applicator of PipeOp '{self.id}' returned "
                                 f"{len(values)} values for {len(frame)} rows of '{col}'.")
            # a categorical result stays categorical (a factor), anything else an array
            out[col] = values.array if isinstance(values, pd.Series) else \
                values if isinstance(values, pd.Categorical) else np.asarray(values)
        return pd.DataFrame(out, index=frame.index)


class PipeOpMutate(PipeOpTaskPreproc):
    """New features computed from the task's data (``po("mutate", mutation={...})``).

    ``mutation`` maps new feature names to functions of the data frame of all
    features (``{"ratio": lambda d: d["a"] / d["b"]}``). With ``delete_originals``
    (default False) only the new features remain.
    """

    def __init__(self, id: str = "mutate") -> None:  # noqa: A002
        super().__init__(id, ps(mutation=p_uty(_check_mutation, init={},
                                               tags=("train", "predict")),
                                delete_originals=p_lgl(init=False, tags=("train", "predict"))),
                         label="Add Features According to Expressions")

    def _mutate(self, task: Task) -> Task:
        mutation: dict[str, Callable[[pd.DataFrame], Any]] = self.param_set.values.get(
            "mutation", {})
        feats = task.feature_names
        frame = task.data(cols=feats)
        out = {}
        for name, fun in mutation.items():
            values = fun(frame)
            values = np.full(len(frame), values) if np.ndim(values) == 0 else np.asarray(values)
            if len(values) != len(frame):
                raise InputError(f"Mutation '{name}' of PipeOp '{self.id}' gave {len(values)} "
                                 f"values for {len(frame)} rows.")
            out[name] = values
        new = pd.DataFrame(out, index=frame.index)
        drop = feats if self.param_set.values.get("delete_originals") else \
            [f for f in feats if f in out]
        return replace_features(task, drop, new)

    def _train_task(self, task: Task) -> Task:
        self.state = {}
        return self._mutate(task)

    def _predict_task(self, task: Task) -> Task:
        return self._mutate(task)


def _check_mutation(value: Any) -> bool | str:
    if not isinstance(value, dict) or not all(isinstance(k, str) and callable(f)
                                              for k, f in value.items()):
        return "must be a dict of feature name -> function of the data frame"
    return True

