"""A job whose learner raised (no encapsulation) is recorded as failed with its message:
status() shows it (in this process and in a new one), and resume() runs it again."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from _store_helpers import RaiseOnce

import mlr3py
from mlr3py.cli import main
from mlr3py.errors import LearnerTrainError
from mlr3py.evaluation import benchmark, benchmark_grid
from mlr3py.sugar import lrn, rsmp, tsk

MESSAGE = "the learner raised LearnerTrainError: Error from classif.debug->train()"


def _debug_design():
    return benchmark_grid(tsk("iris"), [lrn("classif.debug", error_train=0.5),
                                        lrn("classif.rpart")], rsmp("cv", folds=4), seed=1)


def _check_status(status) -> None:
    debug, rpart = status.iloc[0], status.iloc[1]
    assert debug["learner_id"] == "classif.debug"
    assert (debug["done"], debug["failed"], debug["errors"], debug["running"],
            debug["lost"], debug["total"]) == (1, 3, 3, 0, 0, 4)
    assert debug["message"] == f"iteration 0: {MESSAGE}"
    assert (rpart["done"], rpart["failed"], rpart["errors"], rpart["message"]) == (4, 0, 0, None)


def test_raised_jobs_are_failed_with_their_message(tmp_path: Path) -> None:
    store = tmp_path / "s"
    with pytest.raises(LearnerTrainError):
        benchmark(_debug_design(), seed=1, store=store)
    opened = mlr3py.open_store(store)
    _check_status(opened.status())
    jobs = opened.jobs()
    failed = jobs[jobs["status"] == "failed"]
    assert failed["iteration"].tolist() == [0, 1, 2]
    assert failed["message"].tolist() == [MESSAGE] * 3
    assert failed["errors"].tolist() == [1, 1, 1]
    assert jobs.loc[jobs["status"] == "done", "message"].isna().all()

    # a new process sees the same: failed, not lost
    script = ("import mlr3py, json, sys; s = mlr3py.open_store(sys.argv[1]).status(); "
              "print(json.dumps(s.to_dict('records')))")
    out = subprocess.run([sys.executable, "-c", script, str(store)], capture_output=True,
                         text=True, check=True).stdout
    rows = json.loads(out.strip().splitlines()[-1])
    assert [(r["failed"], r["lost"], r["running"]) for r in rows] == [(3, 0, 0), (0, 0, 0)]
    assert rows[0]["message"] == f"iteration 0: {MESSAGE}"


def test_status_of_a_run_raised_in_another_process(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    store = tmp_path / "s"
    script = (
        "import sys\n"
        "from mlr3py import benchmark, benchmark_grid, lrn, rsmp, tsk\n"
        "design = benchmark_grid(tsk('iris'), [lrn('classif.debug', error_train=0.5), "
        "lrn('classif.rpart')], rsmp('cv', folds=4), seed=1)\n"
        "try:\n"
        "    benchmark(design, seed=1, store=sys.argv[1])\n"
        "except Exception as exc:\n"
        "    print(type(exc).__name__)\n")
    out = subprocess.run([sys.executable, "-c", script, str(store)], capture_output=True,
                         text=True, check=True).stdout
    assert "LearnerTrainError" in out
    _check_status(mlr3py.open_store(store).status())

    assert main(["status", str(store), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows[0]["failed"] == 3 and rows[0]["message"] == f"iteration 0: {MESSAGE}"
    assert main(["status", str(store)]) == 0
    assert MESSAGE in capsys.readouterr().out


def test_resume_runs_a_raised_job_again(tmp_path: Path) -> None:
    store = tmp_path / "s"
    learner = lrn("classif.debug", sleep_train=RaiseOnce(str(tmp_path / "raised")))
    design = benchmark_grid(tsk("iris"), learner, rsmp("cv", folds=3), seed=1)
    with pytest.raises(Exception, match="boom in the first training"):
        benchmark(design, seed=1, store=store)
    status = mlr3py.open_store(store).status()
    assert (status["done"][0], status["failed"][0], status["errors"][0]) == (2, 1, 1)
    assert "boom in the first training" in status["message"][0]

    bmr = mlr3py.resume(store)
    assert bmr.resample_result(0).iters == 3
    opened = mlr3py.open_store(store)
    status = opened.status()
    assert (status["done"][0], status["failed"][0], status["errors"][0]) == (3, 0, 0)
    assert status["message"][0] is None
    jobs = opened.jobs()
    assert jobs["status"].tolist() == ["done"] * 3
    assert sorted(jobs["attempts"].tolist()) == [1, 1, 2]
    assert jobs["message"].isna().all()
