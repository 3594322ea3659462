"""How a process ended, in words: the one description of a process exit.

Worker processes of the parallel plans and the child process of the
``"process"`` encapsulation both report a dead process from its exit code:
negative for a signal (``-11``: SIGSEGV), positive for an exit status, ``None``
when unknown. Both phrase it here.
"""

from __future__ import annotations

import re
import signal

__all__ = ["describe_exit", "exit_cause", "exitcode_from_message"]

_EXIT_RE = re.compile(r"\(([-]?\d+)\)")


def _signal_name(signum: int) -> str:
    try:
        return signal.Signals(signum).name
    except ValueError:
        return f"signal {signum}"


def exit_cause(exitcode: int | None) -> str:
    """The short cause: ``"signal SIGKILL"`` for -9, ``"exit code 3"``, ``"unknown cause"``.

    Parameters
    ----------
    exitcode : int or None
        The process's exit code (negative: killed by that signal).

    Returns
    -------
    str
        The cause, as used in ``"worker process died (signal SIGKILL)"``.
    """
    if exitcode is None:
        return "unknown cause"
    if exitcode < 0:
        name = _signal_name(-exitcode)
        return name if name.startswith("signal ") else f"signal {name}"
    return f"exit code {exitcode}"


def describe_exit(exitcode: int | None) -> str:
    """The full sentence: ``"process exited with signal SIGSEGV (-11)"``.

    Parameters
    ----------
    exitcode : int or None
        The process's exit code (negative: killed by that signal).

    Returns
    -------
    str
        ``"process exited with signal SIGSEGV (-11)"``,
        ``"process exited with exit code 3"`` or
        ``"process exited for an unknown reason"``.
    """
    if exitcode is None:
        return "process exited for an unknown reason"
    if exitcode < 0:
        return f"process exited with signal {_signal_name(-exitcode)} ({exitcode})"
    return f"process exited with exit code {exitcode}"


def exitcode_from_message(text: str) -> int | None:
    """The first exit code in a message such as loky's ``{SIGSEGV(-11)}``, or None."""
    match = _EXIT_RE.search(text)
    return int(match.group(1)) if match else None
