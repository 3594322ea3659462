"""A task's features as the tensors of a network's ingresses: :class:`IngressEncoder`.

Each ingress of a graph-built network becomes one tensor of a
:class:`~mlr3py.torch.categorical.TensorBatch`, named by the ingress operator's
id: ``po("torch_ingress_num")`` gives float32 columns, ``po("torch_ingress_categ")``
int64 level codes (level ``j`` -> ``j + 1``; a missing value or a level unseen
in training -> 0, the "unknown" code; see :mod:`mlr3py.torch.categorical`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import torch

from mlr3py.errors import InputError
from mlr3py.torch.categorical import CategoricalLevels, MixedEncoder, TensorBatch, numeric_block
from mlr3py.torch.graph._descriptor import Ingress

__all__ = ["IngressEncoder"]


@dataclass(frozen=True)
class IngressEncoder(MixedEncoder):
    """A :class:`~mlr3py.torch.categorical.MixedEncoder` with one tensor per ingress.

    Build it with :meth:`from_ingress`; ``numeric`` and ``categorical`` list the
    features of all numeric and all categorical ingresses.

    Attributes
    ----------
    ingress : tuple of Ingress
        The network's inputs, in tensor order.
    """

    ingress: tuple[Ingress, ...] = field(default=())

    @classmethod
    def from_ingress(cls, ingress: tuple[Ingress, ...]) -> IngressEncoder:
        """The encoder of the given ingresses."""
        numeric = tuple(f for i in ingress if i.kind == "num" for f in i.features)
        features: list[str] = []
        levels: list[tuple[object, ...]] = []
        for i in ingress:
            if i.levels is not None:
                features += i.levels.features
                levels += i.levels.levels
        return cls(numeric, CategoricalLevels(tuple(features), tuple(levels)), ingress)

    @property
    def feature_names(self) -> list[str]:
        """Every feature an ingress reads, each once, in ingress order."""
        return list(dict.fromkeys(f for i in self.ingress for f in i.features))

    def transform(self, data: pd.DataFrame, task_id: str = "?") -> TensorBatch:
        """The tensors of ``data`` (which holds at least :attr:`feature_names`).

        Raises
        ------
        InputError
            If a feature of a numeric ingress has missing values.
        """
        tensors: dict[str, torch.Tensor] = {}
        for ing in self.ingress:
            if ing.levels is not None:
                tensors[ing.name] = torch.from_numpy(ing.levels.codes(data))
                continue
            num, missing = numeric_block(data, ing.features)
            if missing:
                raise InputError(
                    f"Task '{task_id}' has missing values in feature(s) "
                    f"{missing} read by ingress '{ing.name}'; torch "
                    f"networks need complete numeric data. Impute them first, e.g. put "
                    f"po('imputemean') before the ingress."
                )
            tensors[ing.name] = torch.from_numpy(num)
        return TensorBatch(tensors)
