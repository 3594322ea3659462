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

__all__ = ["set_task_weights"]


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
    cols = list(roles.get("weights_measure", [])) if roles is not None else []
    if not cols:
        return prediction
    row_ids = np.asarray(prediction.row_ids, dtype=np.int64)
    unique = np.unique(row_ids)
    try:
        frame = task.backend.data(unique, [cols[0]])
    except (KeyError, IndexError, ValueError):
        return prediction
    values = frame[cols[0]].to_numpy(dtype=float)
    if len(values) != len(unique):
        return prediction
    prediction.weights = values[np.searchsorted(unique, row_ids)]
    return prediction
