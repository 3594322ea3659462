"""Loggers of mlr3py: ``mlr3py`` and ``mlr3py.tuning``."""

from __future__ import annotations

import logging

from mlr3py.errors import ConfigError

__all__ = ["logger", "set_threshold", "tuning_logger"]

logger = logging.getLogger("mlr3py")
tuning_logger = logging.getLogger("mlr3py.tuning")
logger.addHandler(logging.NullHandler())

_LEVELS = {
    "fatal": logging.CRITICAL,
    "error": logging.ERROR,
    "warn": logging.WARNING,
    "warning": logging.WARNING,
    "info": logging.INFO,
    "debug": logging.DEBUG,
    "trace": logging.DEBUG,
}


def set_threshold(level: str | int, name: str = "mlr3py") -> None:
    """Set the threshold of an mlr3py logger by name ("warn", "info", "debug") or number.

    Parameters
    ----------
    level : str or int
        A level name such as ``"info"`` or a :mod:`logging` level number.
    name : str
        The logger, ``"mlr3py"`` or ``"mlr3py.tuning"``.
    """
    if isinstance(level, str):
        if level.lower() not in _LEVELS:
            raise ConfigError(
                f"Unknown log level '{level}'. Use one of: {', '.join(_LEVELS)}."
            )
        level = _LEVELS[level.lower()]
    logging.getLogger(name).setLevel(level)
