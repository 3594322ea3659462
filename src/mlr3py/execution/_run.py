"""Running jobs: :func:`run_job` for one job, :func:`run_jobs` for many.

:func:`run_jobs` is the single seam where execution plans plug in: it maps
:func:`run_job` over the jobs and returns the results in job order.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Sequence

from mlr3py.execution._job import Job, JobResult
from mlr3py.execution._seeding import preserved_rng_state, seed_rngs
from mlr3py.log import logger

__all__ = ["run_job", "run_jobs"]


def run_job(job: Job) -> JobResult:
    """Train the job's learner on the train set and predict the test set.

    numpy's global generator, :mod:`random` and (where used) torch are seeded
    from ``job.seed`` first. The learner is trained in place: it is the job's
    own clone.

    Parameters
    ----------
    job : Job
        The job to run.

    Returns
    -------
    JobResult
        Prediction, learner state (model dropped unless ``job.store_models``),
        log and timings.
    """
    learner = job.learner
    resampling = job.resampling
    if logger.isEnabledFor(logging.DEBUG):
        logger.debug(
            "Applying learner '%s' on task '%s' (iteration %d/%d)",
            learner.id, job.task.id, job.iteration + 1, resampling.iters,
        )
    train_ids = resampling.train_set(job.iteration)
    test_ids = resampling.test_set(job.iteration)
    wants_torch = "torch" in (getattr(learner, "packages", None) or ())
    seed_rngs(job.seed, torch=wants_torch)
    start = time.perf_counter()
    learner.train(job.task, train_ids)
    middle = time.perf_counter()
    prediction = learner.predict(job.task, test_ids)
    end = time.perf_counter()
    state = learner.state
    train_time = _first_number(getattr(state, "train_time", None), middle - start)
    predict_time = _first_number(getattr(state, "predict_time", None), end - middle)
    if not job.store_models:
        state = dataclasses.replace(state, model=None)
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
    )


def run_jobs(jobs: Sequence[Job]) -> list[JobResult]:
    """Run jobs and return one result per job, in job order.

    This is the sequential plan; parallel plans replace the ``map`` here. The
    caller's random streams (numpy's global generator, :mod:`random`) are
    restored afterwards.

    Parameters
    ----------
    jobs : sequence of Job
        The jobs, in design order.

    Returns
    -------
    list of JobResult
    """
    with preserved_rng_state():
        return list(map(run_job, jobs))


def _first_number(value: object, fallback: float) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return float(fallback)
