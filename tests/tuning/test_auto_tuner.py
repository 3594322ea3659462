"""AutoTuner: a learner that tunes on its training data and refits; nested resampling."""

from __future__ import annotations

import pickle

import numpy as np
import pandas as pd
import pytest

import mlr3py
from mlr3py import benchmark, benchmark_grid, lrn, msr, resample, rsmp, tsk
from mlr3py.errors import ConfigError, InputError, NotTrainedError
from mlr3py.learners import Learner, LearnerClassif, LearnerRegr
from mlr3py.params import p_fct, p_int, ps, to_tune
from mlr3py.testing import check_learner
from mlr3py.tuning import (
    AutoTuner,
    AutoTunerClassif,
    AutoTunerRegr,
    TuningInstance,
    auto_tuner,
    extract_inner_tuning_archives,
    extract_inner_tuning_results,
    tnr,
    trm,
)


@pytest.fixture
def task():
    return tsk("penguins")


@pytest.fixture
def at() -> AutoTuner:
    learner = lrn("classif.rpart", min_samples_split=to_tune(2, 64))
    return auto_tuner(tnr("random_search", batch_size=2), learner, rsmp("holdout"),
                      msr("classif.ce"), term_evals=4)


def test_auto_tuner_is_a_learner_of_the_wrapped_type(at):
    assert isinstance(at, AutoTunerClassif) and isinstance(at, LearnerClassif)
    assert isinstance(at, AutoTuner) and isinstance(at, Learner)
    assert at.id == "classif.rpart.tuned"
    inner = lrn("classif.rpart")
    assert at.predict_types == inner.predict_types
    assert at.properties == inner.properties
    assert at.feature_types == inner.feature_types
    assert at.packages == inner.packages
    assert "min_samples_split" in repr(at)
    regr = auto_tuner(tnr("random_search"), lrn("regr.rpart", max_depth=to_tune(1, 4)),
                      rsmp("holdout"), term_evals=2)
    assert isinstance(regr, AutoTunerRegr) and isinstance(regr, LearnerRegr)
    assert regr.measure.id == "regr.mse"  # the task type's default


def test_train_tunes_on_training_rows_and_refits_the_best(at, task):
    rows = task.row_ids[:200]
    np.random.seed(1)  # noqa: NPY002 - the inner root seed comes from the global stream
    at.train(task, row_ids=rows)
    instance = at.tuning_instance
    assert isinstance(instance, TuningInstance)
    assert instance.task.nrow == 200  # the inner task holds the training rows only
    assert at.archive.n_evals == 4
    result = at.tuning_result
    assert list(result["min_samples_split"]) == [at.learner.param_set.values["min_samples_split"]]
    assert at.learner.state is not None and at.learner.state.n_train == 200
    assert at.learner.param_set.values == instance.result_learner_param_vals
    prediction = at.predict(task, row_ids=task.row_ids[200:])
    assert len(prediction) == task.nrow - 200
    expected = at.learner.predict(task, row_ids=task.row_ids[200:])
    assert list(prediction.response) == list(expected.response)
    # the archive keeps scores, not the inner resample results (store_benchmark_result=False)
    assert at.archive.data["resample_result"].isna().all()
    assert at.archive.data["classif.ce"].notna().all()
    with pytest.raises(ConfigError, match="store_benchmark_result=True"):
        at.archive.resample_result(0)
    with pytest.raises(ConfigError, match="store_benchmark_result=True"):
        _ = at.archive.benchmark_result


def test_store_benchmark_result_keeps_inner_resample_results(task):
    at = auto_tuner(tnr("random_search"), lrn("classif.rpart", max_depth=to_tune(1, 4)),
                    rsmp("holdout"), term_evals=2, store_benchmark_result=True)
    at.train(task)
    assert at.archive.benchmark_result.n_resample_results == 2


def test_explicit_search_space(task):
    at = auto_tuner(tnr("random_search"), lrn("classif.rpart"), rsmp("holdout"),
                    "classif.ce", term_evals=2, search_space=ps(max_depth=p_int(1, 3)))
    at.train(task)
    assert 1 <= at.learner.param_set.values["max_depth"] <= 3


