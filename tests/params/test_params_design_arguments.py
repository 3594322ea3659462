"""Grid resolutions of categorical parameters, normal sampler arguments, logscale bounds, n=0."""

from __future__ import annotations

import pytest

from mlr3py.errors import ConfigError
from mlr3py.params import (
    Sampler1DNormal,
    Sampler1DUnif,
    SamplerUnif,
    generate_design_grid,
    generate_design_lhs,
    generate_design_random,
    generate_design_sobol,
    p_dbl,
    p_fct,
    p_int,
    ps,
)


def test_param_resolutions_of_a_categorical_parameter_is_an_error() -> None:
    param_set = ps(a=p_dbl(0, 1), b=p_fct(["u", "v"]))
    with pytest.raises(ConfigError, match="param_resolutions names 'b', a ParamFct"):
        generate_design_grid(param_set, 2, param_resolutions={"b": 1})


@pytest.mark.parametrize("kwargs", [{"mean": float("nan")}, {"sd": float("inf")},
                                    {"mean": "0.5"}, {"sd": -1.0}])
def test_normal_sampler_checks_mean_and_sd_when_built(kwargs: dict[str, object]) -> None:
    with pytest.raises(ConfigError, match="Sampler1DNormal for 'x'"):
        Sampler1DNormal(ps(x=p_dbl(0, 1)), **kwargs)  # type: ignore[arg-type]


def test_unbounded_logscale_message_quotes_the_bounds_as_written() -> None:
    with pytest.raises(ConfigError, match=r"p_dbl\(0\.0001, None, logscale=True\)") as info:
        generate_design_random(ps(x=p_dbl(1e-4, None, logscale=True)), 2)
    assert "-9.21" not in str(info.value)


@pytest.mark.parametrize("make", [
    lambda s: generate_design_random(s, 0, seed=1),
    lambda s: generate_design_lhs(s, 0, seed=1),
    lambda s: generate_design_sobol(s, 0, seed=1),
    lambda s: SamplerUnif(s).sample(0, seed=1),
])
def test_zero_points_give_an_empty_design_with_the_columns(make: object) -> None:
    param_set = ps(x=p_dbl(0, 1), f=p_fct(["u", "w"]), c=p_int(1, 3, depends=("f", "u")))
    design = make(param_set)  # type: ignore[operator]
    assert len(design) == 0 and list(design.data.columns) == ["x", "f", "c"]
    assert design.transpose() == []
    assert len(Sampler1DUnif(param_set.params["x"]).sample(0)) == 0


def test_negative_n_is_still_an_error() -> None:
    with pytest.raises(ConfigError, match="int >= 0"):
        generate_design_random(ps(x=p_dbl(0, 1)), -1)
