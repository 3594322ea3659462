"""Resampling with user-given splits (mlr3's ``custom`` and ``custom_cv``)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from mlr3py.errors import ConfigError, InputError
from mlr3py.registry import did_you_mean
from mlr3py.resamplings._base import Resampling
from mlr3py.resamplings._split_inputs import _check_task

__all__ = ["CustomInstance", "ResamplingCustom", "ResamplingCustomCV"]


@dataclass(frozen=True)
class CustomInstance:
    """The training and test sets given to :class:`ResamplingCustom`.

    Attributes
    ----------
    train_sets, test_sets : tuple of numpy.ndarray
        Row ids (int64) per iteration.
    """

    train_sets: tuple[np.ndarray, ...]
    test_sets: tuple[np.ndarray, ...]


def _as_id_sets(sets: Any, name: str, what: str, task: Any) -> tuple[np.ndarray, ...]:
    """Validate a list of row-id vectors against the task's rows."""
    original = sets
    if isinstance(sets, (str, bytes)) or not isinstance(sets, Iterable):
        sets = None
    else:
        sets = list(sets)
    if not sets:
        raise ConfigError(
            f"'{name}' of {what} must be a non-empty list of row-id vectors, one per "
            f"iteration. Got {original!r} instead."
        )
    known = np.asarray(task.row_ids, dtype=np.int64)
    result = []
    for k, ids in enumerate(sets):
        arr = np.asarray(ids)
        if arr.ndim != 1:
            raise ConfigError(
                f"'{name}[{k}]' of {what} must be a vector of row ids, so '{name}' must be a "
                f"list of such vectors (one per iteration). Got {ids!r} instead."
            )
        if arr.size == 0:
            raise ConfigError(f"'{name}[{k}]' of {what} is empty. Give at least one row id.")
        if arr.dtype.kind not in "iu":
            raise InputError(
                f"'{name}[{k}]' of {what} must hold integer row ids. "
                f"Got values of type {arr.dtype} instead."
            )
        unknown = np.unique(arr[~np.isin(arr, known)])
        if unknown.size:
            shown = unknown[:5].tolist()
            more = f" and {unknown.size - 5} more" if unknown.size > 5 else ""
            raise InputError(
                f"'{name}[{k}]' of {what} has row ids that are not in Task '{task.id}': "
                f"{shown}{more}. Use ids from task.row_ids."
            )
        result.append(arr.astype(np.int64))
    return tuple(result)


class ResamplingCustom(Resampling):
    """Resampling with training and test sets given at instantiation.

    ``instantiate(task, train_sets=[...], test_sets=[...])``: one row-id
    vector per iteration in each list. The task's stratum and group roles do
    not apply: the sets are used as given (a training set may repeat rows).
    """

    def __init__(self) -> None:
        super().__init__(id="custom", label="Custom Splits", duplicated_ids=True)

    def instantiate(  # type: ignore[override]
        self,
        task: Any,
        train_sets: Sequence[Any] | None = None,
        test_sets: Sequence[Any] | None = None,
        seed: Any = None,
    ) -> ResamplingCustom:
        """Store the given sets after checking them against ``task``.

        Parameters
        ----------
        task : Task
            The task the row ids refer to.
        train_sets, test_sets : list of array-like of int
            Row ids of the training and test set of each iteration; both lists
            have the same length.
        seed : ignored
            Accepted for a uniform signature; custom splits involve no randomness.

        Returns
        -------
        ResamplingCustom
            ``self``, instantiated.
        """
        what = f"Resampling '{self.id}'"
        _check_task(task, what)
        if train_sets is None or test_sets is None:
            raise ConfigError(
                f"{what} needs its splits: call instantiate(task, train_sets=[...], "
                "test_sets=[...]) with one row-id vector per iteration in each list."
            )
        train = _as_id_sets(train_sets, "train_sets", what, task)
        test = _as_id_sets(test_sets, "test_sets", what, task)
        if len(train) != len(test):
            raise ConfigError(
                f"{what} got {len(train)} train_sets but {len(test)} test_sets. "
                "Give one training and one test set per iteration."
            )
        self._set_instance(CustomInstance(train, test), None, task)
        return self

    def _iters(self) -> int | None:
        return None if self._instance is None else len(self._instance.train_sets)

    def _get_train(self, i: int) -> np.ndarray:
        return self._instance.train_sets[i].copy()

    def _get_test(self, i: int) -> np.ndarray:
        return self._instance.test_sets[i].copy()


