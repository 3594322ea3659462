"""A task on a directory of Parquet files that is never loaded whole.

The script writes ``--rows`` x 20 float64 columns (``x01`` .. ``x19`` and the
target ``y``) as ``--files`` Parquet files into a temporary directory, then
measures, side by side in one run:

1. building the task: ``as_task_regr(as_parquet_backend(dir), target="y")``
   (goal <= 1 s);
2. peak memory of a 3-iteration subsampling (ratio 0.02) of ``regr.rpart``
   (``max_depth=8``): a fresh child process builds the task and resamples; its
   peak RSS (``VmHWM``) above its RSS after a warm-up resample on a small file
   (imports, connections), against the in-memory size of the data (rows x 20 x 8
   bytes; goal: <= 10% of it), and how much of it the predictions that the
   result keeps take; then the same with ``store_predictions=False`` (each
   iteration's predictions scored and dropped);
3. fetching 100,000 random rows (all columns) by id: ``backend.data(ids, cols)``
   against DuckDB's own query joining the files with the ids registered as an
   Arrow table (goal <= 2x); and the peak memory of fetching 200,000 rows so (each
   side in a fresh process);
4. under ``plan("processes", workers=2)``: the pickled size of a job (task,
   learner, resampling, ...) for this table and one 10 times smaller, and the
   speed-up of the resample over the sequential plan (goal >= 1.6x; medians of
   ``--reps`` runs of each, interleaved, after a warm-up run of each), and of the
   same plan with each job run whole (``options.predict_split_rows = None``: no
   test set predicted in parts); and both with ``store_predictions=False`` (each
   part's scores summed where it runs).

Usage::

    python benchmarks/backend_parquet.py --rows 10000000 --files 10   # the full size
    python benchmarks/backend_parquet.py --rows 1000000 --files 4     # quicker
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

COLS = [f"x{i:02d}" for i in range(1, 20)] + ["y"]

CHILD = r"""
import sys, time
import mlr3py


def status(key):  # this process's own figures (VmHWM: peak RSS since exec), MiB
    for line in open("/proc/self/status"):
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024


mlr3py.options.progress = False
learner = mlr3py.lrn("regr.rpart", max_depth=8)
resampling = mlr3py.rsmp("subsampling", ratio=0.02, repeats=3)
warm = mlr3py.as_task_regr(mlr3py.as_parquet_backend(sys.argv[2]), target="y")  # imports
mlr3py.resample(warm, learner, resampling, seed=1)
base = status("VmRSS")
task = mlr3py.as_task_regr(mlr3py.as_parquet_backend(sys.argv[1]), target="y")
start = time.perf_counter()
if sys.argv[3] == "keep":
    rr = mlr3py.resample(task, learner, resampling, seed=1)
    kept = sum(p.row_ids.nbytes + p.truth.nbytes + p.response.nbytes for p in rr.predictions())
else:  # the scores kept instead of the predictions
    rr = mlr3py.resample(task, learner, resampling, seed=1, store_predictions=False,
                         measures="regr.rmse")
    kept = 0
took = time.perf_counter() - start
print(base, status("VmHWM"), took, rr.aggregate(mlr3py.msr("regr.rmse"))["regr.rmse"], kept / 2**20)
"""


FETCH_CHILD = r"""
import glob, sys
import numpy as np


def status(key):
    for line in open("/proc/self/status"):
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024


