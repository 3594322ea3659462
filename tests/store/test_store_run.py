"""resample() / benchmark() with store=: results equal those without, jobs are on disk,
open_store() reads them, resume() runs only what is missing."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import numpy as np
import pytest
from _store_helpers import counting_design, score_table, trainings

import mlr3py
from mlr3py.evaluation import BenchmarkResult, ResampleResult, benchmark, resample
from mlr3py.execution import plan
from mlr3py.store import STATUS_COLUMNS
from mlr3py.sugar import lrn, rsmp, tsk


def _rows(store: Path) -> list[tuple]:
    con = sqlite3.connect(store / "store.sqlite")
    try:
        return con.execute("SELECT key, state, pid, attempts FROM jobs").fetchall()
    finally:
        con.close()


def test_benchmark_with_store_equals_without_and_is_read_back(tmp_path: Path) -> None:
    design = counting_design(tmp_path / "count", 0.0, 3)
    plain = benchmark(design, seed=5)
    stored = benchmark(design, seed=5, store=tmp_path / "s")
    assert score_table(stored) == score_table(plain)

    store = mlr3py.open_store(tmp_path / "s")
    assert store.kind == "benchmark"
    status = store.status()
    assert list(status.columns) == ["task_id", "learner_id", *STATUS_COLUMNS, "message"]
    assert status["done"].tolist() == [3, 3] and status["total"].tolist() == [3, 3]
    assert status["not_started"].sum() == 0
    back = store.results()
    assert isinstance(back, BenchmarkResult)
    assert score_table(back) == score_table(plain)
    con = sqlite3.connect(tmp_path / "s" / "store.sqlite")
    assert con.execute("SELECT count(*) FROM results").fetchone() == (6,)
    con.close()
    assert not (tmp_path / "s" / "models").exists()


def test_rerun_on_the_same_store_runs_nothing_and_adopts_its_seed(tmp_path: Path) -> None:
    count = tmp_path / "count"
    design = counting_design(count, 0.0, 3)
    first = benchmark(design, seed=5, store=tmp_path / "s")
    assert len(trainings(count)) == 6
    again = benchmark(design, store=tmp_path / "s")  # seed=None: the store's root seed
    assert len(trainings(count)) == 6  # nothing trained again
    assert score_table(again) == score_table(first)
    resumed = mlr3py.resume(tmp_path / "s")
    assert len(trainings(count)) == 6
    assert score_table(resumed) == score_table(first)


def test_resample_with_store_and_models(tmp_path: Path) -> None:
    task, learner = tsk("penguins"), lrn("classif.rpart")
    rr = resample(task, learner, rsmp("cv", folds=3), seed=1, store_models=True,
                  store=str(tmp_path / "r"))
    assert len(list((tmp_path / "r" / "models").glob("*/*.pkl"))) == 3
    back = mlr3py.open_store(tmp_path / "r").results()
    assert isinstance(back, ResampleResult)
    assert back.iters == 3
    assert np.allclose(back.score("classif.ce")["classif.ce"], rr.score("classif.ce")["classif.ce"])
    model_learners = back.learners
    assert all(x is not None and x.model is not None for x in model_learners)
    newdata = task.data().drop(columns=task.target_names)
    assert (model_learners[0].predict_newdata(newdata).response
            == rr.learners[0].predict_newdata(newdata).response).all()


def test_a_partly_done_store_resumes_only_the_missing_jobs(tmp_path: Path) -> None:
    count = tmp_path / "count"
    design = counting_design(count, 0.0, 4)
    full = benchmark(design, seed=2)
    n_all = len(trainings(count))
    assert n_all == 8
    stored = benchmark(design, seed=2, store=tmp_path / "s")
    assert score_table(stored) == score_table(full)
    # forget three finished jobs, as if the run had died before them
    con = sqlite3.connect(tmp_path / "s" / "store.sqlite")
    keys = [k for (k,) in con.execute("SELECT key FROM jobs ORDER BY rowid LIMIT 3")]
    con.executemany("UPDATE jobs SET state='pending' WHERE key=?", [(k,) for k in keys])
    con.commit()
    con.close()
    partial = mlr3py.open_store(tmp_path / "s")
    assert partial.status()["not_started"].sum() == 3
    assert len(partial.results().score()) == 5
    before = len(trainings(count))
    resumed = mlr3py.resume(tmp_path / "s")
    assert len(trainings(count)) - before == 3
    assert score_table(resumed) == score_table(full)


@pytest.mark.subprocess
@pytest.mark.parametrize("plan_name", ["threads", "processes", "multicore"])
def test_workers_write_their_own_results(tmp_path: Path, plan_name: str) -> None:
    design = counting_design(tmp_path / "count", 0.0, 3)
    plain = benchmark(design, seed=4)
    with plan(plan_name, workers=2):
        stored = benchmark(design, seed=4, store=tmp_path / "s")
    assert score_table(stored) == score_table(plain)
    rows = _rows(tmp_path / "s")
    assert {state for _, state, _, _ in rows} == {"done"}
    assert all(attempts == 1 for *_, attempts in rows)
    pids = {pid for _, _, pid, _ in rows}
    if plan_name in ("processes", "multicore"):
        assert os.getpid() not in pids  # written where the jobs ran
    else:
        assert pids == {os.getpid()}


@pytest.mark.subprocess
@pytest.mark.slow
def test_dask_workers_write_their_own_results(tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    from mlr3py.execution import tweak

    sys_path = str(Path(__file__).resolve().parent)
    design = counting_design(tmp_path / "count", 0.0, 3)
    plain = benchmark(design, seed=4)
    import distributed

    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                  dashboard_address=":0") as cluster, \
            distributed.Client(cluster, set_as_default=False) as client:
        client.run(lambda: __import__("sys").path.insert(0, sys_path))
        with plan(tweak("dask", client=client)):
            stored = benchmark(design, seed=4, store=tmp_path / "s")
        worker_pids = set(client.run(os.getpid).values())
    assert score_table(stored) == score_table(plain)
    rows = _rows(tmp_path / "s")
    assert {state for _, state, _, _ in rows} == {"done"}
    assert {pid for _, _, pid, _ in rows} <= worker_pids


def test_errors_count_as_done_unless_retried(tmp_path: Path) -> None:
    learner = lrn("classif.debug", error_train=1.0)
    learner.encapsulate("try", lrn("classif.featureless"))
    count = tmp_path / "count"
    design = counting_design(count, 0.0, 2)
    design.loc[0, "learner"] = learner
    bmr = benchmark(design, seed=1, store=tmp_path / "s")
    assert len(bmr.resample_results[0].errors) == 2
    status = mlr3py.open_store(tmp_path / "s").status()
    assert status["errors"].tolist()[0] == 2 and status["done"].tolist()[0] == 2
    rows = _rows(tmp_path / "s")
    mlr3py.resume(tmp_path / "s")
    assert _rows(tmp_path / "s") == rows  # nothing rerun
    again = mlr3py.resume(tmp_path / "s", retry_errors=True)
    attempts = {k: a for k, _, _, a in _rows(tmp_path / "s")}
    assert sorted(attempts.values()) == [1, 1, 2, 2]
    assert score_table(again) == score_table(bmr)


def test_an_error_without_encapsulation_keeps_the_stored_jobs_and_reruns_the_raised_one(
    tmp_path: Path,
) -> None:
    from mlr3py.errors import LearnerTrainError

    design = counting_design(tmp_path / "count", 0.0, 2)
    design.loc[1, "learner"] = lrn("classif.debug", error_train=1.0)  # raises: "none"
    with pytest.raises(LearnerTrainError) as info:
        benchmark(design, seed=1, store=tmp_path / "s2")
    partial = info.value.partial_result
    assert isinstance(partial, BenchmarkResult)
    assert [rr.iters for rr in partial.resample_results] == [2, 0]
    # run again on the store, which holds the first experiment's jobs now: the partial
    # result includes them (read back, not rerun), and the raised jobs are not done
    with pytest.raises(LearnerTrainError) as again:
        benchmark(design, seed=1, store=tmp_path / "s2")
    assert [rr.iters for rr in again.value.partial_result.resample_results] == [2, 0]
    states = {state for _, state, _, _ in _rows(tmp_path / "s2")}
    assert "done" in states and states - {"done"}, states
