"""What flows between the operators of a network graph: :class:`ModelDescriptor`.

In training, an ingress operator (``po("torch_ingress_num")``) turns a task into
a model descriptor; every layer operator (``nn("linear", out_features=8)``)
appends one :class:`NetNode` to it and moves its :attr:`~ModelDescriptor.pointer`
to the new node; configuration operators set the loss, the optimizer and the
callbacks; ``po("torch_model_classif")`` at the end builds the network and
trains it. In prediction the operators pass the task through unchanged.

A node holds a module *factory* (e.g. ``functools.partial(nn.Linear, 4, 8)``)
with every size resolved, not a module: the network is instantiated by the
learner under its ``seed``, so the seed fixes the initial weights, in the
operators' topological order.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from mlr3py.errors import ConfigError
from mlr3py.pipelines._pipeop import register_channel_type

if TYPE_CHECKING:
    from torch import nn

    from mlr3py.tasks import Task
    from mlr3py.torch.categorical import CategoricalLevels

__all__ = ["Ingress", "ModelDescriptor", "NetNode", "OptimizerSpec", "merge_descriptors"]

Shape = tuple[int | None, ...]
"""A tensor shape; ``None`` is the batch dimension."""


@dataclass(frozen=True)
class Ingress:
    """One input tensor of the network.

    Attributes
    ----------
    name : str
        The tensor's name in a batch (the ingress operator's id).
    kind : str
        ``"num"`` (float32 columns) or ``"categ"`` (int64 level codes).
    features : tuple of str
        The task features, in column order.
    levels : CategoricalLevels or None
        The training levels (``"categ"`` only).
    """

    name: str
    kind: str
    features: tuple[str, ...]
    levels: CategoricalLevels | None = None

    @property
    def shape(self) -> Shape:
        """``(None, number of features)``."""
        return (None, len(self.features))


@dataclass(frozen=True)
class NetNode:
    """One module of the network: ``factory()`` applied to the outputs of ``inputs``.

    ``inputs`` name ingresses or earlier nodes; a node with several inputs
    (``merge_sum``) is called as ``module(*tensors)``.
    """

    id: str
    factory: Callable[[], nn.Module]
    inputs: tuple[str, ...]


@dataclass(frozen=True)
class OptimizerSpec:
    """The optimizer ``po("torch_optimizer")`` chose: a name or class, and its arguments."""

    optimizer: Any
    args: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ModelDescriptor:
    """A network under construction (mlr3torch's ``ModelDescriptor``).

    Attributes
    ----------
    task : Task
        The task at the ingress (after any preprocessing operators).
    ingress : dict of str to Ingress
        The network's inputs by tensor name.
    nodes : tuple of NetNode
        The modules in creation order.
    pointer : str
        The node (or ingress) whose output the next layer takes.
    shape : tuple
        The output shape at ``pointer`` (``None``: the batch dimension).
    loss, optimizer, callbacks
        Set by ``po("torch_loss")``, ``po("torch_optimizer")``, ``po("torch_callbacks")``.
    heads : tuple of str
        The ``nn("head")`` nodes.
    scope : str
        A prefix for new node ids (set inside ``nn("block")`` repetitions).
    """

    task: Task
    ingress: dict[str, Ingress]
    nodes: tuple[NetNode, ...]
    pointer: str
    shape: Shape
    loss: Any = None
    optimizer: OptimizerSpec | None = None
    callbacks: tuple[Any, ...] = ()
    heads: tuple[str, ...] = ()
    scope: str = ""

    def add_node(self, op_id: str, factory: Callable[[], nn.Module], shape: Shape,
                 head: bool = False, inputs: tuple[str, ...] | None = None) -> ModelDescriptor:
        """A new descriptor with a node after :attr:`pointer` (or ``inputs``), pointing at it."""
        node_id = self.scope + op_id
        if node_id in self.ingress or any(n.id == node_id for n in self.nodes):
            raise ConfigError(
                f"The network already has a node '{node_id}'. Give each layer operator its "
                f"own id, e.g. nn('linear', id='linear_2') or nn('linear_2')."
            )
        node = NetNode(node_id, factory, (self.pointer,) if inputs is None else inputs)
        return dataclasses.replace(
            self, nodes=(*self.nodes, node), pointer=node_id, shape=shape,
            heads=(*self.heads, node_id) if head else self.heads,
        )

    def replace(self, **changes: Any) -> ModelDescriptor:
        """A copy with ``changes`` applied."""
        return dataclasses.replace(self, **changes)


def merge_descriptors(mds: Sequence[ModelDescriptor], owner: str) -> ModelDescriptor:
    """The union of several branches (their nodes and ingresses); the pointer of the first.

    Raises
    ------
    ConfigError
        If the branches saw different tasks (preprocessing on one branch only), or
        set the loss / optimizer differently.
    """
    first = mds[0]
    for md in mds[1:]:
        if md.task is not first.task and md.task.hash != first.task.hash:
            raise ConfigError(
                f"The branches joined by {owner} come from different tasks (a preprocessing "
                f"operator on one branch only?). Put preprocessing operators before the "
                f"point where the graph branches, so that every ingress sees the same task."
            )
    ingress: dict[str, Ingress] = {}
    nodes: dict[str, NetNode] = {}
    for md in mds:
        ingress.update(md.ingress)
        for node in md.nodes:
            nodes.setdefault(node.id, node)
    losses = {id(md.loss): md.loss for md in mds if md.loss is not None}
    optimizers = {id(md.optimizer): md.optimizer for md in mds if md.optimizer is not None}
    if len(losses) > 1 or len(optimizers) > 1:
        raise ConfigError(
            f"The branches joined by {owner} set the loss or the optimizer differently; "
            f"set them once, after the branches are joined."
        )
    callbacks: list[Any] = []
    for md in mds:
        callbacks += [cb for cb in md.callbacks if not any(cb is c for c in callbacks)]
    return dataclasses.replace(
        first, ingress=ingress, nodes=tuple(nodes.values()),
        loss=next(iter(losses.values()), None), optimizer=next(iter(optimizers.values()), None),
        callbacks=tuple(callbacks), heads=tuple(dict.fromkeys(h for md in mds for h in md.heads)),
    )


register_channel_type(
    "ModelDescriptor", ModelDescriptor,
    hint="A network starts with an ingress: put po('torch_ingress_num') (numeric features) or "
         "po('torch_ingress_categ') (factor features) before the first layer.",
)
