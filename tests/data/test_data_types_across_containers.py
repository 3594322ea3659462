"""One feature type per column whatever holds the data: the same columns (a boolean and
an Int32 with missing values, a decimal, a date, a timestamp, a categorical) in memory
(pandas, polars, pyarrow), in a polars LazyFrame, in DuckDB and SQLite (through ibis
and through files) and in Parquet give the same column infos, and every backend
passes the conformance suite (dtypes agree with data(), dates included)."""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from mlr3py.data import (
    ColInfo,
    DataBackend,
    as_data_backend,
    as_duckdb_backend,
    as_parquet_backend,
    as_sqlite_backend,
)
from mlr3py.errors import InputError
from mlr3py.testing import check_data_backend

ibis = pytest.importorskip("ibis", reason="needs ibis (pip install 'mlr3py[sql]')")
pl = pytest.importorskip("polars")
pa = pytest.importorskip("pyarrow")

N = 9

EXPECTED = [
    ColInfo("id", "integer"),
    ColInfo("flag", "logical"),
    ColInfo("amount", "numeric"),
    ColInfo("day", "POSIXct"),
    ColInfo("at", "POSIXct"),
    ColInfo("count", "integer"),
    ColInfo("colour", "factor", ("blue", "red")),
    ColInfo("y", "numeric"),
]


def _polars() -> Any:
    return pl.DataFrame({
        "id": list(range(1, N + 1)),
        "flag": [True, None, False] * 3,
        "amount": pl.Series([decimal.Decimal(f"{i}.25") for i in range(N)],
                            dtype=pl.Decimal(10, 2)),
        "day": [dt.date(2020, 1, i + 1) for i in range(N)],
        "at": [dt.datetime(2021, 3, 1, i, 30) for i in range(N)],
        "count": pl.Series([None if i == 4 else i for i in range(N)], dtype=pl.Int32),
        "colour": pl.Series(["red", "blue", None] * 3, dtype=pl.Categorical),
        "y": [float(i) for i in range(N)],
    })


def _pandas() -> pd.DataFrame:
    return pd.DataFrame({
        "id": range(1, N + 1),
        "flag": pd.array([True, None, False] * 3, dtype="boolean"),
        "amount": [decimal.Decimal(f"{i}.25") for i in range(N)],
        "day": pd.to_datetime([dt.date(2020, 1, i + 1) for i in range(N)]),
        "at": [dt.datetime(2021, 3, 1, i, 30) for i in range(N)],
        "count": pd.array([None if i == 4 else i for i in range(N)], dtype="Int32"),
        "colour": pd.Categorical(["red", "blue", None] * 3),
        "y": [float(i) for i in range(N)],
    })


def _ibis_sqlite(tmp: Path) -> DataBackend:
    path = tmp / "types.sqlite"
    as_sqlite_backend(_polars(), path, primary_key="id")
    return as_data_backend(ibis.sqlite.connect(str(path)).table("data"), primary_key="id")


def _parquet(tmp: Path) -> DataBackend:
    _polars().write_parquet(tmp / "types.parquet")
    return as_parquet_backend(tmp / "types.parquet", primary_key="id")


CONTAINERS: dict[str, Callable[[Path], DataBackend]] = {
    "pandas": lambda tmp: as_data_backend(_pandas(), primary_key="id"),
    "polars": lambda tmp: as_data_backend(_polars(), primary_key="id"),
    "pyarrow": lambda tmp: as_data_backend(_polars().to_arrow(), primary_key="id"),
    "polars_lazy": lambda tmp: as_data_backend(_polars().lazy(), primary_key="id"),
    "ibis_duckdb": lambda tmp: as_data_backend(
        ibis.duckdb.connect().create_table("t", _polars().to_arrow()), primary_key="id"),
    "ibis_sqlite": _ibis_sqlite,
    "duckdb_file": lambda tmp: as_duckdb_backend(_polars(), tmp / "types.duckdb",
                                                 primary_key="id"),
    "sqlite_file": lambda tmp: as_sqlite_backend(_pandas(), tmp / "pd.sqlite", primary_key="id"),
    "parquet": _parquet,
}


