"""Layer operators (``nn("linear", out_features=8)`` is ``po("nn_linear", id="linear", ...)``).

Each appends one module to the network a
:class:`~mlr3py.torch.graph.ModelDescriptor` describes, with its input size
taken from the shape at the descriptor's pointer; in prediction it passes the
task through. ``nn_merge_sum`` / ``nn_merge_cat`` take any number of branches.

===================  =====================================  ==========================
key                  module                                 parameters
===================  =====================================  ==========================
nn_linear            ``Linear(in, out_features)``           out_features >= 1, bias
nn_<activation>      relu, tanh, sigmoid, gelu, ...         leaky_relu: negative_slope
nn_dropout           ``Dropout(p)``                         p (0.5)
nn_batch_norm        ``BatchNorm1d(in)``                    eps, momentum, affine
nn_layer_norm        ``LayerNorm(in)`` (last dimension)     eps, elementwise_affine
nn_embedding         one embedding per categorical column   embedding_dim >= 1
nn_flatten           ``Flatten(start_dim, end_dim)``        start_dim (1), end_dim (-1)
nn_merge_sum         sum of the branches (equal shapes)
nn_merge_cat         concatenation along ``dim``            dim (-1)
nn_head              ``Linear(in, n_out)`` sized from task  bias
===================  =====================================  ==========================

The head has one output for regression and two-class tasks (the positive
class's logit, for the default BCE loss) and one per class otherwise.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable
from typing import Any, ClassVar

import torch
from torch import nn

from mlr3py.errors import ConfigError
from mlr3py.params import ParamSet, p_dbl, p_int, p_lgl, ps
from mlr3py.pipelines import Channel, PipeOp
from mlr3py.pipelines._pipeop import VARARG
from mlr3py.tasks import TaskClassif
from mlr3py.torch.graph._descriptor import ModelDescriptor, Shape, merge_descriptors

__all__ = [
    "ACTIVATIONS",
    "PipeOpTorch",
    "PipeOpTorchActivation",
    "PipeOpTorchBatchNorm",
    "PipeOpTorchDropout",
    "PipeOpTorchEmbedding",
    "PipeOpTorchFlatten",
    "PipeOpTorchHead",
    "PipeOpTorchLayerNorm",
    "PipeOpTorchLinear",
    "PipeOpTorchMergeCat",
    "PipeOpTorchMergeSum",
]


class PipeOpTorch(PipeOp):
    """Base of layer operators: subclasses implement :meth:`_build`.

    State: ``{"shape": [...]}``, the output shape (``None``: the batch dimension).
    """

    #: Whether the operator is the network's output layer (``nn("head")``).
    is_head: ClassVar[bool] = False

    def __init__(self, id: str, *, param_set: ParamSet | None = None,  # noqa: A002
                 vararg: bool = False, label: str = "") -> None:
        super().__init__(
            id, param_set=param_set,
            input=[Channel(VARARG if vararg else "input", "ModelDescriptor", "Task")],
            output=[Channel("output", "ModelDescriptor", "Task")],
            packages=["torch"], label=label,
        )

    def _build(self, md: ModelDescriptor, shapes: list[Shape],
               params: dict[str, Any]) -> tuple[Callable[[], nn.Module], Shape]:
        """The module factory and the output shape for inputs of ``shapes``."""
        raise NotImplementedError(f"{type(self).__name__} must implement _build().")

    def _in_features(self, shape: Shape, what: str = "a layer") -> int:
        n = shape[-1] if len(shape) >= 2 else None
        if n is None:
            raise ConfigError(
                f"PipeOp '{self.id}' ({what}) needs an input with a known last dimension; "
                f"its input has shape {list(shape)}."
            )
        return int(n)

    def _train(self, inputs: list[Any]) -> list[Any]:
        mds: list[ModelDescriptor] = inputs
        md = mds[0] if len(mds) == 1 else merge_descriptors(mds, f"PipeOp '{self.id}'")
        params = {**self.param_set.default, **self.param_set.get_values()}
        factory, shape = self._build(md, [m.shape for m in mds], params)
        self.state = {"shape": list(shape)}
        sources = tuple(m.pointer for m in mds)
        return [md.add_node(self.id, factory, shape, head=self.is_head,
                            inputs=sources)]

    def _predict(self, inputs: list[Any]) -> list[Any]:
        return [inputs[0]]


class PipeOpTorchLinear(PipeOpTorch):
    """``nn("linear", out_features=)``: a fully connected layer on the last dimension."""

    def __init__(self, id: str = "nn_linear") -> None:  # noqa: A002
        param_set = ps(out_features=p_int(1, tags={"train", "required"}),
                       bias=p_lgl(default=True, tags={"train"}))
        super().__init__(id, param_set=param_set, label="Linear layer")

    def _build(self, md: ModelDescriptor, shapes: list[Shape],
               params: dict[str, Any]) -> tuple[Callable[[], nn.Module], Shape]:
        n_in = self._in_features(shapes[0], "nn('linear')")
        out = int(params["out_features"])
        return (functools.partial(nn.Linear, n_in, out, bias=params["bias"]),
                (*shapes[0][:-1], out))


ACTIVATIONS: dict[str, type[nn.Module]] = {
    "relu": nn.ReLU, "relu6": nn.ReLU6, "leaky_relu": nn.LeakyReLU, "elu": nn.ELU,
    "selu": nn.SELU, "celu": nn.CELU, "gelu": nn.GELU, "silu": nn.SiLU, "mish": nn.Mish,
    "tanh": nn.Tanh, "sigmoid": nn.Sigmoid, "softplus": nn.Softplus,
    "softsign": nn.Softsign, "tanhshrink": nn.Tanhshrink, "hardtanh": nn.Hardtanh,
    "identity": nn.Identity,
}
"""Activation operators ``nn_<name>``; ``leaky_relu`` takes ``negative_slope``, ``elu``
and ``celu`` take ``alpha``."""

_ACTIVATION_PARAMS: dict[str, dict[str, Any]] = {
    "leaky_relu": {"negative_slope": 0.01}, "elu": {"alpha": 1.0}, "celu": {"alpha": 1.0},
}


class PipeOpTorchActivation(PipeOpTorch):
    """``nn("relu")`` and the other :data:`ACTIVATIONS`; the shape is unchanged."""

    def __init__(self, activation: str, id: str | None = None) -> None:  # noqa: A002
        if activation not in ACTIVATIONS:
            raise ConfigError(f"Unknown activation '{activation}'. Known: {sorted(ACTIVATIONS)}.")
        extra = {k: p_dbl(default=v, tags={"train"})
                 for k, v in _ACTIVATION_PARAMS.get(activation, {}).items()}
        super().__init__(id or f"nn_{activation}", param_set=ps(**extra),
                         label=f"{ACTIVATIONS[activation].__name__} activation")
        self.activation = activation

    def _build(self, md: ModelDescriptor, shapes: list[Shape],
               params: dict[str, Any]) -> tuple[Callable[[], nn.Module], Shape]:
        return functools.partial(ACTIVATIONS[self.activation], **params), shapes[0]


class PipeOpTorchDropout(PipeOpTorch):
    """``nn("dropout", p=0.5)``."""

    def __init__(self, id: str = "nn_dropout") -> None:  # noqa: A002
        super().__init__(id, param_set=ps(p=p_dbl(0, 1, default=0.5, tags={"train"})),
                         label="Dropout")

    def _build(self, md: ModelDescriptor, shapes: list[Shape],
               params: dict[str, Any]) -> tuple[Callable[[], nn.Module], Shape]:
        return functools.partial(nn.Dropout, params["p"]), shapes[0]


class PipeOpTorchBatchNorm(PipeOpTorch):
    """``nn("batch_norm")``: ``BatchNorm1d`` over the second dimension (features / channels)."""

    def __init__(self, id: str = "nn_batch_norm") -> None:  # noqa: A002
        tags = {"train"}
        super().__init__(id, param_set=ps(
            eps=p_dbl(0, default=1e-5, tags=tags), momentum=p_dbl(0, 1, default=0.1, tags=tags),
            affine=p_lgl(default=True, tags=tags)), label="Batch normalisation")

    def _build(self, md: ModelDescriptor, shapes: list[Shape],
               params: dict[str, Any]) -> tuple[Callable[[], nn.Module], Shape]:
        shape = shapes[0]
        if len(shape) not in (2, 3) or shape[1] is None:
            raise ConfigError(f"PipeOp '{self.id}' (nn('batch_norm')) needs a 2- or 3-dimensional "
                              f"input with a known size; got shape {list(shape)}.")
        return functools.partial(nn.BatchNorm1d, int(shape[1]), **params), shape


class PipeOpTorchLayerNorm(PipeOpTorch):
    """``nn("layer_norm")``: ``LayerNorm`` over the last dimension."""

    def __init__(self, id: str = "nn_layer_norm") -> None:  # noqa: A002
        tags = {"train"}
        super().__init__(id, param_set=ps(
            eps=p_dbl(0, default=1e-5, tags=tags),
            elementwise_affine=p_lgl(default=True, tags=tags)), label="Layer normalisation")

    def _build(self, md: ModelDescriptor, shapes: list[Shape],
               params: dict[str, Any]) -> tuple[Callable[[], nn.Module], Shape]:
        n = self._in_features(shapes[0], "nn('layer_norm')")
        return functools.partial(nn.LayerNorm, n, **params), shapes[0]


class CategoricalEmbedding(nn.Module):
    """One embedding table per code column (cardinalities include the unknown code 0).

    Input ``(n, k)`` int64 codes; output ``(n, k, embedding_dim)``. The tables
    are stored as one ``nn.Embedding`` with per-column offsets.
    """

    offsets: torch.Tensor

    def __init__(self, cardinalities: tuple[int, ...], embedding_dim: int) -> None:
        super().__init__()
        self.embedding = nn.Embedding(sum(cardinalities), embedding_dim)
        starts = [0, *itertools.accumulate(cardinalities)][:-1]
        self.register_buffer("offsets", torch.tensor(starts, dtype=torch.int64))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.embedding(x + self.offsets)


class PipeOpTorchEmbedding(PipeOpTorch):
    """``nn("embedding", embedding_dim=)``: embeds the codes of ``po("torch_ingress_categ")``.

    Each column gets its own table with a row per training level plus one for
    code 0 (missing or unseen levels). Output shape ``(n, columns, embedding_dim)``;
    follow it with ``nn("flatten")`` before a linear layer.
    """

    def __init__(self, id: str = "nn_embedding") -> None:  # noqa: A002
        super().__init__(id, param_set=ps(embedding_dim=p_int(1, tags={"train", "required"})),
                         label="Embeddings of categorical codes")

    def _build(self, md: ModelDescriptor, shapes: list[Shape],
               params: dict[str, Any]) -> tuple[Callable[[], nn.Module], Shape]:
        ingress = md.ingress.get(md.pointer)
        if ingress is None or ingress.levels is None:
            raise ConfigError(
                f"PipeOp '{self.id}' (nn('embedding')) must directly follow "
                f"po('torch_ingress_categ'); it follows '{md.pointer}'."
            )
        dim = int(params["embedding_dim"])
        return (functools.partial(CategoricalEmbedding, ingress.levels.cardinalities, dim),
                (None, ingress.levels.n_features, dim))


class PipeOpTorchFlatten(PipeOpTorch):
    """``nn("flatten")``: ``Flatten(start_dim=1, end_dim=-1)``."""

    def __init__(self, id: str = "nn_flatten") -> None:  # noqa: A002
        super().__init__(id, param_set=ps(start_dim=p_int(1, default=1, tags={"train"}),
                                          end_dim=p_int(default=-1, tags={"train"})),
                         label="Flatten")

    def _build(self, md: ModelDescriptor, shapes: list[Shape],
               params: dict[str, Any]) -> tuple[Callable[[], nn.Module], Shape]:
        shape = shapes[0]
        start, end = params["start_dim"], params["end_dim"] % len(shape)
        if start > end:
            raise ConfigError(f"PipeOp '{self.id}' cannot flatten dimensions {start}..{end} of "
                              f"shape {list(shape)}.")
        size: int | None = 1
        for d in shape[start:end + 1]:
            size = None if d is None or size is None else size * d
        return (functools.partial(nn.Flatten, start, params["end_dim"]),
                (*shape[:start], size, *shape[end + 1:]))


class MergeSum(nn.Module):
    """The sum of its inputs."""

    def forward(self, *xs: torch.Tensor) -> torch.Tensor:
        out = xs[0]
        for x in xs[1:]:
            out = out + x
        return out


class MergeCat(nn.Module):
    """Its inputs concatenated along ``dim``."""

    def __init__(self, dim: int = -1) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, *xs: torch.Tensor) -> torch.Tensor:
        return torch.cat(xs, dim=self.dim)


class PipeOpTorchMergeSum(PipeOpTorch):
    """``nn("merge_sum")``: the sum of any number of branches of equal shape."""

    def __init__(self, id: str = "nn_merge_sum") -> None:  # noqa: A002
        super().__init__(id, vararg=True, label="Sum of branches")

    def _build(self, md: ModelDescriptor, shapes: list[Shape],
               params: dict[str, Any]) -> tuple[Callable[[], nn.Module], Shape]:
        if len(set(shapes)) != 1:
            raise ConfigError(f"PipeOp '{self.id}' (nn('merge_sum')) needs branches of one "
                              f"shape; got {[list(s) for s in shapes]}.")
        return MergeSum, shapes[0]


class PipeOpTorchMergeCat(PipeOpTorch):
    """``nn("merge_cat", dim=-1)``: the branches concatenated along ``dim``."""

    def __init__(self, id: str = "nn_merge_cat") -> None:  # noqa: A002
        super().__init__(id, param_set=ps(dim=p_int(default=-1, tags={"train"})),
                         vararg=True, label="Concatenation of branches")

    def _build(self, md: ModelDescriptor, shapes: list[Shape],
               params: dict[str, Any]) -> tuple[Callable[[], nn.Module], Shape]:
        dim = params["dim"] % len(shapes[0])
        rest = {(*s[:dim], *s[dim + 1:]) for s in shapes}
        sizes = [s[dim] for s in shapes]
        if len({len(s) for s in shapes}) != 1 or len(rest) != 1 or None in sizes or dim == 0:
            raise ConfigError(f"PipeOp '{self.id}' (nn('merge_cat')) needs branches that differ "
                              f"only in dimension {params['dim']} (not the batch dimension); "
                              f"got shapes {[list(s) for s in shapes]}.")
        total = sum(int(s) for s in sizes if s is not None)
        shape = (*shapes[0][:dim], total, *shapes[0][dim + 1:])
        return functools.partial(MergeCat, params["dim"]), shape


def head_size(md: ModelDescriptor) -> int:
    """Output units the task needs: 1 (regression, two classes) or the number of classes."""
    task = md.task
    if isinstance(task, TaskClassif):
        k = len(task.class_names)
        return 1 if k == 2 else k
    return 1


class PipeOpTorchHead(PipeOpTorch):
    """``nn("head")``: the output layer, ``Linear(in, n_out)`` with ``n_out`` from the task."""

    is_head = True

    def __init__(self, id: str = "nn_head") -> None:  # noqa: A002
        super().__init__(id, param_set=ps(bias=p_lgl(default=True, tags={"train"})),
                         label="Output layer sized from the task")

    def _build(self, md: ModelDescriptor, shapes: list[Shape],
               params: dict[str, Any]) -> tuple[Callable[[], nn.Module], Shape]:
        shape = shapes[0]
        if len(shape) != 2:
            raise ConfigError(f"PipeOp '{self.id}' (nn('head')) needs a 2-dimensional input "
                              f"(batch, features); got shape {list(shape)}. Put nn('flatten') "
                              f"before it.")
        n_in = self._in_features(shape, "nn('head')")
        out = head_size(md)
        return functools.partial(nn.Linear, n_in, out, bias=params["bias"]), (None, out)
