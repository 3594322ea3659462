"""What the result store costs: ``benchmark(design, store=...)`` against the same run
without a store, timed side by side in one process, sequential plan.

Three figures:

* **Long jobs** (goal: store overhead <= 5%): a benchmark of ``--jobs`` jobs of
  ``--job-secs`` seconds each (``classif.debug`` sleeping in training, on penguins).
  The goal is stated for 1-second jobs; the default runs 20 jobs of 0.25 s to keep the
  run short, which is the harder case (the same per-job cost weighs 4 times more).
* **Tiny jobs** (goal: <= 2 ms per job): 2,000 jobs of ``classif.featureless`` on
  penguins (subsampling, 2,000 repeats); the per-job cost is the difference of the two
  runs divided by the number of jobs.
* **Resume of a large store** (goal: starts computing within 2 s): a store of 10,000
  finished featureless jobs, one of them marked as not done; ``resume()`` is timed until
  that job starts (its lease row records when), and to the end (all 10,000 results read
  back).

Each repetition runs both sides, alternating which goes first; the script prints
medians, ratios and a markdown table.

Usage::

    python benchmarks/store_overhead.py            # 3 reps; 20 x 0.25 s, 2,000 and 10,000 jobs
    python benchmarks/store_overhead.py --job-secs 1 --jobs 20
    python benchmarks/store_overhead.py --quick    # 1 rep, smaller stores
    python benchmarks/store_overhead.py --dir /dev/shm   # stores in memory (no disk)
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import mlr3py
from mlr3py import lrn, rsmp, tsk
from mlr3py.evaluation import benchmark, benchmark_grid


def _design(learner: Any, resampling: Any) -> Any:
    return benchmark_grid(tsk("penguins"), learner, resampling, seed=1)


def _timed(fn: Callable[[], Any]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def _pair(design: Any, reps: int, workdir: Path) -> tuple[list[float], list[float]]:
    plain, stored = [], []
    for rep in range(reps):
        path = workdir / f"store-{rep}"
        runs = [("plain", lambda rep=rep: benchmark(design, seed=rep)),
                ("store", lambda rep=rep, path=path: benchmark(design, seed=rep, store=path))]
        if rep % 2:
            runs.reverse()
        for name, fn in runs:
            (plain if name == "plain" else stored).append(_timed(fn))
        shutil.rmtree(path)
    return plain, stored


def long_jobs(n_jobs: int, secs: float, reps: int, workdir: Path) -> dict[str, float]:
    """Jobs of ``secs`` seconds: relative overhead of the store."""
    design = _design(lrn("classif.debug", sleep_train=secs), rsmp("subsampling",
                                                                  repeats=n_jobs))
    plain, stored = _pair(design, reps, workdir)
    p, s = statistics.median(plain), statistics.median(stored)
    return {"plain_s": p, "store_s": s, "overhead_pct": 100 * (s / p - 1)}


def tiny_jobs(n_jobs: int, reps: int, workdir: Path) -> dict[str, float]:
    """Featureless jobs: the store's cost per job in milliseconds."""
    design = _design(lrn("classif.featureless"), rsmp("subsampling", repeats=n_jobs))
    benchmark(_design(lrn("classif.featureless"), rsmp("subsampling", repeats=20)), seed=0)
    plain, stored = _pair(design, reps, workdir)
    p, s = statistics.median(plain), statistics.median(stored)
    return {"plain_s": p, "store_s": s, "plain_ms_per_job": 1000 * p / n_jobs,
            "cost_ms_per_job": 1000 * (s - p) / n_jobs}


def resume_large(n_jobs: int, reps: int, workdir: Path) -> dict[str, float]:
    """A store of ``n_jobs`` finished jobs with one left: time to start it, and to end."""
    path = workdir / "large"
    design = _design(lrn("classif.featureless"), rsmp("subsampling", repeats=n_jobs))
    build = _timed(lambda: benchmark(design, seed=1, store=path))
    starts, totals = [], []
    for _ in range(reps):
        con = sqlite3.connect(path / "store.sqlite")
        con.execute("UPDATE jobs SET state='pending' WHERE rowid = ?", (n_jobs // 2,))
        con.commit()
        called = time.time()
        totals.append(_timed(lambda: mlr3py.resume(path)))
        (started,) = con.execute("SELECT started FROM jobs WHERE rowid = ?",
                                 (n_jobs // 2,)).fetchone()
        con.close()
        starts.append(started - called)
    shutil.rmtree(path)
    return {"build_s": build, "start_s": statistics.median(starts),
            "total_s": statistics.median(totals)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=20, help="jobs of the long-job case")
    parser.add_argument("--job-secs", type=float, default=0.25)
    parser.add_argument("--tiny", type=int, default=2000, help="jobs of the tiny-job case")
    parser.add_argument("--large", type=int, default=10000, help="jobs of the large store")
    parser.add_argument("--dir", default=None,
                        help="where the stores go (default: the temporary directory)")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    if args.quick:
        args.reps, args.jobs, args.tiny, args.large = 1, 8, 300, 1000
    where = args.dir or tempfile.gettempdir()
    print(f"python {platform.python_version()}, {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.1f}, stores under {where}")
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        workdir = Path(tmp)
        long = long_jobs(args.jobs, args.job_secs, args.reps, workdir)
        print(f"{args.jobs} jobs of {args.job_secs} s: without store {long['plain_s']:.3f} s, "
              f"with store {long['store_s']:.3f} s, overhead {long['overhead_pct']:+.2f}% "
              "(goal <= 5%)")
        tiny = tiny_jobs(args.tiny, args.reps, workdir)
        print(f"{args.tiny} featureless jobs: without store {tiny['plain_s']:.3f} s "
              f"({tiny['plain_ms_per_job']:.2f} ms/job), with store {tiny['store_s']:.3f} s; "
              f"store cost {tiny['cost_ms_per_job']:.2f} ms per job (goal <= 2 ms)")
        large = resume_large(args.large, args.reps, workdir)
        print(f"store of {args.large} finished jobs (built in {large['build_s']:.1f} s): "
              f"resume() starts the missing job after {large['start_s']:.2f} s (goal <= 2 s), "
              f"returns after {large['total_s']:.2f} s")
    print()
    print("| case | without store | with store | store cost | goal |")
    print("| --- | --- | --- | --- | --- |")
    print(f"| {args.jobs} jobs of {args.job_secs} s | {long['plain_s']:.2f} s | "
          f"{long['store_s']:.2f} s | {long['overhead_pct']:+.2f}% | <= 5% |")
    print(f"| {args.tiny} featureless jobs | {tiny['plain_s']:.2f} s | {tiny['store_s']:.2f} s "
          f"| {tiny['cost_ms_per_job']:.2f} ms/job | <= 2 ms/job |")
    print(f"| resume, {args.large} jobs done | - | start {large['start_s']:.2f} s, "
          f"end {large['total_s']:.2f} s | - | start <= 2 s |")


if __name__ == "__main__":
    main()
