"""The mlr3 book's chapter 4 (hyperparameter optimisation): tuning an SVM on sonar.

The book tunes e1071's SVM, ``lrn("classif.svm", cost = to_tune(1e-1, 1e5),
gamma = to_tune(1e-1, 1), kernel = "radial", type = "C-classification")``, on
``tsk("sonar")`` with 3-fold cross-validation and the classification error,
first by grid search (resolution 5, batches of 5), then, as the error changes
over orders of magnitude of ``cost`` and ``gamma``, on a log scale. In mlr3py
the parameter names are scikit-learn's: ``C`` for ``cost``, ``kernel="rbf"``
for ``"radial"`` (C-classification is what ``SVC`` does).

With ``logscale=True`` the tuner searches ``log(C)`` in [log(1e-1), log(1e5)]
and the learner gets ``exp()`` of the point: the archive holds the logarithms,
its ``x_domain`` column the values trained with.

Run it with ``python examples/book_4_svm_tuning.py``.
"""

from __future__ import annotations

from mlr3py import lrn, msr, rsmp, ti, tnr, tsk
from mlr3py.params import to_tune
from mlr3py.tuning import TuningInstance


def tune_svm(*, logscale: bool, resolution: int = 5, seed: int = 1) -> TuningInstance:
    """Grid search over ``C`` in [1e-1, 1e5] and ``gamma`` in [1e-1, 1] (the book's bounds)."""
    learner = lrn(
        "classif.svm",
        C=to_tune(1e-1, 1e5, logscale=logscale),
        gamma=to_tune(1e-1, 1, logscale=logscale),
        kernel="rbf",
    )
    instance = ti(
        task=tsk("sonar"),
        learner=learner,
        resampling=rsmp("cv", folds=3),
        measures=msr("classif.ce"),
        seed=seed,
    )
    tuner = tnr("grid_search", resolution=resolution, batch_size=5)
    tuner.optimize(instance)
    return instance


def main(resolution: int = 5) -> tuple[TuningInstance, TuningInstance]:
    """The grid on the original scale, then on the log scale; prints both results."""
    linear = tune_svm(logscale=False, resolution=resolution)
    print("original scale:", linear.result_learner_param_vals,
          "classif.ce =", round(float(linear.result_y.iloc[0]), 3))
    logged = tune_svm(logscale=True, resolution=resolution)
    archive = logged.archive.data
    print(archive[["C", "gamma", "classif.ce"]].sort_values("classif.ce").head().to_string())
    print("log scale:", logged.result_learner_param_vals,
          "classif.ce =", round(float(logged.result_y.iloc[0]), 3))
    return linear, logged


if __name__ == "__main__":
    main()
