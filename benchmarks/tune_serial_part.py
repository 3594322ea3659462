"""The serial part of a sequential random search: CPU time outside the jobs.

The tuning benchmark's run (``tune_random_search.py``: 100 configurations of a
CART tree x 3-fold CV on sonar, ``batch_size=20``) under the sequential plan,
with every job's CPU time (``time.process_time()`` around
``mlr3py.evaluation._worker.run_job_kept``) summed apart from the rest. The rest
(drawing, configuring, scoring and archiving the batches, building the jobs) is
what a parallel plan's main process does while no job runs, and bounds the
2-worker speed-up at ``total / (serial + jobs / 2)``. CPU time, not wall time,
so that other work on a shared machine disturbs the figure less.

Usage::

    MLR3PY_DATA_DIR=../shared/data python benchmarks/tune_serial_part.py [--reps 7]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import mlr3py.evaluation._worker as worker
from mlr3py import rsmp, tsk

sys.path.insert(0, str(Path(__file__).resolve().parent))
from tune_random_search import run_mlr3py


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=7)
    args = parser.parse_args()
    task = tsk("sonar")
    resampling = rsmp("cv", folds=3).instantiate(task, seed=1)
    in_jobs = [0.0]
    run_job_kept = worker.run_job_kept

    def timed(job: Any) -> Any:
        start = time.process_time()
        try:
            return run_job_kept(job)
        finally:
            in_jobs[0] += time.process_time() - start

    worker.run_job_kept = timed  # run_jobs() looks it up when it runs
    for _ in range(2):  # warm-up
        run_mlr3py(task, resampling, 20)
    totals, jobs = [], []
    for _ in range(args.reps):
        in_jobs[0] = 0.0
        start = time.process_time()
        run_mlr3py(task, resampling, 20)
        totals.append(time.process_time() - start)
        jobs.append(in_jobs[0])
    serial = statistics.median(t - j for t, j in zip(totals, jobs, strict=True))
    total, job = statistics.median(totals), statistics.median(jobs)
    load = os.getloadavg()
    print(f"CPU seconds per run, medians of {args.reps}: total {total:.3f}, jobs {job:.3f}, "
          f"serial {serial:.4f}; 2-worker bound {total / (serial + job / 2):.2f}; "
          f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
