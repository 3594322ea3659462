"""Resampling strategies on a small stand-in task (no dependency on mlr3py.tasks)."""

from __future__ import annotations

import pickle
from collections import Counter
from typing import Any

import numpy as np
import pandas as pd
import pytest

from mlr3py.errors import ConfigError, InputError, UnknownKeyError
from mlr3py.resamplings import (
    CountInstance,
    ResamplingCustom,
    ResamplingCustomCV,
    ResamplingCV,
    ResamplingHoldout,
    ResamplingLOO,
    mlr_resamplings,
)


class FakeBackend:
    """Just enough of a DataBackend: column names and ``data(rows, cols)``."""

    def __init__(self, df: pd.DataFrame) -> None:
        self._df = df

    @property
    def colnames(self) -> list[str]:
        return list(self._df.columns)

    def data(self, rows: Any, cols: list[str]) -> pd.DataFrame:
        return self._df.loc[np.asarray(rows), cols]


class FakeTask:
    """A stand-in exposing the Task attributes a resampling relies on."""

    def __init__(
        self,
        n: int = 30,
        *,
        stratum: Any = None,
        group: Any = None,
        row_ids: Any = None,
        task_id: str = "fake",
    ) -> None:
        self.id = task_id
        self.row_ids = (
            np.arange(n, dtype=np.int64) if row_ids is None else np.asarray(row_ids, np.int64)
        )
        self.nrow = len(self.row_ids)
        self.hash = f"fake-{self.nrow}-{stratum is not None}-{group is not None}"
        columns = {"x": np.linspace(0, 1, self.nrow)}
        if stratum is not None:
            columns["s"] = np.asarray(stratum)
        if group is not None:
            columns["g"] = np.asarray(group)
        self._df = pd.DataFrame(columns, index=pd.Index(self.row_ids, name="row_id"))
        self.backend = FakeBackend(self._df)
        self.col_roles = {
            "feature": ["x"],
            "target": [],
            "stratum": ["s"] if stratum is not None else [],
            "group": ["g"] if group is not None else [],
        }

    def data(self, rows: Any = None, cols: Any = None) -> pd.DataFrame:
        rows = self.row_ids if rows is None else rows
        return self.backend.data(rows, cols or ["x"])

    @property
    def strata(self) -> pd.DataFrame | None:
        if not self.col_roles["stratum"]:
            return None
        grouped = self._df.groupby("s", sort=True)
        return pd.DataFrame(
            {
                "N": grouped.size().to_numpy(),
                "row_ids": [np.asarray(idx, np.int64) for idx in grouped.groups.values()],
            }
        )

    @property
    def groups(self) -> pd.DataFrame | None:
        if not self.col_roles["group"]:
            return None
        return pd.DataFrame({"row_id": self.row_ids, "group": self._df["g"].to_numpy()})


ALL_KEYS = [
    "bootstrap",
    "custom",
    "custom_cv",
    "cv",
    "holdout",
    "insample",
    "loo",
    "repeated_cv",
    "subsampling",
]
RANDOM_KEYS = ["holdout", "cv", "repeated_cv", "subsampling", "bootstrap"]
PLAIN_KEYS = [*RANDOM_KEYS, "insample", "loo"]


@pytest.fixture
def task() -> FakeTask:
    return FakeTask(30)


@pytest.fixture
def strat_task() -> FakeTask:
    # 40 "a", 20 "b", 9 "c": unequal strata
    labels = np.array(["a"] * 40 + ["b"] * 20 + ["c"] * 9)
    return FakeTask(len(labels), stratum=np.random.default_rng(0).permutation(labels))


@pytest.fixture
def group_task() -> FakeTask:
    # 12 groups of varying size, given as strings
    sizes = [1, 2, 3, 4, 5, 1, 2, 3, 4, 5, 6, 2]
    groups = np.repeat([f"g{k}" for k in range(len(sizes))], sizes)
    return FakeTask(len(groups), group=np.random.default_rng(1).permutation(groups))


