"""Checks of the encoded data a scikit-learn learner is about to fit or predict on.

scikit-learn rejects empty data, infinite values and too many neighbours with
messages about arrays ("Found array with 0 sample(s)", "Input X contains
infinity"); these checks raise :class:`~mlr3py.errors.InputError` naming the
learner, the task and the offending rows, columns or values instead, and say
what to do. They run inside the learner's train / predict step, so
encapsulation and fallback apply as to any other training error.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor

from mlr3py.errors import InputError

if TYPE_CHECKING:
    from mlr3py.learners._encode import FeatureEncoder
    from mlr3py.learners._sklearn import LearnerSklearn
    from mlr3py.tasks import Task

__all__ = ["check_fit_matrix", "check_infinite", "check_n_neighbors", "check_predict_matrix"]


def check_infinite(
    learner: LearnerSklearn, task: Task, x: np.ndarray, encoder: FeatureEncoder
) -> None:
    """Raise :class:`InputError` naming the features with infinite values in ``x``.

    Parameters
    ----------
    learner : LearnerSklearn
        The learner (for the message).
    task : Task
        The task the matrix came from.
    x : numpy.ndarray
        The encoded features.
    encoder : FeatureEncoder
        Maps matrix columns back to features.
    """
    if x.size == 0 or np.isfinite(x).all() or not np.isinf(x).any():
        return
    counts = np.isinf(x).sum(axis=0)
    bad: dict[str, int] = {}
    for feature, n in zip(encoder.output_features, counts.tolist(), strict=True):
        if n:
            bad[feature] = bad.get(feature, 0) + int(n)
    shown = ", ".join(f"'{f}' ({n})" for f, n in bad.items())
    raise InputError(
        f"Task '{task.id}' has infinite values in feature(s) {shown}, which Learner "
        f"'{learner.id}' cannot use. Replace them (e.g. by missing values or a large finite "
        f"number) or drop these features or rows."
    )


def check_fit_matrix(
    learner: LearnerSklearn, task: Task, x: np.ndarray, encoder: FeatureEncoder
) -> None:
    """Raise :class:`InputError` for training data scikit-learn cannot fit.

    Refuses zero training rows, a task without features and infinite feature
    values, and, for the k-nearest-neighbour learners, more neighbours than
    training rows (see :func:`check_n_neighbors`).
    """
    if x.shape[0] == 0:
        raise InputError(
            f"Learner '{learner.id}' cannot train on 0 rows of Task '{task.id}'. "
            f"Pass non-empty row_ids (or a task with rows)."
        )
    if not encoder.feature_names:
        alternative = f"{learner.task_type}.featureless"
        raise InputError(
            f"Task '{task.id}' has no features, so Learner '{learner.id}' has nothing to learn "
            f"from. Add features (task.col_roles) or use lrn('{alternative}')."
        )
    check_infinite(learner, task, x, encoder)
    check_n_neighbors(learner, task, x.shape[0])


def check_n_neighbors(learner: LearnerSklearn, task: Task, n_rows: int) -> None:
    """Raise :class:`InputError` when a k-NN learner asks for more neighbours than rows.

    Parameters
    ----------
    learner : LearnerSklearn
        The learner; checked only if its estimator is a ``KNeighborsClassifier``
        or ``KNeighborsRegressor``.
    task : Task
        The training task.
    n_rows : int
        The number of training rows.
    """
    if not isinstance(learner.estimator, KNeighborsClassifier | KNeighborsRegressor):
        return
    values = learner.param_set.get_values()
    k = values.get("n_neighbors", learner.param_set.default.get("n_neighbors", 5))
    if isinstance(k, int | np.integer) and k > n_rows:
        raise InputError(
            f"Learner '{learner.id}' has n_neighbors={k}, more neighbours than the {n_rows} "
            f"training row(s) of Task '{task.id}'. Set n_neighbors to at most {n_rows} "
            f"(learner.param_set.values['n_neighbors'] = ...) or train on more rows."
        )


def check_predict_matrix(
    learner: LearnerSklearn, task: Task, x: np.ndarray, encoder: FeatureEncoder
) -> None:
    """Raise :class:`InputError` for zero rows or infinite values to predict on."""
    if x.shape[0] == 0:
        raise InputError(
            f"Learner '{learner.id}' cannot predict 0 rows of Task '{task.id}'. "
            f"Pass non-empty row_ids (or a task with rows)."
        )
    check_infinite(learner, task, x, encoder)
