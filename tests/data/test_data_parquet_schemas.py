"""Parquet directories whose files differ in their columns: the files are read by column
name, types combined across the files, columns a file lacks missing in its rows, and
types that cannot be combined named in an :class:`~mlr3py.errors.InputError`."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from mlr3py.data import _connect, as_parquet_backend
from mlr3py.errors import InputError

ibis = pytest.importorskip("ibis", reason="needs ibis (pip install 'mlr3py[sql]')")
pytest.importorskip("duckdb")


def _write(root: Path, *frames: pd.DataFrame) -> Path:
    root.mkdir()
    for i, frame in enumerate(frames):
        frame.to_parquet(root / f"p{i + 1}.parquet", index=False)
    return root


def test_integer_and_float_files_give_float_values(tmp_path: Path) -> None:
    root = _write(tmp_path / "d", pd.DataFrame({"a": [1, 2], "b": ["x", "y"]}),
                  pd.DataFrame({"a": [3.5, 4.5], "b": ["z", "w"]}))
    backend = as_parquet_backend(root)
    assert backend.data(None, ["a", "b"])["a"].tolist() == [1.0, 2.0, 3.5, 4.5]
    info = {c.name: c for c in backend.col_info()}
    assert info["a"].type == "numeric"
    assert info["b"].levels == ("w", "x", "y", "z")
    # rows by id, from the view with one scan per file
    assert backend.data([3, 0], ["a"])["a"].tolist() == [4.5, 1.0]
    assert backend.data(np.arange(1, 4), ["a", "b"])["b"].tolist() == ["y", "z", "w"]


def test_a_column_absent_from_a_file_is_missing_in_its_rows(tmp_path: Path) -> None:
    root = _write(tmp_path / "d", pd.DataFrame({"a": [1, 2], "b": ["x", "y"]}),
                  pd.DataFrame({"a": [3, 4], "c": [0.5, 1.5]}),
                  pd.DataFrame({"c": [2.5], "b": ["v"], "a": [5]}))
    backend = as_parquet_backend(root)
    assert backend.ncol == 3
    full = backend.data(None, ["a", "b", "c"])
    assert full["a"].tolist() == [1, 2, 3, 4, 5]
    assert full["b"].tolist()[:2] == ["x", "y"] and full["b"].isna().tolist() == [
        False, False, True, True, False]
    assert np.isnan(full["c"].iloc[0]) and full["c"].tolist()[2:] == [0.5, 1.5, 2.5]
    # each key range reads its own files, the columns in the same order and types
    by_id = backend.data([4, 2, 1], ["a", "b", "c"])
    assert by_id["a"].tolist() == [5, 3, 2]
    assert by_id["b"].tolist()[0] == "v" and pd.isna(by_id["b"].iloc[1])
    assert by_id["c"].tolist()[:2] == [2.5, 0.5]
    assert backend.missings(None, ["b", "c"]) == {"b": 2, "c": 2}


def test_the_file_view_still_reads_only_the_files_of_a_key_range(tmp_path: Path) -> None:
    root = _write(tmp_path / "d", *[
        pd.DataFrame({"a": np.arange(100) + 100 * i,
                      "x" if i % 2 else "z": np.arange(100) * (1.5 if i % 2 else 1)})
        for i in range(4)
    ])
    backend = as_parquet_backend(root)
    query = backend._query_sorted(np.arange(110, 190), ["a", "x"])
    plan = "\n".join(row[1] for row in _connect.connection(backend._connector).raw_sql(
        "EXPLAIN " + str(ibis.to_sql(query, dialect="duckdb"))).fetchall())
    assert plan.count("EMPTY_RESULT") == 3
    assert backend.data(np.arange(110, 115), ["a"])["a"].tolist() == list(range(110, 115))


@pytest.mark.parametrize("first, second", [
    ([1, 2], ["u", "v"]),
    (pd.to_datetime(["2020-01-01", "2020-01-02"]), [1, 2]),
    ([True, False], [1, 2]),
])
def test_types_that_do_not_combine_name_the_files_and_column(
        tmp_path: Path, first: object, second: object) -> None:
    root = _write(tmp_path / "d", pd.DataFrame({"a": first, "k": [1, 2]}),
                  pd.DataFrame({"k": [3, 4], "a": second}))
    with pytest.raises(InputError, match=r"column 'a'.*p1\.parquet.*p2\.parquet") as err:
        as_parquet_backend(root)
    assert "one type in all files" in str(err.value)


def test_a_categorical_column_and_a_string_column_combine(tmp_path: Path) -> None:
    root = _write(tmp_path / "d",
                  pd.DataFrame({"s": pd.Categorical(["x", "y"]), "v": [1.0, 2.0]}),
                  pd.DataFrame({"s": ["z", "x"], "v": [3.0, 4.0]}))
    backend = as_parquet_backend(root)
    assert backend.data(None, ["s"])["s"].tolist() == ["x", "y", "z", "x"]
    assert {c.name: c.levels for c in backend.col_info()}["s"] == ("x", "y", "z")
