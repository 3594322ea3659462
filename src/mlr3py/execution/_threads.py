"""Threads: :func:`available_cores`, :func:`set_threads` and the workers' thread limits.

Learner parameters tagged ``"threads"`` (``n_jobs`` of scikit-learn estimators, the
debug learner's ``threads``) default to one thread. :func:`set_threads` sets them;
:func:`available_cores` says how many cores this process may use, like parallelly's
``availableCores()``: the smallest of the CPU affinity mask, the cgroup CPU quota
(v2 ``cpu.max``, v1 ``cpu.cfs_quota_us`` / ``cpu.cfs_period_us``) and the CPU count,
unless the environment variable ``MLR3PY_AVAILABLE_CORES`` says otherwise.

Worker processes of parallel plans limit BLAS / OpenMP thread pools to one thread
(environment variables for new processes, :mod:`threadpoolctl` for loaded
libraries), and so their database reads (DuckDB threads, SQLite key ranges), so that
process parallelism and threaded libraries do not oversubscribe the machine; a job
whose learner asks for more threads gets them for its duration.
"""

from __future__ import annotations

import contextlib
import math
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from mlr3py.errors import ConfigError

__all__ = [
    "THREAD_ENV_VARS",
    "ThreadsConfigurable",
    "available_cores",
    "learner_threads",
    "limit_worker_threads",
    "set_threads",
    "threads_for",
]

ENV_OVERRIDE = "MLR3PY_AVAILABLE_CORES"

THREAD_ENV_VARS: tuple[str, ...] = (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "BLIS_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
    "NUMEXPR_NUM_THREADS",
    "MLR3PY_DB_THREADS",
)
"""Environment variables that cap the thread pools of numerical libraries (the last one
the threads of the database reads of mlr3py: :mod:`mlr3py.data._connect`)."""

_CGROUP_ROOT = Path("/sys/fs/cgroup")


def available_cores() -> int:
    """The number of CPU cores this process may use (at least 1).

    Returns
    -------
    int
        ``MLR3PY_AVAILABLE_CORES`` when set (a positive integer); otherwise the
        minimum over ``os.cpu_count()``, the CPU affinity mask
        (``os.sched_getaffinity``) and the cgroup CPU quota (rounded up, at least 1).
        :func:`core_sources` gives each source's value.

    Examples
    --------
    >>> available_cores() >= 1
    True
    """
    sources = core_sources()
    if "env" in sources:
        return sources["env"]
    return max(1, min(sources.values()))


def core_sources() -> dict[str, int]:
    """The core counts :func:`available_cores` chooses from, by source.

    Returns
    -------
    dict
        Keys among ``"env"`` (the override), ``"system"``, ``"affinity"``,
        ``"cgroup"``; only sources that could be read are present.
    """
    out: dict[str, int] = {}
    env = os.environ.get(ENV_OVERRIDE)
    if env is not None and env.strip():
        try:
            value = int(env)
        except ValueError:
            value = 0
        if value < 1:
            raise ConfigError(
                f"The environment variable {ENV_OVERRIDE} must be a positive integer. "
                f"Got {env!r} instead."
            )
        out["env"] = value
    out["system"] = os.cpu_count() or 1
    getaffinity = getattr(os, "sched_getaffinity", None)
    if getaffinity is not None:
        with contextlib.suppress(OSError):
            out["affinity"] = len(getaffinity(0)) or out["system"]
    quota = cgroup_cpu_quota()
    if quota is not None:
        out["cgroup"] = max(1, math.ceil(quota))
    return out


def cgroup_cpu_quota(root: Path = _CGROUP_ROOT) -> float | None:
    """The cgroup CPU quota in cores (v2, then v1), or None when there is none.

    Parameters
    ----------
    root : pathlib.Path
        The cgroup file system mount point (for tests).
    """
    v2 = _read(root / "cpu.max")
    if v2 is not None:
        parts = v2.split()
        if len(parts) == 2 and parts[0] != "max":
            with contextlib.suppress(ValueError, ZeroDivisionError):
                return int(parts[0]) / int(parts[1])
        return None
    for sub in ("cpu", "cpu,cpuacct", "cpuacct,cpu"):
        quota = _read(root / sub / "cpu.cfs_quota_us")
        period = _read(root / sub / "cpu.cfs_period_us")
        if quota is None or period is None:
            continue
        with contextlib.suppress(ValueError, ZeroDivisionError):
            q, p = int(quota), int(period)
            if q > 0 and p > 0:
                return q / p
        return None
    return None


