"""DataBackend.matrix(): numeric columns as one float64 array, and the backend's caches."""

from __future__ import annotations

import pickle
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import pytest

from mlr3py.data import DataBackend, DataBackendPandas
from mlr3py.data.lazy import DataBackendLazy
from mlr3py.errors import InputError


@pytest.fixture
def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "x": [1.0, 2.0, np.nan, 4.0, 5.0],
            "n": [1, 2, 3, 4, 5],
            "b": [True, False, True, False, True],
            "i": pd.array([1, None, 3, 4, 5], dtype="Int64"),
            "s": ["a", "b", "a", None, "c"],
            "f": pd.Categorical(["u", "v", "u", "v", "u"]),
        }
    )


@pytest.fixture
def backend(frame: pd.DataFrame) -> DataBackendPandas:
    return DataBackendPandas(frame)


def _expected(backend: DataBackend, rows: list[int] | None, cols: list[str]) -> np.ndarray:
    return backend.data(rows, cols).to_numpy(dtype=np.float64, na_value=np.nan)


@pytest.mark.parametrize("rows", [None, [4, 0, 4], [2], []])
@pytest.mark.parametrize("cols", [["x", "n", "b", "i"], ["i", "x"], ["b"], []])
def test_matrix_equals_data_as_floats(
    backend: DataBackendPandas, rows: list[int] | None, cols: list[str]
) -> None:
    out = backend.matrix(rows, cols)
    assert out.dtype == np.float64
    assert out.flags.c_contiguous
    assert out.shape == (5 if rows is None else len(rows), len(cols))
    np.testing.assert_array_equal(out, _expected(backend, rows, cols))


def test_matrix_missing_values_are_nan(backend: DataBackendPandas) -> None:
    out = backend.matrix([1, 2], ["x", "i"])
    np.testing.assert_array_equal(out, [[2.0, np.nan], [np.nan, 3.0]])


def test_matrix_returns_new_writable_arrays(backend: DataBackendPandas) -> None:
    for rows in (None, [0, 1]):
        out = backend.matrix(rows, ["x", "n"])
        out[:] = -1.0
    np.testing.assert_array_equal(backend.matrix([0], ["x", "n"]), [[1.0, 1.0]])
    assert backend.data([0], ["x"])["x"].tolist() == [1.0]


def test_matrix_with_primary_key() -> None:
    frame = pd.DataFrame({"id": [30, 10, 20], "x": [3.0, 1.0, 2.0], "n": [3, 1, 2]})
    backend = DataBackendPandas(frame, primary_key="id")
    np.testing.assert_array_equal(backend.matrix([10, 30], ["n", "x"]), [[1, 1], [3, 3]])
    np.testing.assert_array_equal(backend.matrix(None, ["x"]), [[3.0], [1.0], [2.0]])
    with pytest.raises(InputError, match="Row ids not in the data: 0"):
        backend.matrix([0], ["x"])


def test_matrix_rejects_other_columns(backend: DataBackendPandas) -> None:
    with pytest.raises(InputError, match=r"'s' \(character\), 'f' \(factor\)"):
        backend.matrix(None, ["x", "s", "f"])
    with pytest.raises(InputError, match="Column 'xx' is not in the data"):
        backend.matrix(None, ["xx"])
    with pytest.raises(InputError, match="Row ids not in the data: 7"):
        backend.matrix([0, 7], ["x"])


class _PlainBackend(DataBackend):
    """A minimal backend that relies on the base class's matrix()."""

    def __init__(self, inner: DataBackendPandas) -> None:
        self._inner = inner

    primary_key = property(lambda self: self._inner.primary_key)
    rownames = property(lambda self: self._inner.rownames)
    colnames = property(lambda self: self._inner.colnames)
    dtypes = property(lambda self: self._inner.dtypes)
    hash = property(lambda self: self._inner.hash)

    def data(self, rows: Any, cols: Sequence[str]) -> pd.DataFrame:
        return self._inner.data(rows, cols)


def test_default_matrix_of_other_backends(backend: DataBackendPandas) -> None:
    plain = _PlainBackend(backend)
    np.testing.assert_array_equal(
        plain.matrix([3, 1], ["i", "b"]), backend.matrix([3, 1], ["i", "b"])
    )
    with pytest.raises(InputError, match=r"'s' \(character\)"):
        plain.matrix(None, ["s"])
    lazy = DataBackendLazy(lambda: backend, key="toy")
    np.testing.assert_array_equal(lazy.matrix([0], ["x", "n"]), [[1.0, 1.0]])


def test_pickle_drops_caches(backend: DataBackendPandas) -> None:
    big = DataBackendPandas(pd.DataFrame({"x": np.arange(50_000, dtype=float)}))
    fresh = len(pickle.dumps(big))
    big.matrix(None, ["x"])
    big.missings(None, ["x"])
    # the caches (a 400 kB matrix here) do not travel with the backend
    assert len(pickle.dumps(big)) < fresh + 10_000
    backend.matrix(None, ["x"])
    backend.missings(None, ["x"])
    clone = pickle.loads(pickle.dumps(backend))
    assert clone.missings(None, ["x"]) == backend.missings(None, ["x"])
    np.testing.assert_array_equal(clone.matrix([0, 1], ["x"]), [[1.0], [2.0]])


def test_missings_all_rows_cached_per_column(backend: DataBackendPandas) -> None:
    assert backend.missings(None, ["x", "s"]) == {"x": 1, "s": 1}
    assert backend.missings(None, ["i", "x", "n"]) == {"i": 1, "x": 1, "n": 0}
    assert backend.missings([0, 1], ["x", "i"]) == {"x": 0, "i": 1}
