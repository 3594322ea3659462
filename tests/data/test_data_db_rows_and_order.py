"""Database backends: unknown row ids in missings() / distinct() raise as in data(),
distinct values come sorted (numbers numerically), and the multicore refusal of a
composed task names the part that does not survive fork()."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("ibis", reason="needs ibis (pip install 'mlr3py[sql]')")
pytest.importorskip("duckdb")

import mlr3py
from mlr3py.data import as_data_backend, as_duckdb_backend, as_parquet_backend, as_sqlite_backend
from mlr3py.errors import ConfigError, InputError


def _frame() -> pd.DataFrame:
    return pd.DataFrame({
        "k": [2, 10, 1, 2, 33, 10] * 3,
        "s": ["b", "a", None, "c", "a", "b"] * 3,
        "y": np.arange(18.0),
    })


def _parquet(frame: pd.DataFrame, tmp: Path) -> Any:
    frame.to_parquet(tmp / "o.parquet", index=False)
    return as_parquet_backend(tmp / "o.parquet")


ENGINES: dict[str, Callable[[pd.DataFrame, Path], Any]] = {
    "duckdb": lambda f, tmp: as_duckdb_backend(f, tmp / "o.duckdb"),
    "sqlite": lambda f, tmp: as_sqlite_backend(f, tmp / "o.sqlite"),
    "parquet": _parquet,
}


@pytest.mark.parametrize("engine", list(ENGINES))
@pytest.mark.parametrize("ids_read", [False, True])
def test_unknown_row_ids_raise_in_missings_and_distinct(
    tmp_path: Path, engine: str, ids_read: bool
) -> None:
    backend = ENGINES[engine](_frame(), tmp_path)
    if ids_read:
        backend.rownames  # noqa: B018  (the row ids in memory: checked without a query)
    memory = as_data_backend(_frame())
    for b in (memory, backend):
        with pytest.raises(InputError, match=r"not in the data: 99 \(1 unknown\)"):
            b.missings([10, 99, 10], ["k", "s"])
    with pytest.raises(InputError, match=r"99, 100"):
        backend.missings([10, 99, 100], [])
    with pytest.raises(InputError, match=r"not in the data: 99 \(1 unknown\)"):
        backend.distinct([10, 99], ["k"])
    # known ids, duplicated, are fine
    assert backend.missings([2, 10, 2], ["s"]) == {"s": 1}
    assert backend.distinct([1, 0, 1], ["k"]) == {"k": [2, 10]}


@pytest.mark.parametrize("engine", list(ENGINES))
def test_distinct_values_are_sorted_numbers_numerically(tmp_path: Path, engine: str) -> None:
    backend = ENGINES[engine](_frame(), tmp_path)
    assert backend.distinct(None, ["k", "s"]) == {"k": [1, 2, 10, 33], "s": ["a", "b", "c"]}
    assert backend.distinct(None, ["s"], na_rm=False) == {"s": ["a", "b", "c", None]}


def test_multicore_refusal_names_the_part_that_does_not_survive_fork(tmp_path: Path) -> None:
    task = mlr3py.as_task_regr(_parquet(_frame(), tmp_path), target="y", id="parts")
    task.cbind(pd.DataFrame({"z": np.arange(18.0)}))
    assert type(task.backend).__name__ == "DataBackendCbind"
    learner = mlr3py.lrn("regr.featureless")
    with mlr3py.plan(mlr3py.tweak("multicore", workers=2)), pytest.raises(ConfigError) as err:
        mlr3py.resample(task, learner, mlr3py.rsmp("holdout"))
    message = str(err.value)
    assert "DataBackendCbind, whose part DataBackendIbis" in message
    assert "o.parquet" in message and "a thread pool" not in message
