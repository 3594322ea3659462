"""Compatibility checks between a learner and a task.

Each check raises a typed error from :mod:`mlr3py.errors` whose message names
the learner, the task and the offending value, and says what to do.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from mlr3py.errors import InputError, NotTrainedError
from mlr3py.learners._encode import check_unseen_levels, level_codes

if TYPE_CHECKING:
    from mlr3py.learners._base import Learner
    from mlr3py.learners._state import LearnerState
    from mlr3py.tasks import Task

__all__ = [
    "check_feature_types",
    "check_missings",
    "check_predict_features",
    "check_predict_levels",
    "check_task_properties",
    "check_task_type",
    "check_trained",
]

# Types a learner may be asked to treat as one another at predict time.
_NUMERIC = frozenset({"numeric", "integer"})


def _quote(values: Iterable[object]) -> str:
    return ", ".join(f"'{v}'" for v in values)


def check_task_type(learner: Learner, task: Task) -> None:
    """Raise :class:`InputError` unless the task's type equals the learner's."""
    if task.task_type != learner.task_type:
        raise InputError(
            f"Type '{task.task_type}' of Task '{task.id}' does not match type "
            f"'{learner.task_type}' of Learner '{learner.id}'. "
            f"Use a {learner.task_type} task or a {task.task_type} learner."
        )


def check_task_properties(learner: Learner, task: Task) -> None:
    """Raise :class:`InputError` if the task is twoclass/multiclass and the learner is not."""
    for prop in ("twoclass", "multiclass"):
        if prop in task.properties and prop not in learner.properties:
            raise InputError(
                f"Task '{task.id}' has property '{prop}', which Learner '{learner.id}' does not "
                f"support (its properties: {_quote(sorted(learner.properties)) or 'none'}). "
                f"Use a learner with property '{prop}'."
            )


def check_feature_types(learner: Learner, feature_types: dict[str, str], task_id: str) -> None:
    """Raise :class:`InputError` naming the features whose type the learner does not support.

    Parameters
    ----------
    learner : Learner
        The learner.
    feature_types : dict
        Feature name -> type of the task.
    task_id : str
        The task's id, for the message.
    """
    bad = {name: t for name, t in feature_types.items() if t not in learner.feature_types}
    if bad:
        shown = ", ".join(f"'{n}' ({t})" for n, t in list(bad.items())[:10])
        more = f" and {len(bad) - 10} more" if len(bad) > 10 else ""
        raise InputError(
            f"Learner '{learner.id}' does not support the type of feature(s) {shown}{more} "
            f"of Task '{task_id}'. Supported feature types: "
            f"{_quote(sorted(learner.feature_types))}. Convert or drop these features "
            f"(task.select(...))."
        )


def check_missings(
    learner: Learner, task: Task, feature_names: Sequence[str], superset: Task | None = None
) -> None:
    """Raise :class:`InputError` for missing feature values unless the learner handles them.

    Parameters
    ----------
    learner : Learner
        The learner.
    task : Task
        The task to check (e.g. restricted to the training rows).
    feature_names : sequence of str
        The features to check.
    superset : Task, optional
        A task whose active rows include ``task``'s; when it has no missing
        values (a check its backend may answer from a cache), ``task`` has none.
    """
    if "missings" in learner.properties or not feature_names:
        return
    cols = list(feature_names)
    if superset is not None and not (superset.missings(cols).to_numpy() > 0).any():
        return
    counts = task.missings(cols)
    bad = {str(k): int(v) for k, v in counts.items() if v > 0}
    if bad:
        shown = ", ".join(f"'{n}' ({c})" for n, c in bad.items())
        raise InputError(
            f"Task '{task.id}' has missing values in feature(s) {shown}, but Learner "
            f"'{learner.id}' does not support missing values (no property 'missings'). "
            f"Impute or drop them, or use a learner with property 'missings'."
        )


def check_trained(learner: Learner) -> LearnerState:
    """Return the learner's state, or raise :class:`NotTrainedError` when it has no model."""
    state = learner.state
    if state is None:
        raise NotTrainedError(
            f"Cannot predict: Learner '{learner.id}' has not been trained yet. "
            f"Call learner.train(task) first."
        )
    if state.model is None:
        raise NotTrainedError(
            f"Cannot predict: Learner '{learner.id}' has no model (it was dropped). "
            f"Train it again with learner.train(task)."
        )
    return state


def check_predict_features(
    learner: Learner, state: LearnerState, feature_types: dict[str, str], task_id: str
) -> None:
    """Raise :class:`InputError` if the features differ from the training task's.

    Extra or missing features are named; so are features whose type changed
    (integer and numeric count as one type).
    """
    trained = state.feature_names
    missing = [f for f in trained if f not in feature_types]
    extra = [f for f in feature_types if f not in state.feature_types]
    if missing or extra:
        parts = []
        if missing:
            parts.append(f"missing feature(s) {_quote(missing)}")
        if extra:
            parts.append(f"extra feature(s) {_quote(extra)}")
        remedy = (
            "Keep only the training features: task.clone().select(learner.state.feature_names)."
            if not missing
            else "Predict on a task with the same features."
        )
        with_features = f"with features {_quote(trained)}" if trained else "without features"
        raise InputError(
            f"Learner '{learner.id}' was trained on Task '{state.train_task_id}' {with_features}, "
            f"but Task '{task_id}' has {' and '.join(parts)}. {remedy}"
        )
    changed = [
        f"'{f}' ({state.feature_types[f]} -> {feature_types[f]})"
        for f in trained
        if feature_types[f] != state.feature_types[f]
        and not {feature_types[f], state.feature_types[f]} <= _NUMERIC
    ]
    if changed:
        raise InputError(
            f"Learner '{learner.id}' was trained on Task '{state.train_task_id}', but feature(s) "
            f"{', '.join(changed)} of Task '{task_id}' have another type. "
            f"Predict on a task with the same feature types."
        )


def check_predict_levels(learner: Learner, state: LearnerState, task: Task) -> None:
    """Raise :class:`InputError` naming a factor level of ``task`` unseen in training.

    Only factor / ordered features whose categories go beyond the training
    levels are read, so the check costs nothing for the usual case (a task
    with the training task's levels).

    Parameters
    ----------
    learner : Learner
        The trained learner.
    state : LearnerState
        Its state (feature types and training levels).
    task : Task
        The task to predict (its active rows are checked).
    """
    factors = [
        f for f in state.feature_names
        if state.feature_types.get(f) in ("factor", "ordered") and f in state.levels
    ]
    if not factors:
        return
    task_levels = task.levels(factors)
    suspect = [
        f for f in factors
        if not set(map(str, task_levels.get(f) or [])) <= set(map(str, state.levels[f]))
    ]
    if not suspect:
        return
    data = task.data(cols=suspect)
    for name in suspect:
        col = data[name]
        levels = state.levels[name]
        check_unseen_levels(name, col, level_codes(col, levels), levels, f"Learner '{learner.id}'")
