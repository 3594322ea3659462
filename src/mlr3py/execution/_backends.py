"""The engines behind the plans: sequential, threads, worker processes and dask.

Every backend runs *units* (chunks of items, see :mod:`mlr3py.execution._chunking`)
with :func:`run_chunk` and returns, per unit, one outcome per item: the item's
result, or a :class:`~mlr3py.execution._failures.WorkerDied` when the worker
process that held the item died.

Worker processes ("processes" via loky, "multicore" via fork) live in a pool of
single-worker executors that is kept and reused between runs. One executor per
worker is what makes worker deaths precise: a crash breaks only the executor
that held the unit, the parent knows which unit that was, and a marker file the
worker writes before each item says which item of the unit was running. That
item is recorded as failed; the items of the unit before it (finished, but
their results died with the worker) and after it run again elsewhere; the
executor is replaced; all other workers keep going. (A single multi-worker loky
pool kills all its workers when one dies and cannot say which item killed it.)

Jobs travel without their task and resampling; each worker gets those once per
run and keeps them (:mod:`mlr3py.execution._shared`).
"""

from __future__ import annotations

import atexit
import concurrent.futures
import concurrent.futures.process
import contextlib
import os
import sys
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from mlr3py._exit import exit_cause, exitcode_from_message
from mlr3py._rng import local_streams
from mlr3py.errors import ConfigError
from mlr3py.execution._failures import WorkerDied
from mlr3py.execution._plans import PlanSpec, enter_worker, exit_worker, in_parallel_worker
from mlr3py.execution._shared import forget, new_run_token, refs, remember, restore, strip
from mlr3py.execution._threads import (
    THREAD_ENV_VARS,
    available_cores,
    learner_threads,
    limit_worker_threads,
    threads_for_job,
)
from mlr3py.log import logger

__all__ = ["Unit", "get_backend", "run_chunk", "shutdown_workers"]

MAX_START_FAILURES = 3


@dataclass
class Unit:
    """A chunk of items submitted together.

    Attributes
    ----------
    chunk : int
        Index of the chunk the items belong to.
    offset : int
        Position of the first item inside the chunk (units are split after a crash).
    items : list
        The items (jobs).
    attempts : int
        How often the unit was lost before any of its items started.
    """

    chunk: int
    offset: int
    items: list[Any]
    attempts: int = 0


Progress = Any  # an object with update(n)


class Marker(Protocol):
    """Where a worker notes the item it is about to run; a context manager around a unit."""

    def __enter__(self) -> Any: ...

    def __exit__(self, *exc: object) -> Any: ...

    def __call__(self, index: int) -> None: ...


class FileMarker:
    """Writes the index of the item about to run into a file of the parent's.

    Parameters
    ----------
    path : str
        The slot's marker file; the parent reads it after the worker died.
    """

    def __init__(self, path: str) -> None:
        self.path = path
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
            os.pwrite(self._fd, b"%11d" % index, 0)


def split_lost_unit(
    unit: Unit, started: int, died: WorkerDied, results: dict[int, list[Any]],
    progress: Progress,
) -> list[Unit]:
    """Record the item a dead worker was running; return the units to submit again.

    Parameters
    ----------
    unit : Unit
        The unit the worker held.
    started : int
        Index (in ``unit.items``) of the item that was running; -1 if none had
        started, ``len(unit.items)`` if all had finished (their results were lost).
    died : WorkerDied
        What is known about the death.
    results : dict
        Per chunk, the outcomes so far; the running item's slot gets ``died``.
    progress : object
        Updated for each item recorded.

    Returns
    -------
    list of Unit
        The items before the running one (finished, but their results died with the
        worker) and after it (never started); or the whole unit again when none was
        running, until it was lost :data:`MAX_START_FAILURES` times.
    """
    if started < 0 or started >= len(unit.items):
        unit.attempts += 1
        if unit.attempts < MAX_START_FAILURES:
            return [unit]
        for k in range(len(unit.items)):
            results[unit.chunk][unit.offset + k] = died
        progress.update(len(unit.items))
        return []
    logger.warning(
        "A worker process died (%s) while running item %d of a chunk; the item is "
        "recorded as failed, the others run again.", exit_cause(died.exitcode),
        unit.offset + started,
    )
    results[unit.chunk][unit.offset + started] = died
    progress.update(1)
    again = []
    if started > 0:
        again.append(Unit(unit.chunk, unit.offset, unit.items[:started]))
    if started + 1 < len(unit.items):
        again.append(Unit(unit.chunk, unit.offset + started + 1, unit.items[started + 1:]))
    return again


