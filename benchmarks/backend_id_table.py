"""Fetching rows by id: a registered id table against a literal ``IN (...)`` list.

Database backends fetch a resampling iteration's rows with
``key IN (SELECT id FROM ids)``, the ids registered on the connection as a table
(an ibis memtable: DuckDB registers the Arrow table, SQLite and PostgreSQL get a
temporary table). This script times that against the literal list
``key IN (1, 5, 9, ...)`` on the flights table of ``examples/flights_sqlite.py``,
in its SQLite file and in a DuckDB copy, for 1,000 and 50,000 random ids; medians
of 3 after a warm-up.

Usage::

    python benchmarks/backend_id_table.py [--db /tmp/mlr3py-flights.sqlite]
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "flights_sqlite.py"


def _median(func: Callable[[], Any]) -> float:
    func()
    times = []
    for _ in range(3):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> None:
    import ibis
    import pyarrow as pa

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=None)
    args = parser.parse_args(argv)
    spec = importlib.util.spec_from_file_location("flights_example", EXAMPLE)
    assert spec is not None and spec.loader is not None
    example = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(example)
    tmp = Path(tempfile.mkdtemp(prefix="mlr3py-ids-"))
    db = example.write_sqlite(args.db or tmp / "flights.sqlite")
    sqlite = ibis.sqlite.connect(str(db))
    duck = ibis.duckdb.connect(str(tmp / "flights.duckdb"))
    duck.create_table("flights", sqlite.to_pyarrow(sqlite.table("flights")))
    load = os.getloadavg()
    print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; medians of 3\n")
    print("| engine | ids | literal IN list (s) | id table (s) | ratio |")
    print("| --- | ---: | ---: | ---: | ---: |")
    rng = np.random.default_rng(1)
    for name, con in (("duckdb", duck), ("sqlite", sqlite)):
        table = con.table("flights")
        all_ids = con.to_pyarrow(table.select("row_id")).column(0).to_numpy()
        for k in (1_000, 50_000):
            ids = np.sort(rng.choice(all_ids, size=k, replace=False))

            def literal(con: Any = con, table: Any = table, ids: Any = ids) -> Any:
                return con.to_pyarrow(table.filter(table.row_id.isin(ids.tolist())))

            def id_table(con: Any = con, table: Any = table, ids: Any = ids) -> Any:
                registered = ibis.memtable(pa.table({"id": ids}))
                return con.to_pyarrow(table.filter(table.row_id.isin(registered["id"])))

            t_lit, t_tab = _median(literal), _median(id_table)
            print(f"| {name} | {k:,} | {t_lit:.3f} | {t_tab:.3f} | {t_lit / t_tab:.1f} |")


if __name__ == "__main__":
    main()