root, n, side = sys.argv[1], int(sys.argv[2]), sys.argv[3]
cols = [f"x{i:02d}" for i in range(1, 20)] + ["y"]
ids = np.sort(np.random.default_rng(3).choice(n, size=min(200_000, n // 2), replace=False))
if side == "mlr3py":
    import mlr3py
    backend = mlr3py.as_parquet_backend(root)
    backend.data(np.arange(10), cols)  # imports, the connection, the views
    base = status("VmRSS")
    backend.data(ids, cols)
else:
    import duckdb, pyarrow as pa
    con = duckdb.connect()
    listing = ", ".join(f"'{f}'" for f in sorted(glob.glob(root + "/*.parquet")))
    con.execute("CREATE VIEW t AS SELECT *, row_number() OVER () - 1 AS rid "
                f"FROM read_parquet([{listing}])")
    con.register("ids", pa.table({"rid": ids}))
    con.execute("SELECT * FROM t WHERE rid < 10").to_arrow_table()
    base = status("VmRSS")
    con.execute("SELECT t.* FROM t JOIN ids USING (rid)").to_arrow_table()
print(len(ids), status("VmHWM") - base)
"""


def write_parquet_dir(root: Path, rows: int, files: int, seed: int = 1) -> Path:
    """``rows`` x 20 float64 columns in ``files`` Parquet files (written chunk by chunk)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    root.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    beta = rng.normal(size=19)
    for i, part in enumerate(np.array_split(np.arange(rows), files)):
        x = rng.normal(size=(len(part), 19))
        y = x @ beta + rng.normal(size=len(part))
        table = pa.table({**{c: x[:, j] for j, c in enumerate(COLS[:-1])}, "y": y})
        pq.write_table(table, root / f"part-{i:03d}.parquet", row_group_size=1_000_000)
    return root


def _median_time(func, reps: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--files", type=int, default=4)
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--skip-plan", action="store_true", help="skip part 4")
    args = parser.parse_args(argv)

    import cloudpickle
    import duckdb
    import pyarrow as pa

    import mlr3py
    from mlr3py.evaluation._job import Job
    from mlr3py.execution._memmap import ArrayFiles
    from mlr3py.execution._shared import SharedRef

    tmp = Path(tempfile.mkdtemp(prefix="mlr3py-parquet-"))
    try:
        start = time.perf_counter()
        root = write_parquet_dir(tmp / "big", args.rows, args.files)
        small = write_parquet_dir(tmp / "small", args.rows // 10, args.files)
        written = time.perf_counter() - start
        in_memory_mb = args.rows * 20 * 8 / 2**20
        load = os.getloadavg()
        print(f"Python {platform.python_version()}, {os.cpu_count()} CPUs, load average "
              f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
        print(f"{args.rows:,} rows x 20 float64 in {args.files} Parquet files "
              f"({in_memory_mb:,.0f} MiB in memory), written in {written:.1f} s\n")

        # 1. building the task
        def build() -> mlr3py.TaskRegr:
            return mlr3py.as_task_regr(mlr3py.as_parquet_backend(root), target="y")

        build()  # warm-up (imports)
        t_build = _median_time(build, args.reps)
        print(f"1. building the task: median {t_build:.3f} s (goal <= 1 s)")

        # 2. peak memory of the resample in a fresh process (after a warm-up resample on
        # a small file has imported everything)
        for mode in ("keep", "scores"):
            out = subprocess.run(
                [sys.executable, "-c", CHILD, str(root), str(next(small.glob("*.parquet"))),
                 mode], check=True, capture_output=True, text=True,
            ).stdout.strip().splitlines()[-1].split()[-5:]
            base_mb, peak_mb, kept_mb = float(out[0]), float(out[1]), float(out[4])
            above = peak_mb - base_mb
            head = ("2. subsampling (3 x 2%) of regr.rpart" if mode == "keep" else
                    "   the same with store_predictions=False")
            print(f"{head}: {float(out[2]):.1f} s, rmse "
                  f"{float(out[3]):.3f}; peak RSS {peak_mb:,.0f} MiB, {above:,.0f} MiB "
                  f"= {100 * above / in_memory_mb:.1f}% of the data above the "
                  f"{base_mb:,.0f} MiB after imports (goal <= 10%)"
                  + ("" if mode != "keep" else
                     f"; of it, the three predictions the result keeps (row ids, truth, "
                     f"response) {kept_mb:,.0f} MiB = {100 * kept_mb / in_memory_mb:.1f}%, "
                     f"the rest {above - kept_mb:,.0f} MiB = "
                     f"{100 * (above - kept_mb) / in_memory_mb:.1f}%"))

        # 3. fetching 100,000 rows by id
        task = build()
        backend = task.backend
        rng = np.random.default_rng(2)
        ids = np.sort(rng.choice(args.rows, size=min(100_000, args.rows // 2), replace=False))
        files = sorted(str(p) for p in root.glob("*.parquet"))
        con = duckdb.connect()
        listing = ", ".join(f"'{f}'" for f in files)
        con.execute("CREATE VIEW t AS SELECT *, row_number() OVER () - 1 AS rid "
                    f"FROM read_parquet([{listing}])")
        id_table = pa.table({"rid": ids})
        con.register("ids", id_table)

        def ours() -> None:
            backend.data(ids, COLS)

        def native() -> None:
            con.execute("SELECT t.* FROM t JOIN ids USING (rid)").to_arrow_table()

        ours()
        native()
        t_ours = _median_time(ours, args.reps)
        t_native = _median_time(native, args.reps)
        print(f"3. fetching {len(ids):,} rows by id: mlr3py {t_ours:.3f} s, DuckDB join on a "
              f"registered id table {t_native:.3f} s, ratio {t_ours / t_native:.2f} "
              "(goal <= 2)")
        peaks = {}
        for side in ("mlr3py", "duckdb"):  # each in a fresh process: its own peak RSS
            got = subprocess.run(
                [sys.executable, "-c", FETCH_CHILD, str(root), str(args.rows), side],
                check=True, capture_output=True, text=True,
            ).stdout.split()
            n_fetched, peaks[side] = int(got[-2]), float(got[-1])
        print(f"   memory of fetching {n_fetched:,} rows by id (a training set of the "
              f"subsampling), peak RSS above the RSS before: mlr3py (a pandas frame) "
              f"{peaks['mlr3py']:,.0f} MiB, DuckDB's join (an Arrow table) "
              f"{peaks['duckdb']:,.0f} MiB; the rows themselves "
              f"{n_fetched * 20 * 8 / 2**20:,.0f} MiB")

        if args.skip_plan:
            return
        # 4. processes plan: bytes per job and speed-up
        learner = mlr3py.lrn("regr.rpart", max_depth=8)
        resampling = mlr3py.rsmp("subsampling", ratio=0.02, repeats=3)
        sizes = []
        for source in (small, root):
            t = mlr3py.as_task_regr(mlr3py.as_parquet_backend(source), target="y")
            r = resampling.clone().instantiate(t)
            job = Job(task=t, learner=learner.clone(), resampling=r, iteration=0, seed=1)
            # what the processes plan sends per job: the job with its shared parts (task,
            # resampling) replaced by references; those go to each worker once per run,
            # pickled with their arrays of 1 MiB or more in memory-mapped files that the
            # run writes once and every worker maps
            stripped = job.with_parts({"task": SharedRef(0), "resampling": SharedRef(1)})
            array_files = ArrayFiles()
            try:
                packed = [array_files.pack(t), array_files.pack(r)]
                mapped = sum(os.path.getsize(f) for f in array_files.paths)
            finally:
                array_files.close()
            sizes.append((t.nrow, len(cloudpickle.dumps(stripped)),
                          sum(len(p.data) for p in packed), mapped))
        for n, per_job, per_worker, mapped in sizes:
            print(f"4. {n:,} rows: {per_job:,} bytes per job; once per worker and run: task "
                  f"and resampling pickled {per_worker:,} bytes; once per run: "
                  f"{mapped / 2**20:,.1f} MiB of arrays (the resampling's training sets, "
                  "as bits) in memory-mapped files shared by the workers")

        def run(**kwargs: object) -> float:
            start = time.perf_counter()
            mlr3py.resample(task, learner, resampling, seed=1, **kwargs)
            return time.perf_counter() - start

        def run_scores() -> float:  # scores kept: a part sends back sums, not predictions
            return run(store_predictions=False, measures="regr.rmse")

        def run_whole() -> float:  # each job in one unit (no test set predicted in parts)
            before = mlr3py.options.predict_split_rows
            mlr3py.options.predict_split_rows = None
            try:
                return run()
            finally:
                mlr3py.options.predict_split_rows = before

        splits = hasattr(mlr3py.options, "predict_split_rows")
        run()  # warm-up of the sequential side (connections, caches)
        with mlr3py.plan("processes", workers=2):
            run()  # warm-up: start the workers (they stay up between the plan blocks)
        seq, par, whole, seq_scores, par_scores = [], [], [], [], []
        for _ in range(args.reps):  # interleaved, so that all sides see the same load
            seq.append(run())
            seq_scores.append(run_scores())
            with mlr3py.plan("processes", workers=2):
                par.append(run())
                par_scores.append(run_scores())
                if splits:
                    whole.append(run_whole())
        t_seq, t_par = statistics.median(seq), statistics.median(par)
        load = os.getloadavg()
        print(f"   resample, medians of {args.reps} interleaved runs: sequential {t_seq:.2f} s, "
              f"processes (2 workers) {t_par:.2f} s, speed-up {t_seq / t_par:.2f} (goal >= 1.6)")
        t_seq_s, t_par_s = statistics.median(seq_scores), statistics.median(par_scores)
        print(f"   with store_predictions=False: sequential {t_seq_s:.2f} s, processes "
              f"(2 workers) {t_par_s:.2f} s, speed-up {t_seq_s / t_par_s:.2f} (goal >= 1.6)")
        if whole:
            t_whole = statistics.median(whole)
            print(f"   the same with each job whole (options.predict_split_rows = None): "
                  f"{t_whole:.2f} s, speed-up {t_seq / t_whole:.2f} (3 equal jobs on 2 workers "
                  "take 2 rounds: at most 1.5 unless a job runs faster in a worker)")
        print(f"   load average now {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
