"""Growing parameter sets: add(), add_dep(), rep(), subset(); ParamSetCollection."""

from __future__ import annotations

import copy
import pickle

import pytest

from mlr3py.errors import ConfigError, UnknownKeyError
from mlr3py.params import (
    CondAnyOf,
    CondEqual,
    ParamLgl,
    ParamSet,
    ParamSetCollection,
    generate_design_grid,
    p_dbl,
    p_fct,
    p_int,
    p_lgl,
    ps,
)


def test_add_domains_and_sets() -> None:
    param_set = ParamSet()
    assert param_set.add(p_dbl(0, 1), id="x") is param_set
    param_set.add(ParamLgl(id="flag", init=True))
    other = ps(k=p_fct(["a", "b"]), m=p_int(1, 3, depends=("k", "a")))
    other.values["k"] = "a"
    param_set.add(other)
    assert param_set.ids() == ["x", "flag", "k", "m"]
    assert param_set.values == {"flag": True, "k": "a"}
    assert param_set.deps["id"].tolist() == ["m"]
    with pytest.raises(ConfigError, match="has a parameter 'x' already"):
        param_set.add(p_dbl(0, 1), id="x")
    with pytest.raises(ConfigError, match=r"parameters 'k'.*has them already"):
        param_set.add(ps(k=p_lgl()))
    with pytest.raises(ConfigError, match=r"needs the id"):
        param_set.add(p_dbl(0, 1))
    with pytest.raises(ConfigError, match="depends on 'zz'"):
        param_set.add(p_dbl(0, 1, depends=("zz", 1)), id="y")
    with pytest.raises(ConfigError, match="takes a domain"):
        param_set.add(3)  # type: ignore[arg-type]


def test_added_set_trafos_run_after_the_own_one() -> None:
    first = ps(a=p_dbl(0, 1))
    first.trafo = lambda x, _: {**x, "a": x["a"] + 1}
    second = ps(b=p_dbl(0, 1))
    second.trafo = lambda x, _: {**x, "b": x["b"] * 10}
    first.add(second)
    assert first.transform({"a": 0.5, "b": 0.5}) == {"a": 1.5, "b": 5.0}


def test_add_dep_with_conditions_and_sugar() -> None:
    param_set = ps(A=p_lgl(), B=p_int(0, 10), D=p_fct(["x", "y", "z"], default="y"))
    param_set.add_dep("D", "A", CondEqual("A", False))
    param_set.add_dep("B", "D", CondAnyOf("D", ["x", "y"]))
    deps = param_set.deps
    assert deps[["id", "on"]].values.tolist() == [["B", "D"], ["D", "A"]]
    assert param_set.check({"A": False, "D": "x", "B": 1}) is True
    assert "can only be set when 'D' is one of" in str(param_set.check({"A": False, "D": "z",
                                                                        "B": 1}))
    other = ps(A=p_lgl(), B=p_int(0, 10))
    other.add_dep("B", "A", True)
    assert other.params["B"].depends == CondEqual("A", True)


def test_add_dep_errors() -> None:
    param_set = ps(A=p_lgl(), B=p_int(0, 10), C=p_dbl(0, 1))
    with pytest.raises(UnknownKeyError, match="no parameter 'Z'"):
        param_set.add_dep("Z", "A", True)
    with pytest.raises(ConfigError, match=r"condition on 'C'.*Build it on 'A'"):
        param_set.add_dep("B", "A", CondEqual("C", 1))
    param_set.add_dep("B", "A", True)
    with pytest.raises(ConfigError, match="depends on 'A' already"):
        param_set.add_dep("B", "C", 0.5)
    param_set.add_dep("C", "B", 3)
    with pytest.raises(ConfigError, match="cycle"):
        param_set.add_dep("A", "C", 0.5)
    # a dependency that the current values violate is refused and not kept
    values_set = ps(A=p_lgl(), B=p_int(0, 10))
    values_set.values = {"A": False, "B": 3}
    with pytest.raises(ConfigError, match="'B' parameter.*can only be set when 'A' == True"):
        values_set.add_dep("B", "A", True)
    assert values_set.params["B"].depends is None


