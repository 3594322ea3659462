"""Log levels by name: mlr3's threshold names (``"warn"``, ``"info"``, ``"debug"``, ...).

:func:`set_threshold` sets an mlr3py logger's threshold by name or number;
:func:`level_number` turns such a name into a :mod:`logging` level number.
"""

from __future__ import annotations

import logging

from mlr3py.errors import ConfigError

__all__ = ["level_number", "set_threshold"]

_LEVELS = {
    "fatal": logging.CRITICAL,
    "error": logging.ERROR,
    "warn": logging.WARNING,
    "warning": logging.WARNING,
    "info": logging.INFO,
    "debug": logging.DEBUG,
    "trace": logging.DEBUG,
}

def level_number(level: str | int) -> int:
    """The :mod:`logging` level number of ``level`` (a name or a number)."""
    if isinstance(level, bool) or not isinstance(level, str | int):
        raise ConfigError(
            f"A log level must be a name ({', '.join(_LEVELS)}) or an int. Got {level!r} instead."
        )
    if isinstance(level, str):
        if level.lower() not in _LEVELS:
            raise ConfigError(
                f"Unknown log level '{level}'. Use one of: {', '.join(_LEVELS)}."
            )
        return _LEVELS[level.lower()]
    return level


def set_threshold(level: str | int, name: str = "mlr3py") -> None:
    """Set the threshold of an mlr3py logger by name ("warn", "info", "debug") or number.

    Parameters
    ----------
    level : str or int
        A level name such as ``"info"`` or a :mod:`logging` level number.
    name : str
        The logger, ``"mlr3py"`` or ``"mlr3py.tuning"``.
    """
    logging.getLogger(name).setLevel(level_number(level))
