"""The steps of a job: train a clone of its learner, predict rows, make the result.

:func:`~mlr3py.evaluation._worker.run_job` runs them one after the other; a job
whose prediction is split across workers
(:mod:`mlr3py.evaluation._split_predict`) runs the training in one unit and the
prediction of its test set in several. A job whose learner raised (no
encapsulation) is a :class:`JobRaised`.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import time
import traceback
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mlr3py._rng import seed_rngs
from mlr3py.evaluation._job import Job, JobResult
from mlr3py.evaluation._job_scores import score_job
from mlr3py.execution._units import note_phase
from mlr3py.log import job_context, logger
from mlr3py.predictions import set_task_weights
from mlr3py.predictions._predict_sets import DEFAULT_PREDICT_SETS

if TYPE_CHECKING:
    from mlr3py.learners import Learner
    from mlr3py.predictions import Prediction
    from mlr3py.tasks import TaskSupervised

__all__ = ["JobRaised", "job_log_context", "job_result", "predict_step", "predicts_test",
           "train_step"]


@dataclass
class JobRaised:
    """A job whose learner raised (no encapsulation): the error and its traceback as text.

    The traceback travels as text: tracebacks do not pickle, and a job run in a
    worker process would lose it.
    """

    error: Exception
    traceback: str

    @classmethod
    def of(cls, exc: Exception) -> JobRaised:
        """The record of ``exc``, its traceback formatted while it is still there."""
        return cls(exc, "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))


def job_log_context(job: Job) -> contextlib.AbstractContextManager[None]:
    """Stamp the job on the log records emitted in the block (here, in threads of the job
    or replayed from an encapsulation child): task_id, learner_id, iteration, resampling_id."""
    return job_context(
        task_id=job.task.id, learner_id=job.learner.id, iteration=job.iteration,
        resampling_id=job.resampling.id,
    )


def train_step(job: Job) -> tuple[Learner, float]:
    """Seed the random streams from ``job.seed`` and train a clone of the job's learner.

    Parameters
    ----------
    job : Job
        The job; ``job.learner`` is left untrained.

    Returns
    -------
    tuple of (Learner, float)
        The trained clone (its state set, also when training failed under
        encapsulation) and the seconds training took.
    """
    learner = job.learner.clone()
    resampling = job.resampling
    if logger.isEnabledFor(logging.DEBUG):
        logger.debug(
            "Applying learner '%s' on task '%s' (iteration %d of 0..%d)",
            learner.id, job.task.id, job.iteration, (resampling.iters or 0) - 1,
        )
    train_ids = resampling.train_set(job.iteration)
    wants_torch = "torch" in (getattr(learner, "packages", None) or ())
    seed_rngs(job.seed, torch=wants_torch)
    validate_on_test = getattr(learner, "validate", None) == "test"
    if validate_on_test:  # learners validating on the test set (torch, validate="test")
        learner.internal_valid_task = job.task.clone()._use_rows(
            resampling.test_set(job.iteration)
        )
    start = time.perf_counter()
    try:
        learner.train(job.task, train_ids)
    finally:
        if validate_on_test:
            learner.internal_valid_task = None
    elapsed = time.perf_counter() - start
    state = learner.state
    assert state is not None, "Learner.train() always sets a state (also when training failed)"
    return learner, _first_number(getattr(state, "train_time", None), elapsed)


def predict_step(
    learner: Learner, task: TaskSupervised, rows: Any
) -> tuple[Prediction, float]:
    """Predict rows ``rows`` of ``task`` with a trained learner, as resample() does.

    A learner whose training failed predicts missing values (its log keeps the
    error, its scores are NaN; its public ``predict()`` raises NotTrainedError
    instead). The predict step's conditions are appended to the learner's log.

    Returns
    -------
    tuple of (Prediction, float)
        The prediction and the seconds predicting took.
    """
    note_phase("predict")  # a worker that dies from now on is recorded at stage "predict"
    start = time.perf_counter()
    predict = getattr(learner, "_predict_or_missing", learner.predict)
    prediction = predict(task, rows)
    elapsed = time.perf_counter() - start
    set_task_weights(prediction, task)  # mlr3's Prediction$weights
    return prediction, _first_number(getattr(learner.state, "predict_time", None), elapsed)


def predicts_test(learner: Learner) -> bool:
    """Whether ``learner`` predicts the test set in resample() (its ``predict_sets``)."""
    return "test" in getattr(learner, "predict_sets", DEFAULT_PREDICT_SETS)


def job_result(
    job: Job, learner: Learner, prediction: Prediction | None, train_time: float,
    predict_time: float, streamed: dict[str, float] | None = None,
) -> JobResult:
    """The job's record: its model dropped from the state unless the job stores models.

    ``prediction`` is the test set's (None when the learner's ``predict_sets`` lack
    ``"test"``). When they include ``"train"``, the training set is predicted here
    (after the test set, so the test predictions are those of a run without it); its
    time adds to ``predict_time``, as in mlr3. A job with measures
    (``store_predictions=False``) keeps their scores instead of the predictions;
    ``streamed`` are those already scored as the test set streamed
    (:mod:`mlr3py.evaluation._streamed_scores`).
    """
    train_prediction = None
    if "train" in getattr(learner, "predict_sets", DEFAULT_PREDICT_SETS):
        train_prediction, train_predict_time = predict_step(
            learner, job.task, job.resampling.train_set(job.iteration)
        )
        predict_time += train_predict_time
        if learner.state is not None:
            learner.state.predict_time = predict_time
    scores = None
    if job.measures is not None:  # scored here, the predictions dropped
        scores = score_job(job, learner, prediction, train_prediction, streamed)
        prediction = train_prediction = None
    state = learner.state
    assert state is not None, "the learner was trained"
    if not job.store_models:
        state = dataclasses.replace(state, model=None)
        fallback_state = getattr(state, "fallback_state", None)  # learners may bring own states
        if fallback_state is not None:
            state.fallback_state = dataclasses.replace(fallback_state, model=None)
    return JobResult(
        prediction=prediction,
        state=state,
        log=list(getattr(state, "log", None) or ()),
        train_time=train_time,
        predict_time=predict_time,
        iteration=job.iteration,
        seed=job.seed,
        learner=learner if job.store_models else None,
        experiment=job.experiment,
        train_prediction=train_prediction,
        scores=scores,
    )


def _first_number(value: object, fallback: float) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return float(fallback)
