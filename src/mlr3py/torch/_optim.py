"""Resolve the ``optimizer``, ``loss`` and ``activation`` parameters of torch learners.

Each parameter takes a name (``"adam"``, ``"cross_entropy"``, ``"relu"``), a
class, or (for losses and activations) an instance. Names are looked up in the
tables below; an unknown name raises a :class:`~mlr3py.errors.ConfigError`
with suggestions.

Optimizer arguments are plain learner parameters (``lr``, ``weight_decay``,
``momentum``, ``betas``, ``eps``, ``nesterov``, ``amsgrad``) plus ``opt_args``
(a dict) for anything else. Only the arguments that are set are passed, and
an argument the optimizer does not take is an error, never silently dropped.
"""

from __future__ import annotations

import copy
import inspect
from collections.abc import Callable, Mapping
from typing import Any

import torch
from torch import nn

from mlr3py.errors import ConfigError
from mlr3py.registry import did_you_mean

__all__ = [
    "ACTIVATIONS",
    "LOSSES",
    "OPTIMIZERS",
    "OPTIMIZER_ARGS",
    "check_activation",
    "check_loss",
    "check_optimizer",
    "make_activation",
    "make_loss",
    "make_optimizer",
]

OPTIMIZERS: dict[str, type[torch.optim.Optimizer]] = {
    "adam": torch.optim.Adam,
    "adamw": torch.optim.AdamW,
    "sgd": torch.optim.SGD,
    "rmsprop": torch.optim.RMSprop,
    "adagrad": torch.optim.Adagrad,
    "adadelta": torch.optim.Adadelta,
    "adamax": torch.optim.Adamax,
    "nadam": torch.optim.NAdam,
    "radam": torch.optim.RAdam,
}
"""Optimizer names accepted by the ``optimizer`` parameter."""

OPTIMIZER_ARGS: tuple[str, ...] = (
    "lr", "weight_decay", "momentum", "betas", "eps", "nesterov", "amsgrad",
)
"""Learner parameters passed to the optimizer when set."""

LOSSES: dict[str, type[nn.Module]] = {
    "cross_entropy": nn.CrossEntropyLoss,
    "bce_with_logits": nn.BCEWithLogitsLoss,
    "mse": nn.MSELoss,
    "l1": nn.L1Loss,
    "huber": nn.HuberLoss,
    "smooth_l1": nn.SmoothL1Loss,
}
"""Loss names accepted by the ``loss`` parameter."""

ACTIVATIONS: dict[str, type[nn.Module]] = {
    "relu": nn.ReLU,
    "leaky_relu": nn.LeakyReLU,
    "elu": nn.ELU,
    "selu": nn.SELU,
    "gelu": nn.GELU,
    "silu": nn.SiLU,
    "tanh": nn.Tanh,
    "sigmoid": nn.Sigmoid,
}
"""Activation names accepted by the ``activation`` parameter."""

# losses that take one logit per class and integer class codes as target
_MULTI_OUTPUT_LOSSES = (nn.CrossEntropyLoss, nn.NLLLoss, nn.MultiMarginLoss)


def _is_subclass(value: Any, base: type | tuple[type, ...]) -> bool:
    return isinstance(value, type) and issubclass(value, base)


def _named(kind: str, value: str, table: Mapping[str, Any]) -> Any:
    try:
        return table[value.lower()]
    except KeyError:
        raise ConfigError(
            f"Unknown {kind} '{value}'. Use one of {sorted(table)}, or pass a class."
            + did_you_mean(value.lower(), table)
        ) from None


def check_optimizer(value: Any) -> bool | str:
    """Custom check of the ``optimizer`` parameter (a name or an Optimizer subclass)."""
    if isinstance(value, str) and value.lower() in OPTIMIZERS:
        return True
    if _is_subclass(value, torch.optim.Optimizer):
        return True
    return f"one of {sorted(OPTIMIZERS)} or a torch.optim.Optimizer subclass"


def check_loss(value: Any) -> bool | str:
    """Custom check of the ``loss`` parameter."""
    if value is None or (isinstance(value, str) and value.lower() in LOSSES):
        return True
    if _is_subclass(value, nn.Module) or isinstance(value, nn.Module) or callable(value):
        return True
    return f"None, one of {sorted(LOSSES)}, a torch loss class or instance, or a callable"


def check_activation(value: Any) -> bool | str:
    """Custom check of the ``activation`` parameter."""
    if isinstance(value, str) and value.lower() in ACTIVATIONS:
        return True
    if _is_subclass(value, nn.Module) or isinstance(value, nn.Module):
        return True
    return f"one of {sorted(ACTIVATIONS)} or a torch.nn.Module class or instance"


def make_optimizer(
    spec: Any, parameters: Any, args: Mapping[str, Any], owner: str
) -> torch.optim.Optimizer:
    """Build the optimizer for ``parameters``.

    Parameters
    ----------
    spec : str or type
        A name from :data:`OPTIMIZERS` or a ``torch.optim.Optimizer`` subclass.
    parameters : iterable
        The network's parameters.
    args : mapping
        Keyword arguments (only those the user set).
    owner : str
        How to name the learner in messages, e.g. ``"Learner 'classif.mlp'"``.

    Raises
    ------
    ConfigError
        If an argument is not accepted by the optimizer.
    """
    cls = _named("optimizer", spec, OPTIMIZERS) if isinstance(spec, str) else spec
    try:
        accepted = inspect.signature(cls).parameters
    except (TypeError, ValueError):  # pragma: no cover - exotic optimizers
        accepted = None
    if accepted is not None and not any(
        p.kind is inspect.Parameter.VAR_KEYWORD for p in accepted.values()
    ):
        bad = sorted(set(args) - set(accepted))
        if bad:
            raise ConfigError(
                f"The optimizer {cls.__name__} of {owner} takes no argument(s) {bad}. "
                f"Unset them or choose an optimizer that takes them."
            )
    return cls(parameters, **args)


def is_multi_output_loss(spec: Any) -> bool:
    """Whether the loss takes one logit per class (cross-entropy style) for two classes."""
    if isinstance(spec, str):
        return spec.lower() == "cross_entropy"
    return _is_subclass(spec, _MULTI_OUTPUT_LOSSES) or isinstance(spec, _MULTI_OUTPUT_LOSSES)


def make_loss(spec: Any, task_type: str, n_classes: int) -> Callable[..., torch.Tensor]:
    """The loss function ``loss(output, target)``.

    ``None`` means cross-entropy (multiclass), BCE-with-logits (two classes) or
    MSE (regression). A class is instantiated without arguments; an instance or
    any other callable is used as is.
    """
    if spec is None:
        if task_type == "regr":
            return nn.MSELoss()
        return nn.BCEWithLogitsLoss() if n_classes == 2 else nn.CrossEntropyLoss()
    if isinstance(spec, str):
        return _named("loss", spec, LOSSES)()
    if isinstance(spec, type):
        return spec()
    return spec


def make_activation(spec: Any) -> nn.Module:
    """A fresh activation module (an instance is copied, so layers never share one)."""
    if isinstance(spec, str):
        return _named("activation", spec, ACTIVATIONS)()
    if isinstance(spec, type):
        return spec()
    return copy.deepcopy(spec)
