"""ResultStore: the :class:`~mlr3py.evaluation._sink.JobStore` kept in a directory.

See :mod:`mlr3py.store._files` for the layout, :mod:`mlr3py.store._db` for the job rows
and :mod:`mlr3py.store._lock` for the run lock. The writer handed to the workers
(:class:`StoreWriter`) holds only the store's path and opens its own connection in
each process.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import socket
import sqlite3
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mlr3py.errors import StoreError
from mlr3py.log import logger
from mlr3py.store._db import connect, read_meta, worker_connection
from mlr3py.store._files import (
    DB_NAME,
    FORMAT_VERSION,
    LOCK_NAME,
    dumps,
    model_path,
    object_path,
    read_pickle,
    write_atomic,
    write_pickle,
)
from mlr3py.store._lock import RunLock

if TYPE_CHECKING:
    from mlr3py.evaluation._job import Job, JobResult

__all__ = ["LEASE_SECONDS", "ResultStore", "StoreWriter", "check_store_path", "transaction"]

LEASE_SECONDS = 24 * 3600.0
"""How long a started job's lease lasts: a job running longer is shown as lost."""


def _error_count(result: JobResult) -> int:
    return sum(1 for entry in result.log if getattr(entry, "cls", None) == "error")


class StoreWriter:
    """Records jobs in the store at ``root`` from whichever process runs them."""

    def __init__(self, root: Path, lease: float = LEASE_SECONDS) -> None:
        self.root = Path(root)
        self.lease = lease

    def _con(self) -> sqlite3.Connection:
        return worker_connection(self.root / DB_NAME)

    def started(self, job: Job) -> None:
        """Mark ``job`` as running here (host, pid) until its lease ends."""
        now = time.time()
        self._con().execute(
            "UPDATE jobs SET state='running', host=?, pid=?, started=?, lease_until=?, "
            "attempts=attempts+1 WHERE key=? AND state != 'done'",
            (socket.gethostname(), os.getpid(), now, now + self.lease, job.key))

    def finished(self, job: Job, result: JobResult) -> None:
        """Record ``result`` and mark ``job`` finished, in one transaction.

        The result goes into the database with the job's row (a job keeping its model
        goes to a file first, written atomically). A write that fails (a full disk, say)
        records the job as ``failed`` with the reason, so it runs again on resume; the
        run goes on.
        """
        con = self._con()
        n_errors = _error_count(result)
        try:
            data = dumps(result)
            if job.store_models:
                write_atomic(model_path(self.root, job.key), data)
            with transaction(con):
                if not job.store_models:
                    con.execute("INSERT OR REPLACE INTO results VALUES (?, ?)", (job.key, data))
                con.execute(
                    "UPDATE jobs SET state=?, errors=?, finished=?, message=NULL, model_file=? "
                    "WHERE key=?", ("error" if n_errors else "done", n_errors, time.time(),
                                    int(job.store_models), job.key))
        except (OSError, sqlite3.Error) as exc:
            logger.warning("Could not write the result of job %s (learner '%s' on task '%s', "
                           "iteration %d) to the store at '%s': %s", job.key,
                           job.learner.id, job.task.id, job.iteration, self.root, exc)
            with contextlib.suppress(sqlite3.Error):
                con.execute("UPDATE jobs SET state='failed', errors=0, finished=?, message=? "
                            "WHERE key=?",
                            (time.time(), f"could not write the result: {exc}", job.key))


    def raised(self, job: Job, message: str) -> None:
        """Mark ``job`` failed with one error (its learner raised, no encapsulation) and
        ``message``: it has no result, and a resumed run runs it again."""
        try:
            self._con().execute(
                "UPDATE jobs SET state='failed', errors=1, finished=?, message=? WHERE key=?",
                (time.time(), f"the learner raised {message}", job.key))
        except sqlite3.Error as exc:  # the run goes on; the error is raised after it
            logger.warning("Could not record in the store at '%s' that job %s (learner "
                           "'%s' on task '%s', iteration %d) raised: %s", self.root, job.key,
                           job.learner.id, job.task.id, job.iteration, exc)


