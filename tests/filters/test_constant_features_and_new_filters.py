"""Filters on constant features, the ``kruskal_test`` and ``performance`` filters and
the scores as a table (mlr3filters' ``as.data.table(filter)``)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from mlr3py import resample
from mlr3py.errors import ConfigError, InputError
from mlr3py.filters import flt
from mlr3py.sugar import lrn, msr, rsmp, tsk
from mlr3py.tasks import as_task_classif, as_task_regr


def _with_constant(task_type: str) -> object:
    rng = np.random.default_rng(1)
    n = 60
    y = np.resize(np.array(["p", "q"], dtype=object), n)
    data = pd.DataFrame({"a": rng.normal(size=n) + (y == "p"), "c": np.ones(n),
                         "b": rng.normal(size=n)})
    if task_type == "classif":
        return as_task_classif(data.assign(y=y), target="y", id="constant")
    return as_task_regr(data.assign(y=data["a"] + rng.normal(size=n)), target="y",
                        id="constant")


@pytest.mark.parametrize("task_type", ["classif", "regr"])
def test_mutual_info_of_a_constant_feature_is_zero(task_type: str) -> None:
    task = _with_constant(task_type)
    for seed in range(5):  # scikit-learn's noise would give it a positive estimate
        np.random.seed(seed)  # noqa: NPY002 - filters draw from it
        scores = flt("mutual_info").calculate(task).scores
        assert scores["c"] == 0.0
        assert scores.index[-1] in ("c", "b")


def test_find_correlation_of_a_constant_feature_is_nan_and_last() -> None:
    scores = flt("find_correlation").calculate(_with_constant("classif")).scores
    assert math.isnan(scores["c"])
    assert scores.index[-1] == "c"
    assert not scores[["a", "b"]].isna().any()


def test_kruskal_test_is_minus_log10_of_scipys_p_value() -> None:
    task = tsk("penguins")  # three classes, missing values
    scores = flt("kruskal_test").calculate(task).scores
    data = task.data()
    for feature in ("bill_length", "year"):
        groups = [g[feature].dropna().to_numpy(dtype=float)
                  for _, g in data.groupby("species", observed=True)]
        assert scores[feature] == pytest.approx(-math.log10(stats.kruskal(*groups).pvalue))
    assert scores.index[0] == "flipper_length"


def test_kruskal_test_orders_tiny_p_values_and_scores_constant_features_nan() -> None:
    n = 400
    y = np.resize(np.array(["a", "b"], dtype=object), n)
    data = pd.DataFrame({"perfect": (y == "a") * 10.0 + np.arange(n) / n,
                         "strong": (y == "a") * 1.0 + np.sin(np.arange(n)),
                         "flat": np.zeros(n), "y": y})
    scores = flt("kruskal_test").calculate(as_task_classif(data, target="y")).scores
    assert list(scores.index) == ["perfect", "strong", "flat"]
    groups = [data.loc[data["y"] == c, "perfect"] for c in ("a", "b")]
    assert scores["perfect"] == pytest.approx(-math.log10(stats.kruskal(*groups).pvalue))
    assert scores["perfect"] > 60  # p < 1e-60
    assert math.isnan(scores["flat"])


def test_kruskal_test_is_for_classification() -> None:
    with pytest.raises(InputError, match="'kruskal_test' scores tasks of type"):
        flt("kruskal_test").calculate(tsk("mtcars"))


def test_performance_is_the_resampled_score_of_each_feature_alone() -> None:
    task = tsk("mtcars")
    resampling = rsmp("cv", folds=3).instantiate(task)
    f = flt("performance", learner=lrn("regr.rpart", random_state=1), resampling=resampling)
    scores = f.calculate(task).scores
    assert set(scores.index) == set(task.feature_names)
    assert (scores <= 0).all()  # regr.mse is minimised: the score is its negation
    alone = task.clone().select(["wt"])
    rr = resample(alone, lrn("regr.rpart", random_state=1), resampling)
    assert scores["wt"] == pytest.approx(-float(rr.aggregate()["regr.mse"]))


def test_performance_with_a_measure_to_maximise_keeps_its_sign() -> None:
    n = 120
    rng = np.random.default_rng(2)
    y = np.resize(np.array(["a", "b"], dtype=object), n)
    data = pd.DataFrame({"signal": (y == "a") * 3.0 + rng.normal(size=n),
                         "noise": rng.normal(size=n), "y": y})
    task = as_task_classif(data, target="y", positive="a")
    np.random.seed(3)  # noqa: NPY002 - filters draw from it
    f = flt("performance", learner=lrn("classif.rpart", predict_type="prob", max_depth=2),
            resampling=rsmp("cv", folds=3), measure=msr("classif.auc"))
    scores = f.calculate(task).scores
    assert list(scores.index) == ["signal", "noise"]
    assert 0.85 < scores["signal"] <= 1.0 and scores["noise"] < 0.75


def test_performance_checks_its_fields() -> None:
    with pytest.raises(ConfigError, match="task type 'classif'"):
        flt("performance", measure="regr.mse")
    with pytest.raises(ConfigError, match="must be a Learner"):
        flt("performance", learner="classif.rpart")
    f = flt("performance", learner=lrn("regr.rpart"))
    assert f.task_types == ("regr",)
    with pytest.raises(InputError, match="type 'classif'"):
        f.calculate(tsk("sonar"))


def test_scores_as_a_table_best_first() -> None:
    f = flt("variance")
    with pytest.raises(InputError, match="calculate"):
        f.as_data_frame()
    table = f.calculate(tsk("mtcars")).as_data_frame()
    assert list(table.columns) == ["feature", "score"]
    assert table["feature"].tolist() == f.scores.index.tolist()
    assert table["score"].is_monotonic_decreasing


@pytest.mark.parametrize("key", ["importance", "permutation", "performance"])
def test_a_learner_filter_on_another_task_type_names_the_learner_to_give(key: str) -> None:
    with pytest.raises(InputError, match=rf"give it a regr learner, e.g. flt\('{key}', "
                                         r"learner=lrn\('regr.rpart'\)\)"):
        flt(key).calculate(tsk("mtcars"))
    with pytest.raises(InputError, match="Use a filter for regr tasks"):
        flt("anova").calculate(tsk("mtcars"))


def test_selected_features_scores_the_trees_split_features_one() -> None:
    task = tsk("sonar")
    f = flt("selected_features", learner=lrn("classif.rpart", max_depth=2, random_state=1))
    scores = f.calculate(task).scores
    tree = lrn("classif.rpart", max_depth=2, random_state=1).train(task)
    used = set(tree.selected_features())
    assert 1 <= len(used) <= 3
    assert set(scores[scores == 1.0].index) == used
    assert (scores.drop(list(used)) == 0.0).all()
    assert list(scores.index[: len(used)]) == [x for x in task.feature_names if x in used]


def test_selected_features_needs_a_learner_that_selects() -> None:
    with pytest.raises(ConfigError, match="property 'selected_features'"):
        flt("selected_features", learner=lrn("classif.kknn"))
    f = flt("selected_features", learner=lrn("regr.rpart"), max_depth=1)
    assert f.param_set.get_values()["max_depth"] == 1  # the learner's parameters
    assert f.calculate(tsk("mtcars")).scores.sum() == 1.0
