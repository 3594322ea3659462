"""Building a task on a wide table of string columns: the factor levels from one query.

A database backend reads the levels of all its factor columns from one query. On
DuckDB (a database file or Parquet files) and polars that query unpivots the columns
(``pivot_longer``); SQLite, which has no arrays, and other engines run a ``UNION``
of one ``SELECT DISTINCT`` per column, which ibis compiles in time columns x table
width. The script writes a 50-row table of ``--cols`` string columns (and a numeric
target) to a DuckDB file, a Parquet file and a SQLite file and times
``as_task_regr(backend, target="y")`` on each, side by side in one run: the unpivot
against the ``UNION`` on the same DuckDB and Parquet files (the backend told not to
unpivot), and SQLite's ``UNION``. Each build is on a new backend (nothing cached);
medians of ``--reps``.

Usage::

    python benchmarks/backend_wide_levels.py --cols 150 600 --reps 3
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

import mlr3py
from mlr3py.data.sql import DataBackendIbis


def wide_frame(cols: int, rows: int = 50) -> pd.DataFrame:
    """``cols`` string columns of three values each (and a numeric target ``y``)."""
    values = np.array(["a", "b", "c"], dtype=object)
    frame = pd.DataFrame({f"c{i:04d}": values[(np.arange(rows) + i) % 3] for i in range(cols)})
    frame["y"] = np.arange(rows, dtype=float)
    return frame


def build_time(make: Callable[[], Any], reps: int, unpivot: bool) -> float:
    """Median seconds to build a task on a new backend from ``make()``."""
    original = DataBackendIbis._unpivots
    times = []
    try:
        if not unpivot:
            DataBackendIbis._unpivots = lambda self: False  # type: ignore[method-assign]
        for _ in range(reps):
            backend = make()
            start = time.perf_counter()
            task = mlr3py.as_task_regr(backend, target="y")
            times.append(time.perf_counter() - start)
            assert set(task.feature_types["type"]) == {"factor"}
    finally:
        DataBackendIbis._unpivots = original  # type: ignore[method-assign]
    return statistics.median(times)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cols", type=int, nargs="+", default=[150, 600])
    parser.add_argument("--reps", type=int, default=3)
    args = parser.parse_args(argv)

    load = os.getloadavg()
    print(f"Python {platform.python_version()}, {os.cpu_count()} CPUs, load average "
          f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; medians of {args.reps} builds\n")
    print("| string columns | DuckDB file: unpivot | DuckDB file: UNION | Parquet: unpivot "
          "| Parquet: UNION | SQLite: UNION |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: |")
    tmp = Path(tempfile.mkdtemp(prefix="mlr3py-wide-"))
    try:
        for n in args.cols:
            frame = wide_frame(n)
            duck, parquet, sqlite = (tmp / f"w{n}.{ext}" for ext in ("duckdb", "parquet", "sqlite"))
            mlr3py.as_duckdb_backend(frame, duck)
            frame.to_parquet(parquet, index=False)
            mlr3py.as_sqlite_backend(frame, sqlite)

            def on_duckdb(path: Path = duck) -> Any:
                return mlr3py.as_data_backend(str(path), table="data")

            def on_parquet(path: Path = parquet) -> Any:
                return mlr3py.as_parquet_backend(path)

            def on_sqlite(path: Path = sqlite) -> Any:
                return mlr3py.as_data_backend(str(path), table="data")

            for make in (on_duckdb, on_parquet, on_sqlite):  # warm-up: imports, connections
                build_time(make, 1, make is not on_sqlite)
            cells = [build_time(on_duckdb, args.reps, True),
                     build_time(on_duckdb, args.reps, False),
                     build_time(on_parquet, args.reps, True),
                     build_time(on_parquet, args.reps, False),
                     build_time(on_sqlite, args.reps, False)]
            print(f"| {n:,} | " + " | ".join(f"{c:.2f} s" for c in cells) + " |", flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
