"""DataBackendLazy: the data is built on first access only."""

from __future__ import annotations

import pandas as pd
import pytest

from mlr3py.data import DataBackend, DataBackendLazy, DataBackendPandas
from mlr3py.errors import InputError


@pytest.fixture
def calls() -> list[int]:
    return []


@pytest.fixture
def lazy(calls: list[int]) -> DataBackendLazy:
    def build() -> DataBackend:
        calls.append(1)
        return DataBackendPandas(pd.DataFrame({"x": [1.0, 2.0, 3.0]}))

    return DataBackendLazy(build, key="toy", meta={"nrow": 3})


def test_not_loaded_until_used(lazy: DataBackendLazy, calls: list[int]) -> None:
    assert not lazy.is_materialized
    assert lazy.meta == {"nrow": 3}
    first_hash = lazy.hash
    assert calls == []
    assert lazy.data([2, 0], ["x"])["x"].tolist() == [3.0, 1.0]
    assert lazy.is_materialized
    assert lazy.nrow == 3
    assert lazy.colnames == ["x"]
    assert lazy.missings(None, ["x"]) == {"x": 0}
    assert lazy.distinct(None, ["x"]) == {"x": [1.0, 2.0, 3.0]}
    assert calls == [1]
    assert lazy.hash == first_hash


def test_errors_surface_at_first_access() -> None:
    def build() -> DataBackend:
        raise InputError("provide the file /x/y.csv")

    lazy = DataBackendLazy(build, key="broken")
    assert "not loaded" in repr(lazy)
    with pytest.raises(InputError, match="/x/y.csv"):
        lazy.nrow  # noqa: B018
    assert not lazy.is_materialized


def test_constructor_must_return_a_backend() -> None:
    lazy = DataBackendLazy(lambda: pd.DataFrame(), key="bad")  # type: ignore[arg-type, return-value]
    with pytest.raises(TypeError, match="must return a DataBackend"):
        lazy.colnames  # noqa: B018
