"""Tuning callbacks: the stages of a run, the built-in callbacks of ``mlr_callbacks``
(measures, backup, one standard error rule), their errors, and callbacks travelling
with an AutoTuner to worker processes."""

from __future__ import annotations

import os
import pickle
from functools import partial
from typing import Any

import numpy as np
import pandas as pd
import pytest

from mlr3py import lrn, msr, plan, resample, rsmp, tsk
from mlr3py.errors import ConfigError, UnknownKeyError
from mlr3py.params import to_tune
from mlr3py.testing import ConformanceError, check_tuning_callback
from mlr3py.tuning import (
    STAGES,
    CallbackBatchTuning,
    ContextBatchTuning,
    auto_tuner,
    callback_batch_tuning,
    clbk,
    clbks,
    mlr_callbacks,
    one_se_choice,
    ti,
    tnr,
    tune,
    tune_nested,
)


@pytest.fixture
def task() -> Any:
    return tsk("penguins")


@pytest.fixture
def learner() -> Any:
    return lrn("classif.rpart", ccp_alpha=to_tune(1e-4, 0.2, logscale=True))


def _record(stage: str, callback: Any, context: ContextBatchTuning) -> None:
    callback.calls.append((stage, None if context.batch is None else context.batch.nr))
    callback.contexts[stage] = context


def _recorder() -> CallbackBatchTuning:
    """A callback recording every stage with the batch number it saw."""
    recorder = callback_batch_tuning("test.recorder",
                                     **{s: partial(_record, s) for s in STAGES})
    recorder.calls = []  # type: ignore[attr-defined]
    recorder.contexts = {}  # type: ignore[attr-defined]
    return recorder


def _batch_stages(nr: int) -> list[tuple[str, int | None]]:
    return [("on_optimizer_before_eval", None), ("on_eval_after_design", nr),
            ("on_eval_after_benchmark", nr), ("on_eval_before_archive", nr),
            ("on_optimizer_after_eval", nr)]


def _tune(task: Any, learner: Any, callbacks: Any, term_evals: int = 4, **kwargs: Any) -> Any:
    return tune(tnr("random_search", batch_size=2), task, learner, rsmp("cv", folds=2),
                "classif.ce", term_evals=term_evals, seed=1, callbacks=callbacks, **kwargs)


# ---- stages -------------------------------------------------------------------------------
def test_stages_come_in_order_over_two_batches(task, learner):
    recorder = _recorder()
    instance = _tune(task, learner, recorder)
    assert recorder.calls == [("on_optimization_begin", None), *_batch_stages(1),
                              *_batch_stages(2), ("on_tuning_result_begin", None),
                              ("on_result_end", None), ("on_optimization_end", None)]
    seen = recorder.contexts
    assert all(c.instance is instance for c in seen.values())
    assert len(seen["on_optimizer_before_eval"].xs) == 2
    assert len(seen["on_eval_after_benchmark"].benchmark_result.resample_results) == 2
    assert list(seen["on_eval_before_archive"].aggregated_performance.columns) == ["classif.ce"]
    assert seen["on_result_end"].result is instance.result


def test_stages_of_eval_batch_and_of_grid_search_match_the_stream(task, learner):
    recorder = _recorder()
    instance = ti(task, learner, rsmp("holdout"), "classif.ce", term_evals=4,
                  callbacks=[recorder])
    instance.eval_batch([{"ccp_alpha": -3.0}])
    assert recorder.calls == _batch_stages(1)
    grid = _recorder()
    tune(tnr("grid_search", resolution=2, batch_size=1), task, learner, rsmp("holdout"),
         "classif.ce", seed=1, callbacks=grid)
    assert grid.calls[1:-3] == [*_batch_stages(1), *_batch_stages(2)]


def test_a_stage_can_add_archive_columns_and_change_the_result(task, learner):
    def depth(callback: Any, context: ContextBatchTuning) -> None:
        context.aggregated_performance["two_ce"] = 2 * context.aggregated_performance[
            "classif.ce"]

    def worst(callback: Any, context: ContextBatchTuning) -> None:
        data = context.instance.archive.data
        row = data.loc[[data["classif.ce"].idxmax()]]
        context.result_xs, context.result_ys = row[["ccp_alpha"]], row[["classif.ce"]]

    cb = callback_batch_tuning("test.edit", on_eval_before_archive=depth,
                               on_tuning_result_begin=worst)
    instance = _tune(task, learner, cb)
    data = instance.archive.data
    np.testing.assert_allclose(data["two_ce"], 2 * data["classif.ce"])
    assert instance.result["classif.ce"].iloc[0] == data["classif.ce"].max()


