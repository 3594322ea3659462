"""CPU time of a tuning run's jobs in worker processes against the sequential run.

The random search of ``benchmarks/tune_random_search.py`` (100 configurations of a
CART tree x 3-fold CV on sonar, ``batch_size=20``: 300 jobs per run) under three
plans, alternating: sequential, ``plan("processes", workers=1)`` and
``plan("processes", workers=2)``. Per run it adds up

- the jobs' CPU time: ``time.thread_time`` around each job (the job function is
  replaced by a probe before the workers start; loky workers import it by reference
  from this script's folder), in the main process or in the workers;
- the worker processes' whole CPU time (``psutil``: jobs, unpickling the units and
  the shared objects, pickling the results back, the engine's per-item work).

CPU time, not wall time: the machine may be shared, and other processes lengthen
wall times far more than CPU times. Read the ratios to the sequential run's job CPU:
one worker shows what the worker path costs (its jobs and its bookkeeping), two
workers add what two processes running side by side cost each other (caches,
memory bandwidth; nothing the package does differs between one and two workers
beyond sending the shared objects to each).

Usage::

    MLR3PY_DATA_DIR=../shared/data python benchmarks/tune_worker_cpu.py [--reps 6]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psutil
from tune_random_search import run_mlr3py

import mlr3py.evaluation._stream as stream
import mlr3py.evaluation._worker as worker
from mlr3py import plan, rsmp, tsk

PROBES = Path(os.environ.setdefault("MLR3PY_WORKER_CPU_DIR",
                                    tempfile.mkdtemp(prefix="mlr3py-worker-cpu-")))
_run_job_kept = worker.run_job_kept


def job_probe(job: Any) -> Any:
    """The job function with its thread CPU time appended to a file per process."""
    start = time.thread_time()
    out = _run_job_kept(job)
    with open(PROBES / f"job-{os.getpid()}", "a") as fh:
        fh.write(f"{time.thread_time() - start}\n")
    return out


def _jobs_cpu() -> tuple[int, float]:
    """(jobs, CPU seconds) recorded since the last call; the records are removed."""
    n, total = 0, 0.0
    for path in PROBES.glob("job-*"):
        values = [float(x) for x in path.read_text().split()]
        n, total = n + len(values), total + sum(values)
        path.unlink()
    return n, total


def _children_cpu() -> float:
    total = 0.0
    for child in psutil.Process().children(recursive=True):
        try:
            times = child.cpu_times()
        except psutil.Error:
            continue
        total += times.user + times.system
    return total


PLANS: dict[str, Callable[[], Any]] = {
    "sequential": lambda: plan("sequential"),
    "processes, 1 worker": lambda: plan("processes", workers=1),
    "processes, 2 workers": lambda: plan("processes", workers=2),
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=6)
    args = parser.parse_args()
    # the probe of this file imported as a module: pickled by reference, the workers import
    # it (from this folder, on their path) and its _run_job_kept is the job function itself
    import tune_worker_cpu as probes

    worker.run_job_kept = stream.run_job_kept = probes.job_probe  # type: ignore[assignment]
    task = tsk("sonar")
    resampling = rsmp("cv", folds=3).instantiate(task, seed=1)
    names = list(PLANS)
    for name in names:  # warm-up: start the workers
        with PLANS[name]():
            run_mlr3py(task, resampling, 20)
    _jobs_cpu()
    jobs: dict[str, list[float]] = {name: [] for name in names}
    procs: dict[str, list[float]] = {name: [] for name in names}
    for rep in range(args.reps):
        for name in names if rep % 2 == 0 else names[::-1]:
            with PLANS[name]():
                before = _children_cpu()
                run_mlr3py(task, resampling, 20)
                after = _children_cpu()
            n, cpu = _jobs_cpu()
            assert n == 300, f"{n} jobs recorded"
            jobs[name].append(cpu)
            procs[name].append(after - before)
    m = statistics.median
    base = m(jobs["sequential"])
    print(f"{args.reps} repetitions of 300 jobs; load average {os.getloadavg()[0]:.2f}")
    print(f"sequential: jobs' CPU {base:.3f} s ({base / 300 * 1e3:.2f} ms per job)")
    for name in names[1:]:
        print(f"{name}: jobs' CPU {m(jobs[name]):.3f} s ({m(jobs[name]) / base:.3f} x "
              f"sequential), worker processes' CPU {m(procs[name]):.3f} s "
              f"({m(procs[name]) / base:.3f} x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
