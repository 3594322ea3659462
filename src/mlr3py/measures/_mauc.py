"""Multiclass AUC: mlr3measures' ``mauc_aunu``, ``aunp``, ``au1u``, ``au1p`` and ``mauc_mu``.

Each function takes integer truth codes and an ``n x k`` probability matrix
(column ``c`` = class code ``c``) and returns NaN where mlr3measures does: the
uniform averages and the one-vs-one ones need a row of every class, the
prevalence-weighted one-vs-rest average at least two classes with rows.

The binary AUCs come from scikit-learn's ``roc_auc_score`` (ties count one half).
These averages equal scikit-learn's multiclass ``roc_auc_score``:
``aunu`` = ``multi_class="ovr", average="macro"``, ``aunp`` = ``"ovr", "weighted"``,
``au1u`` = ``"ovo", "macro"`` and ``au1p`` = ``"ovo", "weighted"`` (Hand & Till 2001;
Ferri et al. 2009), but also accept a class without rows (``aunp``), two classes,
and scores whose rows do not sum to one, which scikit-learn refuses.
"""

from __future__ import annotations

import math
from itertools import combinations

import numpy as np
from sklearn.metrics import roc_auc_score

__all__ = ["mauc_au1p", "mauc_au1u", "mauc_aunp", "mauc_aunu", "mauc_mu"]


def _one_vs_rest(truth: np.ndarray, prob: np.ndarray, classes: np.ndarray) -> np.ndarray:
    """AUC of class ``c``'s probability separating class ``c`` from the rest, per class."""
    return np.array([roc_auc_score(truth == c, prob[:, c]) for c in classes])


def _conditional_auc(truth: np.ndarray, prob: np.ndarray, i: int, j: int) -> float:
    """Hand & Till's ``A(i|j)``: class ``i``'s probability separating class ``i`` from ``j``."""
    rows = (truth == i) | (truth == j)
    return float(roc_auc_score(truth[rows] == i, prob[rows, i]))


def _pair_aucs(truth: np.ndarray, prob: np.ndarray, k: int) -> dict[tuple[int, int], float]:
    """``(A(i|j) + A(j|i)) / 2`` for each pair of classes ``i < j``."""
    return {
        (i, j): (_conditional_auc(truth, prob, i, j) + _conditional_auc(truth, prob, j, i)) / 2
        for i, j in combinations(range(k), 2)
    }


def _all_present(truth: np.ndarray, k: int) -> bool:
    return bool(np.unique(truth).size == k and k >= 2)


def mauc_aunu(truth: np.ndarray, prob: np.ndarray) -> float:
    """Mean of the one-vs-rest AUCs (uniform class weights)."""
    k = prob.shape[1]
    if not _all_present(truth, k):
        return math.nan
    return float(np.mean(_one_vs_rest(truth, prob, np.arange(k))))


def mauc_aunp(truth: np.ndarray, prob: np.ndarray) -> float:
    """One-vs-rest AUCs weighted by the classes' prevalence; a class without rows weighs 0."""
    present, counts = np.unique(truth, return_counts=True)
    if present.size < 2:
        return math.nan
    return float(np.sum(counts / truth.size * _one_vs_rest(truth, prob, present)))


def mauc_au1u(truth: np.ndarray, prob: np.ndarray) -> float:
    """Mean of the pairwise AUCs over all pairs of classes (Hand & Till's M)."""
    k = prob.shape[1]
    if not _all_present(truth, k):
        return math.nan
    return float(np.mean(list(_pair_aucs(truth, prob, k).values())))


def mauc_au1p(truth: np.ndarray, prob: np.ndarray) -> float:
    """Pairwise AUCs weighted by the prevalence of the pair's classes (Ferri et al. 2009).

    ``sum over pairs of (p_i + p_j) * AUC(i, j) / (k - 1)``, ``p`` the class prevalences.
    """
    k = prob.shape[1]
    if not _all_present(truth, k):
        return math.nan
    prevalence = np.bincount(truth, minlength=k) / truth.size
    total = sum((prevalence[i] + prevalence[j]) * auc
                for (i, j), auc in _pair_aucs(truth, prob, k).items())
    return float(total / (k - 1))


def mauc_mu(truth: np.ndarray, prob: np.ndarray) -> float:
    """AUC-mu (Kleiman & Page 2019) with the default partition matrix.

    The mean over pairs ``i < j`` of the AUC of ``prob[:, j] - prob[:, i]``
    separating class ``j`` from class ``i``.
    """
    k = prob.shape[1]
    if not _all_present(truth, k):
        return math.nan
    aucs = []
    for i, j in combinations(range(k), 2):
        rows = (truth == i) | (truth == j)
        aucs.append(roc_auc_score(truth[rows] == j, prob[rows, j] - prob[rows, i]))
    return float(np.mean(aucs))
