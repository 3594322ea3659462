"""Tuning spaces (mlr3tuningspaces): ``lts()``, ``TuningSpace``, ``mlr_tuning_spaces``."""

from __future__ import annotations

import math
import pickle
import warnings

import pytest
from sklearn.datasets import load_diabetes

import mlr3py
from mlr3py import as_task_regr, lrn, msr, rsmp, tsk
from mlr3py.errors import ConfigError, UnknownKeyError
from mlr3py.learners import mlr_learners
from mlr3py.params import TuneToken, generate_design_random, to_tune
from mlr3py.tasks import TaskSupervised
from mlr3py.tuning import (
    AtLeast,
    TuningSpace,
    auto_tuner,
    lts,
    ltss,
    mlr_tuning_spaces,
    tnr,
    tune,
)

FAMILIES = ("glmnet", "kknn", "ranger", "rpart", "svm", "xgboost")
SLOW_FAMILIES = ("ranger", "xgboost")  # thousands of trees in some draws


def _expected_keys() -> list[str]:
    return sorted(
        f"{task_type}.{family}.{collection}"
        for family in FAMILIES for task_type in ("classif", "regr")
        for collection in ("default", "rbv2")
        if f"{task_type}.{family}" in mlr_learners
    )


def _space_params() -> list[object]:
    return [
        pytest.param(key, marks=pytest.mark.slow) if key.split(".")[1] in SLOW_FAMILIES
        else key
        for key in _expected_keys()
    ]


@pytest.fixture(scope="module")
def sonar() -> TaskSupervised:
    return tsk("sonar")


@pytest.fixture(scope="module")
def diabetes() -> TaskSupervised:
    # mtcars's 32 rows are fewer than the largest n_neighbors of the kknn spaces
    return as_task_regr(load_diabetes(as_frame=True).frame, target="target", id="diabetes")


def test_registry_holds_default_and_rbv2_spaces_per_learner() -> None:
    assert mlr_tuning_spaces.keys() == _expected_keys()
    assert lts() is mlr_tuning_spaces
    table = mlr_tuning_spaces.as_table()
    assert list(table.columns) == ["key", "label", "learner", "n_values"]
    row = table.set_index("key").loc["classif.ranger.rbv2"]
    assert row["learner"] == "classif.ranger"
    assert row["label"] == "Classification Ranger with RandomBot"
    assert row["n_values"] == 4


def test_space_is_a_record_of_key_learner_tokens_and_tags() -> None:
    space = lts("regr.rpart.default")
    assert isinstance(space, TuningSpace)
    assert (space.key, space.learner) == ("regr.rpart.default", "regr.rpart")
    assert space.tags == ("default", "regression")
    assert space.label == "Regression Rpart with Default"
    assert space.values == {
        "min_samples_split": to_tune(2, 128, logscale=True),
        "min_samples_leaf": to_tune(1, 64, logscale=True),
        "ccp_alpha": to_tune(1e-4, 0.1, logscale=True),
    }
    assert "ccp_alpha" in space.note
    assert "regr.rpart.default" in repr(space)
    table = space.as_table().set_index("id")
    assert table.loc["ccp_alpha", "lower"] == 1e-4
    assert bool(table.loc["min_samples_leaf", "logscale"])


def test_svm_kernel_levels_are_scikit_learn_names() -> None:
    assert lts("classif.svm.default").values["kernel"].levels == \
        ("poly", "rbf", "sigmoid", "linear")
    assert lts("regr.svm.rbv2").values["kernel"].levels == ("linear", "poly", "rbf")


@pytest.mark.parametrize("key", _space_params())
def test_space_applies_to_its_learner_and_trains_on_random_points(
    key: str, sonar: TaskSupervised, diabetes: TaskSupervised
) -> None:
    space = mlr_tuning_spaces.get(key)
    learner = space.get_learner()
    assert learner.id == space.learner
    search_space = learner.param_set.search_space()
    assert sorted(search_space.ids()) == sorted(space.values)
    task = sonar if key.startswith("classif.") else diabetes
    points = generate_design_random(search_space, 3, seed=7).transpose()
    assert len(points) == 3
    for point in points:
        assert set(point) == set(space.values)
        configured = space.get_learner()
        configured.param_set.set_values(**point)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # convergence warnings of short runs
            configured.train(task)
            prediction = configured.predict(task)
        assert len(prediction.row_ids) == task.nrow


def test_lts_of_a_learner_sets_its_default_tokens_in_place() -> None:
    learner = lrn("classif.rpart", max_depth=5)
    tuned = lts(learner)
    assert tuned is learner
    values = learner.param_set.values
    assert values["max_depth"] == 5
    for pid, token in lts("classif.rpart.default").values.items():
        assert values[pid] == token
    assert sorted(learner.param_set.search_space().ids()) == \
        ["ccp_alpha", "min_samples_leaf", "min_samples_split"]


def test_lts_finds_the_space_of_a_learner_with_another_id() -> None:
    learner = lts(lrn("regr.svm", id="my_svm"))
    assert sorted(learner.param_set.search_space().ids()) == ["C", "degree", "gamma", "kernel"]


