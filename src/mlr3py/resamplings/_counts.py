"""Strategies whose instance counts how often each row is in each training set.

Holdout, subsampling and bootstrap all draw, per iteration, a training set
from the ids and test on the ids that were not drawn. Their instance is a
:class:`CountInstance`: an ``(n_ids, iters)`` matrix of training counts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mlr3py.errors import ConfigError
from mlr3py.resamplings._base import Resampling
from mlr3py.resamplings._split_inputs import _round_size

__all__ = ["CountInstance"]


@dataclass(frozen=True)
class CountInstance:
    """Training counts per id and iteration.

    Attributes
    ----------
    row_ids : numpy.ndarray
        The sampled ids (row ids, or group ids for a task with a group role).
    counts : numpy.ndarray
        Integer matrix of shape ``(len(row_ids), iters)``: how often each id
        is in the training set of each iteration; ``0`` means it is in the
        test set. Column-major where the strategies build it, so that an
        iteration's column is one contiguous block.
    """

    row_ids: np.ndarray
    counts: np.ndarray

    @property
    def iters(self) -> int:
        """Number of iterations (columns of ``counts``)."""
        return int(self.counts.shape[1])

    def train(self, i: int) -> np.ndarray:
        """Training ids of iteration ``i``, each repeated as often as it was drawn.

        Only the drawn ids are repeated: ``np.repeat`` over all ids would first widen
        the counts to one int64 per id (80 MB for 10,000,000 ids) to draw 2% of them.
        """
        column = self.counts[:, i]
        drawn = np.flatnonzero(column)
        return np.repeat(self.row_ids[drawn], column[drawn])

    def test(self, i: int) -> np.ndarray:
        """Test ids of iteration ``i``: the ids not drawn for training."""
        return self.row_ids[self.counts[:, i] == 0]

    def test_count(self, i: int) -> int:
        """How many ids iteration ``i`` tests (without building them)."""
        return len(self.counts) - int(np.count_nonzero(self.counts[:, i]))

    def sorted_test_slice(self, i: int, start: int, stop: int) -> np.ndarray | None:
        """Test ids ``start`` to ``stop - 1`` of iteration ``i`` in ascending order, built
        alone (None where the ids are not ascending: their test set must be sorted).

        The positions of these ids among all ids are found by counting the test ids
        block by block, so nothing the size of the whole test set is allocated.
        """
        ids = self.row_ids
        if len(ids) > 1 and not bool(np.all(ids[1:] > ids[:-1])):
            return None
        column = self.counts[:, i]
        n_test = self.test_count(i)
        start, stop, _ = slice(start, stop).indices(n_test)
        if stop <= start:
            return ids[:0].astype(np.int64)
        lo = _nth_zero(column, start)
        hi = _nth_zero(column, stop - 1) + 1
        return ids[lo:hi][column[lo:hi] == 0].astype(np.int64, copy=False)


_BLOCK = 1 << 20


def _nth_zero(column: np.ndarray, k: int) -> int:
    """The position of the ``k``-th (0-based) zero of ``column``, counted block by block."""
    seen = 0
    for lo in range(0, len(column), _BLOCK):
        zeros = np.flatnonzero(column[lo:lo + _BLOCK] == 0)
        if seen + len(zeros) > k:
            return lo + int(zeros[k - seen])
        seen += len(zeros)
    raise IndexError(f"Position {k} is beyond the {seen} test ids.")


class _CountResampling(Resampling):
    """Shared machinery of holdout, subsampling and bootstrap."""

    def _combine(self, instances: list[CountInstance]) -> CountInstance:
        return CountInstance(
            row_ids=np.concatenate([inst.row_ids for inst in instances]),
            counts=np.asfortranarray(np.concatenate([inst.counts for inst in instances], axis=0)),
        )

    def _get_train(self, i: int) -> np.ndarray:
        return self._instance.train(i)

    def _get_test(self, i: int) -> np.ndarray:
        return self._instance.test(i)

    def _count_test(self, i: int) -> int | None:
        return self._instance.test_count(i)

    def _sorted_test_slice(self, i: int, start: int, stop: int) -> np.ndarray | None:
        return self._instance.sorted_test_slice(i, start, stop)

    def _draw_without_replacement(
        self, ids: np.ndarray, rng: np.random.Generator, repeats: int
    ) -> CountInstance:
        """``repeats`` training sets of ``round(n * ratio)`` distinct ids each.

        numpy's sample without replacement draws only the ids it keeps (a full
        permutation of 10,000,000 ids took 0.4 s per set, the sample of 2% of them
        6 ms).
        """
        n = len(ids)
        n_train = _round_size(n, self._value("ratio"))
        # 0 or 1: a byte per id and iteration
        counts = np.zeros((n, repeats), dtype=np.uint8, order="F")
        for r in range(repeats):
            counts[rng.choice(n, n_train, replace=False, shuffle=False), r] = 1
        return CountInstance(row_ids=np.asarray(ids), counts=counts)

    def _check_ratio_split(self, instance: CountInstance, n: int, unit: str) -> None:
        """Both sets of every iteration must be non-empty."""
        counts = instance.counts
        n_train = np.array([np.count_nonzero(counts[:, r]) for r in range(counts.shape[1])])
        n_test = len(counts) - n_train  # drawn without replacement: counts of 0 or 1
        if (n_train < 1).any() or (n_test < 1).any():
            side = "training" if (n_train < 1).any() else "test"
            ratio = self._value("ratio")
            raise ConfigError(
                f"Resampling '{self.id}' with ratio={ratio:.4g} on {n} {unit} leaves an empty "
                f"{side} set. Choose a ratio so that both sets get at least one of the {unit}."
            )
