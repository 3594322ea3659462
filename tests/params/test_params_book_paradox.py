"""The book's paradox section (examples/book_6_4_paradox.py) runs and shows what the book shows."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from mlr3py.params import ParamSet

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "book_6_4_paradox.py"


@pytest.fixture(scope="module")
def example() -> ModuleType:
    spec = importlib.util.spec_from_file_location("book_6_4_paradox", EXAMPLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_sets_dependencies_and_repeated_parameters(example: ModuleType) -> None:
    param_set = example.param_set
    assert isinstance(param_set, ParamSet)
    assert param_set.ids() == ["A", "B", "C", "D", "E", "x_rep_1", "x_rep_2"]
    assert param_set.deps[["id", "on"]].values.tolist() == [["B", "D"], ["D", "A"]]
    assert param_set.tags["x_rep_2"] == frozenset({"x_rep"})
    assert param_set.check({"A": True, "D": "x", "B": 1}) is not True


def test_grid_designs(example: ModuleType) -> None:
    data = example.design_grid.data
    assert len(data) == 8
    assert data.iloc[0].tolist() == [True, 0, 0.0] and data.iloc[-1].tolist() == [False, 10, 4.0]
    assert len(example.grid_b1_c2.data) == 4
    assert set(example.grid_b1_c2.data["B"]) == {0}


def test_lhs_covers_each_stratum_once(example: ModuleType) -> None:
    assert example.lhs_counts.tolist() == [50] * 10
    assert example.rand_counts.sum() == 500


def test_hierarchical_table(example: ModuleType) -> None:
    table = example.table
    assert table.loc[False, "NA"] + table.loc[True, "NA"] == table.loc[False].sum()
    assert table.loc[True, "NA"] == 0
    assert (table.loc[False].drop("NA") == 0).all()
    assert list(table.columns) == ["NA", *range(11)]
    assert 400 < table.loc[False, "NA"] < 600


def test_trafos(example: ModuleType) -> None:
    import math

    design = example.design_exp
    raw = design.transpose(trafo=False)
    transformed = design.transpose()
    for r, t in zip(raw, transformed, strict=True):
        assert t["par"] == pytest.approx(-math.log(r["par"]))
    assert example.method_ps.check(example.xvals_fun[0]) is True
    assert example.method_ps.check(example.xvals[0]) is True
    assert list(example.xvals[0]) == ["fun"]
    q = example.design.data["quantile"].iloc[0]
    assert example.xvals[0]["fun"](list(range(1, 11))) == pytest.approx(1 + 9 * q)