def run_chunk(
    fn: Callable[[Any], Any],
    items: Sequence[Any],
    levels: tuple[PlanSpec, ...],
    marker: Marker | None = None,
    worker_process: bool = False,
) -> list[Any]:
    """Run ``fn`` over ``items`` inside a worker; the next plan levels are active meanwhile.

    Parameters
    ----------
    fn : callable
        The function (``run_job``), importable by reference.
    items : sequence
        The unit's items.
    levels : tuple of PlanSpec
        The plan levels for code running inside ``fn`` (nested resampling).
    marker : Marker, optional
        Told the index of each item before it runs, and ``len(items)`` after the
        last one, so that the parent knows which item a worker was running when it
        died (:class:`FileMarker`, or the dask plan's queue marker).
    worker_process : bool
        Running in a worker process: limit BLAS/OpenMP threads to one, except for
        jobs whose learner asks for more.

    Returns
    -------
    list
        ``fn(item)`` for each item.
    """
    if worker_process:
        limit_worker_threads()
    tokens = enter_worker(levels, parallel=True)
    try:
        out = []
        with local_streams(), marker if marker is not None else contextlib.nullcontext():
            for i, item in enumerate(items):
                if marker is not None:
                    marker(i)
                if worker_process:
                    with threads_for_job(getattr(item, "learner", None)):
                        out.append(fn(item))
                else:
                    out.append(fn(item))
            if marker is not None:
                marker(len(items))  # all done: a death from now on loses only results
        return out
    finally:
        exit_worker(tokens)


class MissingShared:
    """What a worker returns when it lacks a shared object (it was replaced meanwhile)."""


def run_unit_cached(
    fn: Callable[[Any], Any], items: list[Any], levels: tuple[PlanSpec, ...],
    marker: Marker | None, run: tuple[int, int], new: dict[int, Any],
) -> list[Any] | MissingShared:
    """:func:`run_chunk` in a worker process, on items stripped of their shared objects.

    Parameters
    ----------
    fn, levels, marker
        As for :func:`run_chunk`.
    items : list
        Items made by :func:`mlr3py.execution._shared.strip`.
    run : tuple
        The run's token: the worker keeps the shared objects of one run.
    new : dict
        The shared objects this worker has not had in this run yet.
    """
    shared = remember(run, new)
    if not refs(items) <= shared.keys():
        return MissingShared()
    return run_chunk(fn, restore(items, shared), levels, marker, worker_process=True)


def default_workers(spec: PlanSpec) -> int:
    """``spec.workers``, or :func:`available_cores` at the top level and 1 inside workers."""
    if spec.workers is not None:
        return spec.workers
    return 1 if in_parallel_worker() else available_cores()


# -- sequential --------------------------------------------------------------------------------
class SequentialBackend:
    """One item after the other in the calling thread."""

    def __init__(self, spec: PlanSpec) -> None:
        self.spec = spec

    def map(
        self, fn: Callable[[Any], Any], units: list[Unit], levels: tuple[PlanSpec, ...],
        progress: Progress,
    ) -> list[list[Any]]:
        tokens = enter_worker(levels, parallel=False)
        try:
            out = []
            for unit in units:
                res = []
                for item in unit.items:
                    res.append(fn(item))
                    progress.update(1)
                out.append(res)
            return out
        finally:
            exit_worker(tokens)


