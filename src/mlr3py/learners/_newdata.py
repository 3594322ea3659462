"""Turn a data frame of new observations into a task like the training task (``predict_newdata``).

The new task has the training task's features, with factor / ordered features
converted to categoricals with the training levels (a value that is not a
training level raises :class:`~mlr3py.errors.InputError` naming it) (other columns keep their
types: the data goes into a backend as it is, so character columns stay
character), and the training task's target. When the data frame has no
target column (the usual case), a placeholder target is used to build the task
and the prediction's truth is set to missing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from mlr3py.data import DataBackendPandas
from mlr3py.data.convert import to_pandas
from mlr3py.errors import InputError
from mlr3py.learners._encode import check_unseen_levels, level_codes
from mlr3py.tasks import TaskClassif, TaskRegr, TaskSupervised

if TYPE_CHECKING:
    from mlr3py.learners._base import Learner
    from mlr3py.learners._state import LearnerState

__all__ = ["newdata_task"]


def _coerce_features(
    frame: pd.DataFrame, state: LearnerState, learner_id: str, unseen_ok: bool = False
) -> dict[str, Any]:
    """The feature columns, factors converted to categoricals with the training levels.

    With ``unseen_ok`` a level unseen in training becomes a missing value
    instead of an error.
    """
    out: dict[str, Any] = {}
    for name in state.feature_names:
        col = frame[name]
        kind = state.feature_types[name]
        if kind in ("factor", "ordered"):
            levels = state.levels[name]
            if not (isinstance(col.dtype, pd.CategoricalDtype)
                    and list(col.cat.categories) == levels
                    and col.cat.ordered == (kind == "ordered")):
                codes = level_codes(col, levels)
                if not unseen_ok:
                    check_unseen_levels(name, col, codes, levels, f"Learner '{learner_id}'")
                col = pd.Series(
                    pd.Categorical.from_codes(
                        codes, dtype=pd.CategoricalDtype(levels, ordered=kind == "ordered")
                    ),
                    index=col.index,
                )
        # extension arrays (factors, nullable Int64 / boolean) keep their dtype; their
        # to_numpy() is an object array, which would read as another feature type
        out[name] = col.array if isinstance(col.dtype, pd.api.extensions.ExtensionDtype) \
            else col.to_numpy()
    return out


def newdata_task(
    learner: Learner, state: LearnerState, newdata: Any, task: TaskSupervised | None = None
) -> tuple[TaskSupervised, bool]:
    """Build a task from ``newdata`` with the training task's features and target.

    Parameters
    ----------
    learner : Learner
        The trained learner (for messages).
    state : LearnerState
        Its state: feature names, types, levels, classes, target name.
    newdata : pandas.DataFrame, polars.DataFrame or pyarrow.Table
        New observations holding at least the training features.
    task : Task, optional
        Only its id is used, for the new task's id.

    Returns
    -------
    (Task, bool)
        The task (rows ``0 .. n-1`` in ``newdata`` order) and whether it holds
        the real target (``False``: the truth is to be reported as missing).
    """
    frame = to_pandas(newdata)
    frame = frame.set_axis([str(c) for c in frame.columns], axis=1)
    missing = [f for f in state.feature_names if f not in frame.columns]
    if missing:
        raise InputError(
            f"newdata lacks feature(s) {', '.join(repr(f) for f in missing)} that Learner "
            f"'{learner.id}' was trained on. Provide all of: "
            f"{', '.join(repr(f) for f in state.feature_names)}."
        )
    n = len(frame)
    if n == 0:
        raise InputError(
            f"newdata for Learner '{learner.id}' has no rows. Provide at least one observation."
        )
    target = state.target_name or "..target"
    columns = _coerce_features(frame, state, learner.id, learner._maps_unseen_levels())
    has_truth = target in frame.columns
    task_id = task.id if task is not None else state.train_task_id
    if state.task_type == "regr":
        values = frame[target].to_numpy(dtype=np.float64) if has_truth else np.zeros(n)
        data = pd.DataFrame({**columns, target: values})
        return TaskRegr(task_id, DataBackendPandas(data), target), has_truth

    classes = list(state.class_names or [])
    values = None
    if has_truth:
        truth = frame[target]
        codes = level_codes(truth.astype(str).where(truth.notna()), classes)
        values = pd.Categorical.from_codes(codes, dtype=pd.CategoricalDtype(classes))
        # classes unseen in training (or missing labels) cannot be a truth: drop it
        has_truth = not bool(np.any(values.codes < 0))
    if not has_truth:
        values = pd.Categorical.from_codes(
            np.zeros(n, dtype=np.int64), dtype=pd.CategoricalDtype(classes)
        )
    data = pd.DataFrame({**columns, target: values})
    # Append one placeholder row per class (copies of the first row), so that the
    # task sees every training class; the task is then filtered to the real rows.
    extra = data.iloc[np.zeros(len(classes), dtype=np.int64)].copy()
    extra[target] = pd.Categorical(classes, categories=classes)
    data = pd.concat([data, extra], ignore_index=True)
    positive = classes[0] if len(classes) == 2 else None
    new_task = TaskClassif(task_id, DataBackendPandas(data), target, positive=positive)
    return new_task.filter(np.arange(n, dtype=np.int64)), has_truth
