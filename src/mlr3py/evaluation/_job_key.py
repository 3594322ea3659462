"""Job keys: a hash that names a job by what it computes.

A job is identified by its task (id, columns and their roles, rows, and the content
hash of its data backend), its learner (class, id, predict type, parameter values,
encapsulation, timeout and fallback), its resampling instance's train and test sets
for the iteration, the iteration and its seed. A result store keeps results under
these keys, so a run of the same design finds its finished jobs, and a changed design
is noticed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from mlr3py.learners._weights import default_use_weights
from mlr3py.predictions._predict_sets import DEFAULT_PREDICT_SETS

if TYPE_CHECKING:
    from mlr3py._rng import JobSeed
    from mlr3py.learners import Learner
    from mlr3py.measures import Measure
    from mlr3py.resamplings import Resampling
    from mlr3py.tasks import Task

__all__ = ["experiment_digest", "job_key", "learner_text", "measure_text", "stable_text"]


def stable_text(value: Any, depth: int = 0) -> str:
    """A text for ``value`` that is the same in every process (no memory addresses).

    Parameters
    ----------
    value : object
        Parameter values and the like: scalars, strings, containers, arrays, and
        objects (described by their class and attributes).
    depth : int
        Nesting depth (objects deeper than 6 levels are named by their class only).

    Returns
    -------
    str
    """
    if value is None or isinstance(value, bool | int | float | str | bytes | complex):
        return repr(value)
    if isinstance(value, np.generic):
        return repr(value.item())
    if isinstance(value, np.ndarray):
        return f"array{value.shape}{value.dtype}:{_digest(value.tobytes())}"
    name = f"{type(value).__module__}.{type(value).__qualname__}"
    if depth > 6:
        return name
    if isinstance(value, Mapping):
        items = sorted((stable_text(k, depth + 1), stable_text(v, depth + 1))
                       for k, v in value.items())
        return "{" + ", ".join(f"{k}: {v}" for k, v in items) + "}"
    if isinstance(value, list | tuple | set | frozenset):
        parts = [stable_text(v, depth + 1) for v in value]
        if isinstance(value, set | frozenset):
            parts.sort()
        return f"{type(value).__name__}[" + ", ".join(parts) + "]"
    qualname = getattr(value, "__qualname__", None)
    if qualname is not None and (isinstance(value, type) or not hasattr(value, "__dict__")
                                 or hasattr(value, "__code__")):  # functions, classes
        return f"{getattr(value, '__module__', None)}.{qualname}"
    if hasattr(value, "__dict__"):
        return f"{name}({stable_text(vars(value), depth + 1)})"
    return name


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _task_text(task: Task) -> str:
    data_hash = task.backend.hash  # cached by the backend, which is read-only
    roles = {role: task.col_roles[role] for role in task.col_roles}
    return (f"task {task.id} {task.task_type} roles {stable_text(roles)} rows "
            f"{stable_text(np.asarray(task.row_ids))} data {data_hash}")


def learner_text(learner: Learner) -> str:
    """A text for what decides a learner's results: class, id, predict type, parameter
    values, encapsulation, fallback and its :meth:`~mlr3py.learners.Learner._design`
    (the same in every process)."""
    fallback = getattr(learner, "fallback", None)
    text = (
        f"learner {type(learner).__module__}."
        f"{type(learner).__qualname__} {learner.id} {learner.predict_type} "
        f"params {stable_text(dict(learner.param_set.values))} "
        f"encapsulation {stable_text(getattr(learner, 'encapsulation', None))} "
        f"timeout {stable_text(getattr(learner, 'timeout', None))} "
        f"fallback {None if fallback is None else learner_text(fallback)}"
    )
    # fields that change results only when set away from their default, so that the keys
    # of learners at their defaults stay as they were before these fields existed
    use_weights = getattr(learner, "use_weights", None)
    if use_weights is not None and use_weights != default_use_weights(learner.properties):
        text += f" use_weights {use_weights}"
    predict_sets = tuple(getattr(learner, "predict_sets", DEFAULT_PREDICT_SETS))
    if predict_sets != DEFAULT_PREDICT_SETS:
        text += f" predict_sets {stable_text(list(predict_sets))}"
    design = learner._design()
    return text if design is None else f"{text} design {stable_text(design)}"


def experiment_digest(task: Task, learner: Learner, resampling: Resampling,
                      store_models: bool, measures: Sequence[Measure] | None = None) -> str:
    """The hash of an experiment's task, learner and resampling strategy.

    Parameters
    ----------
    task, learner, resampling
        The experiment (the resampling instantiated).
    store_models : bool
        Whether models are kept (a result without a model cannot stand in for one with).
    measures : sequence of Measure, optional
        The measures whose scores the jobs keep instead of their predictions (a result
        without predictions cannot stand in for one with, nor for other scores).

    Returns
    -------
    str
    """
    text = (f"{_task_text(task)}\n{learner_text(learner)}\nresampling {resampling.id} "
            f"{type(resampling).__qualname__}\nstore_models {store_models}")
    if measures is not None:
        text += "\nscores " + "\n".join(measure_text(m) for m in measures)
    return _digest(text.encode())


def measure_text(measure: Measure) -> str:
    """What decides a measure's scores (its class and settings), as text that is the same
    in every process."""
    return f"measure {type(measure).__module__}.{type(measure).__qualname__} " + stable_text(
        measure
    )


def job_key(experiment: str, resampling: Resampling, iteration: int, seed: JobSeed) -> str:
    """The key of one job: its experiment's digest, split, iteration and seed.

    Parameters
    ----------
    experiment : str
        :func:`experiment_digest` of the job's experiment.
    resampling : Resampling
        The instantiated resampling.
    iteration : int
        The resampling iteration.
    seed : int or numpy.random.SeedSequence
        The job's seed.

    Returns
    -------
    str
        32 hexadecimal digits.
    """
    if isinstance(seed, np.random.SeedSequence):
        seed_text = f"{seed.entropy}/{tuple(seed.spawn_key)}/{seed.pool_size}"
    else:
        seed_text = str(int(seed))
    train = np.ascontiguousarray(resampling.train_set(iteration))
    test = np.ascontiguousarray(resampling.test_set(iteration))
    hasher = hashlib.blake2b(digest_size=16)
    for part in (experiment.encode(), train.tobytes(), b"|", test.tobytes(),
                 f"|{iteration}|{seed_text}".encode()):
        hasher.update(part)
    return hasher.hexdigest()
