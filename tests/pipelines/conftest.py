"""Small tasks for pipeline tests."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mlr3py import as_task_classif, as_task_regr
from mlr3py.tasks import TaskClassif, TaskRegr


def mixed_frame(n: int = 40, seed: int = 1) -> pd.DataFrame:
    """Numeric, integer, factor and logical features, a few missing values, a 2-class target."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    frame = pd.DataFrame({
        "x": x,
        "z": rng.normal(loc=5.0, scale=2.0, size=n),
        "k": rng.integers(0, 10, size=n),
        "f": pd.Categorical(rng.choice(["a", "b", "c"], size=n)),
        "flag": rng.random(n) > 0.5,
        "y": np.where(x + rng.normal(scale=0.5, size=n) > 0, "pos", "neg"),
    })
    frame.loc[[2, 7], "z"] = np.nan
    frame.loc[[3], "f"] = np.nan
    return frame


@pytest.fixture
def task_mixed() -> TaskClassif:
    return as_task_classif(mixed_frame(), target="y", positive="pos")


@pytest.fixture
def task_numeric() -> TaskClassif:
    rng = np.random.default_rng(2)
    frame = pd.DataFrame(rng.normal(size=(30, 4)), columns=["a", "b", "c", "d"])
    frame["y"] = np.where(frame["a"] > 0, "u", "v")
    return as_task_classif(frame, target="y")


@pytest.fixture
def task_regr() -> TaskRegr:
    rng = np.random.default_rng(3)
    frame = pd.DataFrame({"a": rng.normal(size=30), "f": rng.choice(["p", "q"], size=30)})
    frame["y"] = frame["a"] * 2 + (frame["f"] == "p")
    return as_task_regr(frame, target="y")
