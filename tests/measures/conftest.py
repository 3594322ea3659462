"""Fixtures building predictions for measure tests."""

from __future__ import annotations

import numpy as np
import pytest

from mlr3py.predictions import PredictionClassif, PredictionRegr


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(2024)


@pytest.fixture
def binary_pred(rng: np.random.Generator) -> PredictionClassif:
    """60 rows, classes ['M', 'R'] (positive 'M'), informative probabilities."""
    n = 60
    truth = rng.choice(["M", "R"], size=n, p=[0.4, 0.6])
    p_m = np.clip(np.where(truth == "M", 0.65, 0.35) + rng.normal(0, 0.2, n), 0, 1)
    prob = np.column_stack([p_m, 1 - p_m])
    return PredictionClassif(np.arange(n), truth=truth, prob=prob, class_names=["M", "R"])


@pytest.fixture
def multi_pred(rng: np.random.Generator) -> PredictionClassif:
    """50 rows, three classes, random probabilities."""
    n = 50
    truth = rng.choice(["a", "b", "c"], size=n)
    raw = rng.random((n, 3)) + np.eye(3)[np.searchsorted(["a", "b", "c"], truth)] * 0.5
    prob = raw / raw.sum(axis=1, keepdims=True)
    return PredictionClassif(np.arange(n), truth=truth, prob=prob, class_names=["a", "b", "c"])


@pytest.fixture
def regr_pred(rng: np.random.Generator) -> PredictionRegr:
    """40 rows with positive truth and response."""
    truth = rng.uniform(1, 10, 40)
    response = truth + rng.normal(0, 1, 40)
    return PredictionRegr(np.arange(40), truth=truth, response=np.abs(response))