# -- threads -----------------------------------------------------------------------------------
class ThreadsBackend:
    """A thread pool; each thread draws from random streams of its own."""

    def __init__(self, spec: PlanSpec) -> None:
        self.spec = spec

    def map(
        self, fn: Callable[[Any], Any], units: list[Unit], levels: tuple[PlanSpec, ...],
        progress: Progress,
    ) -> list[list[Any]]:
        n = min(default_workers(self.spec), len(units)) or 1
        wanted = max((learner_threads(getattr(i, "learner", None)) for u in units
                      for i in u.items), default=1)
        results: list[list[Any] | None] = [None] * len(units)
        with _thread_limit(wanted), concurrent.futures.ThreadPoolExecutor(
            max_workers=n, thread_name_prefix="mlr3py"
        ) as pool:
            futures = {
                pool.submit(run_chunk, fn, unit.items, levels): k for k, unit in enumerate(units)
            }
            try:
                for fut in concurrent.futures.as_completed(futures):
                    results[futures[fut]] = fut.result()
                    progress.update(len(units[futures[fut]].items))
            except BaseException:
                for fut in futures:
                    fut.cancel()
                raise
        return [r if r is not None else [] for r in results]


@contextlib.contextmanager
def _thread_limit(n: int) -> Any:
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover
        yield
        return
    with threadpool_limits(limits=max(1, n)):
        yield


# -- worker processes --------------------------------------------------------------------------
_DEATH_ERRORS: tuple[type[BaseException], ...] = (concurrent.futures.process.BrokenProcessPool,)


def _death_errors() -> tuple[type[BaseException], ...]:
    try:
        from joblib.externals.loky.process_executor import ShutdownExecutorError
    except ImportError:  # pragma: no cover
        return _DEATH_ERRORS
    return (*_DEATH_ERRORS, ShutdownExecutorError)


def _init_worker(die_with_parent: bool) -> None:
    """Initializer of worker processes: one BLAS thread; optionally die with the parent.

    Workers of a pool started inside another worker get SIGKILL when that worker
    dies (Linux ``PR_SET_PDEATHSIG``): forked children inherit their parent's pipe
    ends, and orphans holding them would hide the parent's death from its pool.
    """
    limit_worker_threads()
    with contextlib.suppress(Exception):
        # loky replaces a worker whose memory grew by 300 MB since its first call, taking
        # it for a leak; these workers keep a run's task on purpose (_shared), and a
        # replacement would also lose the parent's knowledge of which worker ran what
        from joblib.externals.loky import process_executor

        process_executor._USE_PSUTIL = False
    if die_with_parent and sys.platform.startswith("linux"):
        with contextlib.suppress(Exception):
            import ctypes
            import signal

            ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL))  # PR_SET_PDEATHSIG


