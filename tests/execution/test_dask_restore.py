"""Dropped dask workers start again only once their old workers are gone.

A stand-in cluster plays the parts of ``SpecCluster`` that
:func:`~mlr3py.execution._dask_restore.restore_dropped_workers` uses: its worker
dicts, the nannies it created, its scheduler's list of workers and ``scale``. The
test controls when the closed nanny finishes closing and what the scheduler lists,
and sees when the cluster is scaled.
"""

from __future__ import annotations

import asyncio
import enum
import logging
from collections.abc import Callable, Coroutine
from typing import Any

import pytest

from mlr3py.execution import _dask_restore


class _Status(enum.Enum):
    running = "running"
    closing = "closing"


class _Nanny:
    def __init__(self, name: int) -> None:
        self.name = name
        self.closed = asyncio.Event()

    async def finished(self) -> None:
        await self.closed.wait()


class _SchedulerComm:
    def __init__(self) -> None:
        self.names: list[int] = []
        self.asked = 0

    async def identity(self) -> dict[str, Any]:
        self.asked += 1
        return {"workers": {f"tcp://w{i}": {"name": n} for i, n in enumerate(self.names)}}


class _Cluster:
    """Two workers, 0 and 1; worker 1 was dropped, its nanny is still closing."""

    def __init__(self) -> None:
        self.status = _Status.running
        self.worker_spec: dict[int, dict[str, Any]] = {0: {}, 1: {}}
        self.old = _Nanny(1)
        self.workers: dict[int, _Nanny] = {0: _Nanny(0)}
        self._created = [self.workers[0], self.old]
        self.scheduler_comm = _SchedulerComm()
        self.scheduler_comm.names = [0, 1]  # its restarted worker registered meanwhile
        self.scaled: list[int] = []

    def scale(self, n: int) -> None:
        self.scaled.append(n)


async def _until(condition: Callable[[], bool], what: str) -> None:
    for _ in range(200):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"timed out waiting for {what}")


def _run(test: Callable[[], Coroutine[Any, Any, None]]) -> None:
    asyncio.run(test())


def test_a_dropped_worker_starts_once_its_old_nanny_closed_and_its_name_is_free(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def test() -> None:
        cluster = _Cluster()
        with caplog.at_level(logging.INFO, logger="mlr3py"):
            assert _dask_restore.restore_dropped_workers(cluster) == [1]
            assert _dask_restore.restore_dropped_workers(cluster) == []  # under way
        assert any("closed after repeated deaths: [1]" in r.getMessage() for r in caplog.records)
        await asyncio.sleep(0.1)
        assert cluster.scaled == []  # the old nanny is still closing
        assert cluster.scheduler_comm.asked == 0
        cluster.old.closed.set()
        await _until(lambda: cluster.scheduler_comm.asked >= 3, "the scheduler to be asked")
        assert cluster.scaled == []  # the scheduler still lists worker 1
        cluster.scheduler_comm.names = [0]
        await _until(lambda: cluster.scaled != [], "the cluster to be scaled")
        assert cluster.scaled == [2]
        # back: nothing more to do
        cluster.workers[1] = _Nanny(1)
        assert _dask_restore.restore_dropped_workers(cluster) == []
        await asyncio.sleep(0.1)
        assert cluster.scaled == [2]

    _run(test)


def test_a_worker_dropped_while_waiting_is_waited_for_as_well() -> None:
    async def test() -> None:
        cluster = _Cluster()
        assert _dask_restore.restore_dropped_workers(cluster) == [1]
        # worker 0 is dropped too before worker 1's old nanny has closed
        old0 = cluster.workers.pop(0)
        assert _dask_restore.restore_dropped_workers(cluster) == [0]
        cluster.old.closed.set()
        cluster.scheduler_comm.names = [0]
        await asyncio.sleep(0.2)
        assert cluster.scaled == []  # one scale starts both: it waits for worker 0's too
        old0.closed.set()
        cluster.scheduler_comm.names = []
        await _until(lambda: cluster.scaled != [], "the cluster to be scaled")
        assert cluster.scaled == [2]

    _run(test)


def test_old_workers_that_stay_are_given_up_on_and_tried_again(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setattr(_dask_restore, "RESTORE_WAIT_S", 0.2)

    async def test() -> None:
        cluster = _Cluster()
        cluster.old.closed.set()
        with caplog.at_level(logging.INFO, logger="mlr3py"):
            assert _dask_restore.restore_dropped_workers(cluster) == [1]
            await _until(lambda: any("yet" in r.getMessage() for r in caplog.records),
                         "the waiter to give up")
        assert cluster.scaled == []
        assert "the scheduler still lists workers [1]" in caplog.records[-1].getMessage()
        # the next look marks it again, and starts it once the name is free
        assert _dask_restore.restore_dropped_workers(cluster) == [1]
        cluster.scheduler_comm.names = [0]
        await _until(lambda: cluster.scaled != [], "the cluster to be scaled")
        assert cluster.scaled == [2]

    _run(test)


def test_a_closing_cluster_is_left_alone() -> None:
    async def test() -> None:
        cluster = _Cluster()
        cluster.status = _Status.closing
        assert _dask_restore.restore_dropped_workers(cluster) == []
        await asyncio.sleep(0.05)
        assert cluster.scaled == []
        assert cluster.scheduler_comm.asked == 0

    _run(test)
