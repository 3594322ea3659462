"""The validation rows a learner splits off its training task (``validate`` a ratio).

mlr3 trains a learner with ``validate = 0.2`` on the training rows less a random
fifth, which it validates on; the same split serves a single learner (xgboost's early
stopping) and a graph learner, which splits before its preprocessing trains.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from mlr3py._rng import job_random_state
from mlr3py.errors import ConfigError

if TYPE_CHECKING:
    from mlr3py.tasks import TaskSupervised

__all__ = ["split_validation"]


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
