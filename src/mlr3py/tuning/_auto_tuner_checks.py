"""The checks of an AutoTuner's arguments: learner, tuner, terminator, flags, measure, space.

:class:`~mlr3py.tuning.AutoTuner` checks what it is given when it is built (one
measure, a search space or ``to_tune()`` tokens but not both, a terminator that the
tuner can end with, bool
flags) and, when it is trained, that an instantiated inner resampling uses rows of
the training task only. Each check raises a :class:`~mlr3py.errors.ConfigError`
(or :class:`~mlr3py.errors.InputError`) that names the offending value.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mlr3py.errors import ConfigError, InputError
from mlr3py.evaluation._resample import check_learner
from mlr3py.learners import Learner, coerce_learner
from mlr3py.measures import Measure, resolve_measures
from mlr3py.params import ParamSet
from mlr3py.resamplings import Resampling
from mlr3py.tuning._internal_tuning import internal_search_space
from mlr3py.tuning._search_space_fit import check_search_space_fits
from mlr3py.tuning._terminator import Terminator
from mlr3py.tuning._tuner import Tuner

if TYPE_CHECKING:
    from mlr3py.tasks import TaskSupervised

__all__ = [
    "check_flags",
    "check_inner_resampling",
    "check_search_space",
    "check_terminator",
    "check_tuner",
    "resolve_measure",
    "wrapped_task_type",
]


def wrapped_task_type(learner: Any) -> str:
    """The task type of the learner an AutoTuner wraps: ``"classif"`` or ``"regr"``.

    Raises :class:`ConfigError` for anything but a classification or regression learner.
    """
    task_type = getattr(coerce_learner(learner), "task_type", None)
    if task_type == "classif" or task_type == "regr":  # the AutoTuner subclasses
        return str(task_type)
    check_learner(learner)
    raise ConfigError(
        f"An AutoTuner wraps a classification or regression learner. Got Learner "
        f"'{getattr(learner, 'id', learner)}' of task type {task_type!r} instead."
    )


def check_tuner(tuner: Any) -> None:
    """Raise :class:`ConfigError` unless ``tuner`` is a :class:`Tuner`."""
    if not isinstance(tuner, Tuner):
        raise ConfigError(
            "The 'tuner' argument of auto_tuner() must be a Tuner (e.g. "
            f"tnr('random_search')). Got {tuner!r:.60} (of type {type(tuner).__name__}) "
            "instead."
        )


def check_terminator(terminator: Any) -> Terminator:
    """``terminator``, checked to be a :class:`Terminator` (:class:`ConfigError` if not);
    None gives ``trm("none")``."""
    if terminator is None:
        from mlr3py.tuning.terminators import TerminatorNone

        return TerminatorNone()
    if not isinstance(terminator, Terminator):
        raise ConfigError(
            "The 'terminator' argument of the AutoTuner must be a Terminator (e.g. "
            f"trm('evals', n_evals=20)). Got {terminator!r:.60} instead."
        )
    return terminator


def check_flags(**flags: Any) -> None:
    """Raise :class:`ConfigError` for the first of ``flags`` (name -> value) that is no bool."""
    for name, flag in flags.items():
        if not isinstance(flag, bool):
            raise ConfigError(
                f"The '{name}' argument of auto_tuner() must be a bool. Got {flag!r} instead."
            )


def resolve_measure(measure: Any, learner: Learner) -> Measure:
    """The one measure to optimise: ``measure`` resolved for ``learner``'s task type.

    ``None`` gives the task type's default; a list or tuple must hold exactly one.
    """
    if isinstance(measure, list | tuple):
        (checked,) = _one_measure(measure, learner)
    else:
        (checked,) = resolve_measures(measure, learner.task_type, f"Learner '{learner.id}'")
    return checked


def _one_measure(measures: list[Any] | tuple[Any, ...], learner: Learner) -> list[Measure]:
    if len(measures) != 1:
        raise ConfigError(
            f"An AutoTuner optimises one measure. Got {len(measures)} measures "
            f"{[getattr(m, 'id', m) for m in measures]} instead; pick one."
        )
    return resolve_measures(measures, learner.task_type, f"Learner '{learner.id}'")


def check_search_space(learner: Learner, search_space: ParamSet | None) -> None:
    internal_search_space(learner)  # to_tune(internal=True) the learner cannot honour
    tokens = learner.param_set.search_space().ids()
    if search_space is not None:
        if not isinstance(search_space, ParamSet):
            raise ConfigError(
                "The 'search_space' argument of auto_tuner() must be a ParamSet (e.g. "
                f"ps(cp=p_dbl(1e-4, 0.1))). Got {search_space!r:.60} instead."
            )
        if tokens:
            raise ConfigError(
                f"Learner '{learner.id}' holds to_tune() tokens for {list(tokens)}, so "
                "a search_space cannot be given as well. Pass one or the other."
            )
        check_search_space_fits(search_space, learner)
        return
    if not tokens:
        raise ConfigError(
            f"Learner '{learner.id}' has nothing to tune: set to_tune() values (e.g. "
            f"lrn('{learner.id}', <param>=to_tune(lower, upper))) or pass a search_space."
        )


def check_inner_resampling(resampling: Resampling, task: TaskSupervised) -> None:
    """An instantiated inner resampling must use rows of the training task only."""
    if not resampling.is_instantiated:
        return
    rows = set(task.row_ids.tolist())
    for i in range(resampling.iters or 0):
        for what, ids in (("Train", resampling.train_set(i)), ("Test", resampling.test_set(i))):
            outside = sorted(set(ids.tolist()) - rows)
            if outside:
                shown = ", ".join(map(str, outside[:10])) + (" ..." if len(outside) > 10 else "")
                raise InputError(
                    f"{what} set {i} of the inner resampling '{resampling.id}' holds rows that "
                    f"are not in the training task '{task.id}': {shown}. Pass an "
                    "un-instantiated resampling to the AutoTuner; it is instantiated on each "
                    "training set."
                )