class ResamplingCustomCV(Resampling):
    """Cross-validation with folds given by a factor or a column.

    ``instantiate(task, f=...)`` takes a vector aligned with ``task.row_ids``
    (a ``pandas.Categorical`` keeps its category order; other values are
    sorted); ``instantiate(task, col="name")`` reads that column of the task's
    backend. Each distinct value is one fold: iteration ``i`` tests on the
    rows of the ``i``-th value and trains on all others. Unused categories
    are dropped; missing values are an error.

    The instance is a DataFrame with columns ``row_id`` and ``fold``
    (a ``pandas.Categorical`` of the fold values).
    """

    def __init__(self) -> None:
        super().__init__(id="custom_cv", label="Custom Split Cross-Validation")

    def instantiate(  # type: ignore[override]
        self,
        task: Any,
        f: Any = None,
        col: str | None = None,
        seed: Any = None,
    ) -> ResamplingCustomCV:
        """Build the folds from ``f`` or from column ``col``.

        Parameters
        ----------
        task : Task
            The task to split.
        f : array-like, optional
            One fold value per row of ``task.row_ids`` (same order).
        col : str, optional
            Name of a column of ``task.backend`` holding the fold values.
            Give exactly one of ``f`` and ``col``.
        seed : ignored
            Accepted for a uniform signature; the folds involve no randomness.

        Returns
        -------
        ResamplingCustomCV
            ``self``, instantiated.
        """
        what = f"Resampling '{self.id}'"
        _check_task(task, what)
        if (f is None) == (col is None):
            raise ConfigError(
                f"{what} needs exactly one of 'f' (a factor aligned with task.row_ids) and "
                "'col' (a column name of the task). Give one of them."
            )
        row_ids = np.asarray(task.row_ids, dtype=np.int64)
        values = self._fold_values(task, row_ids, f, col, what)
        folds = pd.Categorical(values).remove_unused_categories()
        if (folds.codes < 0).any():
            missing = row_ids[folds.codes < 0][:5].tolist()
            raise InputError(
                f"The fold values given to {what} have missing values (rows {missing}). "
                "Every row needs a fold: fill them in or filter those rows out."
            )
        if len(folds.categories) < 2:
            raise ConfigError(
                f"{what} needs at least 2 distinct fold values; got "
                f"{list(folds.categories)}. Give a factor with two or more values."
            )
        self._set_instance(pd.DataFrame({"row_id": row_ids, "fold": folds}), None, task)
        return self

    @staticmethod
    def _fold_values(task: Any, row_ids: np.ndarray, f: Any, col: str | None, what: str) -> Any:
        if col is not None:
            colnames = list(task.backend.colnames)
            if col not in colnames:
                raise InputError(
                    f"Column {col!r} given to {what} is not in Task '{task.id}'."
                    + did_you_mean(str(col), colnames)
                )
            return task.backend.data(row_ids, [col])[col].array
        if isinstance(f, pd.Series):
            f = f.array
        if np.ndim(f) != 1 or len(f) != len(row_ids):
            raise InputError(
                f"The factor 'f' given to {what} must have one value per row of Task "
                f"'{task.id}' ({len(row_ids)} rows). Got {np.shape(f)} values instead."
            )
        return f

    def _iters(self) -> int | None:
        return None if self._instance is None else len(self._instance["fold"].cat.categories)

    def _codes(self) -> np.ndarray:
        return np.asarray(self._instance["fold"].cat.codes)

    def _get_train(self, i: int) -> np.ndarray:
        return self._instance["row_id"].to_numpy()[self._codes() != i]

    def _get_test(self, i: int) -> np.ndarray:
        return self._instance["row_id"].to_numpy()[self._codes() == i]
