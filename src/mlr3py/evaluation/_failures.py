"""Jobs lost with a dead worker: :func:`failed_job_result`.

When a worker process dies (a segfault in a learner that is not encapsulated in a
process of its own, the out-of-memory killer, ``kill -9``), the plans replace the
worker and report each job it held as a
:class:`~mlr3py.execution._deaths.WorkerDied`; :func:`~mlr3py.evaluation._worker.run_jobs`
records it as a failed :class:`JobResult`, built here: an error log entry
(stage ``"predict"`` when the job had reached its prediction, else ``"train"``)
and the state and prediction of
:func:`~mlr3py.learners.fallback_for_failure`, the learners' one fallback path,
so a job whose learner has a fallback gets the fallback's predictions, and one
without gets missing ones (NaN scores; ``ResampleResult.errors`` lists it).
"""

from __future__ import annotations

from mlr3py._rng import preserved_rng_state, seed_rngs
from mlr3py.encapsulation import LogEntry
from mlr3py.evaluation._job import Job, JobResult
from mlr3py.evaluation._job_scores import score_job
from mlr3py.evaluation._job_steps import predicts_test
from mlr3py.learners import fallback_for_failure

__all__ = ["failed_job_result"]


def failed_job_result(job: Job, msg: str, *, stage: str = "train") -> JobResult:
    """The result of a job that could not run to the end (e.g. its worker died).

    Parameters
    ----------
    job : Job
        The job.
    msg : str
        The error message, e.g. ``"worker process died (signal SIGSEGV)"``.
    stage : str
        ``"train"`` or ``"predict"``.

    The fallback draws from the random streams seeded with the job's seed, as the job
    would have where it ran (a featureless fallback breaks ties at random), so the
    same seed gives the same result; the caller's streams are left as they were.

    Returns
    -------
    JobResult
        Log ``[LogEntry(stage, "error", msg)]`` (plus the fallback's imputation
        message), an untrained state, and the fallback's test-set prediction or
        one with missing responses (None when the learner's ``predict_sets`` lack
        ``"test"``); a job that keeps scores instead (``store_predictions=False``)
        gets their scores.
    """
    with preserved_rng_state():  # the job's streams, as where it ran; the caller's after
        seed_rngs(job.seed)
        state, fallback_prediction = fallback_for_failure(
            job.learner,
            job.task,
            job.resampling.train_set(job.iteration),
            job.resampling.test_set(job.iteration),
            LogEntry(stage=stage, cls="error", msg=msg),
        )
    prediction = fallback_prediction if predicts_test(job.learner) else None
    scores = None
    if job.measures is not None:  # store_predictions=False: the fallback's scores
        host = job.learner.clone()
        host.state = state
        scores = score_job(job, host, prediction, None)
        prediction = None
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
        scores=scores,
    )
