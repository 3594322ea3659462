"""Learner weights: mlr3's ``weights_learner`` column role and ``Learner.use_weights``.

A task may hold a column with role ``weights_learner`` (task property
``"weights"``). ``Learner.use_weights`` decides what training on such a task does:

- ``"use"`` (the default of learners with property ``"weights"``): the learner
  fits with the weights;
- ``"ignore"``: the learner trains on the task without its ``weights_learner``
  role, as if it had no weights;
- ``"error"`` (the default of every other learner): ``train()`` raises an
  :class:`~mlr3py.errors.InputError`, so weights are never dropped silently;
  set ``use_weights = "ignore"`` to train without them.

:meth:`~mlr3py.learners.Learner.train` applies the choice before the learner's
``_train`` hook runs, so every learner honours it, including learners that
wrap others (a graph learner, an auto tuner): with ``"ignore"`` the learners
inside them see no weights either.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from mlr3py.errors import ConfigError, InputError

if TYPE_CHECKING:
    from mlr3py.learners._base import Learner
    from mlr3py.tasks import TaskSupervised

__all__ = ["USE_WEIGHTS", "check_use_weights", "default_use_weights", "weights_task"]

#: The values of ``Learner.use_weights``.
USE_WEIGHTS = ("use", "ignore", "error")


def default_use_weights(properties: Iterable[str]) -> str:
    """``"use"`` for a learner with property ``"weights"``, else ``"error"``."""
    return "use" if "weights" in properties else "error"


def check_use_weights(learner: Learner, value: object) -> str:
    """``value`` if it is a valid ``use_weights`` of ``learner``, else a :class:`ConfigError`.

    ``"use"`` needs the property ``"weights"``.
    """
    allowed = [v for v in USE_WEIGHTS if v != "use" or "weights" in learner.properties]
    if value not in allowed:
        hint = (
            " 'use' needs a learner with property 'weights'; set 'ignore' to train "
            "without the weights." if value == "use" else ""
        )
        raise ConfigError(
            f"The use_weights of Learner '{learner.id}' must be one of {allowed}. "
            f"Got {value!r} instead.{hint}"
        )
    assert isinstance(value, str)
    return value


def weights_task(learner: Learner, task: TaskSupervised) -> TaskSupervised:
    """The task ``learner`` trains on, given its ``use_weights``.

    Returns ``task`` itself unless it has learner weights and ``use_weights`` is
    ``"ignore"``: then a clone without the ``weights_learner`` role.

    Raises
    ------
    InputError
        If ``task`` has learner weights and ``use_weights`` is ``"error"``.
    """
    if "weights" not in task.properties:
        return task
    mode = learner.use_weights
    if mode == "use":
        return task
    cols = task.col_roles["weights_learner"]
    if mode == "error":
        why = (
            "it has the property 'weights' but its use_weights was set to 'error'"
            if "weights" in learner.properties
            else "it has no property 'weights', so its use_weights is 'error'"
        )
        raise InputError(
            f"Learner '{learner.id}' cannot be trained with the weights of Task '{task.id}' "
            f"(column {', '.join(repr(c) for c in cols)} with role 'weights_learner'): "
            f"{why}. Set learner.use_weights = 'ignore' to train without the weights, "
            f"or remove the role "
            f"(task.set_col_roles({cols!r}, remove_from='weights_learner'))."
        )
    task = task.clone()
    task.set_col_roles(cols, remove_from="weights_learner")
    return task
