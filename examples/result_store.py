"""Nothing lost: a benchmark into a result store, killed half-way, then resumed.

1. A child process runs a benchmark of 16 jobs (two learners, 8-fold CV; each training
   sleeps 0.1 s) under ``plan("processes", workers=2)`` with ``store=``; the workers
   write each job as it finishes.
2. Once half the jobs are done, the child is killed with ``kill -9``.
3. ``mlr3py.open_store()`` shows what is done, lost and not started, and the results so
   far; ``mlr3py.resume()`` runs only the missing jobs.
4. The resumed scores equal those of an uninterrupted run with the same seed.

Run: ``.venv/bin/python examples/result_store.py``
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import mlr3py
from mlr3py import benchmark, benchmark_grid, lrn, rsmp, tsk


def design() -> Any:
    """Two learners on penguins, 8-fold CV; each training sleeps 0.1 s."""
    learners = [lrn("classif.debug", sleep_train=0.1, x=0.3),
                lrn("classif.rpart", max_depth=3)]
    return benchmark_grid(tsk("penguins"), learners, rsmp("cv", folds=8), seed=1)


def child(store: str) -> None:
    """The run that gets killed."""
    with mlr3py.plan("processes", workers=2):
        benchmark(design(), seed=42, store=store)


def main(workdir: str | None = None) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        store = str(Path(workdir or tmp) / "study")
        proc = subprocess.Popen([sys.executable, __file__, "--child", store],
                                stdout=subprocess.DEVNULL, start_new_session=True)
        n_done = 0
        while n_done < 8:
            time.sleep(0.1)
            if Path(store, "store.sqlite").exists():
                try:
                    n_done = int(mlr3py.open_store(store).status()["done"].sum())
                except mlr3py.errors.Mlr3pyError:
                    n_done = 0  # the design is not recorded yet
        os.killpg(proc.pid, signal.SIGKILL)  # the main process and its workers
        proc.wait()
        opened = mlr3py.open_store(store)
        deadline = time.monotonic() + 30
        while (status := opened.status())["running"].sum() and time.monotonic() < deadline:
            time.sleep(0.1)  # the killed workers are on their way out
        print(f"## killed the run (exit status {proc.returncode}); the store holds:")
        print(status.to_string(index=False))
        so_far = opened.results()
        print("\n## results so far:")
        print(so_far.aggregate()[["learner_id", "iters", "classif.ce"]].to_string(index=False))

        resumed = mlr3py.resume(store)
        print("\n## resumed:")
        print(resumed.aggregate()[["learner_id", "iters", "classif.ce"]].to_string(index=False))
        uninterrupted = benchmark(design(), seed=42)
        same = (resumed.score()["classif.ce"].tolist()
                == uninterrupted.score()["classif.ce"].tolist())
        print(f"\nsame scores as an uninterrupted run: {same}")
        return {"status": status, "resumed": resumed, "same": same}


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2])
    else:
        main()
