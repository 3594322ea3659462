"""The epoch loop of torch learners: batching, :func:`fit`, prediction helpers.

Batches are index vectors into the :class:`~mlr3py.torch.dataset.TaskDataset`
tensors. Without a sampler an epoch is ``torch.randperm(n, generator=g)``
(or ``0..n-1`` when ``shuffle=False``) split into chunks of ``batch_size``. A
``sampler`` yields row positions that are chunked the same way; a
``batch_sampler`` yields whole batches. Both are built from the training
dataset and the learner's generator (see :func:`instantiate_sampler`).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import torch
from torch import nn

from mlr3py.errors import ConfigError
from mlr3py.predictions import (
    PredictionClassif,
    PredictionData,
    PredictionDataClassif,
    PredictionDataRegr,
    PredictionRegr,
)
from mlr3py.torch.callbacks import Callback, overrides
from mlr3py.torch.categorical import TensorBatch
from mlr3py.torch.dataset import TaskDataset, as_index

__all__ = [
    "Batches",
    "TrainContext",
    "fit",
    "forward_all",
    "instantiate_sampler",
    "output_pdata",
    "score_outputs",
]

_PREDICT_CHUNK = 8192


def instantiate_sampler(obj: Any, dataset: TaskDataset, generator: torch.Generator) -> Any:
    """Build a (batch) sampler: ``obj(dataset, generator=generator)`` when ``obj`` takes a
    ``generator`` keyword, else ``obj(dataset)``."""
    try:
        params: Mapping[str, inspect.Parameter] = inspect.signature(obj).parameters
    except (TypeError, ValueError):
        params = {}
    takes_generator = "generator" in params or any(
        p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values()
    )
    return obj(dataset, generator=generator) if takes_generator else obj(dataset)


def _length(obj: Any) -> int | None:
    try:
        return len(obj)
    except TypeError:
        return None


class Batches:
    """The batches of one training: iterate once per epoch to get index tensors.

    Parameters
    ----------
    n : int
        Number of rows of the training dataset.
    batch_size : int or None
        Rows per batch (unused with a batch sampler).
    shuffle, drop_last : bool
        Permute the rows each epoch; drop a last, smaller batch (unused with a
        batch sampler).
    sampler, batch_sampler : object or None
        Instantiated samplers (at most one).
    generator : torch.Generator
        Source of the permutations.
    owner : str
        How to name the learner in messages.
    device : torch.device, optional
        Where the batches are used: the whole epoch's order moves there at once
        (batches from a batch sampler move one by one, in :func:`fit`).
    """

    def __init__(
        self,
        n: int,
        *,
        batch_size: int | None,
        shuffle: bool,
        drop_last: bool,
        sampler: Any,
        batch_sampler: Any,
        generator: torch.Generator,
        owner: str,
        device: torch.device | None = None,
    ) -> None:
        self.n = n
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.drop_last = drop_last
        self.sampler = sampler
        self.batch_sampler = batch_sampler
        self.generator = generator
        self.owner = owner
        self.device = device

    def __len__(self) -> int:
        if self.batch_sampler is not None:
            n = _length(self.batch_sampler)
            if n is None:
                raise TypeError("the batch sampler has no len()")
            return n
        assert self.batch_size is not None
        n = self.n if self.sampler is None else _length(self.sampler)
        if n is None:
            raise TypeError("the sampler has no len()")
        return n // self.batch_size if self.drop_last else -(-n // self.batch_size)

    def expected_len(self) -> int | None:
        """``len(self)``, or ``None`` when the sampler has no ``len()``."""
        try:
            return len(self)
        except TypeError:
            return None

    def __iter__(self) -> Iterator[torch.Tensor]:
        if self.batch_sampler is not None:
            return (as_index(b) for b in self.batch_sampler)
        if self.sampler is not None:
            order = as_index(list(self.sampler))
            expected = _length(self.sampler)
            if expected is not None and expected != len(order):
                raise ConfigError(
                    f"The sampler of {self.owner} ({type(self.sampler).__name__}) has len() "
                    f"{expected} but yielded {len(order)} indices. Make __len__ agree with "
                    f"__iter__."
                )
        elif self.shuffle:
            order = torch.randperm(self.n, generator=self.generator)
        else:
            order = torch.arange(self.n)
        if self.device is not None and self.device.type != "cpu":
            order = order.to(self.device)
        assert self.batch_size is not None  # set when neither sampler is
        batches = order.split(self.batch_size)
        if self.drop_last and batches and len(batches[-1]) < self.batch_size:
            batches = batches[:-1]
        return iter(batches)


@dataclass
class TrainContext:
    """Everything a training run holds; callbacks receive it as ``ctx``.

    ``output`` is ``"binary"`` (one logit, positive class first), ``"multi"``
    (one logit per class) or ``"regr"``. ``monitor`` is the ``logs`` entry that
    early stopping watches by default and ``monitor_minimize`` its direction.
    The validation set is scored every ``eval_freq`` epochs and after the last.
    """

    owner: str
    network: nn.Module
    optimizer: torch.optim.Optimizer
    loss_fn: Callable[..., torch.Tensor]
    train_set: TaskDataset
    valid_set: TaskDataset | None
    batches: Batches
    generator: torch.Generator
    epochs: int
    output: str
    class_names: list[str] | None = None
    measures_train: list[Any] = field(default_factory=list)
    measures_valid: list[Any] = field(default_factory=list)
    monitor: str = "valid.loss"
    monitor_minimize: bool = True
    learner: Any = None
    predict_chunk: int = _PREDICT_CHUNK
    eval_freq: int = 1
    epoch: int = 0
    n_batches: int | None = None
    stop: bool = False


def _call(callbacks: list[Callback], hook: str, **kwargs: Any) -> bool:
    stop = False
    for cb in callbacks:
        stop = bool(getattr(cb, hook)(**kwargs)) or stop
    return stop


def fit(ctx: TrainContext, callbacks: list[Callback]) -> None:
    """Run ``ctx.epochs`` epochs (fewer when a callback asks to stop)."""
    ctx.n_batches = ctx.batches.expected_len()
    batch_begin = [cb for cb in callbacks if overrides(cb, "on_batch_begin")]
    batch_end = [cb for cb in callbacks if overrides(cb, "on_batch_end")]
    ctx.stop = _call(callbacks, "on_begin", ctx=ctx)
    x, y = ctx.train_set.x, ctx.train_set.y
    assert y is not None  # a training set has its target
    network, optimizer, loss_fn = ctx.network, ctx.optimizer, ctx.loss_fn
    on_device = x.device.type != "cpu"
    squeeze = ctx.output != "multi"
    keep_outputs = bool(ctx.measures_train)
    for epoch in range(1, ctx.epochs + 1):
        if ctx.stop:
            break
        ctx.epoch = epoch
        ctx.stop = _call(callbacks, "on_epoch_begin", ctx=ctx, epoch=epoch)
        network.train()
        losses: list[torch.Tensor] = []
        outputs: list[torch.Tensor] = []
        seen: list[torch.Tensor] = []
        i = -1
        for i, idx in enumerate(ctx.batches):
            if on_device and idx.device != x.device:
                idx = idx.to(x.device, non_blocking=True)
            if batch_begin and _call(batch_begin, "on_batch_begin", ctx=ctx, batch=i, idx=idx):
                ctx.stop = True
            optimizer.zero_grad(set_to_none=True)
            out = network(x[idx])
            if squeeze and out.dim() == 2:
                out = out.squeeze(1)
            loss = loss_fn(out, y[idx])
            loss.backward()
            optimizer.step()
            losses.append(loss.detach())
            if keep_outputs:
                outputs.append(out.detach())
                seen.append(idx)
            if batch_end and _call(batch_end, "on_batch_end", ctx=ctx, batch=i, idx=idx,
                                   loss=loss):
                ctx.stop = True
            if ctx.stop:
                break
        if epoch == 1 and not ctx.stop:
            _check_len(ctx, i + 1)
        logs = _epoch_logs(ctx, epoch, losses, outputs, seen)
        ctx.stop = _call(callbacks, "on_epoch_end", ctx=ctx, epoch=epoch, logs=logs) or ctx.stop
    _call(callbacks, "on_end", ctx=ctx)


def _check_len(ctx: TrainContext, yielded: int) -> None:
    expected = ctx.n_batches
    if expected is not None and expected != yielded:
        sampler = ctx.batches.batch_sampler or ctx.batches.sampler
        raise ConfigError(
            f"The batch sampler of {ctx.owner} ({type(sampler).__name__}) has len() "
            f"{expected} but yielded {yielded} batches in the first epoch. Make __len__ "
            f"return the number of batches __iter__ yields."
        )


def _epoch_logs(
    ctx: TrainContext,
    epoch: int,
    losses: list[torch.Tensor],
    outputs: list[torch.Tensor],
    seen: list[torch.Tensor],
) -> dict[str, Any]:
    logs: dict[str, Any] = {"epoch": epoch}
    logs["train.loss"] = float(torch.stack(losses).mean()) if losses else float("nan")
    if ctx.measures_train and outputs:
        idx = torch.cat(seen)
        scores = score_outputs(ctx, torch.cat(outputs), ctx.train_set, idx, ctx.measures_train)
        logs.update({f"train.{k}": v for k, v in scores.items()})
    if ctx.valid_set is not None and (epoch % ctx.eval_freq == 0 or epoch == ctx.epochs):
        out = forward_all(ctx.network, ctx.valid_set.x, ctx.output, ctx.predict_chunk)
        with torch.no_grad():
            logs["valid.loss"] = float(ctx.loss_fn(out, ctx.valid_set.y))
        scores = score_outputs(ctx, out, ctx.valid_set, None, ctx.measures_valid)
        logs.update({f"valid.{k}": v for k, v in scores.items()})
    return logs


@torch.no_grad()
def forward_all(
    network: nn.Module, x: torch.Tensor | TensorBatch, output: str, chunk: int
) -> torch.Tensor:
    """The network's outputs for all rows of ``x`` in evaluation mode, in chunks."""
    was_training = network.training
    network.eval()
    try:
        # max(n, 1): an empty x still gives one (empty) forward pass of the right shape
        parts = [network(x[i : i + chunk]) for i in range(0, max(len(x), 1), chunk)]
    finally:
        network.train(was_training)
    out = torch.cat(parts)
    if output != "multi" and out.dim() == 2:
        out = out.squeeze(1)
    return out


