"""Where the time of a parallel tuning run goes: jobs, idle workers, the main process.

The random search of ``benchmarks/tune_random_search.py`` (100 configurations of a
CART tree x 3-fold CV on sonar, ``batch_size=20``) under ``plan("multicore",
workers=2)`` and under the sequential plan, with three probes:

- the CPU time of each job (``time.thread_time`` around the job's body), in the
  workers and in the sequential run: do jobs cost more in a worker?
- per run, when each unit ran in its worker: the time the workers sat idle
  (``2 x run time - busy time``), of it the gap between the first and the last
  worker to finish (imbalance) and the time before the first unit started (the
  batches stream: a batch's units queue behind the running batch's);
- the CPU time of the main process's threads during the parallel runs.

The fork plan ("multicore") is used because the probes are installed by replacing
functions in this process, which forked workers inherit; the "processes" plan runs
the same :class:`~mlr3py.execution._processes.ProcessRun`.

The speed-up bound follows: ``sequential / (job CPU / 2 + serial part)``.

Usage::

    MLR3PY_DATA_DIR=../shared/data python benchmarks/tune_parallel_anatomy.py [--reps 3] \
        [--stream-units N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import psutil
from tune_random_search import run_mlr3py

import mlr3py.evaluation._stream as evaluation_stream
import mlr3py.evaluation._worker as worker
import mlr3py.execution._processes as processes
import mlr3py.execution._stream as stream
from mlr3py import plan, rsmp, tsk

PROBES = Path(tempfile.mkdtemp(prefix="mlr3py-anatomy-"))
_run_job = worker.run_job_kept
_run_unit = processes.run_unit_cached


def _job_probe(job: Any) -> Any:
    start = time.thread_time()
    out = _run_job(job)
    with open(PROBES / f"job-{os.getpid()}", "a") as fh:
        fh.write(f"{time.thread_time() - start}\n")
    return out


def _unit_probe(*args: Any) -> Any:
    start = time.time()
    out = _run_unit(*args)
    with open(PROBES / f"unit-{os.getpid()}", "a") as fh:
        fh.write(f"{start} {time.time()}\n")
    return out


_unit_probe.__module__, _unit_probe.__qualname__ = _run_unit.__module__, _run_unit.__qualname__


def _collect(prefix: str) -> dict[str, list[list[float]]]:
    out: dict[str, list[list[float]]] = {}
    for path in PROBES.glob(prefix + "-*"):
        out[path.name] = [[float(x) for x in line.split()] for line in path.read_text().split("\n")
                          if line]
        path.unlink()
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument(
        "--stream-units", type=int, default=None,
        help="split each batch but the last down to 1 / (N x workers) of its jobs "
             "(default: the package's, two equal units per worker)")
    args = parser.parse_args()
    if args.stream_units is not None:  # the forked workers need not see it: chunks are cut here
        stream.UNITS_PER_WORKER = args.stream_units
    worker.run_job_kept = evaluation_stream.run_job_kept = _job_probe  # type: ignore[assignment]
    processes.run_unit_cached = _unit_probe  # type: ignore[assignment]
    batches: list[tuple[float, float]] = []  # the parallel runs' windows
    task = tsk("sonar")
    resampling = rsmp("cv", folds=3).instantiate(task, seed=1)
    me = psutil.Process()
    seq_job, par_job, seq_wall, par_wall, idle, gap, start_lag, main_cpu = ([] for _ in range(8))
    run_mlr3py(task, resampling, 20)
    with plan("multicore", workers=2):
        run_mlr3py(task, resampling, 20)
    _collect("job"), _collect("unit")
    for _ in range(args.reps):
        start = time.perf_counter()
        run_mlr3py(task, resampling, 20)
        seq_wall.append(time.perf_counter() - start)
        seq_job.append(sum(x[0] for xs in _collect("job").values() for x in xs))
        with plan("multicore", workers=2):
            batches.clear()
            before = {t.id: t.user_time + t.system_time for t in me.threads()}
            start, epoch = time.perf_counter(), time.time()
            run_mlr3py(task, resampling, 20)
            par_wall.append(time.perf_counter() - start)
            batches.append((epoch, time.time()))
            after = {t.id: t.user_time + t.system_time for t in me.threads()}
        main_cpu.append(sum(c - before.get(t, 0.0) for t, c in after.items()))
        par_job.append(sum(x[0] for xs in _collect("job").values() for x in xs))
        units = _collect("unit")
        for b_start, b_end in batches:
            ends, busy, first = [], 0.0, b_end
            for spans in units.values():
                mine = [s for s in spans if b_start <= s[0] <= b_end]
                if mine:
                    ends.append(max(s[1] for s in mine))
                    busy += sum(s[1] - s[0] for s in mine)
                    first = min(first, min(s[0] for s in mine))
            idle.append((2 * (b_end - b_start) - busy) / (2 * (b_end - b_start)))
            gap.append(max(ends) - min(ends) if len(ends) > 1 else 0.0)
            start_lag.append(first - b_start)
    m = statistics.median
    print(f"{args.reps} repetitions, 5 batches of 60 jobs each; threads in this process: "
          f"{threading.active_count()}; load average {os.getloadavg()[0]:.2f}")
    print(f"sequential: wall {m(seq_wall):.3f} s, CPU of its jobs {m(seq_job):.3f} s")
    print(f"multicore (2 workers): wall {m(par_wall):.3f} s, CPU of its jobs {m(par_job):.3f} s, "
          f"main process CPU {m(main_cpu):.3f} s")
    print(f"per run: workers idle {m(idle):.1%} of their time; finishing gap between the "
          f"workers {m(gap) * 1e3:.1f} ms; first unit starts {m(start_lag) * 1e3:.1f} ms "
          f"after the run began")
    serial = m(seq_wall) - m(seq_job)
    print(f"speed-up {m(seq_wall) / m(par_wall):.2f}; bound sequential / (jobs / 2 + serial part "
          f"{serial:.3f} s) = {m(seq_wall) / (m(par_job) / 2 + serial):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
