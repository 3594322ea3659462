"""The built-in tuners: search-space checks, designs, seeds, plans, fallback, logging."""

from __future__ import annotations

import logging
from typing import Any

import pandas as pd
import pytest

from mlr3py import lrn, rsmp, tsk
from mlr3py.errors import ConfigError
from mlr3py.execution import plan
from mlr3py.params import generate_design_grid, p_dbl, p_fct, p_int, p_uty, ps, to_tune
from mlr3py.tuning import Tuner, mlr_tuners, ti, tnr, trm, tune


@pytest.fixture
def task():
    return tsk("penguins")


def test_registry_and_sugar():
    assert {"random_search", "grid_search", "design_points"} <= set(mlr_tuners.keys())
    tuner = tnr("random_search", batch_size=5)
    assert isinstance(tuner, Tuner)
    assert tuner.param_set.get_values()["batch_size"] == 5
    with pytest.raises(ConfigError, match="batch_size"):
        tnr("random_search", batch_size=0)
    with pytest.raises(ConfigError, match="random_search"):
        tnr("random_serch")


@pytest.mark.parametrize("key", ["random_search", "grid_search"])
def test_unbounded_parameter_is_named(task, key):
    space = ps(max_depth=p_int(1, None))
    instance = ti(task, lrn("classif.rpart"), rsmp("holdout"), "classif.ce", term_evals=2,
                  search_space=space)
    with pytest.raises(ConfigError, match="'max_depth'.*unbounded"):
        tnr(key, resolution=2).optimize(instance) if key == "grid_search" else \
            tnr(key).optimize(instance)


def test_untyped_parameter_is_named(task):
    space = ps(max_depth=p_uty())
    instance = ti(task, lrn("classif.rpart"), rsmp("holdout"), "classif.ce", term_evals=2,
                  search_space=space)
    with pytest.raises(ConfigError, match="'max_depth'.*ParamUty"):
        tnr("random_search").optimize(instance)


def test_grid_resolution_below_one_is_an_error(task):
    with pytest.raises(ConfigError, match="resolution"):
        tnr("grid_search", resolution=0)
    instance = ti(task, lrn("classif.rpart", max_depth=to_tune(1, 5)), rsmp("holdout"),
                  "classif.ce")
    with pytest.raises(ConfigError, match="resolution"):
        tnr("grid_search", param_resolutions={"max_depth": 0}).optimize(instance)
    assert instance.archive.n_evals == 0


def test_grid_search_is_the_shuffled_grid(task):
    space = ps(max_depth=p_int(1, 4), criterion=p_fct(["gini", "entropy"]))
    grid = generate_design_grid(space, resolution=4).data
    runs = []
    for seed in (1, 1, 2):
        instance = tune(tnr("grid_search", resolution=4, batch_size=3), task,
                        lrn("classif.rpart"), rsmp("holdout"), "classif.ce",
                        search_space=space, seed=seed)
        data = instance.archive.data
        assert len(data) == len(grid) == 8
        assert list(data["batch_nr"]) == [1, 1, 1, 2, 2, 2, 3, 3]
        assert set(map(tuple, data[["max_depth", "criterion"]].values.tolist())) == set(
            map(tuple, grid[["max_depth", "criterion"]].values.tolist()))
        runs.append(data[["max_depth", "criterion"]].values.tolist())
    assert runs[0] == runs[1]
    assert runs[0] != runs[2]


def test_grid_search_param_resolutions_and_terminator(task):
    space = ps(max_depth=p_int(1, 10), ccp_alpha=p_dbl(0, 0.1))
    instance = tune(tnr("grid_search", param_resolutions={"max_depth": 2, "ccp_alpha": 3}),
                    task, lrn("classif.rpart"), rsmp("holdout"), "classif.ce",
                    search_space=space, term_evals=4, seed=1)
    assert instance.archive.n_evals == 4


def test_design_points_in_order(task):
    design = pd.DataFrame({"max_depth": [3, 1, 2]})
    instance = tune(tnr("design_points", design=design, batch_size=2), task,
                    lrn("classif.rpart", max_depth=to_tune(1, 5)), rsmp("holdout"),
                    "classif.ce", seed=1)
    assert list(instance.archive.data["max_depth"]) == [3, 1, 2]
    assert list(instance.archive.data["batch_nr"]) == [1, 1, 2]
    bad = tnr("design_points", design=pd.DataFrame({"depth": [1]}))
    instance = ti(task, lrn("classif.rpart", max_depth=to_tune(1, 5)), rsmp("holdout"))
    with pytest.raises(ConfigError, match="depth"):
        bad.optimize(instance)
    with pytest.raises(ConfigError, match="no design"):
        tnr("design_points").optimize(instance)


