"""Log records emitted inside worker processes reach the main process's handlers.

A learner logs through a third-party logger ("mylib") while it trains; under the
plans "processes", "multicore" and "dask" the records come back with the job's
result and are handed to this process's handlers, tagged with their job, in
design order. Under "sequential" and "threads" they are emitted here directly,
once.
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from _helper_learners import LearnerClassifLogging

from mlr3py.execution import plan, tweak
from mlr3py.log import JobContextFilter, add_json_handler, set_threshold
from mlr3py.sugar import rsmp, tsk

pytestmark = pytest.mark.skipif(os.name != "posix", reason="multicore needs fork")

PARALLEL = ["processes", "multicore", "dask"]
FOLDS = 4


class ListHandler(logging.Handler):
    """A user's handler on the root logger, tagging records with their job."""

    def __init__(self) -> None:
        super().__init__(logging.NOTSET)
        self.records: list[logging.LogRecord] = []
        self.addFilter(JobContextFilter())

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def root_records() -> Iterator[list[logging.LogRecord]]:
    handler = ListHandler()
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield handler.records
    finally:
        root.removeHandler(handler)


@pytest.fixture
def restore_levels() -> Iterator[None]:
    names = ["mlr3py", "mylib"]
    saved = {name: logging.getLogger(name).level for name in names}
    try:
        yield
    finally:
        for name, level in saved.items():
            logging.getLogger(name).setLevel(level)


def _plan(name: str, request: pytest.FixtureRequest) -> Any:
    if name == "dask":
        return plan(tweak("dask", client=request.getfixturevalue("dask_client")))
    if name == "sequential":
        return plan("sequential")
    return plan(name, workers=2)


def _resample(learner: Any | None = None) -> Any:
    from mlr3py.evaluation import resample

    return resample(tsk("iris"), learner or LearnerClassifLogging(),
                    rsmp("cv", folds=FOLDS), seed=1)


def _pid(message: str) -> int:
    match = re.search(r"in pid (\d+)", message)
    assert match is not None, message
    return int(match.group(1))


@pytest.mark.subprocess
@pytest.mark.parametrize("strategy", [*PARALLEL, "threads", "sequential"])
def test_learner_records_reach_main_handlers_tagged_with_their_job(
    strategy: str, request: pytest.FixtureRequest, root_records: list[logging.LogRecord],
) -> None:
    with _plan(strategy, request):
        rr = _resample()
    assert rr.errors.empty
    mine = [r for r in root_records if r.name == "mylib"]
    # once per job (not also from the worker's own handlers), the debug line is below
    # the main process's threshold for "mylib" (WARNING, from the root logger)
    assert [r.levelno for r in mine] == [logging.WARNING] * FOLDS
    assert all(r.getMessage().startswith("trained on 11") for r in mine)
    iterations = [r.iteration for r in mine]
    if strategy == "threads":  # emitted as the threads run
        iterations = sorted(iterations)
    assert iterations == list(range(FOLDS))  # design order
    assert {r.task_id for r in mine} == {"iris"}
    assert {r.learner_id for r in mine} == {"classif.logging"}
    assert {r.resampling_id for r in mine} == {"cv"}
    pids = {_pid(r.getMessage()) for r in mine}
    if strategy in PARALLEL:
        assert os.getpid() not in pids
    else:
        assert pids == {os.getpid()}


@pytest.mark.subprocess
@pytest.mark.parametrize("strategy", PARALLEL)
def test_json_handler_gets_worker_records_at_the_main_levels(
    strategy: str, request: pytest.FixtureRequest, tmp_path: Path, restore_levels: None,
) -> None:
    set_threshold("debug")
    logging.getLogger("mylib").setLevel(logging.DEBUG)
    path = tmp_path / "log.jsonl"
    handler = add_json_handler(path, level="debug", name="")
    try:
        with _plan(strategy, request):
            _resample()
    finally:
        logging.getLogger().removeHandler(handler)
        handler.close()
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    applying = [r for r in lines if r["logger"] == "mlr3py"
                and r["message"].startswith("Applying learner")]
    assert [r["iteration"] for r in applying] == list(range(FOLDS))
    assert all(r["level"] == "DEBUG" and r["task_id"] == "iris" for r in applying)
    mine = [r for r in lines if r["logger"] == "mylib"]
    assert [(r["level"], r["iteration"]) for r in mine] == [
        (level, i) for i in range(FOLDS) for level in ("DEBUG", "WARNING")
    ]
    assert {r["learner_id"] for r in mine} == {"classif.logging"}
    assert {r["resampling_id"] for r in mine} == {"cv"}
    assert all(_pid(r["message"]) != os.getpid() for r in mine if r["level"] == "WARNING")


@pytest.mark.subprocess
@pytest.mark.parametrize("strategy", ["processes", "multicore"])
def test_records_of_a_failing_job_reach_main_handlers(
    strategy: str, request: pytest.FixtureRequest, root_records: list[logging.LogRecord],
) -> None:
    learner = LearnerClassifLogging()
    learner.fail = True
    with _plan(strategy, request), pytest.raises(RuntimeError, match="mylib failed"):
        _resample(learner)
    mine = [r for r in root_records if r.name == "mylib"]
    assert mine and all(r.learner_id == "classif.logging" for r in mine)
    assert all(_pid(r.getMessage()) != os.getpid() for r in mine)


@pytest.mark.parametrize("strategy", ["sequential", "processes"])
def test_log_lines_count_iterations_from_zero_as_score_does(
    strategy: str, request: pytest.FixtureRequest, restore_levels: None,
) -> None:
    set_threshold("debug")
    handler = ListHandler()
    logging.getLogger("mlr3py").addHandler(handler)
    try:
        with _plan(strategy, request):
            rr = _resample()
    finally:
        logging.getLogger("mlr3py").removeHandler(handler)
    applying = [r for r in handler.records if r.getMessage().startswith("Applying learner")]
    assert sorted(r.iteration for r in applying) == list(range(FOLDS))  # type: ignore[attr-defined]
    for record in applying:
        assert f"(iteration {record.iteration} of 0..{FOLDS - 1})" in record.getMessage()  # type: ignore[attr-defined]
    assert list(rr.score()["iteration"]) == list(range(FOLDS))
