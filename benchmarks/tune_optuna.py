"""optuna TPE through mlr3py's tuner against ``study.optimize`` on the same evaluations.

200 trials of a cheap objective whose score is a known function of the
configuration: a learner that predicts the Branin function of its two
parameters (``x1`` in [-5, 10], ``x2`` in [0, 15]) for every row of a 20-row
regression task whose target is 0, scored by ``regr.mae`` on a holdout split.
So the score of a configuration is ``branin(x1, x2)`` (minimum 0.398) and an
evaluation costs one train, predict and score, about a millisecond.

* mlr3py: ``tune(tnr("optuna", sampler=TPESampler(seed=7)), ..., term_evals=200)``
  (``batch_size`` 1: every trial is one ``benchmark()`` and one archive append);
* optuna: ``study.optimize(objective, n_trials=200)`` with ``TPESampler(seed=7)``,
  where ``objective`` suggests the same parameters and runs the same
  ``resample()`` of the same learner;
* for scale, optuna alone: ``study.optimize`` on ``branin`` computed directly
  (TPE's own cost per trial).

The script asserts that both sides propose the same 200 configurations (the
same seed gives the same proposals) and get the same scores, then times each
side, alternating the order, after one untimed warm-up, and prints medians and
mlr3py's overhead per trial over ``study.optimize`` on the same evaluations.

Usage::

    python benchmarks/tune_optuna.py           # 5 repetitions
    python benchmarks/tune_optuna.py --quick   # 2 repetitions
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import optuna
import pandas as pd

from mlr3py import as_task_regr, msr, resample, rsmp
from mlr3py.learners import LearnerRegr
from mlr3py.params import p_dbl, ps
from mlr3py.predictions import PredictionDataRegr
from mlr3py.tuning import tnr, tune

N_TRIALS = 200
SEED = 7


def branin(x1: float, x2: float) -> float:
    """The Branin function (three global minima of 0.397887)."""
    b, c = 5.1 / (4 * math.pi**2), 5 / math.pi
    return (x2 - b * x1**2 + c * x1 - 6) ** 2 + 10 * (1 - 1 / (8 * math.pi)) * math.cos(x1) + 10


@dataclass(frozen=True)
class _Constant:
    value: float


class LearnerRegrBranin(LearnerRegr):
    """Predicts ``branin(x1, x2)`` for every row: a learner whose error is a known function."""

    def __init__(self) -> None:
        super().__init__("regr.branin", param_set=ps(
            x1=p_dbl(-5, 10, default=0, tags="train"), x2=p_dbl(0, 15, default=0, tags="train")),
            label="Branin")

    def _train(self, task: Any) -> _Constant:
        values = self.param_set.get_values(tags="train")
        return _Constant(branin(values.get("x1", 0.0), values.get("x2", 0.0)))

    def _predict(self, task: Any) -> PredictionDataRegr:
        return PredictionDataRegr(response=np.full(task.nrow, self.model.value))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2 repetitions instead of 5")
    args = parser.parse_args()
    reps = 2 if args.quick else 5
    optuna.logging.set_verbosity(optuna.logging.WARNING)

    data = pd.DataFrame({"f": np.arange(20.0), "y": np.zeros(20)})
    task = as_task_regr(data, target="y", id="zeros")
    resampling = rsmp("holdout").instantiate(task, seed=1)
    measure = msr("regr.mae")
    search_space = ps(x1=p_dbl(-5, 10), x2=p_dbl(0, 15))

    def run_mlr3py() -> tuple[list[tuple[float, float]], list[float]]:
        instance = tune(tnr("optuna", sampler=optuna.samplers.TPESampler(seed=SEED)),
                        task=task, learner=LearnerRegrBranin(), resampling=resampling,
                        measures=measure, search_space=search_space,
                        term_evals=N_TRIALS, seed=1)
        archive = instance.archive.data
        return (list(zip(archive["x1"], archive["x2"], strict=True)),
                archive["regr.mae"].astype(float).tolist())

    def run_optuna() -> tuple[list[tuple[float, float]], list[float]]:
        learner = LearnerRegrBranin()

        def objective(trial: optuna.Trial) -> float:
            learner.param_set.set_values(x1=trial.suggest_float("x1", -5, 10),
                                         x2=trial.suggest_float("x2", 0, 15))
            rr = resample(task, learner, resampling, seed=1)
            return float(rr.aggregate(measure)["regr.mae"])

        study = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=SEED))
        study.optimize(objective, n_trials=N_TRIALS)
        return ([(t.params["x1"], t.params["x2"]) for t in study.trials],
                [float(t.value) for t in study.trials])

    def run_function_only() -> Any:
        study = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=SEED))
        study.optimize(lambda t: branin(t.suggest_float("x1", -5, 10),
                                        t.suggest_float("x2", 0, 15)), n_trials=N_TRIALS)
        return study

    # warm-up, and the check that both sides propose and score the same configurations
    (x_m, y_m), (x_o, y_o) = run_mlr3py(), run_optuna()
    same_proposals = x_m == x_o
    score_diff = max(abs(a - b) for a, b in zip(y_m, y_o, strict=True))
    print(f"same seed, same proposals: {same_proposals} ({len(x_m)} trials); largest score "
          f"difference {score_diff:.2e}; best score mlr3py {min(y_m):.4f}, optuna {min(y_o):.4f}")
    assert same_proposals, "mlr3py's optuna tuner and study.optimize proposed different points"
    assert score_diff < 1e-12
    run_function_only()

    runners: list[tuple[str, Callable[[], Any]]] = [
        ("mlr3py", run_mlr3py), ("optuna", run_optuna), ("optuna_fn", run_function_only)]
    times: dict[str, list[float]] = {name: [] for name, _ in runners}
    for rep in range(reps):
        for name, fun in runners if rep % 2 == 0 else runners[::-1]:
            start = time.perf_counter()
            fun()
            times[name].append(time.perf_counter() - start)
        print(f"  rep {rep + 1}/{reps}: "
              + ", ".join(f"{n} {t[-1]:.3f} s" for n, t in times.items()), flush=True)

    med = {name: statistics.median(t) for name, t in times.items()}
    per = {name: 1000 * m / N_TRIALS for name, m in med.items()}
    load = os.getloadavg()
    print()
    print(f"Python {platform.python_version()}, optuna {optuna.__version__}, numpy "
          f"{np.__version__}, pandas {pd.__version__}; {os.cpu_count()} CPUs; load average "
          f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print()
    print(f"| side ({N_TRIALS} TPE trials) | reps | median (s) | per trial (ms) |")
    print("| --- | ---: | ---: | ---: |")
    print(f"| mlr3py `tune(tnr(\"optuna\"))` | {reps} | {med['mlr3py']:.3f} | "
          f"{per['mlr3py']:.2f} |")
    print(f"| optuna `study.optimize`, objective = the same `resample()` | {reps} | "
          f"{med['optuna']:.3f} | {per['optuna']:.2f} |")
    print(f"| optuna `study.optimize`, objective = branin directly | {reps} | "
          f"{med['optuna_fn']:.3f} | {per['optuna_fn']:.2f} |")
    print()
    print(f"mlr3py overhead per trial over study.optimize on the same evaluations: "
          f"{per['mlr3py'] - per['optuna']:.2f} ms (ratio {med['mlr3py'] / med['optuna']:.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
