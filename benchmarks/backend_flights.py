"""The mlr3 book's flights resample on database backends against the in-memory task.

The task of ``examples/flights_sqlite.py`` (163,707 NYC flights x 12 columns,
target ``arr_delay``), resampled with ``regr.rpart`` and subsampling (ratio
0.02, 3 repeats), on three backends built from the same data:

- ``sqlite``: the book's lazy ibis expression on the SQLite file;
- ``duckdb``: the same rows in a DuckDB file (``as_duckdb_backend``);
- ``memory``: an in-memory copy (pandas).

Each repetition runs the three in turn (rotating which goes first) with the same
seed; the table reports medians of the whole ``resample()`` time and of the
per-iteration train and predict times (``time_train`` / ``time_predict``), and
the ratios to the in-memory task. The book reports mlr3db (R, SQLite) at about
1.3 s training and 15.7 s predicting per iteration; those are printed alongside.

Usage::

    python benchmarks/backend_flights.py [--reps 5] [--db /tmp/flights.sqlite]
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import mlr3py

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "flights_sqlite.py"
BOOK_TRAIN, BOOK_PREDICT = 1.3, 15.7


def _example() -> Any:
    spec = importlib.util.spec_from_file_location("flights_example", EXAMPLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _run(example: Any, task: Any) -> tuple[float, float, float]:
    start = time.perf_counter()
    scores = example.run_resample(task, seed=1)
    total = time.perf_counter() - start
    return total, float(scores["time_train"].median()), float(scores["time_predict"].median())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--db", type=Path, default=None)
    args = parser.parse_args(argv)
    example = _example()
    tmp = Path(tempfile.mkdtemp(prefix="mlr3py-bench-"))
    db = example.write_sqlite(args.db or tmp / "flights.sqlite")
    sqlite_task = example.flights_task(db)
    frame = sqlite_task.backend.data(None, sqlite_task.backend.colnames).reset_index(drop=True)
    duck = mlr3py.as_duckdb_backend(frame, tmp / "flights.duckdb", primary_key="row_id")
    tasks = {
        "sqlite": sqlite_task,
        "duckdb": mlr3py.as_task_regr(duck, target="arr_delay", id="flights_duckdb"),
        "memory": example.in_memory_task(sqlite_task),
    }
    for task in tasks.values():  # warm-up: connections, caches, imports
        _run(example, task)
    times: dict[str, list[tuple[float, float, float]]] = {k: [] for k in tasks}
    names = list(tasks)
    for rep in range(args.reps):
        order = names[rep % 3:] + names[:rep % 3]
        for name in order:
            times[name].append(_run(example, tasks[name]))
    med = {k: tuple(statistics.median(x[i] for x in v) for i in range(3))
           for k, v in times.items()}
    load = os.getloadavg()
    print(f"Python {platform.python_version()}, {os.cpu_count()} CPUs, load average "
          f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; {args.reps} repetitions, medians")
    print(f"task: {sqlite_task.nrow:,} rows x {sqlite_task.ncol} columns; "
          "regr.rpart, subsampling ratio 0.02, 3 repeats\n")
    print("| backend | resample (s) | ratio to memory | train / iteration (s) "
          "| predict / iteration (s) |")
    print("| --- | ---: | ---: | ---: | ---: |")
    base = med["memory"][0]
    for name in names:
        total, train, predict = med[name]
        print(f"| {name} | {total:.3f} | {total / base:.2f} | {train:.3f} | {predict:.3f} |")
    print(f"| mlr3db (book, R + SQLite) | | | {BOOK_TRAIN:.1f} | {BOOK_PREDICT:.1f} |")
    ok = all(med[k][0] / base <= 1.5 for k in ("sqlite", "duckdb"))
    print(f"\nGoal <= 1.5x the in-memory time: {'met' if ok else 'NOT met'}", file=sys.stderr)


if __name__ == "__main__":
    main()
