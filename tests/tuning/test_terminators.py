"""The built-in terminators, checked on archives filled by hand."""

from __future__ import annotations

import datetime as dt
import time
import warnings

import pandas as pd
import pytest

from mlr3py import lrn, rsmp, tsk
from mlr3py.errors import ConfigError, UnknownKeyError
from mlr3py.params import p_dbl, p_int, ps, to_tune
from mlr3py.tuning import ArchiveTuning, Terminator, mlr_terminators, ti, tnr, trm, tune
from mlr3py.tuning.terminators import TerminatorCombo


class _Measure:
    def __init__(self, minimize: bool = True) -> None:
        self.id = "score"
        self.minimize = minimize


def archive_with(scores: list[float], batches: list[int], minimize: bool = True,
                 dims: int = 1) -> ArchiveTuning:
    space = ps(**{f"x{i}": p_dbl(0, 1) for i in range(dims)})
    archive = ArchiveTuning(space, [_Measure(minimize)])  # type: ignore[list-item]
    archive.add_rows([
        {"x0": 0.5, "score": s, "x_domain": {}, "runtime_learners": 0.0,
         "timestamp": pd.Timestamp.now(), "batch_nr": b, "warnings": 0, "errors": 0,
         "resample_result": None}
        for s, b in zip(scores, batches, strict=True)
    ])
    return archive


def test_registry_holds_all_builtins():
    assert set(mlr_terminators.keys()) == {"evals", "run_time", "clock_time", "perf_reached",
                                           "stagnation", "stagnation_batch", "combo", "none"}
    for key in mlr_terminators.keys():
        assert isinstance(trm(key), Terminator)
    with pytest.raises(UnknownKeyError, match="evals"):
        trm("eval")


def test_evals_counts_k_times_dimension():
    term = trm("evals", n_evals=3, k=2)
    assert not term.is_terminated(archive_with([1, 1, 1, 1, 1, 1, 1], [1] * 7, dims=3))
    assert term.is_terminated(archive_with([1] * 9, [1] * 9, dims=3))
    assert "9 evaluations" in term.reason(archive_with([1] * 9, [1] * 9, dims=3))


def test_evals_rejects_negative_budget():
    with pytest.raises(ConfigError, match="n_evals"):
        trm("evals", n_evals=-1)


def test_run_time_and_clock_time():
    archive = archive_with([1.0], [1])
    assert not trm("run_time", secs=100).is_terminated(archive)  # no start time yet
    archive.start_time = time.time() - 5
    assert trm("run_time", secs=1).is_terminated(archive)
    assert not trm("run_time", secs=100).is_terminated(archive)
    past = dt.datetime.now() - dt.timedelta(seconds=1)
    future = dt.datetime.now() + dt.timedelta(hours=1)
    assert trm("clock_time", stop_time=past).is_terminated(archive)
    assert not trm("clock_time", stop_time=future).is_terminated(archive)
    with pytest.raises(ConfigError, match="stop_time"):
        trm("clock_time", stop_time="tomorrow")


def test_perf_reached_minimize_and_maximize():
    assert trm("perf_reached", level=0.2).is_terminated(archive_with([0.5, 0.1], [1, 2]))
    assert not trm("perf_reached", level=0.05).is_terminated(archive_with([0.5, 0.1], [1, 2]))
    assert trm("perf_reached", level=0.9).is_terminated(
        archive_with([0.5, 0.95], [1, 2], minimize=False))
    assert not trm("perf_reached").is_terminated(archive_with([], []))


def test_perf_reached_ignores_failed_evaluations_quietly():
    nan = float("nan")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # numpy's all-NaN RuntimeWarning was raised here
        assert not trm("perf_reached", level=0.2).is_terminated(archive_with([nan, nan], [1, 2]))
        assert trm("perf_reached", level=0.2).is_terminated(archive_with([nan, 0.1], [1, 2]))


