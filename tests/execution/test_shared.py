"""Under the process plans, tasks and resamplings travel to each worker once per run."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pytest
from _helper_learners import LearnerClassifVisits

from mlr3py.evaluation import resample
from mlr3py.evaluation._job import Job
from mlr3py.execution import plan, tweak
from mlr3py.execution._shared import SharedRef, new_run_token, refs, remember, restore, strip
from mlr3py.options import options
from mlr3py.sugar import lrn, rsmp, tsk


def _jobs() -> list[Job]:
    task, resampling = tsk("iris"), rsmp("cv", folds=3)
    resampling.instantiate(task)
    learner = lrn("classif.featureless")
    return [Job(task, learner, resampling, i, i) for i in range(3)]


def test_strip_and_restore_round_trip() -> None:
    jobs = _jobs()
    objects: dict[int, Any] = {}
    stripped = strip([*jobs, "not a job"], objects)
    assert any(obj is jobs[0].task for obj in objects.values())
    assert len(objects) == 3  # one task, one learner, one resampling for all three jobs
    assert all(isinstance(j.task, SharedRef) and isinstance(j.resampling, SharedRef)
               and isinstance(j.learner, SharedRef) for j in stripped[:3])
    assert stripped[3] == "not a job"
    assert refs(stripped) == set(objects)
    back = restore(stripped, objects)
    assert all(b.task is jobs[0].task and b.resampling is jobs[0].resampling
               and b.learner is jobs[0].learner for b in back[:3])
    assert [b.iteration for b in back[:3]] == [0, 1, 2]
    assert jobs[0].task is not stripped[0].task  # the originals are left alone


def test_remember_keeps_one_run() -> None:
    first, second = new_run_token(), new_run_token()
    assert first != second
    assert remember(first, {1: "a"}) == {1: "a"}
    assert remember(first, {2: "b"}) == {1: "a", 2: "b"}
    assert remember(second, {3: "c"}) == {3: "c"}  # a new run forgets the old objects


def test_a_worker_lacking_a_shared_object_asks_for_it_instead_of_running() -> None:
    from mlr3py.evaluation._worker import run_job
    from mlr3py.execution._processes import MissingShared, run_unit_cached

    jobs = _jobs()
    objects: dict[int, Any] = {}
    stripped = strip(jobs, objects)
    run = new_run_token()
    # a replacement worker that never got the objects of this run
    assert isinstance(run_unit_cached(run_job, stripped, (), None, run, {}), MissingShared)
    # one of the two objects is not enough either
    some = dict([next(iter(objects.items()))])
    assert isinstance(run_unit_cached(run_job, stripped, (), None, new_run_token(), some),
                      MissingShared)


@pytest.mark.subprocess
@pytest.mark.parametrize("strategy", ["processes", "multicore"])
def test_jobs_on_a_worker_share_one_task(strategy: str) -> None:
    options.exec_chunk_size = 1
    with plan(tweak(strategy, workers=2)):
        rr = resample(tsk("iris"), LearnerClassifVisits(), rsmp("cv", folds=8),
                      store_models=True)
    visits: dict[int, list[int]] = defaultdict(list)
    for learner in rr.learners:
        visits[learner.model["pid"]].append(learner.model["visits"])
    # each worker counted up from 1 on one task object; a copy per job would give 1s
    assert sum(len(v) for v in visits.values()) == 8
    for counts in visits.values():
        assert sorted(counts) == list(range(1, len(counts) + 1))
    assert max(len(v) for v in visits.values()) > 1
