"""The built-in filters: conformance on a built-in task and values against references."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from mlr3py.errors import ConfigError, InputError
from mlr3py.filters import flt, mlr_filters, mrmr_order, select_features
from mlr3py.sugar import lrn, rsmp, tsk
from mlr3py.tasks import as_task_classif, as_task_regr
from mlr3py.testing import check_filter

CONFORMANCE = {
    "variance": lambda: (flt("variance"), tsk("mtcars")),
    "anova": lambda: (flt("anova"), tsk("sonar")),
    "correlation": lambda: (flt("correlation", method="spearman"), tsk("mtcars")),
    "auc": lambda: (flt("auc"), tsk("sonar")),
    "information_gain": lambda: (flt("information_gain"), tsk("penguins")),
    "mutual_info": lambda: (flt("mutual_info"), tsk("mtcars")),
    "mrmr": lambda: (flt("mrmr"), tsk("spam")),
    "importance": lambda: (flt("importance", learner=lrn("classif.rpart", random_state=1)),
                           tsk("sonar")),
    "permutation": lambda: (flt("permutation", learner=lrn("regr.rpart"), nmc=2),
                            tsk("mtcars")),
    "find_correlation": lambda: (flt("find_correlation"), tsk("mtcars")),
    "kruskal_test": lambda: (flt("kruskal_test"), tsk("sonar")),
    "performance": lambda: (flt("performance", learner=lrn("regr.rpart")), tsk("mtcars")),
    "mim": lambda: (flt("mim"), tsk("german_credit")),
    "jmi": lambda: (flt("jmi"), tsk("mtcars")),
    "jmim": lambda: (flt("jmim"), tsk("german_credit")),
    "njmim": lambda: (flt("njmim", bins=5), tsk("iris")),
    "disr": lambda: (flt("disr"), tsk("mtcars")),
    "cmim": lambda: (flt("cmim"), tsk("german_credit")),
    "selected_features": lambda: (flt("selected_features", max_depth=3, random_state=1),
                                  tsk("sonar")),
}


def test_every_registered_filter_has_a_conformance_case() -> None:
    assert sorted(CONFORMANCE) == mlr_filters.keys()


@pytest.mark.parametrize("key", sorted(CONFORMANCE))
def test_builtin_filter_conforms(key: str) -> None:
    f, task = CONFORMANCE[key]()
    check_filter(f, task)


def _binary_task() -> tuple[pd.DataFrame, object]:
    rng = np.random.default_rng(3)
    n = 80
    y = np.resize(np.array(["a", "b"], dtype=object), n)
    data = pd.DataFrame({
        "signal": (y == "a") * 2.0 + rng.normal(size=n),
        "noise": rng.normal(size=n),
        "copy": None,
        "weak": (y == "a") * 0.5 + rng.normal(size=n),
        "y": y,
    })
    data["copy"] = data["signal"] * 3 + 1
    return data, as_task_classif(data, target="y", positive="a")


def test_anova_is_minus_log10_of_the_f_test_p_value() -> None:
    data, task = _binary_task()
    scores = flt("anova").calculate(task).scores
    groups = [data.loc[data["y"] == c, "weak"] for c in ("a", "b")]
    assert scores["weak"] == pytest.approx(-math.log10(stats.f_oneway(*groups).pvalue))
    assert list(scores.index[:2]) == ["signal", "copy"] and scores["signal"] > 5


def test_auc_is_distance_from_one_half() -> None:
    data, task = _binary_task()
    scores = flt("auc").calculate(task).scores
    pos, neg = data.loc[data["y"] == "a", "weak"], data.loc[data["y"] == "b", "weak"]
    u = stats.mannwhitneyu(pos, neg).statistic
    assert scores["weak"] == pytest.approx(abs(u / (len(pos) * len(neg)) - 0.5))
    flipped = data.assign(weak=-data["weak"])
    again = flt("auc").calculate(as_task_classif(flipped, target="y", positive="a")).scores
    assert again["weak"] == pytest.approx(scores["weak"])
    with pytest.raises(InputError, match="properties \\['twoclass'\\]"):
        flt("auc").calculate(tsk("iris"))


def test_auc_leaves_out_missing_values() -> None:
    data = pd.DataFrame({"x": [1.0, 2.0, np.nan, 4.0, 5.0, 6.0],
                         "y": ["n", "n", "p", "p", "p", "n"]})
    scores = flt("auc").calculate(as_task_classif(data, target="y", positive="p")).scores
    assert scores["x"] == pytest.approx(abs(4 / 6 - 0.5))


@pytest.mark.parametrize("method", ["pearson", "spearman", "kendall"])
def test_correlation_methods(method: str) -> None:
    task = tsk("mtcars")
    scores = flt("correlation", method=method).calculate(task).scores
    data = task.data()
    expected = abs(data["mpg"].corr(data["hp"], method=method))
    assert scores["hp"] == pytest.approx(expected)
    with pytest.raises(InputError, match="type \\['regr'\\]"):
        flt("correlation").calculate(tsk("sonar"))


def test_information_gain_of_a_perfect_feature_is_the_target_entropy() -> None:
    data = pd.DataFrame({"same": ["u", "v"] * 10, "none": ["u"] * 10 + ["v"] * 10,
                         "num": [0.0, 1.0] * 10, "y": ["a", "b"] * 10})
    data["same"] = data["same"].astype("category")
    data["none"] = pd.Categorical(np.resize(["u", "u", "v", "v"], 20))
    task = as_task_classif(data, target="y")
    scores = flt("information_gain").calculate(task).scores
    assert scores["same"] == pytest.approx(math.log(2))
    assert scores["num"] == pytest.approx(math.log(2))
    assert scores["none"] == pytest.approx(0.0, abs=1e-12)
    ratio = flt("information_gain", type="gainratio").calculate(task).scores
    assert ratio["same"] == pytest.approx(1.0)
    sym = flt("information_gain", type="symuncert").calculate(task).scores
    assert sym["same"] == pytest.approx(1.0)


def test_mutual_info_is_scikit_learns() -> None:
    from sklearn.feature_selection import mutual_info_regression

    task = tsk("mtcars")
    np.random.seed(5)  # noqa: NPY002 - filters draw from it
    scores = flt("mutual_info", n_neighbors=4).calculate(task).scores
    np.random.seed(5)  # noqa: NPY002 - filters draw from it
    expected = mutual_info_regression(task.data_matrix(), task.truth(), n_neighbors=4)
    assert scores.reindex(task.feature_names).to_numpy() == pytest.approx(expected)


def _mrmr_reference(x: pd.DataFrame, y: pd.Series, k: int) -> list[str]:
    """A slow, plain reading of the FCQ algorithm (F-statistic / mean |Pearson r|)."""
    from sklearn.feature_selection import f_classif

    relevance = pd.Series(f_classif(x, y)[0], index=x.columns).fillna(0.0)
    candidates = [c for c in x.columns if relevance[c] > 0]
    selected: list[str] = []
    while candidates and len(selected) < k:
        def score(c: str) -> float:
            if not selected:
                return float(relevance[c])
            red = np.mean([max(abs(np.corrcoef(x[c], x[s])[0, 1]), 0.001) for s in selected])
            return 0.0 if red >= 1 - 1e-12 else float(relevance[c] / red)
        best = max(candidates, key=score)  # first of equal scores, in column order
        selected.append(best)
        candidates.remove(best)
    return selected


def test_mrmr_matches_a_plain_reference_and_skips_duplicates() -> None:
    data, task = _binary_task()
    scores = flt("mrmr").calculate(task).scores
    x = data.drop(columns="y")
    expected = _mrmr_reference(x, data["y"], 4)
    assert list(scores.index) == expected
    assert scores.iloc[0] == 1.0 and scores.iloc[-1] == 0.0
    # perfectly redundant with 'signal': scores 0 right after it, though it is as relevant
    assert expected[:2] == ["signal", "noise"]
    sonar = tsk("sonar")
    ours = flt("mrmr", threads=2).calculate(sonar, nfeat=8).scores
    ref = _mrmr_reference(sonar.data(cols=sonar.feature_names), pd.Series(sonar.truth()), 8)
    assert list(ours.index[:8]) == ref and ours.iloc[8:].isna().all()


def test_mrmr_threads_give_the_same_order_and_max_denominator() -> None:
    task = tsk("spam")
    x, y = task.data_matrix(), np.asarray(task.truth().codes)
    one = mrmr_order(x, y, "classif", 20, threads=1)
    assert mrmr_order(x, y, "classif", 20, threads=2) == one
    assert mrmr_order(x, y, "classif", 20, threads=3, denominator="max")[0] == one[0]
    assert mrmr_order(np.ones((5, 2)), np.array([0, 1, 0, 1, 0]), "classif", 2) == []


def test_mrmr_blocks_in_threads_give_the_same_order(monkeypatch: pytest.MonkeyPatch) -> None:
    from mlr3py.filters import _mrmr

    task = tsk("spam")
    x, y = task.data_matrix(), np.asarray(task.truth().codes)
    expected = {k: mrmr_order(x, y, "classif", k, threads=1) for k in (10, 57)}
    monkeypatch.setattr(_mrmr, "_MIN_BLOCK_WORK", 1)  # every operation split in blocks
    for k in (10, 57):  # per-step products, then the whole correlation matrix
        assert mrmr_order(x, y, "classif", k, threads=3) == expected[k]


def test_mrmr_agrees_with_mrmr_selection() -> None:
    mrmr = pytest.importorskip("mrmr")
    task = tsk("sonar")
    x = task.data(cols=task.feature_names).reset_index(drop=True)
    y = pd.Series(np.asarray(task.truth()))
    expected = mrmr.mrmr_classif(x, y, K=15, show_progress=False, n_jobs=1)
    assert list(flt("mrmr").calculate(task, nfeat=15).scores.index[:15]) == expected
    mtcars = tsk("mtcars")
    xr = mtcars.data(cols=mtcars.feature_names).reset_index(drop=True)
    expected = mrmr.mrmr_regression(xr, pd.Series(mtcars.truth()), K=10,
                                    show_progress=False, n_jobs=1)
    assert list(flt("mrmr").calculate(mtcars).scores.index) == expected


def test_importance_trains_the_learner() -> None:
    task = tsk("sonar")
    f = flt("importance", learner=lrn("classif.rpart", random_state=1))
    learner = lrn("classif.rpart", random_state=1).train(task)
    expected = learner.importance().reindex(task.feature_names)  # type: ignore[attr-defined]
    scores = f.calculate(task).scores
    pd.testing.assert_series_equal(scores.reindex(task.feature_names), expected,
                                   check_names=False, check_index_type=False)
    assert f.learner.model is None  # a clone was trained
    with pytest.raises(ConfigError, match="property 'importance'"):
        flt("importance", learner=lrn("classif.kknn"))
    with pytest.raises(ConfigError, match="must be a Learner"):
        flt("importance", learner="classif.rpart")
    ranger = flt("importance", learner=lrn("regr.ranger"), n_estimators=5)
    assert ranger.param_set.values["n_estimators"] == 5 and ranger.task_types == ("regr",)


def test_permutation_finds_the_signal() -> None:
    _, task = _binary_task()
    np.random.seed(1)  # noqa: NPY002 - filters draw from it
    f = flt("permutation", learner=lrn("classif.log_reg"), resampling=rsmp("cv", folds=2),
            measure="classif.acc", nmc=3)
    scores = f.calculate(task).scores
    assert scores.index[0] in {"signal", "copy"} and scores["noise"] < scores.iloc[0]
    np.random.seed(1)  # noqa: NPY002 - filters draw from it
    featureless = flt("permutation", learner=lrn("classif.featureless"), nmc=2)
    assert (featureless.calculate(task).scores == 0).all()
    np.random.seed(2)  # noqa: NPY002 - filters draw from it
    std = flt("permutation", learner=lrn("classif.log_reg"), nmc=2, standardize=True)
    assert std.calculate(task).scores.iloc[0] == 1.0
    with pytest.raises(ConfigError, match="task type 'regr'"):
        flt("permutation", measure="regr.mse")
    with pytest.raises(ConfigError, match="must be a Resampling"):
        flt("permutation", resampling="cv")


def test_find_correlation_matches_caret_on_mtcars() -> None:
    scores = flt("find_correlation").calculate(tsk("mtcars")).scores
    assert scores["carb"] == 1.0  # lowest mean correlation: never removed
    assert [f for f in scores.index if f not in select_features(scores, cutoff=0.1)] == ["cyl"]
    cm = tsk("mtcars").data().drop(columns="mpg").corr().abs()
    assert scores["cyl"] == pytest.approx(1 - cm.loc["cyl", "disp"])


def test_filters_handle_tiny_regression_tasks() -> None:
    data = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [2.0, 2.0, 2.0], "y": [1.0, 0.0, 1.0]})
    task = as_task_regr(data, target="y")
    for key in ("variance", "correlation", "mrmr", "find_correlation", "information_gain"):
        scores = flt(key).calculate(task).scores
        assert list(scores.index) == ["a", "b"] or scores.isna().any(), key
