"""Chunking and ordering: how the items of one run are split into units.

``mlr3py.options.exec_random`` (default True) starts the items in random order, so
that slow experiments do not all land at the end; ``exec_chunk_size`` (default 1)
puts that many items into one submitted unit, which amortises the per-submission
overhead of worker processes and clusters. Results always come back in item
order (:mod:`mlr3py.execution._map`), and since every job carries its own seed,
neither setting changes them.
"""

from __future__ import annotations

import random

__all__ = ["make_chunks"]


def make_chunks(n: int, chunk_size: int, shuffle: bool) -> list[list[int]]:
    """Split positions ``0..n-1`` into chunks of ``chunk_size``, in random order if ``shuffle``.

    The shuffle uses a generator of its own (seeded from the operating system),
    never numpy's or :mod:`random`'s global one.
    """
    order = list(range(n))
    if shuffle and n > 1:
        random.Random(random.SystemRandom().getrandbits(64)).shuffle(order)
    return [order[i:i + chunk_size] for i in range(0, n, chunk_size)]
