"""The mlr3 book's section 10.1.3, "Parallelization of Tuning", in Python.

A tuner proposes a batch of configurations, and the batch is evaluated as one
``benchmark()`` through the active plan: here 12 configurations x 3 folds = 36
resampling iterations on 4 worker processes. Terminators are checked between
batches only, so ``term_evals=20`` with ``batch_size=12`` stops after two batches,
that is after 24 evaluations.

Run it with ``python examples/book_10_1_3_tuning_parallel.py``.
"""

from __future__ import annotations

from mlr3py import lrn, plan, rsmp, tnr, tsk, tune
from mlr3py.params import to_tune
from mlr3py.tuning import TuningInstance


def main(workers: int = 4) -> TuningInstance:
    """Tune ``min_samples_split`` of a tree by random search on ``workers`` processes."""
    with plan("processes", workers=workers):
        instance = tune(
            tnr("random_search", batch_size=12),
            tsk("penguins"),
            lrn("classif.rpart", min_samples_split=to_tune(2, 128)),
            rsmp("cv", folds=3),
            term_evals=20,
            seed=1,
        )
    print(instance.archive.n_evals)  # 24: the terminator is checked after each batch of 12
    assert instance.archive.n_evals == 24
    print(instance.archive.stop_reason)
    print(instance.result.drop(columns=["x_domain"]))
    return instance


if __name__ == "__main__":
    main()
