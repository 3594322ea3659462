"""A preprocessing pipeline in 10-fold CV: mlr3py's GraphLearner against scikit-learn's Pipeline.

``po("scale") >> po("filter", flt("anova"), filter_frac=0.5) >> lrn("classif.rpart")``
resampled with ``resample()`` on ``tsk("spam")`` (4,601 rows x 57 features),
against ``Pipeline([StandardScaler(), SelectPercentile(f_classif, percentile=50),
DecisionTreeClassifier()])`` through ``cross_validate`` on the same folds (mlr3py's
instantiated ``rsmp("cv", folds=10)`` handed over as position pairs), the same
tree parameters and ``random_state``. Both score the test sets (error rate /
accuracy); the script checks that the per-fold accuracies agree and that both
keep the same 28 features in every fold.

scikit-learn gets the features as one float ``numpy`` array prepared beforehand,
so the ratio counts everything mlr3py does on top: task views, the composed
backends of the scaled task, the filter's score table, learner clones and
prediction objects. Each repetition runs both sides, alternating which goes
first, after one untimed warm-up run of each; the script prints medians and the
ratio mlr3py / scikit-learn (goal: <= 1.15).

Usage::

    python benchmarks/pipeline_cv.py           # 7 repetitions
    python benchmarks/pipeline_cv.py --reps 3
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from collections.abc import Callable

import numpy as np
import pandas as pd
import sklearn
from _sklearn_side import sklearn_inputs
from sklearn.feature_selection import SelectPercentile, f_classif
from sklearn.model_selection import cross_validate
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier

from mlr3py import lrn, msr, resample, rsmp, tsk
from mlr3py.filters import flt
from mlr3py.pipelines import as_learner, po

FOLDS = 10
RANDOM_STATE = 0
GOAL = 1.15


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; the exit status is 0 whatever the ratio is."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=7, help="timed repetitions (default 7)")
    args = parser.parse_args(argv)

    task = tsk("spam")
    resampling = rsmp("cv", folds=FOLDS).instantiate(task, seed=1)
    feats = task.feature_names
    x, y, folds = sklearn_inputs(task, resampling, feats)

    learner = as_learner(po("scale") >> po("filter", flt("anova"), filter_frac=0.5)
                         >> lrn("classif.rpart", random_state=RANDOM_STATE))
    measure = msr("classif.ce")
    pipeline = Pipeline([("scale", StandardScaler()),
                         ("filter", SelectPercentile(f_classif, percentile=50)),
                         ("tree", DecisionTreeClassifier(random_state=RANDOM_STATE))])

    def run_mlr3py(store: bool = False) -> tuple[np.ndarray, list[list[str]]]:
        rr = resample(task, learner, resampling, store_models=store)
        acc = 1.0 - rr.score(measure)["classif.ce"].to_numpy(dtype=float)
        kept = [sorted(lr.model.states["anova"]["features"]) for lr in rr.learners] \
            if store else []
        return acc, kept

    def run_sklearn(store: bool = False) -> tuple[np.ndarray, list[list[str]]]:
        out = cross_validate(pipeline, x, y, cv=folds, scoring="accuracy",
                             return_estimator=store)
        kept = [sorted(np.asarray(feats)[est.named_steps["filter"].get_support()].tolist())
                for est in out["estimator"]] if store else []
        return out["test_score"], kept

    # warm-up and the check that both compute the same thing
    (acc_m, kept_m), (acc_s, kept_s) = run_mlr3py(store=True), run_sklearn(store=True)
    max_diff = float(np.max(np.abs(acc_m - acc_s)))
    same_features = kept_m == kept_s

    times: dict[str, list[float]] = {"mlr3py": [], "sklearn": []}
    runners: list[tuple[str, Callable[[], object]]] = [("mlr3py", run_mlr3py),
                                                       ("sklearn", run_sklearn)]
    for rep in range(args.reps):
        for name, fun in runners if rep % 2 == 0 else runners[::-1]:
            start = time.perf_counter()
            fun()
            times[name].append(time.perf_counter() - start)
        print(f"  rep {rep + 1}/{args.reps}: mlr3py {times['mlr3py'][-1]:.4f} s, "
              f"sklearn {times['sklearn'][-1]:.4f} s", flush=True)

    import mlr3py

    med_m, med_s = statistics.median(times["mlr3py"]), statistics.median(times["sklearn"])
    ratio = med_m / med_s
    print(f"Python {platform.python_version()}, mlr3py {mlr3py.__version__}, scikit-learn "
          f"{sklearn.__version__}, numpy {np.__version__}, pandas {pd.__version__}; "
          f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.2f}")
    print(f"features kept per fold: {len(kept_m[0])}; same in every fold: {same_features}; "
          f"largest per-fold accuracy difference {max_diff:.2g}")
    print(f"median mlr3py {med_m:.4f} s, sklearn {med_s:.4f} s, ratio {ratio:.3f} "
          f"({'meets' if ratio <= GOAL else 'misses'} the goal <= {GOAL})")
    print()
    print("| task | pipeline | reps | mlr3py median (s) | scikit-learn median (s) | ratio |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    print(f"| spam | scale >> anova filter (frac 0.5) >> rpart | {args.reps} | {med_m:.4f} | "
          f"{med_s:.4f} | {ratio:.3f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
