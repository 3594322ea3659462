"""Samplers: 1D (uniform, categorical, truncated normal, user function), joint, hierarchical."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mlr3py.errors import ConfigError
from mlr3py.params import (
    Design,
    ParamDbl,
    Sampler1DCateg,
    Sampler1DNormal,
    Sampler1DRfun,
    Sampler1DUnif,
    SamplerHierarchical,
    SamplerJointIndep,
    SamplerUnif,
    generate_design_random,
    p_dbl,
    p_fct,
    p_int,
    p_lgl,
    p_uty,
    ps,
)


@pytest.fixture
def ab():
    """The book's A/B set: B is sampled only where A is TRUE."""
    return ps(A=p_lgl(), B=p_int(0, 10, depends=("A", True)), C=p_dbl(0, 4))


def _samplers(param_set):
    return {
        "unif": lambda: Sampler1DUnif(param_set.params["x"]),
        "categ": lambda: Sampler1DCateg(param_set.params["k"], prob=[0.2, 0.8]),
        "normal": lambda: Sampler1DNormal(param_set.params["x"]),
        "rfun": lambda: Sampler1DRfun(param_set.params["x"], lambda n, rng: rng.normal(size=n)),
        "joint": lambda: SamplerJointIndep([Sampler1DUnif(param_set.params["x"]),
                                            Sampler1DCateg(param_set.params["k"])]),
        "unif_set": lambda: SamplerUnif(param_set),
    }


@pytest.mark.parametrize("name", ["unif", "categ", "normal", "rfun", "joint", "unif_set"])
def test_each_sampler_is_reproducible_for_a_seed(name) -> None:
    param_set = ps(x=p_dbl(-2, 2), k=p_fct(["u", "v"]))
    sampler = _samplers(param_set)[name]()
    first, again = sampler.sample(50, seed=3), sampler.sample(50, seed=3)
    assert isinstance(first, Design) and len(first.data) == 50
    pd.testing.assert_frame_equal(first.data, again.data)
    assert not first.data.equals(sampler.sample(50, seed=4).data)
    for point in first.transpose():
        assert param_set.test(point)


def test_uniform_covers_the_range() -> None:
    data = Sampler1DUnif(ps(x=p_int(1, 4)).params["x"]).sample(400, seed=1).data["x"]
    assert set(data) == {1, 2, 3, 4}


def test_categ_follows_its_probabilities() -> None:
    param = ps(k=p_fct(["u", "v", "w"])).params["k"]
    data = Sampler1DCateg(param, prob={"u": 0.7, "v": 0.3, "w": 0.0}).sample(2000, seed=1).data
    shares = data["k"].value_counts(normalize=True)
    assert shares["u"] == pytest.approx(0.7, abs=0.04) and "w" not in shares
    logical = Sampler1DCateg(ps(f=p_lgl()).params["f"]).sample(20, seed=1).data["f"]
    assert logical.dtype == bool


@pytest.mark.parametrize(
    ("prob", "match"),
    [([0.5, 0.6], r"summing to 1"), ([1.0], r"2 non-negative numbers"),
     ({"u": 1.0}, r"each level"), ([-0.5, 1.5], r"non-negative")],
)
def test_categ_bad_probabilities(prob, match) -> None:
    with pytest.raises(ConfigError, match=match):
        Sampler1DCateg(ps(k=p_fct(["u", "v"])).params["k"], prob=prob)


def test_normal_is_truncated_at_the_bounds() -> None:
    param = ps(x=p_dbl(0, 1)).params["x"]
    data = Sampler1DNormal(param, mean=0.9, sd=1.0).sample(1000, seed=1).data["x"]
    assert data.between(0, 1).all()
    assert data.mean() > 0.5
    default = Sampler1DNormal(param)
    assert (default.mean, default.sd) == (0.5, 0.25)
    with pytest.raises(ConfigError, match="sd of Sampler1DNormal for 'x' must be > 0"):
        Sampler1DNormal(param, sd=0)
    with pytest.raises(ConfigError, match="samples ParamDbl"):
        Sampler1DNormal(ps(n=p_int(0, 3)).params["n"])


def test_rfun_truncates_and_checks() -> None:
    param = ps(n=p_int(0, 5)).params["n"]
    data = Sampler1DRfun(param, lambda n: np.arange(n) * 2.0).sample(5).data["n"]
    assert data.tolist() == [0, 2, 4, 5, 5]
    with pytest.raises(ConfigError, match=r"must return 3 values"):
        Sampler1DRfun(param, lambda n: [1]).sample(3)
    with pytest.raises(ConfigError, match=r"returned 9.*'n' parameter"):
        Sampler1DRfun(param, lambda n: [9] * n, trunc=False).sample(2)
    with pytest.raises(ConfigError, match=r"fn of Sampler1DRfun must be a function"):
        Sampler1DRfun(param, 3)  # type: ignore[arg-type]


def test_hierarchical_samples_only_where_dependencies_hold(ab) -> None:
    sampler = SamplerHierarchical(ab, [Sampler1DCateg(ab.params["A"]),
                                       Sampler1DUnif(ab.params["B"]),
                                       Sampler1DUnif(ab.params["C"])])
    data = sampler.sample(1000, seed=1).data
    table = pd.crosstab(data["A"], data["B"].isna())
    assert table.loc[False, False] == 0 and table.loc[True, True] == 0
    assert 400 < table.loc[True, False] < 600
    active = data.loc[data["A"], "B"]
    assert set(active.astype(int)) == set(range(11))
    pd.testing.assert_frame_equal(data, sampler.sample(1000, seed=1).data)


def test_sampler_unif_respects_dependencies_like_random_designs(ab) -> None:
    data = SamplerUnif(ab).sample(200, seed=2).data
    assert data.loc[~data["A"].astype(bool), "B"].isna().all()
    assert data.loc[data["A"].astype(bool), "B"].notna().all()
    random = generate_design_random(ab, 200, seed=2).data
    assert random.loc[~random["A"].astype(bool), "B"].isna().all()


def test_bad_sampler_construction(ab) -> None:
    with pytest.raises(ConfigError, match=r"'x' parameter.*unbounded.*Give it bounds"):
        Sampler1DUnif(ps(x=p_dbl(0, None)).params["x"])
    with pytest.raises(ConfigError, match=r"'u' parameter.*untyped.*Give it bounds"):
        SamplerUnif(ps(u=p_uty()))
    with pytest.raises(ConfigError, match="samples one parameter"):
        Sampler1DUnif(ab)
    with pytest.raises(ConfigError, match="needs a parameter with an id"):
        Sampler1DUnif(p_dbl(0, 1))
    with pytest.raises(ConfigError, match=r"sampler for each parameter; none for \['C'\]"):
        SamplerHierarchical(ab, [Sampler1DCateg(ab.params["A"]), Sampler1DUnif(ab.params["B"])])
    with pytest.raises(ConfigError, match="Two samplers of SamplerJointIndep sample 'x'"):
        SamplerJointIndep([Sampler1DUnif(ParamDbl(id="x", lower=0, upper=1))] * 2)
    with pytest.raises(ConfigError, match="Sampler1DCateg samples categorical"):
        Sampler1DCateg(ab.params["C"])
    with pytest.raises(ConfigError, match=r"n of SamplerUnif.sample\(\) must be an int >= 0"):
        SamplerUnif(ab).sample(-1)
