"""Training and predicting on tasks whose data stays in a database or in files.

A learner reads its training rows' features, then their target (and maybe
weights): against a database backend one query each. :func:`rows_view` reads
all columns the task uses of the training rows in one query instead
(:meth:`~mlr3py.tasks.Task.fetch`). Predicting goes through such fetched
views too, in chunks of at most :attr:`mlr3py.options.predict_chunk_size`
rows, streamed from one query: predicting 98% of a table that does not fit in
memory holds one chunk's features at a time, not the whole test set's. Each
chunk's prediction is written into the prediction of all rows, allocated when
the first chunk arrives (its row ids are a read-only view of the sorted ids
asked for, not a copy), so the prediction is the one of a single call and
never exists twice, as chunks and concatenated.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from mlr3py.data.key_positions import KeyPositions
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
        return task.clone()._use_rows(row_ids)
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
    parts: list[Prediction] = []  # chunks of a prediction class that cannot be filled in place
    if stream is not None and len(ids) > size:
        in_order = _increasing(ids)
        uniq = _read_only(ids if in_order else np.unique(ids))
        where = KeyPositions(uniq)
        whole: list[Prediction] = []  # the prediction of all rows, once the first chunk is in

        def consume(frame: pd.DataFrame) -> None:
            view = task._fetched_view(frame.index.to_numpy(), frame)
            check_predict_levels(learner, state, view)
            part = learner._timed_predict(state, view, has_truth=True)
            if part._row_fields is None:
                parts.append(part)
                return
            if not whole:
                whole.append(part._allocate(uniq))
            whole[0]._put(where.positions(part.row_ids), part)

        start = time.perf_counter()
        try:
            stream(ids, task._fetch_columns(), size, consume)
        except BackendConnectionError:
            whole.clear()  # read chunk by chunk below
            parts.clear()
        else:
            state.predict_time = time.perf_counter() - start
            if parts:
                combined = parts[0] if len(parts) == 1 else combine_predictions(parts)
                combined._subset(pd.Index(combined.row_ids).get_indexer(ids))
                return combined
            combined = whole[0]
            if not in_order:
                combined._subset(where.positions(ids))  # the order asked for
            return combined
    elapsed = 0.0
    for begin in range(0, max(len(ids), 1), size):
        view = rows_view(task, ids[begin:begin + size])
        check_predict_levels(learner, state, view)
        parts.append(learner._timed_predict(state, view, has_truth=True))
        elapsed += float(state.predict_time or 0.0)
    state.predict_time = elapsed
    return parts[0] if len(parts) == 1 else combine_predictions(parts)


def _read_only(ids: np.ndarray) -> np.ndarray:
    """A read-only int64 view of ``ids`` (no copy where they are int64 already)."""
    out = ids.astype(np.int64, copy=False).view()
    out.flags.writeable = False
    return out


def _increasing(ids: np.ndarray) -> bool:
    """Whether ``ids`` are strictly increasing (sorted, no duplicates)."""
    return len(ids) < 2 or bool((ids[1:] > ids[:-1]).all())
