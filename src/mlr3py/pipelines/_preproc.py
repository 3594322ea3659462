"""Operators that change a task's features (mlr3pipelines' ``PipeOpTaskPreproc``).

:class:`PipeOpTaskPreproc` takes a task and returns a task. Subclasses either
override ``_train_task`` / ``_predict_task`` (task in, task out), or, for the
common case of operators that replace some feature columns, implement

- ``_fit(frame, task) -> fitted``: learn from the training rows' affected columns,
- ``_transform(frame, fitted) -> frame``: the new columns for any rows,

and declare the feature types they affect. The parameter ``affect_columns``
(a :class:`Selector` or any callable ``task -> list of feature names``) narrows
the affected columns further. The input task is never changed: the operator
works on a clone, whose backend grows by ``cbind`` (the original stays as it is).

Numeric operators whose output is one float block (``scale``) implement
``_fit_matrix(x, task)`` / ``_transform_matrix(x, fitted, cols)`` on float64 arrays
instead (``matrix_hooks = True``): no DataFrame is built on the way in or out.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from mlr3py.data.composed import DataBackendMatrix
from mlr3py.learners._features import feature_info
from mlr3py.params import ParamSet, p_uty
from mlr3py.pipelines._pipeop import Channel, PipeOp
from mlr3py.reflections import FEATURE_TYPES
from mlr3py.tasks import Task

__all__ = [
    "PipeOpTaskPreproc",
    "PreprocState",
    "Selector",
    "feature_matrix",
    "replace_features",
    "replace_features_matrix",
    "selector_grep",
    "selector_type",
]


@dataclass(frozen=True)
class Selector:
    """Picks features of a task (mlr3pipelines' ``Selector``); picklable, unlike a lambda.

    Attributes
    ----------
    types : tuple of str, optional
        Feature types to keep.
    pattern : str, optional
        A regular expression the feature names must match (``re.search``).
    names : tuple of str, optional
        Feature names to keep.
    invert : bool
        Keep the features the other criteria reject.
    """

    types: tuple[str, ...] | None = None
    pattern: str | None = None
    names: tuple[str, ...] | None = None
    invert: bool = False

    def __call__(self, task: Task) -> list[str]:
        types = task.col_types()
        out = []
        for name in task.feature_names:
            ok = (self.types is None or types[name] in self.types) and \
                 (self.pattern is None or re.search(self.pattern, name) is not None) and \
                 (self.names is None or name in self.names)
            if ok != self.invert:
                out.append(name)
        return out


def selector_type(types: str | Iterable[str]) -> Selector:
    """Features of the given type(s): ``selector_type("numeric")``."""
    return Selector(types=(types,) if isinstance(types, str) else tuple(types))


def selector_grep(pattern: str, invert: bool = False) -> Selector:
    """Features whose name matches the regular expression ``pattern``."""
    return Selector(pattern=pattern, invert=invert)


def _check_selector(value: Any) -> bool | str:
    return True if value is None or callable(value) else \
        "must be a Selector or a callable task -> feature names"


@dataclass
class PreprocState:
    """The state of a column-replacing operator.

    Attributes
    ----------
    affected : list of str
        The features it took from the training task.
    fitted : object
        What ``_fit`` learnt from them.
    """

    affected: list[str]
    fitted: Any


def replace_features(task: Task, drop: list[str], frame: pd.DataFrame) -> Task:
    """Replace features ``drop`` of ``task`` (in place) by the columns of ``frame`` (by row id)."""
    drop_set = set(drop)
    task.select([f for f in task.feature_names if f not in drop_set])
    if frame.shape[1]:
        if frame.index.has_duplicates:  # bootstrap rows: one row per id
            frame = frame[~frame.index.duplicated()]
        if all(dtype == np.float64 for dtype in frame.dtypes):
            # numeric results stay one float block (no DataFrame round trip for the learner)
            task.cbind(DataBackendMatrix(frame.to_numpy(), frame.index.to_numpy(),
                                         [str(c) for c in frame.columns],
                                         task.backend.primary_key))
        else:
            frame.index.name = "row_id"
            task.cbind(frame)
    return task


def replace_features_matrix(task: Task, drop: list[str], values: np.ndarray, row_ids: np.ndarray,
                            names: list[str]) -> Task:
    """Replace features ``drop`` of ``task`` (in place) by the float64 columns ``values``.

    ``values`` has one row per id of ``row_ids`` and one column per name of ``names``;
    it joins the task as one block (:class:`DataBackendMatrix`, read-only from now on),
    without a DataFrame.
    """
    drop_set = set(drop)
    task.select([f for f in task.feature_names if f not in drop_set])
    if values.shape[1]:
        index = pd.Index(row_ids)
        if index.has_duplicates:  # bootstrap rows: one row per id
            first = ~index.duplicated()
            values, row_ids = values[first], row_ids[first]
        task.cbind(DataBackendMatrix(values, row_ids, names, task.backend.primary_key))
    return task


def feature_matrix(task: Task, cols: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """The numeric columns ``cols`` of the task's active rows as a new float64 array,
    and the row ids of its rows (``task.row_ids``, in this order)."""
    ids = task.row_ids
    # with an order role, data_matrix() sorts its default rows: ask for the ids themselves
    rows = ids if task.col_roles["order"] else None
    x = task.data_matrix(rows=rows, cols=cols)
    return (x if x.flags.writeable else x.copy()), ids


def feature_frame(task: Task, cols: list[str], numeric: bool = False) -> pd.DataFrame:
    """The columns ``cols`` of the task's active rows, indexed by row id.

    With ``numeric=True`` (numeric, integer or logical columns only) the frame is
    built from the backend's float64 fast path (:meth:`Task.data_matrix`), one block.
    """
    if numeric and not task.col_roles["order"]:
        values = task.data_matrix(cols=cols)
        index = pd.Index(task.row_ids, name="row_id")
        return pd.DataFrame(values, index=index, columns=pd.Index(cols), copy=False)
    return task.data(cols=cols)


class PipeOpTaskPreproc(PipeOp):
    """Base of operators that take a task and return a task.

    Parameters
    ----------
    id : str
        The operator's id.
    param_set : ParamSet, optional
        Its own parameters; ``affect_columns`` is added.
    feature_types : iterable of str
        Feature types the operator works on (the default ``affect_columns``).
    task_type : str
        ``"Task"``, ``"TaskClassif"`` or ``"TaskRegr"``: the channel type.
    packages : sequence of str
        Python packages it needs.
    """

    #: Whether the output has no missing values in the affected columns.
    imputes: ClassVar[bool] = False
    #: Whether ``_fit`` / ``_transform`` take the affected columns as float64 (numeric ops).
    numeric_input: ClassVar[bool] = False
    #: Whether the operator implements ``_fit_matrix`` / ``_transform_matrix`` instead of
    #: ``_fit`` / ``_transform``: numeric operators whose output is one float block work on
    #: arrays, without building DataFrames.
    matrix_hooks: ClassVar[bool] = False

    def __init__(self, id: str, param_set: ParamSet | None = None, *,  # noqa: A002
                 feature_types: Iterable[str] = FEATURE_TYPES, task_type: str = "Task",
                 packages: Iterable[str] = (), label: str = "") -> None:
        param_set = param_set if param_set is not None else ParamSet()
        if "affect_columns" not in param_set.params:
            param_set.add(p_uty(_check_selector, tags="train"), id="affect_columns")
        super().__init__(id, param_set=param_set,
                         input=[Channel("input", task_type, task_type)],
                         output=[Channel("output", task_type, task_type)],
                         packages=list(packages), label=label)
        self.feature_types: list[str] = list(feature_types)

    def affected(self, task: Task) -> list[str]:
        """The features of ``task`` this operator works on (type and ``affect_columns``)."""
        types = feature_info(task).types  # cached per backend and feature set
        cols = [f for f in task.feature_names if types[f] in self.feature_types]
        select: Callable[[Task], list[str]] | None = self.param_set.values.get("affect_columns")
        if select is not None:
            chosen = set(select(task))
            cols = [c for c in cols if c in chosen]
        return cols

    def _train(self, inputs: list[Any]) -> list[Any]:
        return [self._train_task(inputs[0].clone())]

    def _predict(self, inputs: list[Any]) -> list[Any]:
        return [self._predict_task(inputs[0].clone())]

    # -- the column-replacing case ------------------------------------------------------
    def _train_task(self, task: Task) -> Task:
        cols = self.affected(task)
        if not cols:
            self.state = PreprocState(cols, None)
            return task
        if self.matrix_hooks:
            x, ids = feature_matrix(task, cols)
            fitted = self._fit_matrix(x, task)
            self.state = PreprocState(cols, fitted)
            values, names = self._transform_matrix(x, fitted, cols)
            return replace_features_matrix(task, cols, values, ids, names)
        frame = feature_frame(task, cols, self.numeric_input)
        fitted = self._fit(frame, task)
        self.state = PreprocState(cols, fitted)
        return replace_features(task, cols, self._transform(frame, fitted))

    def _predict_task(self, task: Task) -> Task:
        state: PreprocState = self.state
        if not state.affected:
            return task
        if self.matrix_hooks:
            x, ids = feature_matrix(task, state.affected)
            values, names = self._transform_matrix(x, state.fitted, state.affected)
            return replace_features_matrix(task, state.affected, values, ids, names)
        frame = feature_frame(task, state.affected, self.numeric_input)
        return replace_features(task, state.affected, self._transform(frame, state.fitted))

    def _fit(self, frame: pd.DataFrame, task: Task) -> Any:
        raise NotImplementedError(f"{type(self).__name__} must implement _fit(frame, task).")

    def _transform(self, frame: pd.DataFrame, fitted: Any) -> pd.DataFrame:
        raise NotImplementedError(f"{type(self).__name__} must implement _transform().")

    # -- the matrix case (``matrix_hooks = True``) -----------------------------------------
    def _fit_matrix(self, x: np.ndarray, task: Task) -> Any:
        """Learn from the affected columns of the training rows, given as a float64 array
        (missing values NaN); must not change ``x``."""
        raise NotImplementedError(f"{type(self).__name__} must implement _fit_matrix(x, task).")

    def _transform_matrix(self, x: np.ndarray, fitted: Any,
                          cols: list[str]) -> tuple[np.ndarray, list[str]]:
        """The new columns for the rows of ``x`` (the affected columns ``cols``, float64):
        a float64 array with one row per row of ``x``, and the column names.

        ``x`` is the operator's own copy: it may be changed and returned.
        """
        raise NotImplementedError(f"{type(self).__name__} must implement _transform_matrix().")