@contextlib.contextmanager
def transaction(con: sqlite3.Connection) -> Iterator[None]:
    """``BEGIN IMMEDIATE`` ... ``COMMIT`` on an autocommit connection; rolled back on error."""
    con.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        with contextlib.suppress(sqlite3.Error):
            con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def check_store_path(path: Any, must_exist: bool) -> Path:
    """``path`` as a Path, after checking that it can be (or is) a store."""
    if not isinstance(path, str | os.PathLike):
        raise StoreError(f"A store path must be a str or pathlib.Path. Got {path!r:.80} "
                         f"of type {type(path).__name__} instead.")
    root = Path(path)
    if root.exists() and not root.is_dir():
        raise StoreError(f"The store path '{root}' is a file, not a directory. Pass a "
                         "directory (it is created if missing) or remove the file.")
    is_store = (root / DB_NAME).exists()
    if must_exist and not is_store:
        raise StoreError(f"There is no result store at '{root}' (no {DB_NAME} in it). "
                         "Pass the directory given as store= to resample(), benchmark() "
                         "or tune().")
    if root.is_dir() and not is_store and any(root.iterdir()):
        raise StoreError(f"The directory '{root}' is not empty and holds no result store. "
                         "Pass a new or empty directory.")
    return root


class ResultStore:
    """A result store directory (the :class:`~mlr3py.evaluation._sink.JobStore` protocol).

    Parameters
    ----------
    path : str or os.PathLike
        The store directory; created if missing.
    create : bool
        Whether a missing store may be created (False: it must exist).
    """

    def __init__(self, path: Any, create: bool = True) -> None:
        self.root = check_store_path(path, must_exist=not create)
        self.root.mkdir(parents=True, exist_ok=True)
        self._con = connect(self.root / DB_NAME, create=True)
        self._lock = RunLock(self.root / LOCK_NAME)
        self.check_version()

    # ---- metadata ---------------------------------------------------------------------
    def meta(self) -> dict[str, str]:
        """The store's metadata (format_version, kind, fingerprint, root_seed, ...)."""
        return read_meta(self._con)

    def check_version(self) -> None:
        """Raise a StoreError if the store was written by a newer format."""
        version = self.meta().get("format_version")
        if version is not None and int(version) > FORMAT_VERSION:
            raise StoreError(
                f"The store at '{self.root}' has format version {version}, but this mlr3py "
                f"reads versions up to {FORMAT_VERSION}. Upgrade mlr3py to read it.")

    def recorded_seed(self) -> int | None:
        """The root seed recorded by the store's run, or None."""
        seed = self.meta().get("root_seed")
        return None if seed is None else int(seed)

    @property
    def kind(self) -> str | None:
        """``"resample"``, ``"benchmark"``, ``"tuning"``, or None for an empty store."""
        return self.meta().get("kind")

    # ---- the run ------------------------------------------------------------------------
    @property
    def is_open(self) -> bool:
        """Whether this object holds the store's lock for a run."""
        return self._lock.held

    def open_run(self, kind: str, fingerprint: str, spec: object) -> None:
        """Take the lock; record the run on a new store, or check it is the same run
        (a tuning run's spec is recorded again: its terminator may differ)."""
        self._lock.acquire()
        try:
            self._check_or_record(kind, fingerprint, spec)
            self._sweep_tmp()
        except BaseException:
            self._lock.release()
            raise

    def _check_or_record(self, kind: str, fingerprint: str, spec: object) -> None:
        meta = self.meta()
        if "fingerprint" not in meta:
            self.put_object("spec", spec)
            root_seed = getattr(spec, "root_seed", None)
            if root_seed is None:
                root_seed = getattr(getattr(spec, "instance", None), "seed", None)
            rows = [("format_version", str(FORMAT_VERSION)), ("kind", kind),
                    ("fingerprint", fingerprint), ("created", str(time.time())),
                    ("root_seed", str(root_seed))]
            with self._transaction():
                self._con.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", rows)
            return
        if meta.get("kind") != kind:
            raise StoreError(
                f"The store at '{self.root}' holds a {meta.get('kind')} run; this is a {kind} "
                "run. Use another directory, or resume that run with "
                f"mlr3py.resume('{self.root}').")
        if meta["fingerprint"] != fingerprint:
            raise StoreError(
                f"The store at '{self.root}' holds another design than this {kind} run "
                "(its tasks, learners with their parameter values, resampling splits or "
                "seeds differ; for tuning also its search space, measures or tuner; a "
                "tuning run's terminator may differ). Use another directory for the new "
                "design, or resume the "
                f"stored one with mlr3py.resume('{self.root}').")
        if kind == "tuning":  # its terminator, which the fingerprint leaves out, may
            self.put_object("spec", spec)  # have changed: resume() goes on with this one

    def _sweep_tmp(self) -> None:
        for tmp in self.root.glob("*/**/*.tmp"):
            with contextlib.suppress(OSError):
                tmp.unlink()

    def _transaction(self) -> contextlib.AbstractContextManager[None]:
        return transaction(self._con)

    def begin_jobs(self, jobs: Sequence[Job], retry_errors: bool = False) -> set[str]:
        """Register ``jobs`` (new rows are pending) and return the keys of those done."""
        rows = [(job.key, pos, "", job.experiment, job.iteration, job.task.id,
                 job.learner.id, job.resampling.id) for pos, job in enumerate(jobs)]
        with self._transaction():
            self._con.executemany(
                "INSERT OR IGNORE INTO jobs (key, pos, section, experiment, iteration, "
                "task_id, learner_id, resampling_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
        done_states = ("done",) if retry_errors else ("done", "error")
        marks = ",".join("?" * len(done_states))
        done = {key for (key,) in self._con.execute(
            f"SELECT key FROM jobs WHERE state IN ({marks})", done_states)}
        wanted = {job.key for job in jobs}
        return done & wanted

    def load_results(self, keys: Sequence[str]) -> dict[str, JobResult]:
        """The results of finished jobs, by key."""
        wanted = list(dict.fromkeys(keys))
        out: dict[str, JobResult] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            marks = ",".join("?" * len(chunk))
            for key, data in self._con.execute(
                    f"SELECT key, data FROM results WHERE key IN ({marks})", chunk):
                out[key] = pickle.loads(data)
        with_models = set(wanted) - out.keys()
        for key in with_models:
            out[key] = read_pickle(model_path(self.root, key))
        return out

    def writer(self) -> StoreWriter:
        """The writer the workers record jobs with."""
        return StoreWriter(self.root)

    def put_object(self, name: str, obj: object) -> None:
        """Keep ``obj`` under ``name`` (atomically)."""
        write_pickle(object_path(self.root, name), obj)

    def get_object(self, name: str) -> Any:
        """The object kept under ``name``, or None."""
        path = object_path(self.root, name)
        return read_pickle(path) if path.exists() else None

    def close(self) -> None:
        """End the run: give the lock back."""
        self._lock.release()

    def job_rows(self) -> list[tuple[Any, ...]]:
        """All job rows: key, section, experiment, iteration, task_id, learner_id, state,
        errors, attempts, host, pid, lease_until, message; in section and design order."""
        return self._con.execute(
            "SELECT key, section, experiment, iteration, task_id, learner_id, state, errors, "
            "attempts, host, pid, lease_until, message FROM jobs ORDER BY section, pos"
        ).fetchall()

    def __repr__(self) -> str:
        return f"<ResultStore '{self.root}' ({self.kind or 'empty'})>"


