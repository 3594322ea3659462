"""Fixtures for the execution tests: worker processes stopped at the end, one dask cluster.

The plan and the options are restored after every test by the root conftest.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from mlr3py.execution._engine import shutdown_workers


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
