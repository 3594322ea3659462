"""Multi-layer perceptrons: ``classif.mlp`` and ``regr.mlp`` (mlr3torch's ``LearnerTorchMLP``).

Network: for each hidden layer width in ``neurons``, ``Linear -> activation ->
Dropout(p)`` (the dropout is left out when ``p == 0``), then a ``Linear``
output layer: one unit for regression and two-class classification (the
positive class's logit), one per class otherwise. An empty ``neurons`` gives a
linear model.

Parameters (besides those of :class:`~mlr3py.torch.learner.LearnerTorch`)
--------------------------------------------------------------------------
neurons : list of int >= 1, default [] (no hidden layer)
p : float in [0, 1], default 0.5 (dropout probability)
activation : str, nn.Module class or instance, default "relu"

Examples
--------
>>> from mlr3py import lrn, tsk
>>> learner = lrn("classif.mlp", epochs=10, batch_size=32, neurons=[64, 32], p=0.1,
...               lr=0.01, predict_type="prob", seed=1)
>>> learner.train(tsk("sonar")).predict(tsk("sonar")).score()  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from torch import nn

from mlr3py.learners._base import LearnerClassif, LearnerRegr
from mlr3py.params import p_dbl, p_uty, ps
from mlr3py.torch._optim import check_activation, make_activation
from mlr3py.torch.learner import LearnerTorch

if TYPE_CHECKING:
    from mlr3py.tasks import Task

__all__ = ["LearnerClassifMLP", "LearnerRegrMLP", "build_mlp"]


def _check_neurons(value: Any) -> bool | str:
    ok = isinstance(value, list | tuple) and all(
        isinstance(n, int) and not isinstance(n, bool) and n >= 1 for n in value
    )
    return True if ok else "a list of ints >= 1 (hidden layer widths; [] for none)"


def build_mlp(
    n_features: int,
    n_outputs: int,
    neurons: Sequence[int] = (),
    p: float = 0.5,
    activation: Any = "relu",
) -> nn.Sequential:
    """The MLP network described in the module docstring.

    With one output unit, a final ``Flatten(0)`` turns the ``(n, 1)`` output
    into shape ``(n,)``.
    """
    layers: list[nn.Module] = []
    width = n_features
    for n in neurons:
        layers += [nn.Linear(width, n), make_activation(activation)]
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
        p=p_dbl(0, 1, default=0.5, tags=net),
        activation=p_uty(check_activation, default="relu", tags=net),
    )


class _MLP(LearnerTorch):
    def __init__(self, id: str) -> None:  # noqa: A002 - mlr3's name
        super().__init__(id, param_set=_mlp_params(), label="Multi Layer Perceptron")

    def _network(self, task: Task, n_features: int, n_outputs: int) -> nn.Module:
        cfg = {**self.param_set.default, **self.param_set.get_values(tags="network")}
        return build_mlp(n_features, n_outputs, cfg["neurons"], cfg["p"], cfg["activation"])


class LearnerClassifMLP(_MLP, LearnerClassif):
    """Classification MLP (``classif.mlp``); predict types ``response`` and ``prob``."""

    def __init__(self, id: str = "classif.mlp") -> None:  # noqa: A002
        super().__init__(id)


class LearnerRegrMLP(_MLP, LearnerRegr):
    """Regression MLP (``regr.mlp``)."""

    def __init__(self, id: str = "regr.mlp") -> None:  # noqa: A002
        super().__init__(id)
