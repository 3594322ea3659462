"""Headless plots: the Agg backend, and every figure closed after each test.

Without matplotlib (the ``viz`` extra) the tests of this directory are not collected.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator

import pytest

if importlib.util.find_spec("matplotlib") is None:  # pragma: no cover - depends on the install
    collect_ignore_glob = ["test_*.py"]
else:
    import matplotlib

    matplotlib.use("Agg")


@pytest.fixture(autouse=True)
def _close_figures() -> Iterator[None]:
    yield
    if importlib.util.find_spec("matplotlib") is not None:
        import matplotlib.pyplot as plt

        plt.close("all")
