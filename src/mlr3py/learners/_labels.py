"""Class labels and probabilities in a trained learner's class order.

Shared by the learner base classes, the built-in learners and the fallback code:
:func:`class_dtype`, :func:`classes_from_codes`, :func:`as_categorical` and
:func:`as_prob`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from mlr3py.predictions.classif import class_dtype

__all__ = ["as_categorical", "as_prob", "class_dtype", "classes_from_codes"]


def classes_from_codes(codes: Any, class_names: Sequence[str]) -> pd.Categorical:
    """Class labels from integer codes (``-1``: missing) into ``class_names``."""
    return pd.Categorical.from_codes(codes, dtype=class_dtype(class_names))


def as_categorical(values: Any, class_names: list[str]) -> pd.Categorical:
    """Labels as a :class:`pandas.Categorical` with categories ``class_names``."""
    if isinstance(values, pd.Categorical) and list(values.categories) == class_names:
        return values
    return pd.Categorical(np.asarray(values, dtype=object), dtype=class_dtype(class_names))


def as_prob(prob: Any, class_names: list[str]) -> Any:
    """A 2-D array in ``class_names`` order (DataFrame columns matched by name, absent = 0)."""
    if isinstance(prob, pd.DataFrame):
        cols = [str(c) for c in prob.columns]
        frame = prob.set_axis(cols, axis=1).reindex(columns=class_names, fill_value=0.0)
        return frame.to_numpy(dtype=np.float64)
    return prob
