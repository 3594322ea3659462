"""The process method brings trained torch models back to the main process."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest

from mlr3py import lrn, tsk

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("torch") is None, reason="torch is not installed"
)


@pytest.mark.slow
@pytest.mark.subprocess
def test_process_trains_an_mlp_and_returns_its_model() -> None:
    import torch

    from mlr3py.learners import mlr_learners

    if "classif.mlp" not in mlr_learners.keys():
        pytest.skip("the torch learners (classif.mlp) are not available yet")
    task = tsk("iris")
    learner = lrn("classif.mlp", epochs=2, batch_size=32, neurons=[8], seed=1)
    learner.encapsulation = "process"
    learner.train(task)
    assert learner.errors.empty, learner.errors
    params = list(learner.model.network.parameters())
    assert params and all(isinstance(p, torch.Tensor) for p in params)
    here = lrn("classif.mlp", epochs=2, batch_size=32, neurons=[8], seed=1).train(task)
    for a, b in zip(params, here.model.network.parameters(), strict=True):
        np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), rtol=1e-6)
    pred = learner.predict(task)
    assert not pred.response.isna().any()