def output_pdata(
    out: torch.Tensor, output: str, class_names: list[str] | None = None
) -> PredictionData:
    """Outputs as prediction data: class labels and probabilities, or a numeric response.

    For ``"binary"`` the logit is the positive class's (``class_names[0]``);
    the probability columns follow ``class_names``.
    """
    out = out.detach().float().cpu()
    if output == "regr":
        return PredictionDataRegr(response=out.numpy().astype(np.float64))
    if output == "binary":
        p = torch.sigmoid(out).numpy().astype(np.float64)
        prob = np.column_stack([p, 1.0 - p])
    else:
        prob = torch.softmax(out, dim=1).numpy().astype(np.float64)
    response = pd.Categorical.from_codes(
        np.argmax(prob, axis=1), dtype=pd.CategoricalDtype(class_names)
    )
    return PredictionDataClassif(response=response, prob=prob)


def score_outputs(
    ctx: TrainContext,
    out: torch.Tensor,
    dataset: TaskDataset,
    idx: torch.Tensor | None,
    measures: list[Any],
) -> dict[str, float]:
    """Score the outputs for the rows ``idx`` (all rows when ``None``) of ``dataset``."""
    if not measures:
        return {}
    pos = np.arange(len(dataset)) if idx is None else idx.cpu().numpy()
    row_ids = dataset.row_ids[pos]
    assert dataset.y is not None  # scored sets have their target
    y = dataset.y if idx is None else dataset.y[idx]
    pdata = output_pdata(out, ctx.output, ctx.class_names)
    if ctx.output == "regr":
        truth = y.cpu().numpy().astype(np.float64)
        pred: Any = PredictionRegr(row_ids=row_ids, truth=truth, response=pdata.response)
    else:
        codes = y.cpu().numpy()
        codes = (1 - codes).astype(np.int64) if ctx.output == "binary" else codes
        names = ctx.class_names
        assert isinstance(pdata, PredictionDataClassif)
        pred = PredictionClassif(
            row_ids=row_ids,
            truth=pd.Categorical.from_codes(codes, dtype=pd.CategoricalDtype(names)),
            response=pdata.response,
            prob=pdata.prob,
            class_names=names,
        )
    return {
        m.id: m.score(pred, task=dataset.task, learner=ctx.learner,
                      train_set=ctx.train_set.row_ids)
        for m in measures
    }
