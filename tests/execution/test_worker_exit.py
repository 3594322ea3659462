"""Worker processes end cleanly, also when the main process is killed (``kill -9``, SIGTERM).

Under the processes and multicore plans, with and without ``"process"``
encapsulation, a run is killed while its jobs sleep: every descendant of the
killed process (workers, resource trackers, fork servers, encapsulation
children) exits within seconds, the pipe of its stdout closes (a ``| tee``
around the run would end), and no loky semaphore is left in ``/dev/shm``.
A script using ``"process"`` encapsulation under a parallel plan ends by itself.
"""

from __future__ import annotations

import glob
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

psutil = pytest.importorskip("psutil")

pytestmark = [pytest.mark.slow, pytest.mark.subprocess,
              pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux only")]

SCRIPT = textwrap.dedent(
    """
    import os
    import sys
    from pathlib import Path
    from mlr3py import lrn, plan, resample, rsmp, tsk, tweak

    strategy, method = sys.argv[1], sys.argv[2]
    started = Path(sys.argv[3]) if len(sys.argv) > 3 else None

    def a_minute():
        # called by the job right before it sleeps, in the process that runs it
        if started is not None:
            (started / str(os.getpid())).touch()
        return 60

    learner = lrn("classif.debug", sleep_train=a_minute)
    learner.encapsulate(method, lrn("classif.featureless"))
    with plan(strategy if strategy == "sequential" else tweak(strategy, workers=2)):
        print("running", flush=True)
        resample(tsk("iris"), learner, rsmp("cv", folds=4), seed=1)
    print("finished", flush=True)
    """
)


def _src() -> str:
    return str(Path(__file__).resolve().parents[2] / "src")


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([_src(), env.get("PYTHONPATH", "")])
    return env


def _semaphores(pid: int) -> set[str]:
    return set(glob.glob(f"/dev/shm/sem.loky-{pid}-*"))


def _wait_for_descendants(main: psutil.Process, n: int, timeout: float) -> list[psutil.Process]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        kids = main.children(recursive=True)
        if len(kids) >= n:
            return kids
        time.sleep(0.2)
    pytest.fail(f"only {len(main.children(recursive=True))} descendants started")


def _wait_for_jobs(started: Path, n: int, timeout: float) -> set[int]:
    """The ids of the processes whose jobs started sleeping, once there are ``n``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pids = {int(p.name) for p in started.iterdir()}
        if len(pids) >= n:
            return pids
        time.sleep(0.05)
    pytest.fail(f"only {len(list(started.iterdir()))} of {n} jobs started within {timeout} s")


def _still_running(procs: list[psutil.Process], timeout: float) -> list[psutil.Process]:
    """The processes of ``procs`` that have not exited within ``timeout`` seconds.

    One that exited counts even before its reaper collects it: a zombie holds no
    files or pipes, and an orphan's reaper (the init process) may take seconds.
    """
    def running(proc: psutil.Process) -> bool:
        try:
            return bool(proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE)
        except psutil.NoSuchProcess:
            return False

    deadline = time.monotonic() + timeout
    while (alive := [p for p in procs if running(p)]) and time.monotonic() < deadline:
        time.sleep(0.05)
    return alive


@pytest.mark.parametrize(("strategy", "method", "sig"), [
    ("processes", "none", signal.SIGKILL), ("multicore", "none", signal.SIGKILL),
    ("processes", "process", signal.SIGKILL), ("multicore", "process", signal.SIGKILL),
    ("processes", "process", signal.SIGTERM), ("multicore", "none", signal.SIGTERM),
])
def test_descendants_exit_when_the_main_process_is_killed(
    tmp_path: Path, strategy: str, method: str, sig: signal.Signals
) -> None:
    script = tmp_path / "run.py"
    script.write_text(SCRIPT)
    started = tmp_path / "started"
    started.mkdir()
    proc = subprocess.Popen([sys.executable, str(script), strategy, method, str(started)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=_env(),
                            cwd=tmp_path)
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == b"running"
        main = psutil.Process(proc.pid)
        # a job sleeps in each of the two workers (with "process", in their children)
        sleeping = _wait_for_jobs(started, 2, timeout=120)
        kids = main.children(recursive=True)
        assert sleeping <= {p.pid for p in kids}, (sleeping, kids)
        if method == "process":  # the jobs run in the workers' children
            assert not sleeping & {p.pid for p in main.children()}
        os.kill(proc.pid, sig)
        alive = _still_running(kids, timeout=15)
        assert not alive, [(p.pid, p.cmdline()) for p in alive]
        # the pipe closes once every holder of the main process's stdout is gone
        out, _ = proc.communicate(timeout=15)
        assert b"finished" not in out
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert not _semaphores(proc.pid)  # the resource tracker removed them before it left


@pytest.mark.parametrize("strategy", ["processes", "multicore"])
def test_a_script_with_process_encapsulation_ends_by_itself(tmp_path: Path,
                                                            strategy: str) -> None:
    script = tmp_path / "run.py"
    script.write_text(SCRIPT.replace("sleep_train=a_minute", "warning_train=1"))
    out = subprocess.run([sys.executable, str(script), strategy, "process"],
                         capture_output=True, text=True, env=_env(), cwd=tmp_path,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    assert "finished" in out.stdout
    assert "Traceback" not in out.stderr, out.stderr


@pytest.mark.parametrize("strategy", ["processes", "multicore"])
def test_shutdown_workers_after_a_run_is_quiet(tmp_path: Path, strategy: str) -> None:
    code = textwrap.dedent(
        f"""
        from mlr3py import lrn, plan, resample, rsmp, tsk, tweak
        from mlr3py.execution._engine import shutdown_workers
        for _ in range(3):
            with plan(tweak({strategy!r}, workers=2)):
                resample(tsk("iris"), lrn("classif.featureless"), rsmp("cv", folds=4), seed=1)
            shutdown_workers()
        print("finished")
        """
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=_env(), cwd=tmp_path, timeout=120)
    assert out.returncode == 0 and "finished" in out.stdout, out.stderr
    assert "Traceback" not in out.stderr and "KeyError" not in out.stderr, out.stderr


def test_child_output_files_are_removed_at_exit_and_after_a_kill(tmp_path: Path) -> None:
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = {**_env(), "TMPDIR": str(temp)}
    script = tmp_path / "run.py"
    script.write_text(SCRIPT)
    # killed while its encapsulation child sleeps: the directory stays behind
    proc = subprocess.Popen([sys.executable, str(script), "sequential", "process"],
                            stdout=subprocess.PIPE, env=env, cwd=tmp_path)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == b"running"
        main = psutil.Process(proc.pid)
        _wait_for_descendants(main, 1, timeout=120)
        deadline = time.monotonic() + 60
        while not list(temp.glob("mlr3py-children-*/child-*.out")):
            assert time.monotonic() < deadline
            time.sleep(0.1)
        kids = main.children(recursive=True)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        alive = _still_running(kids, timeout=15)
        assert not alive
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert [d.name for d in temp.glob("mlr3py-children-*")] != []
    # the next run removes it, and its own directory at exit
    script.write_text(SCRIPT.replace("sleep_train=a_minute", "warning_train=1"))
    out = subprocess.run([sys.executable, str(script), "sequential", "process"],
                         capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
    assert out.returncode == 0, out.stderr
    assert not list(temp.glob("mlr3py-*")), list(temp.iterdir())
