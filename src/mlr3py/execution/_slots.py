"""Worker slots: one single-worker executor each, with the marker file its worker writes.

A :class:`Slot` is one worker process of the "processes" (loky) or "multicore"
(fork) engine. Before each item the worker writes the ticket of its unit, the
item's index and the phase it reached into the slot's marker file
(:class:`FileMarker`); after a death the parent reads it back
(:meth:`Slot.started`) and asks the slot how the worker died (:meth:`Slot.death`).
A broken executor is replaced on the next submit. Workers are started by
:func:`_init_worker`: one BLAS thread, and they exit when their parent dies.

Slots are kept between runs in a :class:`Pool` per kind (:func:`shared_pool`);
:func:`shutdown_pools` stops them.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import math
import os
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from typing import Any

from mlr3py._exit import exitcode_from_message
from mlr3py.execution._deaths import WorkerDied
from mlr3py.execution._threads import THREAD_ENV_VARS, limit_worker_threads

__all__ = ["PARENT_CHECK_S", "FileMarker", "Pool", "Slot", "shared_pool", "shutdown_pools"]

_PHASE_AT = 32
_PHASE_LEN = 16


class FileMarker:
    """Writes the ticket of the unit, the index of the item about to run and the phase
    it reached (:func:`~mlr3py.execution._units.note_phase`) into a file of the parent's.

    Parameters
    ----------
    path : str
        The slot's marker file; the parent reads it after the worker died.
    ticket : int
        The unit's number on its slot (increasing with each submission), so that the
        parent can tell which of the units the worker held was running.
    """

    def __init__(self, path: str, ticket: int = 0) -> None:
        self.path = path
        self.ticket = ticket
        self._fd: int | None = None

    def __enter__(self) -> FileMarker:
        self._fd = os.open(self.path, os.O_WRONLY)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __call__(self, index: int) -> None:
        if self._fd is not None:
            os.pwrite(self._fd, b"%20d %11d" % (self.ticket, index) + b" " * _PHASE_LEN, 0)

    def phase(self, name: str) -> None:
        """The running item reached phase ``name``."""
        if self._fd is not None:
            data = name.encode("ascii", "replace")[:_PHASE_LEN].ljust(_PHASE_LEN)
            os.pwrite(self._fd, data, _PHASE_AT)


#: How often a worker checks that the process that started it is still there.
PARENT_CHECK_S = 0.25


def _watch_parent(parent: int) -> None:
    while True:
        if os.getppid() != parent:  # reparented: the parent died (kill -9, SIGTERM, ...)
            os._exit(1)
        time.sleep(PARENT_CHECK_S)


def _init_worker(die_with_parent: bool, parent: int | None = None) -> None:
    """Initializer of worker processes: one BLAS thread; die with the parent.

    Every worker exits within :data:`PARENT_CHECK_S` seconds of its parent's death
    (however it died: ``kill -9``, SIGTERM, a crash): a thread polls the parent's
    pid. An orphan would hold the parent's stdout / stderr open (a ``| tee`` around
    the run would wait for it) and the pipe of the resource tracker, which removes
    the run's semaphores once the last holder is gone. (``PR_SET_PDEATHSIG`` alone
    is not enough: it fires when the parent's *thread* that started the worker
    ends.) Workers of a pool started inside another worker also get SIGKILL at once
    when that worker dies (Linux ``PR_SET_PDEATHSIG``): forked children inherit
    their parent's pipe ends, and orphans holding them would hide the parent's
    death from its pool.
    """
    limit_worker_threads()
    # the parent's pid comes from the parent: it may have died before this worker started
    threading.Thread(target=_watch_parent, args=(parent or os.getppid(),), daemon=True,
                     name="mlr3py-parent-watch").start()
    with contextlib.suppress(Exception):
        # loky checks a worker's memory every second after a call and replaces a worker
        # whose memory grew by 300 MB since its first call, taking it for a leak; these
        # workers keep a run's task on purpose (_shared), and a replacement would also
        # lose the parent's knowledge of which worker ran what. Without psutil the same
        # check is a full gc.collect() (tens of ms with scikit-learn and pandas loaded)
        # every second, which many short jobs pay again and again. Never check.
        from joblib.externals.loky import process_executor

        process_executor._MEMORY_LEAK_CHECK_DELAY = math.inf
    if die_with_parent and sys.platform.startswith("linux"):
        with contextlib.suppress(Exception):
            import ctypes
            import signal

            ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL))  # PR_SET_PDEATHSIG


def _exit_code(proc: Any, wait: float = 10.0) -> int | None:
    """The exit code of a worker process, waiting up to ``wait`` seconds for its exit.

    The executor's own thread may be reaping the process at the same moment (then our
    waitpid fails and the exit code stays unknown for a while), and the exit of a large
    process takes seconds on a loaded machine: poll until it is known.
    """
    deadline = time.monotonic() + wait
    while True:
        with contextlib.suppress(Exception):
            proc.join(timeout=0.05)
        code = getattr(getattr(proc, "_popen", None), "returncode", None)
        code = proc.exitcode if code is None else code
        if code is not None or time.monotonic() > deadline:
            return code


class Slot:
    """One worker: a single-worker executor plus its marker file."""

    def __init__(self, kind: str, die_with_parent: bool = False) -> None:
        self.kind = kind
        self.die_with_parent = die_with_parent
        self.executor: Any = None
        self._procs: list[Any] = []
        # processes of an executor found broken when a unit was submitted, before the run
        # learnt of the death: the next death() reads their exit code
        self._retired: list[Any] = []
        self._tickets = 0
        self.chores: list[concurrent.futures.Future[Any]] = []  # calls no run waits for
        fd, self.marker = tempfile.mkstemp(prefix="mlr3py-worker-", suffix=".marker")
        os.close(fd)

    def _new_executor(self) -> Any:
        if self.kind == "loky":
            from joblib.externals.loky import ProcessPoolExecutor

            return ProcessPoolExecutor(
                max_workers=1, env=dict.fromkeys(THREAD_ENV_VARS, "1"),
                initializer=_init_worker, initargs=(self.die_with_parent, os.getpid()),
            )
        import multiprocessing

        return concurrent.futures.ProcessPoolExecutor(
            max_workers=1, mp_context=multiprocessing.get_context("fork"),
            initializer=_init_worker, initargs=(self.die_with_parent, os.getpid()),
        )

    def submit(self, fn: Callable[..., Any], *args: Any) -> concurrent.futures.Future[Any]:
        for _ in range(2):
            if self.executor is None:
                self.executor = self._new_executor()
            try:
                future = self.executor.submit(fn, *args)
            except (concurrent.futures.BrokenExecutor, RuntimeError):
                # the worker died, while idle or while running a unit whose death the run
                # has not collected yet: keep its process for that death's exit code
                self._retired.extend(self._procs)
                self.discard()
                continue
            self._procs = list(getattr(self.executor, "_processes", {}).values())
            return future
        raise RuntimeError("Could not start a worker process.")  # pragma: no cover

    def next_ticket(self) -> int:
        """A new number for a unit submitted to this slot (greater than all before)."""
        self._tickets += 1
        return self._tickets

    def started(self) -> tuple[int, int, str]:
        """``(ticket, index, phase)``: the unit and the index of the item the worker
        last started (``len(items)`` once the unit finished), and the phase it
        reached; ``(-1, -1, "")`` if none."""
        try:
            with open(self.marker, "rb") as fh:
                data = fh.read()
            ticket, index = data[:_PHASE_AT].split()
            return int(ticket), int(index), data[_PHASE_AT:].decode("ascii", "replace").strip()
        except (OSError, ValueError):
            return -1, -1, ""

    def death(self, exc: BaseException) -> WorkerDied:
        """How the worker died: the exit code of the process that ran the unit (of an
        executor found broken and replaced on submit, else of the current one)."""
        retired, self._retired = self._retired, []
        for procs in (retired, self._procs):
            codes = [_exit_code(proc) for proc in procs]
            code = next((c for c in codes if c not in (None, 0)), None)
            if code is not None:
                return WorkerDied(code, type(exc).__name__)
        return WorkerDied(exitcode_from_message(str(exc)), type(exc).__name__)

    def warm(self) -> None:
        """Start a replacement worker now, in the background, so the next submit is quick."""
        if self.executor is None:
            with contextlib.suppress(Exception):
                self.executor = self._new_executor()
            self.chore(os.getpid)

    def discard(self) -> None:
        executor, self.executor, self._procs = self.executor, None, []
        if executor is None:
            return
        with contextlib.suppress(Exception):
            if self.kind == "loky":
                executor.shutdown(wait=False, kill_workers=True)
            else:
                executor.shutdown(wait=False, cancel_futures=True)

    def chore(self, fn: Callable[..., Any]) -> None:
        """Submit ``fn`` to an idle worker; :meth:`close` waits for it."""
        if self.executor is not None:
            with contextlib.suppress(Exception):
                self.chores = [f for f in self.chores if not f.done()]
                self.chores.append(self.executor.submit(fn))

    def close(self) -> None:
        # loky's manager thread fails with a KeyError when its executor is shut down
        # while a call is still queued: let the idle workers' chores finish first
        concurrent.futures.wait(self.chores, timeout=5.0)
        self.chores = []
        executor = self.executor
        self.discard()
        # the standard library's executor ends its manager thread after the shutdown,
        # closing the thread's wakeup pipe; a thread still ending when the interpreter
        # exits races with concurrent.futures' exit hook, which writes to that pipe
        # ("OSError: Bad file descriptor" printed at exit): let it end first (bounded)
        manager = getattr(executor, "_executor_manager_thread", None)
        if self.kind != "loky" and isinstance(manager, threading.Thread):
            manager.join(timeout=5.0)
        with contextlib.suppress(OSError):
            os.unlink(self.marker)


class Pool:
    """Single-worker executors kept between runs; a run takes as many as it needs."""

    def __init__(self, kind: str, nested: bool = False) -> None:
        self.kind = kind
        self.nested = nested
        self._lock = threading.Lock()
        self._free: list[Slot] = []
        self._all: list[Slot] = []

    def acquire(self, n: int) -> list[Slot]:
        with self._lock:
            slots, self._free = self._free[:n], self._free[n:]
            while len(slots) < n:
                slot = Slot(self.kind, die_with_parent=self.nested)
                self._all.append(slot)
                slots.append(slot)
            return slots

    def release(self, slots: list[Slot]) -> None:
        with self._lock:
            self._free = [*slots, *self._free]

    def shutdown(self) -> None:
        with self._lock:
            for slot in self._all:
                slot.close()
            self._all, self._free = [], []


_POOLS: dict[str, Pool] = {}
_POOLS_LOCK = threading.Lock()


def shared_pool(kind: str) -> Pool:
    """The pool of slots of ``kind`` kept in this process (a new one after a fork)."""
    with _POOLS_LOCK:
        pool = _POOLS.get(kind)
        if pool is None or os.getpid() != getattr(pool, "pid", os.getpid()):
            pool = _POOLS[kind] = Pool(kind)
            pool.pid = os.getpid()  # type: ignore[attr-defined]
        return pool


def shutdown_pools() -> None:
    """Stop the worker processes kept for reuse."""
    with _POOLS_LOCK:
        pools = list(_POOLS.values())
        _POOLS.clear()
    for pool in pools:
        pool.shutdown()
