"""A worker death is described by the exit code of the process that ran the unit, also
when the broken executor was already replaced by a later submit."""

from __future__ import annotations

import concurrent.futures
import os
import signal

import pytest

from mlr3py.execution._slots import Slot

pytestmark = pytest.mark.subprocess


@pytest.mark.parametrize("kind", ["fork", "loky"])
def test_death_found_after_a_submit_replaced_the_broken_executor(kind: str) -> None:
    slot = Slot(kind)
    try:
        lost = slot.submit(os.abort)  # the worker dies with SIGABRT
        concurrent.futures.wait([lost], timeout=60)
        assert lost.done() and lost.exception() is not None
        # the run submits to the same slot before it collects the death: the broken
        # executor is replaced by a fresh worker
        fresh = slot.submit(os.getpid)
        died = slot.death(lost.exception())
        assert died.exitcode == -signal.SIGABRT
        assert fresh.result(timeout=60) > 0  # the fresh worker runs
        # the next death of the fresh worker is its own
        lost = slot.submit(os._exit, 3)
        concurrent.futures.wait([lost], timeout=60)
        assert slot.death(lost.exception()).exitcode == 3
    finally:
        slot.close()