def _sets(resampling: Any) -> list[tuple[np.ndarray, np.ndarray]]:
    return [(resampling.train_set(i), resampling.test_set(i)) for i in range(resampling.iters)]


def _groups_of(task: FakeTask, rows: np.ndarray) -> set[str]:
    return set(task._df.loc[rows, "g"])


# ------------------------------------------------------------------ registry


def test_registry_has_all_keys_and_builds_fresh_objects() -> None:
    assert mlr_resamplings.keys() == ALL_KEYS
    first, second = mlr_resamplings.get("cv"), mlr_resamplings.get("cv")
    assert first is not second
    assert isinstance(first, ResamplingCV)


def test_registry_get_sets_params_and_fields() -> None:
    cv = mlr_resamplings.get("cv", folds=3, id="cv3")
    assert cv.param_set.values["folds"] == 3
    assert cv.iters == 3
    assert cv.id == "cv3"


def test_registry_unknown_param_suggests() -> None:
    with pytest.raises(UnknownKeyError, match="Did you mean 'folds'"):
        mlr_resamplings.get("cv", fold=3)


def test_registry_table_columns() -> None:
    table = mlr_resamplings.as_table()
    assert list(table.columns) == ["key", "label", "params", "iters"]
    row = table.set_index("key").loc["repeated_cv"]
    assert row["label"] == "Repeated Cross-Validation"
    assert sorted(row["params"]) == ["folds", "repeats"]
    assert row["iters"] == 100
    assert table.set_index("key").loc["bootstrap", "iters"] == 30


@pytest.mark.parametrize(
    ("key", "defaults"),
    [
        ("holdout", {"ratio": 2 / 3}),
        ("cv", {"folds": 10}),
        ("repeated_cv", {"folds": 10, "repeats": 10}),
        ("subsampling", {"ratio": 2 / 3, "repeats": 30}),
        ("bootstrap", {"ratio": 1.0, "repeats": 30}),
        ("insample", {}),
        ("loo", {}),
        ("custom", {}),
        ("custom_cv", {}),
    ],
)
def test_default_parameter_values(key: str, defaults: dict[str, Any]) -> None:
    assert mlr_resamplings.get(key).param_set.get_values() == pytest.approx(defaults)


# ------------------------------------------------------------ params and ids


@pytest.mark.parametrize(
    ("key", "param", "value"),
    [
        ("cv", "folds", 1),
        ("cv", "folds", 2.5),
        ("holdout", "ratio", 1.5),
        ("subsampling", "repeats", 0),
        ("bootstrap", "ratio", -0.1),
    ],
)
def test_bad_parameter_values_use_the_template(key: str, param: str, value: Any) -> None:
    resampling = mlr_resamplings.get(key)
    with pytest.raises(ConfigError) as err:
        resampling.param_set.values[param] = value
    message = str(err.value)
    assert f"'{param}'" in message
    assert f"Resampling '{key}'" in message
    assert f"Got {value!r}" in message


def test_id_is_settable_and_renames_the_param_context() -> None:
    cv = ResamplingCV()
    cv.id = "my_cv"
    with pytest.raises(ConfigError, match="Resampling 'my_cv'"):
        cv.param_set.values["folds"] = 0
    with pytest.raises(ConfigError, match="non-empty string"):
        cv.id = ""


def test_repr_reads_like_mlr3(task: FakeTask) -> None:
    cv = mlr_resamplings.get("cv", folds=3)
    text = repr(cv)
    assert "<ResamplingCV>" in text
    assert "Cross-Validation" in text
    assert "* Iterations: 3" in text
    assert "* Instantiated: False" in text
    assert "* Parameters: folds=3" in text
    cv.instantiate(task, seed=1)
    assert "* Instantiated: True" in repr(cv)
    assert "unknown until instantiated" in repr(ResamplingLOO())


# ------------------------------------------------------------------ errors


