"""The store's run lock: one run writes a store at a time; a dead run's lock is taken over.

The lock is a file holding the owner's pid, host name and process start time. A second
run is refused while the owner lives; on the same host a lock whose process is gone
(or whose pid now belongs to a younger process) is stale and taken over. A lock from
another host cannot be checked: the error says which host holds it and how to free it.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
from dataclasses import dataclass
from pathlib import Path

from mlr3py.errors import StoreError
from mlr3py.log import logger

__all__ = ["LockInfo", "RunLock", "process_alive"]


def _start_time(pid: int) -> float | None:
    try:
        import psutil

        return float(psutil.Process(pid).create_time())
    except Exception:  # no psutil, no such process, no access
        return None


def _zombie(pid: int) -> bool:
    try:
        import psutil

        return bool(psutil.Process(pid).status() == psutil.STATUS_ZOMBIE)
    except Exception:  # no psutil, no such process, no access
        return False


def process_alive(pid: int, started: float | None = None) -> bool:
    """Whether process ``pid`` of this host lives (and, given ``started``, is that one)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    if _zombie(pid):
        return False  # dead, not yet reaped
    if started is not None:
        now = _start_time(pid)
        if now is not None and abs(now - started) > 1.0:
            return False  # the pid was reused
    return True


@dataclass
class LockInfo:
    """Who holds a lock."""

    pid: int
    host: str
    started: float | None

    def stale(self) -> bool:
        """Whether the holder is known to be gone (same host, process dead)."""
        return self.host == socket.gethostname() and not process_alive(self.pid, self.started)


class RunLock:
    """The lock file of one store (see the module docstring)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.held = False

    def _read(self) -> LockInfo | None:
        try:
            raw = json.loads(self.path.read_text())
            return LockInfo(int(raw["pid"]), str(raw["host"]), raw.get("started"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError):
            return LockInfo(-1, "?", None)  # unreadable: half written by a killed process

    def acquire(self) -> None:
        """Take the lock, or raise a StoreError naming its holder."""
        me = {"pid": os.getpid(), "host": socket.gethostname(),
              "started": _start_time(os.getpid())}
        data = json.dumps(me).encode()
        for _ in range(3):
            try:
                fd: int | None = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                fd = None
            if fd is not None:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(data)
                self.held = True
                return
            info = self._read()
            if info is None:
                continue
            if info.pid == os.getpid() and info.host == me["host"]:
                raise StoreError(
                    f"The store at '{self.path.parent}' is already being written by this "
                    "process. Let that run end first.")
            if info.pid == -1 or info.stale():
                logger.warning("Taking over the stale lock of the store at '%s' "
                               "(process %s on %s is gone)", self.path.parent,
                               info.pid, info.host)
                with contextlib.suppress(FileNotFoundError):
                    self.path.unlink()
                continue
            raise StoreError(
                f"The store at '{self.path.parent}' is being written by another run "
                f"(process {info.pid} on host '{info.host}'). Wait for it to end, or read "
                "it meanwhile with mlr3py.open_store(). If that process is gone, delete "
                f"the file '{self.path}'.")
        raise StoreError(f"Could not take the lock of the store at '{self.path.parent}'; "
                         "another run keeps taking it. Try again.")

    def release(self) -> None:
        """Give the lock back (if this process holds it)."""
        if not self.held:
            return
        self.held = False
        info = self._read()
        if info is not None and info.pid == os.getpid():
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()
