"""Logging: thresholds by name, JSON lines with job context, records from child processes."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest

from mlr3py import lrn, resample, rsmp, tsk
from mlr3py.errors import ConfigError
from mlr3py.learners import LearnerClassif
from mlr3py.log import (
    add_json_handler,
    capture_records,
    job_context,
    replay_records,
    set_threshold,
)
from mlr3py.predictions import PredictionDataClassif


class LearnerClassifChatty(LearnerClassif):
    """Logs one record per training, through a third-party logger and mlr3py's."""

    def __init__(self) -> None:
        super().__init__("classif.chatty", properties={"twoclass", "multiclass"})

    def _train(self, task: Any) -> str:
        logging.getLogger("mlr3py.learners.chatty").warning("training on %d rows", task.nrow)
        return str(task.truth()[0])

    def _predict(self, task: Any) -> PredictionDataClassif:
        return PredictionDataClassif(response=[self.model] * task.nrow)


def _read(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


@pytest.fixture
def json_log(tmp_path: Path):
    path = tmp_path / "log.jsonl"
    handler = add_json_handler(path, level="debug")
    try:
        yield path
    finally:
        logging.getLogger("mlr3py").removeHandler(handler)
        handler.close()


def test_set_threshold_by_name() -> None:
    set_threshold("info")
    assert logging.getLogger("mlr3py").level == logging.INFO
    set_threshold("warn", "mlr3py.tuning")
    assert logging.getLogger("mlr3py.tuning").level == logging.WARNING
    logging.getLogger("mlr3py.tuning").setLevel(logging.NOTSET)
    with pytest.raises(ConfigError, match="Unknown log level 'chatty'"):
        set_threshold("chatty")


def test_json_lines_with_start_finish_and_iterations(json_log: Path) -> None:
    set_threshold("debug")
    resample(tsk("iris"), lrn("classif.featureless"), rsmp("cv", folds=3), seed=1)
    records = _read(json_log)
    assert {"level", "timestamp", "logger", "message"} <= set(records[0])
    infos = [r["message"] for r in records if r["level"] == "INFO"]
    assert infos[0].startswith("Running resample") and infos[-1].startswith("Finished resample")
    per_iteration = [r for r in records if r["level"] == "DEBUG" and "iteration" in r
                     and r["message"].startswith("Applying")]
    assert [r["iteration"] for r in per_iteration] == [0, 1, 2]
    assert {r["task_id"] for r in per_iteration} == {"iris"}
    assert {r["learner_id"] for r in per_iteration} == {"classif.featureless"}
    assert {r["resampling_id"] for r in per_iteration} == {"cv"}


@pytest.mark.slow
@pytest.mark.subprocess
@pytest.mark.parametrize("method", ["evaluate", "process"])
def test_records_from_the_learner_are_tagged_with_their_job(json_log: Path,
                                                            method: str) -> None:
    set_threshold("info")
    learner = LearnerClassifChatty()
    learner.encapsulation = method
    rr = resample(tsk("iris"), learner, rsmp("cv", folds=2), seed=1)
    chatty = [r for r in _read(json_log) if r["logger"] == "mlr3py.learners.chatty"]
    assert [r["message"] for r in chatty] == ["training on 75 rows"] * 2
    assert [r["iteration"] for r in chatty] == [0, 1]
    assert {r["learner_id"] for r in chatty} == {"classif.chatty"}
    assert rr.errors.empty


def test_capture_and_replay_records_keep_the_context() -> None:
    with job_context(task_id="t", learner_id="l", iteration=3, resampling_id="cv"), \
            capture_records("mlr3py") as records:
        logging.getLogger("mlr3py").warning("from a worker")
    assert records[0].task_id == "t" and records[0].iteration == 3
    with capture_records("mlr3py", this_thread_only=True) as replayed:
        replay_records(records)
    assert [r.getMessage() for r in replayed] == ["from a worker"]
    assert replayed[0].learner_id == "l"


@pytest.mark.subprocess
def test_debug_mode_uses_no_process() -> None:
    import os

    from mlr3py.options import options

    options.debug = True
    learner = lrn("classif.debug")
    learner.encapsulation = "process"
    assert learner.train(tsk("iris")).model.pid == os.getpid()
