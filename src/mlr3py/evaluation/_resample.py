"""resample(): evaluate one learner on one task with one resampling strategy.

Also holds the engine shared with benchmark(): experiments (task, learner,
resampling) are flattened into jobs, each with its own seed spawned from one root
seed, run through :func:`mlr3py.evaluation._worker.run_jobs`, and regrouped into
:class:`ResampleResult` objects.
"""

from __future__ import annotations

import time
from typing import Any

from mlr3py._rng import instantiation_rng, make_root_seed, spawn_seeds
from mlr3py.encapsulation import check_method
from mlr3py.errors import ConfigError
from mlr3py.evaluation._job import Experiment, Job, JobResult
from mlr3py.evaluation._job_key import experiment_digest, job_key
from mlr3py.evaluation._job_scores import check_scored_measures
from mlr3py.evaluation._resample_result import ResampleResult
from mlr3py.evaluation._sink import JobStore, RunSpec, open_job_store
from mlr3py.evaluation._worker import FINISHED_ATTR, run_jobs
from mlr3py.learners import Learner, coerce_learner
from mlr3py.log import logger
from mlr3py.measures import MeasuresArg, resolve_measures
from mlr3py.resamplings import Resampling
from mlr3py.tasks import Task, TaskSupervised

__all__ = ["resample"]


def check_task(x: Any, what: str = "task") -> Task:
    """Return ``x`` if it is a Task, else raise a ConfigError naming it."""
    if not isinstance(x, Task):
        raise ConfigError(
            f"The '{what}' argument must be a Task (e.g. tsk('sonar')). "
            f"Got {_describe(x)} instead."
        )
    return x