def _read(path: Path) -> str | None:
    try:
        return path.read_text().strip()
    except OSError:
        return None


@runtime_checkable
class ThreadsConfigurable(Protocol):
    """What :func:`set_threads` works on: an object with a ``param_set`` whose
    parameters tagged ``"threads"`` set its number of threads.

    Learners (``n_jobs`` of scikit-learn estimators) and filters (``threads`` of
    ``mrmr``) are such objects; so is anything else with a parameter set, with or
    without a ``threads``-tagged parameter. :func:`set_threads` needs nothing more:
    no class of this layer's callers is named here.
    """

    @property
    def param_set(self) -> Any:
        """A parameter set: ``ids(tags="threads")`` and a checked ``values`` mapping."""


def _thread_params(obj: Any) -> list[str]:
    # what isinstance(obj, ThreadsConfigurable) checks, without the runtime protocol's
    # cost (tens of microseconds, paid per job in the workers: learner_threads())
    param_set = getattr(obj, "param_set", None)
    if param_set is None or not hasattr(param_set, "ids"):
        return []
    return list(param_set.ids(tags="threads"))


def set_threads(x: Any, n: int | None = None) -> Any:
    """Set the ``threads``-tagged parameters of a learner, a filter (or of several) to ``n``.

    Works on any :class:`ThreadsConfigurable` object (one with a ``param_set``) and on
    lists mixing them, as in the mlr3 book's section 6.1.1:
    ``set_threads(flts(["variance", "mrmr"]), 4)`` sets ``mrmr``'s ``threads`` and
    leaves ``variance``, which has no threads parameter, unchanged.

    Parameters
    ----------
    x : Learner, Filter, object with a ``param_set``, or a list / tuple of them
        Objects without a ``threads``-tagged parameter are left unchanged.
    n : int, optional
        Number of threads; :func:`available_cores` when omitted.

    Returns
    -------
    object
        ``x`` (modified in place).

    Examples
    --------
    >>> learner = set_threads(lrn("classif.ranger"), 2)
    >>> learner.param_set.values["n_jobs"]
    2
    """
    if n is None:
        n = available_cores()
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ConfigError(f"The 'n' argument of set_threads() must be an int >= 1. Got {n!r} "
                          "instead.")
    items: Iterable[Any] = x if isinstance(x, list | tuple) else [x]
    for item in items:
        for name in _thread_params(item):
            item.param_set.values[name] = n
    return x


def learner_threads(learner: Any) -> int:
    """How many threads a learner asks for: the largest ``threads``-tagged value (default 1).

    ``n_jobs=-1`` (scikit-learn's "all cores") counts as :func:`available_cores`.
    """
    names = _thread_params(learner)
    if not names:
        return 1
    values = learner.param_set.values
    wanted = 1
    for name in names:
        value = values.get(name)
        if isinstance(value, bool) or not isinstance(value, int):
            continue
        if value < 0:
            value = available_cores()
        wanted = max(wanted, value)
    return wanted


# -- worker side ---------------------------------------------------------------------------
_worker_limited = False


def limit_worker_threads() -> None:
    """Limit this (worker) process's BLAS / OpenMP thread pools to one thread, once.

    Sets the environment variables for libraries loaded later and calls
    :func:`threadpoolctl.threadpool_limits` for those already loaded; the DuckDB
    databases the process opens from now on (Parquet files, database files) get one
    thread too.
    """
    global _worker_limited
    if _worker_limited:
        return
    _worker_limited = True
    for var in THREAD_ENV_VARS:
        os.environ[var] = "1"
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - threadpoolctl comes with scikit-learn
        return
    threadpool_limits(limits=1)


@contextlib.contextmanager
def threads_for(wanted: int) -> Iterator[None]:
    """Inside a worker: give the item running meanwhile ``wanted`` threads, then go back to one."""
    if wanted <= 1:
        yield
        return
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover
        yield
        return
    with threadpool_limits(limits=wanted):
        yield
