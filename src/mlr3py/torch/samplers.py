"""The stratified batch sampler: a torch batch sampler and the learner's factory.

:class:`BatchSamplerStratified` works with any torch ``Dataset``: it is built
from the strata of the dataset's rows and yields, per epoch, the batches of
:func:`~mlr3py.torch.stratified_batches` for a fresh permutation drawn with
``torch.randperm`` from the torch generator it was given.

:func:`batch_sampler_stratified` returns what the torch learners' parameter
``batch_sampler`` takes: a factory that the learner calls with its training
dataset (attributes ``task`` and ``row_ids``) and its torch generator, and that
reads the strata from the task's ``stratum`` column role.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
from torch.utils.data import Sampler

from mlr3py.errors import InputError
from mlr3py.torch._stratified import (
    StratifiedPlan,
    check_min_samples,
    encode_strata,
    stratified_batches,
)

__all__ = [
    "BatchSamplerStratified",
    "StratifiedBatchSamplerFactory",
    "batch_sampler_stratified",
    "stratified_batches",
]


class BatchSamplerStratified(Sampler[np.ndarray]):
    """Batches in which every stratum has at least ``min_samples_per_stratum`` rows.

    For each stratum ``s`` with ``n_s`` rows, taken in epoch order, the ``i``-th
    row goes to batch ``ceil(i * B / n_s)`` with ``B = max(1, n_min // m)``
    batches (``n_min``: the smallest stratum). Every row is in exactly one batch
    per epoch, and every stratum has at least ``m`` rows in every batch (if the
    smallest stratum has fewer than ``m`` rows, one batch holds all rows).
    Batch sizes and the per-batch stratum counts depend only on the stratum
    sizes, so they are the same in every epoch.

    Parameters
    ----------
    strata : array-like or pandas.DataFrame
        The stratum of each dataset position ``0..n-1``: a 1-D array, or a
        DataFrame of stratum columns (their value combinations are the strata).
    min_samples_per_stratum : int
        ``m >= 1``.
    shuffle : bool, default True
        Draw a new permutation of the rows for each epoch
        (``torch.randperm(n, generator=generator)``); ``False`` keeps the
        dataset order, so every epoch gives the same batches.
    generator : torch.Generator, optional
        The source of all randomness (default: torch's global generator).

    Attributes
    ----------
    batch_sizes : list of int
        The size of each batch (the same in every epoch).
    batch_size : int
        The most frequent batch size (the larger one on ties).
    n_batches : int
        The number of batches per epoch (also ``len(sampler)``).
    levels : list of str
        The stratum labels (combinations joined by ``"."``).

    Notes
    -----
    Each batch is a 1-D ``numpy.ndarray`` of int64 dataset positions (a view of
    one array per epoch). ``torch.utils.data.DataLoader(dataset,
    batch_sampler=sampler)`` accepts it like a list, and a tensor indexed with it
    (``x[torch.from_numpy(batch)]``) gives the batch without a Python loop.

    Examples
    --------
    >>> import torch
    >>> sampler = BatchSamplerStratified(["a"] * 6 + ["b"] * 2, 1, shuffle=False)
    >>> [b.tolist() for b in sampler]
    [[0, 1, 2, 6], [3, 4, 5, 7]]
    """

    def __init__(
        self,
        strata: Any,
        min_samples_per_stratum: int,
        shuffle: bool = True,
        generator: torch.Generator | None = None,
    ) -> None:
        m = check_min_samples(min_samples_per_stratum, "BatchSamplerStratified")
        if not isinstance(shuffle, (bool, np.bool_)):
            raise InputError(
                f"The 'shuffle' argument of BatchSamplerStratified must be a bool. "
                f"Got {shuffle!r} instead."
            )
        if generator is not None and not isinstance(generator, torch.Generator):
            raise InputError(
                "The 'generator' argument of BatchSamplerStratified must be a "
                f"torch.Generator or None. Got {type(generator).__name__} instead."
            )
        codes, self.levels = encode_strata(strata)
        self.codes = codes
        self.min_samples_per_stratum = m
        self.shuffle = bool(shuffle)
        self.generator = generator
        self._plan = StratifiedPlan(codes, m)
        self._bounds: list[int] = self._plan.bounds.tolist()
        self.batch_sizes: list[int] = self._plan.batch_sizes.tolist()
        self.batch_size: int = _most_frequent(self.batch_sizes)
        self._fixed_rows: np.ndarray | None = None

    @property
    def n(self) -> int:
        """Number of rows (dataset positions)."""
        return self._plan.n

    @property
    def n_batches(self) -> int:
        """Number of batches per epoch."""
        return self._plan.n_batches

    @property
    def stratum_counts(self) -> np.ndarray:
        """``(n_strata, n_batches)`` rows of each stratum in each batch (every epoch)."""
        return self._plan.stratum_counts.copy()

    def __len__(self) -> int:
        return self._plan.n_batches

    def epoch_order(self) -> np.ndarray:
        """Draw the order of the next epoch (a permutation, or ``0..n-1``)."""
        if not self.shuffle:
            return np.arange(self.n, dtype=np.int64)
        return torch.randperm(self.n, generator=self.generator).numpy()

    def _epoch_rows(self) -> np.ndarray:
        if self.shuffle:
            return self._plan.rows(self.epoch_order())
        if self._fixed_rows is None:
            self._fixed_rows = self._plan.rows(self.epoch_order())
        return self._fixed_rows.copy()  # batches stay the caller's to keep or modify

    def __iter__(self) -> Iterator[np.ndarray]:
        rows = self._epoch_rows()
        bounds = self._bounds
        for i in range(len(bounds) - 1):
            yield rows[bounds[i] : bounds[i + 1]]

    def __repr__(self) -> str:
        return (
            f"<BatchSamplerStratified> {self.n} rows, {len(self.levels)} strata, "
            f"min_samples_per_stratum={self.min_samples_per_stratum}, "
            f"shuffle={self.shuffle}: {self.n_batches} batches of size {self.batch_size}"
            + ("" if len(set(self.batch_sizes)) <= 1 else
               f" ({min(self.batch_sizes)}..{max(self.batch_sizes)})")
        )


def _most_frequent(sizes: list[int]) -> int:
    if not sizes:
        return 0
    values, counts = np.unique(np.asarray(sizes), return_counts=True)
    best = counts.max()
    return int(values[counts == best].max())


@dataclass(frozen=True)
class StratifiedBatchSamplerFactory:
    """What :func:`batch_sampler_stratified` returns; call it with a training dataset.

    Parameters
    ----------
    min_samples_per_stratum : int
        ``m >= 1``.
    shuffle : bool
        Draw a new permutation each epoch.
    """

    min_samples_per_stratum: int
    shuffle: bool = True

    def __post_init__(self) -> None:
        m = check_min_samples(self.min_samples_per_stratum, "batch_sampler_stratified()")
        object.__setattr__(self, "min_samples_per_stratum", m)
        if not isinstance(self.shuffle, (bool, np.bool_)):
            raise InputError(
                "The 'shuffle' argument of batch_sampler_stratified() must be a bool. "
                f"Got {self.shuffle!r} instead."
            )
        object.__setattr__(self, "shuffle", bool(self.shuffle))

    def __call__(
        self, dataset: Any, generator: torch.Generator | None = None
    ) -> BatchSamplerStratified:
        """A :class:`BatchSamplerStratified` for ``dataset``.

        Parameters
        ----------
        dataset : object
            The learner's training dataset: ``dataset.task`` (the task) and
            ``dataset.row_ids`` (dataset position ``i`` is row id ``row_ids[i]``).
        generator : torch.Generator, optional
            The learner's torch generator.
        """
        task = getattr(dataset, "task", None)
        row_ids = getattr(dataset, "row_ids", None)
        if task is None or row_ids is None:
            raise InputError(
                "batch_sampler_stratified() needs the learner's training dataset, with "
                f"attributes 'task' and 'row_ids'; got a {type(dataset).__name__}. For "
                "another torch Dataset use BatchSamplerStratified(strata, "
                "min_samples_per_stratum, shuffle, generator)."
            )
        strata = task_strata(task, row_ids)
        return BatchSamplerStratified(
            strata, self.min_samples_per_stratum, shuffle=self.shuffle, generator=generator
        )

    def __repr__(self) -> str:
        return (
            f"batch_sampler_stratified(min_samples_per_stratum={self.min_samples_per_stratum}, "
            f"shuffle={self.shuffle})"
        )


def task_strata(task: Any, row_ids: Any = None) -> Any:
    """The stratum columns of ``task`` for ``row_ids`` (default: all its rows), a DataFrame.

    Raises
    ------
    InputError
        If the task has no column with role ``"stratum"``.
    """
    cols = list(task.col_roles["stratum"])
    if not cols:
        raise InputError(
            f"Task '{task.id}' has no column with role 'stratum'; set "
            "task.col_roles['stratum'] = [...] (e.g. the target column) to use "
            "batch_sampler_stratified()."
        )
    rows = task.row_ids if row_ids is None else np.asarray(row_ids)
    return task.data(rows=rows, cols=cols).reset_index(drop=True)


def batch_sampler_stratified(
    min_samples_per_stratum: int, shuffle: bool = True
) -> StratifiedBatchSamplerFactory:
    """Stratified batches for a torch learner's ``batch_sampler`` parameter.

    The learner calls the result with its training dataset and its torch
    generator; the strata are the combinations of the values of the task's
    ``stratum`` columns (``task.col_roles["stratum"]``).

    Parameters
    ----------
    min_samples_per_stratum : int
        ``m >= 1``: every stratum has at least ``m`` rows in every batch. Batch
        size grows with ``m``: there are ``max(1, n_min // m)`` batches.
    shuffle : bool, default True
        A new permutation (from the learner's torch generator) in every epoch.

    Returns
    -------
    StratifiedBatchSamplerFactory
        Callable as ``factory(dataset, generator=...)``.

    Raises
    ------
    ConfigError
        If ``min_samples_per_stratum`` is not an int >= 1 (raised here, at once).

    Examples
    --------
    >>> batch_sampler_stratified(3)
    batch_sampler_stratified(min_samples_per_stratum=3, shuffle=True)
    """
    return StratifiedBatchSamplerFactory(min_samples_per_stratum, shuffle)
