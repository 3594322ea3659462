"""Tabular ResNet: ``classif.tab_resnet`` and ``regr.tab_resnet`` (Gorishniy et al., 2021).

The ResNet of "Revisiting Deep Learning Models for Tabular Data" (mlr3torch's
``LearnerTorchTabResNet``). The features come as one float matrix (factor
features one-hot encoded, as for ``classif.mlp``)::

    Linear(n_features, d_block)
    n_blocks x  x + Dropout(dropout2)(Linear(d_hidden, d_block)(
                    Dropout(dropout1)(ReLU(Linear(d_block, d_hidden)(BatchNorm(x))))))
    head:       Linear(d_block, n_outputs)(ReLU(BatchNorm(x)))

with ``d_hidden = round(d_block * d_hidden_multiplier)``.

Parameters (besides those of :class:`~mlr3py.torch.learner.LearnerTorch`)
--------------------------------------------------------------------------
n_blocks : int >= 0, default 2
d_block : int >= 1, default 64 (the width of the residual stream)
d_hidden_multiplier : float > 0, default 2.0
dropout1 : float in [0, 1), default 0.25 (inside a block)
dropout2 : float in [0, 1), default 0.0 (before the residual sum)

Examples
--------
>>> from mlr3py import lrn, tsk
>>> learner = lrn("classif.tab_resnet", epochs=5, batch_size=32, seed=1)
>>> learner.train(tsk("sonar")).predict(tsk("sonar")).score()  # doctest: +SKIP
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import torch
from torch import nn

from mlr3py.learners._base import LearnerClassif, LearnerRegr
from mlr3py.params import p_dbl, p_int, ps
from mlr3py.torch.learner import LearnerTorch

if TYPE_CHECKING:
    from mlr3py.tasks import Task

__all__ = ["LearnerClassifTabResNet", "LearnerRegrTabResNet", "TabResNet"]


class _ResidualBlock(nn.Module):
    def __init__(self, d_block: int, d_hidden: int, dropout1: float, dropout2: float) -> None:
        super().__init__()
        self.norm = nn.BatchNorm1d(d_block)
        self.linear1 = nn.Linear(d_block, d_hidden)
        self.activation = nn.ReLU()
        self.dropout1 = nn.Dropout(dropout1)
        self.linear2 = nn.Linear(d_hidden, d_block)
        self.dropout2 = nn.Dropout(dropout2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        z = self.dropout1(self.activation(self.linear1(self.norm(x))))
        return x + self.dropout2(self.linear2(z))


class TabResNet(nn.Module):
    """The network described in the module docstring.

    Parameters
    ----------
    n_features, n_outputs : int
        Input columns and output units (one output unit gives shape ``(n,)``).
    n_blocks, d_block, d_hidden_multiplier, dropout1, dropout2
        See the module docstring.
    """

    def __init__(
        self,
        n_features: int,
        n_outputs: int,
        n_blocks: int = 2,
        d_block: int = 64,
        d_hidden_multiplier: float = 2.0,
        dropout1: float = 0.25,
        dropout2: float = 0.0,
    ) -> None:
        super().__init__()
        d_hidden = max(1, round(d_block * d_hidden_multiplier))
        self.first = nn.Linear(n_features, d_block)
        self.blocks = nn.Sequential(
            *(_ResidualBlock(d_block, d_hidden, dropout1, dropout2) for _ in range(n_blocks))
        )
        self.head = nn.Sequential(nn.BatchNorm1d(d_block), nn.ReLU(), nn.Linear(d_block, n_outputs))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out: torch.Tensor = self.head(self.blocks(self.first(x)))
        return out.squeeze(1) if out.shape[1] == 1 else out


def _resnet_params() -> Any:
    net = {"train", "network"}
    return ps(
        n_blocks=p_int(0, None, default=2, tags=net),
        d_block=p_int(1, None, default=64, tags=net),
        d_hidden_multiplier=p_dbl(0, None, default=2.0, tags=net),
        dropout1=p_dbl(0, 1, default=0.25, tags=net),
        dropout2=p_dbl(0, 1, default=0.0, tags=net),
    )


class _TabResNet(LearnerTorch):
    def __init__(self, id: str) -> None:  # noqa: A002 - mlr3's name
        super().__init__(id, param_set=_resnet_params(), label="Tabular ResNet")

    def _network(self, task: Task, n_features: int, n_outputs: int) -> nn.Module:
        cfg = {**self.param_set.default, **self.param_set.get_values(tags="network")}
        return TabResNet(
            n_features, n_outputs, cfg["n_blocks"], cfg["d_block"], cfg["d_hidden_multiplier"],
            cfg["dropout1"], cfg["dropout2"],
        )


class LearnerClassifTabResNet(_TabResNet, LearnerClassif):
    """Classification tabular ResNet (``classif.tab_resnet``)."""

    def __init__(self, id: str = "classif.tab_resnet") -> None:  # noqa: A002
        super().__init__(id)


class LearnerRegrTabResNet(_TabResNet, LearnerRegr):
    """Regression tabular ResNet (``regr.tab_resnet``)."""

    def __init__(self, id: str = "regr.tab_resnet") -> None:  # noqa: A002
        super().__init__(id)
