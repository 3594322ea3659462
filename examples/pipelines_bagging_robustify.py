"""Non-sequential pipelines (the mlr3 book, chapter 8): bagging, robustify, thresholds.

1. Bagging by hand: ``po("subsample", frac=0.7) >> lrn("classif.rpart")`` copied ten
   times with ``ppl("greplicate", ..., n=10)``, the ten predictions averaged by
   ``po("classifavg", innum=10)``; benchmarked against a single tree on sonar in a
   3-fold CV.
2. The same in one call: ``ppl("bagging", lrn("classif.rpart"), iterations=10,
   frac=0.7)``.
3. ``ppl("robustify", task, learner) >> learner``: a logistic regression cannot
   handle the missing values of ``tsk("penguins")``; robustify adds missing
   indicators and imputation (and fixes factor levels), after which it trains
   (``po("scale")`` before it helps the solver).
4. ``po("learner_cv", lrn("classif.ranger", predict_type="prob")) >>
   po("tunethreshold")``: the threshold that minimises the classification error
   on the cross-validated probabilities, chosen anew in each outer fold.

Run it with ``python examples/pipelines_bagging_robustify.py`` (a few seconds).
"""

from __future__ import annotations

from typing import Any

from mlr3py import benchmark, benchmark_grid, lrn, resample, rsmp, tsk
from mlr3py.errors import Mlr3pyError
from mlr3py.pipelines import as_learner, po, ppl


def bagging_by_hand(seed: int = 1) -> Any:
    """Step 1: greplicate + classifavg, against a single tree."""
    single_pred = po("subsample", frac=0.7) >> lrn("classif.rpart")
    pred_set = ppl("greplicate", single_pred, n=10)
    bagging = as_learner(pred_set >> po("classifavg", innum=10), id="bagging")
    design = benchmark_grid(tsk("sonar"), [bagging, lrn("classif.rpart")],
                            rsmp("cv", folds=3), seed=seed)
    bmr = benchmark(design, seed=seed)
    table = bmr.aggregate()[["learner_id", "classif.ce"]]
    print(table.to_string(index=False))
    return table


def bagging_pipeline(seed: int = 1) -> Any:
    """Step 2: ppl("bagging")."""
    learner = as_learner(ppl("bagging", lrn("classif.rpart"), iterations=10, frac=0.7))
    print(f"ppl('bagging') holds {len(learner.graph.pipeops)} operators")
    rr = resample(tsk("sonar"), learner, rsmp("cv", folds=3), seed=seed)
    print("bagged trees, 3-fold CV error:", round(float(rr.aggregate()["classif.ce"]), 3))
    return rr


def robustify(seed: int = 1) -> Any:
    """Step 3: a learner that cannot handle missing values, made robust."""
    task, learner = tsk("penguins"), lrn("classif.log_reg")
    try:
        learner.clone().train(task)
    except Mlr3pyError as err:
        print("without robustify:", str(err).split(". ")[0])
    graph = ppl("robustify", task, learner) >> po("scale") >> learner
    print(" >> ".join(graph.ids))
    rr = resample(task, as_learner(graph), rsmp("cv", folds=3), seed=seed)
    print("robustified log_reg, 3-fold CV error:", round(float(rr.aggregate()["classif.ce"]), 3))
    return rr


def tuned_threshold(seed: int = 1) -> Any:
    """Step 4: the threshold tuned on cross-validated probabilities."""
    forest = lrn("classif.ranger", n_estimators=50, predict_type="prob")
    graph = po("learner_cv", forest) >> po("tunethreshold")
    rr = resample(tsk("sonar"), as_learner(graph), rsmp("cv", folds=3), seed=seed,
                  store_models=True)
    thresholds = [round(float(lr.model.states["tunethreshold"]["threshold"]), 3)
                  for lr in rr.learners]
    print("tuned thresholds per fold:", thresholds)
    print("tuned-threshold forest, 3-fold CV error:", round(float(rr.aggregate()["classif.ce"]), 3))
    return rr


def main() -> dict[str, Any]:
    return {"by_hand": bagging_by_hand(), "bagging": bagging_pipeline(),
            "robustify": robustify(), "threshold": tuned_threshold()}


if __name__ == "__main__":
    main()
