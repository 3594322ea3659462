"""Parallel execution: speed-ups of the plans and the cost per job of tiny jobs.

Part 1 -- 8 CPU-bound jobs of about one second each: 8-fold cross-validation of
``classif.ranger`` (a random forest, one thread per job) on a synthetic task of
4,000 rows x 20 features, with ``n_estimators`` tuned so that one job takes about
one second. Timed under the sequential plan, ``threads`` (2 workers),
``processes`` (2 loky workers) and ``dask`` (a local cluster of 2 single-threaded
worker processes). Worker processes and the dask cluster are started, and have
imported mlr3py, before the timing (one untimed warm-up run per plan): the
figures are what a session pays once its workers are up. Goals: processes >= 1.8x,
dask >= 1.6x over sequential.

Part 2 -- 200 tiny jobs: ``classif.featureless`` on 200-fold cross-validation of
a 2,000-row task. Cost per job under the sequential plan and under processes and
dask (2 workers each) with ``exec_chunk_size`` 1, 50 and unset (the default:
about two chunks per worker), next to
``joblib.Parallel(n_jobs=2, batch_size=1 | 50)`` and dask's own ``client.map``
(on the same local cluster, batches of 1 and 50 jobs per task) running the same
scikit-learn work (``DummyClassifier`` fit and predict on the same splits), and a
plain loop of that work. Under dask, mlr3py sends a marker per job to the
scheduler (so that a worker's death is blamed on the job it was running); the
``client.map`` rows show what that and the rest of mlr3py's job machinery cost.

Every figure is the median over repetitions. The script prints the medians, the
ratios and a markdown table.

Usage::

    python benchmarks/parallel_speedup.py           # 3 repetitions
    python benchmarks/parallel_speedup.py --quick   # 1 repetition, smaller jobs
"""

from __future__ import annotations

import argparse
import functools
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

import mlr3py
from mlr3py import options
from mlr3py.evaluation import resample
from mlr3py.execution import available_cores, plan, tweak
from mlr3py.execution._dask_cluster import dask_client
from mlr3py.execution._engine import shutdown_workers
from mlr3py.sugar import lrn, rsmp
from mlr3py.tasks import as_task_classif


def _task(n_rows: int, seed: int = 1) -> Any:
    from sklearn.datasets import make_classification

    x, y = make_classification(n_samples=n_rows, n_features=20, n_informative=8,
                               random_state=seed)
    frame = pd.DataFrame(x, columns=[f"x{i}" for i in range(x.shape[1])])
    frame["y"] = np.where(y == 1, "a", "b")
    return as_task_classif(frame, target="y", id=f"synthetic{n_rows}")


def _median_time(fn: Callable[[], Any], reps: int) -> float:
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


# -- part 1 -------------------------------------------------------------------------------------
def _tune_trees(task: Any, target_s: float) -> int:
    n = 20
    learner = lrn("classif.ranger", n_estimators=n, random_state=1)
    train = task.row_ids[: int(task.nrow * 7 / 8)]
    start = time.perf_counter()
    learner.train(task, train)
    elapsed = time.perf_counter() - start
    return max(5, int(n * target_s / elapsed))


def part1(reps: int, quick: bool) -> dict[str, float]:
    task = _task(4000)
    trees = _tune_trees(task, 0.5 if quick else 1.0)
    learner = lrn("classif.ranger", n_estimators=trees)
    cv = rsmp("cv", folds=8)

    def run() -> Any:
        return resample(task, learner, cv, seed=1)

    plans = {
        "sequential": tweak("sequential"),
        "threads (2)": tweak("threads", workers=2),
        "processes (2)": tweak("processes", workers=2),
        "dask (2 local workers)": tweak("dask", workers=2),
    }
    out: dict[str, float] = {}
    reference = None
    for name, spec in plans.items():
        with plan(spec):
            result = run()  # warm-up: starts workers / cluster
            scores = result.score()["classif.ce"].tolist()
            reference = reference or scores
            assert scores == reference, f"{name}: results differ from sequential"
            out[name] = _median_time(run, reps)
        print(f"  {name:<24} {out[name]:7.2f} s", flush=True)
    out["n_estimators"] = trees
    return out


# -- part 2 -------------------------------------------------------------------------------------
def _fit_predict_batch(
    batch: list[tuple[np.ndarray, np.ndarray]], x: np.ndarray, y: np.ndarray
) -> list[np.ndarray]:
    """The scikit-learn work of a batch of jobs, as a plain dask task runs it."""
    from sklearn.dummy import DummyClassifier

    return [DummyClassifier().fit(x[tr], y[tr]).predict(x[te]) for tr, te in batch]


