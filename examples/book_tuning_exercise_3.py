"""Exercise 3 of the mlr3 book's chapter 10: "tuning" the error rate of a debug learner.

``classif.debug`` fails to train with probability ``error_train``; a classification
tree is its fallback, so a failed training is replaced by the tree's predictions.
Random search over ``error_train`` in [0, 1] (50 evaluations, 10-fold CV, accuracy)
then finds that *more* errors score *better*: the tree beats the debug learner's
constant prediction. The archive's ``errors`` column counts the failed trainings
of each evaluation. In [0.3, 0.7] the best configurations lie near 0.7.

Run it with ``python examples/book_tuning_exercise_3.py``.
"""

from __future__ import annotations

from mlr3py import lrn, msr, rsmp, tnr, tsk, tune
from mlr3py.params import to_tune
from mlr3py.tuning import TuningInstance


def tune_error_train(lower: float, upper: float, n_evals: int = 50,
                     seed: int = 1) -> TuningInstance:
    """Tune ``error_train`` of the debug learner (rpart fallback) in [lower, upper]."""
    lrn_debug = lrn("classif.debug", error_train=to_tune(lower, upper))
    lrn_debug.encapsulate("evaluate", fallback=lrn("classif.rpart"))
    instance = tune(
        tnr("random_search"),
        tsk("penguins"),
        lrn_debug,
        rsmp("cv", folds=10),
        msr("classif.acc"),
        term_evals=n_evals,
        seed=seed,
    )
    archive = instance.archive.data
    print(archive[["error_train", "classif.acc", "errors"]].to_string())
    print("evaluations without an error:", int((archive["errors"] == 0).sum()))
    print("evaluations with an error:   ", int((archive["errors"] > 0).sum()))
    print("correlation of error_train and accuracy:",
          round(float(archive["error_train"].corr(archive["classif.acc"])), 3))
    print("best:", instance.result_learner_param_vals)
    return instance


def main(n_evals: int = 50) -> tuple[TuningInstance, TuningInstance]:
    """Both intervals of the exercise: [0, 1], then [0.3, 0.7]."""
    first = tune_error_train(0, 1, n_evals)
    second = tune_error_train(0.3, 0.7, n_evals)
    return first, second


if __name__ == "__main__":
    main()
