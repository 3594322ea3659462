"""What the scikit-learn side of a benchmark gets: a task's matrix and its folds.

mlr3py and scikit-learn are compared on the same data and the same folds: the
feature matrix and the class codes of the task, and the instantiated resampling's
train and test sets as row positions (scikit-learn's ``cv=``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd


def sklearn_inputs(
    task: Any, resampling: Any, cols: Sequence[str] | None = None
) -> tuple[np.ndarray, np.ndarray, list[tuple[np.ndarray, np.ndarray]]]:
    """``(x, y, folds)`` of a classification task and a resampling instantiated on it.

    Parameters
    ----------
    task : TaskClassif
    resampling : Resampling
        Instantiated on ``task``.
    cols : sequence of str, optional
        The features in ``x`` (default: all, in the task's order).

    Returns
    -------
    tuple
        ``x`` (float64 matrix), ``y`` (the class codes in the task's class order, as
        mlr3py hands them to scikit-learn) and ``folds`` (train and test positions of
        each iteration).
    """
    position = pd.Index(task.row_ids)
    folds = [(position.get_indexer(resampling.train_set(i)),
              position.get_indexer(resampling.test_set(i))) for i in range(resampling.iters)]
    x = task.data(cols=list(task.feature_names if cols is None else cols)).to_numpy(
        dtype=np.float64)
    return x, np.asarray(task.truth().codes), folds
