"""Callbacks of torch learners: :class:`Callback` and the built-in ones.

A callback is a class with no-op hooks that take keyword arguments only and
return a *stop flag*: a truthy return value asks the training to stop (after
the current batch for batch hooks, after the current epoch otherwise) instead
of raising. Every hook receives ``ctx``, the
:class:`~mlr3py.torch._training.TrainContext` (network, optimizer, datasets,
epoch, history, ...); some receive more:

============================  =========================================================
hook                          extra keyword arguments
============================  =========================================================
``on_begin``                  --
``on_epoch_begin``            ``epoch`` (1-based)
``on_batch_begin``            ``batch`` (0-based index within the epoch), ``idx``
``on_batch_end``              ``batch``, ``idx``, ``loss`` (a 0-d tensor)
``on_epoch_end``              ``epoch``, ``logs`` (dict: ``train.loss``, ``valid.*``, ...)
``on_end``                    --
============================  =========================================================

All ``on_epoch_end`` hooks run before the flags are combined, and the built-in
:class:`History` runs last, so other callbacks may add entries to ``logs``
(:class:`LRScheduler` adds ``lr``, the rate the epoch ran with). Give the
learner callback instances (they are copied for every training, so state never
leaks between trainings) or classes (instantiated without arguments) through
its ``callbacks`` parameter.
"""

from __future__ import annotations

import copy
import math
from pathlib import Path
from typing import Any

import pandas as pd
import torch

from mlr3py.errors import ConfigError
from mlr3py.registry import did_you_mean

__all__ = [
    "CALLBACKS",
    "Callback",
    "Checkpoint",
    "EarlyStopping",
    "History",
    "LRScheduler",
    "Progress",
    "callback_class",
]


class Callback:
    """Base class: every hook does nothing and returns ``None`` (do not stop)."""

    def on_begin(self, *, ctx: Any, **kwargs: Any) -> bool | None:
        """Called once before the first epoch."""
        return None

    def on_epoch_begin(self, *, ctx: Any, epoch: int, **kwargs: Any) -> bool | None:
        """Called at the start of each epoch."""
        return None

    def on_batch_begin(self, *, ctx: Any, batch: int, idx: Any, **kwargs: Any) -> bool | None:
        """Called before each batch's forward pass."""
        return None

    def on_batch_end(self, *, ctx: Any, batch: int, idx: Any, **kwargs: Any) -> bool | None:
        """Called after each optimizer step."""
        return None

    def on_epoch_end(
        self, *, ctx: Any, epoch: int, logs: dict[str, Any], **kwargs: Any
    ) -> bool | None:
        """Called after each epoch, once training and validation measures are in ``logs``."""
        return None

    def on_end(self, *, ctx: Any, **kwargs: Any) -> bool | None:
        """Called once after the last epoch (also after an early stop)."""
        return None

    def __repr__(self) -> str:
        fields = ", ".join(f"{k}={v!r}" for k, v in vars(self).items() if not k.startswith("_"))
        return f"{type(self).__name__}({fields})"


def overrides(callback: Callback, hook: str) -> bool:
    """Whether ``callback`` implements ``hook`` (the training loop skips no-op hooks)."""
    return getattr(type(callback), hook, None) is not getattr(Callback, hook)


def as_callbacks(value: Any, owner: str) -> list[Callback]:
    """Fresh callback objects from the ``callbacks`` parameter (instances are deep-copied,
    classes and names of :data:`CALLBACKS` taking no arguments are instantiated)."""
    items = [] if value is None else list(value) if isinstance(value, list | tuple) else [value]
    out: list[Callback] = []
    for item in items:
        if isinstance(item, str):
            item = callback_class(item)
        if isinstance(item, type) and issubclass(item, Callback):
            try:
                out.append(item())
            except TypeError as exc:
                raise ConfigError(
                    f"The callback {item.__name__} in the 'callbacks' parameter of {owner} "
                    f"needs arguments ({exc}). Pass an instance, e.g. t_clbk(name, ...)."
                ) from None
        elif isinstance(item, Callback):
            out.append(copy.deepcopy(item))
        else:
            raise ConfigError(
                f"The 'callbacks' parameter of {owner} must hold Callback instances, "
                f"classes or names ({sorted(CALLBACKS)}). Got {item!r} instead."
            )
    return out


