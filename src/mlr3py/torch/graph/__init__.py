"""Torch networks built as graphs (mlr3torch's graph API).

A network is a graph of operators: an ingress (``po("torch_ingress_num")``,
``po("torch_ingress_categ")``), layers (``nn("linear", out_features=)``,
``nn("relu")``, ..., ``nn("head")``), configuration (``po("torch_loss")``,
``po("torch_optimizer")``, ``po("torch_callbacks")``) and
``po("torch_model_classif" | "torch_model_regr")`` at the end;
:func:`as_learner_torch` turns it into a learner. Preprocessing operators
(``po("scale")``, ``po("encode")``) may stand before the ingress.

Examples
--------
>>> from mlr3py import po, tsk
>>> from mlr3py.torch import as_learner_torch, nn
>>> graph = (po("torch_ingress_num") >> nn("linear", out_features=16) >> nn("relu")
...          >> nn("head") >> po("torch_loss", "cross_entropy")
...          >> po("torch_optimizer", "adam", lr=0.01)
...          >> po("torch_model_classif", epochs=5, batch_size=16, seed=1))
>>> learner = as_learner_torch(graph)
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

from mlr3py.errors import ConfigError
from mlr3py.pipelines import PipeOp, po
from mlr3py.registry import did_you_mean
from mlr3py.torch.graph._descriptor import (
    Ingress,
    ModelDescriptor,
    NetNode,
    OptimizerSpec,
    merge_descriptors,
)
from mlr3py.torch.graph._encoder import IngressEncoder
from mlr3py.torch.graph._learner import (
    GraphLearnerTorch,
    GraphLearnerTorchClassif,
    GraphLearnerTorchRegr,
    as_learner_torch,
)
from mlr3py.torch.graph._network import GraphNetwork, build_network
from mlr3py.torch.graph.ops_block import PipeOpTorchBlock
from mlr3py.torch.graph.ops_config import (
    PipeOpTorchCallbacks,
    PipeOpTorchLoss,
    PipeOpTorchOptimizer,
)
from mlr3py.torch.graph.ops_ingress import (
    PipeOpTorchIngress,
    PipeOpTorchIngressCateg,
    PipeOpTorchIngressNum,
)
from mlr3py.torch.graph.ops_layers import (
    ACTIVATIONS,
    PipeOpTorch,
    PipeOpTorchActivation,
    PipeOpTorchBatchNorm,
    PipeOpTorchDropout,
    PipeOpTorchEmbedding,
    PipeOpTorchFlatten,
    PipeOpTorchHead,
    PipeOpTorchLayerNorm,
    PipeOpTorchLinear,
    PipeOpTorchMergeCat,
    PipeOpTorchMergeSum,
)
from mlr3py.torch.graph.ops_model import (
    LearnerTorchModel,
    LearnerTorchModelClassif,
    LearnerTorchModelRegr,
    PipeOpTorchModel,
    PipeOpTorchModelClassif,
    PipeOpTorchModelRegr,
)

__all__ = [
    "ACTIVATIONS",
    "TORCH_PIPEOPS",
    "GraphLearnerTorch",
    "GraphLearnerTorchClassif",
    "GraphLearnerTorchRegr",
    "GraphNetwork",
    "Ingress",
    "IngressEncoder",
    "LearnerTorchModel",
    "LearnerTorchModelClassif",
    "LearnerTorchModelRegr",
    "ModelDescriptor",
    "NetNode",
    "OptimizerSpec",
    "PipeOpTorch",
    "PipeOpTorchActivation",
    "PipeOpTorchBatchNorm",
    "PipeOpTorchBlock",
    "PipeOpTorchCallbacks",
    "PipeOpTorchDropout",
    "PipeOpTorchEmbedding",
    "PipeOpTorchFlatten",
    "PipeOpTorchHead",
    "PipeOpTorchIngress",
    "PipeOpTorchIngressCateg",
    "PipeOpTorchIngressNum",
    "PipeOpTorchLayerNorm",
    "PipeOpTorchLinear",
    "PipeOpTorchLoss",
    "PipeOpTorchMergeCat",
    "PipeOpTorchMergeSum",
    "PipeOpTorchModel",
    "PipeOpTorchModelClassif",
    "PipeOpTorchModelRegr",
    "PipeOpTorchOptimizer",
    "as_learner_torch",
    "build_network",
    "merge_descriptors",
    "nn",
]

#: The network operators by ``mlr_pipeops`` key (registered there where torch is installed).
TORCH_PIPEOPS: dict[str, Callable[..., PipeOp]] = {
    "torch_ingress_num": PipeOpTorchIngressNum,
    "torch_ingress_categ": PipeOpTorchIngressCateg,
    "torch_loss": PipeOpTorchLoss,
    "torch_optimizer": PipeOpTorchOptimizer,
    "torch_callbacks": PipeOpTorchCallbacks,
    "torch_model_classif": PipeOpTorchModelClassif,
    "torch_model_regr": PipeOpTorchModelRegr,
    "nn_linear": PipeOpTorchLinear,
    "nn_dropout": PipeOpTorchDropout,
    "nn_batch_norm": PipeOpTorchBatchNorm,
    "nn_layer_norm": PipeOpTorchLayerNorm,
    "nn_embedding": PipeOpTorchEmbedding,
    "nn_flatten": PipeOpTorchFlatten,
    "nn_merge_sum": PipeOpTorchMergeSum,
    "nn_merge_cat": PipeOpTorchMergeCat,
    "nn_block": PipeOpTorchBlock,
    "nn_head": PipeOpTorchHead,
    **{f"nn_{name}": functools.partial(PipeOpTorchActivation, name) for name in ACTIVATIONS},
}


def nn(key: str, *args: Any, **kwargs: Any) -> PipeOp:
    """A layer operator: ``nn("linear", out_features=8)`` is ``po("nn_linear", id="linear",
    out_features=8)`` (mlr3torch's ``nn()``).

    A numbered key (``nn("linear_2")``) builds the same operator with that id,
    so a network can hold several layers of one kind.

    Raises
    ------
    ConfigError
        For an unknown layer.

    Examples
    --------
    >>> nn("linear", out_features=8).id
    'linear'
    >>> nn("relu_2").id
    'relu_2'
    """
    name = key
    if f"nn_{name}" not in TORCH_PIPEOPS:
        match = re.fullmatch(r"(.+)_\d+", key)
        if match is None or f"nn_{match.group(1)}" not in TORCH_PIPEOPS:
            layers = [k.removeprefix("nn_") for k in TORCH_PIPEOPS if k.startswith("nn_")]
            raise ConfigError(f"Unknown layer '{key}'. Known layers: {sorted(layers)}."
                              + did_you_mean(key, layers))
        name = match.group(1)
    kwargs.setdefault("id", key)
    return po(f"nn_{name}", *args, **kwargs)
