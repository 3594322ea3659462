"""Method ``"try"``: errors (and timeouts) are caught and logged; output is not captured."""

from __future__ import annotations

import logging
import time
from typing import Any

from mlr3py.encapsulation._record import (
    EncapsulationResult,
    error_entry,
    over_limit,
    timeout_entry,
)
from mlr3py.encapsulation._timeout import TimeLimitReached, time_limit
from mlr3py.errors import ConfigError
from mlr3py.log import logger

__all__ = ["call_guarded", "run_try"]


def call_guarded(
    stage: str, obj: Any, attr: str, args: tuple[Any, ...], timeout: float | None
) -> EncapsulationResult:
    """Call ``obj.attr(*args)`` under a time limit, turning errors into log entries.

    A :class:`~mlr3py.errors.ConfigError` is re-raised: a configuration error is
    never a learner failure (and never triggers a fallback).
    """
    start = time.perf_counter()
    try:
        with time_limit(timeout):
            result = getattr(obj, attr)(*args)
    except TimeLimitReached:
        return EncapsulationResult(None, [timeout_entry(stage)], time.perf_counter() - start, True)
    except ConfigError:
        raise
    except Exception as exc:
        elapsed = time.perf_counter() - start
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug("Caught %s while calling %s", type(exc).__name__, attr, exc_info=True)
        return EncapsulationResult(None, [error_entry(stage, exc)], elapsed, True)
    elapsed = time.perf_counter() - start
    if over_limit(elapsed, timeout):
        return EncapsulationResult(None, [timeout_entry(stage)], elapsed, True)
    return EncapsulationResult(result, [], elapsed)


def run_try(
    stage: str, obj: Any, attr: str, args: tuple[Any, ...], timeout: float | None = None
) -> EncapsulationResult:
    """Call ``obj.attr(*args)``; an error or timeout becomes an ``"error"`` log entry.

    Warnings and output go where they would go without encapsulation.
    """
    return call_guarded(stage, obj, attr, args, timeout)
