"""The measure weights a prediction carries: :func:`set_task_weights`.

mlr3 stores the ``weights_measure`` column of the predicted rows on the prediction
(``Prediction$weights``), so that scoring the prediction alone is weighted as scoring
it with its task is. Whoever turns a learner's output on a task into a prediction
calls :func:`set_task_weights` with that task.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from mlr3py.predictions.base import Prediction

__all__ = ["set_task_weights", "task_weights"]


def task_weights(task: Any, row_ids: Any) -> np.ndarray | None:
    """The ``weights_measure`` weights of rows ``row_ids`` of ``task``, in their order
    (repeats kept); None when the task has no such column.

    Raises
    ------
    LookupError
        If a row id is not a row of the task.
    """
    roles = getattr(task, "col_roles", None)
    cols = list(roles.get("weights_measure", [])) if roles is not None else []
    if not cols:
        return None
    ids = np.asarray(row_ids, dtype=np.int64)
    unique = np.unique(ids)
    try:
        frame = task.backend.data(unique, [cols[0]])
    except (KeyError, IndexError, ValueError) as exc:
        raise LookupError(f"row ids of {len(ids)} are not all rows of the task") from exc
    values = frame[cols[0]].to_numpy(dtype=float)
    if len(values) != len(unique):
        raise LookupError(f"row ids of {len(ids)} are not all rows of the task")
    return values[np.searchsorted(unique, ids)]


def set_task_weights(prediction: Prediction, task: Any) -> Prediction:
    """Give ``prediction`` the ``weights_measure`` weights of its rows in ``task``.

    A task without a ``weights_measure`` column leaves the prediction as it is; so do
    row ids that are not rows of the task (the measures then look the weights up in
    the task passed to ``score()``, and say which rows are missing).

    Returns
    -------
    Prediction
        ``prediction``, with :attr:`~Prediction.weights` set.
    """
    roles = getattr(task, "col_roles", None)
    if roles is None or not roles.get("weights_measure"):
        return prediction  # nothing to carry (and nothing asked of the prediction)
    try:
        weights = task_weights(task, prediction.row_ids)
    except LookupError:
        return prediction
    if weights is not None:
        prediction.weights = weights
    return prediction
