"""The mlr3 book's section 10.1.4, "Nested Resampling Parallelization", in Python.

An AutoTuner tunes ``min_samples_split`` of a tree by random search (a batch of 2,
2 evaluations, holdout as the inner resampling); a 5-fold CV is the outer
resampling. Nested resampling can be parallelised on the outer level (each worker
tunes on one outer training set) or on the inner level (each batch of the inner
tuning runs in parallel), or on both, with nested plan levels. The same seed gives
the same outer scores and inner tuning results under every plan.

Run it with ``python examples/book_10_1_4_nested_parallel.py``.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from mlr3py import (
    auto_tuner,
    extract_inner_tuning_results,
    lrn,
    msr,
    plan,
    resample,
    rsmp,
    tnr,
    tsk,
    tweak,
)
from mlr3py.params import to_tune

# The book's plans. plan("processes") alone is the same as the outer one: the levels
# after the last one given are sequential.
PLANS: dict[str, Any] = {
    "sequential": "sequential",
    "outer loop in parallel": ["processes", "sequential"],
    "inner loop in parallel": ["sequential", "processes"],
    "both loops in parallel": [tweak("processes", workers=2), tweak("processes", workers=2)],
}


def nested_resampling(seed: int = 1) -> pd.DataFrame:
    """The book's nested resampling: outer 5-fold CV of an AutoTuner; its outer scores."""
    lrn_rpart = lrn("classif.rpart", min_samples_split=to_tune(2, 128))
    lrn_rpart_tuned = auto_tuner(
        tnr("random_search", batch_size=2), lrn_rpart, rsmp("holdout"), msr("classif.ce"), 2
    )
    rr = resample(tsk("penguins"), lrn_rpart_tuned, rsmp("cv", folds=5), store_models=True,
                  seed=seed)
    inner = extract_inner_tuning_results(rr)
    print(inner[["iteration", "min_samples_split", "classif.ce"]].to_string(index=False))
    scores = rr.score(msr("classif.ce"))[["iteration", "classif.ce"]]
    scores["inner_min_samples_split"] = inner["min_samples_split"].to_numpy()
    return scores


def main() -> dict[str, pd.DataFrame]:
    """Run the nested resampling under each plan of the book; the results agree."""
    results = {}
    for name, levels in PLANS.items():
        print(f"-- {name}: plan({levels!r})")
        with plan(levels):
            results[name] = nested_resampling()
        print(f"outer classif.ce: {results[name]['classif.ce'].mean():.4f}")
    first = results["sequential"]
    for name, scores in results.items():
        pd.testing.assert_frame_equal(scores, first, obj=name)
    print("The same outer scores and inner results under every plan.")
    return results


if __name__ == "__main__":
    main()
