"""Strategies whose instance counts how often each row is in each training set.

Holdout, subsampling and bootstrap all draw, per iteration, a training set
from the ids and test on the ids that were not drawn. Their instance is a
:class:`CountInstance`: an ``(n_ids, iters)`` matrix of training counts.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

from mlr3py.errors import ConfigError
from mlr3py.resamplings._base import Resampling
from mlr3py.resamplings._split_inputs import _round_size

__all__ = ["CountInstance", "kept_ids"]


class CountInstance:
    """Training counts per id and iteration.

    Parameters
    ----------
    row_ids : numpy.ndarray or range
        The sampled ids (row ids, or group ids for a task with a group role); a
        ``range`` for a task's rows ``0 .. n - 1``, kept as such (ten million ids
        are 76 MiB).
    counts : numpy.ndarray
        Integer matrix of shape ``(len(row_ids), iters)``: how often each id is in
        the training set of each iteration; ``0`` means it is in the test set.
        Column-major where the strategies build it, so that an iteration's column is
        one contiguous block. With ``packed``, counts of 0 or 1 as bits
        (:func:`numpy.packbits` of each column): ``(ceil(n / 8), iters)`` bytes,
        3.75 MiB for three subsamples of 10,000,000 ids against 29 MiB.
    packed : bool
        Whether ``counts`` holds bits.

    Attributes
    ----------
    row_ids : numpy.ndarray
        The sampled ids (built on each access where they are kept as a range).
    counts : numpy.ndarray
        The ``(len(row_ids), iters)`` matrix of training counts (unpacked on each
        access where it is kept as bits).
    packed : bool
        Whether the counts are kept as bits.
    """

    def __init__(self, row_ids: np.ndarray | range, counts: np.ndarray,
                 packed: bool = False) -> None:
        self._ids = kept_ids(row_ids)
        self._counts = counts
        self.packed = packed

    def __setstate__(self, state: dict[str, Any]) -> None:
        if "row_ids" in state:  # pickled by a version that kept ids and counts as they are
            state = {"_ids": state["row_ids"], "_counts": state["counts"], "packed": False}
        self.__dict__.update(state)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, CountInstance):
            return NotImplemented
        return (len(self._ids) == len(other._ids)
                and np.array_equal(np.asarray(self._ids), np.asarray(other._ids))
                and np.array_equal(self.counts, other.counts))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        kept = "bits" if self.packed else "counts"
        return (f"CountInstance({len(self._ids)} ids, {self.iters} iterations, training "
                f"sets kept as {kept})")

    @classmethod
    def of_drawn(cls, row_ids: np.ndarray | range, iters: int,
                 columns: Iterator[np.ndarray]) -> CountInstance:
        """The instance of ``iters`` training sets drawn without replacement, given as
        one boolean column per iteration (each packed to bits as it comes)."""
        bits = np.empty(((len(row_ids) + 7) // 8, iters), dtype=np.uint8, order="F")
        for r, column in enumerate(columns):
            bits[:, r] = np.packbits(column)
        return cls(row_ids, bits, packed=True)

    @property
    def row_ids(self) -> np.ndarray:
        """The sampled ids (built here, as int64, where they are kept as a range)."""
        ids = self._ids
        if isinstance(ids, range):
            return np.arange(ids.start, ids.stop, ids.step, dtype=np.int64)
        return ids

    @property
    def counts(self) -> np.ndarray:
        """The ``(len(row_ids), iters)`` training counts (unpacked here from bits)."""
        if not self.packed:
            return self._counts
        return np.asfortranarray(np.stack([self.column(i) for i in range(self.iters)], axis=1))

    @property
    def n(self) -> int:
        """Number of sampled ids."""
        return len(self._ids)

    @property
    def iters(self) -> int:
        """Number of iterations (columns of ``counts``)."""
        return int(self._counts.shape[1])

    def column(self, i: int) -> np.ndarray:
        """The training counts of iteration ``i``, one per id."""
        return self._part(i, 0, self.n)

    def _part(self, i: int, lo: int, hi: int) -> np.ndarray:
        """The training counts of iteration ``i`` of ids at positions ``lo`` to ``hi - 1``
        (only their bytes unpacked where the counts are kept as bits)."""
        if not self.packed:
            return self._counts[lo:hi, i]
        first = lo // 8
        bits = np.unpackbits(self._counts[first:(hi + 7) // 8, i])
        return bits[lo - 8 * first:hi - 8 * first]

    def train(self, i: int) -> np.ndarray:
        """Training ids of iteration ``i``, each repeated as often as it was drawn.

        Only the drawn ids are repeated: ``np.repeat`` over all ids would first widen
        the counts to one int64 per id (80 MB for 10,000,000 ids) to draw 2% of them.
        """
        column = self.column(i)
        drawn = np.flatnonzero(column)
        return np.repeat(self._ids_at(drawn), column[drawn])

    def test(self, i: int) -> np.ndarray:
        """Test ids of iteration ``i``: the ids not drawn for training."""
        if self.packed:  # the bits not set, of the inverted bits: no temporary per id
            zeros = np.unpackbits(~self._counts[:, i], count=self.n)
            return self._ids_at(np.flatnonzero(zeros))
        return self._ids_at(np.flatnonzero(self.column(i) == 0))

    def _ids_at(self, positions: np.ndarray, offset: int = 0) -> np.ndarray:
        """The ids at ``positions + offset`` (int64; ``positions`` themselves, not a copy,
        where the ids are the range ``0 .. n - 1`` and ``offset`` is 0)."""
        ids = self._ids
        if isinstance(ids, range):
            out = positions.astype(np.int64, copy=False)
            if ids.step != 1:
                out = out * ids.step
            first = ids.start + offset * ids.step
            return out + first if first else out
        return ids[offset:][positions] if offset else ids[positions]

    def train_count(self, i: int) -> int:
        """How many distinct ids iteration ``i`` trains on (without building them)."""
        if self.packed:  # the bits set (packbits pads with zeros)
            return int(_BITS_SET[self._counts[:, i]].sum())
        return int(np.count_nonzero(self._counts[:, i]))

    def test_count(self, i: int) -> int:
        """How many ids iteration ``i`` tests (without building them)."""
        return self.n - self.train_count(i)

    def sorted_test_slice(self, i: int, start: int, stop: int) -> np.ndarray | None:
        """Test ids ``start`` to ``stop - 1`` of iteration ``i`` in ascending order, built
        alone (None where the ids are not ascending: their test set must be sorted).

        The positions of these ids among all ids are found by counting the test ids
        block by block, so nothing the size of the whole test set is allocated.
        """
        if not self._ascending():
            return None
        zeros = self._zeros_before(i)
        start, stop, _ = slice(start, stop).indices(int(zeros[-1]))
        if stop <= start:
            return np.empty(0, dtype=np.int64)
        lo = self._nth_zero(i, start)
        hi = self._nth_zero(i, stop - 1) + 1
        return self._ids_at(np.flatnonzero(self._part(i, lo, hi) == 0), lo)

    def _ascending(self) -> bool:
        """Whether the ids are strictly increasing (checked once)."""
        known = self.__dict__.get("_is_ascending")
        if known is None:
            ids = self._ids
            known = (ids.step > 0 if isinstance(ids, range)
                     else len(ids) < 2 or bool(np.all(ids[1:] > ids[:-1])))
            self.__dict__["_is_ascending"] = known
        return bool(known)

    def _zeros_before(self, i: int) -> np.ndarray:
        """The test ids of iteration ``i`` before each block of :data:`_BLOCK` ids, and
        their total last (counted once per iteration: the slices of a test set jump
        to their block instead of counting from the first id)."""
        index: dict[int, np.ndarray] = self.__dict__.setdefault("_zero_index", {})
        if i not in index:
            counts = [0]
            for lo in range(0, self.n, _BLOCK):
                part = self._part(i, lo, min(lo + _BLOCK, self.n))
                counts.append(len(part) - int(np.count_nonzero(part)))
            index[i] = np.cumsum(counts)
        return index[i]

    def _nth_zero(self, i: int, k: int) -> int:
        """The position of the ``k``-th (0-based) test id of iteration ``i``."""
        zeros = self._zeros_before(i)
        block = int(np.searchsorted(zeros, k, side="right")) - 1
        if not 0 <= k < zeros[-1]:
            raise IndexError(f"Position {k} is beyond the {int(zeros[-1])} test ids.")
        lo = block * _BLOCK
        found = np.flatnonzero(self._part(i, lo, min(lo + _BLOCK, self.n)) == 0)
        return lo + int(found[k - int(zeros[block])])


_BLOCK = 1 << 20

#: The number of bits set in each byte value.
_BITS_SET = np.unpackbits(np.arange(256, dtype=np.uint8)[:, None], axis=1).sum(axis=1)


def kept_ids(ids: np.ndarray | range) -> np.ndarray | range:
    """The ids an instance keeps: a range as it is, anything else as an array."""
    return ids if isinstance(ids, range) else np.asarray(ids)


class _CountResampling(Resampling):
    """Shared machinery of holdout, subsampling and bootstrap."""

    def _combine(self, instances: list[CountInstance]) -> CountInstance:
        return CountInstance(
            row_ids=np.concatenate([inst.row_ids for inst in instances]),
            counts=np.asfortranarray(np.concatenate([inst.counts for inst in instances],
                                                    axis=0)),
        )

    def _get_train(self, i: int) -> np.ndarray:
        return self._instance.train(i)

    def _get_test(self, i: int) -> np.ndarray:
        return self._instance.test(i)

    def _count_test(self, i: int) -> int | None:
        return self._instance.test_count(i)

    def _sorted_test_slice(self, i: int, start: int, stop: int) -> np.ndarray | None:
        return self._instance.sorted_test_slice(i, start, stop)

    #: Count instances keep a task's rows 0 .. n - 1 as a range (:class:`CountInstance`).
    _samples_ranges = True

    def _draw_without_replacement(
        self, ids: np.ndarray | range, rng: np.random.Generator, repeats: int
    ) -> CountInstance:
        """``repeats`` training sets of ``round(n * ratio)`` distinct ids each.

        numpy's sample without replacement draws only the ids it keeps (a full
        permutation of 10,000,000 ids took 0.4 s per set, the sample of 2% of them
        6 ms).
        """
        n = len(ids)
        n_train = _round_size(n, self._value("ratio"))

        def columns() -> Iterator[np.ndarray]:  # 0 or 1: kept as a bit per id and iteration
            for _ in range(repeats):
                column = np.zeros(n, dtype=bool)
                column[rng.choice(n, n_train, replace=False, shuffle=False)] = True
                yield column

        return CountInstance.of_drawn(kept_ids(ids), repeats, columns())

    def _check_ratio_split(self, instance: CountInstance, n: int, unit: str) -> None:
        """Both sets of every iteration must be non-empty."""
        n_train = np.array([instance.train_count(r) for r in range(instance.iters)])
        n_test = instance.n - n_train  # drawn without replacement: counts of 0 or 1
        if (n_train < 1).any() or (n_test < 1).any():
            side = "training" if (n_train < 1).any() else "test"
            ratio = self._value("ratio")
            raise ConfigError(
                f"Resampling '{self.id}' with ratio={ratio:.4g} on {n} {unit} leaves an empty "
                f"{side} set. Choose a ratio so that both sets get at least one of the {unit}."
            )
