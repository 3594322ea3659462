"""The main thread's CPU time during a parallel random search, step by step.

The random search of ``benchmarks/tune_random_search.py`` (100 configurations of a
CART tree x 3-fold CV on sonar, ``batch_size=20``) under ``plan("processes",
workers=2)``. On two cores the main thread's CPU time is taken from the workers.
``time.thread_time`` probes around the engine's and the tuner's functions add up
what each step costs per run (the steps nest: "submit one unit" includes
"pickle shared objects" and "send to a worker"; "draw and prepare the next batch"
and "a batch's results" include the steps listed under them). The batches stream
(``TuningInstance.eval_batches``): the main thread prepares the next batch and scores
the last while the workers run. Two untimed warm-up runs start the workers.

Usage::

    MLR3PY_DATA_DIR=../shared/data python benchmarks/tune_main_thread.py [--reps 5]
"""

from __future__ import annotations

import argparse
import collections
import functools
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import mlr3py.evaluation._stream as stream
import mlr3py.execution._memmap as memmap
import mlr3py.execution._processes as processes
import mlr3py.execution._slots as slots
import mlr3py.tuning._batch as batch
import mlr3py.tuning._batch_stream as batch_stream
import mlr3py.tuning._instance as instance
from mlr3py import plan, rsmp, tsk

sys.path.insert(0, str(Path(__file__).resolve().parent))
from tune_random_search import run_mlr3py

#: (owner, attribute, label) of each probed function
PROBES: list[tuple[Any, str, str]] = [
    (batch_stream.BatchSource, "more", "draw and prepare the next batch (the next 4)"),
    (batch, "configured", "configure the learners"),
    (stream, "_prepare", "prepare the experiments (clones, checks)"),
    (stream, "_make_jobs", "make the jobs (seeds)"),
    (stream, "settle", "settle the jobs' outcomes"),
    (processes.ProcessRun, "_submit_one", "submit one unit"),
    (memmap.ArrayFiles, "pack", "pickle shared objects"),
    (slots.Slot, "submit", "send to a worker"),
    (processes.ProcessRun, "_collect", "collect a unit's results"),
    (batch_stream.BatchSource, "done", "a batch's results (the next 2)"),
    (stream, "group_results", "group the results"),
    (instance.TuningInstance, "archive_batch", "score and archive"),
]


def _probe(totals: dict[str, float], fn: Callable[..., Any],
           label: str) -> Callable[..., Any]:
    @functools.wraps(fn)
    def probed(*args: Any, **kwargs: Any) -> Any:
        start = time.thread_time()
        try:
            return fn(*args, **kwargs)
        finally:
            totals[label] += time.thread_time() - start
    return probed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=5)
    args = parser.parse_args()
    totals: dict[str, float] = collections.defaultdict(float)
    for owner, name, label in PROBES:
        setattr(owner, name, _probe(totals, getattr(owner, name), label))
    task = tsk("sonar")
    resampling = rsmp("cv", folds=3).instantiate(task, seed=1)
    with plan("processes", workers=2):
        for _ in range(2):  # warm-up: start the workers
            run_mlr3py(task, resampling, 20)
        totals.clear()
        cpu, wall = time.thread_time(), time.perf_counter()
        for _ in range(args.reps):
            run_mlr3py(task, resampling, 20)
        cpu, wall = time.thread_time() - cpu, time.perf_counter() - wall
    load = os.getloadavg()
    print(f"per run, mean of {args.reps}: main thread CPU {cpu / args.reps * 1e3:.0f} ms, "
          f"wall {wall / args.reps * 1e3:.0f} ms; load average {load[0]:.2f} {load[1]:.2f} "
          f"{load[2]:.2f}")
    for _, _, label in PROBES:
        print(f"  {label}: {totals[label] / args.reps * 1e3:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