class History(Callback):
    """Records the ``logs`` of every epoch; the learner keeps them in ``model.history``.

    Attributes
    ----------
    records : list of dict
        One dict per epoch: ``epoch``, ``train.loss``, ``train.<measure>``,
        ``valid.loss``, ``valid.<measure>`` and entries other callbacks add.
    """

    def __init__(self) -> None:
        self.records: list[dict[str, Any]] = []

    def on_epoch_end(self, *, logs: dict[str, Any], **kwargs: Any) -> None:
        self.records.append(dict(logs))

    def frame(self) -> pd.DataFrame:
        """The records as a DataFrame, one row per epoch."""
        return pd.DataFrame.from_records(self.records, columns=_columns(self.records))


def _columns(records: list[dict[str, Any]]) -> list[str]:
    cols: dict[str, None] = {"epoch": None}
    for rec in records:
        cols.update(dict.fromkeys(rec))
    return list(cols)


class Progress(Callback):
    """A tqdm progress bar over the epochs, showing the latest logs.

    Parameters
    ----------
    leave : bool
        Keep the bar on screen when training ends.
    **tqdm_args
        Passed to ``tqdm.tqdm`` (e.g. ``file=sys.stdout``, ``disable=True``).
    """

    def __init__(self, leave: bool = True, **tqdm_args: Any) -> None:
        self.leave = leave
        self.tqdm_args = tqdm_args
        self._bar: Any = None

    def on_begin(self, *, ctx: Any, **kwargs: Any) -> None:
        from tqdm.auto import tqdm

        self._bar = tqdm(total=ctx.epochs, unit="epoch", leave=self.leave, **self.tqdm_args)

    def on_epoch_end(self, *, logs: dict[str, Any], **kwargs: Any) -> None:
        if self._bar is not None:
            shown = {k: f"{v:.4g}" for k, v in logs.items() if k != "epoch" and _is_num(v)}
            self._bar.set_postfix(shown, refresh=False)
            self._bar.update(1)

    def on_end(self, **kwargs: Any) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None

    def __deepcopy__(self, memo: dict[int, Any]) -> Progress:
        return Progress(self.leave, **self.tqdm_args)


