"""Runs into a store killed for real (``kill -9``, Ctrl-C), then resumed: every job that
finished before the kill is kept and not rerun, and the final scores equal those of an
uninterrupted run. Jobs are short (0.15 s) to keep the tests quick."""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from _store_helpers import counting_design, score_table, trainings

import mlr3py
from mlr3py.evaluation import benchmark
from mlr3py.store._lock import process_alive

pytestmark = pytest.mark.subprocess

HERE = Path(__file__).resolve().parent
FOLDS = 10  # two learners: 20 jobs
N_JOBS = 2 * FOLDS
SECS = 0.15


@contextlib.contextmanager
def _run(store: Path, count: Path, plan_name: str) -> Iterator[subprocess.Popen[bytes]]:
    proc = subprocess.Popen(
        [sys.executable, str(HERE / "_run_store.py"), str(store), str(count), plan_name, "2",
         str(SECS), str(FOLDS)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    try:
        yield proc
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)  # whatever is left of the run
        proc.wait(timeout=60)
        workers = {pid for _, _, pid in _states(store) if pid is not None}
        _wait_for(lambda: not any(process_alive(pid) for pid in workers), timeout=30)
        if proc.stderr is not None:
            proc.stderr.close()


def _states(store: Path) -> list[tuple[str, str, int | None]]:
    if not (store / "store.sqlite").exists():
        return []
    con = sqlite3.connect(store / "store.sqlite", timeout=30)
    try:
        return con.execute("SELECT key, state, pid FROM jobs").fetchall()
    except sqlite3.OperationalError:  # the tables are not there yet
        return []
    finally:
        con.close()


def _done(store: Path) -> set[str]:
    return {key for key, state, _ in _states(store) if state in ("done", "error")}


def _wait_for(condition: object, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise AssertionError("the run did not get there in time")
        time.sleep(0.05)


def _uninterrupted(tmp_path: Path) -> list[tuple[str, int, float]]:
    return score_table(benchmark(counting_design(tmp_path / "ref-count", 0.0, FOLDS), seed=3))


def _check_resume(tmp_path: Path, store: Path, count: Path) -> None:
    done_before = _done(store)
    assert 0 < len(done_before) < N_JOBS
    lines_before = len(trainings(count))
    resumed = mlr3py.resume(store)
    reruns = len(trainings(count)) - lines_before
    assert reruns == N_JOBS - len(done_before)  # nothing done before the kill ran again
    assert score_table(resumed) == _uninterrupted(tmp_path)
    assert len(Counter(trainings(count))) == N_JOBS
    assert _done(store) >= done_before


@pytest.mark.slow
def test_kill_9_of_the_main_process_then_resume(tmp_path: Path) -> None:
    store, count = tmp_path / "s", tmp_path / "count"
    with _run(store, count, "processes") as proc:
        _wait_for(lambda: len(_done(store)) >= N_JOBS // 2)
        os.kill(proc.pid, signal.SIGKILL)
        assert proc.wait(timeout=60) == -signal.SIGKILL
        kept = _done(store)
    assert len(kept) >= N_JOBS // 2
    status = mlr3py.open_store(store).status()  # opens without error after the kill
    assert int(status["done"].sum()) >= len(kept) and int(status["running"].sum()) == 0
    _check_resume(tmp_path, store, count)
    assert _done(store) >= kept


@pytest.mark.slow
def test_kill_9_of_a_worker_records_its_job_and_the_run_goes_on(tmp_path: Path) -> None:
    store, count = tmp_path / "s", tmp_path / "count"
    with _run(store, count, "processes") as proc:
        _wait_for(lambda: any(s == "running" and pid != proc.pid
                              for _, s, pid in _states(store)) and len(_done(store)) >= 2)
        victim = next(pid for _, s, pid in _states(store) if s == "running")
        os.kill(victim, signal.SIGKILL)
        assert proc.wait(timeout=120) == 0, proc.stderr.read().decode()[-2000:]
    rows = _states(store)
    assert {s for _, s, _ in rows} <= {"done", "error"}
    errors = [k for k, s, _ in rows if s == "error"]
    assert 1 <= len(errors) <= 2  # the worker's job(s) at its death
    lines_before = len(trainings(count))
    resumed = mlr3py.resume(store, retry_errors=True)
    assert len(trainings(count)) - lines_before == len(errors)
    assert score_table(resumed) == _uninterrupted(tmp_path)


@pytest.mark.slow
def test_ctrl_c_leaves_no_worker_and_a_consistent_store(tmp_path: Path) -> None:
    store, count = tmp_path / "s", tmp_path / "count"
    with _run(store, count, "processes") as proc:
        _wait_for(lambda: len(_done(store)) >= N_JOBS // 3)
        os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
        proc.wait(timeout=60)
        assert proc.returncode != 0
        workers = {pid for _, _, pid in _states(store) if pid is not None}
        _wait_for(lambda: not any(process_alive(pid) for pid in workers), timeout=30)
    assert not (store / "lock").exists()  # the interrupted run gave its lock back
    status = mlr3py.open_store(store).status()
    assert int(status["running"].sum()) == 0
    _check_resume(tmp_path, store, count)


@pytest.mark.slow
@pytest.mark.dask
def test_kill_9_under_the_dask_plan_then_resume(tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    store, count = tmp_path / "s", tmp_path / "count"
    with _run(store, count, "dask") as proc:
        _wait_for(lambda: len(_done(store)) >= N_JOBS // 2, timeout=240)
        written_by = {pid for _, s, pid in _states(store) if s == "done"}
        assert proc.pid not in written_by  # the dask workers wrote the results
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=60)
    _check_resume(tmp_path, store, count)
