"""Jobs whose test sets are predicted in parts on all workers of a parallel plan.

Three jobs on two workers take two rounds: while one worker runs the third job,
the other waits. When the jobs of a run do not divide evenly among the workers
and each predicts many rows of a table in a database or in files (a subsampling
that trains on 2% of ten million rows and predicts the other 98%), each job runs in
steps instead: its learner is
trained in one unit, whose result brings the model back, and its test set is
predicted in parts, each a unit of its own to which the model travels. The steps
run as a stream (:func:`~mlr3py.execution._stream.map_stream`): a job's parts are
queued as soon as its model is back, behind the trainings still waiting, so no
worker waits for the others between the steps. A part is a run of consecutive
row ids of the test set (a backend over files or a database reads only the part
of the table that holds them, :mod:`mlr3py.data._ibis_queries`); the parts'
predictions are put back together in the order of the test set (where they come
back in pages of result files, the pages themselves, moved end to end:
:mod:`mlr3py.execution._stitch`), their times added up and their log entries
appended to the learner's. The job's result is
the one of the job run whole, for learners whose prediction of a row depends on
that row alone (:attr:`~mlr3py.learners.Learner.rowwise_predict`; learners with a
fallback are not split, whose imputation message counts the rows of one call).

:func:`split_layout` decides (``options.predict_split_rows``); :func:`run_split`
runs the steps and returns, per job, what :func:`~mlr3py.execution._map.map_outcomes`
over whole jobs would. A part carries two positions, not row ids: the worker takes
them from the job's resampling (:meth:`~mlr3py.resamplings.Resampling.test_slice`,
which builds only the part where it can), so the bytes sent per part do not grow
with the table.
"""

from __future__ import annotations

import copy
import dataclasses
import itertools
import math
import mmap
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from mlr3py.evaluation._job import Job, JobResult
from mlr3py.evaluation._job_steps import (
    JobRaised,
    job_log_context,
    job_result,
    predict_step,
    train_step,
)
from mlr3py.evaluation._streamed_scores import streamed_measures, streamed_test_sums
from mlr3py.execution._deaths import WorkerDied
from mlr3py.execution._stitch import stitch, stitchable
from mlr3py.execution._stream import map_stream, stream_workers
from mlr3py.execution._threads import learner_threads
from mlr3py.options import options

if TYPE_CHECKING:
    from mlr3py.learners import Learner
    from mlr3py.measures._chunked import ChunkedScore
    from mlr3py.predictions import Prediction

__all__ = ["PredictPart", "run_split", "run_step", "split_layout"]

Outcome = JobResult | JobRaised | WorkerDied

ALIGN_ROWS = mmap.PAGESIZE
"""Parts start at multiples of this many test rows: an array of one byte or more per
row of a part, other than the last, fills whole pages, as stitching needs
(:mod:`mlr3py.execution._stitch`)."""


@dataclass
class TrainedJob:
    """The training step's result: the trained learner (model kept) and its time."""

    learner: Learner
    train_time: float


@dataclass
class PredictPart:
    """One part of a job's test set to predict with the job's trained learner.

    Attributes
    ----------
    job : Job
        The job.
    trained : Learner
        The job's trained learner, shared by all its parts (it travels to a worker
        once per run).
    start, stop : int
        The part's positions among the job's test row ids sorted
        (:meth:`~mlr3py.resamplings.Resampling.test_slice`).
    """

    job: Job
    trained: Learner
    start: int
    stop: int

    def shared_parts(self) -> dict[str, Any]:
        """The job's task, learner and resampling, and the trained learner."""
        return {**self.job.shared_parts(), "trained": self.trained}

    def with_parts(self, parts: dict[str, Any]) -> PredictPart:
        """This part with its shared objects replaced."""
        rest = dict(parts)
        trained = rest.pop("trained", self.trained)
        return PredictPart(self.job.with_parts(rest), trained, self.start, self.stop)

    def log_fields(self) -> dict[str, Any]:
        """The job's log context."""
        return self.job.log_fields()

    def threads(self) -> int:
        """How many threads the learner asks for."""
        return learner_threads(self.trained)


