"""Filter base class, registry, sugar, select_features() and the conformance check."""

from __future__ import annotations

import pickle

import numpy as np
import pandas as pd
import pytest

import mlr3py
from mlr3py.errors import ConfigError, InputError, UnknownKeyError
from mlr3py.filters import Filter, FilterVariance, flt, flts, mlr_filters, select_features
from mlr3py.params import p_int, ps
from mlr3py.reflections import TASK_TYPES
from mlr3py.sugar import tsk
from mlr3py.tasks import as_task_classif, as_task_regr
from mlr3py.testing import ConformanceError, check_filter


class _FilterConstant(Filter):
    """Scores every feature with the same value: ties everywhere."""

    def __init__(self, value: float = 1.0) -> None:
        super().__init__("constant", task_types=TASK_TYPES,
                         feature_types=("numeric", "integer"),
                         param_set=ps(threads=p_int(1, tags="threads")))
        self._value = value

    def _calculate(self, task, nfeat):  # type: ignore[no-untyped-def]
        return np.full(len(task.feature_names), self._value)


class _FilterBroken(Filter):
    """Returns its scores in task order, unsorted, and scores the target as well."""

    def __init__(self, mode: str) -> None:
        super().__init__("broken", task_types=("regr",), feature_types=("numeric",))
        self._mode = mode

    def _calculate(self, task, nfeat):  # type: ignore[no-untyped-def]
        if self._mode == "extra":
            return {**dict.fromkeys(task.feature_names, 1.0), "nope": 2.0}
        if self._mode == "short":
            return np.ones(len(task.feature_names) - 1)
        return np.random.default_rng().uniform(size=len(task.feature_names))


def _small_regr() -> mlr3py.TaskRegr:
    data = pd.DataFrame({"a": [1.0, 2.0, 3.0, 4.0], "b": [1.0, 1.0, 1.0, 2.0],
                         "c": [5.0, 1.0, 9.0, 2.0], "s": ["x", "y", "x", "y"],
                         "y": [0.1, 0.2, 0.3, 0.4]})
    return as_task_regr(data, target="y", id="small")


def test_registry_and_sugar() -> None:
    assert "variance" in mlr_filters.keys()
    f = flt("variance", na_rm=False)
    assert isinstance(f, FilterVariance) and f.param_set.values["na_rm"] is False
    assert [x.id for x in flts(["variance", "variance"])] == ["variance", "variance"]
    assert mlr3py.flt is flt and mlr3py.flts is flts and mlr3py.mlr_filters is mlr_filters
    assert mlr3py.select_features is select_features and mlr3py.Filter is Filter
    with pytest.raises(UnknownKeyError, match="Did you mean 'variance'"):
        flt("varianse")
    with pytest.raises(UnknownKeyError, match="Did you mean 'na_rm'"):
        flt("variance", na_rn=True)
    table = mlr_filters.as_table()
    assert "variance" in set(table["key"])


def test_variance_scores_match_numpy_sorted_ties_in_task_order() -> None:
    task = _small_regr()
    f = flt("variance").calculate(task)
    expected = {c: np.var(task.data(cols=c)[c], ddof=1) for c in ["a", "b", "c"]}
    assert list(f.scores.index) == ["c", "a", "b"]  # the character feature is not scored
    assert f.scores.to_dict() == pytest.approx(expected)
    assert f.scores.dtype == np.float64 and f.scores.name == "score"
    ties = _FilterConstant().calculate(task).scores
    assert list(ties.index) == ["a", "b", "c"]


def test_variance_missing_values() -> None:
    data = pd.DataFrame({"a": [1.0, np.nan, 3.0, 5.0], "b": [1.0, 2.0, 3.0, 4.0],
                         "y": [0.0, 1.0, 0.0, 1.0]})
    task = as_task_regr(data, target="y")
    scores = flt("variance").calculate(task).scores
    assert scores["a"] == pytest.approx(4.0)
    assert flt("variance").properties == ("missings",)
    strict = flt("variance", na_rm=False)
    assert strict.properties == ()
    with pytest.raises(InputError, match="missing values in 'a'"):
        strict.calculate(task)


def test_calculate_validates_the_task() -> None:
    with pytest.raises(InputError, match="needs a supervised Task"):
        flt("variance").calculate(pd.DataFrame({"a": [1]}))  # type: ignore[arg-type]
    broken = _FilterBroken("ok")
    with pytest.raises(InputError, match="type \\['regr'\\].*'classif'"):
        broken.calculate(tsk("iris"))
    data = pd.DataFrame({"a": [1.0, np.nan, 3.0], "y": [0.0, 1.0, 2.0]})
    with pytest.raises(InputError, match="missing values in 'a'"):
        broken.calculate(as_task_regr(data, target="y"))
    with pytest.raises(ConfigError, match="'nfeat' argument"):
        flt("variance").calculate(_small_regr(), nfeat=-1)
    with pytest.raises(ConfigError, match="exactly the features"):
        _FilterBroken("extra").calculate(_small_regr())
    with pytest.raises(ConfigError, match="returned 2 scores for 3"):
        _FilterBroken("short").calculate(_small_regr())


def test_no_supported_feature_and_no_rows() -> None:
    data = pd.DataFrame({"s": ["a", "b", "a"], "y": ["u", "v", "u"]})
    scores = flt("variance").calculate(as_task_classif(data, target="y")).scores
    assert scores is not None and len(scores) == 0
    empty = _small_regr().filter([])
    scores = flt("variance").calculate(empty).scores
    assert list(scores.index) == ["a", "b", "c"] and scores.isna().all()


