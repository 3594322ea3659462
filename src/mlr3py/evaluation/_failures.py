"""Jobs lost with a dead worker: :func:`failed_job_result` and :func:`missing_prediction`.

When a worker process dies (a segfault in a learner that is not encapsulated in a
process of its own, the out-of-memory killer, ``kill -9``), the plans replace the
worker and report each job it held as a
:class:`~mlr3py.execution._deaths.WorkerDied`; :func:`~mlr3py.evaluation._worker.run_jobs`
records it as a failed :class:`JobResult`, built here and only here: an error
log entry (stage ``"train"``) and a prediction whose responses are missing, so
scores are NaN and ``ResampleResult.errors`` lists it.

A job whose learner has a fallback gets the fallback's predictions here instead
of missing ones.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from mlr3py.encapsulation._log_entry import LogEntry
from mlr3py.evaluation._job import Job, JobResult
from mlr3py.learners import LearnerState
from mlr3py.predictions import Prediction, PredictionClassif, PredictionRegr

__all__ = ["failed_job_result", "missing_prediction"]


def missing_prediction(job: Job) -> Prediction:
    """A prediction for the job's test rows with the truth and missing responses."""
    task = job.task
    rows = np.asarray(job.resampling.test_set(job.iteration), dtype=np.int64)
    truth = task.truth(rows)
    if task.task_type == "classif":
        class_names = list(task.class_names)
        response = pd.Categorical.from_codes(np.full(len(rows), -1), categories=class_names)
        return PredictionClassif(
            row_ids=rows, truth=truth, response=response, class_names=class_names
        )
    return PredictionRegr(row_ids=rows, truth=truth, response=np.full(len(rows), np.nan))


def failed_job_result(job: Job, msg: str, *, stage: str = "train", **extra: Any) -> JobResult:
    """The result of a job that could not run to the end (e.g. its worker died).

    Parameters
    ----------
    job : Job
        The job.
    msg : str
        The error message, e.g. ``"worker process died (signal SIGSEGV)"``.
    stage : str
        ``"train"`` or ``"predict"``.
    **extra
        ``prediction=``: a prediction to record instead of the fallback's or the
        missing one.

    Returns
    -------
    JobResult
        Log ``[LogEntry(stage, "error", msg)]``, a prediction with missing
        responses, an untrained state. When the job's learner has a fallback
        learner, the fallback is trained on the train set here and its
        predictions stand in for the missing ones (logged as a message).
    """
    task = job.task
    entry = LogEntry(stage=stage, cls="error", msg=msg)
    state = LearnerState(
        model=None,
        train_time=0.0,
        log=[entry],
        param_vals=job.learner.param_set.get_values(),
        class_names=list(task.class_names) if task.task_type == "classif" else None,
        task_type=task.task_type,
        train_task_id=task.id,
        target_name=task.target_names[0],
    )
    prediction = extra.get("prediction")
    if prediction is None:
        prediction = _fallback_prediction(job, state)
    if prediction is None:
        prediction = missing_prediction(job)
    return JobResult(
        prediction=prediction,
        state=state,
        log=list(state.log),
        train_time=0.0,
        predict_time=0.0,
        iteration=job.iteration,
        seed=job.seed,
        learner=None,
        experiment=job.experiment,
    )


def _fallback_prediction(job: Job, state: Any) -> Prediction | None:
    """The job's test-set prediction by its learner's fallback (None without one)."""
    fallback = getattr(job.learner, "fallback", None)
    if fallback is None:
        return None
    learner = fallback.clone().reset()
    learner.predict_type = job.learner.predict_type
    learner.train(job.task, job.resampling.train_set(job.iteration))
    prediction = learner.predict(job.task, job.resampling.test_set(job.iteration))
    n = len(prediction.row_ids)
    state.log.append(
        LogEntry("predict", "message", f"Imputed {n}/{n} predictions using fallback '{learner.id}'")
    )
    return prediction
