"""The greedy information-theoretic filters (mlr3filters' praznik filters) against a
plain reading of their criteria on scikit-learn's ``mutual_info_score``."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import mutual_info_score

from mlr3py.errors import InputError
from mlr3py.filters import flt, greedy_information_order
from mlr3py.sugar import tsk
from mlr3py.tasks import as_task_classif

CRITERIA = ["mim", "jmi", "jmim", "njmim", "disr", "cmim"]


def _labels(*codes: np.ndarray) -> np.ndarray:
    return np.array(["/".join(map(str, row)) for row in zip(*codes, strict=True)])


def _entropy(labels: np.ndarray) -> float:
    return mutual_info_score(labels, labels)


def _value(criterion: str, x: np.ndarray, s: np.ndarray, y: np.ndarray) -> float:
    xs = _labels(x, s)
    if criterion in ("jmi", "jmim"):
        return mutual_info_score(xs, y)
    if criterion in ("njmim", "disr"):
        return mutual_info_score(xs, y) / _entropy(_labels(x, s, y))
    # cmim: I(X;Y | s) = sum over values v of s of p(v) I(X;Y | s = v)
    return sum(np.mean(s == v) * mutual_info_score(x[s == v], y[s == v]) for v in np.unique(s))


def _reference(columns: list[np.ndarray], y: np.ndarray, k: int, criterion: str) -> list[int]:
    relevance = [mutual_info_score(x, y) for x in columns]
    if criterion == "mim":
        return sorted(range(len(columns)), key=lambda j: -relevance[j])[:k]
    selected = [int(np.argmax(relevance))]
    while len(selected) < k:
        def score(j: int) -> float:
            values = [_value(criterion, columns[j], columns[s], y) for s in selected]
            if criterion == "cmim":
                return min([relevance[j], *values])
            return min(values) if criterion in ("jmim", "njmim") else sum(values)
        free = [j for j in range(len(columns)) if j not in selected]
        best = max(free, key=lambda j: round(score(j), 10))  # the first of equal scores
        selected.append(best)
    return selected


@pytest.mark.parametrize("criterion", CRITERIA)
def test_order_matches_a_plain_reading_of_the_criterion(criterion: str) -> None:
    rng = np.random.default_rng(4)
    n = 300
    y = rng.integers(0, 3, n)
    columns = [
        (y + rng.integers(0, 2, n)) % 3,          # informative
        rng.integers(0, 4, n),                    # noise
        (y * 2 + rng.integers(0, 3, n)) % 5,      # informative, differently
        y.copy(),                                  # a copy of the target
        rng.integers(0, 2, n),                    # noise
        (y + (rng.random(n) < 0.2)) % 3,          # a noisy copy
    ]
    for k in (1, 3, 6):
        assert greedy_information_order(columns, y, k, criterion) == \
            _reference(columns, y, k, criterion), k


@pytest.mark.parametrize("criterion", CRITERIA)
def test_scores_fall_from_one_to_zero_in_selection_order(criterion: str) -> None:
    task = tsk("mtcars")
    scores = flt(criterion).calculate(task).scores
    assert scores.to_numpy() == pytest.approx(np.linspace(1.0, 0.0, len(task.feature_names)))
    top = flt(criterion).calculate(task, nfeat=3).scores
    assert top.iloc[:3].tolist() == [1.0, 0.5, 0.0]
    assert top.iloc[3:].isna().all()
    assert list(top.index[:3]) == list(scores.index[:3])


def test_numeric_features_are_cut_into_equal_width_bins() -> None:
    n = 200
    x = np.linspace(0.0, 1.0, n)
    y = np.where(x > 0.5, "b", "a")
    data = pd.DataFrame({"x": x, "z": np.tile([0.0, 1.0], n // 2), "y": y})
    task = as_task_classif(data, target="y")
    assert flt("mim", bins=2).calculate(task).scores.index[0] == "x"
    # two bins split x at 0.5: x then determines y, so I(x; y) = H(y) = log 2
    codes = pd.cut(x, 2, labels=False)
    assert mutual_info_score(codes, y) == pytest.approx(math.log(2))
    rng = np.random.default_rng(0)
    data = pd.DataFrame({"a": rng.normal(size=n), "b": rng.normal(size=n), "y": y})
    data["a"] += (y == "b") * 1.5
    task = as_task_classif(data, target="y")
    columns = [np.asarray(pd.cut(data[f], 7, labels=False), dtype=np.int64) for f in "ab"]
    expected = greedy_information_order(columns, (y == "b").astype(np.int64), 2, "cmim")
    scores = flt("cmim", bins=7).calculate(task).scores
    assert [list("ab")[j] for j in expected] == list(scores.index)


def test_factors_are_scored_and_missing_values_refused() -> None:
    scores = flt("jmim").calculate(tsk("german_credit")).scores
    assert "checking_status" in scores.index  # a factor
    with pytest.raises(InputError, match="missing values"):
        flt("cmim").calculate(tsk("penguins"))
