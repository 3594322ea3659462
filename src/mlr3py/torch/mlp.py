"""Multi-layer perceptrons: ``classif.mlp`` and ``regr.mlp`` (mlr3torch's ``LearnerTorchMLP``).

Network: for each hidden layer width in ``neurons``, ``Linear -> activation ->
Dropout(p)`` (the dropout is left out when ``p == 0``), then a ``Linear``
output layer: one unit for regression and two-class classification (the
positive class's logit), one per class otherwise. An empty ``neurons`` gives a
linear model.

Parameters (besides those of :class:`~mlr3py.torch.learner.LearnerTorch`)
--------------------------------------------------------------------------
neurons : int >= 1 or list of int >= 1, default [] (no hidden layer)
    The hidden layers' widths; an int is one layer (or ``n_layers`` layers).
n_layers : int >= 1, optional
    mlr3torch's: the number of hidden layers, each ``neurons`` wide (then
    ``neurons`` is one width), e.g. ``neurons=to_tune(16, 64), n_layers=to_tune(1, 3)``.
p : float in [0, 1], default 0.5 (dropout probability)
activation : str, nn.Module class or instance, default "relu"
activation_args : dict, optional
    Arguments of the activation class, e.g. ``{"negative_slope": 0.2}`` for
    ``"leaky_relu"``.

Examples
--------
>>> from mlr3py import lrn, tsk
>>> learner = lrn("classif.mlp", epochs=10, batch_size=32, neurons=[64, 32], p=0.1,
...               lr=0.01, predict_type="prob", seed=1)
>>> learner.train(tsk("sonar")).predict(tsk("sonar")).score()  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from torch import nn

from mlr3py.errors import ConfigError
from mlr3py.learners._base import LearnerClassif, LearnerRegr
from mlr3py.params import p_dbl, p_int, p_uty, ps
from mlr3py.torch._optim import check_activation, make_activation
from mlr3py.torch.learner import LearnerTorch

if TYPE_CHECKING:
    from mlr3py.tasks import Task

__all__ = ["LearnerClassifMLP", "LearnerRegrMLP", "build_mlp"]


def _is_width(n: Any) -> bool:
    return bool(isinstance(n, int | np.integer) and not isinstance(n, bool) and n >= 1)


def _check_neurons(value: Any) -> bool | str:
    ok = _is_width(value) or (isinstance(value, list | tuple) and all(map(_is_width, value)))
    return True if ok else "an int >= 1 or a list of ints >= 1 (hidden layer widths; [] for none)"


def _check_args(value: Any) -> bool | str:
    ok = value is None or (isinstance(value, Mapping) and all(isinstance(k, str) for k in value))
    return True if ok else "None or a dict of the activation's arguments"


def _widths(neurons: Any, n_layers: int | None, owner: str) -> list[int]:
    widths = [int(neurons)] if _is_width(neurons) else [int(n) for n in neurons]
    if n_layers is None:
        return widths
    if len(widths) != 1:
        raise ConfigError(
            f"{owner} has n_layers={n_layers}, so 'neurons' must be one width (an int), "
            f"not {list(widths)}. Unset n_layers to give each layer's width."
        )
    return widths * n_layers


def build_mlp(
    n_features: int,
    n_outputs: int,
    neurons: Sequence[int] = (),
    p: float = 0.5,
    activation: Any = "relu",
    activation_args: Mapping[str, Any] | None = None,
) -> nn.Sequential:
    """The MLP network described in the module docstring.

    With one output unit, a final ``Flatten(0)`` turns the ``(n, 1)`` output
    into shape ``(n,)``.
    """
    layers: list[nn.Module] = []
    width = n_features
    for n in neurons:
        layers += [nn.Linear(width, n), make_activation(activation, activation_args)]
        if p > 0:
            layers.append(nn.Dropout(p))
        width = n
    layers.append(nn.Linear(width, n_outputs))
    if n_outputs == 1:
        layers.append(nn.Flatten(0))
    return nn.Sequential(*layers)


def _mlp_params() -> Any:
    net = {"train", "network"}
    return ps(
        neurons=p_uty(_check_neurons, default=(), tags=net),
        n_layers=p_int(1, tags=net),
        p=p_dbl(0, 1, default=0.5, tags=net),
        activation=p_uty(check_activation, default="relu", tags=net),
        activation_args=p_uty(_check_args, default=None, special_vals=[None], tags=net),
    )


class _MLP(LearnerTorch):
    def __init__(self, id: str) -> None:  # noqa: A002 - mlr3's name
        super().__init__(id, param_set=_mlp_params(), label="Multi Layer Perceptron")

    def _network(self, task: Task, n_features: int, n_outputs: int) -> nn.Module:
        cfg = {**self.param_set.default, **self.param_set.get_values(tags="network")}
        widths = _widths(cfg["neurons"], cfg.get("n_layers"), f"Learner '{self.id}'")
        return build_mlp(n_features, n_outputs, widths, cfg["p"], cfg["activation"],
                         cfg["activation_args"])


class LearnerClassifMLP(_MLP, LearnerClassif):
    """Classification MLP (``classif.mlp``); predict types ``response`` and ``prob``."""

    def __init__(self, id: str = "classif.mlp") -> None:  # noqa: A002
        super().__init__(id)


class LearnerRegrMLP(_MLP, LearnerRegr):
    """Regression MLP (``regr.mlp``)."""

    def __init__(self, id: str = "regr.mlp") -> None:  # noqa: A002
        super().__init__(id)