# ---- built-ins ----------------------------------------------------------------------------
def test_measures_callback_scores_the_archived_resample_results(task, learner):
    instance = _tune(task, learner, clbk("mlr3tuning.measures",
                                         measures=[msr("classif.acc"), "classif.bacc"]))
    data = instance.archive.data
    for key in ("classif.acc", "classif.bacc"):
        by_hand = [rr.aggregate(msr(key))[key] for rr in data["resample_result"]]
        np.testing.assert_allclose(data[key].to_numpy(dtype=float), by_hand)
    assert instance.archive.cols_y == ["classif.ce"]  # the tuner does not see them
    assert "Callbacks: mlr3tuning.measures" in repr(instance)


def test_backup_file_holds_the_archive_after_each_batch(task, learner, tmp_path):
    path = tmp_path / "archive.pkl"
    read: list[pd.DataFrame] = []

    def reread(callback: Any, context: ContextBatchTuning) -> None:
        with open(path, "rb") as handle:
            read.append(pickle.load(handle).data)

    instance = _tune(task, learner, [clbk("mlr3tuning.backup", path=path),
                                     callback_batch_tuning("test.reread",
                                                           on_optimizer_after_eval=reread)])
    assert [len(d) for d in read] == [2, 4]
    cols = ["ccp_alpha", "classif.ce", "batch_nr"]
    pd.testing.assert_frame_equal(read[-1][cols], instance.archive.data[cols])
    assert not list(tmp_path.glob("*.part"))


def test_backup_writes_through_a_file_of_its_own(task, learner, tmp_path):
    # another writer's temporary file (an AutoTuner's in a parallel resampling) is left alone
    path = tmp_path / "archive.pkl"
    (tmp_path / "archive.pkl.part").mkdir()
    instance = _tune(task, learner, clbk("mlr3tuning.backup", path=path))
    with open(path, "rb") as handle:
        assert len(pickle.load(handle).data) == len(instance.archive.data)


@pytest.mark.subprocess
def test_backup_of_auto_tuners_resampled_in_worker_processes(task, learner, tmp_path):
    path = tmp_path / "archive.pkl"
    at = auto_tuner(tnr("random_search", batch_size=1), learner, rsmp("holdout"),
                    "classif.ce", term_evals=4, callbacks=clbk("mlr3tuning.backup", path=path))
    with plan("processes", workers=2):
        rr = resample(task, at, rsmp("cv", folds=4), store_models=True, seed=1)
    with open(path, "rb") as handle:
        assert len(pickle.load(handle).data) == 4
    assert len(rr.learners) == 4 and not list(tmp_path.glob("*.part"))


def test_one_se_rule_on_a_hand_checked_archive():
    scores = np.array([0.10, 0.12, 0.20, 0.11])
    # se = sd(scores) / 2 = 0.0229: rows 0, 1, 3 lie within (0.0771, 0.1229)
    assert one_se_choice(scores, np.array([5, 2, 1, 3]), best=0.10) == 1
    assert one_se_choice(scores, np.array([5, 4, 1, 4]), best=0.10) == 1  # first of a tie
    assert one_se_choice(np.full(3, 0.3), np.array([4, 2, 2]), best=0.3) == 1  # se = 0


def test_one_se_rule_picks_the_rule_s_row_of_the_archive(task, learner):
    instance = _tune(task, learner, clbk("mlr3tuning.one_se_rule"), term_evals=6)
    data = instance.archive.data
    chosen = data.iloc[one_se_choice(data["classif.ce"].to_numpy(),
                                     data["n_features"].to_numpy(),
                                     data["classif.ce"].min())]
    result = instance.result.iloc[0]
    assert result["ccp_alpha"] == chosen["ccp_alpha"]
    assert result["n_features"] == chosen["n_features"]
    assert result["classif.ce"] == chosen["classif.ce"]
    assert instance.store_models is False
    rr = data["resample_result"].iloc[0]
    assert rr.store_models is False  # the models were kept for counting only


def test_every_registered_callback_passes_the_conformance_checks(tmp_path):
    settings = {"mlr3tuning.backup": {"path": tmp_path / "backup.pkl"},
                "mlr3tuning.measures": {"measures": ["classif.acc"]}}
    assert {"mlr3tuning.backup", "mlr3tuning.measures", "mlr3tuning.one_se_rule"} <= set(
        mlr_callbacks.keys())
    for key in mlr_callbacks.keys():
        check_tuning_callback(clbk(key, **settings.get(key, {})))
    assert [c.id for c in clbks(["mlr3tuning.one_se_rule"])] == ["mlr3tuning.one_se_rule"]


def _fake_result(callback: Any, context: ContextBatchTuning) -> None:
    context.result_ys = context.result_ys + 0.5


