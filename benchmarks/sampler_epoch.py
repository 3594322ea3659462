"""One epoch of batch generation: the stratified sampler against unstratified batching.

For N = 1e5, 1e6 and 1e7 rows with 3% minority (the first 3% of the rows) and
``min_samples_per_stratum = 3`` (so N / 100 batches of about 100 rows), three
ways of producing one epoch of batches are timed, each iterated to the end:

* ``stratified``: ``BatchSamplerStratified(strata, 3, shuffle=True, generator=g)``
  (a ``torch.randperm`` per epoch, then vectorised integer work; batches are
  int64 numpy views);
* ``torch``: torch's default ``BatchSampler(RandomSampler(range(N), generator=g),
  100, drop_last=False)`` (lists of Python ints);
* ``numpy``: a bare permutation split into the same number of batches,
  ``np.array_split(rng.permutation(N), N // 100)``.

The sampler's construction (once per training: strata codes and the fixed batch
layout) is timed separately and not part of the epoch. Each repetition runs the
three sides in rotating order after one untimed warm-up of each. Goals: the
stratified epoch no slower than torch's unstratified default, and at most 1.5x
the bare numpy permutation at 1e7.

Usage::

    python benchmarks/sampler_epoch.py           # 7 reps (5 at 1e7)
    python benchmarks/sampler_epoch.py --quick   # 3 reps (2 at 1e7)
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable

import numpy as np
import torch
from torch.utils.data import BatchSampler, RandomSampler

from mlr3py.torch.samplers import BatchSamplerStratified

MINORITY = 0.03
M = 3
BATCH = 100
GOAL_TORCH = 1.0
GOAL_NUMPY = 1.5


def make_strata(n: int) -> np.ndarray:
    """0/1 strata: the first 3% of the rows are the minority."""
    strata = np.zeros(n, dtype=np.int8)
    strata[: int(n * MINORITY)] = 1
    return strata


def consume(batches) -> int:
    """Iterate to the end; return the number of batches."""
    count = 0
    for _ in batches:
        count += 1
    return count


def time_once(fn: Callable[[], int]) -> tuple[float, int]:
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def run_case(n: int, reps: int) -> dict[str, float]:
    strata = make_strata(n)
    start = time.perf_counter()
    stratified = BatchSamplerStratified(strata, M, generator=torch.Generator().manual_seed(1))
    build = time.perf_counter() - start
    n_batches = len(stratified)
    default = BatchSampler(
        RandomSampler(range(n), generator=torch.Generator().manual_seed(1)), BATCH, False
    )
    rng = np.random.default_rng(1)

    sides: dict[str, Callable[[], int]] = {
        "stratified": lambda: consume(stratified),
        "torch": lambda: consume(default),
        "numpy": lambda: consume(np.array_split(rng.permutation(n), n_batches)),
    }
    # one checked warm-up epoch of each
    minority = np.flatnonzero(strata == 1)
    is_minority = np.zeros(n, dtype=bool)
    is_minority[minority] = True
    batches = list(stratified)
    assert len(batches) == n_batches == n // BATCH
    assert min(int(is_minority[b].sum()) for b in batches) >= M
    assert np.array_equal(np.sort(np.concatenate(batches)), np.arange(n))
    del batches
    for fn in sides.values():
        fn()
    times: dict[str, list[float]] = {k: [] for k in sides}
    names = list(sides)
    for rep in range(reps):
        for k in names[rep % 3 :] + names[: rep % 3]:
            elapsed, count = time_once(sides[k])
            assert count >= n_batches
            times[k].append(elapsed)
    med = {k: statistics.median(v) for k, v in times.items()}
    med["build"] = build
    med["n_batches"] = n_batches
    return med


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument(
        "--sizes", type=float, nargs="+", default=[1e5, 1e6, 1e7], help="numbers of rows"
    )
    args = parser.parse_args(argv)
    torch.set_num_threads(1)
    print(
        f"Python {platform.python_version()}, numpy {np.__version__}, torch {torch.__version__}, "
        f"{platform.machine()}, {os.cpu_count()} CPUs (torch threads: 1)"
    )
    print(f"minority {MINORITY:.0%}, min_samples_per_stratum={M}, batch size {BATCH}\n")
    rows = []
    for size in args.sizes:
        n = int(size)
        reps = (3 if args.quick else 7) if n < 5_000_000 else (2 if args.quick else 5)
        med = run_case(n, reps)
        rows.append((n, reps, med))
        print(
            f"N={n:>10,}: stratified {med['stratified']:.4f}s  torch {med['torch']:.4f}s  "
            f"numpy {med['numpy']:.4f}s  (build {med['build']:.4f}s, {reps} reps)",
            flush=True,
        )
    print(
        "\n| N | batches | stratified (s) | torch BatchSampler(RandomSampler) (s) | "
        "numpy permutation + array_split (s) | stratified / torch | stratified / numpy | "
        "sampler build (s) |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    ok = True
    for n, _, med in rows:
        r_torch = med["stratified"] / med["torch"]
        r_numpy = med["stratified"] / med["numpy"]
        print(
            f"| {n:,} | {int(med['n_batches']):,} | {med['stratified']:.4f} | "
            f"{med['torch']:.4f} | {med['numpy']:.4f} | {r_torch:.2f} | {r_numpy:.2f} | "
            f"{med['build']:.4f} |"
        )
        ok &= r_torch <= GOAL_TORCH
        if n >= 10_000_000:
            ok &= r_numpy <= GOAL_NUMPY
    print(
        f"\nGoals: stratified / torch <= {GOAL_TORCH:.2f} at every N; stratified / numpy "
        f"<= {GOAL_NUMPY:.2f} at 1e7 rows. {'Met.' if ok else 'NOT met.'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