@dataclass
class PredictedPart:
    """A part's prediction, its time and the log entries its predict step added.

    The prediction comes without its row ids where they are the part's (the main
    process knows them: the test set's ids at the part's positions); ``rows`` is
    its number of rows. A job that keeps scores, its test set scored as it streams
    (:mod:`mlr3py.evaluation._streamed_scores`), brings its measures' sums over the
    part's rows instead of a prediction (``sums``).
    """

    prediction: Prediction | None
    predict_time: float
    log: list[Any]
    rows: int
    sums: list[ChunkedScore] | None = None


def split_layout(jobs: Sequence[Job]) -> list[int] | None:
    """How many parts each job's test set is predicted in; None: run the jobs whole.

    The jobs are split when the active plan level streams
    (:func:`~mlr3py.execution._stream.stream_workers`: the process plans) on ``w``
    workers, the ``n`` jobs do not divide evenly among them, every job's task keeps
    its data in a database or in files (its backend is not in memory), and every
    job's learner predicts row by row without a fallback. In-memory tasks run whole:
    their rows cost nothing to read, and a model's trip to the main process and out
    to the workers (a forest of many trees) could cost more memory than the split
    saves time. A job then gets ``w / gcd(n, w)`` parts
    (so that all parts divide evenly) and the last job, trained last, twice as many,
    whose smaller parts keep every worker busy until the end (three jobs on two workers,
    1,000,000 rows of Parquet files, ``benchmarks/backend_parquet.py``: speed-up 1.70
    over sequential with parts 2, 2, 4; 1.56 with 2, 2, 2; 1.63 with 4, 4, 4), fewer where
    a part would have less than ``options.predict_split_rows`` rows; one part is its
    whole test set.
    """
    min_rows = options.predict_split_rows
    if min_rows is None or options.debug or not jobs:
        return None
    workers = stream_workers()
    if workers < 2:
        return None
    per_job = workers // math.gcd(len(jobs), workers)
    if per_job < 2 or not all(_splittable(job) for job in jobs):
        return None
    layout = []
    for i, job in enumerate(jobs):
        wanted = 2 * per_job if 0 < i == len(jobs) - 1 else per_job
        size = job.resampling.test_size(job.iteration)
        layout.append(max(1, min(wanted, size // min_rows)))
    return layout if max(layout) > 1 else None


def _splittable(job: Job) -> bool:
    learner = job.learner
    return (bool(learner.rowwise_predict) and getattr(learner, "fallback", None) is None
            and not job.task.backend.in_memory
            and "train" not in getattr(learner, "predict_sets", ()))


def sorted_positions(test_ids: np.ndarray) -> np.ndarray | None:
    """The positions of ``test_ids`` in ascending order of the ids (None: they are so)."""
    if len(test_ids) < 2 or bool(np.all(test_ids[1:] > test_ids[:-1])):
        return None
    return np.argsort(test_ids, kind="stable")


def run_step(item: Job | PredictPart) -> TrainedJob | PredictedPart | JobRaised:
    """A job's training step (a :class:`Job`) or one part of its prediction (in a worker)."""
    if isinstance(item, PredictPart):
        return _predict_part(item)
    with job_log_context(item):
        try:
            learner, train_time = train_step(item)
        except Exception as exc:
            return JobRaised.of(exc)
    return TrainedJob(learner, train_time)


def _predict_part(part: PredictPart) -> PredictedPart | JobRaised:
    job = part.job
    with job_log_context(job):
        try:
            learner = _own_copy(part.trained)
            state = learner.state
            assert state is not None, "the learner was trained"
            before = len(state.log)
            measures = streamed_measures(job, learner)
            if measures is not None:  # the part's sums, not its prediction, travel back
                sums, predict_time = streamed_test_sums(job, learner, measures, part.start,
                                                        part.stop)
                return PredictedPart(None, predict_time, list(state.log[before:]),
                                     part.stop - part.start, sums)
            rows = job.resampling.test_slice(job.iteration, part.start, part.stop)
            prediction, predict_time = predict_step(learner, job.task, rows)
        except Exception as exc:
            return JobRaised.of(exc)
    if prediction._row_fields is not None and np.array_equal(prediction.row_ids, rows):
        prediction._row_ids = rows[:0]  # not sent back: the main process knows them
    return PredictedPart(prediction, predict_time, list(state.log[before:]), len(rows))


def _own_copy(learner: Learner) -> Learner:
    """A copy of a trained learner whose state can record a predict step: the parts of a
    job share the trained learner (in a worker, and in the main process)."""
    own = copy.copy(learner)
    state = learner.state
    assert state is not None, "the learner was trained"
    own.state = dataclasses.replace(state, log=list(state.log))
    return own


class SplitSource:
    """The steps of jobs as a stream's groups (an :class:`~mlr3py.execution._stream.ItemSource`).

    Each training and each part is a group of its own. Trainings are handed out
    first: a part handed out ahead of the last training leaves a worker idle at the
    end, waiting for the model of the last job's parts (three jobs of 10,000,000
    Parquet rows on two workers, ``benchmarks/backend_parquet.py``: a worker idled
    for 4 s of 15.8 when the first jobs' parts went first). Each part's prediction is
    put into the job's prediction as it comes back (groups come back in the order
    they were handed out, so a job's parts in part order), so that when the workers
    finish, only the last part is left to put in.
    """

    def __init__(self, jobs: Sequence[Job], layout: list[int]) -> None:
        self.jobs = jobs
        self.layout = layout
        self.outcomes: list[Outcome | None] = [None] * len(jobs)
        self._next = 0  # the next job to train
        self._ready: deque[tuple[int, PredictPart]] = deque()
        self._given: deque[int] = deque()  # per group handed out: its job (< 0: a training)
        self._assembly: dict[int, _Assembly] = {}

    def more(self, busy: bool) -> list[Any] | None:
        """The next job's training, else a part of a trained job, else None."""
        if self._next < len(self.jobs):
            j = self._next
            self._next += 1
            self._given.append(-1 - j)
            return [self.jobs[j]]
        if self._ready:
            j, part = self._ready.popleft()
            self._given.append(j)
            return [part]
        return None

    def done(self, outcomes: list[Any]) -> None:
        """A training's outcome (its parts become ready) or a part's (put in its place)."""
        given = self._given.popleft()
        out = outcomes[0]
        if given < 0:
            j = -1 - given
            if isinstance(out, TrainedJob):
                parts = self._parts(j, out)
                self._assembly[j] = _Assembly(self.jobs[j], out, len(parts))
                self._ready.extend((j, part) for part in parts)
            else:  # the learner raised, or the worker died: no parts
                self.outcomes[j] = out
            return
        outcome = self._assembly[given].add(out)
        if outcome is not None:
            del self._assembly[given]
            self.outcomes[given] = outcome

    def _parts(self, j: int, trained: TrainedJob) -> list[PredictPart]:
        job = self.jobs[j]
        n_test = job.resampling.test_size(job.iteration)
        bounds = np.linspace(0, n_test, self.layout[j] + 1).round().astype(int)
        # parts of whole pages of rows, whose arrays can be stitched (_Assembly)
        if n_test >= ALIGN_ROWS * self.layout[j]:
            bounds[1:-1] = bounds[1:-1] // ALIGN_ROWS * ALIGN_ROWS
        return [PredictPart(job, trained.learner, int(a), int(b))
                for a, b in itertools.pairwise(bounds)]


def run_split(jobs: Sequence[Job], layout: list[int]) -> list[Outcome]:
    """Run ``jobs`` in steps through the active plan (see the module's docstring).

    Returns
    -------
    list
        Per job, in job order: its :class:`JobResult`, a :class:`JobRaised` when its
        learner raised, or the :class:`WorkerDied` of a step lost with its worker.
    """
    source = SplitSource(jobs, layout)
    map_stream(run_step, source, desc="jobs (in steps)", chunk_size=1)
    missing = [j for j, out in enumerate(source.outcomes) if out is None]
    assert not missing, f"jobs {missing} got no outcome"
    return [out for out in source.outcomes if out is not None]


class _Assembly:
    """A job's prediction, put together from its parts in part order as they come back.

    Parts whose per-row arrays came back in whole pages of result files are kept as
    they are until the last is in, and their pages then stitched end to end
    (:mod:`mlr3py.execution._stitch`); from the first part that cannot be, the parts
    are copied into an array of all rows instead. The first part that failed (its
    learner raised, or its worker died) is the job's outcome; the parts after it are
    not put in.
    """

    def __init__(self, job: Job, trained: TrainedJob, parts: int) -> None:
        self.job = job
        self.trained = trained
        self.left = parts
        self.failed: JobRaised | WorkerDied | None = None
        self.prediction: Prediction | None = None
        # parts whose arrays may be stitched (execution._stitch) once all are in; None:
        # the parts are copied into the prediction of all rows as they come
        self.pieces: list[tuple[Prediction, int]] | None = []
        self.sums: list[ChunkedScore] | None = None  # parts scored where they ran
        self.order: np.ndarray | None = None
        self.start = 0
        self.logs: list[list[Any]] = []
        self.predict_time = 0.0

    def add(self, out: Any) -> Outcome | None:
        """Put the next part in; the job's outcome once every part is back, else None."""
        self.left -= 1
        if self.failed is None:
            if isinstance(out, WorkerDied | JobRaised):
                self.failed, self.prediction, self.pieces = out, None, None
            else:
                self._put(out)
        if self.left:
            return None
        return self.failed if self.failed is not None else self._result()

    def _put(self, part: PredictedPart) -> None:
        self.logs.append(part.log)
        self.predict_time += part.predict_time
        if part.sums is not None:
            if self.sums is None:
                self.sums = part.sums
            else:
                for mine, theirs in zip(self.sums, part.sums, strict=True):
                    mine.merge(theirs)
            return
        assert part.prediction is not None, "a part brings a prediction or sums"
        # the worker left the row ids out where they were the part's (_predict_part)
        left_out = part.rows > 0 and not len(part.prediction.row_ids)
        if self.pieces is not None:
            if left_out and _stitchable(part.prediction, last=not self.left):
                self.pieces.append((part.prediction, part.rows))
                return
            self._copy_pieces()
        self._copy(part.prediction, part.rows, left_out)

    def _copy(self, prediction: Prediction, rows: int, left_out: bool) -> None:
        """Copy a part's ``rows`` predicted rows into the prediction of all rows."""
        if self.prediction is None:
            test_ids = self.job.resampling.test_set(self.job.iteration)
            self.order = sorted_positions(test_ids)
            self.prediction = prediction._allocate(test_ids)
        stop = self.start + rows
        at = slice(self.start, stop) if self.order is None else self.order[self.start:stop]
        self.prediction._put(at, prediction, check_row_ids=not left_out)
        self.start = stop

    def _copy_pieces(self) -> None:
        """Copy the parts kept for stitching (all left their row ids out), from now on
        each part as it comes."""
        pieces, self.pieces = self.pieces or [], None
        for piece, rows in pieces:
            self._copy(piece, rows, left_out=True)

    def _stitched(self) -> Prediction | None:
        """The parts' prediction stitched (None: it cannot be; the parts are copied)."""
        assert self.pieces, "the parts kept for stitching"
        test_ids = self.job.resampling.test_set(self.job.iteration)
        if sorted_positions(test_ids) is not None:  # parts in sorted order: not the test set's
            return None
        first, *rest = (piece for piece, _ in self.pieces)
        return first._joined(rest, test_ids, stitch)

    def _result(self) -> JobResult:
        if self.pieces:
            self.prediction = self._stitched()
            if self.prediction is None:
                self._copy_pieces()
        assert self.prediction is not None or self.sums is not None, "every part was put in"
        learner = self.trained.learner
        state = learner.state
        assert state is not None, "the learner was trained"
        for entry in _merged_logs(self.logs):
            state.log.append(entry)
        state.predict_time = self.predict_time
        streamed = (None if self.sums is None
                    else {s.measure.id: s.score() for s in self.sums})
        return job_result(self.job, learner, self.prediction, self.trained.train_time,
                          self.predict_time, streamed)


def _stitchable(prediction: Prediction, last: bool) -> bool:
    """Whether each per-row array of a part's prediction can be stitched to the next part's
    (:func:`~mlr3py.execution._stitch.stitchable`; ``last``: the job's last part)."""
    if prediction._row_fields is None:
        return False
    arrays = [getattr(prediction, name) for name in prediction._row_fields if name != "_row_ids"]
    arrays.append(prediction._weights)
    return all(a is None or stitchable(a, last) for a in arrays)


def _merged_logs(logs: list[list[Any]]) -> list[Any]:
    """The parts' log entries in part order, each condition once (a warning raised by
    every part is the one warning of the whole prediction)."""
    merged: list[Any] = []
    for log in logs:
        for entry in log:
            if entry not in merged:
                merged.append(entry)
    return merged
