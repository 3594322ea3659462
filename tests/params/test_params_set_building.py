"""Building sets: feasible conditions, search spaces, duplicate ids, atomic add(), shared sets."""

from __future__ import annotations

import pytest

from mlr3py.errors import ConfigError
from mlr3py.params import (
    CondAnyOf,
    CondEqual,
    ParamDbl,
    ParamInt,
    ParamSet,
    ParamSetCollection,
    generate_design_grid,
    p_dbl,
    p_fct,
    p_int,
    p_lgl,
    ps,
    to_tune,
)


def test_add_dep_refuses_a_value_the_parent_cannot_take() -> None:
    param_set = ps(a=p_fct(["gbtree", "gblinear"]), b=p_dbl(0, 1))
    with pytest.raises(ConfigError, match=r"'gbtre'.*'a'.*gbtree.*Did you mean 'gbtree'"):
        param_set.add_dep("b", "a", CondEqual("a", "gbtre"))
    assert param_set.deps.empty
    param_set.add_dep("b", "a", CondEqual("a", "gbtree"))
    assert len(param_set.deps) == 1


def test_depends_refuses_values_outside_the_parents_bounds() -> None:
    with pytest.raises(ConfigError, match=r"5, 6.*'a'.*\[1, 3\]"):
        ps(a=p_int(1, 3), b=p_dbl(0, 1, depends=("a", [5, 6])))
    with pytest.raises(ConfigError, match="'typo'"):
        ps(a=p_fct(["x"]), b=p_dbl(0, 1, depends=("a", "typo")))
    with pytest.raises(ConfigError, match="'maybe'"):
        ps(a=p_lgl()).add(p_int(1, 2, depends=CondAnyOf("a", [True, "maybe"])), id="b")
    assert ps(a=p_int(1, 3), b=p_dbl(0, 1, depends=("a", [1, 3]))).deps.shape[0] == 1
    assert ps(a=p_fct([None, "sqrt"]), b=p_int(1, 2, depends=("a", [None]))).deps.shape[0] == 1


def test_a_list_with_duplicate_ids_is_refused() -> None:
    with pytest.raises(ConfigError, match="two parameters with the id 'x'"):
        ParamSet([ParamDbl(id="x", lower=0, upper=1), ParamInt(id="x", lower=0, upper=1)])


def test_add_is_atomic_when_the_init_breaks_a_dependency() -> None:
    param_set = ps(a=p_fct(["x", "y"], init="y"))
    with pytest.raises(ConfigError, match="'b'.*'a' == 'x'"):
        param_set.add(p_int(1, 3, depends=("a", "x"), init=2), id="b")
    assert param_set.ids() == ["a"]
    assert param_set.values == {"a": "y"}
    param_set.add(p_int(1, 3, depends=("a", "y"), init=2), id="b")  # the id is still free
    assert param_set.values == {"a": "y", "b": 2}


def test_a_collection_refuses_the_same_set_object_twice() -> None:
    member = ps(k=p_int(1, 3))
    with pytest.raises(ConfigError, match=r"same ParamSet object.*'a' and 'b'.*clone\(\)"):
        ParamSetCollection({"a": member, "b": member})
    col = ParamSetCollection({"a": member, "b": member.clone()})
    col.values["a.k"] = 1
    assert col.values == {"a.k": 1}


def test_search_space_drops_a_dependency_on_a_logscale_parent() -> None:
    learner = ps(n=p_int(1, 100), m=p_dbl(0, 1, depends=("n", [1, 2, 3])))
    learner.values.update(n=to_tune(1, 100, logscale=True), m=to_tune())
    space = learner.search_space()
    assert space.deps.empty
    data = generate_design_grid(space, 4).data
    assert not data["m"].isna().any()
    with pytest.raises(ConfigError, match="'n'"):  # the learner's own set still checks it
        learner.values.update(n=50, m=0.5)


def test_search_space_keeps_a_dependency_on_a_plain_parent() -> None:
    learner = ps(k=p_fct(["a", "b", "c"]), m=p_dbl(0, 1, depends=("k", ["a", "c"])))
    learner.values.update(k=to_tune(["a", "b"]), m=to_tune())
    space = learner.search_space()
    assert space.deps["cond"][0].rhs == ("a",)  # narrowed to the tuned levels
    points = generate_design_grid(space, 2).transpose()
    assert {"k": "b"} in points and {"k": "a", "m": 1.0} in points


def test_search_space_refuses_a_child_that_can_never_be_active() -> None:
    learner = ps(k=p_fct(["a", "b", "c"]), m=p_dbl(0, 1, depends=("k", "c")))
    learner.values.update(k=to_tune(["a", "b"]), m=to_tune())
    with pytest.raises(ConfigError, match="'m'.*never be active"):
        learner.search_space()