@pytest.mark.parametrize("key", PLAIN_KEYS)
def test_sets_before_instantiation_raise(key: str) -> None:
    resampling = mlr_resamplings.get(key)
    assert not resampling.is_instantiated
    assert resampling.instance is None
    with pytest.raises(ConfigError, match="has not been instantiated"):
        resampling.train_set(0)
    with pytest.raises(ConfigError, match="has not been instantiated"):
        resampling.test_set(0)


@pytest.mark.parametrize("bad", [3, -1, True, 1.0, "0"])
def test_iteration_out_of_range_names_i_and_iters(task: FakeTask, bad: Any) -> None:
    cv = mlr_resamplings.get("cv", folds=3).instantiate(task, seed=1)
    with pytest.raises(ConfigError) as err:
        cv.train_set(bad)
    assert f"i={bad!r}" in str(err.value)
    assert "iters=3" in str(err.value)


def test_numpy_integer_iteration_is_accepted(task: FakeTask) -> None:
    cv = mlr_resamplings.get("cv", folds=3).instantiate(task, seed=1)
    assert np.array_equal(cv.test_set(np.int64(2)), cv.test_set(2))


def test_stratum_and_group_together_is_a_config_error() -> None:
    task = FakeTask(10, stratum=[0, 1] * 5, group=np.arange(10) // 2)
    with pytest.raises(ConfigError, match="cannot combine stratification and grouping"):
        ResamplingCV().instantiate(task)


def test_instantiate_on_a_non_task_raises() -> None:
    with pytest.raises(InputError, match="can only be instantiated on a Task"):
        ResamplingCV().instantiate(pd.DataFrame({"x": [1, 2]}))


def test_empty_task_raises() -> None:
    with pytest.raises(InputError, match="has no rows"):
        ResamplingHoldout().instantiate(FakeTask(0))


def test_cv_more_folds_than_rows_names_both() -> None:
    with pytest.raises(ConfigError) as err:
        mlr_resamplings.get("cv", folds=10).instantiate(FakeTask(7))
    assert "7 rows" in str(err.value)
    assert "folds=10" in str(err.value)
    assert not mlr_resamplings.get("cv", folds=10).is_instantiated


def test_cv_more_folds_than_groups_names_groups(group_task: FakeTask) -> None:
    with pytest.raises(ConfigError, match="12 groups into folds=13"):
        mlr_resamplings.get("cv", folds=13).instantiate(group_task)


@pytest.mark.parametrize("ratio", [0.0, 1.0, 0.01])
def test_holdout_empty_set_raises(ratio: float) -> None:
    with pytest.raises(ConfigError, match="leaves an empty"):
        mlr_resamplings.get("holdout", ratio=ratio).instantiate(FakeTask(10))


def test_bootstrap_empty_training_set_raises() -> None:
    with pytest.raises(ConfigError, match="empty training set"):
        mlr_resamplings.get("bootstrap", ratio=0.0).instantiate(FakeTask(10))


@pytest.mark.parametrize("seed", [-1, 1.5, "a", True])
def test_bad_seed_raises(task: FakeTask, seed: Any) -> None:
    with pytest.raises(ConfigError, match="seed"):
        ResamplingCV().instantiate(task, seed=seed)


def test_missing_required_param_raises(task: FakeTask) -> None:
    holdout = ResamplingHoldout()
    del holdout.param_set.values["ratio"]
    with pytest.raises(ConfigError, match="ratio"):
        holdout.instantiate(task)


# ------------------------------------------------------------ reproducibility


@pytest.mark.parametrize("key", RANDOM_KEYS)
def test_same_seed_same_sets(task: FakeTask, key: str) -> None:
    a = mlr_resamplings.get(key).instantiate(task, seed=42)
    b = mlr_resamplings.get(key).instantiate(task, seed=42)
    c = mlr_resamplings.get(key).instantiate(task, seed=43)
    for i in range(a.iters):
        assert np.array_equal(a.train_set(i), b.train_set(i))
        assert np.array_equal(a.test_set(i), b.test_set(i))
    assert any(not np.array_equal(a.test_set(i), c.test_set(i)) for i in range(a.iters))


@pytest.mark.parametrize("key", RANDOM_KEYS)
def test_global_numpy_seed_makes_seedless_runs_reproducible(task: FakeTask, key: str) -> None:
    np.random.seed(7)  # noqa: NPY002 - the global generator is what is tested
    a = mlr_resamplings.get(key).instantiate(task)
    np.random.seed(7)  # noqa: NPY002 - the global generator is what is tested
    b = mlr_resamplings.get(key).instantiate(task)
    assert all(np.array_equal(a.train_set(i), b.train_set(i)) for i in range(a.iters))


def test_generator_and_seed_sequence_are_accepted(task: FakeTask) -> None:
    a = ResamplingCV().instantiate(task, seed=np.random.default_rng(5))
    b = ResamplingCV().instantiate(task, seed=np.random.default_rng(5))
    c = ResamplingCV().instantiate(task, seed=np.random.SeedSequence(5))
    assert np.array_equal(a.test_set(0), b.test_set(0))
    assert np.array_equal(a.test_set(0), c.test_set(0))


# ------------------------------------------------------------------ state


def test_task_fields_are_recorded(task: FakeTask) -> None:
    cv = mlr_resamplings.get("cv", folds=3)
    assert cv.task_hash is None and cv.task_nrow is None
    cv.instantiate(task, seed=1)
    assert cv.task_hash == task.hash
    assert cv.task_nrow == 30
    assert cv.matches_task(task)
    assert not cv.matches_task(FakeTask(31))


def test_clone_is_independent(task: FakeTask) -> None:
    cv = mlr_resamplings.get("cv", folds=3).instantiate(task, seed=1)
    copy = cv.clone()
    before = copy.test_set(0)
    cv.instantiate(task, seed=2)
    cv.param_set.values["folds"] = 5
    assert np.array_equal(copy.test_set(0), before)
    assert copy.iters == 3
    assert copy.param_set.values["folds"] == 3


def test_iters_follow_the_instance_after_params_change(task: FakeTask) -> None:
    cv = mlr_resamplings.get("cv", folds=3).instantiate(task, seed=1)
    cv.param_set.values["folds"] = 5
    assert cv.iters == 3
    assert sorted(np.concatenate([cv.test_set(i) for i in range(3)]).tolist()) == list(range(30))
    cv.instantiate(task, seed=1)
    assert cv.iters == 5


def test_returned_sets_are_copies(task: FakeTask) -> None:
    insample = mlr_resamplings.get("insample").instantiate(task)
    insample.train_set(0)[:] = -1
    assert np.array_equal(insample.test_set(0), task.row_ids)


@pytest.mark.parametrize("key", PLAIN_KEYS)
def test_sets_are_int64_row_ids_of_the_task(key: str) -> None:
    task = FakeTask(row_ids=np.arange(100, 130))
    resampling = mlr_resamplings.get(key).instantiate(task, seed=3)
    for train, test in _sets(resampling):
        assert train.dtype == np.int64 and test.dtype == np.int64
        assert np.isin(train, task.row_ids).all() and np.isin(test, task.row_ids).all()


# --------------------------------------------------------------- strategies


def test_cv_partitions_rows(task: FakeTask) -> None:
    cv = mlr_resamplings.get("cv", folds=4).instantiate(task, seed=1)
    tests = [cv.test_set(i) for i in range(4)]
    assert sorted(np.concatenate(tests).tolist()) == list(range(30))
    assert sorted(len(t) for t in tests) == [7, 7, 8, 8]
    for train, test in _sets(cv):
        assert not set(train) & set(test)
        assert sorted([*train, *test]) == list(range(30))
    assert list(cv.instance.columns) == ["row_id", "fold"]


def test_cv_stratified_keeps_proportions(strat_task: FakeTask) -> None:
    folds = 4
    cv = mlr_resamplings.get("cv", folds=folds).instantiate(strat_task, seed=3)
    labels = strat_task._df["s"]
    totals = labels.value_counts()
    sizes = []
    for i in range(folds):
        test = cv.test_set(i)
        sizes.append(len(test))
        counts = labels.loc[test].value_counts()
        for level, total in totals.items():
            assert abs(counts.get(level, 0) - total / folds) < 1
    assert max(sizes) - min(sizes) <= 1
    assert sum(sizes) == strat_task.nrow


def test_repeated_cv_each_repetition_partitions(task: FakeTask) -> None:
    rcv = mlr_resamplings.get("repeated_cv", folds=3, repeats=2).instantiate(task, seed=1)
    assert rcv.iters == 6
    for rep in range(2):
        tests = [rcv.test_set(rep * 3 + f) for f in range(3)]
        assert sorted(np.concatenate(tests).tolist()) == list(range(30))
    for train, test in _sets(rcv):
        assert sorted([*train, *test]) == list(range(30))
    assert not all(np.array_equal(rcv.test_set(i), rcv.test_set(i + 3)) for i in range(3))
    assert rcv.folds(4) == 1 and rcv.repeats(4) == 1
    assert rcv.folds(np.arange(6)).tolist() == [0, 1, 2, 0, 1, 2]
    assert rcv.repeats(np.arange(6)).tolist() == [0, 0, 0, 1, 1, 1]
    with pytest.raises(ConfigError, match="iters=6"):
        rcv.folds(6)


def test_holdout_sizes(task: FakeTask) -> None:
    holdout = mlr_resamplings.get("holdout", ratio=0.7).instantiate(task, seed=1)
    assert holdout.iters == 1
    train, test = holdout.train_set(0), holdout.test_set(0)
    assert len(train) == 21 and len(test) == 9
    assert sorted([*train, *test]) == list(range(30))
    assert isinstance(holdout.instance, CountInstance)


def test_holdout_default_ratio_rounds_like_r() -> None:
    holdout = ResamplingHoldout().instantiate(FakeTask(208), seed=1)
    assert len(holdout.train_set(0)) == 139  # round(208 * 2/3)


def test_holdout_stratified_rounds_per_stratum(strat_task: FakeTask) -> None:
    holdout = mlr_resamplings.get("holdout", ratio=0.5).instantiate(strat_task, seed=1)
    counts = strat_task._df.loc[holdout.train_set(0), "s"].value_counts()
    # round-half-to-even per stratum: 20, 10, round(4.5) = 4
    assert counts.to_dict() == {"a": 20, "b": 10, "c": 4}


def test_subsampling_sizes_and_variety(task: FakeTask) -> None:
    sub = mlr_resamplings.get("subsampling", ratio=0.6, repeats=5).instantiate(task, seed=1)
    assert sub.iters == 5
    for train, test in _sets(sub):
        assert len(train) == 18 and len(test) == 12
        assert len(set(train)) == 18
        assert sorted([*train, *test]) == list(range(30))
    assert len({tuple(sorted(t)) for t, _ in _sets(sub)}) > 1


def test_bootstrap_duplicates_and_out_of_bag(task: FakeTask) -> None:
    boot = mlr_resamplings.get("bootstrap", repeats=4).instantiate(task, seed=1)
    assert boot.duplicated_ids
    assert not ResamplingCV().duplicated_ids
    assert boot.iters == 4
    for train, test in _sets(boot):
        assert len(train) == 30
        assert len(set(train)) < 30  # drawing 30 of 30 with replacement repeats some rows
        assert set(test) == set(range(30)) - set(train)


def test_bootstrap_ratio_sets_training_size(task: FakeTask) -> None:
    boot = mlr_resamplings.get("bootstrap", ratio=0.5, repeats=2).instantiate(task, seed=1)
    assert [len(boot.train_set(i)) for i in range(2)] == [15, 15]


def test_loo(task: FakeTask) -> None:
    loo = ResamplingLOO()
    assert loo.iters is None
    loo.instantiate(task)
    assert loo.iters == 30
    tests = [loo.test_set(i) for i in range(30)]
    assert all(len(t) == 1 for t in tests)
    assert sorted(np.concatenate(tests).tolist()) == list(range(30))
    assert all(len(loo.train_set(i)) == 29 for i in range(30))
    assert loo.test_set(3)[0] not in loo.train_set(3)


def test_loo_needs_two_rows() -> None:
    with pytest.raises(ConfigError, match="at least 2 rows"):
        ResamplingLOO().instantiate(FakeTask(1))


def test_insample(task: FakeTask) -> None:
    insample = mlr_resamplings.get("insample").instantiate(task)
    assert insample.iters == 1
    assert np.array_equal(insample.train_set(0), task.row_ids)
    assert np.array_equal(insample.test_set(0), task.row_ids)


# ------------------------------------------------------------------ groups


@pytest.mark.parametrize("key", PLAIN_KEYS)
def test_groups_are_never_split(group_task: FakeTask, key: str) -> None:
    kwargs = {"folds": 4} if key in ("cv", "repeated_cv") else {}
    resampling = mlr_resamplings.get(key, **kwargs).instantiate(group_task, seed=1)
    for train, test in _sets(resampling):
        if key != "insample":
            assert not _groups_of(group_task, train) & _groups_of(group_task, test)
        # every group present in a set comes with all its rows
        for rows in (train, test):
            for g in _groups_of(group_task, rows):
                members = set(group_task.row_ids[group_task._df["g"].to_numpy() == g])
                assert members <= set(rows)


def test_cv_groups_partition_rows(group_task: FakeTask) -> None:
    cv = mlr_resamplings.get("cv", folds=4).instantiate(group_task, seed=1)
    tests = np.concatenate([cv.test_set(i) for i in range(4)])
    assert sorted(tests.tolist()) == list(range(group_task.nrow))
    assert len(cv.instance) == 12  # the instance holds one entry per group


def test_loo_with_groups_is_leave_one_group_out(group_task: FakeTask) -> None:
    loo = ResamplingLOO().instantiate(group_task)
    assert loo.iters == 12
    assert all(len(_groups_of(group_task, loo.test_set(i))) == 1 for i in range(12))


def test_bootstrap_with_groups_repeats_whole_groups(group_task: FakeTask) -> None:
    boot = mlr_resamplings.get("bootstrap", repeats=3).instantiate(group_task, seed=4)
    labels = group_task._df["g"]
    sizes = labels.value_counts()
    for train, test in _sets(boot):
        counts = Counter(labels.loc[train])
        # each drawn group appears a whole multiple of its size
        assert all(n % sizes[g] == 0 for g, n in counts.items())
        assert not set(counts) & set(labels.loc[test])


def test_missing_group_values_raise() -> None:
    task = FakeTask(6, group=np.array(["a", "a", None, "b", "b", "c"], dtype=object))
    with pytest.raises(InputError, match="missing values"):
        ResamplingCV().instantiate(task)


# ------------------------------------------------------------------ custom


def test_custom_stores_given_sets(task: FakeTask) -> None:
    custom = ResamplingCustom()
    assert custom.iters is None
    custom.instantiate(task, train_sets=[[0, 1, 2], [3, 4, 4]], test_sets=[[5], [6, 7]])
    assert custom.iters == 2
    assert custom.train_set(1).tolist() == [3, 4, 4]
    assert custom.test_set(0).tolist() == [5]
    assert custom.task_nrow == 30


def test_custom_positional_sets(task: FakeTask) -> None:
    custom = mlr_resamplings.get("custom").instantiate(task, [np.arange(10)], [np.arange(10, 30)])
    assert custom.test_set(0).tolist() == list(range(10, 30))


def test_custom_unknown_row_ids_are_named(task: FakeTask) -> None:
    with pytest.raises(InputError) as err:
        ResamplingCustom().instantiate(task, train_sets=[[0, 99, 100]], test_sets=[[1]])
    assert "[99, 100]" in str(err.value)
    assert "train_sets[0]" in str(err.value)


@pytest.mark.parametrize(
    ("train_sets", "test_sets", "match"),
    [
        (None, [[1]], "needs its splits"),
        ([[0, 1]], [[2], [3]], "1 train_sets but 2 test_sets"),
        ([0, 1, 2], [[3]], "list of such vectors"),
        ([], [], "non-empty list"),
        ([[]], [[1]], "is empty"),
    ],
)
def test_custom_bad_sets(task: FakeTask, train_sets: Any, test_sets: Any, match: str) -> None:
    with pytest.raises(ConfigError, match=match):
        ResamplingCustom().instantiate(task, train_sets=train_sets, test_sets=test_sets)


def test_custom_non_integer_ids_raise(task: FakeTask) -> None:
    with pytest.raises(InputError, match="integer row ids"):
        ResamplingCustom().instantiate(task, train_sets=[["a"]], test_sets=[[1]])


def test_custom_cv_from_factor_keeps_category_order(task: FakeTask) -> None:
    f = pd.Categorical(np.repeat(["x", "y", "z"], 10), categories=["z", "x", "y", "unused"])
    ccv = ResamplingCustomCV().instantiate(task, f=f)
    assert ccv.iters == 3
    assert ccv.test_set(0).tolist() == list(range(20, 30))  # "z" first
    assert ccv.train_set(0).tolist() == list(range(20))


def test_custom_cv_from_plain_values_sorts_them(task: FakeTask) -> None:
    f = np.tile([3, 1, 2], 10)
    ccv = ResamplingCustomCV().instantiate(task, f=f)
    assert ccv.test_set(0).tolist() == list(range(1, 30, 3))  # value 1


def test_custom_cv_from_column() -> None:
    task = FakeTask(9, group=np.repeat(["b", "a", "c"], 3))
    ccv = ResamplingCustomCV().instantiate(task, col="g")
    assert ccv.iters == 3
    assert ccv.test_set(0).tolist() == [3, 4, 5]
    assert sorted(np.concatenate([ccv.test_set(i) for i in range(3)]).tolist()) == list(range(9))


def test_custom_cv_errors(task: FakeTask) -> None:
    ccv = ResamplingCustomCV()
    with pytest.raises(ConfigError, match="exactly one of 'f'"):
        ccv.instantiate(task)
    with pytest.raises(ConfigError, match="exactly one of 'f'"):
        ccv.instantiate(task, f=np.zeros(30), col="x")
    with pytest.raises(InputError, match="30 rows"):
        ccv.instantiate(task, f=[1, 2, 3])
    with pytest.raises(InputError, match="Did you mean 'x'"):
        ccv.instantiate(task, col="xx")
    with pytest.raises(InputError, match="missing values"):
        ccv.instantiate(task, f=[1.0, np.nan] * 15)
    with pytest.raises(ConfigError, match="at least 2 distinct"):
        ccv.instantiate(task, f=np.ones(30))
    assert not ccv.is_instantiated


def test_small_sets_are_computed_once_and_still_handed_out_as_copies(
        task: FakeTask, monkeypatch: pytest.MonkeyPatch) -> None:
    cv = mlr_resamplings.get("cv", folds=3).instantiate(task, seed=1)
    calls: list[int] = []
    real = cv._get_test
    monkeypatch.setattr(cv, "_get_test", lambda i: calls.append(i) or real(i))
    first = cv.test_set(1)
    first[:] = -1  # the caller's own array
    again = cv.test_set(1)
    assert calls == [1] and (again >= 0).all()
    twin = cv.clone()  # a clone of the same instance shares the sets computed
    assert np.array_equal(twin.test_set(1), again) and calls == [1]
    twin.instantiate(task, seed=5)
    assert np.array_equal(cv.test_set(1), again) and calls == [1]  # the original's stay
    cv.instantiate(task, seed=2)  # a new instance: sets computed anew
    assert not np.array_equal(cv.test_set(1), again) and calls == [1, 1]
    other = mlr_resamplings.get("cv", folds=3).instantiate(task, seed=1)
    other.test_set(0)
    assert other._sets and pickle.loads(pickle.dumps(other))._sets == {}  # does not travel
