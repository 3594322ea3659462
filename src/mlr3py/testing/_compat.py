"""Conformance check that a learner refuses what its declared properties exclude."""

from __future__ import annotations

import functools
from typing import Any

import numpy as np

from mlr3py.errors import Mlr3pyError
from mlr3py.testing._base import checking, require_raises, seed_everything
from mlr3py.testing._tasks import FEATURE_TYPES, generate_data, make_task, with_missings

__all__ = ["check_learner_incompatible", "fresh_learner"]


def _subject(learner: Any) -> str:
    return f"Learner '{getattr(learner, 'id', type(learner).__name__)}'"


def fresh_learner(learner: Any, predict_type: str | None = None) -> Any:
    """An untrained clone, with ``predict_type`` set when given."""
    new = learner.clone()
    new.state = None
    if predict_type is not None:
        new.predict_type = predict_type
    return new


def _train_fresh(learner: Any, task: Any) -> Any:
    """Train an untrained clone of ``learner`` on ``task``."""
    return fresh_learner(learner).train(task)


def _single_feature_task(learner: Any, ftype: str, n: int, seed: int, tid: str) -> Any:
    rng = np.random.default_rng(seed)
    data = generate_data([ftype], n, rng)
    n_classes = 2 if "twoclass" in learner.properties else 3
    labels = np.resize(np.array(["A", "B", "C"][:n_classes], dtype=object), n)
    data.insert(0, "target", labels if learner.task_type == "classif" else rng.normal(size=n))
    return make_task(learner.task_type, data, "target", tid)


def check_learner_incompatible(learner: Any, n: int = 30, seed: int = 1) -> None:
    """Check that the learner refuses tasks its declared properties exclude.

    A classification learner without ``"multiclass"`` (``"twoclass"``) must
    refuse a three-class (two-class) task, a learner without ``"missings"`` a
    task with missing values, and every learner a feature type it does not
    declare, each with an error from :mod:`mlr3py.errors`. Predicting on a task
    whose features differ from the training task's must raise an error too.
    """
    subject = _subject(learner)
    supported = [t for t in FEATURE_TYPES if t in set(learner.feature_types)]
    rng = np.random.default_rng(seed)
    if learner.task_type == "classif":
        for n_classes, prop in ((2, "twoclass"), (3, "multiclass")):
            if prop in learner.properties:
                continue
            data = generate_data(supported[:1], n, rng)
            labels = np.resize(np.array(["A", "B", "C"][:n_classes], dtype=object), n)
            data.insert(0, "target", labels)
            task = make_task("classif", data, "target", f"unsupported_{prop}")
            with checking(subject, "check_learner_incompatible", task.id):
                require_raises(
                    functools.partial(_train_fresh, learner, task), Mlr3pyError,
                    f"training a learner without property '{prop}' on a {prop} task",
                )
    if "missings" not in learner.properties:
        task = _single_feature_task(learner, supported[0], n, seed, "unsupported_missings")
        data = task.data()
        data = with_missings(data, list(task.feature_names))
        task = make_task(learner.task_type, data, task.target_names[0], "unsupported_missings")
        with checking(subject, "check_learner_incompatible", task.id):
            require_raises(
                lambda: fresh_learner(learner).train(task), Mlr3pyError,
                "training a learner without property 'missings' on a task with missing values",
            )
    for ftype in FEATURE_TYPES:
        if ftype in supported:
            continue
        task = _single_feature_task(learner, ftype, n, seed, f"unsupported_{ftype}")
        actual = set(task.feature_types["type"])
        if actual <= set(supported):  # the task stores this type as a supported one
            continue
        with checking(subject, "check_learner_incompatible", task.id):
            require_raises(
                functools.partial(_train_fresh, learner, task), Mlr3pyError,
                f"training a learner without feature type '{ftype}' on a task with one",
            )
    train_task = _single_feature_task(learner, supported[0], n, seed, "features_train")
    other = train_task.data()
    other = other.rename(columns={supported[0]: supported[0] + "_renamed"})
    other_task = make_task(learner.task_type, other, "target", "features_renamed")
    with checking(subject, "check_learner_incompatible", other_task.id):
        trained = fresh_learner(learner)
        seed_everything(seed)
        trained.train(train_task)
        require_raises(
            lambda: trained.predict(other_task), Mlr3pyError,
            "predicting on a task whose features differ from the training task's",
        )
