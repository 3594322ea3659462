"""A set-level trafo is fn(x, param_set): one of another arity is refused when assigned,
with a message naming the expected signature."""

from __future__ import annotations

import functools
from typing import Any

import pytest

from mlr3py.errors import ConfigError
from mlr3py.params import generate_design_grid, p_dbl, ps


def test_one_argument_trafo_is_refused_on_assignment() -> None:
    space = ps(x=p_dbl(0, 1))
    with pytest.raises(ConfigError, match=r"must be a function fn\(x, param_set\) returning a "
                                          r"dict.*Got <lambda>\(x\).*p_dbl\(\.\.\., trafo=fn\)"):
        space.trafo = lambda x: x  # type: ignore[assignment,misc]
    assert space.trafo is None  # nothing was assigned


def test_three_required_arguments_are_refused() -> None:
    def trafo(x: dict[str, Any], param_set: Any, scale: float) -> dict[str, Any]:
        return x

    space = ps(x=p_dbl(0, 1))
    with pytest.raises(ConfigError, match=r"Got trafo\(x: 'dict\[str, Any\]', param_set: 'Any',"
                                          r" scale: 'float'\)"):
        space.trafo = trafo  # type: ignore[assignment]


def test_two_argument_forms_are_accepted_and_applied() -> None:
    space = ps(x=p_dbl(0, 1))

    def double(x: dict[str, Any], param_set: Any, factor: float = 2.0) -> dict[str, Any]:
        return {"x": factor * x["x"]}

    space.trafo = double
    assert space.transform({"x": 0.25}) == {"x": 0.5}
    space.trafo = lambda x, *rest: {"x": x["x"] + 1}
    assert space.transform({"x": 0.25}) == {"x": 1.25}
    space.trafo = functools.partial(double, factor=4.0)
    assert space.transform({"x": 0.25}) == {"x": 1.0}

    class Shift:
        def __call__(self, x: dict[str, Any], param_set: Any) -> dict[str, Any]:
            return {"x": x["x"] - 1}

    space.trafo = Shift()
    design = generate_design_grid(space, resolution=3)
    assert [p["x"] for p in design.transpose()] == [-1.0, -0.5, 0.0]


def test_a_callable_without_a_readable_signature_is_accepted() -> None:
    space = ps(x=p_dbl(0, 1))
    space.trafo = dict  # type: ignore[assignment]  # dict's signature cannot be read
    assert space.trafo is dict
