"""The workers of a dask cluster while a run waits: kept, started again, or missed aloud.

A ``LocalCluster`` closes the nanny of a worker that is missing from the scheduler
``distributed.deploy.lost-worker-timeout`` after one of its deaths. A worker that a
crashing learner kills every few seconds is missing at such a moment sooner or
later; once every worker is closed, a run would wait forever.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from _dask_helpers import crashing_and_healthy_design, local_dask_client
from _helper_learners import make_slow_to_unpickle, raise_timeout

from mlr3py.evaluation import benchmark, resample
from mlr3py.execution import _dask_cluster as _dask
from mlr3py.execution import plan, tweak
from mlr3py.execution._map import map_items
from mlr3py.options import options
from mlr3py.sugar import lrn, rsmp, tsk

pytestmark = pytest.mark.skipif(os.name != "posix", reason="needs POSIX signals")

dask = pytest.importorskip("dask")
pytest.importorskip("distributed")

DIED = "worker process died (unknown cause)"


@pytest.fixture
def no_plan_clusters() -> Iterator[None]:
    """No local cluster of a plan before or after the test (they are reused by size)."""
    _dask.close_local_clusters()
    yield
    _dask.close_local_clusters()


def _wait_for(condition: Any, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {seconds} s waiting for {what}")
        time.sleep(0.05)


def _restore_in_loop(cluster: Any) -> Any:
    """:func:`~mlr3py.execution._dask_cluster.restore_dropped_workers` in the cluster's loop."""
    out: list[Any] = []
    done = threading.Event()

    def call() -> None:
        try:
            out.append(_dask.restore_dropped_workers(cluster))
        finally:
            done.set()

    cluster.loop.add_callback(call)
    assert done.wait(10), "the cluster's event loop did not run the call"
    return out[0]


@pytest.mark.slow
@pytest.mark.dask
@pytest.mark.subprocess
@pytest.mark.timeout(240)
def test_plan_cluster_keeps_workers_that_keep_dying(no_plan_clusters: None) -> None:
    # With a lost-worker-timeout of 0.2 s a plain LocalCluster closes a crashing worker's
    # nanny at almost every death (its restart takes about a second), and the run below
    # would end up without workers. The plan's own cluster keeps them all.
    options.exec_chunk_size = 1
    design = crashing_and_healthy_design(6, sleep=0.1)
    config = {"distributed.scheduler.allowed-failures": 0,
              "distributed.deploy.lost-worker-timeout": "0.2s"}
    with dask.config.set(config), plan(tweak("dask", workers=2)):
        bmr = benchmark(design, seed=4)
        client = _dask.dask_client(tweak("dask", workers=2))
        cluster = _dask.owned_cluster(client)
        assert cluster is not None
        _wait_for(lambda: len(client.nthreads()) == 2, 30, "both workers back")
        assert sorted(cluster.workers, key=str) == [0, 1]
    crashed, good = bmr.resample_results
    assert list(crashed.errors["msg"]) == [DIED] * 6
    assert good.errors.empty
    assert good.score()["classif.ce"].notna().all()


@pytest.mark.slow
@pytest.mark.dask
@pytest.mark.subprocess
@pytest.mark.timeout(120)
def test_restore_dropped_workers_starts_a_closed_worker_again(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # a real drop: kill -9 one worker of a plain LocalCluster whose lost-worker-timeout
    # (0.1 s) runs out while its nanny restarts it
    with dask.config.set({"distributed.deploy.lost-worker-timeout": "0.1s"}), \
            local_dask_client(2) as client:
        cluster = client.cluster
        pids = client.run(os.getpid)
        os.kill(pids[min(pids)], signal.SIGKILL)
        _wait_for(lambda: len(cluster.workers) == 1, 30, "the cluster to drop the worker")
        dropped = next(iter(set(cluster.worker_spec) - set(cluster.workers)))
        with caplog.at_level(logging.INFO, logger="mlr3py"):
            assert _restore_in_loop(cluster) == [dropped]
            assert _restore_in_loop(cluster) == []  # already under way
        assert any(f"closed after repeated deaths: [{dropped}]" in r.getMessage()
                   for r in caplog.records)
        _wait_for(lambda: len(cluster.workers) == 2, 60, "the worker to start again")
        assert sorted(cluster.workers, key=str) == [0, 1]
        _wait_for(lambda: len(client.nthreads()) == 2, 60, "the worker to register")
        assert _restore_in_loop(cluster) == []


@pytest.mark.slow
@pytest.mark.dask
@pytest.mark.subprocess
@pytest.mark.timeout(120)
def test_warns_when_a_cluster_it_did_not_start_has_no_workers(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a user's cluster without workers: the run waits, warns once after
    # NO_WORKERS_WARN_S, and goes on when the user starts a worker
    monkeypatch.setattr(_dask, "NO_WORKERS_WARN_S", 0.5)
    with local_dask_client(0) as client:
        cluster = client.cluster

        def warned() -> bool:
            return any("has no workers" in r.getMessage() for r in caplog.records)

        seen: list[bool] = []

        def start_a_worker() -> None:  # after the warning, or after 30 s without it
            deadline = time.monotonic() + 30
            while not warned() and time.monotonic() < deadline:
                time.sleep(0.05)
            seen.append(warned())
            cluster.scale(1)

        helper = threading.Thread(target=start_a_worker)
        with caplog.at_level(logging.WARNING, logger="mlr3py"), \
                plan(tweak("dask", client=client)):
            helper.start()
            rr = resample(tsk("iris"), lrn("classif.featureless"), rsmp("holdout"), seed=1)
        helper.join()
        assert seen == [True], "no warning within 30 s"
        assert rr.errors.empty and rr.iters == 1
        messages = [m for m in (r.getMessage() for r in caplog.records)
                    if "has no workers" in m]
        assert len(messages) == 1
        assert client.scheduler.address in messages[0]
        assert "units waiting: 1 of 1 submitted" in messages[0]


@pytest.mark.slow
@pytest.mark.dask
@pytest.mark.subprocess
@pytest.mark.timeout(120)
def test_a_unit_that_raises_timeout_error_raises_it(dask_client: Any) -> None:
    # the client waits for units with timeouts of its own: a TimeoutError raised by
    # the unit itself must not be taken for one of them
    with plan(tweak("dask", client=dask_client)), \
            pytest.raises(TimeoutError, match="service did not answer"):
        map_items(raise_timeout, [1, 2])


@pytest.mark.slow
@pytest.mark.dask
@pytest.mark.subprocess
@pytest.mark.timeout(120)
def test_a_result_slower_to_fetch_than_the_watch_interval_arrives(dask_client: Any) -> None:
    # unpickling the result takes 1.5 s, longer than the client waits between two
    # looks at the workers; the fetch must go on, not start again
    with plan(tweak("dask", client=dask_client)):
        out = map_items(make_slow_to_unpickle, [7])
    assert [o.value for o in out] == [7]
