"""The status table of a store: jobs done, running, lost, with errors, not started."""

from __future__ import annotations

import socket
import time
from collections.abc import Sequence
from typing import Any

import pandas as pd

from mlr3py.store._lock import process_alive

__all__ = ["MESSAGE_WIDTH", "STATUS_COLUMNS", "job_status", "status_table"]

STATUS_COLUMNS = ("done", "errors", "running", "lost", "failed", "not_started", "total")
"""done: finished (errors included); errors: jobs with an error, either caught in the log
(encapsulation; counted as done) or raised by the learner (no encapsulation; counted as
failed); running: leased by a live worker; lost: started by a worker that is gone or whose
lease expired; failed: did not finish (the learner raised) or finished but not written
(e.g. a full disk), runs again on resume; not_started: never started. The status table
also has a column ``message``: the first failed job's message (None if none)."""

MESSAGE_WIDTH = 200
"""The most characters of a message the status table shows (the job table has them all)."""


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
        Rows ``(task_id, learner_id, state, errors, host, pid, lease_until, iteration,
        message)``.

    Returns
    -------
    pandas.DataFrame
        Columns task_id, learner_id, :data:`STATUS_COLUMNS` and message (the first failed
        job's iteration and message, e.g. ``"iteration 2: the learner raised ..."``, or
        None), one row per task and learner in design order.
    """
    now, host = time.time(), socket.gethostname()
    counts: dict[tuple[str, str], dict[str, int]] = {}
    messages: dict[tuple[str, str], str | None] = {}
    alive: dict[tuple[str, int], bool] = {}
    for (task_id, learner_id, state, errors, job_host, pid, lease_until, iteration,
         message) in rows:
        entry = counts.setdefault((task_id, learner_id), dict.fromkeys(STATUS_COLUMNS, 0))
        messages.setdefault((task_id, learner_id), None)
        if state == "failed" and message and messages[(task_id, learner_id)] is None:
            text = f"iteration {iteration}: {message}"
            if len(text) > MESSAGE_WIDTH:
                text = text[:MESSAGE_WIDTH - 3] + "..."
            messages[(task_id, learner_id)] = text
        if state == "running" and job_host == host and pid is not None:
            key = (job_host, int(pid))
            if key not in alive:
                alive[key] = process_alive(int(pid))
            shown = "running" if alive[key] and (lease_until or now) >= now else "lost"
        else:
            shown = job_status((state, job_host, pid, lease_until), now, host)
        entry[shown] += 1
        entry["errors"] += int(state in ("error", "failed") and errors > 0)
        entry["total"] += 1
    table = pd.DataFrame(
        [{"task_id": t, "learner_id": lrn, **c, "message": messages[(t, lrn)]}
         for (t, lrn), c in counts.items()],
        columns=["task_id", "learner_id", *STATUS_COLUMNS, "message"])
    table = table.astype({c: "int64" for c in STATUS_COLUMNS})
    table["message"] = table["message"].astype(object).where(table["message"].notna(), None)
    return table
