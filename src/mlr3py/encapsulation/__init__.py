"""Encapsulation: run a learner's train or predict step so that it cannot stop the program.

Every method takes the same arguments and returns the same record,
:class:`EncapsulationResult` (result, log, elapsed, failed):

``"none"``
    Call directly; conditions propagate with their original type; no timeout.
``"try"``
    Errors and timeouts are caught and logged; warnings and output are not captured.
``"evaluate"``
    Errors, warnings, messages (stderr), output (stdout) and log records are
    captured into the learner's log; timeouts are enforced in-process as far as
    Python allows (see :mod:`mlr3py.encapsulation._timeout`). A crash of the
    interpreter (segmentation fault) cannot be survived in-process.
``"process"`` (alias ``"callr"``)
    The call runs in a reusable child process; crashes and timeouts end only the
    child. See :mod:`mlr3py.encapsulation._process`.

In debug mode (``mlr3py.options.debug = True``) ``"process"`` runs as
``"evaluate"`` in this process, so that debuggers and breakpoints work.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from numbers import Real
from typing import Any

from mlr3py.encapsulation._evaluate import run_evaluate
from mlr3py.encapsulation._log_entry import LogEntry
from mlr3py.encapsulation._none import run_none
from mlr3py.encapsulation._process import (
    describe_exit,
    preload_modules,
    run_process,
    shutdown_process_workers,
)
from mlr3py.encapsulation._record import TIMEOUT_MSG, EncapsulationResult
from mlr3py.encapsulation._timeout import TimeLimitReached, time_limit
from mlr3py.encapsulation._try import run_try
from mlr3py.errors import ConfigError
from mlr3py.options import options

__all__ = [
    "ALIASES",
    "METHODS",
    "STAGES",
    "TIMEOUT_MSG",
    "EncapsulationResult",
    "LogEntry",
    "TimeLimitReached",
    "check_method",
    "check_timeout",
    "describe_exit",
    "encapsulate",
    "preload_modules",
    "shutdown_process_workers",
    "time_limit",
]

Runner = Callable[[str, Any, str, tuple[Any, ...], "float | None"], EncapsulationResult]

METHODS: dict[str, Runner] = {
    "none": run_none,
    "try": run_try,
    "evaluate": run_evaluate,
    "process": run_process,
}
"""The encapsulation methods by name."""

ALIASES: dict[str, str] = {"callr": "process"}
"""Other accepted names (mlr3's ``"callr"`` is ``"process"``)."""

STAGES: tuple[str, ...] = ("train", "predict")


def check_method(method: Any, owner: str = "Learner") -> str:
    """The canonical name of an encapsulation method, or a ConfigError naming the value."""
    if isinstance(method, str):
        name = ALIASES.get(method, method)
        if name in METHODS:
            return name
    valid = ", ".join(repr(m) for m in [*METHODS, *ALIASES])
    raise ConfigError(
        f"The encapsulation method of {owner} must be one of {valid}. Got {method!r} instead."
    )


def check_timeout(value: Any, owner: str = "Learner") -> float:
    """A timeout in seconds (``inf``: none), or a ConfigError naming the value."""
    if (
        isinstance(value, bool)
        or not isinstance(value, Real)
        or math.isnan(float(value))
        or float(value) < 0
    ):
        raise ConfigError(
            f"The timeout of {owner} must be a number of seconds >= 0 (float('inf') for "
            f"none). Got {value!r} instead."
        )
    return float(value)


def encapsulate(
    method: str,
    stage: str,
    obj: Any,
    attr: str,
    args: tuple[Any, ...] = (),
    timeout: float | None = None,
) -> EncapsulationResult:
    """Run ``getattr(obj, attr)(*args)`` with an encapsulation method.

    Parameters
    ----------
    method : str
        ``"none"``, ``"try"``, ``"evaluate"``, ``"process"`` or ``"callr"``.
    stage : str
        ``"train"`` or ``"predict"``: the stage of the log entries.
    obj, attr, args
        What to call. For ``"process"`` they must pickle (with cloudpickle).
    timeout : float, optional
        Elapsed-time limit in seconds; ``None`` / ``inf``: none. Ignored by ``"none"``.

    Returns
    -------
    EncapsulationResult
    """
    name = check_method(method)
    if name == "process":
        if options.debug:
            name = "evaluate"
    return METHODS[name](stage, obj, attr, args, timeout)
