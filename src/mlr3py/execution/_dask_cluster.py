"""The dask plan's clusters: the client of a plan level, the local clusters plans start.

:func:`dask_client` gives the client of a plan level: the user's own, one
connected to a scheduler address (it says that it connects and fails with a
:class:`~mlr3py.errors.ConfigError` naming the address when the scheduler does
not answer within ``distributed.comm.timeouts.connect``), or one of a local
cluster the plan starts and keeps.

The workers of a plan's local cluster do not import the user's ``__main__``:
dask's nannies start worker processes with multiprocessing's "spawn" method, which
runs the main script again in every worker (as ``__mp_main__``), so a script
without an ``if __name__ == "__main__"`` guard would run once per worker. The
plan's nannies (:func:`_no_main_nanny`) start their workers in a spawn context
whose preparation data leave ``__main__`` out (:mod:`mlr3py.execution._spawn_no_main`),
as loky's workers do; functions defined in ``__main__`` still reach the
workers, pickled by value by cloudpickle.

A worker that a crashing learner kills again and again can be caught between two
restarts when ``distributed.deploy.lost-worker-timeout`` (15 s) runs out; a
``LocalCluster`` then closes its nanny for good, and without workers the run would
wait forever. While it waits, the client starts such dropped workers again in the
local clusters that plans started (:func:`restore_dropped_workers`, in
:mod:`mlr3py.execution._dask_restore`), and warns when a cluster has no workers
and no unit finished for :data:`NO_WORKERS_WARN_S` seconds (:class:`ClusterWatch`;
a cluster of the user's is left to the user).
"""

from __future__ import annotations

import contextlib
import functools
import threading
import time
from collections.abc import Iterator
from typing import Any

from mlr3py.errors import ConfigError
from mlr3py.execution._dask_restore import restore_dropped_workers
from mlr3py.execution._plans import PlanSpec, default_workers
from mlr3py.execution._spawn_no_main import no_main_method
from mlr3py.log import logger

__all__ = [
    "NO_WORKERS_WARN_S", "ClusterWatch", "check_client", "close_local_clusters", "dask_client",
    "finished", "restore_dropped_workers",
]

#: How long the client waits for a unit to finish before it looks at the workers.
CHECK_EVERY_S = 1.0

#: A cluster that has no workers while no unit has finished for this many seconds
#: gets a warning.
NO_WORKERS_WARN_S = 60.0

#: Once that long has passed, the scheduler is asked for its workers this often.
_ASK_WORKERS_EVERY_S = 10.0

_DASK: dict[Any, Any] = {}
_DASK_LOCK = threading.Lock()


def check_client(client: Any) -> None:
    """Raise a ConfigError unless ``client`` is a ``distributed.Client`` (or None).

    Called by :func:`~mlr3py.execution.tweak`, so that ``plan("dask", client=42)``
    fails at once, naming the value.
    """
    if client is None:
        return
    try:
        from distributed import Client
    except ImportError as exc:
        raise ConfigError(
            "Plan 'dask' needs dask.distributed. Install it with "
            "pip install 'mlr3py[dask]'."
        ) from exc
    if not isinstance(client, Client):
        raise ConfigError(
            "The 'client' setting of plan 'dask' must be a dask.distributed.Client, e.g. "
            f"Client(LocalCluster()). Got {client!r} (of type {type(client).__name__}) "
            "instead; for a scheduler address use address='tcp://host:8786'."
        )


