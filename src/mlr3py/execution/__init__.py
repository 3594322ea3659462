"""Execution of experiments: jobs, job results, seeding, the job runner, plans and threads."""

from mlr3py._rng import (
    instantiation_rng,
    job_random,
    job_random_state,
    local_streams,
    make_root_seed,
    preserved_rng_state,
    seed_rngs,
    seeded,
    spawn_seeds,
)
from mlr3py.execution._backends import shutdown_workers
from mlr3py.execution._chunking import map_items, map_jobs
from mlr3py.execution._failures import WorkerDied, failed_job_result
from mlr3py.execution._job import Job, JobResult
from mlr3py.execution._plans import PlanHandle, PlanSpec, current_plan, plan, tweak
from mlr3py.execution._run import run_job, run_jobs
from mlr3py.execution._threads import available_cores, set_threads

__all__ = [
    "Job",
    "JobResult",
    "PlanHandle",
    "PlanSpec",
    "WorkerDied",
    "available_cores",
    "current_plan",
    "failed_job_result",
    "instantiation_rng",
    "job_random",
    "job_random_state",
    "local_streams",
    "make_root_seed",
    "map_items",
    "map_jobs",
    "plan",
    "preserved_rng_state",
    "run_job",
    "run_jobs",
    "seed_rngs",
    "seeded",
    "set_threads",
    "shutdown_workers",
    "spawn_seeds",
    "tweak",
]
