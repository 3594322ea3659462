"""The status table of a store: jobs done, running, lost, with errors, not started."""

from __future__ import annotations

import socket
import time
from collections.abc import Sequence
from typing import Any

import pandas as pd

from mlr3py.store._lock import process_alive

__all__ = ["STATUS_COLUMNS", "job_status", "status_table"]

STATUS_COLUMNS = ("done", "errors", "running", "lost", "failed", "not_started", "total")
"""done: finished (errors included); errors: finished with an error in the log; running:
leased by a live worker; lost: started by a worker that is gone or whose lease expired;
failed: finished but not written (e.g. a full disk); not_started: never started."""


def job_status(row: Sequence[Any], now: float, host: str) -> str:
    """The status of one job row (``state, host, pid, lease_until``) as shown."""
    state, job_host, pid, lease_until = row
    if state == "running":
        expired = lease_until is not None and lease_until < now
        dead = job_host == host and pid is not None and not process_alive(int(pid))
        return "lost" if expired or dead else "running"
    return {"pending": "not_started", "error": "done"}.get(state, state)


def status_table(rows: Sequence[Sequence[Any]]) -> pd.DataFrame:
    """Counts per task and learner from job rows.

    Parameters
    ----------
    rows : sequence
        Rows ``(task_id, learner_id, state, errors, host, pid, lease_until)``.

    Returns
    -------
    pandas.DataFrame
        Columns task_id, learner_id and :data:`STATUS_COLUMNS`, one row per task and
        learner in design order.
    """
    now, host = time.time(), socket.gethostname()
    counts: dict[tuple[str, str], dict[str, int]] = {}
    alive: dict[tuple[str, int], bool] = {}
    for task_id, learner_id, state, errors, job_host, pid, lease_until in rows:
        entry = counts.setdefault((task_id, learner_id), dict.fromkeys(STATUS_COLUMNS, 0))
        if state == "running" and job_host == host and pid is not None:
            key = (job_host, int(pid))
            if key not in alive:
                alive[key] = process_alive(int(pid))
            shown = "running" if alive[key] and (lease_until or now) >= now else "lost"
        else:
            shown = job_status((state, job_host, pid, lease_until), now, host)
        entry[shown] += 1
        entry["errors"] += int(state == "error" and errors > 0)
        entry["total"] += 1
    table = pd.DataFrame(
        [{"task_id": t, "learner_id": lrn, **c} for (t, lrn), c in counts.items()],
        columns=["task_id", "learner_id", *STATUS_COLUMNS])
    return table.astype({c: "int64" for c in STATUS_COLUMNS})
