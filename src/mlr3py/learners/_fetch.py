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
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
import pandas as pd

from mlr3py.data.key_positions import KeyPositions
from mlr3py.errors import BackendConnectionError
from mlr3py.learners._checks import check_predict_features, check_predict_levels, check_task_type
from mlr3py.learners._fallback import predict_state
from mlr3py.learners._features import feature_info
from mlr3py.options import options
from mlr3py.predictions import Prediction, combine_predictions, set_task_weights

if TYPE_CHECKING:
    from mlr3py.learners._base import Learner
    from mlr3py.learners._state import LearnerState
    from mlr3py.tasks import TaskSupervised

__all__ = ["ChunkSink", "chunk_predictions", "fetches", "predict_chunks", "predict_fetched",
           "rows_view", "stream_predictions"]


class ChunkSink(Protocol):
    """What takes a prediction chunk by chunk (:func:`predict_chunks`)."""

    def add(self, part: Prediction) -> None:
        """Take the prediction of one chunk of rows."""

    def restart(self) -> None:
        """Drop the chunks taken so far: they come again."""


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
    parts: list[Prediction] = []  # chunks of a prediction class that cannot be filled in place
    if len(ids) > options.predict_chunk_size:
        in_order = _increasing(ids)
        uniq = _read_only(ids if in_order else np.unique(ids))
        where = KeyPositions(uniq)
        whole: list[Prediction] = []  # the prediction of all rows, once the first chunk is in
        filled = np.zeros(len(uniq), dtype=bool)  # a learner may leave rows out ("omit")

        def take(part: Prediction) -> None:
            if part._row_fields is None:
                parts.append(part)
                return
            if not whole:
                whole.append(part._allocate(uniq))
            at = where.positions(part.row_ids)
            whole[0]._put(at, part)
            filled[at] = True

        elapsed = stream_predictions(learner, state, task, ids, take)
        if elapsed is not None:
            state.predict_time = elapsed
            if parts:
                combined = parts[0] if len(parts) == 1 else combine_predictions(parts)
                combined._subset(pd.Index(combined.row_ids).get_indexer(ids))
                return combined
            combined = whole[0]
            if not in_order or not filled.all():  # the order asked for, rows left out dropped
                order = np.arange(len(uniq)) if in_order else where.positions(ids)
                combined._subset(order[filled[order]])
            return combined
        parts.clear()  # the stream failed: read chunk by chunk below
    state.predict_time = chunk_predictions(learner, state, task, ids, parts.append)
    return parts[0] if len(parts) == 1 else combine_predictions(parts)


def predict_chunks(learner: Learner, task: TaskSupervised, row_ids: Any,
                   sink: ChunkSink) -> float:
    """Predict rows ``row_ids`` of a task on a database or files as ``resample()`` does
    (a failed training predicts missing values), each chunk's prediction handed to
    ``sink`` (in the order the backend reads them) instead of put together; the
    seconds predicting took (also the state's ``predict_time``).

    For scores summed chunk by chunk (:mod:`mlr3py.measures._chunked`). Should the
    stream fail (a lost connection), the sink is restarted and gets the chunks again,
    read one by one inside the learner's encapsulation.
    """
    state = predict_state(learner)
    check_task_type(learner, task)
    check_predict_features(learner, state, feature_info(task).types, task.id)
    ids = np.asarray(task._check_rows(row_ids))
    elapsed = stream_predictions(learner, state, task, ids, sink.add)
    if elapsed is None:
        sink.restart()
        elapsed = chunk_predictions(learner, state, task, ids, sink.add)
    state.predict_time = elapsed
    return elapsed


def stream_predictions(
    learner: Learner, state: LearnerState, task: TaskSupervised, ids: np.ndarray,
    take: Callable[[Prediction], None],
) -> float | None:
    """Predict rows ``ids`` of a task on a database or files in chunks streamed from one
    query (in the order the backend reads them) and hand each chunk's prediction to
    ``take``, with its rows' measure weights (read with the chunk: ``take`` must not
    query the backend while it streams).

    Returns
    -------
    float or None
        The seconds it took, reading included; None where the backend cannot stream,
        or the stream failed (a lost connection), after ``take`` may have been given
        some chunks: the caller drops them and reads chunk by chunk
        (:func:`chunk_predictions`).
    """
    stream = getattr(task.backend, "stream_frames", None)
    if stream is None:
        return None

    def consume(frame: pd.DataFrame) -> None:
        view = task._fetched_view(frame.index.to_numpy(), frame)
        check_predict_levels(learner, state, view)
        take(set_task_weights(learner._timed_predict(state, view, has_truth=True), view))

    start = time.perf_counter()
    try:
        stream(ids, task._fetch_columns(), options.predict_chunk_size, consume)
    except BackendConnectionError:
        return None
    return time.perf_counter() - start


def chunk_predictions(
    learner: Learner, state: LearnerState, task: TaskSupervised, ids: np.ndarray,
    take: Callable[[Prediction], None],
) -> float:
    """Predict rows ``ids`` of a task on a database or files chunk by chunk, each chunk
    read in one query inside the learner's encapsulation (a failure to read is an error
    of the predict step), and hand each chunk's prediction to ``take`` in the order of
    ``ids``; the seconds the predictions took."""
    elapsed = 0.0
    size = options.predict_chunk_size
    for begin in range(0, max(len(ids), 1), size):
        view = rows_view(task, ids[begin:begin + size])
        check_predict_levels(learner, state, view)
        take(set_task_weights(learner._timed_predict(state, view, has_truth=True), view))
        elapsed += float(state.predict_time or 0.0)
    return elapsed


def _read_only(ids: np.ndarray) -> np.ndarray:
    """A read-only int64 view of ``ids`` (no copy where they are int64 already)."""
    out = ids.astype(np.int64, copy=False).view()
    out.flags.writeable = False
    return out


def _increasing(ids: np.ndarray) -> bool:
    """Whether ``ids`` are strictly increasing (sorted, no duplicates)."""
    return len(ids) < 2 or bool((ids[1:] > ids[:-1]).all())
