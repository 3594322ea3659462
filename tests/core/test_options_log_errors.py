"""Tests of global options, the logging helpers and the error hierarchy."""

from __future__ import annotations

import logging

import pytest

from mlr3py import errors
from mlr3py.log import set_threshold
from mlr3py.options import Options


def test_options_validate() -> None:
    opts = Options()
    assert opts.exec_random is True and opts.exec_chunk_size == 1 and opts.debug is False
    opts.exec_chunk_size = 3
    assert opts.exec_chunk_size == 3
    with pytest.raises(errors.ConfigError, match="'exec_chunk_size' must be an int >= 1. Got 0"):
        opts.exec_chunk_size = 0
    with pytest.raises(errors.ConfigError, match="'debug' must be a bool. Got 'yes'"):
        opts.debug = "yes"  # type: ignore[assignment]
    with pytest.raises(errors.ConfigError, match="no option 'exec_randm'"):
        opts.exec_randm = True  # type: ignore[attr-defined]


def test_set_threshold() -> None:
    log = logging.getLogger("mlr3py")
    old = log.level
    try:
        set_threshold("debug")
        assert log.level == logging.DEBUG
        set_threshold("warn")
        assert log.level == logging.WARNING
        with pytest.raises(errors.ConfigError, match="Unknown log level 'loud'"):
            set_threshold("loud")
    finally:
        log.setLevel(old)


def test_error_hierarchy_matches_builtins() -> None:
    assert issubclass(errors.ConfigError, ValueError)
    assert issubclass(errors.InputError, ValueError)
    assert issubclass(errors.LearnerTrainError, RuntimeError)
    assert issubclass(errors.TimeoutError, TimeoutError)
    assert issubclass(errors.UnknownKeyError, KeyError)
    assert str(errors.UnknownKeyError("no 'x' here")) == "no 'x' here"
