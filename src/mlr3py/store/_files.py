"""The store's directory layout, its format version and atomic file writes.

A store is a directory::

    store.sqlite        the job rows, the finished jobs' results (prediction, log and
                        learner state) and the run's metadata (SQLite, WAL journal)
    lock                the running process's lock (pid, host), absent when idle
    objects/<name>.pkl  the run's design and, for tuning, its batches
    models/<k2>/<key>.pkl    with store_models=True: a job's whole result, model included

Results live in the database, not in a file per job: a file costs a few metadata
writes of the file system per job, which on a busy disk is milliseconds; a row in
the database's write-ahead log is a fraction of that. Models, which can be large,
are files. Every file is written to a temporary name beside its target and moved into place
with :func:`os.replace`, which is atomic: a process killed while writing leaves the
old file (or none) and a stray ``*.tmp`` file that readers ignore, never half a file.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import uuid
from pathlib import Path
from typing import Any

__all__ = ["DB_NAME", "FORMAT_VERSION", "LOCK_NAME", "dumps", "model_path", "object_path",
           "read_pickle", "write_atomic", "write_pickle"]

FORMAT_VERSION = 1
"""The store format this mlr3py writes and reads (stores of newer formats are refused)."""

DB_NAME = "store.sqlite"
LOCK_NAME = "lock"


def model_path(root: Path, key: str) -> Path:
    """Where the result of the job ``key`` lives when it keeps its model."""
    return root / "models" / key[:2] / f"{key}.pkl"


def object_path(root: Path, name: str) -> Path:
    """Where the object ``name`` (the design, a tuning batch) lives."""
    return root / "objects" / f"{name}.pkl"


def _write_bytes(handle: Any, data: bytes) -> None:
    handle.write(data)


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and :func:`os.replace`.

    Raises the :class:`OSError` of a failed write (e.g. ``ENOSPC``) after removing the
    temporary file.
    """
    tmp = path.with_name(f"{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        handle = open(tmp, "wb")
    except FileNotFoundError:  # the folder is not there yet
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(tmp, "wb")
    try:
        with handle:
            _write_bytes(handle, data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def dumps(obj: Any) -> bytes:
    """Pickle ``obj``; with cloudpickle where plain pickle cannot (lambdas, local classes)."""
    try:
        return pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, AttributeError, TypeError):
        import cloudpickle

        return cloudpickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)


def write_pickle(path: Path, obj: Any) -> None:
    """Pickle ``obj`` to ``path`` atomically."""
    write_atomic(path, dumps(obj))


def read_pickle(path: Path) -> Any:
    """Unpickle the object at ``path``."""
    with open(path, "rb") as handle:
        return pickle.load(handle)
