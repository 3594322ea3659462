"""mlr3torch's sugar for optimizers, losses and callbacks: ``t_opt``, ``t_loss``, ``t_clbk``.

>>> from mlr3py import lrn
>>> from mlr3py.torch import t_clbk, t_loss, t_opt
>>> learner = lrn(
...     "classif.mlp", epochs=10, batch_size=32, optimizer=t_opt("adam", lr=0.01),
...     loss=t_loss("cross_entropy"), callbacks=t_clbk("history"),
... )

``t_opts()``, ``t_losses()`` and ``t_clbks()`` take several names (no
arguments) and return a list; called without names they list the keys.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from torch import nn

from mlr3py.errors import ConfigError
from mlr3py.params import TuneToken
from mlr3py.registry import did_you_mean
from mlr3py.torch._optim import LOSSES, OPTIMIZERS, TorchOptimizer
from mlr3py.torch.callbacks import _SCHEDULERS, CALLBACKS, Callback, LRScheduler

__all__ = ["t_clbk", "t_clbks", "t_loss", "t_losses", "t_opt", "t_opts"]

# mlr3torch's scheduler callback names -> LRScheduler's names
_LR_NAMES = {
    "lr_scheduler_step": "step",
    "lr_scheduler_multi_step": "multi_step",
    "lr_scheduler_exponential": "exponential",
    "lr_scheduler_cosine_annealing": "cosine",
    "lr_scheduler_one_cycle": "one_cycle",
    "lr_scheduler_reduce_on_plateau": "plateau",
}
_LR_NAMES.update({f"lr_scheduler_{name}": name for name in _SCHEDULERS})


_NOT_HERE = {
    "tb": "the history (learner.history, autoplot(learner)) holds what it logs; a Callback "
          "whose on_epoch_end(logs=...) writes to torch.utils.tensorboard does the same.",
    "unfreeze": "freeze layers with requires_grad_(False) in a Callback's on_epoch_begin "
                "(ctx.network) instead.",
}


def _callback_keys() -> list[str]:
    return sorted({*CALLBACKS, *_LR_NAMES})


def t_opt(name: str | type, **args: Any) -> TorchOptimizer:
    """An optimizer with arguments, for a learner's ``optimizer`` parameter.

    Parameters
    ----------
    name : str or type
        One of :data:`~mlr3py.torch._optim.OPTIMIZERS` (``"adam"``, ``"sgd"``,
        ...) or a ``torch.optim.Optimizer`` subclass.
    **args
        The optimizer's arguments, e.g. ``lr=0.01``. The learner's own ``lr``
        (and the other optimizer parameters) override them when set.

    Raises
    ------
    ConfigError
        If the name is unknown (with the closest names), or an argument is a
        ``to_tune()`` token (tune the learner's parameter of that name instead).
    """
    tokens = sorted(k for k, v in args.items() if isinstance(v, TuneToken))
    if tokens:
        names = ", ".join(f"{k}=to_tune(...)" for k in tokens)
        raise ConfigError(
            f"t_opt() takes fixed values only; tune {tokens} through the learner's "
            f"parameters instead: lrn(..., {names}) (a graph: "
            f"po('torch_optimizer', ...).param_set.values['{tokens[0]}'] = to_tune(...))."
        )
    return TorchOptimizer(name.lower() if isinstance(name, str) else name, dict(args))


def t_loss(name: str | type[nn.Module], **args: Any) -> nn.Module:
    """A torch loss module, for a learner's ``loss`` parameter.

    Parameters
    ----------
    name : str or type
        One of :data:`~mlr3py.torch._optim.LOSSES` (``"cross_entropy"``,
        ``"mse"``, ...) or a loss class.
    **args
        Arguments of the loss class, e.g. ``weight=`` for cross-entropy.

    Raises
    ------
    ConfigError
        If the name is unknown or the class does not take ``args``.
    """
    cls = _lookup("loss", name, LOSSES) if isinstance(name, str) else name
    return _build(cls, args, "loss")


def t_clbk(name: str, **args: Any) -> Callback:
    """A callback, for a learner's ``callbacks`` parameter.

    Parameters
    ----------
    name : str
        ``"history"``, ``"progress"``, ``"checkpoint"`` (``path=``, ``freq=``),
        ``"early_stopping"`` (``patience=``, ...), ``"lr_scheduler"``
        (``scheduler=``, ...) or ``"lr_scheduler_<name>"`` for a scheduler of
        :class:`~mlr3py.torch.LRScheduler` (``"lr_scheduler_step"``,
        ``"lr_scheduler_cosine_annealing"``, ``"lr_scheduler_one_cycle"``,
        ``"lr_scheduler_reduce_on_plateau"``, ...), whose arguments follow.
    **args
        The callback's arguments.

    Raises
    ------
    ConfigError
        If the name is unknown or the callback does not take ``args``.
    """
    if name in _LR_NAMES:
        return LRScheduler(_LR_NAMES[name], **args)
    if name in _NOT_HERE:
        raise ConfigError(f"mlr3torch's callback '{name}' is not in mlr3py: {_NOT_HERE[name]}")
    cls = _lookup("callback", name, dict.fromkeys(_callback_keys()))
    return _build(CALLBACKS[cls] if isinstance(cls, str) else cls, args, "callback")


def t_opts(*names: str) -> list[TorchOptimizer] | list[str]:
    """One :func:`t_opt` per name; without names, the optimizer names."""
    return [t_opt(n) for n in names] if names else sorted(OPTIMIZERS)


def t_losses(*names: str) -> list[nn.Module] | list[str]:
    """One :func:`t_loss` per name; without names, the loss names."""
    return [t_loss(n) for n in names] if names else sorted(LOSSES)


def t_clbks(*names: str) -> list[Callback] | list[str]:
    """One :func:`t_clbk` per name; without names, the callback names."""
    return [t_clbk(n) for n in names] if names else _callback_keys()


def _lookup(kind: str, name: str, table: dict[str, Any]) -> Any:
    key = name.lower()
    if key not in table:
        raise ConfigError(
            f"Unknown {kind} '{name}'. Use one of {sorted(table)}." + did_you_mean(key, table)
        )
    return table[key] if table[key] is not None else key


def _build(cls: Callable[..., Any], args: dict[str, Any], kind: str) -> Any:
    try:
        return cls(**args)
    except TypeError as exc:
        name = getattr(cls, "__name__", repr(cls))
        raise ConfigError(f"The {kind} {name} cannot be built with {args}: {exc}.") from None
