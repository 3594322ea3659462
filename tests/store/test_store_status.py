"""status(): running jobs are shown as lost when their worker is gone or their lease
expired."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from _store_helpers import counting_design

import mlr3py
from mlr3py.evaluation import benchmark


def test_running_jobs_with_a_dead_worker_or_an_expired_lease_are_lost(tmp_path: Path) -> None:
    store = tmp_path / "s"
    benchmark(counting_design(tmp_path / "c", 0.0, 3), seed=1, store=store)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    now, host = time.time(), socket.gethostname()
    con = sqlite3.connect(store / "store.sqlite")
    keys = [k for (k,) in con.execute("SELECT key FROM jobs ORDER BY rowid")]
    rows = [  # (host, pid, lease_until) of jobs shown as running again
        (host, os.getpid(), now + 3600),       # a live worker within its lease: running
        (host, dead.pid, now + 3600),          # its worker is gone: lost
        (host, os.getpid(), now - 1),          # the lease expired: lost
        ("another-host", 12345, now + 3600),   # cannot be checked, lease holds: running
        ("another-host", 12345, now - 1),      # lease expired: lost
    ]
    for key, (h, pid, lease) in zip(keys, rows, strict=False):
        con.execute("UPDATE jobs SET state='running', host=?, pid=?, lease_until=? WHERE key=?",
                    (h, pid, lease, key))
    con.commit()
    con.close()
    status = mlr3py.open_store(store).status()
    assert status["running"].tolist() == [1, 1]
    assert status["lost"].tolist() == [2, 1]
    assert status["done"].tolist() == [0, 1]
    assert status["total"].tolist() == [3, 3]