def test_tokens_add_replace_and_drop_parameters() -> None:
    space = lts("classif.rpart.default", max_depth=to_tune(1, 10), ccp_alpha=None,
                min_samples_leaf=to_tune(1, 8))
    assert sorted(space.values) == ["max_depth", "min_samples_leaf", "min_samples_split"]
    assert space.values["min_samples_leaf"] == to_tune(1, 8)
    assert "ccp_alpha" in lts("classif.rpart.default").values  # the registry is untouched
    learner = lts(lrn("regr.kknn"), weights=None)
    assert sorted(learner.param_set.search_space().ids()) == ["n_neighbors", "p"]


def test_get_learner_passes_arguments_to_lrn() -> None:
    learner = lts("classif.rpart.rbv2").get_learner(id="tree", predict_type="prob",
                                                   splitter="random")
    assert (learner.id, learner.predict_type) == ("tree", "prob")
    assert learner.param_set.values["splitter"] == "random"
    assert isinstance(learner.param_set.values["max_depth"], TuneToken)


def test_search_space_samples_on_the_log_scale_within_the_bounds() -> None:
    search_space = lts("classif.svm.default").search_space()
    points = generate_design_random(search_space, 50, seed=3).transpose()
    costs = [point["C"] for point in points]
    assert all(1e-4 <= cost <= 1e4 for cost in costs)
    assert sum(cost < 1 for cost in costs) >= 10  # half the log range lies below 1
    assert {point["kernel"] for point in points} == {"poly", "rbf", "sigmoid", "linear"}
    splits = [p["min_samples_split"] for p in
              generate_design_random(lts("regr.rpart.default").search_space(), 30,
                                     seed=3).transpose()]
    assert all(isinstance(s, int) and 2 <= s <= 128 for s in splits)


def test_mtry_ratio_zero_gives_a_forest_of_one_feature(sonar: TaskSupervised) -> None:
    trafo = lts("classif.ranger.default").values["max_features"].domain.trafo  # type: ignore[union-attr]
    assert trafo == AtLeast(1e-9)
    assert trafo(0.0) == 1e-9 and trafo(0.5) == 0.5
    learner = lrn("classif.ranger", max_features=trafo(0.0), n_estimators=3)
    learner.train(sonar)
    assert all(tree.max_features_ == 1 for tree in learner.model.estimator.estimators_)


def test_tune_with_the_default_space_of_rpart() -> None:
    instance = tune(tnr("random_search"), tsk("sonar"), lts(lrn("classif.rpart")),
                    rsmp("holdout"), msr("classif.ce"), term_evals=3, seed=1)
    assert instance.archive.n_evals == 3
    best = instance.result_learner_param_vals
    assert 2 <= best["min_samples_split"] <= 128
    assert 1 <= best["min_samples_leaf"] <= 64
    assert 1e-4 <= best["ccp_alpha"] <= 0.1
    assert math.isfinite(instance.result_y["classif.ce"])


def test_auto_tuner_tunes_a_learner_with_a_space(sonar: TaskSupervised) -> None:
    at = auto_tuner(tnr("random_search"), lts(lrn("classif.kknn")), rsmp("holdout"),
                    msr("classif.ce"), term_evals=2)
    at.train(sonar)
    tuned = at.tuning_instance.result_learner_param_vals
    assert 1 <= tuned["n_neighbors"] <= 50
    assert tuned["weights"] in ("uniform", "distance")


def test_spaces_pickle_for_worker_processes() -> None:
    learner = lts("regr.ranger.rbv2").get_learner()
    copy = pickle.loads(pickle.dumps(learner))
    assert copy.param_set.values["max_features"] == learner.param_set.values["max_features"]
    assert copy.param_set.search_space().ids() == learner.param_set.search_space().ids()


def test_ltss_builds_several_spaces() -> None:
    spaces = ltss(["classif.rpart.default", "regr.glmnet.rbv2"])
    assert [s.key for s in spaces] == ["classif.rpart.default", "regr.glmnet.rbv2"]
    assert spaces[1].values["alpha"] == to_tune(1e-4, 1e3, logscale=True)


def test_top_level_exports() -> None:
    assert mlr3py.lts is lts
    assert mlr3py.mlr_tuning_spaces is mlr_tuning_spaces
    assert mlr3py.TuningSpace is TuningSpace


def test_unknown_key_suggests_close_keys() -> None:
    with pytest.raises(UnknownKeyError, match="Did you mean 'classif.rpart.default'"):
        lts("classif.rpart.defualt")


def test_learner_without_a_space_names_the_learner_and_the_spaces() -> None:
    with pytest.raises(ConfigError, match="classif.log_reg") as info:
        lts(lrn("classif.log_reg"))
    message = str(info.value)
    assert "classif.rpart.default" in message and "classif.svm.rbv2" in message
    assert "regr." not in message  # the spaces of the learner's task type


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(ConfigError, match="takes a key of mlr_tuning_spaces or a Learner"):
        lts(3)  # type: ignore[call-overload]
    with pytest.raises(ConfigError, match="takes no tokens"):
        lts(None, max_depth=to_tune(1, 3))  # type: ignore[call-overload]
    with pytest.raises(ConfigError, match="must be a to_tune\\(\\) token"):
        TuningSpace("my.space", "classif.rpart", {"max_depth": 3})  # type: ignore[dict-item]
    with pytest.raises(ConfigError, match="non-empty string"):
        TuningSpace("", "classif.rpart", {})
    with pytest.raises(ConfigError, match="max_depth"):  # a token the learner rejects
        lts("classif.rpart.default", max_depth=to_tune(-3, 2)).get_learner()
