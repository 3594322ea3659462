"""The cost per job of fault handling under the parallel plans, against an earlier revision.

Handling faults alike under every plan adds work to each job run in a worker
process: its warnings are recorded and sent back, it notes when it reaches its
prediction (a write to the worker's marker file under processes / multicore; a
round trip to the scheduler under dask, for units of one job), and its errors
come back as values. This script measures what that costs: 200 tiny jobs
(``classif.featureless``, 200-fold cross-validation of a 2,000-row task) under
sequential, processes (2 workers, chunk size 1 and 50) and dask (2 local
single-threaded workers, chunk size 1 and 50), run by this tree's ``src`` and
by the ``src`` of an earlier revision (``--baseline``, exported with ``git
archive``), alternating, each case in a fresh process whose workers are started
by an untimed warm-up run. It prints the median milliseconds per job of both and
their ratio.

Usage::

    python benchmarks/fault_overhead.py                      # baseline: c5ebfd8
    python benchmarks/fault_overhead.py --reps 5 --baseline HEAD~3
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CASE = """
import json, sys, time
import numpy as np, pandas as pd
from mlr3py import options
from mlr3py.evaluation import resample
from mlr3py.execution import plan, tweak
from mlr3py.execution._engine import shutdown_workers
from mlr3py.sugar import lrn, rsmp
from mlr3py.tasks import as_task_classif

strategy, chunk, reps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = np.random.default_rng(1)
df = pd.DataFrame(rng.normal(size=(2000, 20)), columns=[f"x{i}" for i in range(20)])
df["y"] = np.where(rng.random(2000) < 0.5, "a", "b")
task = as_task_classif(df, target="y", id="tiny")
options.exec_chunk_size = chunk
options.progress = False
spec = "sequential" if strategy == "sequential" else tweak(strategy, workers=2)
times = []
with plan(spec):
    resample(task, lrn("classif.featureless"), rsmp("cv", folds=200), seed=1)  # warm-up
    for _ in range(reps):
        start = time.perf_counter()
        resample(task, lrn("classif.featureless"), rsmp("cv", folds=200), seed=1)
        times.append((time.perf_counter() - start) / 200 * 1000)
shutdown_workers()
print(json.dumps(times))
"""

CASES = [("sequential", 1), ("processes", 1), ("processes", 50), ("dask", 1), ("dask", 50)]


def _export(revision: str, into: Path) -> Path:
    data = subprocess.run(["git", "archive", revision, "src"], cwd=ROOT, check=True,
                          capture_output=True).stdout
    with tarfile.open(fileobj=BytesIO(data)) as tar:
        tar.extractall(into, filter="data")
    return into / "src"


def _run(src: Path, strategy: str, chunk: int, reps: int) -> list[float]:
    env = {**os.environ, "PYTHONPATH": str(src)}
    out = subprocess.run([sys.executable, "-c", CASE, strategy, str(chunk), str(reps)],
                         env=env, capture_output=True, text=True, timeout=1200, check=True)
    return [float(t) for t in json.loads(out.stdout.strip().splitlines()[-1])]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--baseline", default="c5ebfd8", help="the earlier revision")
    parser.add_argument("--reps", type=int, default=3, help="timed runs per case and round")
    parser.add_argument("--rounds", type=int, default=2, help="alternations of the two trees")
    args = parser.parse_args()
    print(f"Python {platform.python_version()}, {platform.system()} {platform.machine()}, "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as tmp:
        trees = {"baseline": _export(args.baseline, Path(tmp)), "this tree": ROOT / "src"}
        rows = []
        for strategy, chunk in CASES:
            times: dict[str, list[float]] = {name: [] for name in trees}
            for _ in range(args.rounds):
                for name, src in trees.items():
                    times[name] += _run(src, strategy, chunk, args.reps)
            base = statistics.median(times["baseline"])
            new = statistics.median(times["this tree"])
            rows.append((f"{strategy}, chunk {chunk}", base, new, new / base))
            print(f"{strategy:>10} chunk {chunk:>2}: baseline {base:.3f} ms/job, "
                  f"this tree {new:.3f} ms/job, ratio {new / base:.2f}", flush=True)
    print()
    print(f"| 200 tiny jobs | {args.baseline} (ms per job) | this tree (ms per job) | ratio |")
    print("|---|---:|---:|---:|")
    for label, base, new, ratio in rows:
        print(f"| {label} | {base:.3f} | {new:.3f} | {ratio:.2f}x |")


if __name__ == "__main__":
    main()
