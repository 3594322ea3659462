"""tnr() and trm() without a key give the registries (mlr3's tnr() / trm())."""

from __future__ import annotations

import pytest

from mlr3py import tnr, trm
from mlr3py.errors import ConfigError
from mlr3py.tuning import mlr_terminators, mlr_tuners


def test_without_a_key_the_registry() -> None:
    assert tnr() is mlr_tuners
    assert trm() is mlr_terminators
    assert {"random_search", "grid_search", "design_points"} <= set(tnr().keys())
    assert {"evals", "run_time", "none"} <= set(trm().keys())
    assert tnr().as_table()["key"].tolist() == sorted(mlr_tuners.keys())


def test_settings_without_a_key_are_an_error() -> None:
    with pytest.raises(ConfigError, match=r'no key; name the tuner: tnr\("<key>", \.\.\.\)'):
        tnr(batch_size=3)
    with pytest.raises(ConfigError, match=r"no key; name the terminator.*'evals'"):
        trm(n_evals=3)


def test_with_a_key_still_builds() -> None:
    assert tnr("random_search", batch_size=3).param_set.values["batch_size"] == 3
    assert trm("evals", n_evals=7).param_set.values["n_evals"] == 7
