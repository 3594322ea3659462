"""Overhead of the ``"process"`` encapsulation per train + predict call.

A tiny learner (``classif.featureless`` on ``iris``, 150 rows) is trained and
predicts its training task, call after call, with

* ``"none"``: the hooks run directly (the baseline);
* ``"evaluate"``: in-process capture of conditions;
* ``"process"``: train and predict each run in mlr3py's reusable child process
  (the learner, task and model are pickled there and back);

and R's ``callr::r(function() 1)`` (the cost mlr3 pays per encapsulated call
with ``"callr"``) is timed in the same run with ``Rscript``. When ``Rscript``
or callr is missing the script installs ``r-base-core`` and ``r-cran-callr``
with apt-get (Debian); when that fails the callr column is skipped with a message.

Each call is timed on its own; the table reports medians (after warm-up: the
first ``"process"`` call starts the child, reported separately). Goal: the
process overhead per train + predict call <= 0.1 x callr per call.

Usage::

    python benchmarks/encapsulation_overhead.py           # 200 calls each, 30 callr calls
    python benchmarks/encapsulation_overhead.py --quick   # 50 and 10
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time

import mlr3py
from mlr3py import lrn, tsk
from mlr3py.encapsulation import shutdown_process_workers

GOAL = 0.1
R_CODE = (
    "suppressMessages(library(callr)); invisible(callr::r(function() 1)); "
    "n = as.integer(commandArgs(TRUE)[1]); "
    "t = vapply(seq_len(n), function(i) system.time(callr::r(function() 1))[['elapsed']], 1); "
    "cat(sprintf('%.6f', median(t)), as.character(packageVersion('callr')), "
    "R.version$major, R.version$minor, '\\n')"
)


def time_calls(method: str, n: int) -> tuple[float, float]:
    """Median seconds per train + predict call, and the first call's seconds."""
    task = tsk("iris")
    learner = lrn("classif.featureless")
    learner.encapsulation = method
    times = []
    first = float("nan")
    for i in range(n + 5):
        start = time.perf_counter()
        learner.train(task)
        learner.predict(task)
        elapsed = time.perf_counter() - start
        if i == 0:
            first = elapsed
        if i >= 5:  # warm-up: the first calls start the child and fill caches
            times.append(elapsed)
    assert learner.errors.empty, learner.errors
    return statistics.median(times), first


def ensure_r() -> str | None:
    """Path of Rscript with callr installed, installing them if needed; None if impossible."""
    def has_callr() -> bool:
        rscript = shutil.which("Rscript")
        if rscript is None:
            return False
        out = subprocess.run([rscript, "-e", "library(callr)"], capture_output=True)
        return out.returncode == 0

    if not has_callr():
        print("Rscript with callr not found: installing r-base-core and r-cran-callr ...",
              flush=True)
        cmd = ("apt-get update && DEBIAN_FRONTEND=noninteractive "
               "apt-get install -y r-base-core r-cran-callr")
        done = subprocess.run(["bash", "-c", cmd], capture_output=True, text=True)
        if done.returncode != 0 or not has_callr():
            print("Could not install R and callr; skipping the callr column.\n"
                  + done.stderr[-500:], flush=True)
            return None
    return shutil.which("Rscript")


def time_callr(rscript: str, n: int) -> tuple[float, str]:
    """Median seconds per ``callr::r(function() 1)`` call and a version string."""
    out = subprocess.run([rscript, "-e", R_CODE, str(n)], capture_output=True, text=True,
                         check=True)
    median, callr_version, major, minor = out.stdout.split()[:4]
    return float(median), f"R {major}.{minor}, callr {callr_version}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer calls")
    args = parser.parse_args()
    n_py, n_r = (50, 10) if args.quick else (200, 30)

    none, _ = time_calls("none", n_py)
    evaluate, _ = time_calls("evaluate", n_py)
    shutdown_process_workers()
    process, first = time_calls("process", n_py)
    overhead = process - none
    rscript = ensure_r()
    callr, r_version = (None, "") if rscript is None else time_callr(rscript, n_r)

    print(f"Python {platform.python_version()}, mlr3py {mlr3py.__version__}, "
          f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs"
          + (f"; {r_version}" if r_version else ""))
    print(f"median seconds per train + predict call ({n_py} calls; callr: {n_r} calls)")
    print(f"  none     {none:.6f}")
    print(f"  evaluate {evaluate:.6f}")
    print(f"  process  {process:.6f}  (overhead {overhead:.6f}; first call, starting the "
          f"child: {first:.3f})")
    if callr is not None:
        print(f"  callr    {callr:.6f}  (R: callr::r(function() 1))")
        print(f"ratio process / callr: {process / callr:.3f} (goal <= {GOAL}); "
              f"overhead / callr: {overhead / callr:.3f}")
    print()
    print("| method | median s per train + predict | overhead vs none (s) | x callr |")
    print("| --- | ---: | ---: | ---: |")
    rows = [("none", none), ("evaluate", evaluate), ("process", process)]
    for name, value in rows:
        ratio = "-" if callr is None else f"{value / callr:.3f}"
        print(f"| {name} | {value:.6f} | {value - none:.6f} | {ratio} |")
    if callr is not None:
        print(f"| R callr::r(function() 1) | {callr:.6f} | - | 1.000 |")
    else:
        print("| R callr::r(function() 1) | skipped (R/callr not installable) | - | - |")
    shutdown_process_workers()
    sys.stdout.flush()


if __name__ == "__main__":
    main()
