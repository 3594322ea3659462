"""``as_data_backend(..., strings_as_factors=...)`` holds for in-memory tables as for
databases: string columns become factors by default, with the same levels."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import mlr3py
from mlr3py.data import as_data_backend
from mlr3py.errors import InputError


def _frame(n: int = 30) -> pd.DataFrame:
    rng = np.random.default_rng(4)
    f = np.array(["b", "a", "c"], dtype=object)[np.arange(n) % 3]
    f[4] = None
    return pd.DataFrame({"f": f, "x": rng.normal(size=n), "y": rng.normal(size=n)})


@pytest.mark.parametrize("how", [{}, {"strings_as_factors": True}])
def test_string_columns_of_in_memory_tables_become_factors(how: dict[str, bool]) -> None:
    frame = _frame()
    backend = as_data_backend(frame, **how)
    assert backend.col_info_map()["f"].type == "factor"
    assert backend.col_info_map()["f"].levels == ("a", "b", "c")
    got = backend.data([4, 0, 1], ["f"])["f"]
    assert got.isna().tolist() == [True, False, False] and got.tolist()[1:] == ["b", "a"]
    # the other columns are not copied
    assert np.shares_memory(backend.data(None, ["x"])["x"].to_numpy(), frame["x"].to_numpy())
    task = mlr3py.as_task_regr(backend, target="y")
    assert dict(task.feature_types.set_index("id")["type"]) == {"f": "factor", "x": "numeric"}
    result = mlr3py.resample(task, mlr3py.lrn("regr.rpart"), mlr3py.rsmp("cv", folds=3), seed=1)
    assert np.isfinite(result.aggregate().iloc[0])


def test_strings_as_factors_false_keeps_character_columns() -> None:
    backend = as_data_backend(_frame(), strings_as_factors=False)
    assert backend.col_info_map()["f"].type == "character"


def test_strings_as_factors_must_be_a_bool() -> None:
    with pytest.raises(InputError, match="strings_as_factors.*'yes'"):
        as_data_backend(_frame(), strings_as_factors="yes")


def test_in_memory_factors_equal_those_of_a_database(tmp_path: Path) -> None:
    pytest.importorskip("ibis")
    pytest.importorskip("duckdb")
    from mlr3py.data import as_duckdb_backend

    frame = _frame()
    memory = as_data_backend(frame, strings_as_factors=True)
    database = as_duckdb_backend(frame, tmp_path / "f.duckdb", strings_as_factors=True)
    assert memory.col_info_map()["f"] == database.col_info_map()["f"]
    assert memory.dtypes["f"] == database.dtypes["f"]
