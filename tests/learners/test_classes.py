"""Class labels as categoricals: class_dtype, classes_from_codes, as_categorical."""

from __future__ import annotations

import numpy as np
import pandas as pd

from mlr3py.learners._base import as_categorical, class_dtype, classes_from_codes


def test_class_dtype_is_cached_and_unordered() -> None:
    dtype = class_dtype(["R", "M"])
    assert dtype is class_dtype(("R", "M"))
    assert list(dtype.categories) == ["R", "M"]
    assert not dtype.ordered
    assert class_dtype(["M", "R"]) is not dtype


def test_classes_from_codes() -> None:
    labels = classes_from_codes(np.array([1, 0, -1]), ["a", "b"])
    assert isinstance(labels, pd.Categorical)
    assert list(labels.categories) == ["a", "b"]
    assert labels.tolist()[:2] == ["b", "a"]
    assert pd.isna(labels[2])


def test_as_categorical_uses_class_order() -> None:
    labels = as_categorical(["b", "a", None], ["b", "a"])
    assert list(labels.categories) == ["b", "a"]
    assert labels.codes.tolist() == [0, 1, -1]
