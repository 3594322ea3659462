"""Feature encoding for scikit-learn estimators."""

from __future__ import annotations

import numpy as np
import pandas as pd

from mlr3py.learners._encode import FeatureEncoder


def _encoder() -> FeatureEncoder:
    return FeatureEncoder(
        ["num", "lgl", "fct", "ord"],
        {"num": "numeric", "lgl": "logical", "fct": "factor", "ord": "ordered"},
        {"fct": ["a", "b", "c"], "ord": ["lo", "mid", "hi"]},
    )


def test_output_names_and_features():
    encoder = _encoder()
    assert not encoder.is_plain
    assert encoder.output_names == ["num", "lgl", "fct.a", "fct.b", "fct.c", "ord"]
    assert encoder.output_features == ["num", "lgl", "fct", "fct", "fct", "ord"]


def test_transform_mixed_types():
    df = pd.DataFrame(
        {
            "ord": pd.Categorical(["hi", "lo", None], categories=["lo", "mid", "hi"], ordered=True),
            "fct": pd.Categorical(["b", "c", None], categories=["a", "b", "c"]),
            "lgl": [True, False, True],
            "num": [1.5, np.nan, 3.0],
        }
    )
    x = _encoder().transform(df)
    expected = np.array(
        [
            [1.5, 1, 0, 1, 0, 2],
            [np.nan, 0, 0, 0, 1, 0],
            [3.0, 1, np.nan, np.nan, np.nan, np.nan],
        ]
    )
    np.testing.assert_array_equal(x, expected)


def test_fewer_levels_and_unknown_levels():
    df = pd.DataFrame(
        {
            "num": [0.0, 0.0],
            "lgl": [False, False],
            "fct": pd.Categorical(["c", "z"]),  # other categories than in training
            "ord": ["mid", "mid"],
        }
    )
    x = _encoder().transform(df)
    np.testing.assert_array_equal(x[:, 2:5], [[0, 0, 1], [0, 0, 0]])
    np.testing.assert_array_equal(x[:, 5], [1, 1])


def test_plain_numeric_fast_path_keeps_values():
    encoder = FeatureEncoder(["a", "b"], {"a": "numeric", "b": "integer"}, {})
    df = pd.DataFrame({"b": pd.array([1, None], dtype="Int64"), "a": [0.5, 1.5]})
    assert encoder.is_plain
    np.testing.assert_array_equal(encoder.transform(df), [[0.5, 1.0], [1.5, np.nan]])


def test_encode_task_matches_transform_of_data():
    from mlr3py.tasks import as_task_classif

    df = pd.DataFrame(
        {
            "num": [1.5, np.nan, 3.0, 4.0],
            "int": [1, 2, 3, 4],
            "fct": ["a", "b", "a", "c"],
            "y": ["p", "q", "p", "q"],
        }
    )
    task = as_task_classif(df, target="y")._use_rows([3, 1])  # rows in the order given
    plain = FeatureEncoder(["int", "num"], {"int": "integer", "num": "numeric"})
    assert plain.is_plain
    np.testing.assert_array_equal(plain.encode(task), [[4.0, 4.0], [2.0, np.nan]])
    mixed = FeatureEncoder(
        ["fct", "num"], {"fct": "factor", "num": "numeric"}, {"fct": ["a", "b", "c"]}
    )
    expected = mixed.transform(task.data(cols=["fct", "num"]))
    np.testing.assert_array_equal(mixed.encode(task), expected)
    np.testing.assert_array_equal(expected, [[0, 0, 1, 4.0], [0, 1, 0, np.nan]])
