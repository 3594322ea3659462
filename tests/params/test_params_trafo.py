"""Transformations: per-parameter trafos, logscale, the set's trafo, ParamSet.transform()."""

from __future__ import annotations

import math
import pickle

import pytest

from mlr3py.errors import ConfigError, UnknownKeyError
from mlr3py.params import ExpTrafo, ParamDbl, p_dbl, p_fct, p_int, ps


def test_logscale_dbl_searches_the_log_range_and_maps_back() -> None:
    domain = p_dbl(1e-4, 1, logscale=True)
    assert isinstance(domain, ParamDbl)
    assert domain.logscale
    assert domain.lower == pytest.approx(math.log(1e-4))
    assert domain.upper == pytest.approx(0.0)
    assert domain.trafo is not None
    assert domain.trafo(math.log(0.01)) == pytest.approx(0.01)
    # exp of the bounds stays within the original bounds despite rounding
    assert 1e-4 <= domain.trafo(domain.lower) <= 1
    assert domain.trafo(domain.upper) <= 1


def test_logscale_int_rounds_down_within_bounds() -> None:
    domain = p_int(1, 100, logscale=True)
    assert domain.cls == "ParamDbl"
    assert domain.upper == pytest.approx(math.log(101))
    assert domain.trafo is not None
    assert domain.trafo(domain.upper) == 100
    assert domain.trafo(domain.lower) == 1
    value = domain.trafo(math.log(10.7))
    assert value == 10 and type(value) is int
    zero = p_int(0, 10, logscale=True)
    assert zero.lower == pytest.approx(math.log(0.5))
    assert zero.trafo is not None and zero.trafo(zero.lower) == 0


@pytest.mark.parametrize(
    ("build", "match"),
    [
        (lambda: p_dbl(0, 1, logscale=True), r"lower bound > 0.*lower=0"),
        (lambda: p_dbl(-1, 1, logscale=True), r"lower=-1"),
        (lambda: p_int(-1, 5, logscale=True), r"lower bound >= 0"),
        (lambda: p_dbl(1e-3, 1, logscale=True, trafo=abs), r"not both"),
        (lambda: p_dbl(1e-3, 1, logscale=True, default=0.1), r"takes no default"),
        (lambda: p_dbl(0, 1, trafo="exp"), r"trafo of p_dbl\(\) must be a function.*'exp'"),
        (lambda: p_dbl(1e-3, 1, logscale="yes"), r"logscale of p_dbl\(\) must be True or False"),
    ],
)
def test_bad_trafo_arguments(build, match) -> None:
    with pytest.raises(ConfigError, match=match):
        build()


def test_logscale_domain_pickles() -> None:
    param_set = ps(x=p_dbl(1e-3, 1, logscale=True), n=p_int(1, 64, logscale=True))
    clone = pickle.loads(pickle.dumps(param_set))
    assert clone.transform({"x": 0.0, "n": math.log(8.5)}) == {"x": 1.0, "n": 8}
    assert isinstance(clone.params["n"].trafo, ExpTrafo)


def test_transform_applies_parameter_then_set_trafos() -> None:
    param_set = ps(a=p_dbl(0, 10, trafo=lambda v: v * 2), b=p_int(1, 3))
    calls = []

    def set_trafo(x, param_set_arg):
        calls.append(dict(x))
        assert param_set_arg is param_set
        return {**x, "sum": x["a"] + x["b"]}

    assert not ps(b=p_int(1, 3)).has_trafo
    param_set.trafo = set_trafo
    assert param_set.has_trafo and param_set.trafo is set_trafo
    out = param_set.transform({"a": 1.5, "b": 2})
    assert calls == [{"a": 3.0, "b": 2}]
    assert out == {"a": 3.0, "b": 2, "sum": 5.0}


def test_trafo_may_change_types_drop_and_add_parameters() -> None:
    param_set = ps(quantile=p_dbl(0, 1))
    param_set.trafo = lambda x, _: {"fun": lambda values: sorted(values)[int(x["quantile"] * 9)]}
    out = param_set.transform({"quantile": 0.5})
    assert list(out) == ["fun"]
    assert out["fun"](list(range(10))) == 4


def test_transform_drops_inactive_parameters_first() -> None:
    param_set = ps(kernel=p_fct(["rbf", "linear"]),
                   gamma=p_dbl(1e-3, 1, logscale=True, depends=("kernel", "rbf")))
    assert param_set.transform({"kernel": "linear", "gamma": 0.0}) == {"kernel": "linear"}
    assert param_set.transform({"kernel": "rbf", "gamma": 0.0}) == {"kernel": "rbf", "gamma": 1.0}


def test_bad_set_trafo() -> None:
    param_set = ps(x=p_dbl(0, 1))
    with pytest.raises(ConfigError, match=r"fn\(x, param_set\).*Got 3"):
        param_set.trafo = 3
    param_set.trafo = lambda x, _: [x]
    with pytest.raises(ConfigError, match="must return a dict"):
        param_set.transform({"x": 0.5})
    param_set.trafo = None
    assert not param_set.has_trafo
    with pytest.raises(UnknownKeyError, match="no parameter 'y'"):
        param_set.transform({"y": 1})
    with pytest.raises(ConfigError, match="needs a dict"):
        param_set.transform([0.5])  # type: ignore[arg-type]
