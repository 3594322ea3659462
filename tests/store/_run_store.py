"""A benchmark into a result store, run as a script so that tests can kill it.

Usage: python _run_store.py STORE COUNT_FILE PLAN WORKERS SECS FOLDS [kill-mid-write]
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _store_helpers import counting_design

from mlr3py.evaluation import benchmark
from mlr3py.execution import plan


def main() -> None:
    store, count_file, plan_name, workers, secs, folds = sys.argv[1:7]
    if "kill-mid-write" in sys.argv[7:]:
        import mlr3py.store._files as files

        real_replace = os.replace

        def replace_then_die(src: str, dst: str) -> None:
            if str(dst).endswith(".pkl") and "results" in str(dst):
                os.kill(os.getpid(), signal.SIGKILL)  # the temporary file is written
            real_replace(src, dst)

        files.os.replace = replace_then_die  # type: ignore[assignment]
    design = counting_design(Path(count_file), float(secs), int(folds))
    kwargs = {} if plan_name == "sequential" else {"workers": int(workers)}
    with plan(plan_name, **kwargs):
        benchmark(design, seed=3, store=store)
    print("finished", flush=True)


if __name__ == "__main__":
    main()
