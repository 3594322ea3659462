"""Elapsed-time limits for calls running in this process: :func:`time_limit`.

Python cannot stop a thread from outside, so in-process limits are enforced as
far as the interpreter allows:

- in the main thread (where :func:`signal.setitimer` exists, i.e. POSIX) a
  ``SIGALRM`` timer raises inside the call; blocking calls that return on a
  signal, such as :func:`time.sleep`, are interrupted. A timer someone else set
  (e.g. pytest-timeout) is borrowed when ours ends first and re-armed afterwards;
  when it would end first the watchdog below is used;
- in other threads (the ``"threads"`` plan, dask workers, a learner called from
  a thread of your own) a watchdog thread raises the exception asynchronously in
  the limited thread (``PyThreadState_SetAsyncExc``) when the limit is reached;
  it takes effect at the next Python bytecode, so Python code is stopped within
  milliseconds of its limit, but one long call into compiled code (numpy,
  scikit-learn, torch kernels, a single :func:`time.sleep`) runs to its end first.

In both cases a call that returns after its limit is treated as having reached
it. Compiled code that must be stopped on time, whatever thread it runs in,
needs the ``"process"`` method: it kills the child at the limit.
"""

from __future__ import annotations

import contextlib
import ctypes
import math
import signal
import threading
import time
from collections.abc import Iterator
from typing import Any

__all__ = ["TimeLimitReached", "time_limit"]


class TimeLimitReached(BaseException):
    """Raised inside a call that ran past its time limit.

    A :class:`BaseException`, so that a learner's ``except Exception`` does not
    swallow it.
    """


def _set_async_exc(thread_id: int, exc: type[BaseException] | None) -> None:
    obj: Any = ctypes.py_object(exc) if exc is not None else None
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), obj)


@contextlib.contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise :class:`TimeLimitReached` in the block once ``seconds`` have passed.

    ``None`` or ``inf``: no limit. See the module docstring for what can and
    cannot be interrupted.
    """
    if seconds is None or math.isinf(seconds):
        yield
        return
    if _can_use_alarm(seconds):
        with _alarm(seconds):
            yield
    else:
        with _watchdog(seconds):
            yield


def _can_use_alarm(seconds: float) -> bool:
    if not hasattr(signal, "setitimer"):
        return False
    if threading.current_thread() is not threading.main_thread():
        return False
    remaining = signal.getitimer(signal.ITIMER_REAL)[0]
    # someone else's timer (e.g. pytest-timeout, or an outer limit) is borrowed only when ours
    # ends first; it is re-armed with its remaining time afterwards
    return remaining == 0 or seconds < remaining


@contextlib.contextmanager
def _alarm(seconds: float) -> Iterator[None]:
    def on_alarm(signum: int, frame: Any) -> None:
        raise TimeLimitReached

    outer_remaining = signal.getitimer(signal.ITIMER_REAL)[0]
    start = time.monotonic()
    previous = signal.signal(signal.SIGALRM, on_alarm)
    try:
        signal.setitimer(signal.ITIMER_REAL, max(seconds, 1e-6))
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    finally:
        signal.signal(signal.SIGALRM, previous)
        if outer_remaining > 0:
            left = outer_remaining - (time.monotonic() - start)
            signal.setitimer(signal.ITIMER_REAL, max(left, 1e-3))


@contextlib.contextmanager
def _watchdog(seconds: float) -> Iterator[None]:
    target = threading.get_ident()
    lock = threading.Lock()
    state = {"done": False, "fired": False}

    def fire() -> None:
        with lock:
            if not state["done"]:
                state["fired"] = True
                _set_async_exc(target, TimeLimitReached)

    timer = threading.Timer(max(seconds, 0.0), fire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
        with lock:
            state["done"] = True
            if state["fired"]:
                _set_async_exc(target, None)  # drop it if still pending