def test_design_points_may_use_unbounded_parameters(task):
    space = ps(max_depth=p_int(1, None))
    instance = tune(tnr("design_points", design=pd.DataFrame({"max_depth": [2, 50]})), task,
                    lrn("classif.rpart"), rsmp("holdout"), "classif.ce", search_space=space,
                    seed=1)
    assert instance.archive.n_evals == 2


def test_random_search_respects_bounds_logscale_and_types(task):
    learner = lrn("classif.rpart", max_depth=to_tune(2, 4),
                  ccp_alpha=to_tune(1e-4, 1e-1, logscale=True),
                  criterion=to_tune(["gini", "entropy"]))
    instance = tune(tnr("random_search", batch_size=5), task, learner, rsmp("holdout"),
                    "classif.ce", term_evals=10, seed=4)
    for x in instance.archive.data["x_domain"]:
        assert isinstance(x["max_depth"], int) and 2 <= x["max_depth"] <= 4
        assert 1e-4 * (1 - 1e-9) <= x["ccp_alpha"] <= 0.1 * (1 + 1e-9)
        assert x["criterion"] in {"gini", "entropy"}


def _archive_scores(instance):
    return instance.archive.data[["max_depth", "classif.ce"]].reset_index(drop=True)


def test_same_seed_same_archive_under_threads(task):
    learner = lrn("classif.rpart", max_depth=to_tune(1, 8))
    args = (tnr("random_search", batch_size=4), task, learner, rsmp("cv", folds=3),
            "classif.ce")
    sequential = tune(*args, term_evals=8, seed=11)
    with plan("threads", workers=2):
        threaded = tune(*args, term_evals=8, seed=11)
    pd.testing.assert_frame_equal(_archive_scores(sequential), _archive_scores(threaded))
    assert sequential.result_x_domain == threaded.result_x_domain


@pytest.mark.subprocess
@pytest.mark.slow
def test_same_seed_same_archive_under_processes(task):
    learner = lrn("classif.rpart", max_depth=to_tune(1, 8), ccp_alpha=to_tune(0.0, 0.05))
    args = (tnr("random_search", batch_size=4), task, learner, rsmp("cv", folds=3),
            "classif.ce")
    sequential = tune(*args, term_evals=8, seed=5)
    with plan("processes", workers=2):
        parallel = tune(*args, term_evals=8, seed=5)
    cols = ["max_depth", "ccp_alpha", "classif.ce"]
    pd.testing.assert_frame_equal(sequential.archive.data[cols], parallel.archive.data[cols])


def test_failing_configurations_are_scored_through_the_fallback(task):
    learner = lrn("classif.debug", error_train=to_tune(0.0, 1.0))
    learner.encapsulate("try", lrn("classif.featureless"))
    instance = tune(tnr("design_points", design=pd.DataFrame({"error_train": [0.0, 1.0]}),
                        batch_size=2),
                    task, learner, rsmp("cv", folds=3), "classif.ce", seed=1)
    data = instance.archive.data
    assert list(data["errors"]) == [0, 3]
    assert data["classif.ce"].notna().all()
    # the failing configuration's score is the fallback's on the same folds
    from mlr3py import resample

    folds = instance.archive.resample_result(1).resampling
    featureless = resample(task, lrn("classif.featureless"), folds, seed=1)
    assert data["classif.ce"].iloc[1] == pytest.approx(
        featureless.aggregate("classif.ce")["classif.ce"])


def test_tuning_logger_reports_batches_and_result(task, caplog):
    caplog.set_level(logging.INFO, logger="mlr3py.tuning")
    tune(tnr("random_search", batch_size=2), task, lrn("classif.rpart", max_depth=to_tune(1, 4)),
         rsmp("holdout"), "classif.ce", term_evals=2, seed=1)
    messages = [r.getMessage() for r in caplog.records if r.name == "mlr3py.tuning"]
    assert any("batch 1" in m and "max_depth" in m and "classif.ce" in m for m in messages)
    assert any(m.startswith("Result:") and "learner_param_vals" in m for m in messages)


