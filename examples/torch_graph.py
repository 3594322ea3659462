"""A network built as a graph and turned into a learner (the mlr3torch README's graph API).

The README's network -- numeric ingress, a linear layer of 10 units, ReLU, the
output head, cross-entropy loss, Adam with learning rate 0.1, the history
callback, 50 epochs in batches of 16 on the CPU -- as ``as_learner_torch(graph)``,
trained on two thirds of ``tsk("iris")`` and scored on the rest. Then the same
graph with a second, categorical ingress (embeddings) on a task with factor
features, and a short random search over two prefixed parameters.

Run: ``python examples/torch_graph.py`` (needs the ``torch`` extra; a few seconds).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from mlr3py import as_task_classif, msr, partition, po, rsmp, tnr, to_tune, tsk, tune
from mlr3py.pipelines import gunion
from mlr3py.torch import as_learner_torch, nn


def readme_graph() -> Any:
    """The README's network, ending in the model operator."""
    return (
        po("torch_ingress_num")
        >> nn("linear", out_features=10)
        >> nn("relu")
        >> nn("head")
        >> po("torch_loss", "cross_entropy")
        >> po("torch_optimizer", "adam", lr=0.1)
        >> po("torch_callbacks", "history")
        >> po("torch_model_classif", batch_size=16, epochs=50, device="cpu", seed=1)
    )


def two_ingress_task() -> Any:
    """Two numeric features and a factor carrying most of the signal."""
    rng = np.random.default_rng(1)
    n = 300
    y = rng.choice(["no", "yes"], size=n)
    frame = pd.DataFrame(rng.normal(size=(n, 2)), columns=["x1", "x2"])
    frame["x1"] += (y == "yes") * 0.5
    shop = np.where(y == "yes", rng.choice(["a", "b", "c"], size=n, p=[0.7, 0.2, 0.1]),
                    rng.choice(["a", "b", "c"], size=n, p=[0.1, 0.2, 0.7]))
    frame["shop"] = pd.Categorical(shop)
    frame.insert(0, "y", pd.Categorical(y, categories=["yes", "no"]))
    return as_task_classif(frame, target="y", id="shops", positive="yes")


def main() -> dict[str, Any]:
    task = tsk("iris")
    split = partition(task, ratio=2 / 3, seed=1)
    learner = as_learner_torch(readme_graph(), id="net")
    learner.train(task, split.train)
    prediction = learner.predict(task, split.test)
    acc = float(prediction.score(msr("classif.acc")).iloc[0])
    print(learner.network)
    print(learner.history.tail(3).to_string(index=False))
    print(f"iris holdout accuracy of the README network: {acc:.3f}")

    # two ingresses: the batches carry a float tensor and an int64 code tensor
    shops = two_ingress_task()
    num = po("torch_ingress_num") >> nn("linear", out_features=8)
    categ = (po("torch_ingress_categ") >> nn("embedding", embedding_dim=3) >> nn("flatten")
             >> nn("linear_2", out_features=8))
    graph = (po("copy", outnum=2) >> gunion([num, categ]) >> nn("merge_sum") >> nn("relu")
             >> nn("head") >> po("torch_optimizer", "adam", lr=0.05)
             >> po("torch_model_classif", batch_size=32, epochs=20, seed=1))
    mixed = as_learner_torch(graph, id="net2")
    split2 = partition(shops, ratio=2 / 3, seed=1)
    mixed.train(shops, split2.train)
    batch = mixed.dataset(shops).x[np.arange(4)]
    print("a batch of the two-ingress network:", batch)
    acc2 = float(mixed.predict(shops, split2.test).score(msr("classif.acc")).iloc[0])
    print(f"shops holdout accuracy with embeddings: {acc2:.3f}")

    # the operators' parameters are the learner's, prefixed, and tunable
    tuned = as_learner_torch(readme_graph(), id="net")
    tuned.param_set.values["linear.out_features"] = to_tune(4, 32)
    tuned.param_set.values["torch_optimizer.lr"] = to_tune(1e-3, 1e-1, logscale=True)
    tuned.param_set.values["torch_model_classif.epochs"] = 20
    instance = tune(tnr("random_search", batch_size=2), task, tuned, rsmp("holdout"),
                    msr("classif.ce"), term_evals=4)
    print("tuned:", instance.result_learner_param_vals["linear.out_features"],
          f"{instance.result_learner_param_vals['torch_optimizer.lr']:.4f}")
    return {"acc": acc, "acc_embeddings": acc2, "tuning": instance}


if __name__ == "__main__":
    main()
