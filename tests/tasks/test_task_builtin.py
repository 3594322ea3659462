"""Built-in tasks and the mlr_tasks registry (OpenML data only from the cache, never the net)."""

from __future__ import annotations

import urllib.error
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from mlr3py.data import DATA_DIR_ENV
from mlr3py.data import openml as openml_module
from mlr3py.errors import InputError, UnknownKeyError
from mlr3py.tasks import Task, TaskClassif, TaskRegr, mlr_tasks


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    urls: list[str] = []

    def fail(url: str) -> bytes:
        urls.append(url)
        raise urllib.error.URLError("offline")

    monkeypatch.setattr(openml_module, "_fetch", fail)
    return urls


@pytest.fixture
def empty_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path))
    return tmp_path


def test_registry_keys() -> None:
    assert mlr_tasks.keys() == [
        "breast_cancer", "german_credit", "iris", "mtcars", "penguins", "pima", "sonar", "spam"
    ]
    with pytest.raises(UnknownKeyError, match="Did you mean 'sonar'"):
        mlr_tasks.get("sonr")


def test_registry_table_works_offline(offline: list[str]) -> None:
    table = mlr_tasks.as_table().set_index("key")
    assert table.loc["spam", "nrow"] == 4601
    assert table.loc["german_credit", "ncol"] == 21
    assert table.loc["sonar", "nrow"] == 208
    assert table.loc["iris", "properties"] == "multiclass"
    assert table.loc["mtcars", "task_type"] == "regr"
    assert offline == []


def test_kwargs_set_fields() -> None:
    task = mlr_tasks.get("sonar", id="sonar2", positive="R")
    assert task.id == "sonar2"
    assert task.positive == "R"


def test_iris() -> None:
    task = mlr_tasks.get("iris")
    assert isinstance(task, TaskClassif)
    assert (task.nrow, task.ncol) == (150, 5)
    assert task.target_names == ["Species"]
    assert task.class_names == ["setosa", "versicolor", "virginica"]
    assert task.feature_names == ["Sepal.Length", "Sepal.Width", "Petal.Length", "Petal.Width"]
    assert pd.Series(task.truth()).value_counts().tolist() == [50, 50, 50]


def test_penguins_keeps_missings() -> None:
    task = mlr_tasks.get("penguins")
    assert (task.nrow, task.ncol) == (344, 8)
    assert task.target_names == ["species"]
    assert task.class_names == ["Adelie", "Chinstrap", "Gentoo"]
    miss = task.missings()
    assert miss["sex"] == 11
    assert miss["bill_length"] == 2
    assert miss.sum() == 19
    types = dict(zip(task.feature_types["id"], task.feature_types["type"], strict=True))
    assert types["island"] == "factor"
    assert types["year"] == "integer"


def test_mtcars() -> None:
    task = mlr_tasks.get("mtcars")
    assert isinstance(task, TaskRegr)
    assert (task.nrow, task.ncol) == (32, 11)
    assert task.target_names == ["mpg"]
    assert task.truth()[:2].tolist() == [21.0, 21.0]
    assert np.isclose(task.truth().mean(), 20.090625)
    assert set(task.feature_types["type"]) == {"numeric"}


def test_breast_cancer() -> None:
    task = mlr_tasks.get("breast_cancer")
    assert (task.nrow, task.ncol) == (569, 31)
    assert task.target_names == ["diagnosis"]
    assert task.class_names == ["malignant", "benign"]
    assert task.positive == "malignant"
    assert pd.Series(task.truth()).value_counts().to_dict() == {"benign": 357, "malignant": 212}
    assert "mean_radius" in task.feature_names


def test_registered_tasks_are_fresh_objects() -> None:
    a, b = mlr_tasks.get("iris"), mlr_tasks.get("iris")
    a.filter(range(3))
    assert b.nrow == 150


@pytest.mark.parametrize(("key", "data_id", "file"), [
    ("spam", 44, "spam"), ("german_credit", 31, "german_credit"),
    ("pima", 37, "pimaindiansdiabetes2")])
def test_openml_task_offline_error(key: str, data_id: int, file: str, offline: list[str],
                                   empty_cache: Path) -> None:
    task = mlr_tasks.get(key)  # lazy: nothing is loaded yet
    assert isinstance(task, Task)
    assert offline == []
    with pytest.raises(InputError) as info:
        task.data()
    message = str(info.value)
    assert str(empty_cache.resolve() / f"{file}.csv") in message
    assert DATA_DIR_ENV in message
    assert f"data id {data_id}" in message
    assert "data not available" in repr(task)


