"""Method ``"process"`` (alias ``"callr"``): the call runs in a separate Python process.

A child process is started once (from a fork server that has imported mlr3py, so
a new child is ready in milliseconds after the first) and then reused for call
after call: each call costs a round trip through a pipe (pickling the learner,
the task and the result), not an interpreter start. Children are pooled, one per
concurrent caller (threads plans run calls side by side).

- The result (the trained model, torch models included) comes back by pickle.
- Warnings, log records and output are captured in the child; output includes
  what compiled code writes to file descriptors 1 and 2. Log records are re-emitted
  to this process's handlers, tagged with the job (see :func:`mlr3py.log.replay_records`).
- numpy's, :mod:`random`'s and (when imported) torch's random states travel to
  the child and back, so results equal those of the in-process methods.
- When the child dies (segmentation fault, abort, kill) the call is logged as an
  error such as ``"process exited with signal SIGSEGV (-11)"``; the next call
  gets a fresh child.
- A timeout kills the child and logs ``"reached elapsed time limit"``.
- A child ends with the process that started it, however that one ends: at a
  normal exit (also of a worker process of a parallel plan, or of a daemonic one
  such as a dask worker), and when it is killed (``kill -9``), since the child
  watches a pipe that only its owner holds open (:mod:`._child`).
- The files that take a child's output live in one directory per owning process
  (``mlr3py-children-<pid>-*`` in the temporary directory), removed at exit and,
  when a killed process left it behind, by the next one that starts a child.

Unlike plain :mod:`multiprocessing` children, a child does not import the main
script again (functions and classes defined there travel by value, with
cloudpickle), so scripts need no ``if __name__ == "__main__":`` guard for it.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import multiprocessing
import multiprocessing.util  # before our atexit hook, so that the hook runs before its join
import os
import pickle
import re
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from typing import Any

from mlr3py._exit import describe_exit
from mlr3py.encapsulation._capture import entries_from_records, entries_from_text
from mlr3py.encapsulation._child import Request, Response, child_main, dumps, get_rng, set_rng
from mlr3py.encapsulation._log_entry import LogEntry
from mlr3py.encapsulation._record import EncapsulationResult, timeout_entry
from mlr3py.errors import ConfigError
from mlr3py.log import current_job_context, replay_records

__all__ = ["describe_exit", "preload_modules", "run_process", "shutdown_process_workers"]

_READY_TIMEOUT = 300.0

_preload: list[str] = ["mlr3py.encapsulation._child"]


def preload_modules(*names: str) -> None:
    """Have each encapsulation child import the modules ``names`` when it starts.

    The layers that hand calls to the ``"process"`` method name what their calls
    need (e.g. the learners), so that the first call does not pay for the imports.
    """
    for name in names:
        if name not in _preload:
            _preload.append(name)


_tls = threading.local()
_prep_lock = threading.Lock()
_prep_installed = False


def _install_prep_filter() -> None:
    """Make children started by this module skip re-running the main script."""
    global _prep_installed
    from multiprocessing import spawn

    with _prep_lock:
        if _prep_installed:
            return
        original = spawn.get_preparation_data

        def get_preparation_data(name: str) -> dict[str, Any]:
            data = original(name)
            if getattr(_tls, "no_main", False):
                data.pop("init_main_from_path", None)
                data.pop("init_main_from_name", None)
            return data

        spawn.get_preparation_data = get_preparation_data  # type: ignore[assignment]
        _prep_installed = True


def _context() -> Any:
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        with contextlib.suppress(Exception):
            ctx.set_forkserver_preload(list(_preload))
        return ctx
    return multiprocessing.get_context("spawn")


class _Worker:
    """One child process, its pipes and the files its stdout / stderr go to."""

    def __init__(self, directory: str) -> None:
        ctx = _context()
        fd, self.out_path = tempfile.mkstemp(prefix="child-", suffix=".out", dir=directory)
        os.close(fd)
        fd, self.err_path = tempfile.mkstemp(prefix="child-", suffix=".err", dir=directory)
        os.close(fd)
        parent_conn, child_conn = ctx.Pipe(duplex=True)
        # the child leaves when this pipe closes: only this process holds its write end
        alive_r, self.alive = ctx.Pipe(duplex=False)
        self.proc = ctx.Process(
            target=child_main,
            args=(child_conn, self.out_path, self.err_path, tuple(_preload[1:]), alive_r),
            name="mlr3py-encapsulation", daemon=False,
        )
        _install_prep_filter()
        _tls.no_main = True
        try:
            with _allow_children():
                self.proc.start()
        finally:
            _tls.no_main = False
        child_conn.close()
        alive_r.close()
        self.conn = parent_conn
        self.ready = False

    def wait_ready(self) -> str | None:
        """Wait for the child's hello; an error message if it died first."""
        if self.ready:
            return None
        try:
            if self.conn.poll(_READY_TIMEOUT) and self.conn.recv_bytes() == b"ready":
                self.ready = True
                return None
        except (EOFError, OSError):
            pass
        self.kill()
        return "could not start the encapsulation process: " + describe_exit(self.proc.exitcode)

    def call(self, payload: bytes, timeout: float | None) -> tuple[str, Any]:
        """Send one request; ``("ok", bytes)``, ``("died", exitcode)`` or ``("timeout", None)``."""
        for path in (self.out_path, self.err_path):
            with open(path, "wb"):
                pass
        try:
            self.conn.send_bytes(payload)
            # the child says "started" once the request is unpickled and set up: the time
            # limit applies to the call itself, not to the transfer
            if self.conn.recv_bytes() != b"started":  # pragma: no cover - protocol error
                return "died", self._exitcode()
            if self.conn.poll(timeout):
                return "ok", self.conn.recv_bytes()
        except (EOFError, OSError, BrokenPipeError):
            return "died", self._exitcode()
        if not self.proc.is_alive():
            return "died", self._exitcode()
        return "timeout", None

    def _exitcode(self) -> int | None:
        self.proc.join(timeout=5)
        return self.proc.exitcode

    def output(self) -> tuple[str, str]:
        texts = []
        for path in (self.out_path, self.err_path):
            try:
                with open(path, encoding="utf-8", errors="replace") as fh:
                    texts.append(fh.read())
            except OSError:
                texts.append("")
        return texts[0], texts[1]

    def kill(self) -> None:
        with contextlib.suppress(Exception):
            if self.proc.is_alive():
                self.proc.kill()
            self.proc.join(timeout=5)
        with contextlib.suppress(Exception):
            self.conn.close()
        with contextlib.suppress(Exception):
            self.alive.close()
        for path in (self.out_path, self.err_path):
            with contextlib.suppress(OSError):
                os.unlink(path)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.conn.close()  # the child leaves its loop on EOF
        with contextlib.suppress(Exception):
            self.proc.join(timeout=2)
        self.kill()


