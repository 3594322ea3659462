"""Task.droplevels(): levels no active row uses are dropped (mlr3's Task$droplevels)."""

from __future__ import annotations

import pandas as pd
import pytest

from mlr3py import as_duckdb_backend, lrn, msr, resample, rsmp, tsk
from mlr3py.tasks import as_task_classif


def _frame() -> pd.DataFrame:
    return pd.DataFrame({"f": pd.Categorical(["a", "b", "c", "a", "b", "c"]),
                         "x": [1.0, 2, 3, 4, 5, 6],
                         "y": pd.Categorical(["u", "v", "u", "v", "u", "w"])})


def test_iris_two_classes_after_droplevels() -> None:
    task = tsk("iris").filter(list(range(100)))
    assert task.class_names == ["setosa", "versicolor", "virginica"]
    assert task.droplevels() is task
    assert task.class_names == ["setosa", "versicolor"]
    assert "twoclass" in task.properties and "multiclass" not in task.properties
    rr = resample(task, lrn("classif.rpart", predict_type="prob"), rsmp("cv", folds=3), seed=1)
    assert rr.aggregate(msr("classif.auc")).notna().all()
    assert list(rr.prediction().prob.columns) == ["setosa", "versicolor"]


def test_feature_factor_levels_follow_active_rows() -> None:
    task = as_task_classif(_frame(), target="y").filter([0, 1, 3, 4])
    task.droplevels("f")
    assert task.levels()["f"] == ["a", "b"]
    assert task.class_names == ["u", "v", "w"]  # only the columns asked for
    assert task.data()["f"].cat.categories.tolist() == ["a", "b"]
    assert task.clone().levels()["f"] == ["a", "b"]


def test_droplevels_on_a_database_backend() -> None:
    pytest.importorskip("duckdb", reason="needs the sql extra (pip install 'mlr3py[sql]')")
    pytest.importorskip("pyarrow")
    task = as_task_classif(as_duckdb_backend(_frame()), target="y").filter([0, 1, 3, 4])
    task.droplevels()
    assert task.levels() == {"y": ["u", "v"], "f": ["a", "b"]}


def test_learners_encode_the_levels_left_by_droplevels() -> None:
    full = as_task_classif(_frame(), target="y")
    narrowed = full.clone().filter([0, 1, 3, 4])
    before = lrn("classif.log_reg").train(narrowed)  # the levels of the backend, a b c
    assert before.model.encoder.output_names == ["f.a", "f.b", "f.c", "x"]
    narrowed.droplevels()
    assert narrowed.narrowed_levels == {"f": ("a", "b")}
    after = lrn("classif.log_reg").train(narrowed)
    assert after.state.levels == {"f": narrowed.levels()["f"]}
    encoder = after.model.encoder
    assert encoder.output_names == ["f.a", "f.b", "x"]
    assert encoder.encode(narrowed).shape == (4, 3)
    # a task on the same backend without droplevels() keeps all its levels
    assert full.narrowed_levels == {}
    assert lrn("classif.log_reg").train(full).state.levels == {"f": ["a", "b", "c"]}


def test_narrowed_levels_survive_cbind_and_rename_and_grow_with_rbind() -> None:
    task = as_task_classif(_frame(), target="y").filter([0, 1, 3, 4]).droplevels()
    task.cbind(pd.DataFrame({"z": [1.0, 2, 3, 4]}, index=pd.Index([0, 1, 3, 4], name="row_id")))
    assert task.levels(["f"]) == {"f": ["a", "b"]}
    task.rename("f", "g")
    assert task.levels(["g"]) == {"g": ["a", "b"]}
    assert task.data()["g"].cat.categories.tolist() == ["a", "b"]
    task.rbind(pd.DataFrame({"g": ["a"], "x": [7.0], "y": ["u"], "z": [5.0]}))
    assert task.levels(["g"]) == {"g": ["a", "b"]}
    task.rbind(pd.DataFrame({"g": ["c"], "x": [8.0], "y": ["u"], "z": [6.0]}))
    assert task.levels(["g"]) == {"g": ["a", "b", "c"]}  # as mlr3: the new rows' levels join
