"""as_task_classif / as_task_regr from pandas, polars and pyarrow; bad input."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from mlr3py.data import DataBackendPandas
from mlr3py.errors import InputError
from mlr3py.tasks import Task, TaskClassif, TaskRegr, as_task_classif, as_task_regr


def _table(kind: str) -> Any:
    """The constructor of a pandas, polars or pyarrow table (skips without the package)."""
    if kind == "polars":
        pytest.importorskip("pyarrow")  # polars converts through arrow
        return pytest.importorskip("polars").DataFrame
    if kind == "pyarrow":
        return pytest.importorskip("pyarrow").table
    return pd.DataFrame


@pytest.fixture
def data() -> dict[str, list]:
    return {
        "x": [1.0, 2.0, 3.0, 4.0],
        "c": ["u", "v", "u", None],
        "b": [True, False, True, True],
        "y": ["pos", "neg", "neg", "pos"],
        "z": [0.5, 1.5, 2.5, 3.5],
    }


@pytest.mark.parametrize("kind", ["pandas", "polars", "pyarrow"])
def test_as_task_classif_from_tables(data: dict[str, list], kind: str) -> None:
    table = _table(kind)(data)
    task = as_task_classif(table, target="y", id="t", positive="pos")
    assert isinstance(task, TaskClassif)
    assert task.id == "t"
    assert task.class_names == ["pos", "neg"]
    assert task.feature_names == ["x", "c", "b", "z"]
    types = dict(zip(task.feature_types["id"], task.feature_types["type"], strict=True))
    assert types == {"x": "numeric", "c": "factor", "b": "logical", "z": "numeric"}
    assert task.levels(["c"]) == {"c": ["u", "v"]}
    assert task.missings(["c"]).to_dict() == {"c": 1}
    assert task.truth().tolist() == ["pos", "neg", "neg", "pos"]


@pytest.mark.parametrize("kind", ["pandas", "polars", "pyarrow"])
def test_as_task_regr_from_tables(data: dict[str, list], kind: str) -> None:
    table = _table(kind)(data)
    task = as_task_regr(table, target="z")
    assert isinstance(task, TaskRegr)
    assert task.task_type == "regr"
    assert task.id == "data"
    truth = task.truth()
    assert truth.dtype == np.float64
    np.testing.assert_array_equal(truth, [0.5, 1.5, 2.5, 3.5])
    assert task.properties == set()
    assert repr(task).startswith("<TaskRegr:data> (4 x 5)")


def test_index_is_dropped() -> None:
    df = pd.DataFrame({"x": [1.0, 2.0, 3.0], "y": ["a", "b", "a"]}, index=[7, 8, 9])
    task = as_task_classif(df, target="y")
    assert task.row_ids.tolist() == [0, 1, 2]


def test_non_string_classes_become_text() -> None:
    df = pd.DataFrame({"x": [1.0, 2.0, 3.0], "y": [1, 0, 1]})
    task = as_task_classif(df, target="y")
    assert task.class_names == ["0", "1"]
    assert task.truth().tolist() == ["1", "0", "1"]


def test_categorical_target_keeps_level_order() -> None:
    y = pd.Categorical(["lo", "hi", "mid", "hi"], categories=["lo", "mid", "hi", "unused"])
    task = as_task_classif(pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0], "y": y}), target="y")
    assert task.class_names == ["lo", "mid", "hi"]
    assert task.properties == {"multiclass"}


def test_task_from_a_backend_without_preparation() -> None:
    backend = DataBackendPandas(pd.DataFrame({"x": [1.0, 2.0, 3.0], "y": ["b", "a", "b"]}))
    task = TaskClassif("raw", backend, "y")
    assert task.class_names == ["a", "b"]
    out = task.data()
    assert list(out["y"].cat.categories) == ["a", "b"]
    assert out["y"].tolist() == ["b", "a", "b"]


def test_returns_existing_tasks(data: dict[str, list]) -> None:
    task = as_task_classif(pd.DataFrame(data), target="y")
    assert as_task_classif(task) is task
    regr = as_task_regr(pd.DataFrame(data), target="z")
    assert as_task_regr(regr) is regr


def test_missing_target_values() -> None:
    df = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0], "y": ["a", None, "b", None]})
    with pytest.raises(InputError, match=r"'y' .* 2 missing value\(s\) \(row ids 1, 3\)"):
        as_task_classif(df, target="y")
    reg = pd.DataFrame({"x": [1.0, 2.0], "y": [1.0, np.nan]})
    with pytest.raises(InputError, match=r"'y' .* 1 missing value\(s\) \(row ids 1\)") as err:
        as_task_regr(reg, target="y")
    # the fix is named for data frames and for database queries
    assert "df.dropna(subset=['y'])" in str(err.value)
    assert "table.filter(table['y'].notnull())" in str(err.value)


def test_one_class_target() -> None:
    df = pd.DataFrame({"x": [1.0, 2.0], "y": ["a", "a"]})
    with pytest.raises(InputError, match=r"has only one class \('a'\)"):
        as_task_classif(df, target="y")


def test_unknown_target() -> None:
    df = pd.DataFrame({"x": [1.0, 2.0], "label": ["a", "b"]})
    with pytest.raises(InputError, match=r"Target column 'lable' is not in the data.*'label'"):
        as_task_classif(df, target="lable")
    with pytest.raises(InputError, match="needs the name of the target"):
        as_task_classif(df)
    with pytest.raises(InputError, match="Target column 'lable' is not in the data of Task"):
        TaskClassif("t", DataBackendPandas(df), "lable")


def test_regression_target_must_be_numeric() -> None:
    df = pd.DataFrame({"x": [1.0, 2.0], "y": ["a", "b"]})
    with pytest.raises(InputError, match=r"Target column 'y' of TaskRegr 'data' must be numeric"):
        as_task_regr(df, target="y")


def test_plain_task_has_features_only() -> None:
    task = Task("plain", pd.DataFrame({"x": [1.0, 2.0], "s": ["a", "b"]}))
    assert task.task_type == "unsupervised"
    assert task.feature_names == ["x", "s"]
    assert task.target_names == []
    assert task.data().shape == (2, 2)
