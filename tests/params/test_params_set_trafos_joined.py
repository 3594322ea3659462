"""Set-level trafos of sets built from others: add(), collections, subset(), rep()."""

from __future__ import annotations

import pickle
from typing import Any

import pytest

from mlr3py.errors import ConfigError
from mlr3py.params import (
    ParamSet,
    ParamSetCollection,
    generate_design_grid,
    p_dbl,
    p_fct,
    p_int,
    p_lgl,
    ps,
)


def _double_d(x: dict[str, Any], param_set: ParamSet) -> dict[str, Any]:
    return {"d": x["d"] * 2}


def test_add_runs_the_added_sets_trafo_on_its_own_values_only() -> None:
    left, right = ps(c=p_int(1, 3)), ps(d=p_dbl(0, 1))
    right.trafo = _double_d
    left.add(right)
    assert left.transform({"c": 1, "d": 0.5}) == {"c": 1, "d": 1.0}


def test_add_keeps_each_sets_trafo_on_its_own_parameters() -> None:
    a = ps(a=p_dbl(0, 1))
    a.trafo = lambda x, param_set: {"a": 2 ** x["a"]}
    b = ps(b=p_dbl(0, 1))
    b.trafo = lambda x, param_set: {"b": 10 * x["b"]}
    a.add(b)
    assert a.has_trafo
    assert a.transform({"a": 1.0, "b": 0.5}) == {"a": 2.0, "b": 5.0}
    c = ps(c=p_int(1, 2))
    c.trafo = lambda x, param_set: {"c": -x["c"]}
    a.add(c)  # a third set: three parts, each on its own values
    assert a.transform({"a": 0.0, "b": 0.1, "c": 2}) == {"a": 1.0, "b": 1.0, "c": -2}
    assert a.add(p_lgl(), id="flag").transform({"a": 0.0, "b": 0.0, "c": 1, "flag": True}) \
        == {"a": 1.0, "b": 0.0, "c": -1, "flag": True}


def test_add_of_a_collection_keeps_its_members_trafos() -> None:
    member = ps(d=p_dbl(0, 1))
    member.trafo = _double_d
    target = ps(c=p_int(1, 3))
    target.add(ParamSetCollection({"m": member}))
    assert target.has_trafo
    assert target.transform({"c": 2, "m.d": 0.25}) == {"c": 2, "m.d": 0.5}


def test_a_part_trafo_returning_no_dict_is_a_config_error() -> None:
    left, right = ps(c=p_int(1, 3)), ps(d=p_dbl(0, 1))
    right.trafo = lambda x, param_set: [1]  # type: ignore[assignment,return-value]
    left.add(right)
    with pytest.raises(ConfigError, match=r"parameters 'd' of ParamSet must return a dict"):
        left.transform({"c": 1, "d": 0.5})


def test_a_nested_collection_keeps_its_inner_members_set_trafos() -> None:
    inner_member = ps(a=p_fct(["x", "y"]), c=p_dbl(0, 1))
    inner_member.trafo = lambda x, param_set: {**x, "c2": x.get("c")}
    inner = ParamSetCollection({"m1": inner_member, "m2": ps(k=p_int(1, 3))})
    outer = ParamSetCollection({"g": inner, "h": ps(z=p_lgl())})
    assert outer.has_trafo
    out = outer.transform({"g.m1.a": "x", "g.m1.c": 0.5, "g.m2.k": 2, "h.z": True})
    assert out == {"g.m1.a": "x", "g.m1.c": 0.5, "g.m1.c2": 0.5, "g.m2.k": 2, "h.z": True}


def test_subset_keeps_the_set_trafo_which_sees_only_the_kept_ids() -> None:
    seen: list[list[str]] = []

    def trafo(x: dict[str, Any], param_set: ParamSet) -> dict[str, Any]:
        seen.append(sorted(x))
        return {**x, "extra": 1}

    param_set = ps(a=p_dbl(0, 1), b=p_int(1, 3))
    param_set.trafo = trafo
    sub = param_set.subset(["a"])
    assert sub.trafo is trafo
    assert sub.transform({"a": 0.5}) == {"a": 0.5, "extra": 1}
    assert seen == [["a"]]


def test_subset_of_a_collection_keeps_its_members_trafos() -> None:
    member = ps(d=p_dbl(0, 1))
    member.trafo = _double_d
    col = ParamSetCollection({"m": member, "n": ps(z=p_lgl())})
    sub = col.subset(["m.d"])
    assert sub.transform({"m.d": 0.25}) == {"m.d": 0.5}
    assert pickle.loads(pickle.dumps(sub)).transform({"m.d": 0.5}) == {"m.d": 1.0}


def test_rep_keeps_the_values_of_each_copy() -> None:
    base = ps(x=p_dbl(0, 1, init=0.5), k=p_fct(["a", "b"], init="a"))
    base.values["x"] = 0.7
    del base.values["k"]
    rep = base.rep(2)
    assert rep.values == {"x_rep_1": 0.7, "x_rep_2": 0.7}  # k's init is not back
    rep.values["x_rep_1"] = 0.1
    assert base.values == {"x": 0.7}


def test_rep_refuses_a_set_trafo() -> None:
    base = ps(x=p_dbl(0, 1))
    base.trafo = lambda x, param_set: {"y": x["x"] * 2}
    with pytest.raises(ConfigError, match=r"set-level trafo.*trafo = None"):
        base.rep(2)
    base.trafo = None
    assert base.rep(2).ids() == ["x_rep_1", "x_rep_2"]


def test_grid_of_a_joined_set_applies_each_trafo() -> None:
    a = ps(a=p_dbl(0, 1))
    a.trafo = lambda x, param_set: {"a": 2 ** x["a"]}
    b = ps(b=p_dbl(0, 1))
    b.trafo = lambda x, param_set: {"b": 10 * x["b"]}
    points = generate_design_grid(a.add(b), 2).transpose()
    assert {"a": 2.0, "b": 10.0} in points and len(points) == 4