def _is_num(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


class Checkpoint(Callback):
    """Saves network and optimizer states every ``freq`` epochs, and after the last one.

    Files: ``<path>/network<epoch>.pt`` and ``<path>/optimizer<epoch>.pt``
    (``state_dict()`` written with :func:`torch.save`).

    Parameters
    ----------
    path : str or Path
        The directory (created when missing).
    freq : int
        Save every ``freq`` epochs (>= 1).
    """

    def __init__(self, path: str | Path, freq: int = 1) -> None:
        if isinstance(freq, bool) or not isinstance(freq, int) or freq < 1:
            raise ConfigError(f"The 'freq' of Checkpoint must be an int >= 1. Got {freq!r}.")
        self.path = Path(path)
        self.freq = freq
        self._saved: int | None = None

    def _save(self, ctx: Any) -> None:
        self.path.mkdir(parents=True, exist_ok=True)
        torch.save(ctx.network.state_dict(), self.path / f"network{ctx.epoch}.pt")
        torch.save(ctx.optimizer.state_dict(), self.path / f"optimizer{ctx.epoch}.pt")
        self._saved = ctx.epoch

    def on_epoch_end(self, *, ctx: Any, epoch: int, **kwargs: Any) -> None:
        if epoch % self.freq == 0:
            self._save(ctx)

    def on_end(self, *, ctx: Any, **kwargs: Any) -> None:
        if ctx.epoch > 0 and self._saved != ctx.epoch:
            self._save(ctx)


class EarlyStopping(Callback):
    """Stops when the monitored validation score has not improved for ``patience`` epochs.

    The learner adds one when its ``patience`` parameter is > 0.

    Parameters
    ----------
    patience : int
        Epochs without improvement before stopping (>= 1).
    min_delta : float
        The smallest change that counts as an improvement.
    monitor : str, optional
        The ``logs`` entry to watch, e.g. ``"valid.classif.ce"``; by default the
        first ``measures_valid`` measure, else ``"valid.loss"``.
    minimize : bool, optional
        Whether lower is better; by default taken from the measure.
    restore_best : bool
        Load the weights of the best epoch when stopping or at the end.

    Attributes
    ----------
    best_epoch : int or None
        The epoch with the best monitored value.
    best : float
        That value.
    """

    def __init__(
        self,
        patience: int,
        min_delta: float = 0.0,
        monitor: str | None = None,
        minimize: bool | None = None,
        restore_best: bool = False,
    ) -> None:
        if isinstance(patience, bool) or not isinstance(patience, int) or patience < 1:
            raise ConfigError(
                f"The 'patience' of EarlyStopping must be an int >= 1. Got {patience!r}."
            )
        self.patience = patience
        self.min_delta = float(min_delta)
        self.monitor = monitor
        self.minimize = minimize
        self.restore_best = restore_best
        self.best_epoch: int | None = None
        self.best = math.nan
        self._wait = 0
        self._best_state: dict[str, Any] | None = None

    def on_begin(self, *, ctx: Any, **kwargs: Any) -> None:
        if ctx.valid_set is None:
            raise ConfigError(
                f"Early stopping of {ctx.owner} needs a validation set: set the 'validate' "
                f"parameter (a ratio, or 'test' inside resample())."
            )
        if self.monitor is None:
            self.monitor, default_min = ctx.monitor, ctx.monitor_minimize
        else:
            default_min = True
        if self.minimize is None:
            self.minimize = default_min

    def on_epoch_end(self, *, ctx: Any, epoch: int, logs: dict[str, Any], **kwargs: Any) -> bool:
        if self._skipped(ctx, epoch):
            return False
        if self.monitor not in logs:
            raise ConfigError(
                f"EarlyStopping monitors '{self.monitor}', which is not logged by "
                f"{ctx.owner}." + did_you_mean(str(self.monitor), list(logs))
            )
        value = float(logs[self.monitor])
        sign = 1.0 if self.minimize else -1.0
        if self.best_epoch is None or sign * (self.best - value) > self.min_delta:
            self.best, self.best_epoch, self._wait = value, epoch, 0
            if self.restore_best:
                self._best_state = copy.deepcopy(ctx.network.state_dict())
            return False
        self._wait += 1
        return self._wait >= self.patience

    def _skipped(self, ctx: Any, epoch: int) -> bool:
        """An epoch without validation under ``eval_freq`` (its valid.* are not logged)."""
        validated = epoch % getattr(ctx, "eval_freq", 1) == 0 or epoch == ctx.epochs
        return not validated and str(self.monitor).startswith("valid.")

    def on_end(self, *, ctx: Any, **kwargs: Any) -> None:
        if self.restore_best and self._best_state is not None:
            ctx.network.load_state_dict(self._best_state)


_SCHEDULERS: dict[str, type] = {
    "step": torch.optim.lr_scheduler.StepLR,
    "multi_step": torch.optim.lr_scheduler.MultiStepLR,
    "exponential": torch.optim.lr_scheduler.ExponentialLR,
    "cosine": torch.optim.lr_scheduler.CosineAnnealingLR,
    "one_cycle": torch.optim.lr_scheduler.OneCycleLR,
    "plateau": torch.optim.lr_scheduler.ReduceLROnPlateau,
}


class LRScheduler(Callback):
    """Changes the learning rate with a ``torch.optim.lr_scheduler`` scheduler.

    Parameters
    ----------
    scheduler : str or type
        ``"step"`` (StepLR), ``"multi_step"``, ``"exponential"``, ``"cosine"``
        (CosineAnnealingLR; ``T_max`` defaults to the number of epochs),
        ``"one_cycle"`` (OneCycleLR; stepped per batch, ``total_steps``
        defaults to epochs x batches per epoch), ``"plateau"``
        (ReduceLROnPlateau; stepped with the monitored value), or a scheduler
        class taking the optimizer first.
    step_on : {"epoch", "batch"}, optional
        When to call ``step()``; ``"batch"`` for one-cycle, else ``"epoch"``.
    monitor : str, optional
        The ``logs`` entry ReduceLROnPlateau watches (default: as
        :class:`EarlyStopping`, ``"train.loss"`` without validation).
    **args
        Arguments of the scheduler, e.g. ``step_size=10, gamma=0.5``.

    Examples
    --------
    >>> LRScheduler("step", step_size=5, gamma=0.1)   # doctest: +SKIP
    >>> LRScheduler("one_cycle", max_lr=0.1)          # doctest: +SKIP
    """

    def __init__(
        self,
        scheduler: str | type,
        step_on: str | None = None,
        monitor: str | None = None,
        **args: Any,
    ) -> None:
        if isinstance(scheduler, str):
            if scheduler not in _SCHEDULERS:
                raise ConfigError(
                    f"Unknown learning-rate scheduler '{scheduler}'. Use one of "
                    f"{sorted(_SCHEDULERS)} or a scheduler class."
                    + did_you_mean(scheduler, _SCHEDULERS)
                )
            scheduler = _SCHEDULERS[scheduler]
        elif not callable(scheduler):
            raise ConfigError(f"LRScheduler needs a name or a class. Got {scheduler!r}.")
        if step_on is None:
            step_on = "batch" if scheduler is torch.optim.lr_scheduler.OneCycleLR else "epoch"
        if step_on not in ("epoch", "batch"):
            raise ConfigError(f"step_on must be 'epoch' or 'batch'. Got {step_on!r} instead.")
        self.scheduler = scheduler
        self.step_on = step_on
        self.monitor = monitor
        self.args = args
        self._sched: Any = None

    def on_begin(self, *, ctx: Any, **kwargs: Any) -> None:
        args = dict(self.args)
        cls = self.scheduler
        if cls is torch.optim.lr_scheduler.CosineAnnealingLR:
            args.setdefault("T_max", max(ctx.epochs, 1))
        if cls is torch.optim.lr_scheduler.OneCycleLR and not (
            {"total_steps", "epochs", "steps_per_epoch"} & set(args)
        ):
            args["total_steps"] = max(ctx.epochs * (ctx.n_batches or 1), 1)
        if self.monitor is None:
            self.monitor = ctx.monitor if ctx.valid_set is not None else "train.loss"
        self._sched = cls(ctx.optimizer, **args)

    def _plateau(self) -> bool:
        return isinstance(self._sched, torch.optim.lr_scheduler.ReduceLROnPlateau)

    def on_batch_end(self, **kwargs: Any) -> None:
        if self.step_on == "batch" and not self._plateau():
            self._sched.step()

    def on_epoch_end(self, *, ctx: Any, logs: dict[str, Any], **kwargs: Any) -> None:
        logs["lr"] = float(ctx.optimizer.param_groups[0]["lr"])  # the rate this epoch used
        if self.step_on == "epoch":
            if self._plateau():
                assert self.monitor is not None  # chosen in on_begin
                if self.monitor in logs:  # not on epochs without validation (eval_freq)
                    self._sched.step(float(logs[self.monitor]))
            else:
                self._sched.step()

    def __deepcopy__(self, memo: dict[int, Any]) -> LRScheduler:
        return LRScheduler(self.scheduler, self.step_on, self.monitor, **copy.deepcopy(self.args))


#: Callback names (mlr3torch's ``t_clbk()`` keys) and the classes they stand for;
#: ``callbacks="history"`` and ``t_clbk("checkpoint", path=...)`` look them up here.
CALLBACKS: dict[str, type[Callback]] = {
    "history": History,
    "progress": Progress,
    "checkpoint": Checkpoint,
    "early_stopping": EarlyStopping,
    "lr_scheduler": LRScheduler,
}


def callback_class(name: str) -> type[Callback]:
    """The callback class called ``name`` in :data:`CALLBACKS`.

    Raises
    ------
    ConfigError
        If ``name`` is unknown (with the closest names).
    """
    try:
        return CALLBACKS[name]
    except KeyError:
        raise ConfigError(
            f"Unknown callback '{name}'. Use one of {sorted(CALLBACKS)}, "
            "'lr_scheduler_<name>' with t_clbk(), or a Callback instance."
            + did_you_mean(name, CALLBACKS)
        ) from None