@contextlib.contextmanager
def _allow_children() -> Iterator[None]:
    """Let a daemonic process (e.g. a dask worker) start an encapsulation child.

    :mod:`multiprocessing` refuses children to daemonic processes because they
    could be orphaned when it terminates its daemons at exit; these children end
    with their owner by themselves (the finalizer below, and their alive pipe).
    """
    config = getattr(multiprocessing.current_process(), "_config", {})
    daemon = config.get("daemon", False)
    if daemon:
        config["daemon"] = False
    try:
        yield
    finally:
        if daemon:
            config["daemon"] = True


_DIR_PREFIX = "mlr3py-children-"
_DIR_RE = re.compile(rf"^{_DIR_PREFIX}(\d+)-")


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # e.g. EPERM: it exists
        return True
    return True


def _remove_stale_dirs() -> None:
    """Remove the output directories left by processes that were killed."""
    base = tempfile.gettempdir()
    with contextlib.suppress(OSError):
        for name in os.listdir(base):
            match = _DIR_RE.match(name)
            if match and not _pid_alive(int(match.group(1))):
                shutil.rmtree(os.path.join(base, name), ignore_errors=True)


class _Pool:
    """Idle children, reused by later calls (any thread), and their output directory."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.idle: list[_Worker] = []
        self.busy: set[_Worker] = set()
        self.pid = os.getpid()
        self.directory: str | None = None
        self.finalizer: Any = None

    def _directory(self) -> str:
        with self.lock:
            if self.directory is None or not os.path.isdir(self.directory):
                _remove_stale_dirs()
                self.directory = tempfile.mkdtemp(prefix=f"{_DIR_PREFIX}{os.getpid()}-")
            if self.finalizer is None:
                # multiprocessing runs finalizers of priority >= 0 before it joins the
                # children of a process that exits (also in its worker processes,
                # where atexit hooks do not run): the children leave on EOF first
                self.finalizer = multiprocessing.util.Finalize(
                    None, shutdown_process_workers, exitpriority=100
                )
            return self.directory

    def acquire(self) -> _Worker:
        with self.lock:
            if self.idle:
                worker = self.idle.pop()
                if worker.proc.is_alive():
                    self.busy.add(worker)
                    return worker
                worker.kill()
        worker = _Worker(self._directory())
        with self.lock:
            self.busy.add(worker)
        return worker

    def release(self, worker: _Worker, healthy: bool) -> None:
        with self.lock:
            self.busy.discard(worker)
            if healthy:
                self.idle.append(worker)
                return
        worker.kill()

    def shutdown(self) -> None:
        with self.lock:
            workers = [*self.idle, *self.busy]
            self.idle, self.busy = [], set()
            directory, self.directory = self.directory, None
        for worker in workers:
            worker.close()
        if directory is not None:
            shutil.rmtree(directory, ignore_errors=True)

    def forget(self) -> None:
        """In a forked child: drop the parent's children without ending them."""
        for worker in [*self.idle, *self.busy]:
            for conn in (worker.conn, worker.alive):
                with contextlib.suppress(Exception):
                    conn.close()  # this process's copies only


