"""Training and predicting on tasks whose data stays in a database or in files.

A learner reads its training rows' features, then their target (and maybe
weights): against a database backend one query each. :func:`rows_view` reads
all columns the task uses of the training rows in one query instead
(:meth:`~mlr3py.tasks.Task.fetch`). Predicting goes through such fetched
views too, in chunks of at most :attr:`mlr3py.options.predict_chunk_size`
rows, streamed from one query: predicting 98% of a table that does not fit in
memory holds one chunk's features at a time, not the whole test set's. The
chunks' predictions are concatenated in the order of the rows asked for, so
the prediction is the one of a single call.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from mlr3py.errors import BackendConnectionError
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
    included, as for a learner that reads the task itself).

    More rows than one chunk stream from one query (a backend with
    ``stream_frames``), each chunk predicted as it arrives and the predictions put
    in the order of ``row_ids``. Should the stream fail (a lost connection), the
    chunks are read one by one inside the learner's encapsulation instead, so
    that the failure is an error of the predict step.
    """
    ids = np.asarray(task.row_ids if row_ids is None else task._check_rows(row_ids))
    size = options.predict_chunk_size
    stream = getattr(task.backend, "stream_frames", None)
    if stream is not None and len(ids) > size:
        parts: list[Prediction] = []

        def consume(frame: pd.DataFrame) -> None:
            view = task._fetched_view(frame.index.to_numpy(), frame)
            check_predict_levels(learner, state, view)
            parts.append(learner._timed_predict(state, view, has_truth=True))

        start = time.perf_counter()
        try:
            stream(ids, task._fetch_columns(), size, consume)
        except BackendConnectionError:
            pass  # read chunk by chunk below
        else:
            state.predict_time = time.perf_counter() - start
            combined = parts[0] if len(parts) == 1 else combine_predictions(parts)
            got = np.asarray(combined.row_ids)
            if len(got) != len(ids) or not np.array_equal(got, ids):
                combined._subset(pd.Index(got).get_indexer(ids))  # the order asked for
            return combined
    parts = []
    elapsed = 0.0
    for begin in range(0, max(len(ids), 1), size):
        view = rows_view(task, ids[begin:begin + size])
        check_predict_levels(learner, state, view)
        parts.append(learner._timed_predict(state, view, has_truth=True))
        elapsed += float(state.predict_time or 0.0)
    state.predict_time = elapsed
    return parts[0] if len(parts) == 1 else combine_predictions(parts)