def dask_client(spec: PlanSpec) -> Any:
    """The client of plan level ``spec``: given, connected to an address, or of a local cluster.

    Local clusters and clients to addresses are kept and reused between runs
    (:func:`close_local_clusters` stops them).

    Raises
    ------
    ConfigError
        If dask.distributed is not installed, or the scheduler at ``spec.address``
        does not answer.
    """
    try:
        from distributed import Client
    except ImportError as exc:
        raise ConfigError(
            "Plan 'dask' needs dask.distributed. Install it with "
            "pip install 'mlr3py[dask]'."
        ) from exc
    if spec.client is not None:
        return spec.client
    key: Any = ("address", spec.address) if spec.address else ("local", default_workers(spec))
    with _DASK_LOCK:
        entry = _DASK.get(key)
        if entry is not None and entry[0].status not in ("closed", "closing"):
            return entry[0]
        if spec.address:
            client = _connect(spec.address)
            _DASK[key] = (client, None)
        else:
            cluster = _keeping_local_cluster()(
                n_workers=key[1], threads_per_worker=1, processes=True,
                dashboard_address=None, worker_class=_no_main_nanny(),
            )
            client = Client(cluster, set_as_default=False)
            _DASK[key] = (client, cluster)
        return client


def _connect(address: str) -> Any:
    """A client connected to the scheduler at ``address``; says so, and fails naming it."""
    import dask
    from dask.utils import parse_timedelta
    from distributed import Client

    timeout = parse_timedelta(dask.config.get("distributed.comm.timeouts.connect"), "s")
    logger.info("Connecting to the dask scheduler at %s (giving up after %g s, "
                "distributed.comm.timeouts.connect)", address, timeout)
    try:
        return Client(address, set_as_default=False, timeout=timeout)
    except (OSError, TimeoutError) as exc:
        raise ConfigError(
            f"Could not connect to the dask scheduler at {address!r} within {timeout:g} s "
            f"({type(exc).__name__}: {exc}). Check the address and that the scheduler "
            "runs, or use plan('dask') for a local cluster."
        ) from exc


@functools.cache
def _keeping_local_cluster() -> type:
    """``LocalCluster`` made to keep workers that keep dying.

    ``SpecCluster`` closes the nanny of a worker that is missing from the scheduler
    ``distributed.deploy.lost-worker-timeout`` after one of its deaths; a worker
    that a crashing learner kills every few seconds is caught between two restarts
    sooner or later, and the nanny's close kills whatever runs there at that moment.
    The nanny restarts its worker by itself, so the local clusters of plans skip that
    close. (Should a later dask.distributed rename the hook, the workers it closes
    are started again by :func:`restore_dropped_workers`.)
    """
    from distributed import LocalCluster
    from distributed.deploy.cluster import Cluster

    class KeepingLocalCluster(LocalCluster):  # type: ignore[misc]
        def _update_worker_status(self, op: str, msg: Any) -> None:
            Cluster._update_worker_status(self, op, msg)  # not SpecCluster's close

    return KeepingLocalCluster


# -- workers that do not import __main__ -------------------------------------------------------
_METHOD_KEY = "distributed.worker.multiprocessing-method"
_method_lock = threading.Lock()
_method_users = 0
_method_saved: Any = None


@contextlib.contextmanager
def _no_main_method() -> Iterator[None]:
    """While a plan's nanny starts its worker: dask's nannies use the no-main context.

    Nannies may start at the same time; the setting is made by the first and
    undone by the last.
    """
    global _method_users, _method_saved
    import dask

    method = no_main_method()
    if method is None:  # pragma: no cover - Windows
        yield
        return
    with _method_lock:
        if _method_users == 0:
            _method_saved = dask.config.get(_METHOD_KEY)
            dask.config.set({_METHOD_KEY: method})
        _method_users += 1
    try:
        yield
    finally:
        with _method_lock:
            _method_users -= 1
            if _method_users == 0:
                dask.config.set({_METHOD_KEY: _method_saved})


@functools.cache
def _no_main_nanny() -> type:
    """A ``Nanny`` whose worker processes (first start and restarts) skip ``__main__``."""
    from distributed import Nanny

    class NoMainNanny(Nanny):  # type: ignore[misc]
        async def instantiate(self) -> Any:
            with _no_main_method():
                return await super().instantiate()

    return NoMainNanny


