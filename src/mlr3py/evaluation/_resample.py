"""resample(): evaluate one learner on one task with one resampling strategy.

Also holds the engine shared with benchmark(): experiments (task, learner,
resampling) are flattened into jobs, each with its own seed spawned from one root
seed, run through :func:`mlr3py.evaluation._worker.run_jobs`, and regrouped into
:class:`ResampleResult` objects.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from mlr3py._rng import instantiation_rng, make_root_seed, spawn_seeds
from mlr3py.encapsulation import check_method
from mlr3py.errors import ConfigError
from mlr3py.evaluation._job import Job
from mlr3py.evaluation._resample_result import ResampleResult
from mlr3py.evaluation._worker import FINISHED_ATTR, run_jobs
from mlr3py.learners import Learner
from mlr3py.log import logger
from mlr3py.resamplings import Resampling
from mlr3py.tasks import Task, TaskSupervised

__all__ = ["resample"]


@dataclass
class Experiment:
    """One design row, validated: task, learner and an instantiated resampling."""

    task: TaskSupervised
    learner: Learner
    resampling: Resampling


def check_task(x: Any, what: str = "task") -> Task:
    """Return ``x`` if it is a Task, else raise a ConfigError naming it."""
    if not isinstance(x, Task):
        raise ConfigError(
            f"The '{what}' argument must be a Task (e.g. tsk('sonar')). "
            f"Got {_describe(x)} instead."
        )
    return x


def check_learner(x: Any, task: Task | None = None, what: str = "learner") -> Learner:
    """Return ``x`` if it is a Learner fitting ``task``'s type, else raise a ConfigError."""
    if not isinstance(x, Learner):
        raise ConfigError(
            f"The '{what}' argument must be a Learner (e.g. lrn('classif.rpart')). "
            f"Got {_describe(x)} instead."
        )
    if task is not None and x.task_type != task.task_type:
        raise ConfigError(
            f"Learner '{x.id}' has task type '{x.task_type}' but Task '{task.id}' has task "
            f"type '{task.task_type}'. Use a '{task.task_type}' learner for this task."
        )
    return x


def check_resampling(x: Any, what: str = "resampling") -> Resampling:
    """Return ``x`` if it is a Resampling, else raise a ConfigError naming it."""
    if not isinstance(x, Resampling):
        raise ConfigError(
            f"The '{what}' argument must be a Resampling (e.g. rsmp('cv', folds=3)). "
            f"Got {_describe(x)} instead."
        )
    return x


def check_instance_fits(resampling: Resampling, task: Task) -> None:
    """Raise a ConfigError if ``resampling`` was instantiated on other rows than ``task``'s."""
    if not resampling.matches_task(task):
        raise ConfigError(
            f"Resampling '{resampling.id}' is instantiated on a task with other rows than "
            f"Task '{task.id}'. Instantiate it on this task, or pass an un-instantiated "
            "resampling."
        )


def _describe(x: Any) -> str:
    text = repr(x)
    if len(text) > 60 or "\n" in text:
        text = f"<{type(x).__name__} object>"
    return f"{text} (of type {type(x).__name__})"


def _untrained_clone(learner: Learner) -> Learner:
    clone = learner.clone()
    if clone.state is not None:
        clone.reset()
    return clone