def test_predict_type_prob_reaches_the_refit_learner(at, task):
    at.predict_type = "prob"
    at.train(task)
    assert at.learner.predict_type == "prob"
    prediction = at.predict(task)
    assert prediction.prob is not None
    assert np.allclose(prediction.prob.to_numpy().sum(axis=1), 1)
    at.predict_type = "response"
    assert at.learner.predict_type == "response"
    with pytest.raises(ConfigError, match="'se'"):
        at.predict_type = "se"


def test_clone_and_pickle(at, task):
    copy = at.clone()
    copy.learner.param_set.values["max_depth"] = 2
    assert "max_depth" not in at.learner.param_set.values
    at.train(task)
    expected = list(at.predict(task).response)
    for other in (at.clone(), pickle.loads(pickle.dumps(at))):
        assert isinstance(other, AutoTunerClassif)
        assert list(other.predict(task).response) == expected
        assert other.archive.n_evals == 4
    assert copy.state is None


@pytest.mark.slow
def test_conformance(at):
    # sanity: the inner holdout on the small generated tasks leaves little to learn from
    check_learner(at, exclude=("sanity",))


def test_accessors_before_training_and_without_instance(at, task):
    with pytest.raises(NotTrainedError, match="at.train"):
        _ = at.tuning_instance
    with pytest.raises(NotTrainedError):
        _ = at.archive
    assert isinstance(at.learner.param_set.values["min_samples_split"], type(to_tune(1, 2)))
    lean = auto_tuner(tnr("random_search"), lrn("classif.rpart", max_depth=to_tune(1, 4)),
                      rsmp("holdout"), term_evals=2, store_tuning_instance=False)
    lean.train(task)
    assert lean.learner.state is not None
    with pytest.raises(ConfigError, match="store_tuning_instance=True"):
        _ = lean.tuning_result


def test_encapsulation_and_fallback_of_the_auto_tuner(task):
    # every inner evaluation fails (the inner learner is not encapsulated): the tuning
    # raises, the AutoTuner's own encapsulation logs it and its fallback predicts
    learner = lrn("classif.debug", error_train=1.0, x=to_tune(0, 1))
    at = auto_tuner(tnr("random_search"), learner, rsmp("holdout"), term_evals=2)
    at.encapsulate("evaluate", lrn("classif.featureless"))
    at.train(task)
    assert "Error from classif.debug->train()" in at.errors["msg"].iloc[0]
    prediction = at.predict(task)
    assert not prediction.missing.any()
    rr = resample(task, at, rsmp("cv", folds=2), seed=1)
    assert len(rr.errors) == 2
    assert not np.isnan(rr.aggregate()["classif.ce"])


def test_inner_fallback_errors_are_counted_in_the_archive(task):
    learner = lrn("classif.debug", error_train=to_tune(0.5, 1))
    learner.encapsulate("evaluate", lrn("classif.rpart"))
    at = auto_tuner(tnr("random_search"), learner, rsmp("cv", folds=3), "classif.acc",
                    term_evals=3)
    np.random.seed(2)  # noqa: NPY002 - the inner root seed comes from the global stream
    at.train(task)
    assert at.archive.data["errors"].sum() > 0


