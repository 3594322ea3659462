"""Task.data_matrix() and the fast truth(): both agree with Task.data()."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mlr3py.data import DataBackendPandas
from mlr3py.errors import InputError
from mlr3py.tasks import TaskClassif, TaskRegr, as_task_classif, as_task_regr


@pytest.fixture
def toy() -> TaskClassif:
    df = pd.DataFrame(
        {
            "x": [1.0, 2.0, np.nan, 4.0, 5.0, 6.0],
            "n": [6, 5, 4, 3, 2, 1],
            "b": [True, False, True, True, False, False],
            "s": ["a", "b", "a", "b", None, "c"],
            "y": ["yes", "no", "no", "yes", "no", "maybe"],
        }
    )
    return as_task_classif(df, target="y", id="toy")


def _as_floats(frame: pd.DataFrame) -> np.ndarray:
    return frame.to_numpy(dtype=np.float64, na_value=np.nan)


def test_data_matrix_defaults_to_features_and_active_rows(toy: TaskClassif) -> None:
    toy.select(["x", "n", "b"])
    np.testing.assert_array_equal(toy.data_matrix(), _as_floats(toy.data(cols=toy.feature_names)))
    toy._use_rows([5, 1, 1])
    out = toy.data_matrix()
    assert out.shape == (3, 3)
    np.testing.assert_array_equal(out, [[6.0, 1, 0], [2.0, 5, 0], [2.0, 5, 0]])


def test_data_matrix_rows_and_cols(toy: TaskClassif) -> None:
    out = toy.data_matrix(rows=[3, 0], cols=["n", "x"])
    np.testing.assert_array_equal(out, [[3.0, 4.0], [6.0, 1.0]])
    np.testing.assert_array_equal(toy.data_matrix(rows=[2], cols="x"), [[np.nan]])


def test_data_matrix_follows_order_role(toy: TaskClassif) -> None:
    toy.set_col_roles("n", roles="order")
    expected = _as_floats(toy.data(cols=["x"]))
    np.testing.assert_array_equal(toy.data_matrix(cols=["x"]), expected)
    np.testing.assert_array_equal(expected[:, 0], [6.0, 5.0, 4.0, np.nan, 2.0, 1.0])


def test_data_matrix_rejects_other_types_and_unknown_rows(toy: TaskClassif) -> None:
    with pytest.raises(InputError, match=r"Task 'toy'.*'s' \(factor\)"):
        toy.data_matrix()
    with pytest.raises(InputError, match=r"'y' \(factor\)"):
        toy.data_matrix(cols=["x", "y"])
    toy.filter([0, 1])
    with pytest.raises(InputError, match="Row ids not in Task 'toy': 4"):
        toy.data_matrix(rows=[4], cols=["x"])


def test_truth_matches_data(toy: TaskClassif) -> None:
    expected = toy.data(cols=["y"])["y"].array
    truth = toy.truth()
    assert isinstance(truth, pd.Categorical)
    assert list(truth.categories) == toy.class_names == ["maybe", "no", "yes"]
    assert truth.tolist() == expected.tolist()
    assert toy.truth([5, 0, 5]).tolist() == ["maybe", "yes", "maybe"]


def test_truth_is_independent_of_cache(toy: TaskClassif) -> None:
    truth = toy.truth()
    truth[0] = "no"
    assert toy.truth()[0] == "yes"


def test_truth_follows_positive_class_and_clones() -> None:
    df = pd.DataFrame({"x": [1.0, 2.0, 3.0], "y": ["a", "b", "a"]})
    task = as_task_classif(df, target="y")
    assert task.truth().codes.tolist() == [0, 1, 0]
    clone = task.clone().filter([1, 2])
    clone.positive = "b"
    assert list(clone.truth().categories) == ["b", "a"]
    assert clone.truth().tolist() == ["b", "a"]
    assert clone.truth().codes.tolist() == [0, 1]
    assert task.truth().codes.tolist() == [0, 1, 0]
    assert task.truth().tolist() == ["a", "b", "a"]


def test_truth_with_primary_key_and_order_role() -> None:
    frame = pd.DataFrame(
        {"id": [30, 10, 20], "x": [3.0, 1.0, 2.0], "y": pd.Categorical(["c", "a", "b"])}
    )
    task = TaskClassif("keyed", DataBackendPandas(frame, primary_key="id"), target="y")
    assert task.truth().tolist() == ["c", "a", "b"]
    assert task.truth([20, 30]).tolist() == ["b", "c"]
    task.set_col_roles("x", roles="order")
    assert task.truth().tolist() == ["a", "b", "c"]
    assert task.data_matrix(cols=["x"])[:, 0].tolist() == [1.0, 2.0, 3.0]


def test_truth_after_target_change() -> None:
    df = pd.DataFrame({"x": [1.0, 2.0, 3.0], "y": ["a", "b", "a"], "z": ["u", "u", "v"]})
    task = as_task_classif(df, target="y")
    assert task.truth().tolist() == ["a", "b", "a"]
    task.col_roles = {"target": ["z"], "feature": ["x"]}
    assert task.truth().tolist() == ["u", "u", "v"]


def test_regr_truth_is_float_array() -> None:
    df = pd.DataFrame({"x": [1.0, 2.0, 3.0], "y": [1, 5, 7]})
    task = as_task_regr(df, target="y")
    assert isinstance(task, TaskRegr)
    truth = task.truth([2, 0])
    assert truth.dtype == np.float64
    assert truth.tolist() == [7.0, 1.0]
    np.testing.assert_array_equal(task.truth(), [1.0, 5.0, 7.0])
