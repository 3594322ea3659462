"""Headless plots: the Agg backend, and every figure closed after each test.

Without matplotlib (the ``viz`` extra) the tests of this directory are not collected.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator

import pytest

if importlib.util.find_spec("matplotlib") is None:  # pragma: no cover - depends on the install
    collect_ignore_glob = ["test_*.py"]
else:
    import matplotlib

    matplotlib.use("Agg")


@pytest.fixture(autouse=True)
def _close_figures() -> Iterator[None]:
    yield
    if importlib.util.find_spec("matplotlib") is not None:
        import matplotlib.pyplot as plt

        plt.close("all")


@pytest.fixture
def task():
    """A two-class task of two numeric features (x informative, z noise)."""
    import numpy as np
    import pandas as pd

    from mlr3py.tasks import as_task_classif

    rng = np.random.default_rng(0)
    x = rng.normal(size=80)
    y = np.where(x + rng.normal(scale=0.8, size=80) > 0.3, "pos", "neg")
    return as_task_classif(pd.DataFrame({"x": x, "z": rng.normal(size=80), "y": y}),
                           target="y", positive="pos", id="toy")


@pytest.fixture
def instance(task):
    """A random search over three rpart parameters, nine evaluations in batches of 3."""
    from mlr3py import lrn, rsmp
    from mlr3py.params import to_tune
    from mlr3py.tuning import tnr, tune

    learner = lrn("classif.rpart", max_depth=to_tune(1, 6), min_samples_leaf=to_tune(1, 10),
                  criterion=to_tune(["gini", "entropy"]))
    return tune(tnr("random_search", batch_size=3), task, learner, rsmp("holdout"),
                "classif.ce", term_evals=9, seed=1)
