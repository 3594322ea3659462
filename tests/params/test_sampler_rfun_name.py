"""Sampler1DRfun takes paradox's argument name rfun= as well as fn=."""

from __future__ import annotations

import numpy as np
import pytest

from mlr3py.errors import ConfigError
from mlr3py.params import Sampler1DRfun, p_dbl, ps


def test_rfun_is_the_same_as_fn() -> None:
    space = ps(x=p_dbl(0, 10))

    def draw(n: int, rng: np.random.Generator) -> np.ndarray:
        return rng.uniform(2, 3, size=n)

    by_rfun = Sampler1DRfun(space, rfun=draw).sample(5, seed=7).data["x"].to_numpy()
    by_fn = Sampler1DRfun(space, fn=draw).sample(5, seed=7).data["x"].to_numpy()
    np.testing.assert_array_equal(by_rfun, by_fn)
    assert np.all((by_rfun >= 2) & (by_rfun <= 3))
    constant = Sampler1DRfun(space, rfun=lambda n: np.full(n, 4.0), trunc=False)
    assert constant.sample(3).data["x"].tolist() == [4.0, 4.0, 4.0]


def test_rfun_with_fn_or_neither_is_an_error() -> None:
    space = ps(x=p_dbl(0, 1))
    with pytest.raises(ConfigError, match="both fn= and rfun="):
        Sampler1DRfun(space, fn=lambda n: np.zeros(n), rfun=lambda n: np.zeros(n))
    with pytest.raises(ConfigError, match=r"fn of Sampler1DRfun must be a function"):
        Sampler1DRfun(space)
