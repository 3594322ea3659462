"""DataBackendPandas, as_data_backend and row-id conversion."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

import mlr3py
from mlr3py.data import DataBackend, DataBackendPandas, as_data_backend, as_row_ids, column_type
from mlr3py.errors import InputError


def _table(kind: str) -> Any:
    """The constructor of a pandas, polars or pyarrow table (skips without the package)."""
    if kind == "polars":
        pytest.importorskip("pyarrow")  # polars converts through arrow
        return pytest.importorskip("polars").DataFrame
    if kind == "pyarrow":
        return pytest.importorskip("pyarrow").table
    return pd.DataFrame


@pytest.fixture
def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "x": [1.0, 2.0, np.nan, 4.0, 5.0],
            "n": [1, 2, 3, 4, 5],
            "s": ["a", "b", "a", None, "c"],
            "f": pd.Categorical(["u", "v", "u", "v", "u"]),
        },
        index=[10, 11, 12, 13, 14],
    )


@pytest.fixture
def backend(frame: pd.DataFrame) -> DataBackendPandas:
    return DataBackendPandas(frame)


def test_default_row_ids_are_zero_based(backend: DataBackendPandas) -> None:
    assert backend.rownames.dtype == np.int64
    assert backend.rownames.tolist() == [0, 1, 2, 3, 4]
    assert backend.nrow == 5
    assert backend.ncol == 4
    assert backend.colnames == ["x", "n", "s", "f"]
    assert backend.primary_key == "..row_id"
    assert isinstance(backend, DataBackend)


def test_data_keeps_requested_order_and_duplicates(backend: DataBackendPandas) -> None:
    out = backend.data([4, 0, 4], ["n", "x"])
    assert list(out.columns) == ["n", "x"]
    assert out.index.name == "row_id"
    assert out.index.tolist() == [4, 0, 4]
    assert out["n"].tolist() == [5, 1, 5]


def test_data_all_rows(backend: DataBackendPandas) -> None:
    out = backend.data(None, ["n"])
    assert out.index.tolist() == [0, 1, 2, 3, 4]
    assert out.index.dtype == np.int64


def test_data_unknown_rows_named(backend: DataBackendPandas) -> None:
    with pytest.raises(InputError, match=r"Row ids not in the data: 7, -1"):
        backend.data([0, 7, -1], ["x"])


def test_data_unknown_column_suggests(backend: DataBackendPandas) -> None:
    with pytest.raises(InputError, match=r"Column 'xx' is not in the data.*Did you mean 'x'"):
        backend.data([0], ["xx"])


def test_data_is_a_copy(backend: DataBackendPandas) -> None:
    out = backend.data([0, 1], ["x"])
    out.loc[0, "x"] = 100.0
    assert backend.data([0], ["x"])["x"].tolist() == [1.0]


def test_primary_key(frame: pd.DataFrame) -> None:
    df = frame.assign(id=[50, 40, 30, 20, 10])
    backend = DataBackendPandas(df, primary_key="id")
    assert backend.rownames.tolist() == [50, 40, 30, 20, 10]
    assert backend.data([10, 50], ["n"])["n"].tolist() == [5, 1]
    with pytest.raises(InputError, match="Row ids not in the data: 0"):
        backend.data([0], ["n"])


def test_primary_key_errors(frame: pd.DataFrame) -> None:
    with pytest.raises(InputError, match="primary key 'idd' is not a column"):
        DataBackendPandas(frame, primary_key="idd")
    with pytest.raises(InputError, match="duplicated values: 1, 3[.]"):
        DataBackendPandas(frame.assign(id=[1, 1, 3, 3, 4]), primary_key="id")
    with pytest.raises(InputError, match=r"values: 0, 1, 2, 3, 4, [.][.][.] \(6 values\)"):
        DataBackendPandas(pd.DataFrame({"id": [0, 1, 2, 3, 4, 5] * 2}), primary_key="id")


def test_primary_key_from_the_index(frame: pd.DataFrame) -> None:
    indexed = frame.assign(id=[50, 40, 30, 20, 10]).set_index("id")
    backend = as_data_backend(indexed, primary_key="id")
    assert backend.rownames.tolist() == [50, 40, 30, 20, 10]
    assert "id" in backend.colnames
    assert backend.data([10, 50], ["n", "id"]).to_numpy().tolist() == [[5, 10], [1, 50]]
    # without primary_key the index is not data: the rows are numbered
    numbered = as_data_backend(indexed)
    assert numbered.rownames.tolist() == [0, 1, 2, 3, 4]
    assert "id" not in numbered.colnames


def test_distinct_missings_head(backend: DataBackendPandas) -> None:
    assert backend.distinct(None, ["s"])["s"] == ["a", "b", "c"]
    assert backend.distinct([0, 2], ["s"])["s"] == ["a"]
    assert backend.missings(None, ["x", "s", "n"]) == {"x": 1, "s": 1, "n": 0}
    assert backend.missings([0, 1], ["x"]) == {"x": 0}
    assert backend.head(2).index.tolist() == [0, 1]


def test_hash_is_stable_and_content_based(frame: pd.DataFrame) -> None:
    a = DataBackendPandas(frame).hash
    assert a == DataBackendPandas(frame.copy()).hash
    assert a != DataBackendPandas(frame.assign(n=[1, 2, 3, 4, 6])).hash


class _Columns:
    """A user's own table type: columns in a dict."""

    def __init__(self, columns: dict[str, list[float]]) -> None:
        self.columns = columns


