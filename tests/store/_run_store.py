"""A benchmark into a result store, run as a script so that tests can kill it.

Usage: python _run_store.py STORE COUNT_FILE PLAN WORKERS SECS FOLDS [kill-mid-model-write |
kill-mid-commit]
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _store_helpers import counting_design

from mlr3py.evaluation import benchmark
from mlr3py.execution import plan


def _kill_mid_model_write() -> None:
    """Die (SIGKILL) when a job's model file is written but not yet moved into place."""
    import mlr3py.store._files as files

    real_replace = os.replace

    def replace_then_die(src: str, dst: str) -> None:
        if "models" in str(dst):
            os.kill(os.getpid(), signal.SIGKILL)
        real_replace(src, dst)

    files.os.replace = replace_then_die  # type: ignore[assignment]


def _kill_mid_commit() -> None:
    """Die (SIGKILL) inside a job's transaction: its result row written, not committed."""
    import mlr3py.store._store as store

    real = store.transaction

    @contextlib.contextmanager
    def transaction_then_die(con: Any) -> Iterator[None]:
        with real(con):
            yield
            (n_results,) = con.execute("SELECT count(*) FROM results").fetchone()
            if n_results:  # this transaction wrote a job's result
                os.kill(os.getpid(), signal.SIGKILL)

    store.transaction = transaction_then_die  # type: ignore[assignment]


def main() -> None:
    store, count_file, plan_name, workers, secs, folds = sys.argv[1:7]
    store_models = False
    if "kill-mid-model-write" in sys.argv[7:]:
        _kill_mid_model_write()
        store_models = True
    if "kill-mid-commit" in sys.argv[7:]:
        _kill_mid_commit()
    design = counting_design(Path(count_file), float(secs), int(folds))
    kwargs = {} if plan_name == "sequential" else {"workers": int(workers)}
    with plan(plan_name, **kwargs):
        benchmark(design, seed=3, store=store, store_models=store_models)
    print("finished", flush=True)


if __name__ == "__main__":
    main()
