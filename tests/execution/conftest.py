"""Fixtures for the execution tests: a clean plan and options per test, one dask cluster."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

import mlr3py
from mlr3py.execution._engine import shutdown_workers
from mlr3py.options import options


@pytest.fixture(autouse=True)
def _clean_plan_and_options() -> Iterator[None]:
    saved = (options.exec_random, options.exec_chunk_size, options.debug, options.progress)
    handle = mlr3py.plan("sequential")
    try:
        yield
    finally:
        handle.__exit__(None, None, None)
        mlr3py.plan("sequential")
        (options.exec_random, options.exec_chunk_size, options.debug,
         options.progress) = saved


@pytest.fixture(scope="session", autouse=True)
def _stop_workers_at_end() -> Iterator[None]:
    yield
    shutdown_workers()


@pytest.fixture(scope="session")
def dask_client() -> Iterator[Any]:
    """A real dask scheduler with two worker processes on localhost."""
    pytest.importorskip("distributed")
    from _dask_helpers import local_dask_client

    with local_dask_client(2) as client:
        yield client
