"""classif.mlp's network shape as in mlr3torch: neurons as one width, n_layers, activation_args."""

from __future__ import annotations

import pytest
from torch import nn

from mlr3py import lrn, msr, rsmp, to_tune, tsk, tune
from mlr3py.errors import ConfigError


def _linear_widths(network):
    return [m.out_features for m in network if isinstance(m, nn.Linear)]


def _net(**kwargs):
    learner = lrn("classif.mlp", epochs=1, batch_size=32, seed=1, **kwargs)
    return learner.train(tsk("iris")).model.network


def test_neurons_may_be_one_width():
    assert _linear_widths(_net(neurons=8)) == [8, 3]


def test_n_layers_repeats_the_width():
    assert _linear_widths(_net(neurons=8, n_layers=3)) == [8, 8, 8, 3]
    assert _linear_widths(_net(neurons=[5], n_layers=2)) == [5, 5, 3]


def test_n_layers_with_several_widths_is_refused():
    with pytest.raises(ConfigError, match="n_layers=2.*one width"):
        _net(neurons=[4, 8], n_layers=2)


def test_activation_args_reach_the_activation():
    net = _net(neurons=[4, 4], activation="leaky_relu", activation_args={"negative_slope": 0.2})
    slopes = [m.negative_slope for m in net if isinstance(m, nn.LeakyReLU)]
    assert slopes == [0.2, 0.2]
    with pytest.raises(ConfigError, match="cannot be built"):
        _net(neurons=[4], activation="relu", activation_args={"negative_slope": 0.2})
    with pytest.raises(ConfigError, match="instance, so it takes no activation_args"):
        _net(neurons=[4], activation=nn.ReLU(), activation_args={"inplace": True})


def test_neurons_and_n_layers_are_tunable():
    learner = lrn(
        "classif.mlp", epochs=1, batch_size=32, seed=1,
        neurons=to_tune(2, 6), n_layers=to_tune(1, 2),
    )
    instance = tune("random_search", tsk("iris"), learner, rsmp("holdout"),
                    msr("classif.ce"), term_evals=2)
    best = instance.result_learner_param_vals
    assert 2 <= best["neurons"] <= 6 and 1 <= best["n_layers"] <= 2
