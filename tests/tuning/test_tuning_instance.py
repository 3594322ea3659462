"""TuningInstance, ArchiveTuning, tune() and ti()."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from mlr3py import lrn, msr, rsmp, tsk
from mlr3py.errors import ConfigError, TerminatedError
from mlr3py.params import p_dbl, p_fct, p_int, ps, to_tune
from mlr3py.tuning import ArchiveTuning, TuningInstance, ti, tnr, trm, tune


@pytest.fixture
def task():
    return tsk("penguins")


@pytest.fixture
def learner():
    return lrn("classif.rpart", max_depth=to_tune(1, 6))


def test_tune_random_search_fills_archive_and_result(task, learner):
    instance = tune(tnr("random_search", batch_size=2), task, learner, rsmp("cv", folds=3),
                    "classif.ce", term_evals=4, seed=1)
    archive = instance.archive
    assert isinstance(archive, ArchiveTuning)
    assert archive.n_evals == 4 and archive.n_batch == 2
    data = archive.data
    for col in ("max_depth", "x_domain", "classif.ce", "runtime_learners", "timestamp",
                "batch_nr", "warnings", "errors", "resample_result"):
        assert col in data.columns
    assert list(data["batch_nr"]) == [1, 1, 2, 2]
    assert (data["errors"] == 0).all()
    assert "evals" in archive.stop_reason
    best = archive.best()
    assert len(best) == 1
    assert best["classif.ce"].iloc[0] == data["classif.ce"].min()
    assert instance.result_x_domain == {"max_depth": int(best["max_depth"].iloc[0])}
    assert instance.result_learner_param_vals["max_depth"] == instance.result_x_domain["max_depth"]
    assert instance.result_y["classif.ce"] == pytest.approx(data["classif.ce"].min())
    # each row's score is the aggregate of its resample result
    rr = archive.resample_result(0)
    assert rr.aggregate("classif.ce")["classif.ce"] == pytest.approx(data["classif.ce"].iloc[0])
    assert len(archive.benchmark_result.resample_results) == 4


def test_each_configuration_gets_a_learner_of_its_own_without_tuning_tokens(task):
    learner = lrn("classif.rpart", max_depth=to_tune(1, 6), min_samples_split=to_tune(2, 9),
                  random_state=3)
    instance = ti(task, learner, rsmp("holdout"), "classif.ce", term_evals=4, seed=1)
    instance.eval_batch([{"max_depth": 2, "min_samples_split": 3},
                         {"max_depth": 5, "min_samples_split": 8}])
    configured = [instance.archive.resample_result(i).learner.param_set.get_values()
                  for i in range(2)]
    assert configured[0] == {"max_depth": 2, "min_samples_split": 3, "random_state": 3}
    assert configured[1] == {"max_depth": 5, "min_samples_split": 8, "random_state": 3}
    assert instance.configure_learner({"max_depth": 4}).param_set.get_values() == {
        "max_depth": 4, "random_state": 3}
    # the instance's learner keeps its tokens
    assert set(instance.learner.param_set.tune_tokens()) == {"max_depth", "min_samples_split"}


def test_all_configurations_see_the_same_folds(task, learner):
    instance = tune("random_search", task, learner, rsmp("cv", folds=3), "classif.ce",
                    term_evals=3, seed=2)
    sets = [tuple(instance.archive.resample_result(i).resampling.test_set(0))
            for i in range(3)]
    assert len(set(sets)) == 1


def test_same_seed_same_archive(task, learner):
    def run():
        return tune(tnr("random_search", batch_size=2), task, learner, rsmp("cv", folds=3),
                    "classif.ce", term_evals=4, seed=7).archive.data
    a, b = run(), run()
    pd.testing.assert_frame_equal(a[["max_depth", "classif.ce"]], b[["max_depth", "classif.ce"]])


def test_eval_batch_returns_rows_and_raises_when_terminated(task, learner):
    instance = ti(task, learner, rsmp("holdout"), "classif.ce", term_evals=2, seed=1)
    rows = instance.eval_batch([{"max_depth": 1}, {"max_depth": 3}])
    assert list(rows["max_depth"]) == [1, 3]
    assert rows["classif.ce"].notna().all()
    assert instance.is_terminated
    with pytest.raises(TerminatedError):
        instance.eval_batch(pd.DataFrame({"max_depth": [2]}))
    assert instance.archive.n_evals == 2
    assert "2 evaluations" in instance.archive.stop_reason


def test_eval_batch_rejects_points_outside_the_space(task, learner):
    instance = ti(task, learner, rsmp("holdout"), "classif.ce", term_evals=2)
    with pytest.raises(ConfigError, match="max_depth"):
        instance.eval_batch([{"max_depth": 99}])


def test_explicit_search_space_with_trafo(task):
    space = ps(ccp_alpha=p_dbl(-4, -1, trafo=lambda x: 10 ** x))
    instance = tune(tnr("grid_search", resolution=3, batch_size=3), task,
                    lrn("classif.rpart"), rsmp("holdout"), "classif.ce", search_space=space,
                    seed=1)
    assert instance.archive.n_evals == 3
    domains = sorted(d["ccp_alpha"] for d in instance.archive.data["x_domain"])
    assert domains == pytest.approx([1e-4, 10 ** -2.5, 0.1])
    assert instance.result_learner_param_vals["ccp_alpha"] == pytest.approx(
        10 ** instance.result_x_search_space["ccp_alpha"])
    assert "whole design" in instance.archive.stop_reason


def test_trafo_rejected_by_learner_names_configuration_and_batch(task):
    space = ps(max_depth=p_int(1, 3))
    space.trafo = lambda x, param_set: {"max_depth": -x["max_depth"]} if x["max_depth"] == 3 \
        else x
    tuner = tnr("design_points", design=pd.DataFrame({"max_depth": [1, 2, 3]}), batch_size=1)
    instance = ti(task, lrn("classif.rpart"), rsmp("holdout"), "classif.ce",
                  search_space=space, seed=1)
    with pytest.raises(ConfigError, match=r"batch 3.*max_depth=3"):
        tuner.optimize(instance)
    assert instance.archive.n_evals == 2
    # the instance stays usable
    instance.eval_batch([{"max_depth": 2}])
    assert instance.archive.n_evals == 3


def test_trafo_that_raises_names_configuration_and_batch(task):
    space = ps(max_depth=p_int(1, 3, trafo=lambda v: v if v < 3 else v / 0))
    tuner = tnr("design_points", design=pd.DataFrame({"max_depth": [1, 3]}), batch_size=1)
    instance = ti(task, lrn("classif.rpart"), rsmp("holdout"), "classif.ce",
                  search_space=space, seed=1)
    with pytest.raises(ConfigError, match=r"trafo .* configuration 1 of batch 2 \{max_depth=3\}"
                                          r": ZeroDivisionError"):
        tuner.optimize(instance)
    assert instance.archive.n_evals == 1  # the evaluation already done stays


def test_measure_that_does_not_fit_the_task_fails_before_running(task, learner):
    with pytest.raises(ConfigError, match="regr.mse"):
        ti(task, learner, rsmp("holdout"), "regr.mse", term_evals=2)
    with pytest.raises(ConfigError, match="classif.auc"):
        ti(tsk("sonar"), learner, rsmp("holdout"), "classif.auc", term_evals=2)
    with pytest.raises(ConfigError, match="twoclass"):
        ti(task, lrn("classif.rpart", predict_type="prob", max_depth=to_tune(1, 3)),
           rsmp("holdout"), "classif.auc", term_evals=2)


def test_a_probability_learner_is_tuned_on_a_response_measure(task):
    # a probability prediction carries a response too (mlr3's learner_predict_types)
    instance = tune(tnr("grid_search", resolution=2), task,
                    lrn("classif.rpart", predict_type="prob", max_depth=to_tune(1, 3)),
                    rsmp("holdout"), "classif.ce", seed=1)
    assert instance.archive.n_evals == 2
    assert instance.archive.data["classif.ce"].between(0, 1).all()
    assert instance.archive.resample_result(0).prediction().predict_types == ["response", "prob"]


def test_nothing_to_tune_and_both_spaces_are_errors(task, learner):
    with pytest.raises(ConfigError, match="nothing to tune") as err:
        ti(task, lrn("classif.rpart"), rsmp("holdout"), term_evals=1)
    # the hint sets one of this learner's own parameters
    hinted = re.search(r"values\['(\w+)'\] = to_tune", str(err.value))
    assert hinted is not None and hinted.group(1) in lrn("classif.rpart").param_set.params
    with pytest.raises(ConfigError, match="Use one of the two"):
        ti(task, learner, rsmp("holdout"), term_evals=1, search_space=ps(x=p_dbl(0, 1)))
    with pytest.raises(ConfigError, match="not both"):
        ti(task, learner, rsmp("holdout"), term_evals=1, terminator=trm("none"))


def test_multi_measure_gives_pareto_front(task, learner):
    instance = tune(tnr("grid_search", resolution=6, batch_size=6), task, learner,
                    rsmp("holdout"), [msr("classif.ce"), msr("time_train")], seed=3)
    data = instance.archive.data
    front = instance.archive.best()
    costs = data[["classif.ce", "time_train"]].to_numpy()
    for _, row in front.iterrows():
        point = row[["classif.ce", "time_train"]].to_numpy(dtype=float)
        dominated = np.any(np.all(costs <= point, axis=1) & np.any(costs < point, axis=1))
        assert not dominated
    assert len(instance.result) == len(front)
    assert {"learner_param_vals", "x_domain", "classif.ce", "time_train"} <= set(
        instance.result.columns)


def test_instance_is_a_tuning_instance(task, learner):
    instance = ti(task, learner, rsmp("holdout"), term_evals=1)
    assert isinstance(instance, TuningInstance)
    assert instance.measures[0].id == "classif.ce"
    assert instance.resampling.is_instantiated
    assert "TuningInstance" in repr(instance)


def test_search_space_parameter_the_learner_lacks(task):
    with pytest.raises(ConfigError, match="'depth'.*Did you mean 'max_depth'"):
        ti(task, lrn("classif.rpart"), rsmp("holdout"), search_space=ps(depth=p_int(1, 3)))


def test_book_batches_overshoot_term_evals(task, learner):
    # random search in batches of 12 with term_evals=20 ends after 24 evaluations
    instance = tune(tnr("random_search", batch_size=12), task, learner, rsmp("holdout"),
                    "classif.ce", term_evals=20, seed=1)
    assert instance.archive.n_evals == 24
    assert instance.archive.n_batch == 2


def test_dependent_parameters_are_inactive_where_their_condition_fails(task):
    learner = lrn("classif.rpart")
    space = ps(criterion=p_fct(["gini", "entropy"]),
               max_depth=p_int(1, 5, depends=("criterion", "gini")))
    instance = tune(tnr("random_search", batch_size=8), task, learner, rsmp("holdout"),
                    "classif.ce", term_evals=8, search_space=space, seed=3)
    data = instance.archive.data
    assert set(data["criterion"]) == {"gini", "entropy"}
    for _, row in data.iterrows():
        if row["criterion"] == "entropy":
            assert pd.isna(row["max_depth"]) and "max_depth" not in row["x_domain"]
        else:
            assert row["x_domain"]["max_depth"] == row["max_depth"]


def test_store_models_keeps_the_models(task, learner):
    instance = tune("random_search", task, learner, rsmp("holdout"), term_evals=1, seed=1,
                    store_models=True)
    assert instance.archive.resample_result(0).learners[0].model is not None
    plain = tune("random_search", task, learner, rsmp("holdout"), term_evals=1, seed=1)
    with pytest.raises(ConfigError, match="store_models"):
        plain.archive.resample_result(0).learners  # noqa: B018


def test_result_before_tuning_is_an_error(task, learner):
    instance = ti(task, learner, rsmp("holdout"), term_evals=1)
    with pytest.raises(ConfigError, match="no result yet"):
        instance.result_x_domain  # noqa: B018
    with pytest.raises(ConfigError, match="evaluations"):
        instance.archive.resample_result(0)


def test_sugar_is_exported_from_the_package_root():
    import mlr3py
    from mlr3py import tuning

    for name in ("tune", "ti", "tnr", "tnrs", "trm"):
        assert getattr(mlr3py, name) is getattr(tuning, name)
    for name in ("TuningInstance", "ArchiveTuning", "Tuner", "Terminator", "mlr_tuners",
                 "mlr_terminators"):
        assert getattr(mlr3py, name) is getattr(tuning, name)
    assert "tune" in mlr3py.__all__


def test_measure_without_direction_and_terminator_without_settings(task, learner):
    with pytest.raises(ConfigError, match="regr.bias.*no direction"):
        ti(tsk("mtcars"), lrn("regr.rpart", max_depth=to_tune(1, 3)), rsmp("holdout"),
           "regr.bias", term_evals=1)
    with pytest.raises(ConfigError, match="stop_time"):
        ti(task, learner, rsmp("holdout"), terminator=trm("clock_time"))


def test_archive_grows_by_batches_without_rebuilding_earlier_rows(task, learner):
    instance = ti(task, learner, rsmp("holdout"), term_evals=6, seed=1)
    first = instance.eval_batch([{"max_depth": 1}, {"max_depth": 2}])
    data_after_one = instance.archive.data
    second = instance.eval_batch([{"max_depth": 3}])
    data = instance.archive.data
    assert list(first["max_depth"]) == [1, 2] and list(second["max_depth"]) == [3]
    assert list(data["max_depth"]) == [1, 2, 3] and list(data["batch_nr"]) == [1, 1, 2]
    assert list(data.index) == [0, 1, 2] and data["errors"].dtype == "int64"
    # the frame returned for a batch is the caller's: changing it leaves the archive as it was
    second.loc[0, "max_depth"] = 99
    assert list(instance.archive.data["max_depth"]) == [1, 2, 3]
    pd.testing.assert_frame_equal(data.iloc[:2], data_after_one)
    assert instance.archive.n_batch == 2
    instance.archive.clear_resample_results()
    assert instance.archive.data["resample_result"].isna().all()
    assert list(instance.archive.data["max_depth"]) == [1, 2, 3]


def test_eval_batches_takes_an_iterable_of_batches(task, learner):
    instance = ti(task, learner, rsmp("holdout"), "classif.ce", term_evals=4, seed=1)
    with pytest.raises(ConfigError, match="iterable of batches.*max_depth"):
        instance.eval_batches(pd.DataFrame({"max_depth": [1, 2]}))  # one batch, not many
    with pytest.raises(ConfigError, match="iterable of batches.*Got 3"):
        instance.eval_batches(3)
    instance.eval_batches(iter([[{"max_depth": 1}], [{"max_depth": 2}, {"max_depth": 3}]]))
    assert list(instance.archive.data["batch_nr"]) == [1, 2, 2]


@pytest.mark.parametrize(("space", "match"), [
    (lambda: ps(max_depth=p_int(0, 2)),
     r"gives the 'max_depth' parameter of Learner 'classif.rpart' the bounds \[0, 2\], which "
     r"are outside the parameter's own bounds \[1, inf\]"),
    (lambda: ps(criterion=p_fct(["gini", "foo"])), r"'criterion'.*the level 'foo', which it "
                                                    r"rejects: it must be one of"),
    (lambda: ps(ccp_alpha=p_dbl(-1, 0.1)), r"'ccp_alpha'.*\[-1, 0.1\].*\[0, inf\]"),
    (lambda: ps(max_depth=p_dbl(1, 3)), r"'max_depth'.*rejects the bound 1.0: it must be an int"),
])
def test_explicit_search_space_is_checked_against_the_learner_up_front(task, space, match):
    with pytest.raises(ConfigError, match=match):
        ti(task, lrn("classif.rpart"), rsmp("holdout"), term_evals=6, search_space=space())


def test_explicit_search_space_checks_what_reaches_the_learner(task):
    # logscale: the bounds on the original scale are checked
    ti(task, lrn("classif.rpart"), rsmp("holdout"), term_evals=1,
       search_space=ps(ccp_alpha=p_dbl(1e-4, 0.1, logscale=True)))
    with pytest.raises(ConfigError, match=r"'max_depth'.*\[0, 8\] \(after the logscale trafo\)"):
        ti(task, lrn("classif.rpart"), rsmp("holdout"), term_evals=1,
           search_space=ps(max_depth=p_int(0, 8, logscale=True)))
    # another trafo: its values are unknown until the run, so nothing is refused up front
    ti(task, lrn("classif.rpart"), rsmp("holdout"), term_evals=1,
       search_space=ps(max_depth=p_int(0, 2, trafo=lambda x: x + 1)))