@pytest.mark.parametrize("container", list(CONTAINERS))
def test_same_column_types_in_every_container(container: str, tmp_path: Path) -> None:
    backend = CONTAINERS[container](tmp_path)
    assert backend.col_info() == EXPECTED
    check_data_backend(backend)
    got = backend.data([3, 5, 2], ["flag", "amount", "day", "count", "colour"])
    assert got["flag"].tolist()[0] is False and pd.isna(got["flag"].tolist()[2])
    assert got["amount"].tolist() == [2.25, 4.25, 1.25]
    assert got["day"].tolist() == [pd.Timestamp(2020, 1, d) for d in (3, 5, 2)]
    assert pd.isna(got["count"].tolist()[1])
    if container != "pandas":  # (a pandas frame keeps its own dtypes: datetime64[s], Int32)
        assert str(got["day"].dtype) == "datetime64[ns]"
        assert str(got["count"].dtype) == "Int64"
    days = backend.distinct([3, 2], ["day"])["day"]
    assert sorted(days) == [pd.Timestamp(2020, 1, 2), pd.Timestamp(2020, 1, 3)]


def test_enum_is_ordered_with_declared_levels_in_memory_and_lazy() -> None:
    frame = pl.DataFrame({
        "id": [1, 2, 3, 4],
        "size": pl.Series(["lo", "hi", "lo", None], dtype=pl.Enum(["lo", "mid", "hi"])),
    })
    for data in (frame, frame.lazy(), frame.to_arrow()):
        backend = as_data_backend(data, primary_key="id")
        assert backend.col_info()[1] == ColInfo("size", "ordered", ("lo", "mid", "hi"))
        check_data_backend(backend)
        values = backend.data([2, 1], ["size"])["size"]
        assert values.tolist() == ["hi", "lo"] and values.dtype.ordered


def test_timestamps_keep_their_time_zone(tmp_path: Path) -> None:
    frame = pl.DataFrame({
        "id": [1, 2],
        "at": pl.Series([dt.datetime(2020, 1, 1, 12), dt.datetime(2020, 6, 1, 12)])
        .dt.replace_time_zone("Europe/Berlin"),
    })
    for backend in (as_data_backend(frame, primary_key="id"),
                    as_data_backend(frame.lazy(), primary_key="id")):
        assert backend.dtypes["at"] == pd.DatetimeTZDtype("ns", "Europe/Berlin")
        check_data_backend(backend)
    # DuckDB keeps the instant, in UTC (a TIMESTAMPTZ column has no zone of its own)
    stored = as_duckdb_backend(frame, tmp_path / "tz.duckdb", primary_key="id")
    assert stored.dtypes["at"] == pd.DatetimeTZDtype("ns", "UTC")
    check_data_backend(stored)
    assert stored.data([2], ["at"])["at"].tolist() == [pd.Timestamp("2020-06-01 10:00", tz="UTC")]


def test_sqlite_sugar_keeps_object_booleans_and_decimals(tmp_path: Path) -> None:
    frame = pd.DataFrame({
        "id": [1, 2, 3],
        "flag": [True, None, False],
        "amount": [decimal.Decimal("1.5"), None, decimal.Decimal("2")],
    })
    backend = as_sqlite_backend(frame, tmp_path / "objects.sqlite", primary_key="id")
    assert [c.type for c in backend.col_info()] == ["integer", "logical", "numeric"]
    assert [c.type for c in as_data_backend(frame, primary_key="id").col_info()] == [
        "integer", "logical", "numeric"]
    check_data_backend(backend)


def test_primary_key_errors_name_columns_and_duplicated_values(tmp_path: Path) -> None:
    frame = pd.DataFrame({"id": [1, 1, 2, 2, 3, 4, 4, 5, 5, 6, 6, 7, 7], "x": range(13)})
    for make in (as_duckdb_backend, as_sqlite_backend):
        with pytest.raises(InputError, match=r"duplicated values: 1, 2, 4, 5, 6, \.\.\. "
                                             r"\(6 values\)"):
            make(frame, tmp_path / f"dup.{make.__name__}", primary_key="id")
        with pytest.raises(InputError, match=r"'idd' is not a column of the table "
                                             r"\(columns: 'id', 'x'\)\. Did you mean 'id'\?"):
            make(frame, tmp_path / f"unknown.{make.__name__}", primary_key="idd")
    small = frame.iloc[:4]
    with pytest.raises(InputError, match=r"duplicated values: 1, 2\. Give a column"):
        as_duckdb_backend(small, tmp_path / "few.duckdb", primary_key="id")
