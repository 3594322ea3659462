"""Training and predicting on tasks whose data stays in a database or in files.

A learner reads its training rows' features, then their target (and maybe
weights): against a database backend one query each. :func:`rows_view` reads
all columns the task uses of the training rows in one query instead
(:meth:`~mlr3py.tasks.Task.fetch`). Predicting goes through such fetched
views too, in chunks of at most :attr:`mlr3py.options.predict_chunk_size`
rows: predicting 98% of a table that does not fit in memory holds one chunk's
features at a time, not the whole test set's. The chunks' predictions are
concatenated in row order, so the prediction is the one of a single call.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from mlr3py.learners._checks import check_predict_levels
from mlr3py.options import options
from mlr3py.predictions import Prediction, combine_predictions

if TYPE_CHECKING:
    from mlr3py.learners._base import Learner
    from mlr3py.learners._state import LearnerState
    from mlr3py.tasks import TaskSupervised

__all__ = ["fetches", "predict_fetched", "rows_view"]


def fetches(task: TaskSupervised) -> bool:
    """Whether learners read ``task`` through fetched views (its backend is not in memory)."""
    return not task.backend.in_memory


def rows_view(task: TaskSupervised, row_ids: Any) -> TaskSupervised:
    """``task`` restricted to ``row_ids``: for a task on a database or on files a
    fetched copy (all its columns of these rows in one query, read when the learner
    first reads it, so inside its encapsulation), else a filtered clone."""
    if not fetches(task):
        return task.clone().filter(row_ids)
    return task.fetch(row_ids)


def predict_fetched(
    learner: Learner, state: LearnerState, task: TaskSupervised, row_ids: Any | None
) -> Prediction:
    """Predict rows ``row_ids`` (default: the active rows) of a task on a database or
    files, chunk by chunk; ``state.predict_time`` sums the chunks' times (reading
    included, as for a learner that reads the task itself)."""
    ids = np.asarray(task.row_ids if row_ids is None else task._check_rows(row_ids))
    size = options.predict_chunk_size
    parts: list[Prediction] = []
    elapsed = 0.0
    for start in range(0, max(len(ids), 1), size):
        view = rows_view(task, ids[start:start + size])
        check_predict_levels(learner, state, view)
        parts.append(learner._timed_predict(state, view, has_truth=True))
        elapsed += float(state.predict_time or 0.0)
    state.predict_time = elapsed
    return parts[0] if len(parts) == 1 else combine_predictions(parts)
