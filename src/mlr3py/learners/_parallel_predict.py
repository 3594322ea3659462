"""Parallel prediction (``learner.parallel_predict = True``).

The rows to predict are split into one chunk per worker of the active plan; each
chunk is predicted by the trained learner through the plan and the chunks' results
are put back together in row order. Under the sequential plan (or in debug mode,
or for fewer than two rows) the learner predicts in one piece, as usual. The
result equals the sequential prediction for every learner whose prediction of a
row does not depend on the other rows predicted with it or on random draws (all
scikit-learn learners; ``classif.debug`` with predict type ``response``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from mlr3py.execution._map import map_items
from mlr3py.execution._plans import current_plan, default_workers
from mlr3py.options import options
from mlr3py.predictions import PredictionData, check_prediction_data, concat_prediction_data

if TYPE_CHECKING:
    from mlr3py.learners._base import Learner
    from mlr3py.tasks import TaskSupervised

__all__ = ["parallel_predict_data"]


def _predict_rows(item: tuple[Learner, TaskSupervised, np.ndarray]) -> PredictionData:
    learner, task, rows = item
    part = task.clone()._use_rows(rows)
    pdata = check_prediction_data(
        learner._predict(part), learner.task_type, f"Learner '{learner.id}'"
    )
    if pdata.row_ids is None:
        pdata = pdata.with_row_ids(part.row_ids)
    return pdata


def parallel_predict_data(learner: Learner, task: TaskSupervised) -> PredictionData:
    """``learner._predict(task)``, computed in row chunks through the active plan."""
    spec = current_plan()
    n_rows = task.nrow
    if options.debug or spec.is_sequential or n_rows < 2:
        return learner._predict(task)
    n_chunks = min(max(1, default_workers(spec)), n_rows)
    row_chunks = np.array_split(np.asarray(task.row_ids), n_chunks)
    parts = map_items(
        _predict_rows, [(learner, task, rows) for rows in row_chunks],
        desc="prediction chunks", chunk_size=1,
    )
    return concat_prediction_data(parts)
