"""Chunking and ordering: how the items of one run are split into units.

``mlr3py.options.exec_random`` (default True) starts the items in random order, so
that slow experiments do not all land at the end. ``exec_chunk_size`` puts that
many items into one submitted unit, which amortises the per-submission overhead
of worker processes and clusters; 1 submits every item on its own. Unset (None,
the default), engines whose submissions cost something (worker processes, dask)
split a run into about :data:`UNITS_PER_WORKER` units per worker
(:func:`auto_chunk_count`), as ``multiprocessing.Pool.map`` does: a run of many
tiny jobs then pays a few submissions instead of one per job, and each worker
still gets more than one unit, so one that finishes early takes another.
Results always come back in item order (:mod:`mlr3py.execution._map`), and since
every job carries its own seed, neither setting changes them.
"""

from __future__ import annotations

import random

__all__ = ["UNITS_PER_WORKER", "auto_chunk_count", "make_chunks"]

#: Units per worker when no chunk size is set (``options.exec_chunk_size`` is None).
UNITS_PER_WORKER = 2


def auto_chunk_count(n: int, workers: int) -> int:
    """The number of units ``n`` items are split into when no chunk size is set.

    ``UNITS_PER_WORKER * workers`` units (at most ``n``: one item per unit at least).
    """
    return max(1, min(n, UNITS_PER_WORKER * max(1, workers)))


def make_chunks(
    n: int, chunk_size: int | None, shuffle: bool, n_chunks: int | None = None
) -> list[list[int]]:
    """Split positions ``0..n-1`` into chunks, in random order if ``shuffle``.

    Parameters
    ----------
    n : int
        The number of items.
    chunk_size : int or None
        Items per chunk (the last chunk may hold fewer).
    shuffle : bool
        Deal the positions out in random order. The shuffle uses a generator of its
        own (seeded from the operating system), never numpy's or :mod:`random`'s
        global one.
    n_chunks : int, optional
        Used when ``chunk_size`` is None: this many chunks whose sizes differ by at
        most one.

    Returns
    -------
    list of list of int
        The positions of each chunk.
    """
    order = list(range(n))
    if shuffle and n > 1:
        random.Random(random.SystemRandom().getrandbits(64)).shuffle(order)
    if chunk_size is None:
        count = max(1, min(n, n_chunks or 1))
        size, extra = divmod(n, count)
        bounds = [k * size + min(k, extra) for k in range(count + 1)]
        return [order[bounds[k]:bounds[k + 1]] for k in range(count) if bounds[k + 1] > bounds[k]]
    return [order[i:i + chunk_size] for i in range(0, n, chunk_size)]