def test_the_conformance_checks_catch_a_broken_callback():
    with pytest.raises(ConformanceError, match="check_tuning_callback_tune"):
        check_tuning_callback(callback_batch_tuning("test.fake",
                                                    on_tuning_result_begin=_fake_result))
    with pytest.raises(ConformanceError, match="check_tuning_callback_pickle"):
        check_tuning_callback(callback_batch_tuning("test.lambda",
                                                    on_result_end=lambda cb, ctx: None))


# ---- errors -------------------------------------------------------------------------------
def test_unknown_stage_not_callable_and_unknown_key_are_clear_errors(task, learner):
    with pytest.raises(UnknownKeyError, match="on_optimizer_after_eval"):
        callback_batch_tuning("x", on_optimizer_after_evals=print)
    with pytest.raises(ConfigError, match="must be a function"):
        callback_batch_tuning("x", on_result_end=3)
    with pytest.raises(UnknownKeyError, match="mlr3tuning.backup"):
        clbk("mlr3tuning.backups")
    with pytest.raises(ConfigError, match="tuning callbacks"):
        ti(task, learner, rsmp("holdout"), term_evals=1, callbacks=["mlr3tuning.backup"])
    with pytest.raises(ConfigError, match="required"):
        _tune(task, learner, clbk("mlr3tuning.backup"))
    with pytest.raises(ConfigError, match="selected_features"):
        _tune(task, lrn("classif.debug", x=to_tune(0, 1)), clbk("mlr3tuning.one_se_rule"))
    with pytest.raises(ConfigError, match="distinct ids"):
        _tune(task, learner, clbk("mlr3tuning.measures", measures="classif.ce"))
    with pytest.raises(ConfigError, match=r"'regr.mse' has task type 'regr' but Task '\w+'"):
        _tune(task, learner, clbk("mlr3tuning.measures", measures="regr.mse"))


def _drop_a_row(callback: Any, context: ContextBatchTuning) -> None:
    context.aggregated_performance = context.aggregated_performance.iloc[:1]


def _a_dict_result(callback: Any, context: ContextBatchTuning) -> None:
    context.result_xs = {"ccp_alpha": -3.0}


def test_a_stage_breaking_its_context_is_named(task, learner):
    cb = callback_batch_tuning("test.drop", on_eval_before_archive=_drop_a_row)
    with pytest.raises(ConfigError, match="Callback 'test.drop' left aggregated_performance "
                                          r"without one row per configuration \(2\)"):
        _tune(task, learner, [clbk("mlr3tuning.measures", measures="classif.acc"), cb])
    instance = ti(task, learner, rsmp("holdout"), "classif.ce", term_evals=2,
                  callbacks=callback_batch_tuning("test.dict",
                                                  on_tuning_result_begin=_a_dict_result))
    with pytest.raises(ConfigError, match="Callback 'test.dict' set result_xs to "
                                          r"\{'ccp_alpha': -3.0\}; it must be a DataFrame"):
        tnr("random_search", batch_size=2).optimize(instance)
    assert len(instance.archive.data) == 2  # the evaluations are kept


# ---- AutoTuner ----------------------------------------------------------------------------
def _count_batches(callback: Any, context: ContextBatchTuning) -> None:
    context.aggregated_performance["pid"] = os.getpid()


def _at(learner: Any) -> Any:
    callbacks = [clbk("mlr3tuning.measures", measures=["classif.acc"]),
                 callback_batch_tuning("test.pid", on_eval_before_archive=_count_batches)]
    return auto_tuner(tnr("random_search", batch_size=2), learner, rsmp("holdout"),
                      "classif.ce", term_evals=2, callbacks=callbacks)


def test_tune_nested_passes_the_callbacks_on(task, learner):
    rr = tune_nested(tnr("random_search", batch_size=2), task, learner, rsmp("holdout"),
                     rsmp("cv", folds=2), "classif.ce", term_evals=2, seed=1,
                     callbacks=clbk("mlr3tuning.measures", measures=["classif.acc"]))
    for at in rr.learners:
        assert at.archive.data["classif.acc"].notna().all()


@pytest.mark.subprocess
def test_auto_tuner_callbacks_travel_to_worker_processes(task, learner):
    at = _at(learner)
    with plan("processes", workers=2):
        rr = resample(task, at, rsmp("cv", folds=2), store_models=True, seed=1)
    with plan("sequential"):
        base = resample(task, _at(learner), rsmp("cv", folds=2), store_models=True, seed=1)
    for tuned, same in zip(rr.learners, base.learners, strict=True):
        data = tuned.archive.data
        assert data["classif.acc"].notna().all() and len(data) == 2
        assert os.getpid() not in set(data["pid"])
        np.testing.assert_allclose(data["classif.acc"], same.archive.data["classif.acc"])
    assert at.callbacks[0]._measures == []  # each training used its own copies


def test_callbacks_reach_the_root_namespace():
    import mlr3py

    assert mlr3py.clbk is clbk and mlr3py.mlr_callbacks is mlr_callbacks
