"""What a resampling splits: a task checked, its rows or groups, and a source of randomness.

:meth:`Resampling.instantiate <mlr3py.resamplings.Resampling.instantiate>` starts
from these pieces, the same for every strategy: :func:`_check_task` refuses what is
not a task or has no rows; :class:`_Grouping` holds the rows of a task with a group
role and maps sampled group ids back to all their rows; :func:`_repeated_rows` finds
row ids a task holds more than once (these are split as groups, and
:func:`_refuse_repeated_rows` refuses them with a stratum role); :func:`_as_rng`
turns a seed into a numpy Generator; :func:`_round_size` rounds a set size as R
does; :func:`row_hash` identifies a task's row ids, so a resampling knows the task
it was instantiated on.
"""

from __future__ import annotations

import hashlib
import numbers
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from mlr3py.errors import ConfigError, InputError

__all__ = ["row_hash", "row_hash_of"]


def row_hash(row_ids: Any) -> str:
    """Hash a vector of row ids (order matters).

    Parameters
    ----------
    row_ids : array-like of int
        Row ids, e.g. ``task.row_ids``.

    Returns
    -------
    str
        A hex digest identifying exactly these row ids in this order.
    """
    arr = np.ascontiguousarray(np.asarray(row_ids, dtype=np.int64))
    return hashlib.blake2b(arr.data, digest_size=16).hexdigest()  # its buffer: no bytes copy


def _as_rng(seed: Any) -> np.random.Generator:
    """Turn ``seed`` into a numpy Generator.

    ``None`` draws a seed from numpy's global generator, so ``np.random.seed()``
    makes the result reproducible.
    """
    if seed is None:
        # numpy's global generator on purpose: np.random.seed() must make this reproducible
        return np.random.default_rng(np.random.randint(0, 2**31 - 1))  # noqa: NPY002
    if isinstance(seed, np.random.Generator):
        return seed
    if isinstance(seed, np.random.SeedSequence):
        return np.random.default_rng(seed)
    if isinstance(seed, numbers.Integral) and not isinstance(seed, (bool, np.bool_)):
        if seed < 0:
            raise ConfigError(f"The seed must be an int >= 0. Got {seed!r} instead.")
        return np.random.default_rng(int(seed))
    raise ConfigError(
        "The seed must be None, an int >= 0, a numpy SeedSequence or a numpy Generator. "
        f"Got {seed!r} instead."
    )


def _round_size(n: int, ratio: float) -> int:
    """``round(n * ratio)`` with round-half-to-even, as R's ``round()``."""
    return int(np.round(n * ratio))


@dataclass(frozen=True)
class _Grouping:
    """Rows of a task and the group each belongs to.

    Attributes
    ----------
    row_ids : numpy.ndarray
        Row ids (int64), in the order of ``task.groups``.
    codes : numpy.ndarray
        For each row, the index of its group in ``labels``.
    labels : numpy.ndarray
        The distinct group ids, in order of first appearance.
    """

    row_ids: np.ndarray
    codes: np.ndarray
    labels: np.ndarray

    @classmethod
    def from_frame(cls, groups: pd.DataFrame, task_id: str) -> _Grouping:
        codes, uniques = pd.factorize(groups["group"], sort=False)
        if (codes < 0).any():
            rows = groups["row_id"].to_numpy()[codes < 0][:5].tolist()
            raise InputError(
                f"The group column of Task '{task_id}' has missing values (rows {rows}). "
                "Every row needs a group: fill the missing values or filter those rows out."
            )
        return cls(
            row_ids=np.asarray(groups["row_id"].to_numpy(), dtype=np.int64),
            codes=np.asarray(codes, dtype=np.int64),
            labels=np.asarray(uniques),
        )

    def rows(self, units: np.ndarray) -> np.ndarray:
        """All rows of the groups in ``units``; a group listed k times gives its rows k times."""
        index = pd.Index(self.labels).get_indexer(np.asarray(units))
        counts = np.bincount(index, minlength=len(self.labels))
        return np.repeat(self.row_ids, counts[self.codes])


def row_hash_of(task: Any) -> str:
    """:func:`row_hash` of ``task.row_ids``, without building ids that are all the rows
    ``0 .. n - 1`` of the task's backend (the same digest)."""
    hash_rows = getattr(task, "_hash_rows", None)
    if hash_rows is None:
        return row_hash(task.row_ids)
    digest = hashlib.blake2b(digest_size=16)
    hash_rows(digest)
    return digest.hexdigest()


def _check_task(task: Any, what: str) -> None:
    needed = ("row_ids", "strata", "groups", "hash", "nrow", "id")
    # a property is looked up on the class: reading it could build the row ids
    missing = [name for name in needed
               if not hasattr(type(task), name) and not hasattr(task, name)]
    if missing:
        raise InputError(
            f"{what} can only be instantiated on a Task; {type(task).__name__!s} lacks "
            f"{', '.join(missing)}. Pass a task, e.g. tsk('iris')."
        )
    if task.nrow < 1:
        raise InputError(
            f"Task '{task.id}' has no rows, so {what} cannot split it. "
            "Use a task with at least one row."
        )


def _repeated_rows(task: Any) -> np.ndarray:
    """The active row ids of ``task`` that occur more than once (a bootstrap training
    view, an upsampled task), sorted; usually empty."""
    if getattr(task, "_row_range", None) is not None:
        return np.empty(0, dtype=np.int64)
    ids = np.asarray(task.row_ids, dtype=np.int64)
    if len(ids) < 2 or bool(np.all(ids[1:] > ids[:-1])):  # strictly increasing: usual
        return ids[:0]
    uniq, counts = np.unique(ids, return_counts=True)
    return uniq[counts > 1]


def _refuse_repeated_rows(task: Any, repeated: np.ndarray, what: str) -> None:
    """Refuse a stratified split of a task whose row ids repeat."""
    shown = ", ".join(str(x) for x in repeated[:10]) + (", ..." if len(repeated) > 10 else "")
    raise ConfigError(
        f"Task '{task.id}' holds row ids more than once ({shown}; {len(repeated)} repeated "
        f"ids) and a stratum role; {what} keeps the copies of a row together (as a "
        "group) and cannot also stratify. Keep each row once with "
        "task.filter(task.row_ids), or remove the stratum role from task.col_roles."
    )
