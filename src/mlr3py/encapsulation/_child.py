"""The loop of an encapsulation child process (method ``"process"``).

The child is started once and serves calls until its pipe closes. It knows nothing
of what it runs: it imports the modules the layers above asked for
(:func:`mlr3py.encapsulation.preload_modules`) and unpickles each call. Each request
is ``(stage, obj, attr, args, rng, levels, context)``; once it is unpickled and set
up the child sends ``b"started"`` (the parent's time limit starts then), runs
``getattr(obj, attr)(*args)`` with the parent's random states and logger
thresholds, and answers with a :class:`Response`. Its file descriptors 1 and 2
go to files the parent reads after each call, so output written by compiled
code is captured too. A thread of the child waits on a second pipe whose write
end only the parent holds: when the parent dies (even by ``kill -9``) the pipe
closes and the child exits at once, also in the middle of a call.
"""

from __future__ import annotations

import functools
import importlib
import io
import logging
import os
import pickle
import sys
import threading
import time
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from mlr3py._rng import job_random, job_random_state
from mlr3py.encapsulation._capture import entries_from_warnings
from mlr3py.encapsulation._record import error_entry
from mlr3py.errors import ConfigError
from mlr3py.log import capture_records, job_context

__all__ = ["Request", "Response", "child_main", "dumps", "get_rng", "set_rng"]

try:  # pickles classes defined in __main__ or tests by value, like loky
    import cloudpickle as _cloudpickle
except ImportError:  # pragma: no cover
    _cloudpickle = None


def dumps(obj: Any) -> bytes:
    """Pickle ``obj`` (with cloudpickle when installed)."""
    if _cloudpickle is not None:
        return _cloudpickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    return pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)


@dataclass
class Request:
    """One call for the child."""

    stage: str
    obj: Any
    attr: str
    args: tuple[Any, ...]
    rng: dict[str, Any]
    levels: dict[str, int]
    context: dict[str, Any]
    sys_path: list[str]


@dataclass
class Response:
    """What the child sends back."""

    status: str  # "ok", "error" or "config"
    result: Any = None
    entries: list[Any] = field(default_factory=list)
    records: list[logging.LogRecord] = field(default_factory=list)
    rng: dict[str, Any] = field(default_factory=dict)
    elapsed: float = 0.0
    error: BaseException | None = None


def get_rng(torch_state: bool) -> dict[str, Any]:
    """The states of numpy's (job) generator, :mod:`random` and, if asked, torch's CPU one."""
    out: dict[str, Any] = {
        "numpy": job_random_state().get_state(),
        "random": job_random().getstate(),
    }
    torch = sys.modules.get("torch") if torch_state else None
    if torch is not None:
        out["torch"] = torch.get_rng_state()
    return out


def set_rng(states: dict[str, Any]) -> None:
    """Set the generators from :func:`get_rng`'s states."""
    if "numpy" in states:
        job_random_state().set_state(states["numpy"])
    if "random" in states:
        job_random().setstate(states["random"])
    if "torch" in states:
        import torch

        torch.set_rng_state(states["torch"])


def _serve(req: Request, started: Any) -> Response:
    for path in req.sys_path:
        if path not in sys.path:
            sys.path.append(path)
    for name, level in req.levels.items():
        logging.getLogger(name).setLevel(level)
    set_rng(req.rng)
    started()
    entries: list[Any] = []
    status, result, error = "ok", None, None
    start = time.perf_counter()
    with (
        warnings.catch_warnings(record=True) as caught,
        capture_records("", this_thread_only=False) as records,
        job_context(**req.context),
    ):
        warnings.simplefilter("always")
        try:
            result = getattr(req.obj, req.attr)(*req.args)
        except ConfigError as exc:
            status, error = "config", exc
        except Exception as exc:
            status = "error"
            entries.append(error_entry(req.stage, exc))
    elapsed = time.perf_counter() - start
    entries = [*entries_from_warnings(req.stage, caught), *entries]
    return Response(
        status=status,
        result=result,
        entries=entries,
        records=list(records),
        rng=get_rng("torch" in req.rng),
        elapsed=elapsed,
        error=error,
    )


def _say_started(conn: Any, sent: list[bool]) -> None:
    conn.send_bytes(b"started")
    sent.append(True)


def _redirect(fd: int, path: str) -> None:
    target = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
    os.dup2(target, fd)
    os.close(target)


def _exit_with_parent(alive: Any) -> None:
    """Wait until the parent closes (or loses) its end of ``alive``, then exit."""
    try:
        alive.recv_bytes()
    except BaseException:  # EOFError / OSError: the parent is gone
        pass
    os._exit(0)


def child_main(
    conn: Any, out_path: str, err_path: str, preload: Sequence[str] = (), alive: Any = None,
) -> None:
    """Serve requests from ``conn`` until it closes, after importing the modules ``preload``.

    ``alive``: the read end of a pipe the parent holds open while it lives; the
    child exits when it closes.
    """
    if alive is not None:
        threading.Thread(target=_exit_with_parent, args=(alive,), daemon=True,
                         name="mlr3py-parent-watch").start()
    _redirect(1, out_path)
    _redirect(2, err_path)
    sys.stdout = io.TextIOWrapper(
        os.fdopen(1, "wb", closefd=False), encoding="utf-8", line_buffering=True
    )
    sys.stderr = io.TextIOWrapper(
        os.fdopen(2, "wb", closefd=False), encoding="utf-8", line_buffering=True,
        errors="backslashreplace",
    )
    for name in preload:  # what the calls will need, imported before the first one
        importlib.import_module(name)
    conn.send_bytes(b"ready")
    while True:
        try:
            data = conn.recv_bytes()
        except (EOFError, OSError):
            break
        sent: list[bool] = []
        started = functools.partial(_say_started, conn, sent)
        try:
            response = _serve(pickle.loads(data), started)
        except BaseException as exc:  # e.g. the request did not unpickle
            response = Response(status="error", entries=[error_entry("train", exc)])
        if not sent:
            conn.send_bytes(b"started")
        sys.stdout.flush()
        sys.stderr.flush()
        try:
            payload = dumps(response)
        except Exception as exc:
            stage = response.entries[0].stage if response.entries else "train"
            fail = Response(
                status="error",
                entries=[error_entry(stage, RuntimeError(
                    f"The result could not be sent back to the main process: "
                    f"{type(exc).__name__}: {exc}"
                ))],
                elapsed=response.elapsed,
            )
            if response.status == "config":
                fail = Response(status="config", error=None, entries=fail.entries)
            payload = dumps(fail)
        conn.send_bytes(payload)
