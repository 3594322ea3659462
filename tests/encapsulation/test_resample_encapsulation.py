"""Encapsulation in resample() and benchmark(): the book's comparison and encapsulate=."""

from __future__ import annotations

import numpy as np
import pytest

from mlr3py import benchmark, benchmark_grid, lrn, msr, resample, rsmp, tsk
from mlr3py.errors import ConfigError, LearnerTrainError


def test_book_comparison_debug_with_fallback_against_rpart() -> None:
    task = tsk("iris")
    debug = lrn("classif.debug", error_train=0.5)
    debug.encapsulate("evaluate", lrn("classif.featureless"))
    design = benchmark_grid(task, [debug, lrn("classif.rpart")], rsmp("cv", folds=20))
    bmr = benchmark(design, seed=1)
    table = bmr.aggregate(conditions=True)
    assert table.loc[table["learner_id"] == "classif.debug", "errors"].item() > 0
    assert table.loc[table["learner_id"] == "classif.rpart", "errors"].item() == 0
    scores = bmr.score(msr("classif.ce"))["classif.ce"].to_numpy()
    assert len(scores) == 40 and not np.isnan(scores).any()


def test_resample_errors_and_warnings_tables() -> None:
    learner = lrn("classif.debug", error_train=0.5, warning_predict=1)
    learner.encapsulate("evaluate", lrn("classif.featureless"))
    rr = resample(tsk("iris"), learner, rsmp("cv", folds=4), seed=2)
    assert list(rr.errors.columns) == ["iteration", "msg"]
    assert len(rr.errors) > 0
    assert set(rr.errors["msg"]) == {"Error from classif.debug->train()"}
    # iterations whose training failed predict with the fallback only: no learner warning
    assert len(rr.warnings) == 4 - len(rr.errors)


def test_resample_encapsulate_overrides_every_learner() -> None:
    learner = lrn("classif.debug", error_train=1)
    with pytest.raises(LearnerTrainError):
        resample(tsk("iris"), learner, rsmp("cv", folds=2), seed=1)
    rr = resample(tsk("iris"), learner, rsmp("cv", folds=2), seed=1, encapsulate="try")
    assert len(rr.errors) == 2
    assert learner.encapsulation["train"] == "none"  # the caller's learner is unchanged
    design = benchmark_grid(tsk("iris"), [learner, lrn("classif.featureless")],
                            rsmp("cv", folds=2))
    bmr = benchmark(design, seed=1, encapsulate="callr")
    assert bmr.aggregate(conditions=True)["errors"].tolist() == [2, 0]


def test_encapsulate_argument_is_validated() -> None:
    with pytest.raises(ConfigError, match="Got 'sandbox' instead"):
        resample(tsk("iris"), lrn("classif.featureless"), rsmp("cv", folds=2),
                 encapsulate="sandbox")


@pytest.mark.subprocess
def test_same_seed_same_results_in_process_and_in_process() -> None:
    learner = lrn("classif.debug", error_train=0.5)
    learner.encapsulate("evaluate", lrn("classif.featureless"))
    a = resample(tsk("iris"), learner, rsmp("cv", folds=4), seed=5)
    b = resample(tsk("iris"), learner, rsmp("cv", folds=4), seed=5, encapsulate="process")
    assert a.errors.equals(b.errors)
    np.testing.assert_array_equal(a.score(msr("classif.ce"))["classif.ce"],
                                  b.score(msr("classif.ce"))["classif.ce"])


def test_a_job_lost_with_its_worker_gets_the_fallback_predictions() -> None:
    from mlr3py.evaluation._failures import failed_job_result
    from mlr3py.evaluation._job import Job

    task = tsk("iris")
    resampling = rsmp("cv", folds=3).instantiate(task)
    learner = lrn("classif.debug")
    learner.fallback = lrn("classif.featureless")
    job = Job(task=task, learner=learner, resampling=resampling, iteration=1, seed=1)
    result = failed_job_result(job, "worker process died (signal SIGSEGV)")
    assert not result.prediction.response.isna().any()
    assert [(e.cls, e.msg) for e in result.log] == [
        ("error", "worker process died (signal SIGSEGV)"),
        ("message", "Imputed 50/50 predictions using fallback 'classif.featureless'"),
    ]
    job.learner = lrn("classif.debug")
    assert failed_job_result(job, "died").prediction.response.isna().all()
