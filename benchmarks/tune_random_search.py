"""Random search: ``tune()`` against scikit-learn's search on the same configurations and folds.

100 configurations of a CART decision tree (``max_depth``, ``min_samples_split``,
``ccp_alpha`` on the log scale) x 3-fold cross-validation on sonar (208 rows x 60
features), timed side by side in one process:

* mlr3py: ``tune(tnr("random_search", batch_size=...), ..., term_evals=100, seed=1)``
  with the resampling instantiated once (the same folds for every configuration);
* scikit-learn: ``GridSearchCV`` over exactly the 100 configurations mlr3py drew
  (one single-point grid per configuration, in mlr3py's order), with ``cv=`` the
  same folds as position arrays, ``refit=False``. ``GridSearchCV`` over a list of
  single-point grids is what ``RandomizedSearchCV`` runs after it has drawn its
  ``ParameterSampler`` points; giving it the points makes both sides do the same work.

The script checks that both sides score every configuration the same (mean
accuracy, to 1e-12), then times each side, alternating which goes first, after
one untimed warm-up. Reported: medians, the ratio mlr3py / scikit-learn
(goal <= 1.15) for the sequential plan with ``batch_size`` 1 (mlr3's default:
100 ``benchmark()`` calls) and 20 (5 calls), and the speed-up of
``plan("processes", workers=2)`` with ``batch_size=20`` over the sequential plan
with the same batch size (goal >= 1.7, for the default), with ``exec_chunk_size``
unset (the default: each batch's 60 jobs go out in units of decreasing size,
15, 12, 9, 6, 5, 4, 4, 4, 1), set to 30 (one unit per worker and batch) and set to 1 (60
submissions per batch). The worker processes are started before the timing. The
load average is printed: the machine may be shared.

Usage::

    MLR3PY_DATA_DIR=../shared/data python benchmarks/tune_random_search.py
    MLR3PY_DATA_DIR=../shared/data python benchmarks/tune_random_search.py --quick
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import sklearn
from _sklearn_side import sklearn_inputs
from sklearn.model_selection import GridSearchCV
from sklearn.tree import DecisionTreeClassifier

import mlr3py
from mlr3py import lrn, msr, options, plan, rsmp, tsk
from mlr3py.params import p_int, to_tune
from mlr3py.tuning import tnr, tune

N_EVALS = 100
FOLDS = 3
RANDOM_STATE = 0
GOAL_RATIO = 1.15
GOAL_SPEEDUP = 1.7
# a batch of 20 configurations x 3 folds is 60 jobs: 2 chunks of 30, one per worker;
# None: exec_chunk_size unset (the default)
CHUNKS: tuple[int | None, ...] = (None, 30, 1)
PARAMS = ("max_depth", "min_samples_split", "ccp_alpha")


def learner() -> Any:
    """The tree with its search space as TuneTokens."""
    return lrn(
        "classif.rpart",
        random_state=RANDOM_STATE,
        max_depth=to_tune(1, 20),
        min_samples_split=to_tune(p_int(2, 64)),
        ccp_alpha=to_tune(1e-4, 0.1, logscale=True),
    )


def run_mlr3py(task: Any, resampling: Any, batch_size: int) -> Any:
    """One random search: 100 configurations, mlr3py's way."""
    return tune(
        tnr("random_search", batch_size=batch_size),
        task=task,
        learner=learner(),
        resampling=resampling,
        measures=msr("classif.acc"),
        term_evals=N_EVALS,
        seed=1,
    )


def sklearn_search(configs: list[dict[str, Any]], folds: list[Any]) -> GridSearchCV:
    """scikit-learn's search over exactly ``configs`` on ``folds``."""
    grid = [{k: [v] for k, v in config.items()} for config in configs]
    return GridSearchCV(DecisionTreeClassifier(random_state=RANDOM_STATE), grid,
                        scoring="accuracy", cv=folds, refit=False)


