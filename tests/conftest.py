"""Test-wide set-up and clean-up.

- The OpenML data cache points at the shared data directory: ``MLR3PY_DATA_DIR``
  is set at import time, before any test module builds a task, to
  ``<repo root>/../shared/data`` (it holds ``sonar.csv``).
- After every test, :data:`mlr3py.options` (all fields), the active plan and the
  levels, handlers and propagation of the ``mlr3py`` loggers (and the root
  logger's level) are what they were before it.
- Tests parametrized with a plan that starts worker processes (``"processes"``,
  ``"multicore"``, ``"dask"``) carry the marker ``subprocess``, those with
  ``"dask"`` or the ``dask_client`` fixture the marker ``dask``.
- While a test marked ``subprocess`` runs, faulthandler is off in this process, so
  that worker processes forked from it and crashing on purpose (segmentation
  faults) do not print their "Fatal Python error" dump into the test output;
  the tests check the crash through its exit code.
"""

from __future__ import annotations

import dataclasses
import faulthandler
import glob
import logging
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import mlr3py
from mlr3py.options import options

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA_DIR = REPO_ROOT.parent / "shared" / "data"

os.environ["MLR3PY_DATA_DIR"] = str(SHARED_DATA_DIR)

_PROCESS_PLANS = frozenset({"processes", "multisession", "multicore", "dask", "process"})


@pytest.fixture
def sonar_data(monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data directory holding ``sonar.csv`` for the test (skipped where there is none)."""
    current = os.environ.get("MLR3PY_DATA_DIR")
    if current and (Path(current) / "sonar.csv").exists():
        return Path(current)
    if not (SHARED_DATA_DIR / "sonar.csv").exists():
        pytest.skip("sonar.csv is not available (set MLR3PY_DATA_DIR)")
    monkeypatch.setenv("MLR3PY_DATA_DIR", str(SHARED_DATA_DIR))
    return SHARED_DATA_DIR


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        callspec = getattr(item, "callspec", None)
        params = {v for v in callspec.params.values() if isinstance(v, str)} if callspec else set()
        fixtures = getattr(item, "fixturenames", ())
        if "dask" in params or "dask_client" in fixtures:
            item.add_marker(pytest.mark.dask)
        if params & _PROCESS_PLANS or "dask_client" in fixtures:
            item.add_marker(pytest.mark.subprocess)


def _mlr3py_loggers() -> list[logging.Logger]:
    manager = logging.getLogger().manager
    return [logging.getLogger("mlr3py")] + [
        lg for name, lg in list(manager.loggerDict.items())
        if name.startswith("mlr3py.") and isinstance(lg, logging.Logger)
    ]


@pytest.fixture(autouse=True)
def _restore_options_plan_and_logging() -> Iterator[None]:
    saved_options = {f.name: getattr(options, f.name) for f in dataclasses.fields(options)}
    saved_levels = mlr3py.plan().levels
    saved_loggers = [(lg, lg.level, list(lg.handlers), lg.propagate) for lg in _mlr3py_loggers()]
    root_level = logging.getLogger().level
    try:
        yield
    finally:
        for name, value in saved_options.items():
            setattr(options, name, value)
        mlr3py.plan(list(saved_levels))
        for lg, level, handlers, propagate in saved_loggers:
            lg.setLevel(level)
            lg.handlers[:] = handlers
            lg.propagate = propagate
        for lg in _mlr3py_loggers():
            if lg not in {saved[0] for saved in saved_loggers}:
                lg.setLevel(logging.NOTSET)
                lg.handlers.clear()
                lg.propagate = True
        logging.getLogger().setLevel(root_level)


def _fault_file(config: pytest.Config) -> Any:
    """The file pytest's faulthandler plugin writes to (None: unknown)."""
    try:  # pytest keeps a duplicate of the terminal's stderr for it
        from _pytest.faulthandler import fault_handler_stderr_fd_key
    except ImportError:  # pragma: no cover - another pytest version
        return None
    return config.stash.get(fault_handler_stderr_fd_key, None)


@pytest.fixture(autouse=True)
def _no_crash_dumps_from_forked_workers(request: pytest.FixtureRequest) -> Iterator[None]:
    if request.node.get_closest_marker("subprocess") is None or not faulthandler.is_enabled():
        yield
        return
    fault_file = _fault_file(request.config)
    faulthandler.disable()
    try:
        yield
    finally:
        if fault_file is not None:
            faulthandler.enable(file=fault_file)


@pytest.fixture(autouse=True)
def _no_shared_array_files_left() -> Iterator[None]:
    """No test leaves the memory-mapped files of a process run's shared arrays behind."""
    yield
    from mlr3py.execution._memmap import file_prefix, shared_folder

    left = glob.glob(os.path.join(shared_folder(), glob.escape(file_prefix()) + "*"))
    assert left == [], f"files of shared arrays left behind: {left}"
