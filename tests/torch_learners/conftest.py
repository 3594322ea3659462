"""Fixtures for the torch tests; the whole directory is skipped without torch."""

from __future__ import annotations

import importlib.util

import numpy as np
import pandas as pd
import pytest

collect_ignore_glob = [] if importlib.util.find_spec("torch") is not None else ["test_*.py"]


@pytest.fixture
def imbalanced():
    """200 rows, 20 positives, 5 numeric features and a factor; stratum = the target."""
    from mlr3py.tasks import as_task_classif

    rng = np.random.default_rng(11)
    n = 200
    y = np.where(np.arange(n) < 20, "pos", "neg")
    x = rng.normal(size=(n, 5)) + (y == "pos")[:, None] * 1.5
    frame = pd.DataFrame(x, columns=[f"x{i}" for i in range(5)])
    frame["f"] = pd.Categorical(rng.choice(["a", "b", "c"], size=n))
    frame.insert(0, "y", pd.Categorical(y, categories=["pos", "neg"]))
    task = as_task_classif(frame, target="y", id="imbalanced", positive="pos")
    task.col_roles = {**task.col_roles, "stratum": ["y"]}
    return task
