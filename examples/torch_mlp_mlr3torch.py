"""classif.mlp as the mlr3torch documentation uses it: t_opt, t_loss, t_clbk, tuning.

An MLP of two hidden layers of 32 units on ``tsk("sonar")`` with Adam
(``t_opt("adam", lr=0.01)``), cross-entropy (``t_loss("cross_entropy")``),
a step learning-rate schedule and the history callback, training and
validation measures, early stopping on a 30% validation split, then a short
random search over the width, depth and learning rate (``neurons``,
``n_layers``, ``lr`` with ``to_tune``).

Run: ``python examples/torch_mlp_mlr3torch.py`` (needs the ``torch`` extra; a few seconds).
"""

from __future__ import annotations

from typing import Any

from mlr3py import lrn, msr, partition, rsmp, to_tune, tsk, tune
from mlr3py.torch import t_clbk, t_loss, t_opt


def mlp(**values: Any) -> Any:
    """The documentation's learner; ``values`` override its parameters."""
    params: dict[str, Any] = {
        "epochs": 40, "batch_size": 16, "neurons": 32, "n_layers": 2, "p": 0.1,
        "activation": "relu", "optimizer": t_opt("adam", lr=0.01),
        "loss": t_loss("cross_entropy"),
        "callbacks": [t_clbk("history"), t_clbk("lr_scheduler_step", step_size=10, gamma=0.5)],
        "measures_train": msr("classif.acc"), "measures_valid": [msr("classif.ce")],
        "validate": 0.3, "patience": 5, "device": "cpu", "seed": 1,
    }
    params.update(values)
    return lrn("classif.mlp", predict_type="prob", **params)


def main() -> dict[str, Any]:
    task = tsk("sonar")
    split = partition(task, ratio=0.7, seed=1)
    learner = mlp()
    learner.train(task, split.train)
    print(learner.model.network)
    print(learner.history.round(3).to_string(index=False))
    print("best epoch:", learner.internal_tuned_values)
    prediction = learner.predict(task, split.test)
    auc = float(prediction.score(msr("classif.auc")).iloc[0])
    print(f"test AUC: {auc:.3f}")

    tuned = mlp(epochs=10, patience=0, validate=None, callbacks=[],
                neurons=to_tune(8, 64), n_layers=to_tune(1, 3),
                lr=to_tune(1e-3, 1e-1, logscale=True))
    instance = tune("random_search", task, tuned, rsmp("holdout"), msr("classif.ce"),
                    term_evals=3)
    print(instance.archive.data[["neurons", "n_layers", "lr", "classif.ce"]])
    return {"auc": auc, "learner": learner, "tuning": instance}


if __name__ == "__main__":
    main()
