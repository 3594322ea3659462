"""Multiclass AUC (classif.mauc_*) against scikit-learn and a rank computation by hand."""

from __future__ import annotations

import math
from itertools import permutations

import numpy as np
import pytest
from scipy.stats import rankdata
from sklearn.metrics import roc_auc_score

from mlr3py import msr
from mlr3py.predictions import PredictionClassif

KEYS = ["classif.mauc_aunu", "classif.mauc_aunp", "classif.mauc_au1u", "classif.mauc_au1p",
        "classif.mauc_mu"]


def _codes(pred: PredictionClassif) -> np.ndarray:
    return np.asarray(pred.truth_codes)


def _auc_by_ranks(pos_scores: np.ndarray, neg_scores: np.ndarray) -> float:
    """Mann-Whitney: the chance a positive outscores a negative, ties counting one half."""
    ranks = rankdata(np.concatenate([pos_scores, neg_scores]))
    n_pos, n_neg = pos_scores.size, neg_scores.size
    return float((ranks[:n_pos].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


@pytest.mark.parametrize(
    ("key", "multi_class", "average"),
    [
        ("classif.mauc_aunu", "ovr", "macro"),
        ("classif.mauc_aunp", "ovr", "weighted"),
        ("classif.mauc_au1u", "ovo", "macro"),
        ("classif.mauc_au1p", "ovo", "weighted"),
    ],
)
def test_matches_sklearn_multiclass_roc_auc(
    multi_pred: PredictionClassif, key: str, multi_class: str, average: str
) -> None:
    prob = multi_pred.prob_matrix
    expected = roc_auc_score(_codes(multi_pred), prob, multi_class=multi_class, average=average)
    assert msr(key).score(multi_pred) == pytest.approx(expected)


def test_matches_the_definitions_by_hand(multi_pred: PredictionClassif) -> None:
    truth, prob = _codes(multi_pred), multi_pred.prob_matrix
    k = prob.shape[1]
    ovr = np.array([_auc_by_ranks(prob[truth == c, c], prob[truth != c, c]) for c in range(k)])
    prev = np.bincount(truth, minlength=k) / truth.size
    # A(i|j): class i's probability separating class i from class j (Hand & Till 2001)
    cond = {(i, j): _auc_by_ranks(prob[truth == i, i], prob[truth == j, i])
            for i, j in permutations(range(k), 2)}
    assert msr("classif.mauc_aunu").score(multi_pred) == pytest.approx(ovr.mean())
    assert msr("classif.mauc_aunp").score(multi_pred) == pytest.approx(np.sum(prev * ovr))
    assert msr("classif.mauc_au1u").score(multi_pred) == pytest.approx(
        sum(cond.values()) / (k * (k - 1)))
    # mlr3measures: sum(c(m + t(m)) * c(weights)) / (2 * (k - 1))
    au1p = sum((cond[i, j] + cond[j, i]) * prev[i] for i, j in cond) / (2 * (k - 1))
    assert msr("classif.mauc_au1p").score(multi_pred) == pytest.approx(au1p)
    mu = np.mean([_auc_by_ranks((prob[:, j] - prob[:, i])[truth == j],
                                (prob[:, j] - prob[:, i])[truth == i])
                  for i in range(k) for j in range(i + 1, k)])
    assert msr("classif.mauc_mu").score(multi_pred) == pytest.approx(mu)


def test_two_classes_give_the_binary_auc(binary_pred: PredictionClassif) -> None:
    auc = msr("classif.auc").score(binary_pred)
    for key in KEYS:
        assert msr(key).score(binary_pred) == pytest.approx(auc)


def test_perfect_and_reversed_rankings() -> None:
    truth = ["a", "b", "c", "a", "b", "c"]
    eye = np.eye(3)[[0, 1, 2, 0, 1, 2]]
    perfect = PredictionClassif(np.arange(6), truth=truth, prob=eye, class_names=["a", "b", "c"])
    for key in KEYS:
        assert msr(key).score(perfect) == pytest.approx(1.0)
    reversed_ = PredictionClassif(np.arange(6), truth=truth, prob=(1 - eye) / 2,
                                  class_names=["a", "b", "c"])
    for key in KEYS:
        assert msr(key).score(reversed_) == pytest.approx(0.0)


def test_an_empty_class_gives_nan_except_for_aunp() -> None:
    rng = np.random.default_rng(3)
    truth = ["a", "b"] * 6  # class "c" has no rows
    prob = rng.dirichlet(np.ones(3), size=12)
    pred = PredictionClassif(np.arange(12), truth=truth, prob=prob, class_names=["a", "b", "c"])
    for key in ("classif.mauc_aunu", "classif.mauc_au1u", "classif.mauc_au1p",
                "classif.mauc_mu"):
        assert math.isnan(msr(key).score(pred)), key
    # aunp weighs the empty class with its prevalence 0
    codes = _codes(pred)
    expected = np.mean([roc_auc_score(codes == c, prob[:, c]) for c in (0, 1)])
    assert msr("classif.mauc_aunp").score(pred) == pytest.approx(expected)


def test_a_single_class_truth_gives_nan() -> None:
    prob = np.random.default_rng(4).dirichlet(np.ones(3), size=5)
    pred = PredictionClassif(np.arange(5), truth=["b"] * 5, prob=prob,
                             class_names=["a", "b", "c"])
    for key in KEYS:
        assert math.isnan(msr(key).score(pred)), key


def test_metadata_follows_mlr3() -> None:
    for key in KEYS:
        m = msr(key)
        assert (m.range, m.minimize, m.predict_type) == ((0.0, 1.0), False, "prob")
        assert m.task_properties == set()
