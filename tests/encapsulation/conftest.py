"""Fixtures for the encapsulation tests: restored options and logger levels."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from mlr3py.options import options


@pytest.fixture(autouse=True)
def _restore_options_and_levels() -> Iterator[None]:
    debug = options.debug
    levels = {name: logging.getLogger(name).level for name in ("", "mlr3py")}
    try:
        yield
    finally:
        options.debug = debug
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)
