"""The base of torch learners: :class:`LearnerTorch` and the :class:`TorchModel` it stores.

A subclass supplies the network through ``_network(task, n_features, n_outputs)``;
the base does the rest: encoding the task into tensors
(:class:`~mlr3py.torch.dataset.TaskDataset`), batching (default permutation,
``sampler`` or ``batch_sampler``), the optimizer, the loss, validation,
callbacks, seeding, threads and the device.

Parameters shared by every torch learner
----------------------------------------
epochs : int >= 0 (required)
batch_size : int >= 1
    Required unless ``batch_sampler`` is set; setting both is a
    :class:`~mlr3py.errors.ConfigError` at training (the batch sampler alone
    makes the training batches). Prediction runs in chunks of at least
    ``max(batch_size, 8192)`` rows (8192 with a batch sampler).
shuffle : bool, default True;  drop_last : bool, default False
    Not used with a ``batch_sampler``.
sampler, batch_sampler : class or factory
    Called as ``obj(dataset, generator=g)`` when it takes a ``generator``
    keyword, else ``obj(dataset)``, with the training
    :class:`~mlr3py.torch.dataset.TaskDataset`. Not used for prediction. At most one.
optimizer : str, torch.optim.Optimizer subclass or ``t_opt(name, **args)``, default "adam"
lr, weight_decay, momentum, betas, eps, nesterov, amsgrad : optimizer arguments
    Plain names (not mlr3torch's ``opt.lr``); passed only when set. ``opt_args``
    (a dict) takes any other argument.
loss : None, str, torch loss class or instance (``t_loss(name, **args)``), or callable
    A torch loss of the other task type (``"mse"`` for classification) is a
    :class:`~mlr3py.errors.ConfigError` at training.
    ``None``: cross-entropy (multiclass), BCE-with-logits on one output unit
    (two classes; target 1 = positive class), MSE (regression). Called as
    ``loss(output, target)``; the output has shape ``(n,)`` for two classes
    (unless the loss is cross-entropy style) and regression.
seed : "random" (default) or int >= 0
    Controls weight initialisation, dropout, the validation split and the
    batching (through the ``torch.Generator`` given to samplers). "random"
    draws one from numpy's global generator; the seed used is stored in the model.
    The global torch random state is left untouched.
device : "auto" (default: cuda when available, else cpu), "cpu", "cuda", ...
    A CUDA (or MPS) device this machine does not have is a
    :class:`~mlr3py.errors.ConfigError` at training.
num_threads : int >= 1, default 1 (tag ``threads``)
    ``torch.set_num_threads`` during train and predict, restored afterwards.
callbacks : Callback instance, class or name (``"history"``, ...), or a list of those
    ``t_clbk(name, ...)`` builds one with arguments; the copies that ran are
    kept in ``model.callbacks``.
measures_train, measures_valid : a measure or measure id, or a list of those
validate : None, a ratio in (0, 1), "test" or "predefined"
    "test": the resampling's test set (set by ``resample()`` / ``benchmark()``;
    an error in a plain ``train()``); "predefined": ``internal_valid_task`` as
    given (by a graph learner after ``set_validate()``, or by hand).
eval_freq : int >= 1, default 1
    Score the validation set every ``eval_freq`` epochs (and after the last
    epoch); the history has no ``valid.*`` values in between, and ``patience``
    counts these evaluations.
patience : int >= 0, default 0 (no early stopping);  min_delta : float >= 0

After training with ``validate`` set, ``learner.internal_valid_scores`` holds
the last epoch's ``measures_valid`` scores, keyed by measure id, and with
``patience`` > 0 ``learner.internal_tuned_values`` holds ``{"epochs": best
epoch}`` (as mlr3torch; properties ``"validation"`` and ``"internal_tuning"``).
Both live in the learner's state, so ``resample()`` keeps them without
``store_models=True`` and ``msr("internal_valid_score")`` scores them.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import pandas as pd
import torch
from torch import nn

from mlr3py.errors import ConfigError, InputError
from mlr3py.learners._base import Learner
from mlr3py.learners._encode import FeatureEncoder
from mlr3py.learners._validation import missing_valid_task_error
from mlr3py.predictions import PredictionData
from mlr3py.reflections import PREDICT_TYPES
from mlr3py.tasks import TaskClassif
from mlr3py.torch import _params
from mlr3py.torch._optim import OPTIMIZER_ARGS, is_multi_output_loss, make_loss, make_optimizer
from mlr3py.torch._training import (
    Batches,
    TrainContext,
    fit,
    forward_all,
    instantiate_sampler,
    output_pdata,
)
from mlr3py.torch.callbacks import Callback, EarlyStopping, History, as_callbacks
from mlr3py.torch.categorical import MixedEncoder
from mlr3py.torch.dataset import TaskDataset, n_classes

if TYPE_CHECKING:
    from mlr3py.params import ParamSet
    from mlr3py.tasks import Task

__all__ = ["LearnerTorch", "TorchModel"]

_FEATURE_TYPES = ("logical", "integer", "numeric", "factor", "ordered")
_TARGETS = {"binary": "binary", "multi": "codes", "regr": "numeric"}


@dataclass
class TorchModel:
    """What a trained torch learner keeps.

    Attributes
    ----------
    network : torch.nn.Module
        The trained network (on ``device``).
    encoder : FeatureEncoder or MixedEncoder
        How task features become the input matrix (or the ``"num"`` /
        ``"categ"`` tensors of a :class:`~mlr3py.torch.categorical.TensorBatch`).
    output : str
        ``"binary"`` (one logit for the positive class), ``"multi"`` (one logit
        per class) or ``"regr"``.
    class_names : list of str or None
        Classes in output / probability-column order.
    seed : int
        The seed training used.
    device : str
        Where the network lives.
    history : pandas.DataFrame
        One row per epoch: ``epoch``, ``train.loss``, ``valid.*``, ...
    best_epoch : int or None
        The best epoch under early stopping.
    optimizer : torch.optim.Optimizer or None
        The optimizer after the last step (its ``state_dict()`` continues training).
    callbacks : list of Callback
        The callback objects that ran (copies of the ``callbacks`` parameter's,
        so their state, e.g. a custom callback's records, is read here).
    """

    network: nn.Module
    encoder: FeatureEncoder | MixedEncoder
    output: str
    class_names: list[str] | None
    seed: int
    device: str
    history: pd.DataFrame = field(default_factory=pd.DataFrame)
    best_epoch: int | None = None
    optimizer: torch.optim.Optimizer | None = None
    callbacks: list[Callback] = field(default_factory=list)

    @property
    def epochs(self) -> int:
        """The number of epochs trained."""
        return len(self.history)


@contextlib.contextmanager
def _num_threads(n: int) -> Iterator[None]:
    before = torch.get_num_threads()
    if n != before:
        torch.set_num_threads(n)
    try:
        yield
    finally:
        if torch.get_num_threads() != before:
            torch.set_num_threads(before)


def _resolve_device(value: Any, owner: str = "A torch learner") -> torch.device:
    if value == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    device = torch.device(value)
    _check_device_available(device, owner)
    return device


def _check_device_available(device: torch.device, owner: str) -> None:
    """Raise :class:`ConfigError` when ``device`` is a CUDA / MPS device this machine lacks."""
    if device.type == "cuda":
        count = torch.cuda.device_count() if torch.cuda.is_available() else 0
        if count == 0:
            raise ConfigError(
                f"{owner} has device='{device}', but no CUDA device is available here "
                f"(torch {torch.__version__}). Use device='cpu', or 'auto' (CUDA when "
                f"available, else the CPU)."
            )
        if device.index is not None and device.index >= count:
            raise ConfigError(
                f"{owner} has device='{device}', but only {count} CUDA device(s) are "
                f"available (cuda:0 .. cuda:{count - 1}). Use one of those, or 'auto'."
            )
    if device.type == "mps" and not torch.backends.mps.is_available():
        raise ConfigError(
            f"{owner} has device='{device}', but the MPS backend is not available here. "
            f"Use device='cpu' or 'auto'."
        )


def _derive_seeds(seed: int) -> tuple[int, int, int]:
    """Independent seeds for initialisation, batching and the validation split."""
    words = np.random.SeedSequence(seed).generate_state(3, np.uint64)
    return tuple(int(w) & (2**63 - 1) for w in words)  # type: ignore[return-value]


class LearnerTorch(Learner):
    """Base of torch learners (see the module docstring for the parameters).

    Subclasses combine it with :class:`~mlr3py.learners.LearnerClassif` or
    :class:`~mlr3py.learners.LearnerRegr` and implement :meth:`_network`.

    Parameters
    ----------
    id : str
        The learner's id.
    param_set : ParamSet, optional
        Extra parameters (tagged ``"network"`` for those ``_network`` reads);
        merged with the shared ones.
    properties, feature_types, packages, label
        As for :class:`~mlr3py.learners.Learner`.

    Attributes
    ----------
    internal_valid_task : Task or None
        The validation rows for ``validate="test"`` (set by the job runner) or
        ``"predefined"`` (set by a graph learner or by hand).
    """

    #: Shared parameters a subclass does not have (set another way).
    _excluded_params: ClassVar[tuple[str, ...]] = ()

    def __init__(
        self,
        id: str,  # noqa: A002 - mlr3's name
        *,
        param_set: ParamSet | None = None,
        properties: Any = None,
        feature_types: Any = _FEATURE_TYPES,
        packages: Any = ("torch",),
        label: str = "",
    ) -> None:
        classif = self.task_type == "classif"
        if properties is None:
            properties = {"validation", "internal_tuning"}
            if classif:
                properties |= {"twoclass", "multiclass"}
        super().__init__(
            id,
            param_set=_params.torch_param_set(param_set, self._excluded_params),
            predict_types=PREDICT_TYPES["classif"] if classif else ("response",),
            feature_types=feature_types,
            properties=properties,
            packages=packages,
            label=label,
        )
        self.internal_valid_task: Task | None = None

    internal_tuning_param = "epochs"

    @property
    def validate(self) -> Any:
        """The ``validate`` parameter value (``None``, a ratio, ``"test"`` or ``"predefined"``)."""
        return self.param_set.values.get("validate")

    def internal_tuning_problem(self) -> str | None:
        """Internal tuning of ``epochs`` needs ``validate`` and ``patience`` > 0."""
        if self.validate is None:
            return "set 'validate' to 'test' or a ratio such as 0.2 (the validation data)"
        if not self.param_set.values.get("patience"):
            return "set 'patience' > 0 so that early stopping picks the epochs"
        return None

    def internal_tuning_off(self) -> dict[str, Any]:
        """No validation and no early stopping."""
        return {"validate": None, "patience": None}

    @property
    def history(self) -> pd.DataFrame | None:
        """The per-epoch history of the trained model (``None`` while untrained)."""
        model = self.model
        return None if model is None else model.history

    @property
    def network(self) -> nn.Module | None:
        """The trained network (``None`` while untrained)."""
        model = self.model
        return None if model is None else model.network

    def _trained_config(self) -> dict[str, Any]:
        """The parameter values the current model was trained with, defaults filled in."""
        state = self.state
        values = self.param_set.get_values() if state is None else state.param_vals
        return {**self.param_set.default, **values}

    def _extract_internal_valid_scores(self) -> dict[str, float] | None:
        """The last epoch's ``measures_valid`` scores by measure id (None: no validation)."""
        model = self.model
        cfg = self._trained_config()
        if not isinstance(model, TorchModel) or cfg.get("validate") is None:
            return None
        ids = [m.id for m in _params.as_measures(
            cfg.get("measures_valid") or (), f"Learner '{self.id}'", "measures_valid")]
        history = model.history
        if history is None or len(history) == 0:
            return {}
        last = history.iloc[-1]
        return {i: float(last[f"valid.{i}"]) for i in ids if f"valid.{i}" in history.columns}

    def _extract_internal_tuned_values(self) -> dict[str, Any] | None:
        """``{"epochs": best epoch}`` under early stopping (``patience`` > 0), else None."""
        model = self.model
        if not isinstance(model, TorchModel) or not self._trained_config().get("patience"):
            return None
        return None if model.best_epoch is None else {"epochs": int(model.best_epoch)}

    # -- hooks for subclasses ----------------------------------------------------------
    def _network(self, task: Task, n_features: int, n_outputs: int) -> nn.Module:
        """Build the (untrained) network; runs under the training seed."""
        raise NotImplementedError(f"{type(self).__name__} must implement _network().")

    def _encoder(self, task: Task) -> FeatureEncoder | MixedEncoder | None:
        """The feature encoding learnt from the training task.

        ``None`` (the default): one float matrix, factors one-hot encoded. A
        :class:`~mlr3py.torch.categorical.MixedEncoder`: the network gets a
        :class:`~mlr3py.torch.categorical.TensorBatch` (``"num"``, ``"categ"``).
        """
        return None

    def _training_loss(self, loss_fn: Any, network: nn.Module) -> Any:
        """The loss the epoch loop minimises; the default is ``loss_fn`` itself.

        A network with a regularisation term (TabNet's mask sparsity) adds it here.
        """
        return loss_fn

    def _maps_unseen_levels(self) -> bool:
        """With level codes (a ``MixedEncoder``) unseen levels get the unknown code 0."""
        model = self.model
        return isinstance(getattr(model, "encoder", None), MixedEncoder)

    # -- training ------------------------------------------------------------------------
    def _config(self) -> dict[str, Any]:
        cfg = {**self.param_set.default, **self.param_set.get_values()}
        owner = f"Learner '{self.id}'"
        if cfg.get("sampler") is not None and cfg.get("batch_sampler") is not None:
            raise ConfigError(
                f"{owner} has both 'sampler' and 'batch_sampler' set; set only one."
            )
        if cfg.get("batch_sampler") is not None and cfg.get("batch_size") is not None:
            raise ConfigError(
                f"{owner} has both 'batch_size' ({cfg['batch_size']}) and 'batch_sampler' set; "
                f"the batch sampler alone decides the training batches, so 'batch_size' would "
                f"be ignored. Unset one of them (del learner.param_set.values['batch_size'])."
            )
        if cfg.get("batch_sampler") is None and cfg.get("batch_size") is None:
            raise ConfigError(
                f"The 'batch_size' parameter of {owner} must be set (an int >= 1) unless "
                f"'batch_sampler' is set."
            )
        if cfg["patience"] > 0 and cfg["validate"] is None:
            raise ConfigError(
                f"Early stopping of {owner} ('patience' = {cfg['patience']}) needs a "
                f"validation set: set 'validate' to a ratio or to 'test'."
            )
        if cfg["validate"] in ("test", "predefined") and self.internal_valid_task is None:
            raise missing_valid_task_error(owner, cfg["validate"])
        return cfg

    def _output(self, task: Task, loss: Any) -> str:
        if task.task_type == "regr":
            return "regr"
        two = n_classes(task) == 2
        return "binary" if two and not is_multi_output_loss(loss) else "multi"

    def _split(self, task: Task, cfg: dict[str, Any], seed: int) -> tuple[Task, Task | None]:
        ratio = cfg["validate"]
        if ratio is None:
            return task, None
        if ratio in ("test", "predefined"):
            return task, self.internal_valid_task
        g = torch.Generator().manual_seed(seed)
        perm = torch.randperm(task.nrow, generator=g).numpy()
        n_valid = round(float(ratio) * task.nrow)
        if n_valid < 1 or n_valid >= task.nrow:
            raise ConfigError(
                f"validate={ratio} of Learner '{self.id}' leaves no training or no "
                f"validation rows of the {task.nrow} rows of Task '{task.id}'."
            )
        ids = task.row_ids
        valid_ids, train_ids = np.sort(ids[perm[:n_valid]]), np.sort(ids[perm[n_valid:]])
        return task.clone().filter(train_ids), task.clone().filter(valid_ids)

    def _train(self, task: Task) -> TorchModel:
        cfg = self._config()
        if task.nrow == 0:
            raise InputError(
                f"Learner '{self.id}' cannot train on 0 rows of Task '{task.id}'. "
                f"Pass non-empty row_ids (or a task with rows)."
            )
        seed = cfg["seed"]
        if seed == "random":
            seed = int(np.random.randint(0, 2**31 - 1))  # noqa: NPY002 - the job seeds it
        seed = int(seed)
        device = _resolve_device(cfg["device"], f"Learner '{self.id}'")
        init_seed, batch_seed, split_seed = _derive_seeds(seed)
        forked = [device] if device.type == "cuda" else []
        with _num_threads(cfg["num_threads"]), torch.random.fork_rng(devices=forked):
            torch.manual_seed(init_seed)
            return self._fit(task, cfg, seed, device, batch_seed, split_seed)

    def _fit(
        self, task: Task, cfg: dict[str, Any], seed: int, device: torch.device,
        batch_seed: int, split_seed: int,
    ) -> TorchModel:
        owner = f"Learner '{self.id}'"
        output = self._output(task, cfg["loss"])
        train_task, valid_task = self._split(task, cfg, split_seed)
        train_set = TaskDataset(
            train_task, encoder=self._encoder(train_task), target=_TARGETS[output], device=device
        )
        valid_set = None
        if valid_task is not None:
            valid_set = TaskDataset(
                valid_task, encoder=train_set.encoder, target=_TARGETS[output], device=device
            )
        class_names = list(task.class_names) if isinstance(task, TaskClassif) else None
        n_out = n_classes(task) if output == "multi" else 1
        network = self._network(train_task, train_set.n_features, n_out).to(device)
        opt_args = {k: cfg[k] for k in OPTIMIZER_ARGS if k in cfg}
        opt_args.update(cfg.get("opt_args") or {})
        optimizer = make_optimizer(cfg["optimizer"], network.parameters(), opt_args, owner)
        loss_fn = make_loss(cfg["loss"], task.task_type, len(class_names or ()), owner)
        if isinstance(loss_fn, nn.Module):
            loss_fn = loss_fn.to(device)
        loss_fn = self._training_loss(loss_fn, network)
        generator = torch.Generator().manual_seed(batch_seed)
        batches = self._batches(train_set, cfg, generator, owner)
        measures_train = _params.as_measures(cfg["measures_train"], owner, "measures_train")
        measures_valid = _params.as_measures(cfg["measures_valid"], owner, "measures_valid")
        monitor, minimize = "valid.loss", True
        if measures_valid:
            monitor = f"valid.{measures_valid[0].id}"
            minimize = measures_valid[0].minimize is not False
        ctx = TrainContext(
            owner=owner, network=network, optimizer=optimizer, loss_fn=loss_fn,
            train_set=train_set, valid_set=valid_set, batches=batches, generator=generator,
            epochs=cfg["epochs"], output=output, class_names=class_names,
            measures_train=measures_train, measures_valid=measures_valid,
            monitor=monitor, monitor_minimize=minimize, learner=self,
            predict_chunk=max(cfg.get("batch_size") or 0, 8192), eval_freq=cfg["eval_freq"],
        )
        callbacks = as_callbacks(cfg["callbacks"], owner)
        stopper = None
        if cfg["patience"] > 0:
            stopper = EarlyStopping(cfg["patience"], cfg["min_delta"])
            callbacks.append(stopper)
        history = History()
        fit(ctx, [*callbacks, history])
        if stopper is None:
            stopper = next((cb for cb in callbacks if isinstance(cb, EarlyStopping)), None)
        return TorchModel(
            network=network, encoder=train_set.encoder, output=output,
            class_names=class_names, seed=seed, device=str(device), history=history.frame(),
            best_epoch=None if stopper is None else stopper.best_epoch,
            optimizer=optimizer, callbacks=callbacks,
        )

    def _batches(
        self, dataset: TaskDataset, cfg: dict[str, Any], generator: torch.Generator, owner: str
    ) -> Batches:
        sampler = cfg.get("sampler")
        batch_sampler = cfg.get("batch_sampler")
        if sampler is not None:
            sampler = instantiate_sampler(sampler, dataset, generator)
        if batch_sampler is not None:
            batch_sampler = instantiate_sampler(batch_sampler, dataset, generator)
        batches = Batches(
            len(dataset), batch_size=cfg.get("batch_size"), shuffle=cfg["shuffle"],
            drop_last=cfg["drop_last"], sampler=sampler, batch_sampler=batch_sampler,
            generator=generator, owner=owner, device=dataset.device,
        )
        if batch_sampler is None and cfg["drop_last"] and batches.expected_len() == 0:
            raise ConfigError(
                f"{owner} has drop_last=True and batch_size={cfg.get('batch_size')}, more "
                f"than the {len(dataset)} training rows, so no batch is left to train on. "
                "Lower batch_size or set drop_last=False."
            )
        return batches

    # -- prediction --------------------------------------------------------------------
    def _predict(self, task: Task) -> PredictionData:
        model: TorchModel = self.model
        cfg = {**self.param_set.default, **self.param_set.get_values()}
        device = next(model.network.parameters(), torch.empty(0)).device
        chunk = max(cfg.get("batch_size") or 0, 8192)
        with _num_threads(cfg["num_threads"]):
            data = TaskDataset(task, encoder=model.encoder, target=None, device=device)
            out = forward_all(model.network, data.x, model.output, chunk)
        return output_pdata(out, model.output, model.class_names)
