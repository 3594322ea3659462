"""Worker deaths under the "dask" plan: the lost job is recorded as an error, the rest runs.

A dedicated ``LocalCluster`` (the nanny restarts killed workers, which would disturb
the shared ``dask_client`` fixture) with ``distributed.scheduler.allowed-failures``
set to 0, so that the scheduler raises ``KilledWorker`` on the first death instead
of retrying the task on other workers.
"""

from __future__ import annotations

import functools
import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from _dask_helpers import crashing_and_healthy_design, local_dask_client
from _helper_learners import sleep_and_record

from mlr3py.evaluation import benchmark, benchmark_grid
from mlr3py.execution import plan, tweak
from mlr3py.options import options
from mlr3py.sugar import lrn, msr, rsmp, tsk

pytestmark = pytest.mark.skipif(os.name != "posix", reason="needs POSIX signals")

DIED = "worker process died (unknown cause)"


@pytest.fixture(scope="module")
def crash_client() -> Iterator[Any]:
    """Two worker processes of a cluster of its own; KilledWorker on the first death."""
    dask = pytest.importorskip("dask")
    pytest.importorskip("distributed")
    # lost-worker-timeout: a LocalCluster closes for good a worker caught between two
    # restarts that long after one of its deaths (what the README tells users to set
    # for their own clusters; the plan's own local clusters keep such workers anyway)
    with dask.config.set({"distributed.scheduler.allowed-failures": 0,
                          "distributed.deploy.lost-worker-timeout": "1h"}), \
            local_dask_client(2) as client:
        yield client


def _dask(client: Any) -> Any:
    return plan(tweak("dask", client=client))


def _assert_died(rr: Any, n: int) -> None:
    """``n`` iterations of ``rr`` are recorded as jobs lost with their worker."""
    errors = rr.errors
    assert len(errors) == n
    assert list(errors["msg"]) == [DIED] * n
    for result in rr.job_results:
        assert result.log[0].stage == "train" and result.log[0].cls == "error"
        assert result.log[0].msg == DIED


def _segfault_design(crashing: Any) -> pd.DataFrame:
    task = tsk("iris")
    return pd.DataFrame({
        "task": [task] * 3,
        "learner": [lrn("classif.debug"), crashing, lrn("classif.featureless")],
        "resampling": [rsmp("cv", folds=3), rsmp("cv", folds=2), rsmp("cv", folds=3)],
    })


@pytest.mark.slow
@pytest.mark.dask
@pytest.mark.subprocess
@pytest.mark.parametrize("chunk_size", [1, 4])
def test_dask_segfault_is_recorded_and_the_rest_completes(
    crash_client: Any, chunk_size: int
) -> None:
    options.exec_chunk_size = chunk_size
    design = _segfault_design(lrn("classif.debug", segfault_train=1))
    with _dask(crash_client):
        bmr = benchmark(design, seed=5)
    good, crashed, featureless = bmr.resample_results
    _assert_died(crashed, 2)
    assert all(np.isnan(crashed.score(msr("classif.ce"))["classif.ce"]))
    for result in crashed.job_results:
        assert np.all(result.prediction.response.isna())
    # the other experiments are complete and equal to a sequential run with a healthy
    # learner in place of the crashing one (every job keeps its seed)
    assert good.errors.empty and featureless.errors.empty
    healthy = design.copy()
    healthy.loc[1, "learner"] = lrn("classif.debug")
    reference = benchmark(healthy, seed=5).resample_results
    for got, want in ((good, reference[0]), (featureless, reference[2])):
        assert got.score()["classif.ce"].tolist() == want.score()["classif.ce"].tolist()
        assert got.prediction().response.tolist() == want.prediction().response.tolist()


@pytest.mark.slow
@pytest.mark.dask
@pytest.mark.subprocess
def test_dask_segfault_with_fallback_gets_fallback_predictions(crash_client: Any) -> None:
    options.exec_chunk_size = 1
    crashing = lrn("classif.debug", segfault_train=1)
    crashing.fallback = lrn("classif.featureless")
    design = _segfault_design(crashing)
    with _dask(crash_client):
        bmr = benchmark(design, seed=5)
    good, crashed, featureless = bmr.resample_results
    _assert_died(crashed, 2)
    scores = crashed.score(msr("classif.ce"))["classif.ce"]
    assert not np.any(np.isnan(scores))
    for result in crashed.job_results:
        assert not np.any(result.prediction.response.isna())
        assert any(e.cls == "message" and "using fallback 'classif.featureless'" in e.msg
                   for e in result.log)
    assert good.errors.empty and featureless.errors.empty
    assert not np.any(np.isnan(good.score(msr("classif.ce"))["classif.ce"]))


