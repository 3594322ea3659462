"""Tests of the encapsulation methods: one record (result, log, elapsed) from each."""

from __future__ import annotations

import logging
import os
import threading
import time

import numpy as np
import pytest
from _encapsulation_helpers import Calls

from mlr3py.encapsulation import (
    METHODS,
    EncapsulationResult,
    check_method,
    check_timeout,
    describe_exit,
    encapsulate,
)
from mlr3py.errors import ConfigError
from mlr3py.log import capture_records
from mlr3py.options import options

CAPTURING = ["evaluate", "process"]
CATCHING = ["try", "evaluate", "process"]


def classes(res: EncapsulationResult) -> list[tuple[str, str]]:
    return [(e.cls, e.msg) for e in res.log]


@pytest.mark.parametrize("method", [*METHODS, "callr"])
def test_every_method_returns_the_result(method: str) -> None:
    res = encapsulate(method, "train", Calls(), "ok", (1,))
    assert isinstance(res, EncapsulationResult)
    assert res.result == 2 and res.log == [] and not res.failed
    assert res.elapsed >= 0


def test_none_propagates_the_original_error() -> None:
    with pytest.raises(KeyError, match="no key 3"):
        encapsulate("none", "train", Calls(), "fail", (3,))


@pytest.mark.parametrize("method", CATCHING)
def test_errors_are_logged_with_their_type(method: str) -> None:
    res = encapsulate(method, "predict", Calls(), "fail", (3,))
    assert res.failed and res.result is None
    (entry,) = res.log
    assert (entry.stage, entry.cls, entry.condition) == ("predict", "error", "KeyError")
    assert "no key 3" in entry.msg


@pytest.mark.parametrize("method", CATCHING)
def test_config_errors_are_never_caught(method: str) -> None:
    with pytest.raises(ConfigError, match="'x' parameter is wrong"):
        encapsulate(method, "train", Calls(), "bad_config", (1,))


@pytest.mark.parametrize("method", CAPTURING)
def test_warnings_output_and_messages_are_captured(
    method: str, capsys: pytest.CaptureFixture
) -> None:
    res = encapsulate(method, "train", Calls(), "warn", (5,))
    assert res.result == 5 and not res.failed
    assert [(e.cls, e.msg, e.condition) for e in res.log] == [
        ("warning", "careful with 5", "RuntimeWarning")
    ]
    res = encapsulate(method, "train", Calls(), "talk", (6,))
    assert ("output", "out 6") in classes(res) and ("message", "err 6") in classes(res)
    captured = capsys.readouterr()
    assert "out 6" not in captured.out and "err 6" not in captured.err


@pytest.mark.parametrize("method", CAPTURING)
def test_repeated_warnings_are_captured_every_time(method: str) -> None:
    for _ in range(3):
        res = encapsulate(method, "train", Calls(), "warn", (1,))
        assert [e.cls for e in res.log] == ["warning"]


def test_try_does_not_capture_warnings() -> None:
    with pytest.warns(RuntimeWarning, match="careful"):
        res = encapsulate("try", "train", Calls(), "warn", (1,))
    assert res.log == []


@pytest.mark.subprocess
def test_process_captures_c_level_output_evaluate_does_not(capfd: pytest.CaptureFixture) -> None:
    res = encapsulate("process", "train", Calls(), "c_level", (1,))
    assert ("output", "written by C") in classes(res)
    res = encapsulate("evaluate", "train", Calls(), "c_level", (1,))
    assert res.log == []  # documented: fd-level writes bypass sys.stdout
    assert "written by C" in capfd.readouterr().out


@pytest.mark.parametrize("method", CAPTURING)
def test_log_records_are_captured_and_reach_handlers(method: str) -> None:
    logging.getLogger("mlr3py").setLevel(logging.INFO)
    with capture_records("") as records:
        res = encapsulate(method, "train", Calls(), "log", (7,))
    # third-party records become log entries, mlr3py's own do not
    assert [(e.cls, e.msg) for e in res.log] == [("warning", "third party says 7")]
    messages = {(r.name, r.getMessage()) for r in records}
    assert ("thirdparty", "third party says 7") in messages
    assert ("mlr3py", "mlr3py says 7") in messages


@pytest.mark.parametrize("method", CATCHING)
def test_timeout_interrupts_sleep(method: str) -> None:
    start = time.perf_counter()
    res = encapsulate(method, "train", Calls(), "sleep", (3.0,), timeout=0.2)
    assert time.perf_counter() - start < 2.0
    assert res.failed
    assert [(e.cls, e.msg, e.condition) for e in res.log] == [
        ("error", "reached elapsed time limit", "TimeoutError")
    ]


