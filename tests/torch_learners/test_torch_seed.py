"""Reproduction 4: the ``seed`` parameter controls initialisation and batching."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from mlr3py import lrn, tsk
from mlr3py.torch import batch_sampler_stratified


def _weights(learner):
    return [p.detach().clone() for p in learner.network.parameters()]


def _same(a, b):
    return all(torch.equal(p, q) for p, q in zip(a, b, strict=True))


def _train(task, **args):
    return lrn("classif.mlp", neurons=[8], p=0.2, batch_size=16, **args).train(task)


@pytest.mark.parametrize("epochs", [0, 1])
def test_same_seed_same_weights_default_batching(epochs):
    task = tsk("sonar")
    a = _train(task, epochs=epochs, seed=42)
    b = _train(task, epochs=epochs, seed=42)
    assert _same(_weights(a), _weights(b))
    c = _train(task, epochs=epochs, seed=43)
    assert not _same(_weights(a), _weights(c))


def test_zero_epochs_is_the_initialisation():
    task = tsk("sonar")
    a = _train(task, epochs=0, seed=7)
    assert a.history.empty and a.model.epochs == 0
    b = _train(task, epochs=1, seed=7)
    assert not _same(_weights(a), _weights(b))


def test_same_seed_same_weights_stratified_sampler(imbalanced):
    args = {"epochs": 1, "batch_sampler": batch_sampler_stratified(3), "seed": 5}
    a = lrn("classif.mlp", neurons=[8], **args).train(imbalanced)
    b = lrn("classif.mlp", neurons=[8], **args).train(imbalanced)
    assert _same(_weights(a), _weights(b))
    args["seed"] = 6
    c = lrn("classif.mlp", neurons=[8], **args).train(imbalanced)
    assert not _same(_weights(a), _weights(c))


def test_seed_controls_batching_not_only_init():
    """Same initialisation, different batches -> different weights after one epoch."""
    task = tsk("sonar")
    a = _train(task, epochs=1, seed=1)
    b = _train(task, epochs=1, seed=1, shuffle=False)
    assert not _same(_weights(a), _weights(b))
    a0 = _train(task, epochs=0, seed=1)
    b0 = _train(task, epochs=0, seed=1, shuffle=False)
    assert _same(_weights(a0), _weights(b0))


def test_random_seed_differs_each_time_and_is_stored():
    task = tsk("sonar")
    a = _train(task, epochs=1)
    b = _train(task, epochs=1)
    assert a.model.seed != b.model.seed
    assert not _same(_weights(a), _weights(b))
    # the stored seed reproduces the training
    c = _train(task, epochs=1, seed=a.model.seed)
    assert _same(_weights(a), _weights(c))


def test_random_seed_follows_numpy_global_generator():
    task = tsk("sonar")
    np.random.seed(3)  # noqa: NPY002 - what the job runner seeds
    a = _train(task, epochs=1)
    np.random.seed(3)  # noqa: NPY002
    b = _train(task, epochs=1)
    assert a.model.seed == b.model.seed
    assert _same(_weights(a), _weights(b))


def test_global_torch_state_untouched():
    torch.manual_seed(0)
    expected = torch.rand(3)
    torch.manual_seed(0)
    _train(tsk("sonar"), epochs=1, seed=9)
    assert torch.equal(torch.rand(3), expected)


@pytest.mark.slow
def test_predict_is_reproducible():
    task = tsk("sonar")
    learner = _train(task, epochs=1, seed=1, predict_type="prob")
    assert np.array_equal(learner.predict(task).prob, learner.predict(task).prob)
