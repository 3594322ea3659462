"""Resamplings on the built-in tasks (sonar, penguins, mtcars, iris)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from mlr3py.errors import ConfigError
from mlr3py.resamplings import mlr_resamplings
from mlr3py.tasks import mlr_tasks


@pytest.fixture
def sonar() -> Any:
    return mlr_tasks.get("sonar")


@pytest.fixture
def sonar_strat(sonar: Any) -> Any:
    sonar.col_roles["stratum"] = ["Class"]
    return sonar


def _class_counts(task: Any, rows: np.ndarray) -> dict[str, int]:
    truth = task.data(rows=rows, cols=["Class"])["Class"]
    return {k: int(v) for k, v in truth.value_counts().items()}


def test_sonar_cv_covers_every_row_once(sonar: Any) -> None:
    cv = mlr_resamplings.get("cv", folds=3).instantiate(sonar, seed=1)
    tests = np.concatenate([cv.test_set(i) for i in range(3)])
    assert sorted(tests.tolist()) == list(range(208))
    for i in range(3):
        assert not np.intersect1d(cv.train_set(i), cv.test_set(i)).size
    assert cv.task_hash == sonar.hash
    assert cv.task_nrow == 208


def test_sonar_stratified_cv_keeps_class_shares(sonar_strat: Any) -> None:
    cv = mlr_resamplings.get("cv", folds=3).instantiate(sonar_strat, seed=1)
    share_m = 111 / 208
    for i in range(3):
        test = cv.test_set(i)
        counts = _class_counts(sonar_strat, test)
        assert abs(counts["M"] - share_m * len(test)) <= 1
        train_counts = _class_counts(sonar_strat, cv.train_set(i))
        assert abs(train_counts["M"] - share_m * len(cv.train_set(i))) <= 1


def test_sonar_stratified_holdout_on_filtered_task(sonar_strat: Any) -> None:
    sonar_strat.filter(range(85, 208))  # 111 M and 12 R
    holdout = mlr_resamplings.get("holdout").instantiate(sonar_strat, seed=3)
    train, test = holdout.train_set(0), holdout.test_set(0)
    assert _class_counts(sonar_strat, train) == {"M": 74, "R": 8}
    assert _class_counts(sonar_strat, test) == {"M": 37, "R": 4}
    assert set(train) | set(test) == set(range(85, 208))


def test_unstratified_holdout_can_miss_the_proportions(sonar: Any) -> None:
    sonar.filter(range(85, 208))
    shares = set()
    for seed in range(20):
        holdout = mlr_resamplings.get("holdout").instantiate(sonar, seed=seed)
        shares.add(_class_counts(sonar, holdout.train_set(0)).get("R", 0))
    assert len(shares) > 1  # without a stratum role the R count in training varies


def test_stratified_subsampling_and_bootstrap_keep_class_counts(sonar_strat: Any) -> None:
    sub = mlr_resamplings.get("subsampling", repeats=3).instantiate(sonar_strat, seed=1)
    boot = mlr_resamplings.get("bootstrap", repeats=3).instantiate(sonar_strat, seed=1)
    for i in range(3):
        assert _class_counts(sonar_strat, sub.train_set(i)) == {"M": 74, "R": 65}
        assert _class_counts(sonar_strat, boot.train_set(i)) == {"M": 111, "R": 97}


def test_same_seed_same_sets_on_a_real_task(sonar_strat: Any) -> None:
    a = mlr_resamplings.get("repeated_cv", folds=3, repeats=2).instantiate(sonar_strat, seed=9)
    b = mlr_resamplings.get("repeated_cv", folds=3, repeats=2).instantiate(sonar_strat, seed=9)
    assert all(np.array_equal(a.test_set(i), b.test_set(i)) for i in range(6))


def test_matches_task_notices_filtered_rows(sonar: Any) -> None:
    cv = mlr_resamplings.get("cv", folds=3).instantiate(sonar, seed=1)
    assert cv.matches_task(sonar)
    sonar.filter(range(100))
    assert not cv.matches_task(sonar)


@pytest.fixture
def penguins_by_island() -> Any:
    task = mlr_tasks.get("penguins")
    task.set_col_roles("island", roles=["group"])
    return task


def test_penguins_island_groups_are_never_split(penguins_by_island: Any) -> None:
    task = penguins_by_island
    assert task.groups is not None
    islands = task.groups.set_index("row_id")["group"]
    cv = mlr_resamplings.get("cv", folds=3).instantiate(task, seed=1)
    for i in range(3):
        test_islands = set(islands.loc[cv.test_set(i)])
        train_islands = set(islands.loc[cv.train_set(i)])
        assert len(test_islands) == 1
        assert not test_islands & train_islands
    tests = np.concatenate([cv.test_set(i) for i in range(3)])
    assert sorted(tests.tolist()) == sorted(task.row_ids.tolist())


def test_penguins_leave_one_island_out(penguins_by_island: Any) -> None:
    loo = mlr_resamplings.get("loo").instantiate(penguins_by_island)
    assert loo.iters == 3


def test_stratum_and_group_on_a_real_task_is_an_error(penguins_by_island: Any) -> None:
    penguins_by_island.col_roles["stratum"] = ["species"]
    with pytest.raises(ConfigError, match="cannot combine stratification and grouping"):
        mlr_resamplings.get("cv", folds=3).instantiate(penguins_by_island)


def test_custom_cv_from_a_task_column() -> None:
    mtcars = mlr_tasks.get("mtcars")
    ccv = mlr_resamplings.get("custom_cv").instantiate(mtcars, col="cyl")
    assert ccv.iters == 3
    cyl = mtcars.data(cols=["cyl"])["cyl"]
    for i in range(3):
        assert cyl.loc[ccv.test_set(i)].nunique() == 1
    assert sorted(np.concatenate([ccv.test_set(i) for i in range(3)]).tolist()) == sorted(
        mtcars.row_ids.tolist()
    )


def test_custom_on_iris() -> None:
    iris = mlr_tasks.get("iris")
    custom = mlr_resamplings.get("custom").instantiate(
        iris, train_sets=[range(0, 100)], test_sets=[range(100, 150)]
    )
    assert custom.train_set(0).tolist() == list(range(100))
    assert custom.test_set(0).tolist() == list(range(100, 150))
