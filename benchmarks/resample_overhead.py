"""Overhead of ``resample()`` against scikit-learn's ``cross_validate``.

10-fold cross-validation of a CART decision tree, timed side by side in one
process on two tasks:

* ``sonar`` (208 rows x 60 features; OpenML data through the local cache), and
* a synthetic task of 100,000 rows x 20 features (``make_classification``).

Both sides fit the same estimator (``DecisionTreeClassifier`` with the same
parameters and ``random_state``) on the same folds: mlr3py's instantiated
``rsmp("cv", folds=10)`` is handed to ``cross_validate`` as ``cv=`` pairs of
positions. Both sides predict the test sets and compute the error rate
(mlr3py: ``rr.aggregate(msr("classif.ce"))``; scikit-learn: ``scoring="accuracy"``),
and the script checks that they agree fold by fold. scikit-learn gets the
features as one float ``numpy`` array built beforehand (its fastest path), so
the ratio includes everything mlr3py does on top: task views, data extraction,
learner clones, per-job seeds and prediction objects.

Each repetition runs both sides, alternating which goes first, after one
untimed warm-up run of each. The script prints medians, the ratio
mlr3py / scikit-learn (goal: <= 1.10) and a markdown table.

Usage::

    python benchmarks/resample_overhead.py           # 7 reps on sonar, 5 on 100k rows
    python benchmarks/resample_overhead.py --quick   # 3 and 2 reps
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import sklearn
from _sklearn_side import sklearn_inputs
from sklearn.datasets import make_classification
from sklearn.model_selection import cross_validate
from sklearn.tree import DecisionTreeClassifier

from mlr3py import as_task_classif, lrn, msr, resample, rsmp, tsk

FOLDS = 10
RANDOM_STATE = 0
GOAL = 1.10


@dataclass
class Case:
    """One benchmark case: a task, its tree parameters and the number of repetitions."""

    name: str
    task: Any
    params: dict[str, Any]
    reps: int


@dataclass
class Result:
    """Timings of one case."""

    case: Case
    mlr3py_times: list[float]
    sklearn_times: list[float]
    max_score_diff: float

    @property
    def mlr3py_median(self) -> float:
        return statistics.median(self.mlr3py_times)

    @property
    def sklearn_median(self) -> float:
        return statistics.median(self.sklearn_times)

    @property
    def ratio(self) -> float:
        return self.mlr3py_median / self.sklearn_median


def synthetic_task(n_rows: int = 100_000, n_features: int = 20) -> Any:
    """A two-class task from ``make_classification`` (seeded)."""
    x, y = make_classification(
        n_samples=n_rows, n_features=n_features, n_informative=10, random_state=1
    )
    data = pd.DataFrame(x, columns=[f"x{i + 1}" for i in range(n_features)])
    data["y"] = pd.Categorical(np.where(y == 1, "pos", "neg"), categories=["pos", "neg"])
    return as_task_classif(data, target="y", id=f"synthetic_{n_rows // 1000}k")


def run_case(case: Case) -> Result:
    """Time mlr3py's resample() and scikit-learn's cross_validate on the same folds."""
    task = case.task
    resampling = rsmp("cv", folds=FOLDS).instantiate(task, seed=1)
    x, y, folds = sklearn_inputs(task, resampling)

    learner = lrn("classif.rpart", random_state=RANDOM_STATE, **case.params)
    measure = msr("classif.ce")
    estimator = DecisionTreeClassifier(random_state=RANDOM_STATE, **case.params)

    def run_mlr3py() -> np.ndarray:
        rr = resample(task, learner, resampling)
        rr.aggregate(measure)
        return 1.0 - rr.score(measure)["classif.ce"].to_numpy(dtype=float)

    def run_sklearn() -> np.ndarray:
        return cross_validate(estimator, x, y, cv=folds, scoring="accuracy")["test_score"]

    # warm-up (imports, caches) and the check that both compute the same thing
    acc_mlr3py, acc_sklearn = run_mlr3py(), run_sklearn()
    max_diff = float(np.max(np.abs(acc_mlr3py - acc_sklearn)))

    times: dict[str, list[float]] = {"mlr3py": [], "sklearn": []}
    runners: list[tuple[str, Callable[[], np.ndarray]]] = [
        ("mlr3py", run_mlr3py),
        ("sklearn", run_sklearn),
    ]
    for rep in range(case.reps):
        for name, fun in runners if rep % 2 == 0 else runners[::-1]:
            start = time.perf_counter()
            fun()
            times[name].append(time.perf_counter() - start)
        print(
            f"  {case.name} rep {rep + 1}/{case.reps}: mlr3py {times['mlr3py'][-1]:.4f} s, "
            f"sklearn {times['sklearn'][-1]:.4f} s",
            flush=True,
        )
    return Result(case, times["mlr3py"], times["sklearn"], max_diff)


def markdown(results: list[Result]) -> str:
    """The results as a markdown table."""
    lines = [
        "| task | rows x features | tree params | reps | mlr3py median (s) | "
        "scikit-learn median (s) | ratio |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        task = r.case.task
        params = ", ".join(f"{k}={v}" for k, v in r.case.params.items()) or "defaults"
        lines.append(
            f"| {task.id} | {task.nrow:,} x {len(task.feature_names)} | {params} | "
            f"{r.case.reps} | {r.mlr3py_median:.4f} | {r.sklearn_median:.4f} | "
            f"{r.ratio:.3f} |"
        )
    return "\n".join(lines)


def environment() -> str:
    """Versions and machine, one line."""
    import mlr3py

    return (
        f"Python {platform.python_version()}, mlr3py {mlr3py.__version__}, "
        f"scikit-learn {sklearn.__version__}, numpy {np.__version__}, pandas {pd.__version__}; "
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs"
    )


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; the exit status is 0 whatever the ratios are."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (3 and 2)")
    args = parser.parse_args(argv)

    cases = [
        Case("sonar", tsk("sonar"), {}, 3 if args.quick else 7),
        Case("synthetic_100k", synthetic_task(), {"max_depth": 10}, 2 if args.quick else 5),
    ]
    print(environment())
    print(f"{FOLDS}-fold CV of a decision tree; mlr3py resample() vs sklearn cross_validate()")
    results = [run_case(case) for case in cases]

    print()
    for r in results:
        verdict = "meets" if r.ratio <= GOAL else "misses"
        print(
            f"{r.case.name}: median mlr3py {r.mlr3py_median:.4f} s, sklearn "
            f"{r.sklearn_median:.4f} s, ratio {r.ratio:.3f} ({verdict} the goal <= {GOAL}); "
            f"largest per-fold accuracy difference {r.max_score_diff:.2g}"
        )
    print()
    print(markdown(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
