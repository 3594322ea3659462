"""TaskClassif on the sonar data and on small frames: rows, data access, classes, print."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mlr3py.errors import ConfigError, InputError
from mlr3py.tasks import TaskClassif, as_task_classif, mlr_tasks


@pytest.fixture
def sonar() -> TaskClassif:
    return mlr_tasks.get("sonar")


@pytest.fixture
def toy() -> TaskClassif:
    df = pd.DataFrame(
        {
            "x": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
            "n": [1, 2, 3, 4, 5, 6],
            "s": ["a", "b", "a", "b", None, "c"],
            "y": ["yes", "no", "no", "yes", "no", "no"],
        }
    )
    return as_task_classif(df, target="y", id="toy")


def test_sonar_equals_mlr3_task(sonar: TaskClassif) -> None:
    assert (sonar.nrow, sonar.ncol) == (208, 61)
    assert sonar.id == "sonar"
    assert sonar.task_type == "classif"
    assert sonar.target_names == ["Class"]
    assert sonar.feature_names == [f"V{i}" for i in range(1, 61)]
    assert sonar.class_names == ["M", "R"]
    assert sonar.positive == "M"
    assert sonar.negative == "R"
    assert sonar.properties == {"twoclass"}
    assert sonar.row_ids.dtype == np.int64
    np.testing.assert_array_equal(sonar.row_ids, np.arange(208))
    truth = sonar.truth()
    assert isinstance(truth, pd.Categorical)
    assert list(truth.categories) == ["M", "R"]
    assert pd.Series(truth).value_counts().to_dict() == {"M": 111, "R": 97}
    assert set(truth[:97]) == {"R"}
    assert set(truth[97:]) == {"M"}


def test_sonar_filter_85_to_208(sonar: TaskClassif) -> None:
    assert sonar.filter(range(85, 208)) is sonar
    assert sonar.nrow == 123
    assert pd.Series(sonar.truth()).value_counts().to_dict() == {"M": 111, "R": 12}
    assert sonar.row_ids[0] == 85


def test_data_in_requested_order(sonar: TaskClassif) -> None:
    out = sonar.data(rows=[207, 0, 96, 207], cols=["V1", "Class"])
    assert out.index.name == "row_id"
    assert out.index.tolist() == [207, 0, 96, 207]
    assert list(out.columns) == ["V1", "Class"]
    assert out["Class"].tolist() == ["M", "R", "R", "M"]
    assert list(out["Class"].cat.categories) == ["M", "R"]


def test_data_default_columns_and_types(sonar: TaskClassif) -> None:
    out = sonar.data()
    assert list(out.columns) == ["Class", *sonar.feature_names]
    assert out.shape == (208, 61)
    assert out["V1"].dtype == np.float64
    assert isinstance(out["Class"].dtype, pd.CategoricalDtype)
    assert out.index.tolist() == list(range(208))


def test_data_after_filter_uses_task_rows(sonar: TaskClassif) -> None:
    sonar._use_rows([5, 3, 150])
    assert sonar.data(cols="V1").index.tolist() == [5, 3, 150]
    assert sonar.head(2).index.tolist() == [5, 3]


def test_unknown_rows_and_columns(sonar: TaskClassif) -> None:
    with pytest.raises(InputError, match=r"Row ids not in Task 'sonar': 208, 500"):
        sonar.data(rows=[0, 208, 500])
    with pytest.raises(InputError, match=r"Row ids not in Task 'sonar': -1"):
        sonar.filter([-1])
    sonar.filter(range(10))
    with pytest.raises(InputError, match=r"Row ids not in Task 'sonar': 10"):
        sonar.data(rows=[10])
    with pytest.raises(InputError, match=r"Column 'Clas' .*Did you mean 'Class'"):
        sonar.data(cols=["Clas"])


def test_filter_keeps_task_order_and_drops_duplicates(toy: TaskClassif) -> None:
    # mlr3's intersect(row_roles$use, rows): the task's order, each row once
    toy.filter([4, 1, 1])
    assert toy.row_ids.tolist() == [1, 4]
    assert toy.nrow == 2
    assert toy.truth().tolist() == ["no", "no"]
    with pytest.raises(ValueError, match="read-only"):
        toy.row_ids[0] = 3
    with pytest.raises(InputError, match=r"Row ids not in Task 'toy': 0"):
        toy.filter([0, 1])


def test_use_rows_keeps_order_and_duplicates(toy: TaskClassif) -> None:
    # the internal path of bootstrap training sets and upsampling
    toy._use_rows([4, 1, 1])
    assert toy.row_ids.tolist() == [4, 1, 1]
    assert toy.truth().tolist() == ["no", "no", "no"]
    # filter() on such a view keeps its order and each row once
    assert toy.clone().filter([1, 4, 1]).row_ids.tolist() == [4, 1]


def test_select(toy: TaskClassif) -> None:
    assert toy.select(["s", "x"]) is toy
    assert toy.feature_names == ["x", "s"]
    assert toy.ncol == 3
    with pytest.raises(InputError, match=r"Column 'n' is not a feature"):
        toy.select(["n"])
    with pytest.raises(InputError, match=r"Did you mean 'x'"):
        toy.select("xx")


def test_positive_reorders_class_names(sonar: TaskClassif) -> None:
    h = sonar.hash
    sonar.positive = "R"
    assert sonar.class_names == ["R", "M"]
    assert sonar.negative == "M"
    assert list(sonar.truth().categories) == ["R", "M"]
    assert sonar.data(rows=[0])["Class"].cat.categories.tolist() == ["R", "M"]
    assert sonar.hash != h
    sonar.negative = "R"
    assert sonar.positive == "M"
    with pytest.raises(
        ConfigError, match=r"must be one of \['M', 'R'\] \(class labels are strings\)\. Got 'X'"
    ):
        sonar.positive = "X"


def test_positive_argument(toy: TaskClassif) -> None:
    assert toy.class_names == ["no", "yes"]
    df = toy.data()
    task = as_task_classif(df, target="y", positive="yes")
    assert task.class_names == ["yes", "no"]
    with pytest.raises(ConfigError, match="Got 'maybe'"):
        as_task_classif(df, target="y", positive="maybe")


def test_multiclass_has_no_positive() -> None:
    task = mlr_tasks.get("iris")
    assert task.positive is None
    assert task.properties == {"multiclass"}
    with pytest.raises(ConfigError, match="only for two-class tasks"):
        task.positive = "setosa"


def test_feature_types_missings_levels(toy: TaskClassif) -> None:
    types = toy.feature_types
    assert list(types.columns) == ["id", "type"]
    assert dict(zip(types["id"], types["type"], strict=True)) == {
        "x": "numeric", "n": "integer", "s": "factor"
    }
    miss = toy.missings()
    assert miss.to_dict() == {"y": 0, "x": 0, "n": 0, "s": 1}
    assert toy.missings(["s"]).to_dict() == {"s": 1}
    assert toy.levels() == {"y": ["no", "yes"], "s": ["a", "b", "c"]}
    assert toy.levels(["x", "s"]) == {"x": None, "s": ["a", "b", "c"]}
    toy.filter([0, 1])
    assert toy.missings(["s"]).to_dict() == {"s": 0}


def test_col_types_is_feature_types_as_a_dict(toy: TaskClassif) -> None:
    types = toy.col_types()
    assert types == dict(zip(toy.feature_types["id"], toy.feature_types["type"], strict=True))
    assert list(types) == toy.feature_names
    assert toy.col_types(["s", "y"]) == {"s": "factor", "y": "factor"}
    toy.select(["s", "x"])
    assert list(toy.col_types()) == ["x", "s"]
    types["x"] = "changed"  # a new dict: the task is not changed
    assert toy.col_types()["x"] == "numeric"
    with pytest.raises(InputError, match="not in the data"):
        toy.col_types(["nope"])


def test_clone_is_independent(sonar: TaskClassif) -> None:
    other = sonar.clone()
    other.filter(range(5))
    other.positive = "R"
    other.id = "copy"
    other.col_roles["feature"] = ["V1"]
    assert sonar.nrow == 208
    assert sonar.positive == "M"
    assert sonar.id == "sonar"
    assert len(sonar.feature_names) == 60
    assert other.backend is sonar.backend


@pytest.mark.slow
def test_hash_tracks_rows_columns_and_roles(sonar: TaskClassif) -> None:
    h = sonar.hash
    assert mlr_tasks.get("sonar").hash == h
    assert sonar.clone().filter(range(100)).hash != h
    assert sonar.clone().select(["V1"]).hash != h
    other = sonar.clone()
    other.col_roles["stratum"] = "Class"
    assert other.hash != h


def test_print_like_mlr3(sonar: TaskClassif) -> None:
    text = repr(sonar)
    lines = text.splitlines()
    assert lines[0] == "<TaskClassif:sonar> (208 x 61): Sonar: Mines vs. Rocks"
    assert "* Target: Class" in lines
    assert "* Target classes: M (positive class, 53%), R (47%)" in lines
    assert "* Properties: twoclass" in lines
    assert "* Features (60):" in lines
    assert lines[lines.index("* Features (60):") + 1].startswith("  - dbl (60): V1, V2, V3")
    assert max(len(line) for line in lines) <= 100


def test_param_set_is_empty(sonar: TaskClassif) -> None:
    from mlr3py.params import ParamSet

    assert isinstance(sonar.param_set, ParamSet)
    assert len(sonar.param_set) == 0


def test_dict_row(sonar: TaskClassif) -> None:
    row = mlr_tasks.as_table().set_index("key").loc[sonar.id].to_dict()
    assert row == {
        "label": "Sonar: Mines vs. Rocks", "task_type": "classif", "nrow": 208, "ncol": 61,
        "properties": "twoclass",
    }


def test_id_and_label_are_validated(sonar: TaskClassif) -> None:
    with pytest.raises(ConfigError, match="non-empty string. Got 3"):
        sonar.id = 3  # type: ignore[assignment]
    with pytest.raises(ConfigError, match="must be a str"):
        sonar.label = 1  # type: ignore[assignment]


def test_large_task_take_is_positional() -> None:
    rng = np.random.default_rng(0)
    n = 100_000
    df = pd.DataFrame({"x": rng.normal(size=n), "y": np.where(rng.random(n) < 0.3, "a", "b")})
    task = as_task_classif(df, target="y")
    rows = rng.permutation(n)[:20_000]
    view = task.clone()._use_rows(rows)
    out = view.data()
    np.testing.assert_array_equal(out.index.to_numpy(), rows)
    np.testing.assert_array_equal(out["x"].to_numpy(), df["x"].to_numpy()[rows])
    sub = view.data(rows=rows[::-1][:10])
    np.testing.assert_array_equal(sub.index.to_numpy(), rows[::-1][:10])


def test_integer_labels_accept_an_integer_positive_class():
    data = pd.DataFrame({"x": [1.0, 2, 3, 4], "y": [0, 1, 0, 1]})
    task = as_task_classif(data, target="y", positive=1)
    assert task.class_names == ["1", "0"]
    assert task.positive == "1"
    task.positive = 0
    assert task.positive == "0"
    with pytest.raises(ConfigError, match=r"\(class labels are strings\)\. Got 2 instead"):
        as_task_classif(data, target="y", positive=2)
