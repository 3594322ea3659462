"""Tasks that grow: cbind, rbind and rename through composed backends."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mlr3py import as_task_classif, as_task_regr
from mlr3py.data import DataBackendLazy, DataBackendPandas
from mlr3py.data.composed import DataBackendCbind, DataBackendRbind, DataBackendRename
from mlr3py.errors import InputError
from mlr3py.tasks import TaskClassif


@pytest.fixture
def task() -> TaskClassif:
    df = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0], "f": ["a", "b", "a", "b"],
                       "y": ["p", "n", "p", "n"]})
    return as_task_classif(df, target="y", positive="p")


def test_cbind_adds_features_and_leaves_original_untouched(task: TaskClassif) -> None:
    backend = task.backend
    new = task.clone().cbind(pd.DataFrame({"z": [10, 20, 30, 40]}))
    assert new.feature_names == ["x", "f", "z"]
    assert new.data(cols="z")["z"].tolist() == [10, 20, 30, 40]
    assert new.feature_types.set_index("id")["type"]["z"] == "integer"
    assert task.feature_names == ["x", "f"] and task.backend is backend
    assert isinstance(new.backend, DataBackendCbind) and new.backend.b1 is backend


def test_cbind_replaces_columns_and_follows_active_rows(task: TaskClassif) -> None:
    view = task.clone().filter([3, 1])
    view.cbind(pd.DataFrame({"x": [-4.0, -2.0], "s": ["u", "v"]}))
    assert view.data(cols=["x"])["x"].tolist() == [-4.0, -2.0]
    assert view.data_matrix(cols=["x"])[:, 0].tolist() == [-4.0, -2.0]
    assert view.feature_types.set_index("id")["type"]["s"] == "factor"
    # rows outside the new part read as missing
    assert view.backend.data([0, 1], ["x"])["x"].isna().tolist() == [True, False]
    assert view.backend.missings(None, ["x"]) == {"x": 2}


def test_cbind_by_row_id_index_and_bad_input(task: TaskClassif) -> None:
    frame = pd.DataFrame({"z": [1.0, 2.0]}, index=pd.Index([2, 0], name="row_id"))
    new = task.clone().cbind(frame)
    assert new.data(rows=[0, 2], cols="z")["z"].tolist() == [2.0, 1.0]
    with pytest.raises(InputError, match="one row per active row"):
        task.clone().cbind(pd.DataFrame({"z": [1.0]}))
    with pytest.raises(InputError, match="not active rows of Task"):
        task.clone().cbind(pd.DataFrame({"z": [1.0]}, index=pd.Index([9], name="row_id")))
    with pytest.raises(InputError, match="duplicated row ids"):
        task.clone()._use_rows([0, 0, 1, 2]).cbind(pd.DataFrame({"z": [1.0] * 4}))


def test_cbind_keeps_a_lazy_backend_lazy() -> None:
    frame = pd.DataFrame({"x": [1.0, 2.0, 3.0], "y": [0.5, 1.0, 2.0]})
    lazy = DataBackendLazy(lambda: DataBackendPandas(frame), key="toy")
    task = as_task_regr(lazy.backend, target="y")  # materialised for the task's roles
    fresh = DataBackendLazy(lambda: DataBackendPandas(frame), key="toy")
    combined = DataBackendCbind(fresh, DataBackendPandas(pd.DataFrame({"z": [1, 2, 3]})))
    assert not combined.is_materialized
    assert combined.data([1], ["z"])["z"].tolist() == [2]
    assert task.clone().cbind(pd.DataFrame({"z": [7, 8, 9]})).nrow == 3


def test_rbind_appends_rows_with_new_ids_and_levels(task: TaskClassif) -> None:
    new = task.clone().rbind(pd.DataFrame({"x": [5.0], "f": ["c"], "y": ["n"]}))
    assert new.row_ids.tolist() == [0, 1, 2, 3, 4]
    assert new.data(rows=[4])["f"].tolist() == ["c"]
    assert new.levels(["f"])["f"] == ["a", "b", "c"]
    assert new.positive == "p" and task.nrow == 4
    assert isinstance(new.backend, DataBackendRbind)
    partial = task.clone().rbind(pd.DataFrame({"y": ["p"]}))
    assert np.isnan(partial.data(rows=[4])["x"].iloc[0])
    with pytest.raises(InputError, match="does not have"):
        task.clone().rbind(pd.DataFrame({"zz": [1]}))


def test_rename_moves_roles(task: TaskClassif) -> None:
    new = task.clone().rename(["x", "y"], ["x2", "target"])
    assert new.feature_names == ["x2", "f"] and new.target_names == ["target"]
    assert new.data(cols=["x2"])["x2"].tolist() == [1.0, 2.0, 3.0, 4.0]
    assert new.class_names == ["p", "n"]
    assert isinstance(new.backend, DataBackendRename)
    with pytest.raises(InputError, match="duplicated"):
        task.clone().rename("x", "f")
    with pytest.raises(InputError, match="as many new names"):
        task.clone().rename(["x", "f"], "z")


def test_matrix_backend_joins_as_a_float_block(task: TaskClassif) -> None:
    from mlr3py.data.composed import DataBackendMatrix

    block = DataBackendMatrix(np.array([[1.0, 2.0], [3.0, np.nan]]), np.array([3, 1]),
                              ["u", "v"], task.backend.primary_key)
    assert block.matrix([1, 3], ["v", "u"]).tolist()[1] == [2.0, 1.0]
    assert block.missings(None, ["u", "v"]) == {"u": 0, "v": 1}
    assert block.data([3], ["u"]).index.name == "row_id"
    with pytest.raises(InputError, match="not in the data"):
        block.matrix([0], ["u"])
    with pytest.raises(InputError, match="duplicated"):
        DataBackendMatrix(np.zeros((2, 1)), np.array([1, 1]), ["u"], "k")
    view = task.clone().filter([1, 3]).cbind(block)
    assert view.data_matrix(cols=["u", "x"]).tolist() == [[3.0, 2.0], [1.0, 4.0]]


def test_matrix_backend_answers_its_own_rows_without_a_lookup() -> None:
    from mlr3py.data.composed import DataBackendMatrix

    values = np.array([[1.0, np.nan, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, np.nan]])
    block = DataBackendMatrix(values, np.array([5, 2, 9]), ["u", "v", "w"], "k")
    assert block.is_all_rows(None) and block.is_all_rows([5, 2, 9])
    assert not block.is_all_rows([2, 5, 9]) and not block.is_all_rows([5, 2])
    own = block.matrix([5, 2, 9], ["u", "v", "w"])
    assert np.array_equal(own, values, equal_nan=True)
    own[0, 0] = -1.0  # a new, writable array
    assert block.matrix(None, ["u"])[0, 0] == 1.0
    assert block.matrix([5, 2, 9], ["w", "u"]).tolist()[1] == [6.0, 4.0]
    assert np.array_equal(block.matrix([9, 5], ["w", "u"]),
                          np.array([[np.nan, 7.0], [3.0, 1.0]]), equal_nan=True)
    # missing values: counted once over all rows, per row subset where there are any
    assert block.missings([5, 2, 9], ["v", "w", "u"]) == {"v": 1, "w": 1, "u": 0}
    assert block.missings([2], ["v", "w", "u"]) == {"v": 0, "w": 0, "u": 0}
    assert block.missings([9, 9], ["w"]) == {"w": 2}
    assert block.missings([2, 9], ["u"]) == {"u": 0}
    with pytest.raises(InputError, match="not in the data"):
        block.missings([3], ["u"])  # no missing value in 'u', the rows are still checked
    with pytest.raises(InputError, match="not in the data"):
        block.missings([3], ["v"])


def test_cbind_backend_checks_rows_its_first_part_lacks() -> None:
    from mlr3py.data.composed import DataBackendMatrix

    b1 = DataBackendPandas(pd.DataFrame({"x": [1.0, 2.0, 3.0]}))
    inside = DataBackendCbind(b1, DataBackendMatrix(np.array([[10.0], [30.0]]),
                                                    np.array([0, 2]), ["z"], b1.primary_key))
    assert inside.matrix([0, 2], ["z"]).tolist() == [[10.0], [30.0]]
    assert inside.matrix([2], ["z", "x"]).tolist() == [[30.0, 3.0]]
    # a second part with a row that the first one lacks: that row is refused
    outside = DataBackendCbind(b1, DataBackendMatrix(np.array([[10.0], [70.0]]),
                                                     np.array([0, 7]), ["z"], b1.primary_key))
    assert outside.matrix([0], ["z"]).tolist() == [[10.0]]
    with pytest.raises(InputError, match="not in the data"):
        outside.matrix([0, 7], ["z"])
