"""A ParamSet's per-parameter fields as in paradox (ps$lower, ps$upper, ps$levels, ps$class,
ps$is_number, ps$all_numeric, ps$storage_type, ...): dicts keyed by parameter id."""

from __future__ import annotations

import math

import pytest

from mlr3py.params import ParamSet, p_dbl, p_fct, p_int, p_lgl, p_uty, ps


@pytest.fixture
def mixed() -> ParamSet:
    return ps(
        n=p_int(1, 10, tags="train"),
        alpha=p_dbl(0, None),
        kernel=p_fct(["linear", "rbf"]),
        shrink=p_lgl(),
        fun=p_uty(),
        max_features=p_fct([None, "sqrt"]),
    )


def test_bounds_are_floats_nan_for_non_numeric(mixed) -> None:
    lower, upper = mixed.lower, mixed.upper
    assert list(lower) == ["n", "alpha", "kernel", "shrink", "fun", "max_features"]
    assert lower["n"] == 1.0 and upper["n"] == 10.0
    assert lower["alpha"] == 0.0 and upper["alpha"] == math.inf
    for key in ("kernel", "shrink", "fun", "max_features"):
        assert math.isnan(lower[key]) and math.isnan(upper[key])
    assert all(isinstance(v, float) for v in [*lower.values(), *upper.values()])


def test_levels_of_categorical_parameters_only(mixed) -> None:
    assert mixed.levels == {"n": None, "alpha": None, "kernel": ("linear", "rbf"),
                            "shrink": (True, False), "fun": None,
                            "max_features": (None, "sqrt")}


def test_class_and_kind_flags(mixed) -> None:
    assert mixed.cls == {"n": "ParamInt", "alpha": "ParamDbl", "kernel": "ParamFct",
                         "shrink": "ParamLgl", "fun": "ParamUty", "max_features": "ParamFct"}
    assert mixed.is_number == {"n": True, "alpha": True, "kernel": False, "shrink": False,
                               "fun": False, "max_features": False}
    assert mixed.is_categ == {"n": False, "alpha": False, "kernel": True, "shrink": True,
                              "fun": False, "max_features": True}
    assert mixed.all_numeric is False
    assert mixed.all_categorical is False
    assert mixed.subset(["n", "alpha"]).all_numeric is True
    assert mixed.subset(["kernel", "shrink"]).all_categorical is True
    assert ps().all_numeric is True  # as paradox: all() of nothing


def test_storage_type_names_the_python_type(mixed) -> None:
    assert mixed.storage_type == {"n": "int", "alpha": "float", "kernel": "str",
                                  "shrink": "bool", "fun": "object", "max_features": "object"}


def test_nlevels_tags_and_boundedness(mixed) -> None:
    nlevels = mixed.nlevels
    assert nlevels["n"] == 10 and nlevels["kernel"] == 2 and nlevels["shrink"] == 2
    assert nlevels["alpha"] == math.inf and math.isnan(nlevels["fun"])
    assert mixed.tags["n"] == frozenset({"train"}) and mixed.tags["alpha"] == frozenset()
    assert mixed.is_bounded is False and mixed.all_bounded is False
    bounded = mixed.subset(["n", "kernel", "shrink"])
    assert bounded.is_bounded is True and bounded.all_bounded is True


def test_fields_follow_the_as_table_view(mixed) -> None:
    table = mixed.as_table().set_index("id")
    assert table.loc["n", "lower"] == mixed.lower["n"]
    assert table.loc["alpha", "upper"] == mixed.upper["alpha"]
