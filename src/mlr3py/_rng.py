"""Reproducible random streams: one root seed, one child seed per job.

Every job gets a :class:`numpy.random.SeedSequence` child spawned, in design
order, from a single root seed (the ``seed=`` argument of ``resample()`` /
``benchmark()``, or an integer drawn from numpy's global generator). The job
seeds numpy's global generator, :mod:`random` and, where used, torch from its
child before it trains, so the same root seed gives the same results whatever
plan, worker count, chunk size or execution order runs the jobs.
"""

from __future__ import annotations

import contextlib
import importlib.util
import random
import sys
import threading
from collections.abc import Iterator
from typing import Any

import numpy as np

from mlr3py.errors import ConfigError

__all__ = [
    "JobSeed",
    "instantiation_rng",
    "job_random",
    "job_random_state",
    "local_streams",
    "make_root_seed",
    "preserved_rng_state",
    "seed_rngs",
    "seeded",
    "spawn_seeds",
]

JobSeed = int | np.random.SeedSequence
"""What a job carries as its seed: a plain int or a SeedSequence child."""

_MAX_SEED = 2**63 - 1
# Spawn-key branch for resampling instantiation; job children have keys of
# length one, (0,), (1,), ..., so a key of length two never collides with them.
_INSTANTIATION_BRANCH = 2**32


def make_root_seed(seed: int | None = None) -> int:
    """Return the root seed of an experiment.

    Parameters
    ----------
    seed : int or None
        A non-negative integer, or None to draw one from numpy's global
        generator (so ``np.random.seed(...)`` beforehand makes the run
        reproducible).

    Returns
    -------
    int
        The root seed.
    """
    if seed is None:
        return int(job_random_state().randint(0, _MAX_SEED, dtype=np.int64))
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise ConfigError(
            f"The 'seed' argument must be a non-negative int or None. Got {seed!r} instead."
        )
    return int(seed)


def spawn_seeds(root: int, n: int) -> list[np.random.SeedSequence]:
    """Spawn ``n`` independent job seeds from ``root``, in order.

    Parameters
    ----------
    root : int
        The root seed (see :func:`make_root_seed`).
    n : int
        Number of jobs.

    Returns
    -------
    list of numpy.random.SeedSequence
        ``SeedSequence(root).spawn(n)``: child ``i`` belongs to job ``i`` in
        design order.
    """
    return np.random.SeedSequence(root).spawn(n)


def instantiation_rng(root: int, k: int) -> np.random.Generator:
    """A generator for instantiating the ``k``-th un-instantiated resampling.

    It comes from a branch of ``root`` that is independent of the job seeds, so
    the job seeds do not depend on how many resamplings were instantiated.

    Parameters
    ----------
    root : int
        The root seed.
    k : int
        Index of the resampling among those instantiated for this run.

    Returns
    -------
    numpy.random.Generator
    """
    return np.random.default_rng(
        np.random.SeedSequence(root, spawn_key=(_INSTANTIATION_BRANCH, k))
    )


def _state_words(seed: JobSeed) -> np.ndarray:
    if isinstance(seed, np.random.SeedSequence):
        return seed.generate_state(4, np.uint32)
    return np.random.SeedSequence(int(seed)).generate_state(4, np.uint32)


# -- job-local random streams ---------------------------------------------------------------
# numpy's legacy global generator (``np.random.*``) and :mod:`random`'s global instance are
# shared by all threads of a process: jobs running side by side in threads would reseed and
# draw from one stream in an order that depends on thread scheduling. A thread that runs jobs
# therefore gets streams of its own (``local_streams()``); ``seed_rngs()`` seeds them with the
# same state words it gives the global generators, and learners draw through
# ``job_random_state()`` / ``job_random()``, which return the thread's own streams when it has
# them and the global ones otherwise. Identical seeds give identical numbers either way, so a
# job draws the same values in the main thread, a worker thread, a worker process or a dask
# worker.
_local = threading.local()


def job_random_state() -> np.random.RandomState:
    """The numpy generator a learner should draw from while a job runs.

    The calling thread's own :class:`numpy.random.RandomState` inside
    :func:`local_streams` (worker threads of parallel plans), else numpy's
    global generator (what ``np.random.randint`` & co. use). Both are seeded
    identically by :func:`seed_rngs`, so results do not depend on the plan.

    Returns
    -------
    numpy.random.RandomState
    """
    state = getattr(_local, "numpy", None)
    return state if state is not None else np.random.mtrand._rand


def job_random() -> random.Random:
    """The :mod:`random` generator a learner should draw from (see :func:`job_random_state`).

    Returns
    -------
    random.Random
    """
    state = getattr(_local, "random", None)
    return state if state is not None else random._inst  # type: ignore[attr-defined]


@contextlib.contextmanager
def local_streams() -> Iterator[None]:
    """Give the calling thread its own numpy and :mod:`random` streams for the block.

    Re-entrant: an inner block keeps the streams of the outer one.
    """
    if getattr(_local, "numpy", None) is not None:
        yield
        return
    _local.numpy = np.random.RandomState()
    _local.random = random.Random()
    try:
        yield
    finally:
        _local.numpy = None
        _local.random = None


def seed_rngs(seed: JobSeed, *, torch: bool = False) -> None:
    """Seed numpy's global generator, :mod:`random` and torch from a job seed.

    Inside :func:`local_streams` the thread's own streams are seeded too, with
    the same state words.

    torch is seeded when it is already imported, or when ``torch=True`` and it
    is installed; it is never imported when absent.

    Parameters
    ----------
    seed : int or numpy.random.SeedSequence
        The job seed.
    torch : bool
        Import (if installed) and seed torch even when it is not imported yet.
    """
    words = _state_words(seed)
    py_seed = int.from_bytes(words.tobytes(), "little")
    np.random.seed(words)  # noqa: NPY002 -- the global generator is the point
    random.seed(py_seed)
    local_np = getattr(_local, "numpy", None)
    if local_np is not None:
        local_np.seed(words)
        _local.random.seed(py_seed)
    torch_module: Any = sys.modules.get("torch")
    if torch_module is None and torch and importlib.util.find_spec("torch") is not None:
        import torch as torch_module
    if torch_module is not None:
        torch_module.manual_seed(int(words[0]) | (int(words[1]) << 32))


@contextlib.contextmanager
def preserved_rng_state() -> Iterator[None]:
    """Restore numpy's global generator and :mod:`random` after the block.

    Used around a whole run of jobs (saving and restoring costs far more than
    seeding, so it is not done per job): the jobs reseed the generators, the
    caller's random streams continue as if the jobs had not run.
    """
    np_state = np.random.get_state()  # noqa: NPY002
    py_state = random.getstate()
    local_np = getattr(_local, "numpy", None)
    local_states = None
    if local_np is not None:
        local_states = (local_np.get_state(), _local.random.getstate())
    try:
        yield
    finally:
        np.random.set_state(np_state)  # noqa: NPY002
        random.setstate(py_state)
        if local_states is not None and _local.numpy is local_np:
            local_np.set_state(local_states[0])
            _local.random.setstate(local_states[1])


@contextlib.contextmanager
def seeded(seed: JobSeed, *, torch: bool = False) -> Iterator[None]:
    """Run a block with the random generators seeded from ``seed``, then restore them.

    Parameters
    ----------
    seed : int or numpy.random.SeedSequence
        The job seed.
    torch : bool
        Passed to :func:`seed_rngs`.
    """
    with preserved_rng_state():
        seed_rngs(seed, torch=torch)
        yield
