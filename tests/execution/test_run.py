"""Tests for run_job / run_jobs with small stand-in objects."""

# These tests exercise numpy's legacy global generator on purpose.
# ruff: noqa: NPY002

from __future__ import annotations

import dataclasses
import pickle
import random
from typing import Any

import numpy as np
import pytest

from mlr3py._rng import spawn_seeds
from mlr3py.evaluation._job import Job, JobResult
from mlr3py.evaluation._worker import run_job, run_jobs


@dataclasses.dataclass
class _State:
    model: Any
    train_time: float
    predict_time: float | None = None
    log: list[Any] = dataclasses.field(default_factory=list)


@dataclasses.dataclass(frozen=True)
class _Entry:
    stage: str
    cls: str
    msg: str


class _Task:
    id = "toy"
    task_type = "regr"


class _Resampling:
    id = "toy_cv"

    def __init__(self, iters: int = 3, n: int = 12) -> None:
        self._folds = np.array_split(np.arange(n, dtype=np.int64), iters)

    @property
    def iters(self) -> int:
        return len(self._folds)

    def test_set(self, i: int) -> np.ndarray:
        return self._folds[i]

    def train_set(self, i: int) -> np.ndarray:
        return np.concatenate([f for k, f in enumerate(self._folds) if k != i])


class _Learner:
    """Remembers its train rows and a random draw; predicts the draw."""

    id = "toy.learner"
    packages: tuple[str, ...] = ()

    def __init__(self) -> None:
        self.state: _State | None = None
        self.trained_on: np.ndarray | None = None

    def clone(self) -> _Learner:
        return _Learner()

    def train(self, task: Any, row_ids: Any = None) -> _Learner:
        self.trained_on = np.asarray(row_ids)
        draw = (np.random.rand(), random.random())
        self.state = _State(
            model={"draw": draw},
            train_time=0.25,
            log=[_Entry("train", "warning", "careful")],
        )
        return self

    def predict(self, task: Any, row_ids: Any = None) -> dict[str, Any]:
        assert self.state is not None
        self.state.predict_time = 0.5
        return {"row_ids": np.asarray(row_ids), "draw": self.state.model["draw"]}


@pytest.fixture
def resampling() -> _Resampling:
    return _Resampling()


def _jobs(resampling: _Resampling, root: int, store_models: bool = False) -> list[Job]:
    seeds = spawn_seeds(root, resampling.iters)
    return [
        Job(_Task(), _Learner(), resampling, i, seeds[i], store_models=store_models)
        for i in range(resampling.iters)
    ]


def test_run_job_trains_on_train_set_and_predicts_test_set(resampling: _Resampling) -> None:
    job = _jobs(resampling, 1)[1]
    job = dataclasses.replace(job, store_models=True)
    result = run_job(job)
    assert isinstance(result, JobResult)
    assert np.array_equal(result.learner.trained_on, resampling.train_set(1))
    assert job.learner.trained_on is None  # the job's learner itself stays untrained
    assert np.array_equal(result.prediction["row_ids"], resampling.test_set(1))
    assert result.iteration == 1
    assert result.seed is job.seed
    assert result.train_time == 0.25
    assert result.predict_time == 0.5
    assert result.log == [_Entry("train", "warning", "careful")]


def test_run_job_drops_model_unless_store_models(resampling: _Resampling) -> None:
    plain = run_job(_jobs(resampling, 1)[0])
    assert plain.state.model is None
    assert plain.learner is None
    stored = run_job(_jobs(resampling, 1, store_models=True)[0])
    assert stored.state.model is not None
    assert stored.learner is not None
    assert stored.learner.state.model == stored.state.model


def test_run_job_is_reproducible_per_seed(resampling: _Resampling) -> None:
    a = run_job(_jobs(resampling, 7)[0]).prediction["draw"]
    b = run_job(_jobs(resampling, 7)[0]).prediction["draw"]
    c = run_job(_jobs(resampling, 8)[0]).prediction["draw"]
    assert a == b
    assert a != c


def test_run_jobs_leaves_callers_random_stream_alone(resampling: _Resampling) -> None:
    np.random.seed(3)
    expected = np.random.rand()
    np.random.seed(3)
    run_jobs(_jobs(resampling, 1))
    assert np.random.rand() == expected


def test_run_jobs_returns_one_result_per_job_in_order(resampling: _Resampling) -> None:
    jobs = _jobs(resampling, 2)
    results = run_jobs(jobs)
    assert [r.iteration for r in results] == [0, 1, 2]
    draws = {r.prediction["draw"] for r in results}
    assert len(draws) == 3


def test_job_and_result_pickle(resampling: _Resampling) -> None:
    job = _jobs(resampling, 4)[2]
    restored = pickle.loads(pickle.dumps(job))
    assert restored.iteration == 2
    result = pickle.loads(pickle.dumps(run_job(restored)))
    assert result.prediction["draw"] == run_job(_jobs(resampling, 4)[2]).prediction["draw"]
