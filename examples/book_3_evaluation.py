"""The mlr3 book's chapter 3 (evaluation and benchmarking) in mlr3py.

Resampling strategies and their splits, stratified and grouped resampling (a
regression target stratified through ``add_strata``), ``resample()`` with stored
models, scores per iteration and aggregates, a benchmark and its tables,
combining resample results, and the ROC analysis of a binary classifier:
confusion matrix, FPR / TPR and a threshold chosen by hand.

Run: ``.venv/bin/python examples/book_3_evaluation.py``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from mlr3py import (
    BenchmarkResult,
    as_benchmark_result,
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


@dataclass
class Chapter3:
    """What the chapter computes, for the tests."""

    cv_test_sizes: list[int]
    mpg_bins_per_fold: list[dict[str, int]]
    cyl_per_fold: list[list[float]]
    scores: pd.DataFrame
    bmr: BenchmarkResult
    thresholds: pd.DataFrame


def resampling_strategies() -> tuple[list[int], list[dict[str, int]], list[list[float]]]:
    """Section 3.2.1-3.2.3: splits, stratification and grouping."""
    penguins = tsk("penguins")
    cv3 = rsmp("cv", folds=3).instantiate(penguins, seed=1)
    print(cv3)
    sizes = [len(cv3.test_set(i)) for i in range(cv3.iters)]
    print("cv test set sizes:", sizes)

    # a custom split, as mlr3's rsmp("custom")
    custom = rsmp("custom").instantiate(
        penguins, train_sets=[list(range(0, 100))], test_sets=[list(range(100, 150))]
    )
    print("custom:", len(custom.train_set(0)), "train rows,", len(custom.test_set(0)), "test rows")

    # stratify a regression target: three equal-width bins of mpg
    mtcars = tsk("mtcars").add_strata("mpg", bins=3)
    cv = rsmp("cv", folds=3).instantiate(mtcars, seed=1)
    bins = [
        mtcars.data(rows=cv.test_set(i), cols=["..stratum_mpg"])["..stratum_mpg"]
        .value_counts().sort_index().to_dict()
        for i in range(3)
    ]
    print("mpg bins per fold:", bins)

    # grouping: all cars with the same number of cylinders in one fold
    grouped = tsk("mtcars")
    grouped.set_col_roles("cyl", roles="group")
    cv_group = rsmp("cv", folds=3).instantiate(grouped, seed=1)
    cyl = [
        sorted(set(tsk("mtcars").data(rows=cv_group.test_set(i), cols=["cyl"])["cyl"]))
        for i in range(3)
    ]
    print("cyl per fold:", cyl)
    return sizes, bins, cyl


def resample_experiment() -> pd.DataFrame:
    """Section 3.2.4: resample() with stored models, scores and aggregates."""
    rr = resample(tsk("penguins"), lrn("classif.rpart"), rsmp("cv", folds=3),
                  store_models=True, seed=1)
    scores = rr.score(msrs(["classif.ce", "classif.acc"]))
    print(scores[["iteration", "classif.ce", "classif.acc"]])
    print("macro:", rr.aggregate(msr("classif.ce")).round(4).to_dict())
    print("micro:", rr.aggregate(msr("classif.ce", average="micro")).round(4).to_dict())
    print("features of the first tree:", rr.learners[0].selected_features())
    print(rr.prediction().confusion)
    return scores


def benchmark_experiment() -> BenchmarkResult:
    """Section 3.3: a benchmark, its tables, and combining results."""
    design = benchmark_grid(
        tsks(["german_credit", "sonar"]),
        lrns(["classif.rpart", "classif.featureless"], predict_type="prob"),
        rsmp("cv", folds=3),
        seed=1,
    )
    bmr = benchmark(design, seed=1)
    table = bmr.aggregate(msrs(["classif.acc", "classif.auc"]))
    print(table[["task_id", "learner_id", "classif.acc", "classif.auc"]])
    print("tasks:", bmr.tasks["task_id"].tolist(), "learners:", bmr.learners["learner_id"].tolist())

    # one more experiment: a random forest on sonar, as a resample result
    rr = resample(tsk("sonar"), lrn("classif.ranger", predict_type="prob", n_estimators=50),
                  rsmp("cv", folds=3), seed=1)
    combined = bmr.clone().combine(as_benchmark_result(rr))
    sonar_only = combined.clone().filter(task_ids="sonar")
    print(sonar_only.aggregate(msr("classif.auc"))[["learner_id", "classif.auc"]])
    return combined


def roc_analysis() -> pd.DataFrame:
    """Section 3.4: confusion matrix, FPR / TPR, thresholds by hand."""
    task = tsk("german_credit")
    learner = lrn("classif.ranger", predict_type="prob", n_estimators=100)
    rr = resample(task, learner, rsmp("cv", folds=3), seed=1)
    prediction = rr.prediction()
    print("positive class:", task.positive)
    print(prediction.confusion)
    measures = msrs(["classif.fpr", "classif.tpr", "classif.ce"])
    rows = []
    for threshold in np.round(np.linspace(0.1, 0.9, 9), 2):
        scores = prediction.clone().set_threshold(float(threshold)).score(measures)
        rows.append({"threshold": float(threshold), **scores.to_dict()})
    table = pd.DataFrame(rows)
    print(table.round(3).to_string(index=False))
    print("AUC:", round(float(prediction.score(msr("classif.auc")).iloc[0]), 3))
    return table


def main() -> Chapter3:
    sizes, bins, cyl = resampling_strategies()
    scores = resample_experiment()
    bmr = benchmark_experiment()
    thresholds = roc_analysis()
    return Chapter3(sizes, bins, cyl, scores, bmr, thresholds)


if __name__ == "__main__":
    main()
