"""Fixtures for the learner tests: fresh tasks for every test."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from mlr3py.tasks import Task, as_task_classif, as_task_regr, mlr_tasks

_SHARED_DATA = Path(__file__).resolve().parents[3] / "shared" / "data"


@pytest.fixture(autouse=True)
def _data_dir(monkeypatch: pytest.MonkeyPatch) -> None:
    if "MLR3PY_DATA_DIR" not in os.environ and _SHARED_DATA.is_dir():
        monkeypatch.setenv("MLR3PY_DATA_DIR", str(_SHARED_DATA))


@pytest.fixture
def iris() -> Task:
    return mlr_tasks.get("iris")


@pytest.fixture
def sonar() -> Task:
    return mlr_tasks.get("sonar")


@pytest.fixture
def mtcars() -> Task:
    return mlr_tasks.get("mtcars")


@pytest.fixture
def penguins() -> Task:
    return mlr_tasks.get("penguins")


@pytest.fixture
def penguins_complete() -> Task:
    """Penguins restricted to the rows without missing values."""
    task = mlr_tasks.get("penguins")
    data = task.data()
    return task.filter(data.index[data.notna().all(axis=1)].to_numpy())


@pytest.fixture
def mixed_classif() -> Task:
    """Two-class task with numeric, integer, logical, factor and ordered features."""
    rng = np.random.default_rng(3)
    n = 120
    x = rng.normal(size=n)
    df = pd.DataFrame(
        {
            "num": x,
            "int": rng.integers(0, 5, size=n),
            "lgl": rng.random(n) > 0.5,
            "fct": pd.Categorical(rng.choice(["a", "b", "c"], size=n)),
            "ord": pd.Categorical(
                rng.choice(["lo", "mid", "hi"], size=n), categories=["lo", "mid", "hi"],
                ordered=True,
            ),
            "y": np.where(x + rng.normal(scale=0.5, size=n) > 0, "yes", "no"),
        }
    )
    return as_task_classif(df, target="y", id="mixed", positive="yes")


@pytest.fixture
def mixed_regr() -> Task:
    """Regression task with a factor feature."""
    rng = np.random.default_rng(4)
    n = 100
    fct = rng.choice(["a", "b", "c"], size=n)
    x = rng.normal(size=n)
    y = 2 * x + np.select([fct == "a", fct == "b"], [1.0, -1.0], 0.0)
    df = pd.DataFrame({"x": x, "fct": pd.Categorical(fct), "y": y})
    return as_task_regr(df, target="y", id="mixed_regr")


@pytest.fixture
def seed_global_rng() -> Iterator[Callable[[int], None]]:
    """Seed numpy's global generator (as the job runner does); restored after the test."""
    state = np.random.get_state()  # noqa: NPY002

    def seed(value: int) -> None:
        np.random.seed(value)  # noqa: NPY002 - the global generator is what learners use

    yield seed
    np.random.set_state(state)  # noqa: NPY002


@pytest.fixture
def design_matrix() -> Callable[[Task, object], tuple[np.ndarray, np.ndarray]]:
    """``(task, rows) -> (X, y)`` built independently of the learners' encoder.

    Numeric, integer and logical features as floats, factors one-hot in level order,
    ordered factors as level indices (the documented encoding); ``y``: class codes of
    a classification task, the target values of a regression task.
    """

    def build(task: Task, rows: object = None) -> tuple[np.ndarray, np.ndarray]:
        data = task.data(rows=rows, cols=task.feature_names)
        blocks = []
        for name in task.feature_names:
            col = data[name]
            if isinstance(col.dtype, pd.CategoricalDtype) and col.cat.ordered:
                blocks.append(col.cat.codes.to_numpy(dtype=float)[:, None])
            elif isinstance(col.dtype, pd.CategoricalDtype):
                dummies = pd.get_dummies(col).reindex(columns=col.cat.categories)
                blocks.append(dummies.to_numpy(dtype=float))
            else:
                blocks.append(col.to_numpy(dtype=float)[:, None])
        truth = task.truth(rows)
        y = np.asarray(truth.codes if hasattr(truth, "codes") else truth)
        return np.hstack(blocks), y

    return build
