"""Stratified batches: the pure, vectorised core of the stratified batch sampler.

For each stratum ``s`` (a combination of stratum values) with ``n_s`` rows, taken
in epoch order, and ``i = 1..n_s`` the row's rank inside its stratum, there are
``B = max(1, n_min // m)`` batches (``n_min``: the smallest stratum, ``m``:
``min_samples_per_stratum``) and the row goes to batch ``ceil(i * B / n_s)``,
computed in integers as ``(i * B + n_s - 1) // n_s``. Inside a batch rows keep
their epoch order and batches come in increasing batch number.

Consequences used below:

* stratum ``s`` puts exactly ``floor(b * n_s / B) - floor((b - 1) * n_s / B)``
  rows into batch ``b`` (``>= floor(n_s / B) >= m``), whatever the epoch order,
  so batch sizes, ``len()`` and the per-batch stratum counts are fixed by the
  stratum sizes alone;
* the batch of the ``i``-th row of each stratum is fixed too, so one epoch only
  has to find each stratum's epoch positions (one scan per stratum, or one sort
  when there are many strata) and order the rows by (batch, epoch position):
  one sort of the unique int64 keys ``batch << 32 | position``, or, when a
  majority stratum holds at least 7/8 of the rows, an insertion of the other
  rows into the majority's epoch order at positions computed from counts (only
  the minority part is sorted). No per-row Python loop.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np
import pandas as pd

from mlr3py.errors import ConfigError, InputError

__all__ = ["StratifiedPlan", "check_min_samples", "encode_strata", "stratified_batches"]

# up to this many strata the rows of each stratum come from one scan per stratum
# (O(n) each); above it from one sort of (stratum, position) keys
_MAX_STRATA_SCAN = 8
# sort keys hold the batch (or stratum) in the high bits, the epoch position in the low
_SHIFT = 32
_LOW = (1 << _SHIFT) - 1
_MAX_ROWS = 1 << 31
# insert the other rows into the largest stratum's epoch order when at most
# 1/_MERGE_FRACTION of the rows are outside it; otherwise one sort of all keys
_MERGE_FRACTION = 8


def check_min_samples(value: Any, owner: str = "stratified_batches()") -> int:
    """Return ``value`` as an int if it is an int >= 1, else raise :class:`ConfigError`."""
    if (
        isinstance(value, bool)
        or not isinstance(value, numbers.Integral)
        or int(value) < 1
    ):
        raise ConfigError(
            f"The 'min_samples_per_stratum' parameter of {owner} must be an int >= 1. "
            f"Got {value!r} instead."
        )
    return int(value)


def _level_label(value: Any) -> str:
    if isinstance(value, tuple):
        return ".".join(_level_label(v) for v in value)
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "NA"
    return str(value)


def encode_strata(strata: Any) -> tuple[np.ndarray, list[str]]:
    """Integer codes of the strata of the rows and the labels of the codes.

    Parameters
    ----------
    strata : array-like or pandas.DataFrame
        One stratum value per row (a 1-D array, list, Series or Categorical), or a
        DataFrame whose columns are combined (each combination is one stratum).
        Missing values form their own stratum.

    Returns
    -------
    codes : numpy.ndarray
        int64 codes ``0..S-1``, one per row.
    labels : list of str
        The label of each code (combinations joined by ``"."``, as R's
        ``interaction()``), sorted where the values are sortable (categoricals in
        the order of their categories).
    """
    if isinstance(strata, pd.DataFrame):
        if strata.shape[1] == 0:
            raise InputError("The strata DataFrame has no columns; give at least one column.")
        if strata.shape[1] == 1:
            return encode_strata(strata.iloc[:, 0])
        frame = strata.reset_index(drop=True)
        cols = list(frame.columns)
        grouped = frame.groupby(cols, sort=True, dropna=False, observed=True)
        codes = grouped.ngroup().to_numpy().astype(np.int64, copy=False)
        labels = [_level_label(k) for k in grouped.groups]
        # groups iterate in sorted order, the same order ngroup() numbers them
        return codes, labels
    values = strata
    if not isinstance(values, (pd.Series, pd.Categorical, pd.Index)):
        values = np.asarray(values)
        if values.ndim != 1:
            raise InputError(
                "The strata must be a 1-D array (one value per row) or a DataFrame of "
                f"stratum columns. Got an array of shape {values.shape} instead."
            )
    try:
        codes, uniques = pd.factorize(values, sort=True, use_na_sentinel=False)
    except TypeError:  # unsortable mixed values: order of first appearance
        codes, uniques = pd.factorize(values, sort=False, use_na_sentinel=False)
    return np.asarray(codes, dtype=np.int64), [_level_label(u) for u in uniques]


def _check_order(order: Any, n: int) -> np.ndarray:
    arr = np.asarray(order)
    ok = arr.ndim == 1 and arr.shape[0] == n and (n == 0 or np.issubdtype(arr.dtype, np.integer))
    if ok and n:
        arr = arr.astype(np.int64, copy=False)
        ok = bool(arr.min() >= 0 and arr.max() < n) and bool(
            (np.bincount(arr, minlength=n) == 1).all()
        )
    if not ok:
        raise InputError(
            f"'order' must be a permutation of the row positions 0..{n - 1} (an integer "
            f"array of length {n} holding each position once). Got {_short(order)} instead."
        )
    return arr.astype(np.int64, copy=False)


def _short(x: Any) -> str:
    arr = np.asarray(x)
    if arr.ndim == 1 and arr.shape[0] > 8:
        return f"an array of length {arr.shape[0]} starting {arr[:5].tolist()}"
    return repr(x)


class StratifiedPlan:
    """The fixed part of the stratified batching of one set of strata.

    Everything that does not depend on the epoch order is computed once here:
    the number of batches, their sizes, the per-stratum counts and the batch of
    the ``i``-th row of each stratum. :meth:`rows` then turns one epoch order
    into the rows of all batches.

    Parameters
    ----------
    codes : numpy.ndarray
        Integer stratum codes of the rows.
    min_samples_per_stratum : int
        ``m`` (already checked).
    """

    def __init__(self, codes: np.ndarray, min_samples_per_stratum: int) -> None:
        codes = np.asarray(codes, dtype=np.int64)
        self.n = n = int(codes.shape[0])
        self.m = int(min_samples_per_stratum)
        if n >= _MAX_ROWS:
            raise InputError(f"Stratified batches take fewer than {_MAX_ROWS} rows. Got {n}.")
        if n and codes.min() < 0:
            codes = codes - codes.min()
        counts = np.bincount(codes).astype(np.int64) if n else np.zeros(0, dtype=np.int64)
        if (counts == 0).any():  # codes with gaps: renumber
            _, codes = np.unique(codes, return_inverse=True)
            counts = np.bincount(codes).astype(np.int64)
        self.counts = counts
        n_strata = int(counts.shape[0])
        nb = max(1, int(counts.min()) // self.m) if n else 0
        #: number of batches B
        self.n_batches = nb
        if n == 0:
            self.stratum_counts = np.zeros((0, 0), dtype=np.int64)
            self.batch_sizes = np.zeros(0, dtype=np.int64)
            self.bounds = np.zeros(1, dtype=np.int64)
            return
        # rows of stratum s in batches 1..b: floor(b * n_s / B)
        cum = (np.arange(nb + 1, dtype=np.int64)[None, :] * counts[:, None]) // nb
        #: (S, B) rows of each stratum in each batch, the same in every epoch
        self.stratum_counts = np.diff(cum, axis=1)
        #: rows per batch, the same in every epoch
        self.batch_sizes = self.stratum_counts.sum(axis=0)
        #: batch b is rows[bounds[b]:bounds[b + 1]]
        self.bounds = np.concatenate([[0], np.cumsum(self.batch_sizes)]).astype(np.int64)
        self._codes = codes.astype(np.min_scalar_type(max(n_strata - 1, 0)))
        self._starts = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        # batch (0-based) of the i-th row (i = 1..n_s) of each stratum, stratum after
        # stratum: ceil(i * B / n_s) - 1 = (i * B - 1) // n_s; shifted into the high
        # bits of a sort key whose low bits hold the epoch position
        code_sorted = np.repeat(np.arange(n_strata, dtype=np.int64), counts)
        rank = np.arange(n, dtype=np.int64) - self._starts[code_sorted] + 1
        rank *= nb
        rank -= 1
        rank //= counts[code_sorted]
        rank <<= _SHIFT
        self._batch_keys = rank
        self._largest = big = int(np.argmax(counts))
        self._few = n_strata <= _MAX_STRATA_SCAN
        self._merge = (n - int(counts[big])) * _MERGE_FRACTION <= n
        if self._merge:
            # rows of the largest stratum in batches before b, and in b
            self._lo_big = cum[big, :-1].copy()
            self._cnt_big = self.stratum_counts[big].copy()
            # batches of the other strata's ranks, stratum after stratum
            rest = np.concatenate([rank[: self._starts[big]], rank[self._starts[big + 1] :]])
            self._rest_batches = rest >> _SHIFT

    @property
    def n_strata(self) -> int:
        """Number of strata ``S``."""
        return int(self.counts.shape[0])

    @property
    def algorithm(self) -> str:
        """How :meth:`rows` orders an epoch.

        ``"merge"`` (few rows outside the largest stratum: they are inserted among its
        rows), ``"scan"`` (few strata: positions grouped by one scan per stratum) or
        ``"sort"`` (positions grouped by one sort).
        """
        if getattr(self, "_merge", False):
            return "merge"
        return "scan" if getattr(self, "_few", True) else "sort"

    def _grouped_positions(self, order: np.ndarray) -> np.ndarray:
        """Epoch positions grouped by stratum (codes 0..S-1), each in epoch order."""
        c = np.take(self._codes, order)  # stratum of each epoch position
        if self._few:
            out = np.empty(self.n, dtype=np.int64)
            starts = self._starts
            for s in range(self.n_strata):
                out[starts[s] : starts[s + 1]] = np.flatnonzero(c == s)
            return out
        key = c.astype(np.int64)
        key <<= _SHIFT
        key |= np.arange(self.n, dtype=np.int64)
        key.sort()  # unique keys: the same as a stable sort by stratum
        key &= _LOW
        return key

    def rows(self, order: np.ndarray) -> np.ndarray:
        """The rows of all batches of the epoch ``order``, batch after batch.

        Parameters
        ----------
        order : numpy.ndarray
            A permutation of ``0..n-1`` (int64, not checked).

        Returns
        -------
        numpy.ndarray
            int64 row positions; batch ``b`` is ``rows[bounds[b]:bounds[b + 1]]``.
        """
        order = np.asarray(order, dtype=np.int64)
        if self.n_batches <= 1:
            return order.copy()
        if self._merge:
            return self._rows_merge(order)
        # sort keys (batch, epoch position), unique: a sort is a stable sort by batch
        keys = self._grouped_positions(order)
        keys |= self._batch_keys
        keys.sort()
        keys &= _LOW
        return order[keys]

    def _rows_merge(self, order: np.ndarray) -> np.ndarray:
        """:meth:`rows` when few rows lie outside the largest stratum.

        The largest stratum's rows keep their epoch order in the output; each other
        row is inserted after the rows of the largest stratum that precede it in
        (batch, epoch position) order. Their number follows from counts alone: a
        row at epoch position ``p`` with ``r`` other rows before it has ``p - r``
        rows of the largest stratum before it in the epoch, of which those in
        batches up to its own batch ``b`` count, clipped to the rows of that
        stratum in batches before ``b`` and in ``b``. Only the small part is sorted.
        """
        big = self._largest
        c = np.take(self._codes, order)
        is_big = c == big
        p_rest = np.flatnonzero(~is_big)  # epoch positions of the other rows, epoch order
        if self.n_strata == 2:
            # one other stratum: its rows in epoch order are its ranks 1..n_s, already
            # sorted by (batch, position)
            b = self._rest_batches
            r = None
            p = p_rest
        else:
            grouped = np.argsort(c[p_rest], kind="stable")  # by stratum, epoch order inside
            key = self._rest_batches << _SHIFT
            key |= grouped
            key.sort()  # by (batch, epoch position)
            b = key >> _SHIFT
            r = key & _LOW  # epoch rank among the other rows
            p = p_rest[r]
        lo = self._lo_big[b]
        big_before = (p - (np.arange(p.shape[0]) if r is None else r)) - lo
        np.clip(big_before, 0, self._cnt_big[b], out=big_before)
        big_before += lo
        return np.insert(order[is_big], big_before, order[p])

    def split(self, rows: np.ndarray) -> list[np.ndarray]:
        """``rows`` cut into the batches (views)."""
        b = self.bounds.tolist()
        return [rows[b[i] : b[i + 1]] for i in range(self.n_batches)]


def stratified_batches(
    strata: Any, min_samples_per_stratum: int, order: Any = None
) -> list[np.ndarray]:
    """Stratified batches of one epoch.

    Parameters
    ----------
    strata : array-like or pandas.DataFrame
        The stratum of each row: a 1-D array (one value per row position), or a
        DataFrame of stratum columns whose value combinations are the strata.
    min_samples_per_stratum : int
        ``m >= 1``: every stratum has at least ``m`` rows in every batch (when the
        smallest stratum has fewer than ``m`` rows, one batch holds all rows).
    order : array-like of int, optional
        The epoch order, a permutation of the row positions ``0..n-1``
        (default: ``0..n-1``, the task order).

    Returns
    -------
    list of numpy.ndarray
        One int64 array of row positions per batch, in batch order; inside a
        batch rows keep their epoch order. There are ``max(1, n_min // m)``
        batches, ``n_min`` being the size of the smallest stratum.

    Raises
    ------
    ConfigError
        If ``min_samples_per_stratum`` is not an int >= 1.
    InputError
        If ``order`` is not a permutation of ``0..n-1``.

    Examples
    --------
    >>> stratified_batches(["a"] * 4 + ["b"] * 2, 1)
    [array([0, 1, 4]), array([2, 3, 5])]
    """
    m = check_min_samples(min_samples_per_stratum)
    codes, _ = encode_strata(strata)
    n = codes.shape[0]
    perm = np.arange(n, dtype=np.int64) if order is None else _check_order(order, n)
    plan = StratifiedPlan(codes, m)
    return plan.split(plan.rows(perm))