def test_stagnation():
    term = trm("stagnation", iters=2, threshold=0.0)
    assert not term.is_terminated(archive_with([0.5, 0.4], [1, 2]))  # too few evaluations
    assert term.is_terminated(archive_with([0.3, 0.4, 0.5], [1, 2, 3]))
    assert not term.is_terminated(archive_with([0.5, 0.4, 0.3], [1, 2, 3]))
    assert not trm("stagnation", iters=2, threshold=0.05).is_terminated(
        archive_with([0.5, 0.6, 0.3], [1, 2, 3]))
    assert trm("stagnation", iters=2, threshold=0.25).is_terminated(
        archive_with([0.5, 0.6, 0.3], [1, 2, 3]))


def test_stagnation_batch():
    term = trm("stagnation_batch", n=1)
    assert not term.is_terminated(archive_with([0.5, 0.4], [1, 1]))
    assert term.is_terminated(archive_with([0.3, 0.4, 0.5, 0.6], [1, 1, 2, 2]))
    assert not term.is_terminated(archive_with([0.3, 0.4, 0.2, 0.6], [1, 1, 2, 2]))


def test_combo_any_and_all():
    archive = archive_with([0.1] * 3, [1, 1, 1])
    fired, not_fired = trm("evals", n_evals=3), trm("evals", n_evals=10)
    assert TerminatorCombo([fired, not_fired]).is_terminated(archive)
    combo_all = trm("combo", terminators=[fired, not_fired], any=False)
    assert not combo_all.is_terminated(archive)
    reason = TerminatorCombo([fired, not_fired]).reason(archive)
    assert "budget of 3" in reason and "budget of 10" not in reason
    assert TerminatorCombo([trm("none"), trm("none")]).can_terminate is False
    assert TerminatorCombo([trm("none"), fired]).can_terminate is True
    assert trm("combo", terminators=[trm("none"), fired], any=False).can_terminate is False
    assert TerminatorCombo([fired, trm("perf_reached")]).properties == {"single-crit"}
    with pytest.raises(ConfigError, match=r"non-empty list of Terminator objects, e.g. "
                                          r"\[trm\('evals', n_evals=20\)\]. Got \[\] instead"):
        trm("combo", terminators=[])


def test_none_never_fires():
    assert not trm("none").is_terminated(archive_with([0.0] * 50, [1] * 50))
    assert trm("none").can_terminate is False


@pytest.fixture
def small():
    return tsk("penguins"), lrn("classif.rpart", max_depth=to_tune(1, 8))


def test_terminators_stop_a_tuning_run_between_batches(small):
    task, learner = small
    instance = tune(tnr("random_search", batch_size=3), task, learner, rsmp("holdout"),
                    "classif.ce", term_evals=4, seed=1)
    # checked between batches: the second batch starts at 3 < 4 evaluations and completes
    assert instance.archive.n_evals == 6
    instance = tune(tnr("random_search", batch_size=2), task, learner, rsmp("holdout"),
                    "classif.ce", terminator=trm("perf_reached", level=1.0), seed=1)
    assert instance.archive.n_evals == 2
    assert "perf_reached" in instance.archive.stop_reason
    instance = tune(tnr("random_search"), task, learner, rsmp("holdout"), "classif.ce",
                    term_time=0.0, seed=1)
    assert instance.archive.n_evals == 1
    assert "run_time" in instance.archive.stop_reason


def test_term_evals_and_term_time_combine(small):
    task, learner = small
    instance = ti(task, learner, rsmp("holdout"), term_evals=3, term_time=60)
    assert instance.terminator.id == "combo"
    instance = tune("random_search", task, learner, rsmp("holdout"), "classif.ce",
                    term_evals=2, term_time=600, seed=1)
    assert instance.archive.n_evals == 2
    assert "combo" in instance.archive.stop_reason and "evals" in instance.archive.stop_reason


def test_single_crit_terminator_refuses_multi_crit(small):
    task, learner = small
    with pytest.raises(ConfigError, match="multi-crit"):
        ti(task, learner, rsmp("holdout"), ["classif.ce", "classif.acc"],
           terminator=trm("perf_reached"))


