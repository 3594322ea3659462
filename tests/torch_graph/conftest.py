"""Fixtures for the tests of networks built as graphs; skipped without torch."""

from __future__ import annotations

import importlib.util

import numpy as np
import pandas as pd
import pytest

collect_ignore_glob = [] if importlib.util.find_spec("torch") is not None else ["test_*.py"]


@pytest.fixture
def mixed_task():
    """120 rows: three numeric features, two factors (one informative); target a/b/c."""
    from mlr3py.tasks import as_task_classif

    rng = np.random.default_rng(5)
    n = 120
    y = rng.choice(["a", "b", "c"], size=n)
    frame = pd.DataFrame(rng.normal(size=(n, 3)), columns=["x1", "x2", "x3"])
    frame["x1"] += (y == "a") * 2.0
    frame["f"] = pd.Categorical(np.where(y == "b", "u", rng.choice(["u", "v", "w"], size=n)))
    frame["g"] = pd.Categorical(rng.choice(["p", "q"], size=n))
    frame.insert(0, "y", pd.Categorical(y))
    return as_task_classif(frame, target="y", id="mixed")


def mlp_graph(model: str = "torch_model_classif", **model_args):
    """The graph-built ``classif.mlp`` with one hidden layer of 16 units and dropout 0.1."""
    from mlr3py.pipelines import po
    from mlr3py.torch import nn

    return (po("torch_ingress_num") >> nn("linear", out_features=16) >> nn("relu")
            >> nn("dropout", p=0.1) >> nn("head") >> po("torch_optimizer", "adam", lr=0.01)
            >> po(model, **model_args))