def _kill_first_pid(directory: Path, killed: list[int]) -> threading.Thread:
    def killer() -> None:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            for entry in directory.iterdir():
                pid = int(entry.name)
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)
                return
            time.sleep(0.02)

    thread = threading.Thread(target=killer)
    thread.start()
    return thread


@pytest.mark.slow
@pytest.mark.dask
@pytest.mark.subprocess
def test_dask_kill_minus_nine_from_outside_records_the_running_job(
    crash_client: Any, tmp_path: Path
) -> None:
    # Each job writes its worker's pid into tmp_path as it starts to train; the first
    # worker seen is killed from outside while it sleeps in that job. That job alone is
    # recorded as failed, the job queued behind it on the same worker runs again.
    options.exec_chunk_size = 1
    learner = lrn("classif.debug", sleep_train=functools.partial(sleep_and_record, str(tmp_path)))
    killed: list[int] = []
    with _dask(crash_client):
        thread = _kill_first_pid(tmp_path, killed)
        bmr = benchmark(benchmark_grid(tsk("iris"), [learner], rsmp("cv", folds=4), seed=2),
                        seed=2)
        thread.join()
    assert len(killed) == 1
    rr = bmr.resample_results[0]
    assert rr.iters == 4
    assert list(rr.errors["msg"]) == [DIED]
    scores = rr.score(msr("classif.ce"))["classif.ce"].tolist()
    lost = [any(e.cls == "error" and e.msg == DIED for e in r.log) for r in rr.job_results]
    assert sum(lost) == 1
    assert [np.isnan(s) for s in scores] == lost


@pytest.mark.slow
@pytest.mark.dask
@pytest.mark.subprocess
def test_dask_default_retries_then_records_the_crashing_job() -> None:
    # With dask's default allowed-failures (3) the scheduler itself retries a task whose
    # worker died, on other workers, before it fails it with KilledWorker; the healthy
    # jobs sharing those workers are rescheduled by it or resubmitted here.
    dask = pytest.importorskip("dask")
    pytest.importorskip("distributed")
    options.exec_chunk_size = 1
    design = crashing_and_healthy_design(6, crash_resampling=rsmp("holdout"))
    with dask.config.set({"distributed.scheduler.allowed-failures": 3}), \
            local_dask_client(2) as client:
        allowed = client.run_on_scheduler(lambda dask_scheduler: dask_scheduler.allowed_failures)
        assert allowed == 3
        with _dask(client):
            bmr = benchmark(design, seed=3)
    crashed, good = bmr.resample_results
    _assert_died(crashed, 1)
    assert good.errors.empty
    healthy = design.copy()
    healthy.loc[0, "learner"] = lrn("classif.debug")
    reference = benchmark(healthy, seed=3).resample_results[1]
    assert good.score()["classif.ce"].tolist() == reference.score()["classif.ce"].tolist()
    assert good.prediction().response.tolist() == reference.prediction().response.tolist()


@pytest.mark.slow
@pytest.mark.dask
@pytest.mark.subprocess
def test_dask_many_crashes_never_blame_queued_healthy_jobs(crash_client: Any) -> None:
    # 8 crashing and 8 healthy jobs on 2 single-threaded workers: healthy jobs queued
    # behind a crashing one are lost with its worker again and again; each loss is
    # explained by the crashing job's marker, so they never run out of attempts.
    options.exec_chunk_size = 1
    design = crashing_and_healthy_design(8, sleep=0.2)
    with _dask(crash_client):
        bmr = benchmark(design, seed=1)
    crashed, good = bmr.resample_results
    _assert_died(crashed, 8)
    assert good.errors.empty
    assert not np.any(np.isnan(good.score(msr("classif.ce"))["classif.ce"]))
