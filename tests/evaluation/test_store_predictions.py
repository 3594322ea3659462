"""resample(..., store_predictions=False): scores kept where the jobs run, no predictions."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from mlr3py import (
    as_parquet_backend,
    as_task_classif,
    as_task_regr,
    benchmark,
    benchmark_grid,
    lrn,
    msr,
    open_store,
    options,
    plan,
    resample,
    rsmp,
    tsk,
    tweak,
)
from mlr3py.errors import ConfigError, InputError

SCORED = ["classif.ce", "classif.bbrier", "classif.auc", "time_train"]


def _sonar_runs(**kwargs: Any) -> tuple[Any, Any]:
    task = tsk("sonar")
    learner = lrn("classif.rpart", predict_type="prob")
    kept = resample(task, learner, rsmp("cv", folds=3), seed=4, **kwargs)
    scored = resample(task, learner, rsmp("cv", folds=3), seed=4, store_predictions=False,
                      measures=SCORED, **kwargs)
    return kept, scored


def test_scores_equal_those_of_the_kept_predictions() -> None:
    kept, scored = _sonar_runs()
    measures = SCORED[:3]
    pd.testing.assert_frame_equal(scored.score(measures), kept.score(measures))
    pd.testing.assert_series_equal(scored.aggregate(measures), kept.aggregate(measures))
    assert [m.id for m in scored.kept_measures] == SCORED
    assert kept.kept_measures is None
    for result in scored.job_results:
        assert result.prediction is None and result.train_prediction is None
        assert result.scores is not None and sorted(result.scores) == sorted(SCORED)
    times = scored.score("time_train")["time_train"]
    assert (times > 0).all()


def test_measures_that_need_no_prediction_are_scored_from_the_states() -> None:
    _, scored = _sonar_runs()
    table = scored.score(["time_predict", "time_both"])
    assert (table["time_predict"] > 0).all()
    np.testing.assert_allclose(
        table["time_both"], scored.score("time_train")["time_train"] + table["time_predict"]
    )


def test_the_default_measure_is_the_task_types() -> None:
    rr = resample(tsk("mtcars"), lrn("regr.rpart"), rsmp("holdout"), seed=1,
                  store_predictions=False)
    assert [m.id for m in rr.kept_measures] == ["regr.mse"]
    want = resample(tsk("mtcars"), lrn("regr.rpart"), rsmp("holdout"), seed=1)
    assert rr.aggregate()["regr.mse"] == want.aggregate()["regr.mse"]


def test_training_set_measures_are_scored_on_the_training_predictions() -> None:
    task = tsk("sonar")
    learner = lrn("classif.rpart", predict_sets=["train", "test"])
    train_ce = msr("classif.ce", predict_sets="train", id="train_ce")
    measures = [train_ce, msr("classif.ce")]
    kept = resample(task, learner, rsmp("cv", folds=3), seed=2)
    scored = resample(task, learner, rsmp("cv", folds=3), seed=2, store_predictions=False,
                      measures=measures)
    pd.testing.assert_frame_equal(scored.score(measures), kept.score(measures))
    assert (scored.score(measures)["train_ce"] < scored.score(measures)["classif.ce"]).all()


def test_what_needs_the_predictions_raises_naming_the_kept_measures() -> None:
    _, scored = _sonar_runs()
    with pytest.raises(ConfigError, match=r"predictions of learner 'classif.rpart' were not "
                                          r"kept.*store_predictions=True"):
        scored.predictions()
    with pytest.raises(ConfigError, match=r"not kept"):
        scored.prediction()
    with pytest.raises(ConfigError, match=r"Measure 'classif.acc' is not among them"):
        scored.score("classif.acc")
    changed = msr("classif.ce")
    changed.average = "micro"
    with pytest.raises(ConfigError, match=r"Measure 'classif.ce' was kept with other settings"):
        scored.aggregate(changed)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"store_predictions": "no"}, r"'store_predictions' argument of resample\(\) must be "
                                      r"a bool. Got 'no'"),
        ({"measures": ["classif.ce"]}, r"takes 'measures' only with store_predictions=False"),
        ({"store_predictions": False, "measures": [msr("classif.ce"), msr("classif.ce")]},
         r"several measures have the id 'classif.ce'"),
        ({"store_predictions": False, "measures": msr("classif.ce", average="micro")},
         r"Measure 'classif.ce' has average='micro'.*average='macro'"),
        ({"store_predictions": False, "measures": msr("classif.ce", predict_sets="train")},
         r"needs the 'train' predictions"),
        ({"store_predictions": False, "measures": "regr.mse"}, r"regr.mse"),
    ],
)
def test_bad_arguments_raise_before_the_run(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        resample(tsk("sonar"), lrn("classif.rpart"), rsmp("holdout"), **kwargs)


def test_measures_are_kept_as_they_were_when_the_run_scored() -> None:
    measure = msr("classif.fbeta")
    rr = resample(tsk("german_credit"), lrn("classif.rpart"), rsmp("cv", folds=3), seed=1,
                  store_predictions=False, measures=[measure])
    scored = rr.score(measure)["classif.fbeta"].tolist()
    measure.param_set.values["beta"] = 3  # the caller's object changes, not the kept one
    with pytest.raises(ConfigError, match=r"'classif.fbeta' was kept with other settings"):
        rr.score(measure)
    assert rr.score(msr("classif.fbeta"))["classif.fbeta"].tolist() == scored


@pytest.mark.parametrize(
    ("task", "measures", "error", "message"),
    [
        ("iris", "classif.auc", ConfigError,
         r"Measure 'classif.auc' requires task properties \['twoclass'\], which task 'iris'"),
        ("sonar", [], ConfigError, r"needs at least one measure to keep"),
        ("weighted", msr("classif.fbeta"), InputError,
         r"Task 'weighted' has measure weights.*cannot use"),
    ],
)
def test_measures_that_would_fail_in_the_jobs_raise_before_the_run(
    task: str, measures: Any, error: type, message: str,
) -> None:
    if task == "weighted":
        frame = tsk("sonar").data()
        frame["w"] = 1.0
        the_task = as_task_classif(frame, target="Class", id="weighted")
        the_task.col_roles["weights_measure"] = ["w"]
    else:
        the_task = tsk(task)
    with pytest.raises(error, match=message):
        resample(the_task, lrn("classif.rpart", predict_type="prob"), rsmp("holdout"),
                 store_predictions=False, measures=measures)


def test_a_failed_training_scores_nan_for_measures_of_the_model() -> None:
    learner = lrn("classif.debug", error_train=1.0)
    learner.encapsulate("try", lrn("classif.featureless"))
    measures = ["classif.ce", "selected_features"]
    kept = resample(tsk("sonar"), learner, rsmp("cv", folds=2), seed=1)
    scored = resample(tsk("sonar"), learner, rsmp("cv", folds=2), seed=1,
                      store_predictions=False, measures=measures)
    table = scored.score(measures)
    assert table["classif.ce"].tolist() == kept.score("classif.ce")["classif.ce"].tolist()
    assert not np.isnan(table["classif.ce"]).any()
    assert np.isnan(table["selected_features"]).all()


@pytest.mark.slow
@pytest.mark.subprocess
def test_a_job_lost_with_its_worker_keeps_the_fallbacks_scores() -> None:
    learner = lrn("classif.debug", segfault_train=1.0)
    learner.encapsulate("try", lrn("classif.featureless"))
    with plan(tweak("processes", workers=2)):
        kept = resample(tsk("sonar"), learner, rsmp("cv", folds=2), seed=1)
        scored = resample(tsk("sonar"), learner, rsmp("cv", folds=2), seed=1,
                          store_predictions=False, measures=["classif.ce", "time_train"])
    want = kept.score(["classif.ce", "time_train"])
    got = scored.score(["classif.ce", "time_train"])
    assert not np.isnan(got["classif.ce"]).any()
    pd.testing.assert_frame_equal(got, want)
    assert all(r.prediction is None for r in scored.job_results)
    assert len(scored.errors) == 2


def test_a_failed_iteration_scores_nan_as_with_kept_predictions() -> None:
    learner = lrn("classif.debug", error_predict=1.0)
    kwargs = {"seed": 1, "encapsulate": "try"}
    kept = resample(tsk("sonar"), learner, rsmp("cv", folds=2), **kwargs)
    scored = resample(tsk("sonar"), learner, rsmp("cv", folds=2), store_predictions=False,
                      **kwargs)
    assert np.isnan(scored.score()["classif.ce"]).all()
    pd.testing.assert_frame_equal(scored.score(), kept.score())
    assert len(scored.errors) == len(kept.errors) == 2


def test_benchmark_keeps_scores_for_every_experiment() -> None:
    design = benchmark_grid([tsk("sonar"), tsk("german_credit")],
                            [lrn("classif.rpart"), lrn("classif.featureless")],
                            rsmp("cv", folds=3))
    kept = benchmark(design, seed=5)
    scored = benchmark(design, seed=5, store_predictions=False, measures="classif.ce")
    got, want = scored.aggregate("classif.ce"), kept.aggregate("classif.ce")
    assert got["classif.ce"].tolist() == want["classif.ce"].tolist()
    assert got["task_id"].tolist() == ["sonar", "sonar", "german_credit", "german_credit"]
    assert all(rr.kept_measures is not None for rr in scored.resample_results)


def test_a_store_keeps_the_scores_and_tells_them_apart(tmp_path: Path) -> None:
    task, learner = tsk("sonar"), lrn("classif.rpart")
    kwargs: dict[str, Any] = {"seed": 3, "store_predictions": False, "measures": "classif.ce"}
    first = resample(task, learner, rsmp("cv", folds=3), store=tmp_path / "s", **kwargs)
    again = resample(task, learner, rsmp("cv", folds=3), store=tmp_path / "s", **kwargs)
    read = open_store(tmp_path / "s").results()
    for other in (again, read):
        pd.testing.assert_frame_equal(other.score("classif.ce"), first.score("classif.ce"))
        assert other.job_results[0].prediction is None
    # the same design keeping predictions is another run: its jobs are not the scored ones
    kept = resample(task, learner, rsmp("cv", folds=3), seed=3, store=tmp_path / "k")
    assert len(kept.predictions()) == 3
    with pytest.raises(ConfigError, match=r"another|different|design|run"):
        resample(task, learner, rsmp("cv", folds=3), seed=3, store=tmp_path / "s")


@pytest.fixture
def regr_on_files(tmp_path: Path) -> Callable[[], Any]:
    pytest.importorskip("duckdb", reason="needs the sql extra (pip install 'mlr3py[sql]')")
    pytest.importorskip("pyarrow", reason="needs the sql extra (pip install 'mlr3py[sql]')")

    def make() -> Any:
        rng = np.random.default_rng(0)
        x = rng.normal(size=(3000, 4))
        frame = pd.DataFrame(x, columns=["a", "b", "c", "d"])
        frame["y"] = x @ np.array([1.0, -2.0, 0.5, 0.0]) + rng.normal(size=3000)
        path = tmp_path / "regr.parquet"
        frame.to_parquet(path)
        return as_task_regr(as_parquet_backend(path), target="y", id="files")

    return make


@pytest.mark.slow
@pytest.mark.subprocess
def test_processes_plan_scores_parts_and_whole_jobs_alike(
    regr_on_files: Callable[[], Any],
) -> None:
    task = regr_on_files()
    learner = lrn("regr.rpart", max_depth=4)
    resampling = rsmp("subsampling", ratio=0.3, repeats=3)
    measures = ["regr.mse", "regr.mae"]
    want = resample(task, learner, resampling, seed=6)
    options.predict_split_rows = 100  # three jobs on two workers: test sets in parts
    with plan(tweak("processes", workers=2)):
        split = resample(task, learner, resampling, seed=6, store_predictions=False,
                         measures=measures)
    options.predict_split_rows = None
    with plan(tweak("processes", workers=2)):
        whole = resample(task, learner, resampling, seed=6, store_predictions=False,
                         measures=measures)
    for got in (split, whole):
        np.testing.assert_allclose(got.score(measures)[measures], want.score(measures)[measures],
                                   rtol=1e-12)
        assert all(r.prediction is None for r in got.job_results)