_pool = _Pool()


def shutdown_process_workers() -> None:
    """End the pooled encapsulation children (they are started again when needed)."""
    if _pool.pid == os.getpid():
        _pool.shutdown()


def _forget_after_fork() -> None:
    global _pool
    old, _pool = _pool, _Pool()  # the parent's children are not ours
    old.forget()
    _forget_forkserver()


def _forget_forkserver() -> None:
    """In a forked child: the parent's fork server is not ours; start our own when needed."""
    from multiprocessing import forkserver

    server: Any = getattr(forkserver, "_forkserver", None)
    if server is None:
        return
    with contextlib.suppress(Exception):
        if server._forkserver_alive_fd is not None:
            os.close(server._forkserver_alive_fd)
    with contextlib.suppress(Exception):
        server._forkserver_address = None
        server._forkserver_alive_fd = None
        server._forkserver_pid = None
        server._inherited_fds = None
        server._lock = threading.Lock()


# atexit runs the handlers last-registered first: ours ends the children (they leave their
# loop on EOF) before multiprocessing's handler joins them, which would wait forever
atexit.register(shutdown_process_workers)
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_after_fork)


def _uses_torch(obj: Any) -> bool:
    """Send torch's random state only for learners that use torch (importing it costs seconds)."""
    return "torch" in sys.modules and "torch" in (getattr(obj, "packages", None) or ())


def _levels() -> dict[str, int]:
    names = {"", "mlr3py"}
    return {name: logging.getLogger(name).getEffectiveLevel() for name in names}


def run_process(
    stage: str, obj: Any, attr: str, args: tuple[Any, ...], timeout: float | None = None
) -> EncapsulationResult:
    """Call ``obj.attr(*args)`` in a pooled child process (see the module docstring)."""
    context = current_job_context()
    request = Request(
        stage=stage, obj=obj, attr=attr, args=args,
        rng=get_rng(torch_state=_uses_torch(obj)),
        levels=_levels(), context=context, sys_path=list(sys.path),
    )
    try:
        payload = dumps(request)
    except Exception as exc:
        raise ConfigError(
            f"The 'process' encapsulation needs a picklable learner and task; pickling "
            f"{type(obj).__name__} failed: {type(exc).__name__}: {exc}"
        ) from exc
    worker = _pool.acquire()
    problem = worker.wait_ready()
    if problem is not None:
        _pool.release(worker, healthy=False)
        return EncapsulationResult(None, [LogEntry(stage, "error", problem, "ProcessError")],
                                   0.0, True)
    limit = None if timeout is None or timeout == float("inf") else max(float(timeout), 0.0)
    start = time.perf_counter()
    outcome, data = worker.call(payload, limit)
    elapsed = time.perf_counter() - start
    if outcome != "ok":
        stdout, stderr = worker.output()
        _pool.release(worker, healthy=False)
        log = [*entries_from_text(stage, stdout, "output"),
               *entries_from_text(stage, stderr, "message")]
        if outcome == "timeout":
            log.append(timeout_entry(stage))
        else:
            log.append(LogEntry(stage, "error", describe_exit(data), "ProcessError"))
        return EncapsulationResult(None, log, elapsed, True)
    stdout, stderr = worker.output()
    _pool.release(worker, healthy=True)
    response: Response = pickle.loads(data)
    if response.status == "config":
        if response.error is not None:
            raise response.error
        msg = response.entries[0].msg if response.entries else "configuration error"
        raise ConfigError(msg)
    set_rng(response.rng)
    replay_records(response.records, context)
    log = [
        *entries_from_text(stage, stdout, "output"),
        *entries_from_text(stage, stderr, "message"),
        *entries_from_records(stage, response.records),
        *response.entries,
    ]
    failed = response.status != "ok"
    return EncapsulationResult(response.result, log, response.elapsed, failed)