def test_filter_pickles_and_clones() -> None:
    f = flt("variance").calculate(_small_regr())
    again = pickle.loads(pickle.dumps(f))
    pd.testing.assert_series_equal(again.scores, f.scores)
    copy = f.clone()
    copy.param_set.values["na_rm"] = False
    assert "na_rm" not in f.param_set.values or f.param_set.values["na_rm"] is True
    assert "variance" in repr(f) and "3 scores" in repr(f)


def test_filter_metadata_is_checked() -> None:
    with pytest.raises(ConfigError, match="unknown feature_types \\['float'\\]"):
        Filter("x", task_types=("regr",), feature_types=("float",))
    with pytest.raises(ConfigError, match="unknown task_types"):
        Filter("x", task_types=("surv",), feature_types=("numeric",))
    with pytest.raises(ConfigError, match="non-empty string"):
        Filter("", task_types=("regr",), feature_types=("numeric",))


# -- select_features -----------------------------------------------------------------------
@pytest.fixture
def scores() -> pd.Series:
    return pd.Series({"a": 0.1, "b": 0.7, "c": 0.4, "d": 0.4, "e": np.nan})


def test_select_nfeat_frac_cutoff(scores: pd.Series) -> None:
    assert select_features(scores, nfeat=3) == ["b", "c", "d"]
    assert select_features(scores, nfeat=0) == []
    assert select_features(scores, nfeat=5) == ["b", "c", "d", "a", "e"]
    assert select_features(scores, frac=1.0) == ["b", "c", "d", "a", "e"]
    assert select_features(scores, frac=0.5) == ["b", "c"]  # round(2.5) = 2, half to even
    assert select_features(scores, frac=0.7) == ["b", "c", "d", "a"]  # round(3.5) = 4
    assert select_features(scores, frac=0.01) == []
    assert select_features(scores, cutoff=0.4) == ["b", "c", "d"]  # >= cutoff
    assert select_features(scores, cutoff=1.0) == []
    assert select_features(scores, cutoff=-np.inf) == ["b", "c", "d", "a"]  # NaN never


def test_select_bad_input(scores: pd.Series) -> None:
    with pytest.raises(ConfigError, match="exactly one of .* Got none"):
        select_features(scores)
    with pytest.raises(ConfigError, match="Got nfeat=1, frac=0.5"):
        select_features(scores, nfeat=1, frac=0.5)
    with pytest.raises(ConfigError, match="nfeat=6 features, but only 5"):
        select_features(scores, nfeat=6)
    for bad in (-1, 1.5, True):
        with pytest.raises(ConfigError, match="'nfeat' argument"):
            select_features(scores, nfeat=bad)  # type: ignore[arg-type]
    for frac in (0, 0.0, -0.1, 1.01, float("nan"), "0.5"):
        with pytest.raises(ConfigError, match="must be a number in \\(0, 1\\]"):
            select_features(scores, frac=frac)  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="'cutoff' argument"):
        select_features(scores, cutoff="high")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="pandas Series"):
        select_features({"a": 1.0}, nfeat=1)  # type: ignore[arg-type]
    with pytest.raises(InputError, match="\\['a'\\] twice"):
        select_features(pd.Series([1.0, 2.0], index=["a", "a"]), nfeat=1)


def test_select_from_a_calculated_filter() -> None:
    scores = flt("variance").calculate(tsk("mtcars")).scores
    assert select_features(scores, nfeat=2) == ["disp", "hp"]
    assert len(select_features(scores, frac=0.5)) == 5


# -- the conformance check -----------------------------------------------------------------
def test_check_filter_passes_for_variance() -> None:
    check_filter(flt("variance"), tsk("mtcars"))
    check_filter(_FilterConstant(), _small_regr())


def test_check_filter_catches_a_nondeterministic_filter() -> None:
    with pytest.raises(ConformanceError, match="check_filter_deterministic.*differ"):
        check_filter(_FilterBroken("random"), _small_regr())


class _FilterUnsorted(Filter):
    def __init__(self) -> None:
        super().__init__("unsorted", task_types=("regr",), feature_types=("numeric",))

    def calculate(self, task, nfeat=None):  # type: ignore[no-untyped-def]
        super().calculate(task, nfeat)
        assert self.scores is not None
        self.scores = self.scores.iloc[::-1]
        return self

    def _calculate(self, task, nfeat):  # type: ignore[no-untyped-def]
        return np.arange(len(task.feature_names), dtype=float)


class _FilterScoresCharacter(Filter):
    def __init__(self) -> None:
        super().__init__("greedy", task_types=("regr",), feature_types=("numeric",))

    def calculate(self, task, nfeat=None):  # type: ignore[no-untyped-def]
        self.scores = pd.Series(1.0, index=task.feature_names)
        return self


def test_check_filter_catches_unsorted_and_extra_scores() -> None:
    with pytest.raises(ConformanceError, match="sorted descending"):
        check_filter(_FilterUnsorted(), _small_regr())
    with pytest.raises(ConformanceError, match="cover exactly the supported features"):
        check_filter(_FilterScoresCharacter(), _small_regr(), exclude=["task_type"])


class _FilterThreadSensitive(_FilterConstant):
    def _calculate(self, task, nfeat):  # type: ignore[no-untyped-def]
        return np.arange(len(task.feature_names)) * self.param_set.values.get("threads", 1)


def test_check_filter_catches_thread_dependent_scores() -> None:
    with pytest.raises(ConformanceError, match="1 and 2 threads differ"):
        check_filter(_FilterThreadSensitive(), _small_regr())