def run_experiments(
    experiments: list[tuple[Task, Learner, Resampling]],
    store_models: bool,
    seed: int | None,
    encapsulate: str | None = None,
) -> list[ResampleResult]:
    """Run validated experiments and return one ResampleResult per experiment.

    Tasks are cloned once each (not per job); resamplings are cloned once each and
    instantiated on their task if needed, with a generator derived from the root
    seed, so one resampling object shared by several learners of a task keeps one
    instance for all of them (paired comparisons). Learners are cloned once per
    experiment; each job trains its own clone of it where it runs (in the worker under
    parallel plans, where the experiment's learner travels once, as the task does).

    Parameters
    ----------
    experiments : list of (Task, Learner, Resampling)
        Already type-checked.
    store_models : bool
        Keep the trained learners in the results.
    seed : int or None
        The root seed; None draws one from numpy's global generator.
    encapsulate : str, optional
        Encapsulation method for every learner of this call, overriding their own
        (``"none"``, ``"try"``, ``"evaluate"``, ``"process"`` / ``"callr"``); the
        learners passed in are not changed.

    Returns
    -------
    list of ResampleResult
        In experiment order.
    """
    root = make_root_seed(seed)
    tasks: dict[int, TaskSupervised] = {}
    instances: dict[tuple[int, int], Resampling] = {}
    prepared: list[Experiment] = []
    for task, learner, resampling in experiments:
        assert isinstance(task, TaskSupervised), "check_learner() matched its type to a learner's"
        task_clone = tasks.get(id(task))
        if task_clone is None:
            task_clone = tasks[id(task)] = task.clone()
        key = (id(task), id(resampling))
        instance = instances.get(key)
        if instance is None:
            if resampling.is_instantiated:
                check_instance_fits(resampling, task)
                instance = resampling.clone()
            else:
                instance = resampling.clone().instantiate(
                    task_clone, seed=instantiation_rng(root, len(instances))
                )
            instances[key] = instance
        clone = _untrained_clone(learner)
        if encapsulate is not None:
            clone.encapsulation = encapsulate
        prepared.append(Experiment(task_clone, clone, instance))

    n_jobs = sum(_iters(exp.resampling) for exp in prepared)
    seeds = iter(spawn_seeds(root, n_jobs))
    jobs = [
        Job(
            task=exp.task,
            learner=exp.learner,
            resampling=exp.resampling,
            iteration=i,
            seed=next(seeds),
            store_models=store_models,
            experiment=e,
        )
        for e, exp in enumerate(prepared)
        for i in range(_iters(exp.resampling))
    ]

    try:
        results = run_jobs(jobs)
    except Exception as exc:
        finished = getattr(exc, FINISHED_ATTR, None)
        if finished is None:
            raise
        delattr(exc, FINISHED_ATTR)
        setattr(exc, PARTIAL_ATTR, _grouped(prepared, finished, store_models))
        raise
    return _grouped(prepared, results, store_models)


PARTIAL_ATTR = "partial_result"
"""The attribute of an error raised by a job that holds the results of the jobs that finished."""


def _grouped(prepared: list[Experiment], results: list[Any],
             store_models: bool) -> list[ResampleResult]:
    grouped: list[list[Any]] = [[] for _ in prepared]
    for result in results:
        grouped[result.experiment].append(result)
    return [
        ResampleResult(exp.task, exp.learner, exp.resampling, res, store_models=store_models)
        for exp, res in zip(prepared, grouped, strict=True)
    ]


def resample(
    task: Task,
    learner: Learner,
    resampling: Resampling,
    store_models: bool = False,
    seed: int | None = None,
    encapsulate: str | None = None,
) -> ResampleResult:
    """Resample a learner on a task (mlr3's ``resample()``).

    Parameters
    ----------
    task : Task
        The task. It is cloned once; the data are not copied.
    learner : Learner
        The learner; each iteration trains its own clone.
    resampling : Resampling
        The resampling strategy. An un-instantiated one is instantiated on a clone,
        with a generator derived from the root seed.
    store_models : bool
        Keep the trained learners (``ResampleResult.learners``).
    seed : int or None
        Root seed of the run; each iteration gets a child seed. The same seed gives
        identical results. None draws the root seed from numpy's global generator.
    encapsulate : str, optional
        Encapsulation method for every learner of this call, overriding their own
        (``"none"``, ``"try"``, ``"evaluate"``, ``"process"`` / ``"callr"``); the
        learners passed in are not changed.

    Returns
    -------
    ResampleResult

    Raises
    ------
    Exception
        An error a learner without encapsulation (``"none"``) raised: every
        iteration runs first, then the first error (in iteration order) is raised,
        its attribute ``partial_result`` the ResampleResult of the iterations that
        finished.

    Examples
    --------
    >>> rr = resample(tsk("sonar"), lrn("classif.rpart"), rsmp("cv", folds=3), seed=1)
    >>> rr.aggregate(msr("classif.ce"))
    """
    check_task(task)
    check_learner(learner, task)
    check_resampling(resampling)
    if not isinstance(store_models, bool):
        raise ConfigError(
            f"The 'store_models' argument must be a bool. Got {store_models!r} instead."
        )
    logger.info(
        "Running resample: learner '%s' on task '%s' with resampling '%s'",
        learner.id, task.id, resampling.id,
    )
    start = time.perf_counter()
    if encapsulate is not None:
        encapsulate = check_method(encapsulate, "resample()")
    try:
        (result,) = run_experiments(
            [(task, learner, resampling)], store_models, seed, encapsulate
        )
    except Exception as exc:
        partial = getattr(exc, PARTIAL_ATTR, None)
        if isinstance(partial, list):
            setattr(exc, PARTIAL_ATTR, partial[0])
        raise
    logger.info(
        "Finished resample: %d iterations of learner '%s' on task '%s' in %.3f s",
        result.iters, learner.id, task.id, time.perf_counter() - start,
    )
    return result


def _iters(resampling: Resampling) -> int:
    iters = resampling.iters
    assert iters is not None, "the resampling was instantiated above"
    return iters