def time_pair(runners: list[tuple[str, Callable[[], Any]]], reps: int,
              label: str) -> dict[str, list[float]]:
    """Time the runners ``reps`` times, alternating which goes first."""
    times: dict[str, list[float]] = {name: [] for name, _ in runners}
    for rep in range(reps):
        for name, fun in runners if rep % 2 == 0 else runners[::-1]:
            start = time.perf_counter()
            fun()
            times[name].append(time.perf_counter() - start)
        print(f"  {label} rep {rep + 1}/{reps}: "
              + ", ".join(f"{n} {t[-1]:.3f} s" for n, t in times.items()), flush=True)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 repetitions instead of 7")
    args = parser.parse_args()
    reps = 3 if args.quick else 7

    task = tsk("sonar")
    resampling = rsmp("cv", folds=FOLDS).instantiate(task, seed=1)
    x, y, folds = sklearn_inputs(task, resampling)

    # the configurations mlr3py draws, and the check that both sides score them the same
    instance = run_mlr3py(task, resampling, batch_size=20)
    archive = instance.archive.data
    configs = [{k: v for k, v in xd.items() if k in PARAMS} for xd in archive["x_domain"]]
    search = sklearn_search(configs, folds)
    search.fit(x, y)
    diff = float(np.max(np.abs(search.cv_results_["mean_test_score"]
                               - archive["classif.acc"].to_numpy(dtype=float))))
    print(f"{len(configs)} configurations; largest score difference mlr3py vs "
          f"scikit-learn: {diff:.2e}")
    if diff > 1e-12:
        print("the two sides do not compute the same scores", file=sys.stderr)
        return 1
    for batch_size in (1, 20):
        again = run_mlr3py(task, resampling, batch_size).archive.data
        same = [{k: v for k, v in xd.items() if k in PARAMS} for xd in again["x_domain"]]
        assert same == configs, "the same seed must draw the same configurations"

    def run_sklearn() -> Any:
        return sklearn_search(configs, folds).fit(x, y)

    results: dict[str, float] = {}
    for batch_size in (1, 20):
        times = time_pair([(f"mlr3py b={batch_size}",
                            lambda b=batch_size: run_mlr3py(task, resampling, b)),
                           ("sklearn", run_sklearn)], reps, f"sequential, batch_size={batch_size}")
        results[f"mlr3py_seq_b{batch_size}"] = statistics.median(times[f"mlr3py b={batch_size}"])
        results[f"sklearn_b{batch_size}"] = statistics.median(times["sklearn"])

    load_before = os.getloadavg()
    saved = options.exec_chunk_size
    par: dict[int | None, list[float]] = {c: [] for c in CHUNKS}
    seq: list[float] = []
    try:
        with plan("processes", workers=2):
            for chunk in CHUNKS:  # start the workers (untimed)
                options.exec_chunk_size = chunk
                run_mlr3py(task, resampling, 20)
            for rep in range(reps):  # the plans interleaved, the sequential run among them
                order: list[tuple[bool, int | None]] = [
                    *((True, c) for c in CHUNKS), (False, None)]
                for parallel, chunk in order if rep % 2 == 0 else order[::-1]:
                    start = time.perf_counter()
                    if parallel:
                        options.exec_chunk_size = chunk
                        run_mlr3py(task, resampling, 20)
                        par[chunk].append(time.perf_counter() - start)
                    else:
                        with plan("sequential"):
                            run_mlr3py(task, resampling, 20)
                        seq.append(time.perf_counter() - start)
                print(f"  processes (2 workers) / sequential, batch_size=20, rep {rep + 1}/"
                      f"{reps}: " + ", ".join(f"{_chunk_label(c)} {par[c][-1]:.3f} s"
                                              for c in CHUNKS)
                      + f", sequential {seq[-1]:.3f} s", flush=True)
    finally:
        options.exec_chunk_size = saved
    load_after = os.getloadavg()
    results["seq_again"] = statistics.median(seq)
    speedups = {c: results["seq_again"] / statistics.median(par[c]) for c in CHUNKS}
    # the machine's speed drifts between repetitions: the ratio of the runs of one
    # repetition (timed next to each other) is steadier than the ratio of the medians
    paired = {c: statistics.median(s / p for s, p in zip(seq, par[c], strict=True))
              for c in CHUNKS}

    print()
    version = getattr(mlr3py, "__version__", "0.1.0")
    print(f"Python {platform.python_version()}, mlr3py {version}, scikit-learn "
          f"{sklearn.__version__}, numpy {np.__version__}, pandas {pd.__version__}; "
          f"{os.cpu_count()} CPUs; load average (1, 5, 15 min) before the parallel part "
          f"{load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}, after "
          f"{load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f}")
    print()
    print("| plan | batch_size | reps | mlr3py median (s) | scikit-learn median (s) | ratio |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for b in (1, 20):
        m, s = results[f"mlr3py_seq_b{b}"], results[f"sklearn_b{b}"]
        print(f"| sequential | {b} | {reps} | {m:.3f} | {s:.3f} | {m / s:.3f} |")
    print()
    print("| plan | batch_size | reps | median (s) | speed-up over sequential | median of "
          "the repetitions' speed-ups |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    print(f"| sequential | 20 | {reps} | {results['seq_again']:.3f} | 1.00 | 1.00 |")
    for c in CHUNKS:
        print(f"| processes, 2 workers, {_chunk_label(c)} | 20 | {reps} | "
              f"{statistics.median(par[c]):.3f} | {speedups[c]:.2f} | {paired[c]:.2f} |")
    print()
    worst = max(results[f"mlr3py_seq_b{b}"] / results[f"sklearn_b{b}"] for b in (1, 20))
    print(f"goal ratio <= {GOAL_RATIO}: {'met' if worst <= GOAL_RATIO else 'MISSED'} "
          f"(worst {worst:.3f}); goal speed-up >= {GOAL_SPEEDUP} with the default: "
          f"{'met' if speedups[None] >= GOAL_SPEEDUP else 'MISSED'} ("
          + ", ".join(f"{speedups[c]:.2f} with {_chunk_label(c)}" for c in CHUNKS) + ")")
    return 0


def _chunk_label(chunk: int | None) -> str:
    return "exec_chunk_size unset (default)" if chunk is None else f"exec_chunk_size {chunk}"


if __name__ == "__main__":
    sys.exit(main())
