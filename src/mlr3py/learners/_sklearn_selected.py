"""Which input columns a fitted scikit-learn estimator uses (for ``selected_features()``)."""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["used_columns"]


def used_columns(estimator: Any) -> set[int] | None:
    """The indices of the encoded columns a fitted estimator uses, or None if unknown.

    Parameters
    ----------
    estimator : sklearn estimator
        Fitted. A decision tree uses its split columns; a tree ensemble (``estimators_``
        of trees, as random forests and gradient boosting hold them) the union over its
        trees; a linear model (``coef_``) the columns with a non-zero coefficient for
        any class.

    Returns
    -------
    set of int or None
        None for other estimators.
    """
    tree = getattr(estimator, "tree_", None)
    if tree is not None:
        return {int(j) for j in np.unique(tree.feature) if j >= 0}
    members = getattr(estimator, "estimators_", None)
    if members is not None:
        found: set[int] = set()
        for member in np.ravel(np.asarray(members, dtype=object)):
            cols = used_columns(member)
            if cols is None:
                return None
            found |= cols
        return found
    coef = getattr(estimator, "coef_", None)
    if coef is not None:
        nonzero = np.any(np.atleast_2d(np.asarray(coef)) != 0, axis=0)
        return {int(j) for j in np.flatnonzero(nonzero)}
    return None
