"""A worker process that dies does not abort the run: its job is recorded as an error.

Real crashes: ``classif.debug`` with ``segfault_train=1`` segfaults its worker, and
a worker is killed with SIGKILL from outside while it trains.
"""

from __future__ import annotations

import functools
import os
import signal
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from _helper_learners import sleep_and_record

from mlr3py.evaluation import benchmark, benchmark_grid
from mlr3py.evaluation._failures import failed_job_result
from mlr3py.evaluation._job import Job
from mlr3py.execution import plan
from mlr3py.options import options
from mlr3py.sugar import lrn, msr, rsmp, tsk

pytestmark = pytest.mark.skipif(os.name != "posix", reason="needs POSIX signals")


def _design(*learners: Any, folds: int = 3) -> Any:
    return benchmark_grid(tsk("iris"), list(learners), rsmp("cv", folds=folds), seed=1)


def _assert_crash_recorded(rr: Any, signame: str, n: int) -> None:
    errors = rr.errors
    assert len(errors) == n
    assert all(msg == f"worker process died (signal {signame})" for msg in errors["msg"])
    assert all(np.isnan(rr.score(msr("classif.ce"))["classif.ce"]))
    for result in rr.job_results:
        assert result.log[0].stage == "train" and result.log[0].cls == "error"
        assert np.all(result.prediction.response.isna())


@pytest.mark.slow
@pytest.mark.subprocess
@pytest.mark.parametrize(("strategy", "chunk_size", "crash_folds"),
                         [("processes", 1, 1), ("multicore", 3, 3)])
def test_segfault_is_recorded_and_the_rest_completes(
    strategy: str, chunk_size: int, crash_folds: int
) -> None:
    options.exec_chunk_size = chunk_size
    task = tsk("iris")
    design = pd.DataFrame({
        "task": [task] * 3,
        "learner": [lrn("classif.debug"), lrn("classif.debug", segfault_train=1),
                    lrn("classif.featureless")],
        "resampling": [rsmp("cv", folds=3), rsmp("cv", folds=crash_folds) if crash_folds > 1
                       else rsmp("holdout"), rsmp("cv", folds=3)],
    })
    with plan(strategy, workers=2):
        bmr = benchmark(design, seed=5)
    good, crashed, featureless = bmr.resample_results
    _assert_crash_recorded(crashed, "SIGSEGV", crash_folds)
    # the other experiments are complete and equal to a sequential run of the same design
    # with a healthy learner in place of the crashing one (so every job has the same seed)
    assert good.errors.empty and featureless.errors.empty
    healthy = design.copy()
    healthy.loc[1, "learner"] = lrn("classif.debug")
    reference = benchmark(healthy, seed=5).resample_results
    for got, want in ((good, reference[0]), (featureless, reference[2])):
        assert got.score().equals(want.score()) or (
            got.score()["classif.ce"].tolist() == want.score()["classif.ce"].tolist()
        )
        assert got.prediction().response.tolist() == want.prediction().response.tolist()
    # the pool was replaced: it runs jobs again
    with plan(strategy, workers=2):
        again = benchmark(_design(lrn("classif.debug")), seed=5)
    assert again.resample_results[0].errors.empty


@pytest.mark.slow
@pytest.mark.subprocess
def test_kill_minus_nine_from_outside(tmp_path: Path) -> None:
    killed: list[int] = []

    def killer() -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not killed:
            for entry in tmp_path.iterdir():
                pid = int(entry.name)
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)
                return
            time.sleep(0.02)

    with plan("processes", workers=2):
        thread = threading.Thread(target=killer)
        thread.start()
        learner = lrn("classif.debug",
                      sleep_train=functools.partial(sleep_and_record, str(tmp_path)))
        bmr = benchmark(_design(learner, folds=4), seed=2)
        thread.join()
    assert len(killed) == 1
    rr = bmr.resample_results[0]
    assert list(rr.errors["msg"]) == ["worker process died (signal SIGKILL)"]
    scores = rr.score(msr("classif.ce"))["classif.ce"]
    assert int(np.isnan(scores).sum()) == 1
    assert rr.iters == 4


def test_failed_job_result_for_regression() -> None:
    task = tsk("mtcars")
    resampling = rsmp("holdout").instantiate(task)
    job = Job(task, lrn("regr.featureless"), resampling, 0, seed=1, experiment=2)
    result = failed_job_result(job, "worker process died (signal SIGBUS)")
    assert result.experiment == 2 and result.iteration == 0
    assert result.log[0].msg == "worker process died (signal SIGBUS)"
    assert np.all(np.isnan(result.prediction.response))
    assert list(result.prediction.row_ids) == list(resampling.test_set(0))