def check_learner(x: Any, task: Task | None = None, what: str = "learner") -> Learner:
    """``x`` as a Learner fitting ``task``'s type, else raise a ConfigError.

    A graph of pipeline operators or a scikit-learn estimator becomes a learner first
    (mlr3's ``as_learner()``; :func:`mlr3py.learners.coerce_learner`).
    """
    x = coerce_learner(x)
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
    store: Any = None,
    kind: str = "benchmark",
    scores_only: MeasuresArg | bool = False,
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
        The root seed; None draws one from numpy's global generator (or takes the one
        recorded in ``store``).
    encapsulate : str, optional
        Encapsulation method for every learner of this call, overriding their own
        (``"none"``, ``"try"``, ``"evaluate"``, ``"process"`` / ``"callr"``); the
        learners passed in are not changed.
    store : str, os.PathLike or JobStore, optional
        Keep every finished job in this result store, and run only the jobs it does
        not hold yet.
    kind : str
        What the store records the run as: ``"resample"`` or ``"benchmark"``.
    scores_only : Measure, str, list of those, None or False
        False keeps the predictions. Otherwise each job scores its predictions with
        these measures (None: the task type's default) and keeps the scores instead
        (``store_predictions=False``).

    Returns
    -------
    list of ResampleResult
        In experiment order.
    """
    sink = None if store is None else open_job_store(store)
    if sink is not None and seed is None and not sink.is_open:
        seed = sink.recorded_seed()
    root = make_root_seed(seed)
    prepared = _prepare(experiments, root, encapsulate)
    if scores_only is not False:
        set_measures(prepared, None if scores_only is True else scores_only)
    jobs = _make_jobs(prepared, root, store_models)
    try:
        results = _run(prepared, jobs, sink, kind, root, store_models)
    except Exception as exc:
        finished = getattr(exc, FINISHED_ATTR, None)
        if finished is None:
            raise
        delattr(exc, FINISHED_ATTR)
        setattr(exc, PARTIAL_ATTR, group_results(prepared, finished, store_models))
        raise
    return group_results(prepared, results, store_models)


PARTIAL_ATTR = "partial_result"
"""The attribute of an error raised by a job that holds the results of the jobs that finished."""


def _run(prepared: list[Experiment], jobs: list[Job], sink: JobStore | None, kind: str,
         root: int, store_models: bool) -> list[JobResult]:
    if sink is None:
        return run_jobs(jobs)
    digests = [experiment_digest(e.task, e.learner, e.resampling, store_models, e.measures)
               for e in prepared]
    for job in jobs:
        job.key = job_key(digests[job.experiment], job.resampling, job.iteration, job.seed)
    spec = RunSpec(kind, prepared, jobs, root, store_models)
    opened_here = not sink.is_open
    if opened_here:
        sink.open_run(kind, run_fingerprint(jobs), spec)
    try:
        return run_stored(jobs, sink)
    finally:
        if opened_here:
            sink.close()


def run_fingerprint(jobs: list[Job]) -> str:
    """The hash of a run: of its job keys, in design order."""
    import hashlib

    return hashlib.blake2b("\n".join(j.key for j in jobs).encode(), digest_size=16).hexdigest()


def run_stored(jobs: list[Job], sink: JobStore, retry_errors: bool = False) -> list[JobResult]:
    """Run the jobs that ``sink`` does not hold yet, writing each as it finishes; return
    the results of all jobs, in job order (those done before read from the store)."""
    done = sink.begin_jobs(jobs, retry_errors=retry_errors)
    pending = [job for job in jobs if job.key not in done]
    logger.info("The store holds %d of %d jobs; running %d", len(jobs) - len(pending),
                len(jobs), len(pending))
    try:
        ran = run_jobs(pending, sink.writer()) if pending else []
    except Exception as exc:
        finished = getattr(exc, FINISHED_ATTR, None)
        if finished is not None:  # the partial result includes the jobs done before
            kept = sink.load_results([job.key for job in jobs if job.key in done])
            setattr(exc, FINISHED_ATTR, sorted([*kept.values(), *finished],
                                               key=lambda r: (r.experiment, r.iteration)))
        raise
    fresh = dict(zip((j.key for j in pending), ran, strict=True))
    kept = sink.load_results([job.key for job in jobs if job.key not in fresh])
    return [fresh[job.key] if job.key in fresh else kept[job.key] for job in jobs]


def _prepare(experiments: list[tuple[Task, Learner, Resampling]], root: int,
             encapsulate: str | None, clone_learners: bool = True) -> list[Experiment]:
    """The experiments with their tasks and resamplings cloned (once each), the
    resamplings instantiated, and each learner an untrained clone (``clone_learners=False``:
    the learners themselves, where the caller owns them and they are untrained)."""
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
        clone = _untrained_clone(learner) if clone_learners or learner.state is not None \
            else learner
        if encapsulate is not None:
            clone.encapsulation = encapsulate
        prepared.append(Experiment(task_clone, clone, instance))
    return prepared


def check_scores_only(store_predictions: Any, measures: MeasuresArg,
                      who: str) -> MeasuresArg | bool:
    """``run_experiments()``'s ``scores_only`` from ``store_predictions`` and ``measures``.

    Raises
    ------
    ConfigError
        ``store_predictions`` is not a bool, or ``measures`` come with predictions kept
        (they are scored afterwards: ``rr.score(measures)``).
    """
    if not isinstance(store_predictions, bool):
        raise ConfigError(f"The 'store_predictions' argument of {who} must be a bool. "
                          f"Got {store_predictions!r} instead.")
    if store_predictions:
        if measures is not None:
            raise ConfigError(
                f"{who} takes 'measures' only with store_predictions=False (the scores kept "
                "instead of the predictions). With the predictions kept, score them "
                "afterwards: rr.score(measures) / rr.aggregate(measures)."
            )
        return False
    return True if measures is None else measures


def set_measures(prepared: list[Experiment], measures: MeasuresArg) -> None:
    """Give each experiment the measures its jobs score instead of keeping predictions."""
    for exp in prepared:
        resolved = resolve_measures(measures, exp.task.task_type, f"Task '{exp.task.id}'")
        check_scored_measures(resolved, exp.learner, exp.task)
        # copies: a measure the caller changes afterwards is not the one that scored
        exp.measures = tuple(m.clone() for m in resolved)


def _make_jobs(prepared: list[Experiment], root: int, store_models: bool) -> list[Job]:
    n_jobs = sum(_iters(exp.resampling) for exp in prepared)
    seeds = iter(spawn_seeds(root, n_jobs))
    return [
        Job(
            task=exp.task,
            learner=exp.learner,
            resampling=exp.resampling,
            iteration=i,
            seed=next(seeds),
            store_models=store_models,
            experiment=e,
            measures=exp.measures,
        )
        for e, exp in enumerate(prepared)
        for i in range(_iters(exp.resampling))
    ]


def group_results(prepared: list[Experiment], results: list[JobResult],
                  store_models: bool, keep_empty: bool = True) -> list[ResampleResult]:
    """One ResampleResult per experiment from job results (in job order)."""
    grouped: list[list[Any]] = [[] for _ in prepared]
    for result in results:
        grouped[result.experiment].append(result)
    return [
        ResampleResult(exp.task, exp.learner, exp.resampling, res, store_models=store_models,
                       kept_measures=exp.measures)
        for exp, res in zip(prepared, grouped, strict=True)
        if res or keep_empty
    ]


def resample(
    task: Task,
    learner: Learner,
    resampling: Resampling,
    store_models: bool = False,
    seed: int | None = None,
    encapsulate: str | None = None,
    store: Any = None,
    *,
    store_predictions: bool = True,
    measures: MeasuresArg = None,
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
    store : str, os.PathLike or JobStore, optional
        A result store directory: every finished job is written to it at once (from
        the workers, under parallel plans), and a run on an existing store of the same
        design runs only the jobs it does not hold (see :func:`mlr3py.open_store`). With
        ``seed=None`` an existing store's root seed is used.
    store_predictions : bool
        Keep each iteration's predictions (the default, as mlr3). False scores them
        with ``measures`` where the iteration runs and keeps only the scores (as
        scikit-learn's ``cross_validate`` does): for large test sets, whose predictions
        would otherwise all be held at once. The result then scores and aggregates
        with these measures and with those that need no prediction (``time_train``).
    measures : Measure, str, list of those, or None
        With ``store_predictions=False``: the measures to keep (None: the task type's
        default, ``classif.ce`` / ``regr.mse``). Each must average per iteration (not
        ``average="micro"``).

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
    learner = check_learner(learner, task)
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
    scores_only = check_scores_only(store_predictions, measures, "resample()")
    try:
        (result,) = run_experiments(
            [(task, learner, resampling)], store_models, seed, encapsulate, store, "resample",
            scores_only,
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
