"""Whether the measures of a tuning run fit its task and learner.

Checked when the tuning instance is built, so that a measure that cannot score the
learner's predictions (a probability measure for a learner predicting labels), needs
task properties the task lacks, or has no direction to optimise is named before the
first batch runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from mlr3py.errors import ConfigError
from mlr3py.reflections import provided_predict_types

if TYPE_CHECKING:
    from mlr3py.learners import Learner
    from mlr3py.measures import Measure
    from mlr3py.tasks import Task

__all__ = ["check_measures_fit"]


def check_measures_fit(measures: Sequence[Measure], task: Task, learner: Learner) -> None:
    """Raise a ConfigError when a measure cannot score ``learner`` on ``task`` or
    has no direction to optimize.

    Raises
    ------
    ConfigError
        Naming the measure and what does not fit.
    """
    where = f"Task '{task.id}'"
    have = set(getattr(task, "properties", ()) or ())
    for measure in measures:
        missing = set(measure.task_properties) - have
        if missing:
            raise ConfigError(
                f"Measure '{measure.id}' requires task properties {sorted(missing)}, which "
                f"{where} lacks. Choose a measure that fits the task."
            )
        provided = provided_predict_types(task.task_type, learner.predict_type)
        if measure.predict_type is not None and measure.predict_type not in provided:
            raise ConfigError(
                f"Measure '{measure.id}' needs predict_type '{measure.predict_type}' but "
                f"Learner '{learner.id}' predicts '{learner.predict_type}' (which gives "
                f"{list(provided)}). Set learner.predict_type = '{measure.predict_type}' or "
                "choose another measure."
            )
        if measure.minimize is None:
            raise ConfigError(
                f"Measure '{measure.id}' has no direction (minimize is None), so it cannot be "
                "optimized. Choose a measure that is minimized or maximized."
            )
    ids = [m.id for m in measures]
    if len(set(ids)) != len(ids):
        raise ConfigError(f"The measures of a tuning run must have distinct ids. Got {ids}.")