def test_bad_input(task):
    learner = lrn("classif.rpart", max_depth=to_tune(1, 4))
    with pytest.raises(ConfigError, match="'random_search' proposes configurations without "
                                          "end, and Terminator 'none' can never fire"):
        auto_tuner(tnr("random_search"), learner, rsmp("holdout"))
    with pytest.raises(ConfigError, match="'terminator' argument of the AutoTuner must be"):
        AutoTuner(tnr("random_search"), learner, rsmp("holdout"), terminator="evals")
    with pytest.raises(ConfigError, match="must be a Tuner"):
        auto_tuner("random_search", learner, rsmp("holdout"), term_evals=2)
    with pytest.raises(ConfigError, match="search_space cannot be given"):
        auto_tuner(tnr("random_search"), learner, rsmp("holdout"), term_evals=2,
                   search_space=ps(max_depth=p_int(1, 3)))
    with pytest.raises(ConfigError, match="nothing to tune"):
        auto_tuner(tnr("random_search"), lrn("classif.rpart"), rsmp("holdout"), term_evals=2)
    with pytest.raises(ConfigError, match="regr.mse.*task type"):
        auto_tuner(tnr("random_search"), learner, rsmp("holdout"), "regr.mse", term_evals=2)
    with pytest.raises(ConfigError, match="one measure"):
        auto_tuner(tnr("random_search"), learner, rsmp("holdout"),
                   [msr("classif.ce"), msr("classif.acc")], term_evals=2)
    with pytest.raises(ConfigError, match="'store_tuning_instance'.*bool"):
        auto_tuner(tnr("random_search"), learner, rsmp("holdout"), term_evals=2,
                   store_tuning_instance="yes")
    inner = rsmp("holdout").instantiate(task, seed=1)
    at = auto_tuner(tnr("random_search"), learner, inner, term_evals=2)
    with pytest.raises(InputError, match="un-instantiated"):
        at.train(task, row_ids=task.row_ids[:100])


# -- nested resampling ------------------------------------------------------------------------
def test_nested_resampling_extracts_inner_results_and_archives(at, task):
    rr = resample(task, at, rsmp("cv", folds=3), store_models=True, seed=1)
    results = extract_inner_tuning_results(rr)
    assert list(results["iteration"]) == [0, 1, 2]
    for col in ("min_samples_split", "classif.ce", "learner_param_vals", "task_id",
                "learner_id", "resampling_id"):
        assert col in results.columns
    for i, learner in enumerate(rr.learners):
        assert learner.tuning_result["classif.ce"].iloc[0] == results["classif.ce"].iloc[i]
    archives = extract_inner_tuning_archives(rr)
    assert len(archives) == 3 * 4
    assert sorted(set(archives["iteration"])) == [0, 1, 2]
    assert "resample_result" not in archives.columns
    assert list(archives.groupby("iteration")["batch_nr"].max()) == [2, 2, 2]
    again = resample(task, at, rsmp("cv", folds=3), store_models=True, seed=1)
    pd.testing.assert_frame_equal(
        extract_inner_tuning_results(again).drop(columns=["x_domain", "learner_param_vals"]),
        results.drop(columns=["x_domain", "learner_param_vals"]),
    )


def test_extract_needs_stored_models_and_takes_benchmarks(at, task):
    rr = resample(task, at, rsmp("cv", folds=2), seed=1)
    with pytest.raises(ConfigError, match="store_models=True"):
        extract_inner_tuning_results(rr)
    with pytest.raises(ConfigError, match="ResampleResult or a BenchmarkResult"):
        extract_inner_tuning_archives(at)
    design = benchmark_grid(task, [lrn("classif.featureless"), at], rsmp("cv", folds=2))
    bmr = benchmark(design, store_models=True, seed=1)
    table = extract_inner_tuning_results(bmr)
    assert list(table["experiment"]) == [1, 1]
    assert list(table["iteration"]) == [0, 1]
    assert len(extract_inner_tuning_archives(bmr)) == 2 * 4


def test_root_exports():
    for name in ("auto_tuner", "AutoTuner", "extract_inner_tuning_results",
                 "extract_inner_tuning_archives"):
        assert name in mlr3py.__all__
        assert getattr(mlr3py, name) is not None
    assert trm("evals", n_evals=1) is not None


@pytest.mark.slow
@pytest.mark.subprocess
def test_process_encapsulation_survives_a_crash_inside_tuning(task):
    # the whole tuning runs in a child process: a segfault of an inner training is
    # logged as the AutoTuner's error and its fallback predicts
    learner = lrn("classif.debug", x=to_tune(0, 1), segfault_train=1.0)
    at = auto_tuner(tnr("random_search"), learner, rsmp("holdout"), term_evals=2)
    at.encapsulate("process", lrn("classif.featureless"))
    at.train(task)
    assert "SIGSEGV" in at.errors["msg"].iloc[0]
    assert not at.predict(task).missing.any()
    fine = auto_tuner(tnr("random_search"), lrn("classif.debug", x=to_tune(0, 1)),
                      rsmp("holdout"), term_evals=2)
    fine.encapsulate("process", lrn("classif.featureless"))
    fine.train(task)
    assert fine.errors.empty and fine.archive.n_evals == 2  # the model came back


