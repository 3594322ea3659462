"""Peak memory of tuning on a Parquet task, with and without ``store_benchmark_result``.

A random search (6 configurations of ``regr.rpart``'s ``max_depth``, batches of 2)
over a subsampling (ratio 0.1, 2 repeats) of a Parquet directory of ``--rows`` rows
x 20 float64 columns: each evaluation predicts 2 test sets of 90% of the rows. Each
mode runs in a fresh process (after a warm-up tuning on a small file has imported
everything), which reports its peak RSS (``VmHWM``) above the RSS before the run:

- ``store_benchmark_result=True`` (mlr3tuning's default for ``ti()``/``tune()``):
  the archive keeps every evaluation's ResampleResult, predictions included;
- ``store_benchmark_result=False`` (an AutoTuner's default): the archive keeps the
  scores, and each job keeps the instance's scores instead of its prediction, the
  test set scored as it streams from the files.

Both must find the same configuration with the same scores (same seed).

Usage::

    python benchmarks/tune_parquet_memory.py [--rows 2000000] [--files 4]
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

CHILD = r"""
import sys, time
import mlr3py
from mlr3py.params import to_tune
from mlr3py.tuning import tnr, tune


def status(key):  # this process's own figures (VmHWM: peak RSS since exec), MiB
    for line in open("/proc/self/status"):
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024


def run(path, keep):
    task = mlr3py.as_task_regr(mlr3py.as_parquet_backend(path), target="y")
    learner = mlr3py.lrn("regr.rpart", max_depth=to_tune(2, 8))
    return tune(tnr("random_search", batch_size=2), task, learner,
                mlr3py.rsmp("subsampling", ratio=0.1, repeats=2), "regr.rmse",
                term_evals=6, seed=1, store_benchmark_result=keep)


mlr3py.options.progress = False
keep = sys.argv[3] == "keep"
run(sys.argv[2], keep)  # imports, connections
base = status("VmRSS")
start = time.perf_counter()
instance = run(sys.argv[1], keep)
took = time.perf_counter() - start
best = instance.result
kept = 0
if keep:
    for rr in instance.archive.data["resample_result"]:
        kept += sum(p.row_ids.nbytes + p.truth.nbytes + p.response.nbytes
                    for p in rr.predictions())
print(base, status("VmHWM"), took, int(best["max_depth"].iloc[0]),
      float(best["regr.rmse"].iloc[0]), kept / 2**20)
"""


def write_parquet_dir(root: Path, rows: int, files: int, seed: int = 1) -> Path:
    """``rows`` x 20 float64 (19 features, target ``y``) in ``files`` Parquet files."""
    import pandas as pd

    root.mkdir(parents=True)
    rng = np.random.default_rng(seed)
    per = -(-rows // files)
    for k in range(files):
        n = min(per, rows - k * per)
        x = rng.normal(size=(n, 19))
        frame = pd.DataFrame(x, columns=[f"x{i:02d}" for i in range(1, 20)])
        frame["y"] = x[:, 0] * 2 - x[:, 1] + np.sin(x[:, 2]) + rng.normal(size=n)
        frame.to_parquet(root / f"part-{k:03d}.parquet", index=False)
    return root


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--files", type=int, default=4)
    args = parser.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="mlr3py-tune-parquet-"))
    try:
        root = write_parquet_dir(tmp / "big", args.rows, args.files)
        small = write_parquet_dir(tmp / "small", 20_000, 1)
        data_mb = args.rows * 20 * 8 / 2**20
        load = os.getloadavg()
        print(f"Python {platform.python_version()}, {os.cpu_count()} CPUs, load average "
              f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
        print(f"{args.rows:,} rows x 20 float64 in {args.files} Parquet files "
              f"({data_mb:,.0f} MiB in memory); random search, 6 configurations of "
              "regr.rpart, subsampling (ratio 0.1, 2 repeats)\n")
        print("| store_benchmark_result | time | peak RSS above the start | of the data "
              "| predictions kept | best max_depth | its rmse |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        found = {}
        for mode in ("keep", "drop"):
            out = subprocess.run(
                [sys.executable, "-c", CHILD, str(root), str(small / "part-000.parquet"),
                 mode], check=True, capture_output=True, text=True,
            ).stdout.strip().splitlines()[-1].split()
            base, peak, took = float(out[0]), float(out[1]), float(out[2])
            depth, rmse, kept = int(out[3]), float(out[4]), float(out[5])
            found[mode] = (depth, rmse)
            print(f"| {mode == 'keep'} | {took:.1f} s | {peak - base:,.0f} MiB | "
                  f"{100 * (peak - base) / data_mb:.1f}% | {kept:,.0f} MiB | {depth} | "
                  f"{rmse:.4f} |")
        same = found["keep"] == found["drop"]
        print(f"\nthe same result in both modes: {same}", file=sys.stderr)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