def test_random_search_needs_a_terminator_that_can_fire(small):
    task, learner = small
    instance = ti(task, learner, rsmp("holdout"), "classif.ce")
    with pytest.raises(ConfigError, match="term_evals"):
        tnr("random_search").optimize(instance)
    instance = ti(task, learner, rsmp("holdout"), "classif.ce",
                  terminator=TerminatorCombo([trm("none")]))
    with pytest.raises(ConfigError, match="term_time"):
        tnr("random_search").optimize(instance)
    assert instance.archive.n_evals == 0
    # a grid is finite: no terminator is needed
    space = ps(max_depth=p_int(1, 3))
    instance = tune(tnr("grid_search", resolution=3, batch_size=2), task, lrn("classif.rpart"),
                    rsmp("holdout"), "classif.ce", search_space=space, seed=1)
    assert instance.archive.n_evals == 3


def test_terminated_error_is_an_mlr3py_error():
    from mlr3py.errors import Mlr3pyError, TerminatedError

    assert issubclass(TerminatedError, Mlr3pyError)


def test_bad_budget_arguments(small):
    task, learner = small
    with pytest.raises(ConfigError, match="n_evals"):
        ti(task, learner, rsmp("holdout"), term_evals=-3)
    with pytest.raises(ConfigError, match="secs"):
        ti(task, learner, rsmp("holdout"), term_time="soon")  # type: ignore[arg-type]
    assert ti(task, learner, rsmp("holdout"), term_time=2).terminator.param_set.get_values() == {
        "secs": 2.0}


def test_allows_says_whether_a_terminator_cannot_fire_before_the_running_evaluations_end():
    archive = archive_with([1.0] * 4, [1] * 4)
    evals = trm("evals", n_evals=10)
    assert evals.allows(archive, 5)  # 9 < 10: the next batch starts whatever the scores
    assert not evals.allows(archive, 6)  # 10 reach the budget: wait for the archive
    assert trm("none").allows(archive, 10**6)
    for key in ("run_time", "clock_time", "perf_reached", "stagnation", "stagnation_batch"):
        assert not trm(key).allows(archive, 0), key  # time or scores: they cannot tell
    tight = trm("evals", n_evals=5)
    assert trm("combo", terminators=[evals, trm("none")]).allows(archive, 5)
    assert not trm("combo", terminators=[evals, tight]).allows(archive, 5)  # any: all must
    assert trm("combo", terminators=[evals, tight], any=False).allows(archive, 5)  # all: one


def test_stagnation_fires_on_windows_without_a_score():
    nan = float("nan")
    term = trm("stagnation", iters=2)
    assert term.is_terminated(archive_with([nan, nan, nan], [1, 2, 3]))
    assert term.is_terminated(archive_with([0.3, nan, nan], [1, 2, 3]))
    assert not term.is_terminated(archive_with([nan, 0.4, nan], [1, 2, 3]))  # a first score
    assert not term.is_terminated(archive_with([0.5, nan, 0.4], [1, 2, 3]))
    batch = trm("stagnation_batch", n=1)
    assert batch.is_terminated(archive_with([nan, nan, nan, nan], [1, 1, 2, 2]))
    assert batch.is_terminated(archive_with([0.3, nan, nan, nan], [1, 1, 2, 2]))
    assert not batch.is_terminated(archive_with([nan, nan, 0.4, nan], [1, 1, 2, 2]))
    assert not trm("stagnation", iters=2).is_terminated(
        archive_with([nan, nan, 0.6], [1, 2, 3], minimize=False))


def test_stagnation_stops_a_run_whose_evaluations_all_fail():
    learner = lrn("classif.debug", error_train=1.0, x=to_tune(0.0, 1.0))
    learner.encapsulate("evaluate")
    terminator = trm("combo", terminators=[trm("stagnation", iters=2), trm("evals", n_evals=60)])
    instance = ti(tsk("iris"), learner, rsmp("holdout"), "classif.ce", terminator=terminator,
                  seed=1)
    tnr("random_search").optimize(instance)
    assert instance.archive.n_evals == 3
    assert instance.archive.data["classif.ce"].isna().all()
    assert "stagnation" in instance.archive.stop_reason
