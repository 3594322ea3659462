"""nn('head') on a two-class task: one logit, also under a cross-entropy loss."""

from __future__ import annotations

import numpy as np
import torch

from mlr3py import msr, po, tsk
from mlr3py.torch import as_learner_torch, nn, t_loss


def _graph(loss):
    return (
        po("torch_ingress_num") >> nn("linear", out_features=8) >> nn("relu") >> nn("head")
        >> po("torch_loss", loss) >> po("torch_optimizer", "adam", lr=0.01)
        >> po("torch_model_classif", epochs=5, batch_size=32, seed=1, device="cpu")
    )


def test_head_with_cross_entropy_trains_on_two_classes():
    task = tsk("sonar")
    learner = as_learner_torch(_graph("cross_entropy"))
    learner.predict_type = "prob"
    learner.train(task)
    loss = learner.history["train.loss"]
    assert loss.iloc[-1] < loss.iloc[0]
    prediction = learner.predict(task)
    assert np.allclose(prediction.prob.sum(axis=1), 1.0)
    assert prediction.score(msr("classif.acc")).iloc[0] > 0.6
    # two logits (0, z): the first is always zero
    out = learner.network(learner.dataset(task)[0:4][0])
    assert out.shape == (4, 2) and torch.all(out[:, 0] == 0)


def test_head_with_a_cross_entropy_instance_and_factors():
    task = tsk("german_credit")
    graph = (
        po("torch_ingress_categ") >> nn("embedding", embedding_dim=2) >> nn("flatten")
        >> nn("head") >> po("torch_loss", t_loss("cross_entropy"))
        >> po("torch_model_classif", epochs=1, batch_size=64, seed=1, device="cpu")
    )
    learner = as_learner_torch(graph).train(task, row_ids=range(300))
    prediction = learner.predict(task, row_ids=range(300, 400))
    assert set(prediction.response.unique()) <= set(task.class_names)
