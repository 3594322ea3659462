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
from dataclasses import dataclass, field
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
    "TorchOptimizer",
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

LOSS_TASK_TYPES: dict[type[nn.Module], str] = {
    nn.CrossEntropyLoss: "classif",
    nn.NLLLoss: "classif",
    nn.MultiMarginLoss: "classif",
    nn.BCEWithLogitsLoss: "classif",
    nn.BCELoss: "classif",
    nn.MSELoss: "regr",
    nn.L1Loss: "regr",
    nn.HuberLoss: "regr",
    nn.SmoothL1Loss: "regr",
    nn.PoissonNLLLoss: "regr",
}
"""The task type each torch loss fits (losses not listed here are not checked)."""


@dataclass
class TorchOptimizer:
    """An optimizer with its arguments (mlr3torch's ``t_opt("adam", lr=0.01)``).

    The learner's ``optimizer`` parameter takes it like a name; the learner's
    own optimizer parameters (``lr``, ``opt_args``, ...) override ``args``.

    Parameters
    ----------
    optimizer : str or type
        A name from :data:`OPTIMIZERS` or a ``torch.optim.Optimizer`` subclass.
    args : dict
        Keyword arguments of the optimizer.
    """

    optimizer: str | type[torch.optim.Optimizer]
    args: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if isinstance(self.optimizer, str):
            _named("optimizer", self.optimizer, OPTIMIZERS)
        elif not _is_subclass(self.optimizer, torch.optim.Optimizer):
            raise ConfigError(
                f"TorchOptimizer needs a name from {sorted(OPTIMIZERS)} or a "
                f"torch.optim.Optimizer subclass. Got {self.optimizer!r} instead."
            )

    def __repr__(self) -> str:
        name = self.optimizer if isinstance(self.optimizer, str) else self.optimizer.__name__
        args = ", ".join(f"{k}={v!r}" for k, v in self.args.items())
        return f"t_opt({name!r}{', ' + args if args else ''})"


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
    if _is_subclass(value, torch.optim.Optimizer) or isinstance(value, TorchOptimizer):
        return True
    hint = did_you_mean(value.lower(), OPTIMIZERS) if isinstance(value, str) else ""
    return f"one of {sorted(OPTIMIZERS)}, t_opt(...) or a torch.optim.Optimizer subclass{hint}"


def check_loss(value: Any) -> bool | str:
    """Custom check of the ``loss`` parameter."""
    if value is None or (isinstance(value, str) and value.lower() in LOSSES):
        return True
    if _is_subclass(value, nn.Module) or isinstance(value, nn.Module) or callable(value):
        return True
    hint = did_you_mean(value.lower(), LOSSES) if isinstance(value, str) else ""
    return (f"None, one of {sorted(LOSSES)}, a torch loss class or instance (t_loss(...)), "
            f"or a callable{hint}")


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
    if isinstance(spec, TorchOptimizer):
        spec, args = spec.optimizer, {**spec.args, **args}
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


def _check_loss_task_type(spec: Any, task_type: str, owner: str) -> None:
    cls = _named("loss", spec, LOSSES) if isinstance(spec, str) else spec
    if not isinstance(cls, type):
        cls = type(cls)
    fits = next((t for base, t in LOSS_TASK_TYPES.items() if issubclass(cls, base)), None)
    if fits is not None and fits != task_type:
        names = sorted(k for k, v in LOSSES.items() if LOSS_TASK_TYPES.get(v) == task_type)
        what = {"classif": "classification", "regr": "regression"}
        raise ConfigError(
            f"The loss {spec!r} of {owner} is a {what.get(fits, fits)} loss, but the task "
            f"is a {what.get(task_type, task_type)} task. Use one of {names}, or leave "
            "'loss' unset for the default."
        )


def make_loss(
    spec: Any, task_type: str, n_classes: int, owner: str = "the learner"
) -> Callable[..., torch.Tensor]:
    """The loss function ``loss(output, target)``.

    ``None`` means cross-entropy (multiclass), BCE-with-logits (two classes) or
    MSE (regression). A class is instantiated without arguments; an instance or
    any other callable is used as is.

    Raises
    ------
    ConfigError
        If the loss is a known torch loss for another task type (see
        :data:`LOSS_TASK_TYPES`), e.g. ``"mse"`` for a classification task.
    """
    if spec is not None:
        _check_loss_task_type(spec, task_type, owner)
    if spec is None:
        if task_type == "regr":
            return nn.MSELoss()
        return nn.BCEWithLogitsLoss() if n_classes == 2 else nn.CrossEntropyLoss()
    if isinstance(spec, str):
        return _named("loss", spec, LOSSES)()
    if isinstance(spec, type):
        return spec()
    return spec


def make_activation(spec: Any, args: Mapping[str, Any] | None = None) -> nn.Module:
    """A fresh activation module (an instance is copied, so layers never share one).

    ``args`` are passed to the class of a name or class; an instance takes none.
    """
    args = dict(args or {})
    if isinstance(spec, str):
        spec = _named("activation", spec, ACTIVATIONS)
    if isinstance(spec, type):
        try:
            return spec(**args)
        except TypeError as exc:
            raise ConfigError(
                f"The activation {spec.__name__} cannot be built with {args}: {exc}."
            ) from None
    if args:
        raise ConfigError(
            f"The activation {spec!r} is an instance, so it takes no activation_args "
            f"{args}. Give its name or class instead."
        )
    return copy.deepcopy(spec)