def test_register_data_backend_for_a_class_of_a_script() -> None:
    # a class defined in a script lives in module "__main__"
    script_class = type("ScriptColumns", (_Columns,), {"__module__": "__main__"})
    with pytest.raises(InputError, match="cannot use data of type"):
        as_data_backend(script_class({"x": [1.0]}))
    mlr3py.register_data_backend(
        "__main__", "ScriptColumns",
        lambda data, primary_key, **_: DataBackendPandas(pd.DataFrame(data.columns),
                                                         primary_key=primary_key))
    backend = as_data_backend(script_class({"x": [1.0, 2.0], "id": [7, 9]}), primary_key="id")
    assert backend.data([9], ["x"])["x"].tolist() == [2.0]


def test_rejects_non_frames_and_duplicate_columns() -> None:
    with pytest.raises(InputError, match="needs a pandas DataFrame"):
        DataBackendPandas([[1, 2]])  # type: ignore[arg-type]
    df = pd.DataFrame([[1, 2]], columns=["a", "a"])
    with pytest.raises(InputError, match="Duplicated"):
        DataBackendPandas(df)


@pytest.mark.parametrize("kind", ["pandas", "polars", "pyarrow"])
def test_as_data_backend_tables(kind: str) -> None:
    data = {"x": [1.0, 2.0, 3.0], "s": ["a", "b", "c"]}
    table = _table(kind)(data)
    backend = as_data_backend(table)
    assert backend.nrow == 3
    assert backend.data([2, 0], ["x", "s"])["s"].tolist() == ["c", "a"]


def test_as_data_backend_passes_backends_and_rejects_others(backend: DataBackendPandas) -> None:
    assert as_data_backend(backend) is backend
    with pytest.raises(InputError, match="Got builtins.list"):
        as_data_backend([1, 2, 3])


def test_as_row_ids() -> None:
    assert as_row_ids(range(2, 5)).tolist() == [2, 3, 4]
    assert as_row_ids(3).tolist() == [3]
    assert as_row_ids(np.array([1, 2], dtype=np.int32)).dtype == np.int64
    assert as_row_ids(pd.Series([4, 5])).tolist() == [4, 5]
    assert as_row_ids([]).dtype == np.int64
    with pytest.raises(InputError, match="must be integers"):
        as_row_ids([1.5, 2.0])
    with pytest.raises(InputError, match="must be integers"):
        as_row_ids(True)
    with pytest.raises(InputError, match="'a'"):
        as_row_ids(["a"])


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (pd.Series([1.0]), "numeric"),
        (pd.Series([1]), "integer"),
        (pd.Series([1], dtype="Int64"), "integer"),
        (pd.Series([True]), "logical"),
        (pd.Series(["a"]), "character"),
        (pd.Series(["a"], dtype=object), "character"),
        (pd.Series(pd.Categorical(["a"])), "factor"),
        (pd.Series(pd.Categorical(["a"], ordered=True)), "ordered"),
        (pd.Series(pd.to_datetime(["2020-01-01"])), "POSIXct"),
    ],
)
def test_column_type(values: pd.Series, expected: str) -> None:
    assert column_type(values.dtype) == expected
