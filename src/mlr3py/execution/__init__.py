"""Execution of experiments: jobs, job results, seeding and the job runner."""

from mlr3py.execution._job import Job, JobResult
from mlr3py.execution._run import run_job, run_jobs
from mlr3py.execution._seeding import (
    instantiation_rng,
    make_root_seed,
    preserved_rng_state,
    seed_rngs,
    seeded,
    spawn_seeds,
)

__all__ = [
    "Job",
    "JobResult",
    "instantiation_rng",
    "make_root_seed",
    "preserved_rng_state",
    "run_job",
    "run_jobs",
    "seed_rngs",
    "seeded",
    "spawn_seeds",
]
