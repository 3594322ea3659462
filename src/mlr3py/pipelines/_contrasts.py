"""Contrast matrices of R's ``stats`` package: treatment, Helmert, sum and polynomial.

Each function returns an ``n x k`` float matrix for a factor with ``n`` levels:
row ``i`` is the encoding of level ``i``. They follow R's definitions
(``contr.treatment``, ``contr.helmert``, ``contr.sum``, ``contr.poly``) and equal
patsy's ``Treatment``, ``Helmert``, ``Sum`` and ``Poly`` codings. A factor with a
single level has no contrasts (``k = 0``).

They are written out here (a few lines each) rather than taken from patsy or
statsmodels, which would make a formula library a dependency of the pipelines
for four small matrices.
"""

from __future__ import annotations

import numpy as np

__all__ = ["CONTRASTS", "contr_helmert", "contr_identity", "contr_poly", "contr_sum",
           "contr_treatment"]


def contr_identity(n: int) -> np.ndarray:
    """One column per level (one-hot; R's ``contr.treatment(n, contrasts = FALSE)``)."""
    return np.eye(n)


def contr_treatment(n: int) -> np.ndarray:
    """Dummies of all levels but the first, the reference (R's ``contr.treatment``)."""
    return np.eye(n)[:, 1:]


def contr_helmert(n: int) -> np.ndarray:
    """Helmert contrasts (R's ``contr.helmert``): level ``j + 1`` against the mean of levels 1..j.

    Column ``j`` (1-based) is -1 for the first ``j`` levels, ``j`` for level ``j + 1``
    and 0 below.
    """
    out = np.zeros((n, max(n - 1, 0)))
    for j in range(1, n):
        out[:j, j - 1] = -1.0
        out[j, j - 1] = float(j)
    return out


def contr_sum(n: int) -> np.ndarray:
    """Sum-to-zero contrasts (R's ``contr.sum``): the identity, the last level all -1."""
    if n < 2:
        return np.zeros((n, 0))
    return np.vstack([np.eye(n - 1), -np.ones((1, n - 1))])


def contr_poly(n: int) -> np.ndarray:
    """Orthogonal polynomial contrasts for equally spaced levels (R's ``contr.poly``).

    Column ``d`` (1-based) is the degree-``d`` polynomial in the scores 1..n,
    orthogonal to all lower degrees and of unit length: the Q factor of the QR
    decomposition of the centred Vandermonde matrix, with the signs R gives
    (those that make R's diagonal positive), constant column dropped.
    """
    if n < 2:
        return np.zeros((n, 0))
    scores = np.arange(1, n + 1, dtype=np.float64)
    vander = np.vander(scores - scores.mean(), n, increasing=True)
    q, r = np.linalg.qr(vander)
    q = q * np.sign(np.diag(r))
    return np.asarray(q[:, 1:])


#: ``method`` of ``po("encode")`` -> (contrast function, whether columns are named by level)
CONTRASTS = {
    "one-hot": (contr_identity, True),
    "treatment": (contr_treatment, True),
    "helmert": (contr_helmert, False),
    "sum": (contr_sum, False),
    "poly": (contr_poly, False),
}
