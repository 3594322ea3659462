"""Memory of a resample under the processes plan: all processes together, against sequential.

A synthetic classification task of 2,000,000 rows x 20 float64 features (305 MiB
of numbers) plus a two-class target; a 3-fold cross-validation of
``classif.rpart`` (scikit-learn's decision tree; ``max_depth`` 10 by default, as
an unlimited tree on this noisy target takes many minutes per fit and the memory
at stake is the data's) with ``resample()``:

* ``sequential``: the sequential plan (one process);
* ``processes (2)``: ``plan("processes", workers=2)`` (the main process and two
  loky workers);
* ``scikit-learn``: ``cross_validate(DecisionTreeClassifier(), X, y, cv=3)``;
* ``scikit-learn n_jobs=2``: the same with ``n_jobs=2`` (joblib's loky workers,
  which memory-map large numpy inputs).

Each case runs in a fresh Python process (its own data, no caches left over from
another case). This script samples that process and all its descendants every
few milliseconds and records, at each sample, the sum over the processes of

* RSS (resident set size): shared pages (shared memory, memory-mapped files)
  are counted once in each process that touches them, so the sum over-states
  what processes sharing memory use together;
* PSS (proportional set size, ``/proc/<pid>/smaps_rollup``): each shared page
  counted divided by the number of processes that map it, so the sum is what
  the processes together hold in memory;
* memory: the PSS sum without shared-memory pages (``Pss_Shmem``), plus the size
  of the files in ``/dev/shm`` that the processes wrote for mlr3py's shared
  arrays: every page of those files counted once, mapped or not (a page that
  was written but that no process maps yet is in no process's PSS).

The goal (all processes together <= 2.5x the sequential peak) is judged on the
peak of "memory": it is what the machine actually spends on the run, shared
pages counted once. (PSS is below RSS even for a single process: pages of
shared libraries are split with the other processes that map them.) Also
printed: the sum of the processes' own peaks (``VmHWM``, peaks that need not
coincide: an upper bound) and the sequential process's ``VmHWM`` (which checks
that sampling caught the peak).

Needs ``psutil`` (this script only; mlr3py does not need it). Linux only (it
reads ``/proc``).

Usage::

    python benchmarks/process_memory.py           # 2,000,000 rows, 1 repetition
    python benchmarks/process_memory.py --quick   # 200,000 rows
    python benchmarks/process_memory.py --rows 500000 --reps 3
    python benchmarks/process_memory.py --cases "processes (2)"   # and sequential
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

N_FEATURES = 20
CASES = ("sequential", "processes (2)", "scikit-learn", "scikit-learn n_jobs=2")
MIB = 2**20


# -- the cases, each run in a child process -----------------------------------------------------
def _data(n_rows: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(1)
    x = rng.standard_normal((n_rows, N_FEATURES))
    signal = x[:, 0] + 0.5 * x[:, 1] - 0.25 * x[:, 2] + rng.standard_normal(n_rows)
    y = np.where(signal > 0, "a", "b")
    return x, y


def _run_case(case: str, n_rows: int, max_depth: int | None) -> dict[str, Any]:
    x, y = _data(n_rows)
    start = time.perf_counter()
    if case.startswith("scikit-learn"):
        from sklearn.model_selection import cross_validate
        from sklearn.tree import DecisionTreeClassifier

        n_jobs = 2 if case.endswith("n_jobs=2") else None
        start = time.perf_counter()
        accuracy = cross_validate(DecisionTreeClassifier(random_state=1, max_depth=max_depth),
                                  x, y, cv=3,
                                  n_jobs=n_jobs)["test_score"]
        scores = (1 - accuracy).tolist()  # classification error, as classif.ce
    else:
        import pandas as pd

        from mlr3py import options
        from mlr3py.evaluation import resample
        from mlr3py.execution import plan
        from mlr3py.sugar import lrn, rsmp
        from mlr3py.tasks import as_task_classif

        frame = pd.DataFrame(x, columns=[f"x{i}" for i in range(N_FEATURES)])
        frame["y"] = pd.Categorical(y)
        del x, y
        task = as_task_classif(frame, target="y", id="synthetic")
        del frame
        options.progress = False
        strategy = "processes" if case.startswith("processes") else "sequential"
        start = time.perf_counter()
        with plan(strategy, workers=2) if strategy == "processes" else plan("sequential"):
            result = resample(task, lrn("classif.rpart", random_state=1, max_depth=max_depth),
                              rsmp("cv", folds=3), seed=1)
        scores = result.score()["classif.ce"].tolist()
    return {"seconds": time.perf_counter() - start, "scores": scores}


# -- sampling the case's processes from outside --------------------------------------------------
def _pss_bytes(pid: int) -> tuple[int, int]:
    """PSS and its shared-memory part (``Pss_Shmem``) of process ``pid``."""
    pss = shmem = 0
    with open(f"/proc/{pid}/smaps_rollup") as fh:
        for line in fh:
            if line.startswith("Pss:"):
                pss = int(line.split()[1]) * 1024
            elif line.startswith("Pss_Shmem:"):
                shmem = int(line.split()[1]) * 1024
    return pss, shmem


def _shared_files_bytes(pids: set[int]) -> int:
    """Bytes held by the files mlr3py wrote for shared arrays of processes ``pids``."""
    total = 0
    for entry in os.scandir("/dev/shm") if os.path.isdir("/dev/shm") else ():
        parts = entry.name.split("-")
        if entry.name.startswith("mlr3py-shared-") and len(parts) > 2 and parts[2].isdigit() \
                and int(parts[2]) in pids:
            try:
                total += entry.stat().st_blocks * 512
            except OSError:
                continue
    return total


def _status_bytes(pid: int, key: str) -> int:
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            if line.startswith(key + ":"):
                return int(line.split()[1]) * 1024
    return 0


@dataclass
class Peaks:
    """What the sampler saw of a process tree."""

    rss: int = 0
    pss: int = 0
    memory: int = 0
    processes: int = 0
    hwm: dict[int, int] = field(default_factory=dict)  # pid -> last VmHWM read
    samples: int = 0


def _sample(root: Any, peaks: Peaks, stop: threading.Event, interval: float) -> None:
    import psutil

    while not stop.is_set():
        try:
            procs = [root, *root.children(recursive=True)]
        except psutil.Error:
            break
        rss = pss = shmem = alive = 0
        for proc in procs:
            try:
                rss += _status_bytes(proc.pid, "VmRSS")
                pss_one, shmem_one = _pss_bytes(proc.pid)
                pss, shmem = pss + pss_one, shmem + shmem_one
                peaks.hwm[proc.pid] = _status_bytes(proc.pid, "VmHWM")
                alive += 1
            except (OSError, ValueError):
                continue
        memory = pss - shmem + _shared_files_bytes({p.pid for p in procs})
        peaks.rss, peaks.pss = max(peaks.rss, rss), max(peaks.pss, pss)
        peaks.memory = max(peaks.memory, memory)
        peaks.processes = max(peaks.processes, alive)
        peaks.samples += 1
        stop.wait(interval)


def measure(case: str, n_rows: int, max_depth: int | None,
            interval: float = 0.02) -> dict[str, Any]:
    """Run ``case`` in a child process; its result and the peaks of its process tree."""
    import psutil

    env = dict(os.environ)
    src = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "src")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (src, env.get("PYTHONPATH")) if p)
    cmd = [sys.executable, os.path.abspath(__file__), "--case", case, "--rows", str(n_rows),
           "--max-depth", str(max_depth or 0)]
    proc = psutil.Popen(cmd, stdout=subprocess.PIPE, env=env, text=True)
    peaks, stop = Peaks(), threading.Event()
    sampler = threading.Thread(target=_sample, args=(proc, peaks, stop, interval), daemon=True)
    sampler.start()
    out, _ = proc.communicate()
    stop.set()
    sampler.join()
    if proc.returncode != 0:
        raise RuntimeError(f"case {case!r} failed with exit code {proc.returncode}")
    result = json.loads(out.strip().splitlines()[-1])
    result.update(rss=peaks.rss, pss=peaks.pss, memory=peaks.memory,
                  hwm_sum=sum(peaks.hwm.values()), hwm_main=peaks.hwm.get(proc.pid, 0),
                  processes=peaks.processes, samples=peaks.samples)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--reps", type=int, default=1)
    parser.add_argument("--quick", action="store_true", help="200,000 rows")
    parser.add_argument("--max-depth", type=int, default=10,
                        help="of the tree (0: unlimited, which takes many minutes per fit)")
    parser.add_argument("--cases", nargs="+", choices=CASES, default=list(CASES),
                        help="the cases to run (sequential always runs)")
    parser.add_argument("--case", choices=CASES, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    n_rows = 200_000 if args.quick else args.rows
    if args.case:  # inside the child process
        print(json.dumps(_run_case(args.case, n_rows, args.max_depth or None)), flush=True)
        return 0
    data_mib = n_rows * N_FEATURES * 8 / MIB
    print(f"Python {platform.python_version()}, {os.cpu_count()} CPUs, "
          f"load average {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    depth = f"max_depth {args.max_depth}" if args.max_depth else "unlimited depth"
    print(f"3-fold cv of a decision tree ({depth}) on {n_rows:,} x {N_FEATURES} float64 "
          f"({data_mib:.0f} MiB), {args.reps} repetition(s)")
    rows: dict[str, dict[str, float]] = {}
    for case in ["sequential", *(c for c in args.cases if c != "sequential")]:
        runs = [measure(case, n_rows, args.max_depth or None) for _ in range(args.reps)]
        med = {key: statistics.median(r[key] for r in runs)
               for key in ("memory", "pss", "rss", "hwm_sum", "hwm_main", "seconds", "processes")}
        rows[case] = med
        ce = [round(v, 4) for v in runs[0]["scores"]]
        print(f"  {case:<22} memory {med['memory'] / MIB:6.0f} MiB  "
              f"PSS {med['pss'] / MIB:6.0f} MiB  RSS {med['rss'] / MIB:7.0f} MiB  "
              f"sum of VmHWM {med['hwm_sum'] / MIB:7.0f} MiB  ({med['processes']:.0f} "
              f"processes, {med['seconds']:.1f} s)  classif.ce {ce}", flush=True)
    seq = rows["sequential"]["memory"]
    print(f"sequential process VmHWM {rows['sequential']['hwm_main'] / MIB:.0f} MiB "
          f"(sampled peak RSS {rows['sequential']['rss'] / MIB:.0f} MiB)")
    if "processes (2)" in rows:
        par = rows["processes (2)"]["memory"]
        pss_ratio = rows["processes (2)"]["pss"] / rows["sequential"]["pss"]
        rss_ratio = rows["processes (2)"]["rss"] / rows["sequential"]["rss"]
        print(f"processes (2) / sequential, peak memory of all processes: {par / seq:.2f}x "
              f"(goal <= 2.5x); PSS: {pss_ratio:.2f}x; RSS: {rss_ratio:.2f}x; "
              f"processes (2) / data: {par / MIB / data_mib:.1f}x")
    print(f"load average after: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    print()
    print("| case | peak memory, all processes (MiB) | x sequential | peak PSS (MiB) | "
          "peak RSS (MiB) | x sequential (RSS) | seconds |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    seq_rss = rows["sequential"]["rss"]
    for case, med in rows.items():
        print(f"| {case} | {med['memory'] / MIB:.0f} | {med['memory'] / seq:.2f} | "
              f"{med['pss'] / MIB:.0f} | {med['rss'] / MIB:.0f} | {med['rss'] / seq_rss:.2f} | "
              f"{med['seconds']:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
