"""mrmr filter: mlr3py's ``flt("mrmr")`` with 1 and 2 threads against ``mrmr-selection``.

Both sides run the same variant (FCQ: F-statistic relevance, mean absolute Pearson
correlation as redundancy, their quotient; ``mrmr_classif``'s defaults) and must
select the same features in the same order; the script prints the overlap.

- mlr3py: ``flt("mrmr", threads=t).calculate(task, nfeat=k)``, from the task (the
  data extraction is timed).
- mrmr-selection: ``mrmr_classif(X, y, K=k, n_jobs=j, show_progress=False)`` on a
  pandas frame prepared beforehand (not timed); its ``n_jobs`` are joblib workers
  (processes).

Data: ``tsk("spam")`` (4,601 x 57, every feature ranked), and a synthetic task
(20,000 x 400, 40 features selected) where each step has enough work for threads to
pay. One untimed warm-up per side, then repetitions alternating the order; medians. The
"CPU / wall" column is this process's CPU time over the wall time (near the number of
threads when they run at once; mrmr-selection's worker processes are not counted).

Needs the ``mrmr-selection`` package (``pip install mrmr-selection``); without it only
mlr3py is timed.

Run: ``MLR3PY_DATA_DIR=../shared/data .venv/bin/python benchmarks/filter_mrmr.py``
(``--quick``: fewer repetitions, spam only).
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from mlr3py import as_task_classif, flt, tsk


def _synthetic(n: int, p: int, seed: int = 1) -> Any:
    rng = np.random.default_rng(seed)
    latent = rng.normal(size=(n, 20))
    mixing = rng.normal(size=(20, p)) * (rng.uniform(size=p) < 0.3)
    x = latent @ mixing + rng.normal(size=(n, p))
    y = np.where(latent[:, :5].sum(axis=1) + rng.normal(size=n) > 0, "pos", "neg")
    data = pd.DataFrame(x, columns=[f"x{j}" for j in range(p)])
    data["y"] = y
    return as_task_classif(data, target="y", id=f"synthetic_{n}x{p}")


def _ours(task: Any, k: int, threads: int) -> list[str]:
    scores = flt("mrmr", threads=threads).calculate(task, nfeat=k).scores
    assert scores is not None
    return [str(f) for f in scores.index[:k]]


def _timed(fn: Callable[[], Any]) -> tuple[float, float, Any]:
    """Wall time, this process's CPU time (threads included, child processes not) and
    the result of ``fn()``."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def run(task: Any, k: int, reps: int) -> None:
    try:
        from mrmr import mrmr_classif
    except ImportError:
        mrmr_classif = None
    x = task.data(cols=task.feature_names).reset_index(drop=True)
    y = pd.Series(np.asarray(task.truth()))
    sides: dict[str, Callable[[], list[str]]] = {
        "mlr3py, 1 thread": lambda: _ours(task, k, 1),
        "mlr3py, 2 threads": lambda: _ours(task, k, 2),
    }
    if mrmr_classif is not None:
        for jobs in (1, 2):
            sides[f"mrmr-selection, n_jobs={jobs}"] = (
                lambda jobs=jobs: mrmr_classif(x, y, K=k, n_jobs=jobs, show_progress=False))
    for fn in sides.values():  # warm-up
        fn()
    times: dict[str, list[float]] = {name: [] for name in sides}
    cpu: dict[str, list[float]] = {name: [] for name in sides}
    selections: dict[str, list[str]] = {}
    names = list(sides)
    for rep in range(reps):
        for name in names if rep % 2 == 0 else names[::-1]:
            elapsed, used, selections[name] = _timed(sides[name])
            times[name].append(elapsed)
            cpu[name].append(used / elapsed)
    medians = {name: statistics.median(t) for name, t in times.items()}
    base = medians["mlr3py, 1 thread"]
    reference = selections.get("mrmr-selection, n_jobs=1")
    print(f"\n{task.id}: {task.nrow} x {len(task.feature_names)}, k = {k}, {reps} reps, "
          f"load average {os.getloadavg()[0]:.2f}")
    print("| side | median (s) | time / mlr3py 1 thread | CPU / wall | same selection as "
          "mrmr-selection |")
    print("| --- | ---: | ---: | ---: | --- |")
    for name in names:
        if reference is None:
            same = "(mrmr-selection not installed)"
        else:
            chosen = selections[name]
            overlap = len(set(chosen) & set(reference))
            same = ("identical order" if chosen == reference
                    else f"overlap {overlap}/{len(reference)}")
        share = statistics.median(cpu[name])
        print(f"| {name} | {medians[name]:.4f} | {medians[name] / base:.2f} | {share:.2f} | "
              f"{same} |")
    if reference is not None:
        ratio = medians["mrmr-selection, n_jobs=1"] / base
        print(f"mrmr-selection (n_jobs=1) / mlr3py (1 thread): {ratio:.1f}x; "
              f"mlr3py 2 threads speed-up: {base / medians['mlr3py, 2 threads']:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()}, cpus: {os.cpu_count()}")
    spam = tsk("spam")
    run(spam, len(spam.feature_names), reps=3 if args.quick else 7)
    if not args.quick:
        run(_synthetic(20_000, 400), 40, reps=3)


if __name__ == "__main__":
    main()