def test_rep_copies_with_group_tags_and_dependencies() -> None:
    base = ps(k=p_fct(["a", "b"]), x=p_dbl(0, 1, depends=("k", "a"), tags="train"))
    rep = base.rep(2)
    assert rep.ids() == ["k_rep_1", "x_rep_1", "k_rep_2", "x_rep_2"]
    assert rep.tags["x_rep_2"] == frozenset({"train", "x_rep"})
    assert rep.ids(tags="x_rep") == ["x_rep_1", "x_rep_2"]
    assert rep.deps[["id", "on"]].values.tolist() == [["x_rep_1", "k_rep_1"],
                                                       ["x_rep_2", "k_rep_2"]]
    with pytest.raises(ConfigError, match=r"n of rep\(\) must be an int >= 1"):
        base.rep(0)


@pytest.fixture
def collection():
    scale = ps(center=p_lgl(default=True), scale=p_lgl(default=True))
    pca = ps(rank=p_int(1, 10), method=p_fct(["svd", "eig"]),
             tol=p_dbl(0, 1, depends=("method", "svd")))
    return ParamSetCollection({"scale": scale, "pca": pca}), scale, pca


def test_collection_prefixes_ids_and_dependencies(collection) -> None:
    coll, _, _ = collection
    assert coll.ids() == ["scale.center", "scale.scale", "pca.rank", "pca.method", "pca.tol"]
    assert coll.deps[["id", "on"]].values.tolist() == [["pca.tol", "pca.method"]]
    assert set(coll.sets) == {"scale", "pca"}


def test_collection_values_reach_the_member_sets(collection) -> None:
    coll, scale, pca = collection
    coll.values["scale.center"] = False
    assert scale.values == {"center": False}
    coll.values = {"pca.rank": 3, "pca.method": "svd", "pca.tol": 0.1}
    assert scale.values == {} and pca.values == {"rank": 3, "method": "svd", "tol": 0.1}
    coll.set_values(**{"scale.scale": False})
    assert scale.values == {"scale": False}
    pca.values["rank"] = 4  # reading is live
    assert coll.values["pca.rank"] == 4
    del coll.values["pca.tol"]
    assert "tol" not in pca.values
    with pytest.raises(ConfigError, match=r"'pca.rank' parameter of ParamSetCollection must be an "
                                          r"int in \[1, 10\]"):
        coll.values["pca.rank"] = 99
    assert pca.values["rank"] == 4
    with pytest.raises(UnknownKeyError, match="no parameter 'pca.rnk'.*pca.rank"):
        coll.values["pca.rnk"] = 2


def test_collection_clone_and_pickle_are_independent(collection) -> None:
    coll, _, pca = collection
    coll.values["pca.rank"] = 2
    for copied in (coll.clone(), copy.deepcopy(coll), pickle.loads(pickle.dumps(coll))):
        copied.values["pca.rank"] = 7
        assert copied.sets["pca"].values["rank"] == 7
        assert pca.values["rank"] == 2 and coll.values["pca.rank"] == 2


def test_collection_transform_runs_member_trafos(collection) -> None:
    coll, _, pca = collection
    pca.trafo = lambda x, _: {**x, "rank": x["rank"] * 2}
    rebuilt = ParamSetCollection({"scale": coll.sets["scale"], "pca": pca})
    out = rebuilt.transform({"pca.rank": 3, "pca.method": "eig", "pca.tol": 0.5,
                             "scale.center": True})
    assert out == {"scale.center": True, "pca.rank": 6, "pca.method": "eig"}
    design = generate_design_grid(rebuilt.subset(["pca.method", "pca.tol"]), 2)
    assert len(design.data) == 3


def test_collection_errors() -> None:
    with pytest.raises(ConfigError, match="the id 'x' twice"):
        ParamSetCollection([ps(x=p_lgl()), ps(x=p_lgl())])
    with pytest.raises(ConfigError, match="dict prefix -> ParamSet"):
        ParamSetCollection(3)  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="cannot grow"):
        ParamSetCollection({"a": ps(x=p_lgl())}).add(ps(y=p_lgl()))
    unprefixed = ParamSetCollection([ps(x=p_lgl()), ps(y=p_lgl())])
    unprefixed.values["y"] = True
    assert unprefixed.values == {"y": True}
