"""A test set scored as it streams: ``store_predictions=False`` on data in files or
a database.

A job that keeps scores instead of predictions (:mod:`mlr3py.evaluation._job_scores`)
still held its test set's prediction whole until it was scored: 24 bytes per row for
a regression (row id, truth, response), 225 MiB for a subsampling that tests 98% of
10,000,000 rows, with the test set's row ids (75 MiB) besides. Where the task's data
stays in files or a database (the learner predicts it chunk by chunk anyway,
:mod:`mlr3py.learners._fetch`) and every measure of the test set is a mean of per-row
losses (:attr:`~mlr3py.measures.Measure.mean_loss`: mse, rmse, mae, ce, logloss, ...),
the test set is built in slices of :data:`SLICE_ROWS` ids
(:meth:`~mlr3py.resamplings.Resampling.test_slice`), each slice predicted in chunks,
and each chunk's losses are added to the measures' sums
(:class:`~mlr3py.measures._chunked.ChunkedScore`) and dropped. The job then holds one
slice's ids and one chunk's prediction at a time; its scores are those of the whole
prediction, up to rounding.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING

import numpy as np

from mlr3py.execution._units import note_phase
from mlr3py.learners._fetch import predict_chunks
from mlr3py.measures._chunked import ChunkedScore
from mlr3py.predictions._predict_sets import DEFAULT_PREDICT_SETS

if TYPE_CHECKING:
    from mlr3py.evaluation._job import Job
    from mlr3py.learners import Learner
    from mlr3py.measures import Measure
    from mlr3py.predictions import Prediction

__all__ = ["SLICE_ROWS", "streamed_measures", "streamed_test_scores", "streamed_test_sums"]

#: How many test row ids a job builds at a time (8 MiB of them).
SLICE_ROWS = 1 << 20


def streamed_measures(job: Job, learner: Learner) -> list[Measure] | None:
    """The measures of ``job`` that score its test set as it streams, or None where the
    test set is predicted whole (then scored by
    :func:`~mlr3py.evaluation._job_scores.score_job`).

    All of them stream, or none: the job keeps scores (``job.measures``), its task's data
    is in files or a database, the learner predicts the test set, and every measure that
    reads the test set's prediction scores it alone and is a mean of per-row losses.
    """
    measures = job.measures
    if measures is None or job.task.backend.in_memory:
        return None
    if "test" not in getattr(learner, "predict_sets", DEFAULT_PREDICT_SETS):
        return None
    # the measures that read the test set's prediction: those of a task type, and those
    # without one that name a predict type (debug_classif)
    tested = [m for m in measures
              if (m.task_type is not None or m.predict_type is not None)
              and "test" in getattr(m, "predict_sets", DEFAULT_PREDICT_SETS)]
    if not tested or any(tuple(getattr(m, "predict_sets", DEFAULT_PREDICT_SETS)) != ("test",)
                         or m.mean_loss is None for m in tested):
        return None
    return tested


def streamed_test_scores(job: Job, learner: Learner,
                         measures: list[Measure]) -> tuple[dict[str, float], float]:
    """Score the test set of ``job`` with ``measures`` slice by slice, chunk by chunk.

    Parameters
    ----------
    job : Job
        The job (its task, resampling and iteration).
    learner : Learner
        Its trained learner (a failed training predicts missing values: NaN scores).
    measures : list of Measure
        :func:`streamed_measures` of the job.

    Returns
    -------
    tuple of (dict of str to float, float)
        Measure id -> score, and the seconds predicting took (reading included; also
        the learner state's ``predict_time``).
    """
    n_test = job.resampling.test_size(job.iteration)
    sums, elapsed = streamed_test_sums(job, learner, measures, 0, n_test)
    if learner.state is not None:
        learner.state.predict_time = elapsed
    return {s.measure.id: s.score() for s in sums}, elapsed


def streamed_test_sums(job: Job, learner: Learner, measures: list[Measure], start: int,
                       stop: int) -> tuple[list[ChunkedScore], float]:
    """The measures' sums over test rows ``start`` to ``stop - 1`` of ``job`` (positions
    among its test ids sorted: a part of the test set predicted on a worker of its own,
    :mod:`mlr3py.evaluation._split_predict`), and the seconds predicting them took.

    The parts' sums add up (:meth:`ChunkedScore.merge
    <mlr3py.measures._chunked.ChunkedScore.merge>`) to those of the whole test set.
    """
    note_phase("predict")  # a worker that dies from now on is recorded at stage "predict"
    resampling, i = job.resampling, job.iteration
    # each chunk carries its rows' measure weights (Prediction.weights): looking them up
    # in the task would query the backend while it streams the chunks
    sink = _ScoreSink([ChunkedScore(m) for m in measures])
    elapsed = 0.0
    for lo in range(start, stop, SLICE_ROWS):
        sink.begin(resampling.test_slice(i, lo, min(lo + SLICE_ROWS, stop)))
        elapsed += predict_chunks(learner, job.task, sink.rows, sink)
    return sink.scores, elapsed


class _ScoreSink:
    """Takes the chunks of one slice after the other into the measures' sums (a
    :class:`~mlr3py.learners._fetch.ChunkSink`); a restarted slice's chunks come again,
    so the sums go back to where the slice began."""

    def __init__(self, scores: list[ChunkedScore]) -> None:
        self.scores = scores
        self._begun = [copy.copy(s) for s in scores]
        self.rows: np.ndarray = np.empty(0, dtype=np.int64)
        self._repeats: np.ndarray | None = None

    def begin(self, rows: np.ndarray) -> None:
        """Start a slice of the test set's ids (ascending; an id twice counts twice)."""
        self._begun = [copy.copy(s) for s in self.scores]
        if len(rows) > 1 and not bool(np.all(rows[1:] > rows[:-1])):
            self.rows, repeats = np.unique(rows, return_counts=True)
            self._repeats = repeats.astype(float)
        else:
            self.rows, self._repeats = rows, None

    def add(self, part: Prediction) -> None:
        """Add a chunk's losses to every measure's sums."""
        repeats = None
        if self._repeats is not None:
            repeats = self._repeats[np.searchsorted(self.rows, part.row_ids)]
        for score in self.scores:
            score.add(part, repeats)

    def restart(self) -> None:
        """Drop the slice's chunks taken so far."""
        self.scores = [copy.copy(s) for s in self._begun]
