"""Pipelines: preprocessing inside the resampling, a graph as a learner, tuned.

1. ``po("scale") >> po("filter", flt("anova"), filter_frac=0.5) >> lrn("classif.rpart")``
   on ``tsk("sonar")``: the scaler's means and the filter's scores are learnt on
   the training rows of each fold only, so nothing leaks from the test rows.
   ``as_learner()`` makes the graph a learner; ``resample()`` runs it in 5-fold CV.
2. Its parameters carry the operators' ids (``scale.center``,
   ``anova.filter_frac``, ``classif.rpart.max_depth``); ``to_tune()`` marks
   ``anova.filter_frac`` and ``classif.rpart.max_depth``, and a grid search
   tunes them with ``tune()``.
3. A branch chooses between PCA and no preprocessing: ``branch.selection`` is
   tuned like any other parameter.
4. ``ppl("robustify", task, learner)`` adds what a logistic regression needs
   (missing indicators, imputation, factor levels fixed at training) on a task
   with missing values and factors.

Run it with ``python examples/pipelines.py``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from mlr3py import as_task_classif, lrn, msr, resample, rsmp, tnr, tsk, tune
from mlr3py.filters import flt
from mlr3py.params import to_tune
from mlr3py.pipelines import as_learner, gunion, po, ppl


def resample_pipeline(seed: int = 1) -> Any:
    """Step 1: the pipeline as a learner in a 5-fold CV."""
    graph = po("scale") >> po("filter", flt("anova"), filter_frac=0.5) >> lrn("classif.rpart")
    print(graph)
    learner = as_learner(graph)
    rr = resample(tsk("sonar"), learner, rsmp("cv", folds=5), seed=seed, store_models=True)
    print("5-fold CV error:", round(float(rr.aggregate()["classif.ce"]), 3))
    kept = rr.learners[0].model.states["anova"]["features"]
    print("fold 1 keeps", len(kept), "of 60 features, best first:",
          list(rr.learners[0].model.states["anova"]["scores"].index[:5]))
    return rr


def tune_pipeline(seed: int = 1) -> Any:
    """Step 2: tune the filter's fraction and the tree's depth (prefixed ids)."""
    learner = as_learner(
        po("scale")
        >> po("filter", flt("anova"), filter_frac=to_tune(0.1, 1.0))
        >> lrn("classif.rpart", max_depth=to_tune(1, 8))
    )
    print("search space:", learner.param_set.search_space().ids())
    instance = tune(tnr("grid_search", resolution=3), tsk("sonar"), learner,
                    rsmp("cv", folds=3), msr("classif.ce"), term_evals=9, seed=seed)
    archive = instance.archive.data
    print(archive[["anova.filter_frac", "classif.rpart.max_depth", "classif.ce"]].to_string())
    print("best:", instance.result_learner_param_vals)
    return instance


def tune_branch(seed: int = 1) -> Any:
    """Step 3: PCA or not, decided by tuning ``branch.selection``."""
    graph = (po("branch", ["pca", "nop"])
             >> gunion([po("pca", rank=10), po("nop")])
             >> po("unbranch")
             >> lrn("classif.rpart"))
    learner = as_learner(graph)
    learner.param_set.values["branch.selection"] = to_tune()
    instance = tune(tnr("grid_search"), tsk("sonar"), learner, rsmp("holdout"),
                    msr("classif.ce"), term_evals=2, seed=seed)
    print(instance.archive.data[["branch.selection", "classif.ce"]].to_string())
    return instance


def robustify(seed: int = 1) -> Any:
    """Step 4: a learner without support for missing values on a task that has them."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({"x": rng.normal(size=120), "f": rng.choice(["a", "b", "c"], size=120)})
    frame["y"] = np.where(frame["x"] + (frame["f"] == "a") > 0.3, "yes", "no")
    frame.loc[rng.choice(120, 15, replace=False), "x"] = np.nan
    task = as_task_classif(frame, target="y")
    learner = lrn("classif.log_reg")  # no support for missing values
    graph = ppl("robustify", task, learner) >> learner
    print(graph)
    rr = resample(task, as_learner(graph), rsmp("cv", folds=3), seed=seed)
    print("robustified CV error:", round(float(rr.aggregate()["classif.ce"]), 3))
    return rr


def main() -> dict[str, Any]:
    """Run the four steps."""
    return {"resample": resample_pipeline(), "tune": tune_pipeline(),
            "branch": tune_branch(), "robustify": robustify()}


if __name__ == "__main__":
    main()
