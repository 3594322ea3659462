"""The network a graph describes: :class:`GraphNetwork`.

Built from a :class:`~mlr3py.torch.graph.ModelDescriptor` by instantiating
every node's module factory in creation order (so the learner's ``seed`` fixes
the initial weights). ``forward`` takes the batch's tensors by ingress name (a
:class:`~mlr3py.torch.categorical.TensorBatch`, or a plain tensor for a network
with one ingress) and runs the nodes in order. A chain from one ingress runs as
a plain loop over the modules, like :class:`torch.nn.Sequential`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import torch
from torch import nn

from mlr3py.errors import ConfigError

if TYPE_CHECKING:
    from mlr3py.torch.graph._descriptor import ModelDescriptor, NetNode

__all__ = ["GraphNetwork", "build_network"]


def _key(node_id: str) -> str:
    # ModuleDict keys may not contain "."
    return node_id.replace(".", "__")


class GraphNetwork(nn.Module):
    """A directed acyclic graph of modules over named input tensors.

    Parameters
    ----------
    ingress : sequence of str
        The input tensor names.
    nodes : sequence of (str, nn.Module, tuple of str)
        ``(id, module, inputs)`` in an order where inputs come first.
    output : str
        The node whose output the network returns.
    """

    def __init__(self, ingress: Sequence[str],
                 nodes: Sequence[tuple[str, nn.Module, tuple[str, ...]]], output: str) -> None:
        super().__init__()
        self.ingress = tuple(ingress)
        self.layers = nn.ModuleDict({_key(i): m for i, m, _ in nodes})
        self.steps = tuple((_key(i), tuple(_key(s) for s in inp)) for i, _, inp in nodes)
        self.output = _key(output)
        chain = len(self.ingress) == 1 and bool(self.steps)
        previous = _key(self.ingress[0]) if self.ingress else ""
        for key, inputs in self.steps:
            chain = chain and inputs == (previous,)
            previous = key
        self.chain = chain and previous == self.output

    def forward(self, x: Any) -> torch.Tensor:
        """The network's output for a batch (a tensor with one ingress, else named tensors)."""
        h: Any
        if isinstance(x, torch.Tensor):
            if len(self.ingress) != 1:
                raise ConfigError(
                    f"This network has {len(self.ingress)} inputs ({', '.join(self.ingress)}); "
                    f"pass a TensorBatch with one tensor per input, not a single tensor."
                )
            h = x
        else:
            h = x[self.ingress[0]] if self.chain else None
        if self.chain:
            for module in self.layers.values():
                h = module(h)
            out: torch.Tensor = h
            return out
        values: dict[str, torch.Tensor] = (
            {_key(self.ingress[0]): h} if h is not None
            else {_key(name): x[name] for name in self.ingress}
        )
        layers = self.layers
        for key, inputs in self.steps:
            values[key] = layers[key](*[values[i] for i in inputs])
        return values[self.output]

    def extra_repr(self) -> str:
        return f"ingress={list(self.ingress)}, output={self.output!r}"


def build_network(md: ModelDescriptor) -> GraphNetwork:
    """Instantiate the network ``md`` describes (call it under the training seed)."""
    nodes: list[NetNode] = list(md.nodes)
    if not nodes:
        raise ConfigError(
            "The network graph has no layers. Put layer operators between the ingress and "
            "the model, ending with nn('head')."
        )
    used = {i for n in nodes for i in n.inputs}
    ingress = [name for name in md.ingress if name in used]
    built = []
    for node in nodes:
        module = node.factory()
        if not isinstance(module, nn.Module):  # pragma: no cover - factories are ours
            raise ConfigError(f"Node '{node.id}' did not build a torch module.")
        built.append((node.id, module, node.inputs))
    return GraphNetwork(ingress, built, md.pointer)