def test_a_lost_jobs_fallback_draws_from_the_jobs_seed() -> None:
    # a featureless fallback breaks the tie of a training set with as many M as R at random
    task = tsk("sonar")
    tied = [*task.row_ids[task.truth() == "M"][:30], *task.row_ids[task.truth() == "R"][:30]]
    rest = [i for i in task.row_ids if i not in set(tied)]
    resampling = rsmp("custom").instantiate(task, train_sets=[tied], test_sets=[rest])
    learner = lrn("classif.debug")
    learner.encapsulate("try", lrn("classif.featureless"))
    responses = set()
    for seed in range(8):
        job = Job(task, learner, resampling, 0, seed=seed)
        np.random.seed(seed + 100)  # noqa: NPY002 - the caller's stream, left as it was
        before = np.random.get_state()[1].copy()  # noqa: NPY002
        first = failed_job_result(job, "worker process died (signal SIGKILL)")
        again = failed_job_result(job, "worker process died (signal SIGKILL)")
        assert np.array_equal(np.random.get_state()[1], before)  # noqa: NPY002
        assert list(first.prediction.response) == list(again.prediction.response)
        responses.add(first.prediction.response[0])
    assert responses == {"M", "R"}  # the tie is still broken at random, seed by seed


class _Count:
    def __init__(self) -> None:
        self.n = 0

    def update(self, n: int) -> None:
        self.n += n


def test_split_lost_unit_records_the_running_item_and_resubmits_the_rest() -> None:
    from mlr3py.execution._deaths import WorkerDied, split_lost_unit
    from mlr3py.execution._units import Unit

    died = WorkerDied(-11)
    results = {7: [None] * 6}
    progress = _Count()
    unit = Unit(7, 1, ["a", "b", "c", "d", "e"])
    again = split_lost_unit(unit, 2, died, results, progress)
    assert results[7] == [None, None, None, died, None, None]
    assert progress.n == 1
    assert [(u.chunk, u.offset, u.items) for u in again] == [(7, 1, ["a", "b"]),
                                                             (7, 4, ["d", "e"])]


@pytest.mark.parametrize("started", [-1, 3])  # none started; all finished, results lost
def test_split_lost_unit_resubmits_a_unit_that_was_not_running(started: int) -> None:
    from mlr3py.execution._deaths import MAX_START_FAILURES, WorkerDied, split_lost_unit
    from mlr3py.execution._units import Unit

    died = WorkerDied(None)
    results = {0: [None] * 3}
    progress = _Count()
    unit = Unit(0, 0, ["a", "b", "c"])
    for attempt in range(1, MAX_START_FAILURES):
        assert split_lost_unit(unit, started, died, results, progress) == [unit]
        assert unit.attempts == attempt and progress.n == 0
    # lost once too often: recorded rather than tried forever
    assert split_lost_unit(unit, started, died, results, progress) == []
    assert results[0] == [died] * 3 and progress.n == 3


@pytest.mark.slow
@pytest.mark.subprocess
@pytest.mark.parametrize("strategy", ["processes", "multicore"])
def test_units_queued_behind_a_crash_on_one_worker_run_again(strategy: str) -> None:
    # one worker holds two units at once (the running one and the next, queued): when the
    # running one crashes it, the queued unit and the units after it run again, unblamed
    options.exec_chunk_size = 1
    design = pd.DataFrame({
        "task": [tsk("iris")] * 3,
        "learner": [lrn("classif.featureless"), lrn("classif.debug", segfault_train=1),
                    lrn("classif.featureless")],
        "resampling": [rsmp("holdout"), rsmp("holdout"), rsmp("cv", folds=3)],
    })
    with plan(strategy, workers=1):
        bmr = benchmark(design, seed=3)
    before, crashed, after = bmr.resample_results
    _assert_crash_recorded(crashed, "SIGSEGV", 1)
    assert before.errors.empty and after.errors.empty
    assert not np.isnan(after.score(msr("classif.ce"))["classif.ce"]).any()
    healthy = design.copy()
    healthy.loc[1, "learner"] = lrn("classif.debug")
    reference = benchmark(healthy, seed=3).resample_results
    assert after.prediction().response.tolist() == reference[2].prediction().response.tolist()