def close_local_clusters() -> None:
    """Close the clients and local clusters that plans started."""
    with _DASK_LOCK:
        entries = list(_DASK.values())
        _DASK.clear()
    for client, cluster in entries:
        with contextlib.suppress(Exception):
            client.close()
        if cluster is not None:
            with contextlib.suppress(Exception):
                cluster.close()


def owned_cluster(client: Any) -> Any:
    """The local cluster behind ``client`` when a plan started it, else None."""
    with _DASK_LOCK:
        for owned_client, cluster in _DASK.values():
            if owned_client is client:
                return cluster
    return None


def finished(ac: Any, timeout: float) -> list[Any]:
    """Futures of the ``as_completed`` iterator ``ac`` that finished, waiting up to ``timeout`` s.

    Like ``next(ac)``, which waits on the same condition in steps of 0.1 s, but
    returns an empty list when nothing finished in time.
    """
    deadline = time.monotonic() + timeout
    while not ac.has_ready():
        left = deadline - time.monotonic()
        if left <= 0 or ac.is_empty():
            return []
        with ac.thread_condition:
            ac.thread_condition.wait(min(left, 0.1))
    return list(ac.next_batch(block=False))


class ClusterWatch:
    """Looks after the workers of the cluster while a run waits for its units.

    Parameters
    ----------
    client : distributed.Client
        The run's client.
    n_units : int
        Number of units first submitted (for the warning).
    """

    def __init__(self, client: Any, n_units: int) -> None:
        self.client = client
        self.cluster = owned_cluster(client)
        self.n_units = n_units
        self.quiet_since = time.monotonic()
        self.next_ask = 0.0
        self.warned = False

    def result(self, future: Any, pending: dict[Any, Any]) -> Any:
        """The result of a finished ``future``, looking after the workers meanwhile.

        A finished unit's result stays on its worker until the client fetches it; if
        that worker dies first, the scheduler computes the unit again and the wait
        is as long as that takes.
        """
        # the future's state is watched, not result(timeout=...): that would cancel a
        # slow fetch each time, and could not tell its own timeout from a unit that
        # raised TimeoutError. A future as_completed gave is done unless its data was lost.
        look = time.monotonic() + CHECK_EVERY_S
        while not future.done():
            if time.monotonic() > look:
                self.idle(len(pending) + 1)
                look = time.monotonic() + CHECK_EVERY_S
            time.sleep(0.02)
        return future.result()

    def progress(self) -> None:
        """A unit finished or was lost."""
        self.quiet_since = time.monotonic()

    def died(self) -> None:
        """A worker died: its cluster may drop it a little later."""
        self._restore()

    def idle(self, waiting: int) -> None:
        """Nothing finished for a while: restore dropped workers, or warn about none."""
        self._restore()
        now = time.monotonic()
        if self.warned or now - self.quiet_since < NO_WORKERS_WARN_S or now < self.next_ask:
            return
        self.next_ask = now + _ASK_WORKERS_EVERY_S
        try:
            workers = len(self.client.nthreads())
        except Exception as exc:  # a scheduler that does not answer: dask reports it
            logger.debug("Could not ask the dask scheduler for its workers: %s", exc)
            return
        if workers == 0:
            self.warned = True
            logger.warning(
                "The dask cluster at %s has no workers, and no unit of this run has "
                "finished for %.0f s (units waiting: %d of %d submitted). A cluster "
                "closes a worker that keeps dying after "
                "distributed.deploy.lost-worker-timeout; start or scale its workers "
                "again and the run goes on.",
                self.client.scheduler.address, time.monotonic() - self.quiet_since,
                waiting, self.n_units,
            )

    def _restore(self) -> None:
        if self.cluster is not None:
            with contextlib.suppress(Exception):  # a closing loop: nothing to restore
                self.cluster.loop.add_callback(restore_dropped_workers, self.cluster)