def test_sonar_offline_without_cache(offline: list[str], empty_cache: Path) -> None:
    task = mlr_tasks.get("sonar")
    with pytest.raises(InputError, match="sonar.csv"):
        task.nrow  # noqa: B018


def test_spam_from_cached_openml_csv(empty_cache: Path, offline: list[str]) -> None:
    frame = pd.DataFrame(
        {"word_freq_make": [0.0, 0.2, 0.1, 0.0], "capital_run_length_total": [10, 20, 3, 4],
         "class": [1, 0, 0, 1]}
    )
    frame.to_csv(empty_cache / "spam.csv", index=False)
    task = mlr_tasks.get("spam")
    assert task.target_names == ["type"]
    assert task.class_names == ["spam", "nonspam"]
    assert task.truth().tolist() == ["spam", "nonspam", "nonspam", "spam"]
    assert task.feature_names == ["word_freq_make", "capital_run_length_total"]
    assert offline == []


def test_german_credit_from_cached_openml_csv(empty_cache: Path) -> None:
    frame = pd.DataFrame(
        {"checking_status": ["<0", "0<=X<200", "<0"], "duration": [6, 48, 12],
         "class": ["good", "bad", "good"]}
    )
    frame.to_csv(empty_cache / "german_credit.csv", index=False)
    task = mlr_tasks.get("german_credit")
    assert task.target_names == ["credit_risk"]
    assert task.positive == "good"
    assert task.levels(["checking_status"]) == {"checking_status": ["0<=X<200", "<0"]}


def test_sonar_from_openml_layout(empty_cache: Path) -> None:
    shared = pd.read_csv(Path(__file__).resolve().parents[2].parent / "shared/data/sonar.csv")
    openml = shared.rename(columns={f"V{i}": f"attribute_{i}" for i in range(1, 61)})
    openml["Class"] = openml["Class"].map({"M": "Mine", "R": "Rock"})
    openml.to_csv(empty_cache / "sonar.csv", index=False)
    task = mlr_tasks.get("sonar")
    assert task.feature_names[:2] == ["V1", "V2"]
    assert task.class_names == ["M", "R"]
    assert pd.Series(task.truth()).value_counts().to_dict() == {"M": 111, "R": 97}


def test_tasks_pickle(offline: list[str], empty_cache: Path) -> None:
    import pickle

    lazy = pickle.loads(pickle.dumps(mlr_tasks.get("spam")))
    assert lazy.id == "spam"
    with pytest.raises(InputError, match="spam.csv"):
        lazy.nrow  # noqa: B018
    iris = mlr_tasks.get("iris")._use_rows([3, 1])
    again = pickle.loads(pickle.dumps(iris))
    assert again.row_ids.tolist() == [3, 1]
    assert again.hash == iris.hash


def test_pima_is_mlbenchs_pima_indians_diabetes_2() -> None:
    # mlr3's tsk("pima"): the impossible zeros are missing values
    task = mlr_tasks.get("pima")
    assert (task.nrow, task.ncol) == (768, 9)
    assert task.positive == "pos" and task.class_names == ["pos", "neg"]
    counts = task.missings()
    assert {c: int(counts[c]) for c in ("glucose", "pressure", "triceps", "insulin", "mass")} \
        == {"glucose": 5, "pressure": 35, "triceps": 227, "insulin": 374, "mass": 11}


def test_pima_from_openml_layout(empty_cache: Path, offline: list[str]) -> None:
    frame = pd.DataFrame({"preg": [6, 1], "plas": [148, 0], "pres": [72, 66],
                          "skin": [0, 29], "insu": [0, 94], "mass": [33.6, 28.1],
                          "pedi": [0.627, 0.167], "age": [50, 21],
                          "class": ["tested_positive", "tested_negative"]})
    frame.to_csv(empty_cache / "pimaindiansdiabetes2.csv", index=False)
    task = mlr_tasks.get("pima")
    assert task.truth().tolist() == ["pos", "neg"]
    data = task.data()
    assert data["glucose"].isna().tolist() == [False, True]
    assert data["triceps"].isna().tolist() == [True, False]
    assert offline == []
