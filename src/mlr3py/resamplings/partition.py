"""``partition()``: one split of a task's rows into training, test and validation sets.

mlr3's ``partition()`` sugar: a holdout split for the quick
``learner.train(task, split.train)`` / ``learner.predict(task, split.test)`` workflow.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from mlr3py.errors import ConfigError
from mlr3py.resamplings._split_inputs import _as_rng
from mlr3py.resamplings.holdout import ResamplingHoldout

__all__ = ["Partition", "partition"]


@dataclass(frozen=True)
class Partition:
    """The row ids of one split (see :func:`partition`).

    Attributes
    ----------
    train : numpy.ndarray
        Row ids of the training set (int64).
    test : numpy.ndarray
        Row ids of the test set (int64).
    validation : numpy.ndarray
        Row ids of the validation set (int64; empty unless :func:`partition`
        was given two ratios).
    """

    train: np.ndarray
    test: np.ndarray
    validation: np.ndarray

    def __repr__(self) -> str:
        return (f"Partition(train={len(self.train)} rows, test={len(self.test)} rows, "
                f"validation={len(self.validation)} rows)")


def partition(
    task: Any,
    ratio: float | Sequence[float] = 0.67,
    *,
    stratify: bool = True,
    seed: Any = None,
) -> Partition:
    """Split the rows of ``task`` once into training, test and validation sets.

    Parameters
    ----------
    task : Task
        The task whose active rows are split.
    ratio : float or pair of float
        The share of rows for training (the rest is the test set), or the shares
        ``(train, test)`` (the rest is the validation set). Each in [0, 1], summing
        to at most 1.
    stratify : bool
        Also stratify a classification task by its target (as mlr3 does), unless
        it has a group role. Default True. The task's own stratum role (and group
        role) is honoured either way, as by the ``holdout`` resampling underneath.
    seed : int, numpy.random.Generator, numpy.random.SeedSequence or None
        Source of randomness; ``None`` draws from numpy's global generator.

    Returns
    -------
    Partition
        ``train``, ``test`` and ``validation`` row ids.

    Raises
    ------
    ConfigError
        If ``ratio`` is not a share or a pair of shares summing to at most 1.

    Examples
    --------
    >>> from mlr3py import partition, tsk
    >>> split = partition(tsk("iris"), ratio=0.8, seed=1)
    >>> len(split.train), len(split.test), len(split.validation)
    (120, 30, 0)
    """
    train_ratio, test_ratio = _ratios(ratio)
    if not isinstance(stratify, bool):
        raise ConfigError(
            f"The stratify argument of partition() must be True or False. Got {stratify!r} "
            "instead."
        )
    rng = _as_rng(seed)
    if stratify:
        task = _stratified(task)
    holdout = ResamplingHoldout()
    holdout.param_set.values["ratio"] = train_ratio
    holdout.instantiate(task, seed=rng)
    train, rest = holdout.train_set(0), holdout.test_set(0)
    empty = np.empty(0, dtype=np.int64)
    if test_ratio is None or len(rest) == 0:
        return Partition(train=train, test=rest, validation=empty)
    share = min(1.0, test_ratio / (1.0 - train_ratio)) if train_ratio < 1.0 else 1.0
    holdout.param_set.values["ratio"] = share
    holdout.instantiate(task.clone()._use_rows(rest), seed=rng)
    return Partition(train=train, test=holdout.train_set(0), validation=holdout.test_set(0))


def _ratios(ratio: Any) -> tuple[float, float | None]:
    def share(value: Any) -> float | None:
        if isinstance(value, bool) or not isinstance(value, (int, float, np.integer,
                                                              np.floating)):
            return None
        value = float(value)
        return value if 0.0 <= value <= 1.0 else None

    if isinstance(ratio, (list, tuple)) and len(ratio) == 2:
        train, test = share(ratio[0]), share(ratio[1])
        if train is not None and test is not None and train + test <= 1.0 + 1e-12:
            return train, test
    elif not isinstance(ratio, (list, tuple)):
        train = share(ratio)
        if train is not None and not math.isnan(train):
            return train, None
    raise ConfigError(
        "The ratio of partition() must be a share of rows for training in [0, 1], or a pair "
        f"(train, test) of shares summing to at most 1. Got {ratio!r} instead."
    )


def _stratified(task: Any) -> Any:
    if task.task_type != "classif" or task.groups is not None:
        return task
    target = task.target_names[0]
    if target in task.col_roles.get("stratum", []):
        return task
    return task.clone().set_col_roles(target, add_to="stratum")
