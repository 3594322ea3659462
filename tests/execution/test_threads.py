"""available_cores(), set_threads() and the thread limits of worker processes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from _helper_learners import LearnerClassifThreadInfo

from mlr3py.errors import ConfigError
from mlr3py.evaluation import resample
from mlr3py.execution import available_cores, plan, set_threads
from mlr3py.execution._threads import cgroup_cpu_quota, core_sources, learner_threads
from mlr3py.sugar import lrn, rsmp, tsk


def test_available_cores_is_the_smallest_source(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MLR3PY_AVAILABLE_CORES", raising=False)
    sources = core_sources()
    assert available_cores() == min(sources.values())
    if hasattr(os, "sched_getaffinity"):
        assert available_cores() <= len(os.sched_getaffinity(0))


def test_environment_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MLR3PY_AVAILABLE_CORES", "7")
    assert available_cores() == 7
    monkeypatch.setenv("MLR3PY_AVAILABLE_CORES", "zero")
    with pytest.raises(ConfigError, match="MLR3PY_AVAILABLE_CORES"):
        available_cores()


def test_cgroup_v2_quota(tmp_path: Path) -> None:
    (tmp_path / "cpu.max").write_text("150000 100000\n")
    assert cgroup_cpu_quota(tmp_path) == 1.5
    (tmp_path / "cpu.max").write_text("max 100000\n")
    assert cgroup_cpu_quota(tmp_path) is None


def test_cgroup_v1_quota(tmp_path: Path) -> None:
    (tmp_path / "cpu").mkdir()
    (tmp_path / "cpu" / "cpu.cfs_quota_us").write_text("300000")
    (tmp_path / "cpu" / "cpu.cfs_period_us").write_text("100000")
    assert cgroup_cpu_quota(tmp_path) == 3.0
    (tmp_path / "cpu" / "cpu.cfs_quota_us").write_text("-1")
    assert cgroup_cpu_quota(tmp_path) is None
    assert cgroup_cpu_quota(tmp_path / "absent") is None


def test_set_threads_on_learners_and_lists(monkeypatch: pytest.MonkeyPatch) -> None:
    ranger, debug, featureless = (lrn("classif.ranger"), lrn("classif.debug"),
                                  lrn("classif.featureless"))
    assert set_threads(ranger, 3) is ranger
    assert ranger.param_set.values["n_jobs"] == 3
    before = dict(featureless.param_set.values)
    set_threads([debug, featureless], 2)
    assert debug.param_set.values["threads"] == 2
    assert featureless.param_set.values == before  # no threads parameter: unchanged
    monkeypatch.setenv("MLR3PY_AVAILABLE_CORES", "5")
    set_threads(debug)
    assert debug.param_set.values["threads"] == 5
    set_threads(object(), 2)  # no parameter set at all: unchanged, no error
    with pytest.raises(ConfigError, match="must be an int >= 1"):
        set_threads(debug, 0)


def test_learner_threads() -> None:
    assert learner_threads(lrn("classif.ranger")) == 1
    assert learner_threads(lrn("classif.ranger", n_jobs=4)) == 4
    assert learner_threads(lrn("classif.featureless")) == 1
    assert learner_threads(None) == 1


def _thread_counts(learner: LearnerClassifThreadInfo) -> list[list[int]]:
    rr = resample(tsk("iris"), learner, rsmp("holdout"), store_models=True, seed=1)
    return [m.model["num_threads"] for m in rr.learners]


@pytest.mark.subprocess
@pytest.mark.parametrize("strategy", ["processes", "multicore"])
def test_workers_limit_blas_threads_unless_the_learner_asks(strategy: str) -> None:
    with plan(strategy, workers=2):
        assert _thread_counts(LearnerClassifThreadInfo()) == [[1]]
        asking = LearnerClassifThreadInfo()
        set_threads(asking, 2)
        assert _thread_counts(asking) == [[2]]
        # back to one thread for the next job in the same worker
        assert _thread_counts(LearnerClassifThreadInfo()) == [[1]]


@pytest.mark.subprocess
@pytest.mark.parametrize("strategy", ["processes", "multicore"])
def test_workers_open_duckdb_databases_with_one_thread(
    strategy: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MLR3PY_DB_THREADS", raising=False)
    with plan(strategy, workers=2):
        rr = resample(tsk("iris"), LearnerClassifThreadInfo(), rsmp("holdout"),
                      store_models=True, seed=1)
    assert [m.model["duckdb_threads"] for m in rr.learners] == ["1"]
    assert "MLR3PY_DB_THREADS" not in os.environ  # the main process keeps its default