def test_tuner_without_multi_crit_refuses(task):
    class SingleOnly(Tuner):
        def __init__(self) -> None:
            super().__init__("single_only", properties=("single-crit",))

        def _optimize(self, instance):
            instance.eval_batch([{"max_depth": 2}])

    instance = ti(task, lrn("classif.rpart", max_depth=to_tune(1, 3)), rsmp("holdout"),
                  ["classif.ce", "classif.acc"], term_evals=1)
    with pytest.raises(ConfigError, match="multi-crit"):
        SingleOnly().optimize(instance)
    single = ti(task, lrn("classif.rpart", max_depth=to_tune(1, 3)), rsmp("holdout"),
                "classif.ce", term_evals=1)
    assert SingleOnly().optimize(single)["max_depth"].iloc[0] == 2


def test_unused_terminator_argument_check(task):
    with pytest.raises(ConfigError, match="Terminator"):
        ti(task, lrn("classif.rpart", max_depth=to_tune(1, 3)), rsmp("holdout"),
           terminator="evals")  # type: ignore[arg-type]
    assert trm("evals").param_set.get_values()["n_evals"] == 100


@pytest.mark.parametrize("make_tuner", [
    lambda: tnr("grid_search"),
    lambda: tnr("design_points", design=pd.DataFrame({"max_features": [None, "sqrt"]})),
])
def test_a_none_level_is_evaluated_not_dropped(make_tuner):
    tuner = make_tuner()
    learner = lrn("classif.ranger", n_estimators=5, max_features=to_tune([None, "sqrt"]))
    instance = tune(tuner, tsk("sonar"), learner, rsmp("holdout"), "classif.ce", seed=1)
    data = instance.archive.data
    row = data.loc[data["max_features"].isna()].iloc[0]
    assert row["max_features"] is None
    assert row["x_domain"] == {"max_features": None}
    assert row["resample_result"].learner.param_set.values["max_features"] is None


@pytest.mark.parametrize("make_token", [lambda: to_tune(1e-4, 0.1, logscale=True),
                                        lambda: to_tune(0.3, 0.9)])
def test_grid_search_reaches_the_upper_bound(make_token):
    learner = lrn("classif.rpart", ccp_alpha=make_token())
    instance = tune(tnr("grid_search", resolution=3), tsk("sonar"), learner, rsmp("holdout"),
                    "classif.ce", seed=1)
    assert instance.archive.n_evals == 3
    upper = instance.search_space.params["ccp_alpha"].upper
    assert upper in set(instance.archive.data["ccp_alpha"])


def _continued(make_tuner, split: bool):
    """8 evaluations of the reviewer's setup: in one optimize(), or 4 then 4 more."""
    learner = lrn("classif.rpart", max_depth=to_tune(1, 20),
                  ccp_alpha=to_tune(1e-4, 0.1, logscale=True))
    instance = ti(tsk("sonar"), learner, rsmp("holdout"), "classif.ce",
                  term_evals=4 if split else 8, seed=1)
    tuner = make_tuner()
    tuner.optimize(instance)
    if split:
        instance.terminator.param_set.set_values(n_evals=8)
        tuner.optimize(instance)
    return instance.archive.data


@pytest.mark.parametrize("make_tuner", [
    lambda: tnr("random_search", batch_size=2),
    lambda: tnr("grid_search", resolution=3, batch_size=2),
])
def test_a_second_optimize_continues_the_search(make_tuner):
    archive = _continued(make_tuner, split=True)
    points = list(zip(archive["max_depth"], archive["ccp_alpha"], strict=True))
    assert len(set(points)) == 8  # batches 3-4 do not repeat batches 1-2
    in_one_go = _continued(make_tuner, split=False)
    assert points == list(zip(in_one_go["max_depth"], in_one_go["ccp_alpha"], strict=True))
    assert archive["batch_nr"].tolist() == [1, 1, 2, 2, 3, 3, 4, 4]


def test_random_search_draws_the_same_points_whatever_the_batch_size():
    # one stream, drawn point after point: 20 batches of one and 4 batches of five
    # evaluate the same configurations for the same seed
    def points(batch_size: int) -> list[tuple[Any, ...]]:
        learner = lrn("classif.rpart", max_depth=to_tune(1, 20),
                      ccp_alpha=to_tune(1e-4, 0.1, logscale=True))
        data = tune(tnr("random_search", batch_size=batch_size), tsk("sonar"), learner,
                    rsmp("holdout"), "classif.ce", term_evals=20, seed=3).archive.data
        return list(zip(data["max_depth"], data["ccp_alpha"], strict=True))

    assert points(1) == points(5)