@pytest.mark.parametrize("method", CATCHING)
def test_timeout_interrupts_python_loops(method: str) -> None:
    res = encapsulate(method, "train", Calls(), "spin", (3.0,), timeout=0.2)
    assert res.failed and res.log[-1].msg == "reached elapsed time limit"


def test_timeout_is_not_swallowed_by_except_exception() -> None:
    res = encapsulate("evaluate", "train", Calls(), "swallow", (3.0,), timeout=0.1)
    assert res.failed and res.log[-1].msg == "reached elapsed time limit"


def test_tiny_timeout_fails_and_no_alarm_is_left_behind() -> None:
    res = encapsulate("evaluate", "train", Calls(), "spin", (0.05,), timeout=1e-5)
    assert res.failed
    time.sleep(0.05)  # a stray alarm would raise here
    res = encapsulate("evaluate", "train", Calls(), "ok", (1,), timeout=5)
    assert res.result == 2


def test_timeout_in_a_worker_thread() -> None:
    out: list[EncapsulationResult] = []

    def work() -> None:
        out.append(encapsulate("evaluate", "train", Calls(), "spin", (3.0,), timeout=0.2))
        time.sleep(0.1)  # a pending asynchronous exception would surface here
        out.append(encapsulate("evaluate", "train", Calls(), "ok", (1,), timeout=5.0))

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(10)
    assert out[0].failed and out[0].log[-1].msg == "reached elapsed time limit"
    assert out[1].result == 2


def test_threads_capture_their_own_conditions() -> None:
    results: dict[int, EncapsulationResult] = {}

    def work(i: int) -> None:
        results[i] = encapsulate("evaluate", "train", Calls(), "talk", (i,))

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for i, res in results.items():
        assert classes(res) == [("output", f"out {i}"), ("message", f"err {i}")]


@pytest.mark.subprocess
def test_process_survives_a_segfault_and_restarts() -> None:
    res = encapsulate("process", "train", Calls(), "crash", (1,))
    assert res.failed
    assert res.log[-1].msg == "process exited with signal SIGSEGV (-11)"
    assert res.log[-1].condition == "ProcessError"
    assert encapsulate("process", "train", Calls(), "ok", (1,)).result == 2


@pytest.mark.subprocess
def test_process_reports_exit_codes() -> None:
    res = encapsulate("process", "predict", Calls(), "exit", (3,))
    assert res.log[-1].msg == "process exited with exit code 3"
    assert res.log[-1].stage == "predict"


@pytest.mark.subprocess
def test_process_is_reused_between_calls() -> None:
    pids = {encapsulate("process", "train", Calls(), "pid", (0,)).result for _ in range(3)}
    assert len(pids) == 1 and os.getpid() not in pids


@pytest.mark.subprocess
def test_process_keeps_random_streams_in_step() -> None:
    np.random.seed(1)  # noqa: NPY002 - the global stream is what learners draw from
    here = encapsulate("evaluate", "train", Calls(), "draw", (3,)).result
    after_here = np.random.random_sample()  # noqa: NPY002
    np.random.seed(1)  # noqa: NPY002 - the global stream is what learners draw from
    there = encapsulate("process", "train", Calls(), "draw", (3,)).result
    assert there == here
    assert np.random.random_sample() == after_here  # noqa: NPY002


@pytest.mark.subprocess
def test_process_ships_classes_defined_in_tests() -> None:
    class Local:
        def double(self, x: int) -> int:
            return 2 * x

    assert encapsulate("process", "train", Local(), "double", (4,)).result == 8


@pytest.mark.subprocess
def test_debug_mode_runs_process_in_this_process() -> None:
    options.debug = True
    assert encapsulate("process", "train", Calls(), "pid", (0,)).result == os.getpid()


@pytest.mark.subprocess
def test_bad_method_and_timeout() -> None:
    with pytest.raises(ConfigError, match=r"one of 'none', 'try', 'evaluate', 'process', "
                       r"'callr'. Got 'forked' instead"):
        check_method("forked")
    assert check_method("callr") == "process"
    with pytest.raises(ConfigError, match="must be a number of seconds >= 0.*Got -1"):
        check_timeout(-1)
    with pytest.raises(ConfigError, match="Got 'soon'"):
        check_timeout("soon")
    assert check_timeout(float("inf")) == float("inf")


def test_describe_exit() -> None:
    assert describe_exit(-11) == "process exited with signal SIGSEGV (-11)"
    assert describe_exit(-6) == "process exited with signal SIGABRT (-6)"
    assert describe_exit(2) == "process exited with exit code 2"
