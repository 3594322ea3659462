"""benchmark_grid(): the design of a benchmark."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mlr3py.errors import ConfigError
from mlr3py.evaluation import benchmark_grid
from mlr3py.learners import Learner
from mlr3py.resamplings import Resampling
from mlr3py.sugar import lrn, rsmp
from mlr3py.tasks import Task


def test_grid_is_cross_product_ordered_by_task_learner_resampling(
    sonar: Task, penguins: Task, featureless: Learner, rpart: Learner, cv3: Resampling
) -> None:
    holdout = rsmp("holdout")
    design = benchmark_grid([sonar, penguins], [featureless, rpart], [cv3, holdout], seed=1)
    assert isinstance(design, pd.DataFrame)
    assert list(design.columns) == ["task", "learner", "resampling"]
    assert len(design) == 8
    assert [t.id for t in design["task"]] == ["sonar"] * 4 + ["penguins"] * 4
    assert [lr.id for lr in design["learner"]] == [
        "classif.featureless", "classif.featureless", "classif.rpart", "classif.rpart",
    ] * 2
    assert [r.id for r in design["resampling"]] == ["cv", "holdout"] * 4


def test_grid_instantiates_clones_per_task_shared_across_learners(
    sonar: Task, penguins: Task, featureless: Learner, rpart: Learner, cv3: Resampling
) -> None:
    design = benchmark_grid([sonar, penguins], [featureless, rpart], cv3, seed=1)
    assert not cv3.is_instantiated
    resamplings = list(design["resampling"])
    assert all(r.is_instantiated for r in resamplings)
    assert resamplings[0] is resamplings[1]
    assert resamplings[2] is resamplings[3]
    assert resamplings[0] is not resamplings[2]
    assert resamplings[0].matches_task(sonar)
    assert resamplings[2].matches_task(penguins)


def test_grid_is_reproducible_with_seed(sonar: Task, rpart: Learner, cv3: Resampling) -> None:
    a = benchmark_grid(sonar, rpart, cv3, seed=4)["resampling"][0]
    b = benchmark_grid(sonar, rpart, cv3, seed=4)["resampling"][0]
    np.random.seed(8)  # noqa: NPY002
    c = benchmark_grid(sonar, rpart, cv3)["resampling"][0]
    np.random.seed(8)  # noqa: NPY002
    d = benchmark_grid(sonar, rpart, cv3)["resampling"][0]
    assert np.array_equal(a.test_set(0), b.test_set(0))
    assert np.array_equal(c.test_set(0), d.test_set(0))


def test_instantiated_resampling_needs_paired(
    sonar: Task, penguins: Task, rpart: Learner, cv3: Resampling
) -> None:
    cv3.instantiate(sonar)
    with pytest.raises(ConfigError, match="'cv' is already instantiated.*paired=True"):
        benchmark_grid([sonar, penguins], rpart, cv3)


def test_instantiated_resampling_allowed_when_tasks_share_rows(
    sonar: Task, rpart: Learner, cv3: Resampling
) -> None:
    cv3.instantiate(sonar, seed=2)
    other = sonar.clone()
    other.id = "sonar2"
    design = benchmark_grid([sonar, other], rpart, cv3)
    assert len(design) == 2
    assert np.array_equal(design["resampling"][1].test_set(0), cv3.test_set(0))


def test_paired_grid_matches_tasks_and_resamplings(
    sonar: Task, penguins: Task, featureless: Learner, rpart: Learner
) -> None:
    r1 = rsmp("cv", folds=3).instantiate(sonar)
    r2 = rsmp("holdout").instantiate(penguins)
    design = benchmark_grid([sonar, penguins], [featureless, rpart], [r1, r2], paired=True)
    assert len(design) == 4
    assert [(t.id, r.id) for t, r in zip(design["task"], design["resampling"], strict=True)] == [
        ("sonar", "cv"), ("sonar", "cv"), ("penguins", "holdout"), ("penguins", "holdout"),
    ]
    assert design["resampling"][0] is r1


def test_paired_grid_rejects_bad_pairs(
    sonar: Task, penguins: Task, rpart: Learner, cv3: Resampling
) -> None:
    with pytest.raises(ConfigError, match="2 tasks and 1 resamplings"):
        benchmark_grid([sonar, penguins], rpart, [cv3.clone().instantiate(sonar)], paired=True)
    with pytest.raises(ConfigError, match="'cv' for Task 'sonar' is not"):
        benchmark_grid(sonar, rpart, cv3, paired=True)
    with pytest.raises(ConfigError, match="other rows"):
        benchmark_grid(penguins, rpart, cv3.instantiate(sonar), paired=True)


def test_grid_bad_input_names_the_value(
    sonar: Task, mtcars: Task, rpart: Learner, cv3: Resampling
) -> None:
    with pytest.raises(ConfigError, match="'tasks'.*'iris'"):
        benchmark_grid(["iris"], rpart, cv3)
    with pytest.raises(ConfigError, match="'learners'.*3"):
        benchmark_grid(sonar, [3], cv3)
    with pytest.raises(ConfigError, match="'resamplings'.*None"):
        benchmark_grid(sonar, rpart, [None])
    with pytest.raises(ConfigError, match="Learner 'classif.rpart'.*Task 'mtcars'"):
        benchmark_grid([sonar, mtcars], rpart, cv3)
    with pytest.raises(ConfigError, match="'learners' argument is empty"):
        benchmark_grid(sonar, [], cv3)


def test_grid_of_mixed_task_types(sonar: Task, mtcars: Task, cv3: Resampling) -> None:
    design = pd.concat(
        [
            benchmark_grid(sonar, lrn("classif.rpart"), cv3, seed=1),
            benchmark_grid(mtcars, lrn("regr.rpart"), cv3, seed=1),
        ],
        ignore_index=True,
    )
    assert [t.task_type for t in design["task"]] == ["classif", "regr"]
