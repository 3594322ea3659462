"""``ti()`` and ``tune()``: build a tuning instance and optimize it (mlr3tuning's sugar)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mlr3py.errors import ConfigError
from mlr3py.evaluation._sink import open_job_store
from mlr3py.learners import Learner
from mlr3py.params import ParamSet
from mlr3py.resamplings import Resampling
from mlr3py.tasks import Task
from mlr3py.tuning._instance import TuningInstance
from mlr3py.tuning._stored import TuningSpec, tuning_fingerprint
from mlr3py.tuning._terminator import Terminator
from mlr3py.tuning._tuner import Tuner, mlr_tuners
from mlr3py.tuning.terminators import (
    TerminatorCombo,
    TerminatorEvals,
    TerminatorNone,
    TerminatorRunTime,
)

__all__ = ["TuningRun", "make_terminator", "optimize_stored", "prepare_tune", "ti", "tune"]


def make_terminator(
    term_evals: int | None = None,
    term_time: float | None = None,
    terminator: Terminator | None = None,
) -> Terminator:
    """The terminator of ``tune()``'s shortcuts.

    ``term_evals`` gives an ``evals`` terminator, ``term_time`` (seconds) a
    ``run_time`` one, both a ``combo`` that stops when either fires, neither a
    ``none`` terminator; or pass ``terminator`` itself (then not the shortcuts).
    """
    for name, value in (("term_evals", term_evals), ("term_time", term_time)):
        if isinstance(value, Terminator):
            raise ConfigError(
                f"The '{name}' argument takes a number; got the Terminator {value!r}. Pass a "
                f"terminator by name: terminator={value!r} (mlr3tuning's ti() takes it as "
                "the fifth argument; here the fifth argument is term_evals)."
            )
    if terminator is not None:
        if term_evals is not None or term_time is not None:
            raise ConfigError("Pass either terminator= or term_evals= / term_time=, not both.")
        if not isinstance(terminator, Terminator):
            raise ConfigError(f"The 'terminator' argument must be a Terminator, e.g. "
                              f"trm('evals', n_evals=20). Got {terminator!r} instead.")
        return terminator
    members: list[Terminator] = []
    if term_evals is not None:
        evals = TerminatorEvals()
        evals.param_set.set_values(n_evals=term_evals)
        members.append(evals)
    if term_time is not None:
        run_time = TerminatorRunTime()
        is_int = isinstance(term_time, int) and not isinstance(term_time, bool)
        run_time.param_set.set_values(secs=float(term_time) if is_int else term_time)
        members.append(run_time)
    if not members:
        return TerminatorNone()
    if len(members) == 1:
        return members[0]
    return TerminatorCombo(members)


def ti(
    task: Task,
    learner: Learner,
    resampling: Resampling,
    measures: Any = None,
    term_evals: int | None = None,
    term_time: float | None = None,
    terminator: Terminator | None = None,
    search_space: ParamSet | None = None,
    store_models: bool = False,
    seed: int | None = None,
    callbacks: Any = None,
    store_benchmark_result: bool = True,
) -> TuningInstance:
    """Build a :class:`TuningInstance` (mlr3tuning's ``ti()``).

    Parameters
    ----------
    task, learner, resampling
        What to tune and how to evaluate it.
    measures : Measure, str, list of those, or None
        None: the task type's default measure; several give a Pareto front.
    term_evals : int, optional
        Stop after this many evaluations.
    term_time : float, optional
        Stop after this many seconds.
    terminator : Terminator, optional
        Instead of ``term_evals`` / ``term_time``.
    search_space : ParamSet, optional
        Default: from the learner's :func:`~mlr3py.params.to_tune` values.
    store_models : bool
    seed : int, optional
    callbacks : CallbackBatchTuning or list of those, optional
        Called at the stages of the run, e.g. ``clbk("mlr3tuning.backup", path=...)``.
    store_benchmark_result : bool
        False: the archive keeps no ResampleResults, only scores and configurations
        (a run then holds one batch's predictions at a time); see :class:`TuningInstance`.

    Returns
    -------
    TuningInstance
    """
    return TuningInstance(task, learner, resampling, measures,
                          make_terminator(term_evals, term_time, terminator),
                          search_space=search_space, store_models=store_models, seed=seed,
                          callbacks=callbacks, store_benchmark_result=store_benchmark_result)


def tune(
    tuner: Tuner | str,
    task: Task,
    learner: Learner,
    resampling: Resampling,
    measures: Any = None,
    term_evals: int | None = None,
    term_time: float | None = None,
    terminator: Terminator | None = None,
    search_space: ParamSet | None = None,
    store_models: bool = False,
    seed: int | None = None,
    store: Any = None,
    callbacks: Any = None,
    store_benchmark_result: bool = True,
) -> TuningInstance:
    """Tune ``learner`` on ``task`` and return the optimized instance (mlr3tuning's
    ``tune()``).

    Parameters are those of :func:`ti` (``callbacks`` included), ``tuner`` (a Tuner or
    a key of ``mlr_tuners``), and ``store``: a result store directory that keeps every finished
    job and evaluated batch, so that ``mlr3py.resume(store)`` continues an interrupted
    run from its archive (with ``seed=None`` an existing store's seed is used); see
    :mod:`mlr3py.tuning._stored`.

    Returns
    -------
    TuningInstance
        With ``result`` and ``archive``.

    Examples
    --------
    >>> from mlr3py import lrn, rsmp, tsk
    >>> from mlr3py.params import to_tune
    >>> from mlr3py.tuning import tnr, tune
    >>> learner = lrn("classif.rpart", max_depth=to_tune(1, 5))
    >>> instance = tune(tnr("random_search"), tsk("penguins"), learner,
    ...                 rsmp("holdout"), "classif.ce", term_evals=3, seed=1)
    >>> instance.archive.n_evals
    3
    """
    return prepare_tune(tuner, task, learner, resampling, measures, term_evals, term_time,
                        terminator, search_space, store_models, seed, store,
                        callbacks, store_benchmark_result).run()


@dataclass
class TuningRun:
    """A tuning run set up by :func:`prepare_tune`: :meth:`run` optimizes it.

    Its :attr:`instance` exists before the run, so a caller that reports a failed run
    (the command line) can still show the archive of the batches evaluated before the
    error.

    Attributes
    ----------
    tuner : Tuner
    instance : TuningInstance
    sink : JobStore or None
        The result store the run keeps its batches in (opened for this run).
    """

    tuner: Tuner
    instance: TuningInstance
    sink: Any = None

    def run(self) -> TuningInstance:
        """Optimize the instance (into the store, if any); the optimized instance."""
        if self.sink is None:
            self.tuner.optimize(self.instance)
            return self.instance
        return optimize_stored(self.tuner, self.instance, self.sink)


def prepare_tune(
    tuner: Tuner | str,
    task: Task,
    learner: Learner,
    resampling: Resampling,
    measures: Any = None,
    term_evals: int | None = None,
    term_time: float | None = None,
    terminator: Terminator | None = None,
    search_space: ParamSet | None = None,
    store_models: bool = False,
    seed: int | None = None,
    store: Any = None,
    callbacks: Any = None,
    store_benchmark_result: bool = True,
) -> TuningRun:
    """Set up what :func:`tune` runs (same arguments): the instance, and the store's run
    opened; ``tune(...)`` is ``prepare_tune(...).run()``.

    Returns
    -------
    TuningRun
    """
    if isinstance(tuner, str):
        tuner = mlr_tuners.get(tuner)
    if not isinstance(tuner, Tuner):
        raise ConfigError(f"The 'tuner' argument must be a Tuner, e.g. tnr('random_search'). "
                          f"Got {tuner!r} instead.")
    sink = None if store is None else open_job_store(store)
    if sink is not None and seed is None:
        seed = sink.recorded_seed()
    instance = ti(task, learner, resampling, measures, term_evals, term_time, terminator,
                  search_space, store_models, seed, callbacks, store_benchmark_result)
    if sink is not None:
        sink.open_run("tuning", tuning_fingerprint(instance, tuner), TuningSpec(tuner, instance))
    return TuningRun(tuner, instance, sink)


def optimize_stored(tuner: Tuner, instance: TuningInstance, sink: Any) -> TuningInstance:
    """Optimize ``instance`` with every batch kept in ``sink`` (opened for this run);
    closes the store at the end."""
    instance.store = sink
    try:
        tuner.optimize(instance)
        sink.put_object("result", instance.result)
    finally:
        instance.store = None
        sink.close()
    return instance
