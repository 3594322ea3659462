"""Tests of global options, the logging helpers and the error hierarchy."""

from __future__ import annotations

import logging
import subprocess
import sys

import pytest

from mlr3py import errors
from mlr3py.log import JobContextFilter, capture_records, job_context, set_threshold
from mlr3py.options import Options


def test_options_validate() -> None:
    opts = Options()
    assert opts.exec_random is True and opts.exec_chunk_size is None and opts.debug is False
    opts.exec_chunk_size = 3
    assert opts.exec_chunk_size == 3
    with pytest.raises(errors.ConfigError,
                       match="'exec_chunk_size' must be an int >= 1 or None. Got 0"):
        opts.exec_chunk_size = 0
    with pytest.raises(errors.ConfigError, match="'debug' must be a bool. Got 'yes'"):
        opts.debug = "yes"  # type: ignore[assignment]
    with pytest.raises(errors.ConfigError, match="no option 'exec_randm'"):
        opts.exec_randm = True  # type: ignore[attr-defined]


def test_set_threshold() -> None:
    log = logging.getLogger("mlr3py")
    old = log.level
    try:
        set_threshold("debug")
        assert log.level == logging.DEBUG
        set_threshold("warn")
        assert log.level == logging.WARNING
        with pytest.raises(errors.ConfigError, match="Unknown log level 'loud'"):
            set_threshold("loud")
    finally:
        log.setLevel(old)


def test_error_hierarchy_matches_builtins() -> None:
    assert issubclass(errors.ConfigError, ValueError)
    assert issubclass(errors.InputError, ValueError)
    assert issubclass(errors.LearnerTrainError, RuntimeError)
    assert issubclass(errors.TimeoutError, TimeoutError)
    assert issubclass(errors.UnknownKeyError, KeyError)
    assert str(errors.UnknownKeyError("no 'x' here")) == "no 'x' here"


@pytest.mark.subprocess
def test_importing_mlr3py_leaves_the_log_record_factory_alone() -> None:
    code = (
        "import logging\n"
        "factory = logging.getLogRecordFactory()\n"
        "import mlr3py, mlr3py.log, mlr3py.evaluation\n"
        "assert logging.getLogRecordFactory() is factory\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


def test_job_context_tags_mlr3py_records_and_filtered_handlers_only() -> None:
    seen: list[logging.LogRecord] = []
    plain: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def __init__(self, records: list[logging.LogRecord]) -> None:
            super().__init__(logging.NOTSET)
            self.records = records

        def emit(self, record: logging.LogRecord) -> None:
            self.records.append(record)

    tagging, untouched = Keep(seen), Keep(plain)
    tagging.addFilter(JobContextFilter())
    other = logging.getLogger("otherlib")
    other.addHandler(tagging)
    other.propagate = False
    third = logging.getLogger("thirdlib")
    third.addHandler(untouched)
    third.propagate = False
    records: list[logging.LogRecord] = []
    try:
        with job_context(task_id="t", iteration=2), capture_records("mlr3py") as records:
            logging.getLogger("mlr3py").warning("from mlr3py")
            other.warning("from another library")
            third.warning("untouched")
            # a record of another library may carry fields of the same name
            third.warning("own fields", extra={"task_id": "mine"})
    finally:
        other.removeHandler(tagging)
        other.propagate = True
        third.removeHandler(untouched)
        third.propagate = True
    assert (records[0].task_id, records[0].iteration) == ("t", 2)
    assert (seen[0].task_id, seen[0].iteration) == ("t", 2)
    assert not hasattr(plain[0], "task_id")
    assert plain[1].task_id == "mine"