def test_thread_plans_give_the_sequential_results(at, task):
    def outer_scores():
        rr = resample(task, at, rsmp("cv", folds=2), store_models=True, seed=3)
        return rr.score()["classif.ce"].tolist(), extract_inner_tuning_archives(rr)[
            ["iteration", "min_samples_split", "classif.ce"]]

    scores, archives = outer_scores()
    for levels in ([mlr3py.tweak("threads", workers=2)],
                   ["sequential", mlr3py.tweak("threads", workers=2)]):
        with mlr3py.plan(levels):
            other_scores, other_archives = outer_scores()
        assert other_scores == scores
        pd.testing.assert_frame_equal(other_archives, archives)


@pytest.mark.parametrize("make", [
    lambda: (tnr("grid_search", resolution=2), {"max_depth": to_tune(1, 5)}, 2),
    lambda: (tnr("hyperband", eta=2),
             {"n_estimators": to_tune(p_int(1, 2, tags="budget")), "max_depth": to_tune(1, 5)},
             5),
])
def test_tuners_that_end_by_themselves_need_no_terminator(task, make):
    tuner, tokens, n_evals = make()
    base = "classif.rpart" if "n_estimators" not in tokens else "classif.ranger"
    at = auto_tuner(tuner, lrn(base, **tokens), rsmp("holdout"), "classif.ce")
    assert at.terminator.id == "none"
    np.random.seed(1)  # noqa: NPY002 - the inner root seed comes from the global stream
    at.train(task)
    assert at.archive.n_evals == n_evals


def test_the_wrapped_learners_predict_type_is_the_auto_tuners() -> None:
    # as in mlr3tuning, the AutoTuner's predict type is read from the learner it wraps
    at = auto_tuner(tnr("random_search"), lrn("classif.rpart", max_depth=to_tune(1, 4)),
                    rsmp("holdout"), "classif.auc", term_evals=2)
    at.learner.predict_type = "prob"
    assert at.predict_type == "prob"
    rr = resample(tsk("sonar"), at, rsmp("cv", folds=2), store_models=True, seed=1)
    auc = rr.score(msr("classif.auc"))["classif.auc"]
    assert auc.notna().all()
    at.predict_type = "response"
    assert at.learner.predict_type == "response"


def test_model_queries_are_those_of_the_refit_learner(at: AutoTuner, task) -> None:
    with pytest.raises(NotTrainedError, match="selected features"):
        at.selected_features()
    at.train(task)
    refit = at.learner
    assert at.selected_features() == refit.selected_features()
    assert at.importance().equals(refit.importance())
    # a forest trained with out-of-bag predictions: its out-of-bag error
    forest = auto_tuner(tnr("random_search"), lrn("classif.ranger", n_estimators=20,
                                                  oob_score=True, max_depth=to_tune(1, 4)),
                        rsmp("holdout"), msr("classif.ce"), term_evals=2)
    forest.train(task)
    assert forest.oob_error() == forest.learner.oob_error()
    assert 0.0 <= forest.oob_error() < 0.5
    # properties the wrapped learner lacks are refused by name
    featureless = auto_tuner(tnr("random_search"), lrn("classif.featureless"),
                             rsmp("holdout"), msr("classif.ce"), term_evals=1,
                             search_space=ps(method=p_fct(["mode", "sample"])))
    with pytest.raises(ConfigError, match="oob_error"):
        featureless.oob_error()


def test_ti_with_a_terminator_in_the_place_of_term_evals_says_where_it_goes(task) -> None:
    learner = lrn("classif.rpart", max_depth=to_tune(1, 3))
    with pytest.raises(ConfigError, match="'term_evals' argument takes a number.*terminator="):
        mlr3py.tuning.ti(task, learner, rsmp("holdout"), msr("classif.ce"),
                         trm("evals", n_evals=2))