class _Slot:
    """One worker: a single-worker executor plus its marker file."""

    def __init__(self, kind: str, die_with_parent: bool = False) -> None:
        self.kind = kind
        self.die_with_parent = die_with_parent
        self.executor: Any = None
        self._procs: list[Any] = []
        fd, self.marker = tempfile.mkstemp(prefix="mlr3py-worker-", suffix=".marker")
        os.close(fd)

    def _new_executor(self) -> Any:
        if self.kind == "loky":
            from joblib.externals.loky import ProcessPoolExecutor

            return ProcessPoolExecutor(
                max_workers=1, env=dict.fromkeys(THREAD_ENV_VARS, "1"),
                initializer=_init_worker, initargs=(self.die_with_parent,),
            )
        import multiprocessing

        return concurrent.futures.ProcessPoolExecutor(
            max_workers=1, mp_context=multiprocessing.get_context("fork"),
            initializer=_init_worker, initargs=(self.die_with_parent,),
        )

    def submit(self, fn: Callable[..., Any], *args: Any) -> concurrent.futures.Future[Any]:
        with open(self.marker, "wb") as fh:
            fh.write(b"%11d" % -1)
        for _ in range(2):
            if self.executor is None:
                self.executor = self._new_executor()
            try:
                future = self.executor.submit(fn, *args)
            except (concurrent.futures.BrokenExecutor, RuntimeError):
                self.discard()  # the worker died while idle
                continue
            self._procs = list(getattr(self.executor, "_processes", {}).values())
            return future
        raise RuntimeError("Could not start a worker process.")  # pragma: no cover

    def started_index(self) -> int:
        """Index of the item the worker was running, -1 if none had started."""
        try:
            with open(self.marker, "rb") as fh:
                return int(fh.read().strip() or -1)
        except (OSError, ValueError):
            return -1

    def death(self, exc: BaseException) -> WorkerDied:
        code = None
        for proc in self._procs:
            # the executor's own thread may be reaping the process at the same moment
            # (then our waitpid fails and exitcode stays None for a while): poll briefly
            deadline = time.monotonic() + 2.0
            while True:
                with contextlib.suppress(Exception):
                    proc.join(timeout=0.05)
                exitcode = getattr(getattr(proc, "_popen", None), "returncode", None)
                exitcode = proc.exitcode if exitcode is None else exitcode
                if exitcode is not None or time.monotonic() > deadline:
                    break
            if exitcode not in (None, 0):
                code = exitcode
        if code is None:
            code = exitcode_from_message(str(exc))
        return WorkerDied(code, type(exc).__name__)

    def warm(self) -> None:
        """Start a replacement worker now, in the background, so the next submit is quick."""
        if self.executor is None:
            with contextlib.suppress(Exception):
                self.executor = self._new_executor()
                self.executor.submit(os.getpid)

    def discard(self) -> None:
        executor, self.executor, self._procs = self.executor, None, []
        if executor is None:
            return
        with contextlib.suppress(Exception):
            if self.kind == "loky":
                executor.shutdown(wait=False, kill_workers=True)
            else:
                executor.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        self.discard()
        with contextlib.suppress(OSError):
            os.unlink(self.marker)


class _Pool:
    """Single-worker executors kept between runs; a run takes as many as it needs."""

    def __init__(self, kind: str, nested: bool = False) -> None:
        self.kind = kind
        self.nested = nested
        self._lock = threading.Lock()
        self._free: list[_Slot] = []
        self._all: list[_Slot] = []

    def acquire(self, n: int) -> list[_Slot]:
        with self._lock:
            slots, self._free = self._free[:n], self._free[n:]
            while len(slots) < n:
                slot = _Slot(self.kind, die_with_parent=self.nested)
                self._all.append(slot)
                slots.append(slot)
            return slots

    def release(self, slots: list[_Slot]) -> None:
        with self._lock:
            self._free = [*slots, *self._free]

    def shutdown(self) -> None:
        with self._lock:
            for slot in self._all:
                slot.close()
            self._all, self._free = [], []


_POOLS: dict[str, _Pool] = {}
_POOLS_LOCK = threading.Lock()


def _pool(kind: str) -> _Pool:
    with _POOLS_LOCK:
        pool = _POOLS.get(kind)
        if pool is None or os.getpid() != getattr(pool, "pid", os.getpid()):
            pool = _POOLS[kind] = _Pool(kind)
            pool.pid = os.getpid()  # type: ignore[attr-defined]
        return pool


