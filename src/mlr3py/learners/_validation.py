"""Where a learner's validation data comes from: mlr3's ``validate`` field.

``validate`` takes None (no validation), a ratio in (0, 1) (that share of the training
rows, split off and not trained on), ``"test"`` (the resampling's test set, which the
job runner sets as ``internal_valid_task``) or ``"predefined"`` (``internal_valid_task``
as given, by a graph learner or by hand). The check of these values, the error for a
validation task that is not there and the ratio's split serve every learner that
validates (xgboost, the torch learners) and the graph learner alike.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from mlr3py._rng import job_random_state
from mlr3py.errors import ConfigError

if TYPE_CHECKING:
    from mlr3py.tasks import TaskSupervised

__all__ = ["check_validate", "missing_valid_task_error", "split_validation"]


def check_validate(value: Any) -> bool | str:
    """A parameter check for ``validate``: True for None, a ratio in (0, 1), ``"test"`` or
    ``"predefined"``; otherwise what it takes."""
    if value is None or (isinstance(value, str) and value in ("test", "predefined")):
        return True
    if isinstance(value, float | int | np.floating) and not isinstance(value, bool | np.bool_):
        if 0 < float(value) < 1:
            return True
    return "None, a ratio in (0, 1), 'test' or 'predefined'"


def missing_valid_task_error(owner: str, validate: str) -> ConfigError:
    """The error for ``validate="test"`` / ``"predefined"`` without an ``internal_valid_task``.

    Parameters
    ----------
    owner : str
        The learner, e.g. ``"Learner 'classif.xgboost'"``.
    validate : str
        ``"test"`` or ``"predefined"``.

    Returns
    -------
    ConfigError
        To be raised by the caller.
    """
    if validate == "test":
        return ConfigError(
            f"{owner} has validate='test', which uses the test set of a resampling; there is "
            "none in a plain train() call. Use resample() / benchmark(), or set 'validate' "
            "to a ratio such as 0.2.")
    return ConfigError(
        f"{owner} has validate='predefined', which uses its internal_valid_task, but none is "
        "set. Set learner.internal_valid_task, or in a graph learner call "
        "set_validate(graph_learner, 'test') or a ratio such as 0.2.")


def split_validation(task: TaskSupervised, ratio: float, owner: str
                     ) -> tuple[TaskSupervised, TaskSupervised]:
    """The training rows of ``task`` less a random share ``ratio``, and that share as the
    validation task (mlr3: the validation rows are not trained on).

    Parameters
    ----------
    task : TaskSupervised
        The training task.
    ratio : float
        The share of its rows to validate on, in (0, 1).
    owner : str
        Who splits, for the error message (e.g. ``"Learner 'classif.xgboost'"``).

    Returns
    -------
    tuple of TaskSupervised
        The training task and the validation task (clones of ``task``).

    Raises
    ------
    ConfigError
        If the ratio leaves no training or no validation rows.
    """
    ids = np.asarray(task.row_ids)
    n_valid = round(float(ratio) * len(ids))
    if n_valid < 1 or n_valid >= len(ids):
        raise ConfigError(
            f"validate={ratio} of {owner} leaves no training or no validation rows of the "
            f"{len(ids)} rows of Task '{task.id}'. Use a ratio that keeps both."
        )
    perm = job_random_state().permutation(len(ids))
    valid_ids, train_ids = np.sort(ids[perm[:n_valid]]), np.sort(ids[perm[n_valid:]])
    return task.clone().filter(train_ids), task.clone().filter(valid_ids)