def part2(reps: int) -> dict[str, float]:
    from joblib import Parallel, delayed
    from sklearn.dummy import DummyClassifier

    task = _task(2000, seed=2)
    cv = rsmp("cv", folds=200).instantiate(task)
    learner = lrn("classif.featureless")
    n_jobs = cv.iters
    x = task.data(cols=task.feature_names).to_numpy()
    y = np.asarray(task.truth().codes)
    pos = {int(r): i for i, r in enumerate(task.row_ids)}
    splits = [
        (np.array([pos[int(r)] for r in cv.train_set(i)]),
         np.array([pos[int(r)] for r in cv.test_set(i)]))
        for i in range(n_jobs)
    ]

    def fit_predict(train: np.ndarray, test: np.ndarray) -> np.ndarray:
        return DummyClassifier().fit(x[train], y[train]).predict(x[test])

    def mlr3py_run(spec: Any, chunk: int | None) -> Callable[[], Any]:
        def run() -> Any:
            options.exec_chunk_size = chunk
            with plan(spec):
                return resample(task, learner, cv, seed=1)
        return run

    def dask_run(batch: int) -> Callable[[], Any]:
        def run() -> Any:
            client = dask_client(tweak("dask", workers=2))
            batches = [splits[i:i + batch] for i in range(0, n_jobs, batch)]
            work = functools.partial(_fit_predict_batch, x=x, y=y)
            futures = client.map(work, batches, pure=False)
            return [p for part in client.gather(futures) for p in part]
        return run

    def joblib_run(batch: int) -> Callable[[], Any]:
        def run() -> Any:
            return Parallel(n_jobs=2, batch_size=batch)(
                delayed(fit_predict)(tr, te) for tr, te in splits
            )
        return run

    cases: dict[str, Callable[[], Any]] = {
        "mlr3py sequential": mlr3py_run(tweak("sequential"), 1),
        "mlr3py processes (2), chunk 1": mlr3py_run(tweak("processes", workers=2), 1),
        "mlr3py processes (2), chunk 50": mlr3py_run(tweak("processes", workers=2), 50),
        "mlr3py processes (2), chunk unset": mlr3py_run(tweak("processes", workers=2), None),
        "mlr3py dask (2), chunk 1": mlr3py_run(tweak("dask", workers=2), 1),
        "mlr3py dask (2), chunk 50": mlr3py_run(tweak("dask", workers=2), 50),
        "mlr3py dask (2), chunk unset": mlr3py_run(tweak("dask", workers=2), None),
        "scikit-learn loop": lambda: [fit_predict(tr, te) for tr, te in splits],
        "joblib.Parallel(2), batch 1": joblib_run(1),
        "joblib.Parallel(2), batch 50": joblib_run(50),
        "dask client.map (2), batch 1": dask_run(1),
        "dask client.map (2), batch 50": dask_run(50),
    }
    out: dict[str, float] = {}
    saved = options.exec_chunk_size
    try:
        for name, fn in cases.items():
            fn()  # warm-up
            out[name] = _median_time(fn, reps) / n_jobs * 1000
            print(f"  {name:<35} {out[name]:7.3f} ms/job", flush=True)
    finally:
        options.exec_chunk_size = saved
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1 repetition, 0.5 s jobs")
    args = parser.parse_args(argv)
    reps = 1 if args.quick else 3
    options.progress = False
    print(f"mlr3py {mlr3py.__version__}, Python {platform.python_version()}, "
          f"{os.cpu_count()} CPUs, available_cores() = {available_cores()}")
    try:
        print("Part 1: 8 CPU-bound jobs (8-fold cv of classif.ranger)")
        p1 = part1(reps, args.quick)
        print("Part 2: 200 tiny jobs (classif.featureless, 200-fold cv)")
        p2 = part2(reps + 2)
    finally:
        shutdown_workers()
    seq = p1["sequential"]
    print()
    print(f"### 8 CPU-bound jobs (n_estimators={int(p1['n_estimators'])}, "
          f"~{seq / 8:.2f} s per job)")
    print()
    print("| plan | median time (s) | speed-up over sequential | goal |")
    print("|---|---:|---:|---|")
    goals = {"processes (2)": ">= 1.8x", "dask (2 local workers)": ">= 1.6x"}
    for name in ("sequential", "threads (2)", "processes (2)", "dask (2 local workers)"):
        print(f"| {name} | {p1[name]:.2f} | {seq / p1[name]:.2f}x | {goals.get(name, '')} |")
    print()
    print("### 200 tiny jobs: cost per job")
    print()
    base = p2["mlr3py sequential"]
    print("| run | ms per job | relative to mlr3py sequential |")
    print("|---|---:|---:|")
    for name, value in p2.items():
        print(f"| {name} | {value:.3f} | {value / base:.2f}x |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
