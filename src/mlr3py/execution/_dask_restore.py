"""Starting again the workers that a dask ``SpecCluster`` closed for good.

A ``LocalCluster`` closes a worker's nanny when the worker has been missing from
the scheduler for ``distributed.deploy.lost-worker-timeout``; a worker that a
crashing learner kills again and again is missing at that moment now and then.
The dropped workers stay in the cluster's ``worker_spec``, so scaling the cluster
to its own size starts them again, under their old names.

The scheduler refuses a worker under a name it still lists ("name taken"), and a
dropped worker can still be listed for a while: the nanny the cluster closes may
be restarting its worker at that moment, and that worker registers under the old
name before the close ends it. A worker started again meanwhile fails to start
(and the cluster keeps its failed nanny as if it ran). So
:func:`restore_dropped_workers` only marks the dropped workers, and one waiter
per cluster (:func:`_start_when_gone`, in the cluster's event loop) starts them:
once the closed nannies have finished closing (their ``finished()`` event: their
worker processes are joined) and the scheduler lists no worker under their names.
"""

from __future__ import annotations

import asyncio
import weakref
from dataclasses import dataclass, field
from typing import Any

from mlr3py.log import logger

__all__ = ["restore_dropped_workers"]

#: How long a waiter waits for the old workers of its names to be gone; after that
#: it gives up, and the next call of :func:`restore_dropped_workers` tries again.
RESTORE_WAIT_S = 30.0

#: How often the waiter asks the scheduler whether it still lists the names.
_ASK_SCHEDULER_EVERY_S = 0.05


@dataclass
class _Restore:
    """What a cluster's dropped workers are waiting for.

    Attributes
    ----------
    marked : set
        Names of the dropped workers being started again (until they are back in
        the cluster's worker dict).
    pending : set
        The marked names whose start waits for their old workers to be gone.
    old : list
        The closed nannies of the pending names, as they were when marked.
    waiter : asyncio.Task or None
        The running :func:`_start_when_gone`, if any.
    """

    marked: set[Any] = field(default_factory=set)
    pending: set[Any] = field(default_factory=set)
    old: list[Any] = field(default_factory=list)
    waiter: asyncio.Task[None] | None = None


_RESTORES: weakref.WeakKeyDictionary[Any, _Restore] = weakref.WeakKeyDictionary()


def restore_dropped_workers(cluster: Any) -> list[Any]:
    """Start again the workers of a ``SpecCluster`` that it closed for good.

    The workers start once their old ones are gone (see the module docstring).
    Call it in the cluster's event loop (``cluster.loop.add_callback``): it reads
    the cluster's worker dicts and starts its waiter there.

    Parameters
    ----------
    cluster : distributed.SpecCluster
        The cluster.

    Returns
    -------
    list
        The names of the workers it starts again (not those that an earlier call
        started again and that are not back yet).
    """
    if _closing(cluster):
        return []
    state = _RESTORES.setdefault(cluster, _Restore())
    new = _mark(cluster, state)
    if state.pending and state.waiter is None:
        state.waiter = asyncio.get_running_loop().create_task(_start_when_gone(cluster, state))
    return new


def _closing(cluster: Any) -> bool:
    return getattr(cluster.status, "name", "") in ("closing", "closed")


def _mark(cluster: Any, state: _Restore) -> list[Any]:
    """Mark the newly dropped workers of ``cluster`` as pending; their names, sorted."""
    dropped = set(cluster.worker_spec) - set(cluster.workers)
    state.marked &= dropped  # the others are back
    state.pending &= dropped
    new = sorted(dropped - state.marked, key=str)
    if new:
        logger.info("Starting again %d dask worker(s) that the cluster closed after "
                    "repeated deaths: %s", len(new), new)
        state.marked.update(new)
        state.pending.update(new)
        running = {id(w) for w in cluster.workers.values()}
        # every nanny the cluster created (SpecCluster._created); without it, only
        # the scheduler's list is waited on
        state.old.extend(w for w in getattr(cluster, "_created", ())
                         if getattr(w, "name", None) in new and id(w) not in running)
    return new


async def _start_when_gone(cluster: Any, state: _Restore) -> None:
    """Scale ``cluster`` to its size once the old workers of the pending names are gone.

    Names marked while it waits are waited for as well, so that the one scale
    (which starts every missing worker) starts none too early.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + RESTORE_WAIT_S
    try:
        while True:
            names = set(state.pending)
            closing = [w.finished() for w in state.old if w.name in names]
            if closing:
                await asyncio.wait_for(asyncio.gather(*closing), deadline - loop.time())
            while listed := sorted(names & await _listed_names(cluster), key=str):
                if loop.time() > deadline:
                    raise TimeoutError(f"the scheduler still lists workers {listed}")
                await asyncio.sleep(_ASK_SCHEDULER_EVERY_S)
            if _closing(cluster):
                return
            _mark(cluster, state)
            if state.pending <= names:
                break
        state.pending.clear()
        state.old.clear()
        cluster.scale(len(cluster.worker_spec))
    except Exception as exc:  # a closing cluster, or old workers that stay
        logger.info("Did not start dropped dask workers %s again yet (%s: %s); the next look "
                    "at the workers tries again.", sorted(state.pending, key=str),
                    type(exc).__name__, exc)
        state.marked -= state.pending
        state.pending.clear()
        state.old.clear()
    finally:
        state.waiter = None


async def _listed_names(cluster: Any) -> set[Any]:
    """The names of the workers the cluster's scheduler lists now."""
    info = await cluster.scheduler_comm.identity()
    return {w.get("name") for w in info.get("workers", {}).values()}
