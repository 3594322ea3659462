"""mlr3py quick start: the workflow of the mlr3 book, chapters 2 and 3, in Python.

Tasks, learners, train / predict / score, resampling, and a benchmark of three
learners on two tasks. Run it with ``bash scripts/demo.sh`` (which sets up
``.venv``) or ``python examples/quickstart.py`` inside an installed environment.

The task ``sonar`` comes from OpenML through the local data cache: put
``sonar.csv`` into the directory named by ``MLR3PY_DATA_DIR`` to run offline.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from mlr3py import (
    benchmark,
    benchmark_grid,
    lrn,
    lrns,
    msr,
    msrs,
    resample,
    rsmp,
    tsk,
    tsks,
)
from mlr3py.errors import Mlr3pyError


def section(title: str) -> None:
    """Print a section heading."""
    print(f"\n{'=' * 78}\n{title}\n{'=' * 78}")


def tasks() -> None:
    """Book section 2.1: tasks."""
    section("2.1 Tasks: tsk('penguins')")
    task = tsk("penguins")
    print(task)
    print("\nfeature types:")
    print(task.feature_types.to_string(index=False))
    print("\nfirst rows:")
    print(task.head(3))
    print("\nmissing values per column:")
    print(task.missings().to_string())


def train_predict_score() -> None:
    """Book sections 2.2 and 2.3: train, predict and score a decision tree."""
    section("2.2 Learners: lrn('classif.rpart', max_depth=3) on tsk('sonar')")
    task = tsk("sonar")
    learner = lrn("classif.rpart", max_depth=3)
    print(learner)

    # a 67% / 33% split, as mlr3's partition() does
    split = rsmp("holdout", ratio=0.67).instantiate(task, seed=1)
    train_ids, test_ids = split.train_set(0), split.test_set(0)
    print(f"\ntrain on {len(train_ids)} rows, predict {len(test_ids)} rows")

    learner.train(task, row_ids=train_ids)
    print(f"model: {getattr(learner.model, 'estimator', learner.model)!r}")
    print(f"train time: {learner.state.train_time:.4f} s")

    prediction = learner.predict(task, row_ids=test_ids)
    print("\nprediction (first rows):")
    print(prediction.as_data_frame().head())
    print("\nconfusion matrix (rows: response, columns: truth):")
    print(prediction.confusion)

    section("2.3 Measures: prediction.score()")
    print(prediction.score(msrs(["classif.ce", "classif.acc"])).to_string())

    # probabilities and a threshold, book section 2.5.4
    learner.predict_type = "prob"
    learner.train(task, row_ids=train_ids)
    prediction = learner.predict(task, row_ids=test_ids)
    print("\nwith predict_type='prob':")
    print(prediction.score(msrs(["classif.ce", "classif.auc"])).to_string())
    prediction.set_threshold(0.7)
    print("\nafter set_threshold(0.7) (predict 'M' only when P(M) >= 0.7):")
    print(prediction.confusion)
    print(prediction.score(msrs(["classif.ce", "classif.tpr", "classif.fpr"])).to_string())


def missing_values() -> None:
    """Learners declare what they can handle; mlr3py checks before training."""
    section("Missing values: lrn('classif.log_reg') on tsk('penguins')")
    task = tsk("penguins")
    learner = lrn("classif.log_reg", max_iter=5000)
    print(f"learner properties: {sorted(learner.properties)}")
    try:
        learner.train(task)
    except Mlr3pyError as error:
        print(f"{type(error).__name__}: {error}")
    complete = task.clone()
    rows = complete.data(cols=complete.feature_names).notna().all(axis=1)
    complete.filter(np.asarray(rows[rows].index))
    learner.train(complete)
    print(f"after dropping incomplete rows ({task.nrow} -> {complete.nrow}) training works:")
    print(learner.predict(complete).score(msr("classif.acc")).to_string())


def resampling() -> None:
    """Book sections 3.2 and 3.3: resampling strategies and resample()."""
    section("3.2 Resampling: rsmp('cv', folds=3) and resample()")
    task = tsk("penguins")
    learner = lrn("classif.rpart", max_depth=3)
    cv3 = rsmp("cv", folds=3)
    cv3.instantiate(task, seed=1)
    print(f"{cv3.id}: {cv3.iters} iterations, first test set has {len(cv3.test_set(0))} rows")

    rr = resample(task, learner, cv3, seed=1)
    print(repr(rr))
    print("\nscore per iteration:")
    print(rr.score(msr("classif.ce")).to_string(index=False))
    print("\naggregate (mean over iterations):")
    print(rr.aggregate(msrs(["classif.ce", "classif.acc"])).to_string())
    print(f"\ncombined prediction: {len(rr.prediction())} rows")

    print("\nstratified cross-validation: task.col_roles['stratum'] = ['species']")
    task.col_roles["stratum"] = ["species"]
    rr = resample(task, learner, rsmp("cv", folds=3), seed=1)
    print(rr.aggregate(msr("classif.ce")).to_string())


def benchmarking() -> pd.DataFrame:
    """Book section 3.4: benchmark_grid() and benchmark()."""
    section("3.4 Benchmarking: featureless, rpart and ranger on sonar and penguins")
    design = benchmark_grid(
        tasks=tsks(["sonar", "penguins"]),
        learners=lrns(
            ["classif.featureless", "classif.rpart", "classif.ranger"], predict_type="prob"
        ),
        resamplings=rsmp("cv", folds=3),
    )
    print(design.map(lambda obj: getattr(obj, "id", obj)).to_string())
    bmr = benchmark(design, seed=1)
    print(bmr)
    table = bmr.aggregate(msrs(["classif.ce", "classif.acc"]))
    print("\naggregate:")
    print(table.to_string(index=False))

    # AUC is defined for two-class tasks only: score it on the sonar experiments
    sonar = bmr.filter(task_ids="sonar")
    print("\nsonar only, with the area under the ROC curve:")
    print(sonar.aggregate(msrs(["classif.ce", "classif.auc"])).to_string(index=False))
    return table


def main() -> None:
    """Run every section in book order."""
    pd.set_option("display.width", 120)
    pd.set_option("display.max_columns", 20)
    np.random.seed(1)  # noqa: NPY002 -- mlr3py draws unset seeds from numpy's global RNG
    tasks()
    train_predict_score()
    missing_values()
    resampling()
    benchmarking()


if __name__ == "__main__":
    main()
