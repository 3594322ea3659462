"""Chunking and ordering: how the items of one run are split into units.

``mlr3py.options.exec_random`` (default True) starts the items in random order, so
that slow experiments do not all land at the end. ``exec_chunk_size`` puts that
many items into one submitted unit, which amortises the per-submission overhead
of worker processes and clusters; 1 submits every item on its own. Unset (None,
the default), engines whose submissions cost something (worker processes, dask)
split a run into units of decreasing size (:func:`auto_chunk_sizes`), as OpenMP's
"guided" schedule does: the first units hold a share of the items of about
``1 / (UNITS_PER_WORKER * workers)``, each later one that share of what is left,
down to :data:`TAIL_UNITS_PER_WORKER` units' worth. A run of many tiny jobs then
pays a few submissions instead of one per job, and the small units at the end
keep all workers busy until the run is done: with equal units (all handed out at
once, as each process worker holds two), a worker that finishes its last unit
early waits for the others to finish theirs (in one measurement 26 ms of a
200 ms tuning batch on two workers; 3 to 8 ms with the decreasing units).
Results always come back in item order (:mod:`mlr3py.execution._map`), and since
every job carries its own seed, neither setting changes them.
"""

from __future__ import annotations

import itertools
import random

__all__ = ["TAIL_UNITS_PER_WORKER", "UNITS_PER_WORKER", "auto_chunk_sizes", "make_chunks"]

#: When no chunk size is set (``options.exec_chunk_size`` is None), each unit holds
#: ``1 / (UNITS_PER_WORKER * workers)`` of the items not handed out yet ...
UNITS_PER_WORKER = 2

#: ... and at least ``1 / (TAIL_UNITS_PER_WORKER * workers)`` of all items.
TAIL_UNITS_PER_WORKER = 8


def auto_chunk_sizes(n: int, workers: int, tail: int = TAIL_UNITS_PER_WORKER) -> list[int]:
    """The sizes of the units ``n`` items are split into when no chunk size is set.

    Parameters
    ----------
    n : int
        The number of items.
    workers : int
        The workers of the plan level.
    tail : int
        The smallest unit holds ``1 / (tail * workers)`` of the items.

    Returns
    -------
    list of int
        Decreasing sizes that add up to ``n`` (``[15, 12, 9, 6, 5, 4, 4, 4, 1]`` for
        60 items on 2 workers).
    """
    share = UNITS_PER_WORKER * max(1, workers)
    smallest = max(1, -(-n // (max(1, tail) * max(1, workers))))
    sizes: list[int] = []
    left = n
    while left > 0:
        size = min(left, max(smallest, -(-left // share)))
        sizes.append(size)
        left -= size
    return sizes


def make_chunks(
    n: int, chunk_size: int | None, shuffle: bool, sizes: list[int] | None = None
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
    sizes : list of int, optional
        Used when ``chunk_size`` is None: the size of each chunk (they must add up to
        ``n``); default: one chunk of all items.

    Returns
    -------
    list of list of int
        The positions of each chunk.
    """
    order = list(range(n))
    if shuffle and n > 1:
        random.Random(random.SystemRandom().getrandbits(64)).shuffle(order)
    if chunk_size is None:
        sizes = [n] if sizes is None else sizes
        if sum(sizes) != n or any(size < 1 for size in sizes):
            raise ValueError(f"Chunk sizes {sizes} do not split {n} items.")
        starts = [0, *itertools.accumulate(sizes)]
        return [order[starts[k]:starts[k + 1]] for k in range(len(sizes))]
    return [order[i:i + chunk_size] for i in range(0, n, chunk_size)]
