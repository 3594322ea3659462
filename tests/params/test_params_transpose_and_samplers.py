"""Design.transpose(filter_na=False) and the checks of the samplers' arguments."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from mlr3py.errors import ConfigError
from mlr3py.params import (
    Sampler1DCateg,
    Sampler1DNormal,
    Sampler1DRfun,
    Sampler1DUnif,
    SamplerHierarchical,
    generate_design_grid,
    p_dbl,
    p_fct,
    p_int,
    ps,
)


def test_transpose_keeps_inactive_entries_with_filter_na_false() -> None:
    param_set = ps(mf=p_fct(["a", "b"]), c=p_int(1, 3, depends=("mf", "a")))
    design = generate_design_grid(param_set, 2)
    assert design.transpose(filter_na=False)[-1] == {"mf": "b", "c": None}
    assert design.transpose()[-1] == {"mf": "b"}


def test_transpose_filter_na_false_with_trafos() -> None:
    seen: list[dict[str, Any]] = []

    def trafo(x: dict[str, Any], param_set: Any) -> dict[str, Any]:
        seen.append(dict(x))
        return {**x, "total": x["mf"]}

    param_set = ps(mf=p_fct(["a", "b"]), c=p_int(1, 3, depends=("mf", "a"),
                                                 trafo=lambda v: v * 10))
    param_set.trafo = trafo
    points = generate_design_grid(param_set, 2).transpose(filter_na=False)
    assert points[0] == {"mf": "a", "c": 10, "total": "a"}
    assert points[-1] == {"mf": "b", "c": None, "total": "b"}
    assert seen[-1] == {"mf": "b"}  # the set trafo sees the active entries only


def test_rfun_passes_the_rng_only_where_asked() -> None:
    x = ps(x=p_dbl(0, 1))
    assert Sampler1DRfun(x, lambda n, scale=1.0: np.full(n, 0.5 * scale)) \
        .sample(3).data["x"].tolist() == [0.5] * 3
    gen = np.random.default_rng(1).random
    assert len(Sampler1DRfun(x, gen).sample(3)) == 3
    by_position = Sampler1DRfun(x, lambda n, rng: rng.random(n)).sample(3, seed=1)
    by_keyword = Sampler1DRfun(x, lambda n, rng=None: rng.random(n)).sample(3, seed=1)
    assert by_position.data.equals(by_keyword.data)
    with pytest.raises(ConfigError, match=r"fn\(n\) or fn\(n, rng\).*'a', 'b', 'c'"):
        Sampler1DRfun(x, lambda a, b, c: a)


def test_hierarchical_refuses_a_sampler_outside_the_set() -> None:
    param_set = ps(a=p_fct(["x", "y"]), b=p_dbl(0, 1, depends=("a", "x")))
    with pytest.raises(ConfigError, match=r"'b'.*\[5, 10\].*\[0, 1\]"):
        SamplerHierarchical(param_set, [Sampler1DCateg(param_set.params["a"]),
                                        Sampler1DUnif(ps(b=p_dbl(5, 10)))])
    narrower = SamplerHierarchical(param_set, [Sampler1DCateg(param_set.params["a"]),
                                               Sampler1DUnif(ps(b=p_dbl(0.2, 0.3)))])
    b = narrower.sample(20, seed=1).data["b"].dropna()
    assert ((b >= 0.2) & (b <= 0.3)).all()


def test_hierarchical_refuses_two_samplers_of_one_parameter() -> None:
    param_set = ps(a=p_fct(["x", "y"]), b=p_dbl(0, 1, depends=("a", "x")))
    with pytest.raises(ConfigError, match=r"two samplers for 'b'"):
        SamplerHierarchical(param_set, [Sampler1DCateg(param_set.params["a"]),
                                        Sampler1DUnif(param_set.params["b"]),
                                        Sampler1DNormal(param_set.params["b"])])