class ProcessBackend:
    """Worker processes: ``kind`` "loky" (processes) or "fork" (multicore)."""

    def __init__(self, spec: PlanSpec, kind: str) -> None:
        self.spec = spec
        self.kind = kind

    def map(
        self, fn: Callable[[Any], Any], units: list[Unit], levels: tuple[PlanSpec, ...],
        progress: Progress,
    ) -> list[list[Any]]:
        n = min(default_workers(self.spec), len(units)) or 1
        # Inside a worker, inner pools live only for this map: idle grandchildren would
        # outlive a crash of their parent and keep its pipes open.
        nested = in_parallel_worker()
        pool = _Pool(self.kind, nested=True) if nested else _pool(self.kind)
        slots = pool.acquire(n)
        results = {u.chunk: [None] * len(u.items) for u in units}
        queue: deque[Unit] = deque(units)
        idle = list(reversed(slots))
        running: dict[concurrent.futures.Future[Any], tuple[_Slot, Unit]] = {}
        # tasks and resamplings go to each worker once per run (mlr3py.execution._shared)
        run = new_run_token()
        objects: dict[int, Any] = {}
        sent: dict[int, set[int]] = {}  # per slot: the shared objects its worker has
        death_errors = _death_errors()
        error: BaseException | None = None
        try:
            while (queue and error is None) or running:
                while queue and idle and error is None:
                    slot, unit = idle.pop(), queue.popleft()
                    items = strip(unit.items, objects)
                    need = refs(items)
                    have = sent.setdefault(id(slot), set())
                    new = {k: objects[k] for k in need - have}
                    have |= need
                    future = slot.submit(run_unit_cached, fn, items, levels,
                                         FileMarker(slot.marker), run, new)
                    running[future] = (slot, unit)
                done, _ = concurrent.futures.wait(
                    list(running), return_when=concurrent.futures.FIRST_COMPLETED
                )
                for future in done:
                    slot, unit = running.pop(future)
                    idle.append(slot)
                    try:
                        out = future.result()
                    except death_errors as exc:
                        sent.pop(id(slot), None)  # its replacement starts empty
                        self._lost(slot, unit, exc, results, queue, progress)
                    except BaseException as exc:
                        error = error or exc
                    else:
                        if isinstance(out, MissingShared):  # a fresh worker: send all again
                            sent.pop(id(slot), None)
                            queue.appendleft(unit)
                            continue
                        results[unit.chunk][unit.offset:unit.offset + len(out)] = out
                        progress.update(len(out))
            if error is not None:
                raise error
        except BaseException:
            for slot, _ in running.values():
                slot.discard()
            raise
        finally:
            if nested:
                pool.shutdown()
            else:
                for slot in slots:  # idle workers need not hold the run's task
                    if sent.get(id(slot)) and slot.executor is not None:
                        with contextlib.suppress(Exception):
                            slot.executor.submit(forget)
                pool.release(slots)
        return [results[u.chunk] for u in units]

    @staticmethod
    def _lost(
        slot: _Slot, unit: Unit, exc: BaseException, results: dict[int, list[Any]],
        queue: deque[Unit], progress: Progress,
    ) -> None:
        started = slot.started_index()
        died = slot.death(exc)
        slot.discard()
        slot.warm()
        queue.extendleft(reversed(split_lost_unit(unit, started, died, results, progress)))


# -- selection and shutdown --------------------------------------------------------------------
def get_backend(spec: PlanSpec) -> Any:
    """The backend object running plan level ``spec``."""
    if spec.strategy == "sequential":
        return SequentialBackend(spec)
    if spec.strategy == "threads":
        return ThreadsBackend(spec)
    if spec.strategy == "processes":
        return ProcessBackend(spec, "loky")
    if spec.strategy == "multicore":
        import multiprocessing

        if "fork" not in multiprocessing.get_all_start_methods():
            import warnings

            warnings.warn(
                "Plan 'multicore' needs the fork start method, which this platform lacks; "
                "running sequentially. Use plan('processes') instead.",
                RuntimeWarning, stacklevel=4,
            )
            return SequentialBackend(spec)
        return ProcessBackend(spec, "fork")
    if spec.strategy == "dask":
        from mlr3py.execution._dask import DaskBackend

        return DaskBackend(spec)
    raise ConfigError(f"Unknown plan strategy {spec.strategy!r}.")  # pragma: no cover


def shutdown_workers() -> None:
    """Stop the worker processes kept for reuse and the local dask clusters plans started."""
    with _POOLS_LOCK:
        pools = list(_POOLS.values())
        _POOLS.clear()
    for pool in pools:
        pool.shutdown()
    if "mlr3py.execution._dask" in sys.modules:
        from mlr3py.execution._dask import close_local_clusters

        close_local_clusters()


atexit.register(shutdown_workers)
