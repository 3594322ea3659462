"""Column roles: validated assignment, set_col_roles, strata, groups, weights, order, names."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mlr3py.errors import ConfigError, InputError, UnknownKeyError
from mlr3py.tasks import COL_ROLES, TaskClassif, as_task_classif, mlr_tasks


@pytest.fixture
def task() -> TaskClassif:
    df = pd.DataFrame(
        {
            "x": [3.0, 1.0, 2.0, 5.0, 4.0, 6.0],
            "g": ["p", "p", "q", "q", "r", "r"],
            "s": ["u", "v", "u", "v", "u", "v"],
            "w": [1.0, 2.0, 1.0, 2.0, 1.0, 0.5],
            "y": ["a", "b", "a", "b", "a", "a"],
        }
    )
    return as_task_classif(df, target="y", id="toy")


def test_roles_mapping(task: TaskClassif) -> None:
    roles = task.col_roles
    assert list(roles) == list(COL_ROLES)
    assert roles["feature"] == ["x", "g", "s", "w"]
    assert roles["target"] == ["y"]
    assert roles["stratum"] == []
    assert dict(roles)["group"] == []
    roles["feature"].append("y")  # a copy: no effect
    assert task.feature_names == ["x", "g", "s", "w"]


def test_stratum_as_in_the_book() -> None:
    sonar = mlr_tasks.get("sonar")
    sonar.col_roles["stratum"] = ["Class"]
    assert sonar.properties == {"twoclass", "strata"}
    strata = sonar.strata
    assert strata["N"].tolist() == [97, 111]
    assert strata.index.tolist() == ["R", "M"]
    np.testing.assert_array_equal(strata["row_ids"].iloc[0], np.arange(97))
    np.testing.assert_array_equal(strata["row_ids"].iloc[1], np.arange(97, 208))
    assert "* Strata: Class" in repr(sonar)


def test_strata_combinations_and_filter(task: TaskClassif) -> None:
    task.col_roles["stratum"] = ["y", "s"]
    strata = task.strata
    assert strata["N"].sum() == 6
    got = {key: ids.tolist() for key, ids in zip(strata.index, strata["row_ids"], strict=True)}
    assert got == {("a", "u"): [0, 2, 4], ("b", "v"): [1, 3], ("a", "v"): [5]}
    assert strata["row_ids"].iloc[0].dtype == np.int64
    task.filter([5, 4, 1])
    assert task.strata["N"].tolist() == [1, 1, 1]


def test_no_strata_groups_weights(task: TaskClassif) -> None:
    assert task.strata is None
    assert task.groups is None
    assert task.weights is None
    assert task.row_names is None


def test_unknown_column_suggests(task: TaskClassif) -> None:
    with pytest.raises(InputError, match=r"Column 'ss' given for role 'stratum' .*'toy'.*'s'"):
        task.col_roles["stratum"] = ["ss"]
    with pytest.raises(InputError, match=r"Column 'gg' given for role 'group'.*Did you mean 'g'"):
        task.col_roles["group"] = "gg"
    assert task.col_roles["stratum"] == []


def test_unknown_role_suggests(task: TaskClassif) -> None:
    with pytest.raises(UnknownKeyError, match=r"'strata' is not a column role.*'stratum'"):
        task.col_roles["strata"] = ["s"]
    with pytest.raises(UnknownKeyError, match="'featur'"):
        task.set_col_roles("s", roles="featur")


def test_target_cannot_be_feature(task: TaskClassif) -> None:
    with pytest.raises(InputError, match=r"Column 'y' is the target of Task 'toy'"):
        task.col_roles["feature"] = ["x", "y"]
    assert "y" not in task.feature_names


def test_exactly_one_target(task: TaskClassif) -> None:
    with pytest.raises(InputError, match="exactly one target"):
        task.col_roles["target"] = ["y", "s"]
    with pytest.raises(ConfigError, match="cannot be removed"):
        del task.col_roles["target"]


def test_single_column_roles(task: TaskClassif) -> None:
    with pytest.raises(InputError, match=r"Role 'group' .* at most one column. Got \['g', 's'\]"):
        task.col_roles["group"] = ["g", "s"]


def test_groups(task: TaskClassif) -> None:
    task.set_col_roles("g", roles="group")
    assert "g" not in task.feature_names
    assert task.properties == {"twoclass", "groups"}
    groups = task.groups
    assert list(groups.columns) == ["row_id", "group"]
    assert groups["row_id"].tolist() == list(range(6))
    assert groups["group"].tolist() == ["p", "p", "q", "q", "r", "r"]


def test_weights(task: TaskClassif) -> None:
    task.set_col_roles("w", roles="weights_learner")
    assert "weights" in task.properties
    assert task.weights["weight"].tolist() == [1.0, 2.0, 1.0, 2.0, 1.0, 0.5]
    task.col_roles["weights_measure"] = "w"
    assert "weights_measure" in task.properties
    with pytest.raises(InputError, match="weights_learner column 's' .* must be numeric"):
        task.col_roles["weights_learner"] = "s"


def test_negative_weights_rejected() -> None:
    df = pd.DataFrame({"x": [1.0, 2.0], "w": [1.0, -1.0], "y": ["a", "b"]})
    task = as_task_classif(df, target="y")
    with pytest.raises(InputError, match="non-negative"):
        task.col_roles["weights_learner"] = "w"


def test_set_col_roles_add_and_remove(task: TaskClassif) -> None:
    assert task.set_col_roles("s", add_to="stratum") is task
    assert "s" in task.feature_names
    assert task.col_roles["stratum"] == ["s"]
    task.set_col_roles(["s", "x"], remove_from="feature")
    assert task.feature_names == ["g", "w"]
    task.set_col_roles("x", roles=["feature", "stratum"])
    assert task.col_roles["stratum"] == ["s", "x"]
    assert task.feature_names == ["g", "w", "x"]


def test_col_roles_setter_whole_dict(task: TaskClassif) -> None:
    task.col_roles = {"target": ["y"], "feature": ["x"], "stratum": ["y"]}
    assert task.feature_names == ["x"]
    assert task.col_roles["stratum"] == ["y"]
    with pytest.raises(ConfigError, match="must be a dict"):
        task.col_roles = ["x"]  # type: ignore[assignment]


def test_changing_the_target_recomputes_classes(task: TaskClassif) -> None:
    task.col_roles = {"target": ["s"], "feature": ["x", "y"]}
    assert task.class_names == ["u", "v"]
    assert task.truth().tolist() == ["u", "v", "u", "v", "u", "v"]


def test_order_role(task: TaskClassif) -> None:
    task.col_roles["order"] = "x"
    assert task.data(cols="x")["x"].tolist() == [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
    assert task.data(rows=[0, 1], cols="x").index.tolist() == [0, 1]


def test_name_role() -> None:
    task = mlr_tasks.get("mtcars")
    names = task.row_names
    assert names["row_name"].iloc[0] == "Mazda RX4"
    assert "model" not in task.feature_names
    assert task.col_roles["name"] == ["model"]
