"""The parameter set shared by torch learners, and checks of its untyped values."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import torch

from mlr3py.learners._validation import check_validate
from mlr3py.measures import Measure
from mlr3py.measures import as_measures as _as_measures
from mlr3py.params import ParamSet, p_dbl, p_int, p_lgl, p_uty
from mlr3py.torch._optim import check_loss, check_optimizer
from mlr3py.torch.callbacks import Callback

__all__ = ["as_measures", "torch_param_set"]


def _check_factory(value: Any) -> bool | str:
    return True if value is None or callable(value) else "None or a class / factory (callable)"


def _check_seed(value: Any) -> bool | str:
    if value == "random":
        return True
    if isinstance(value, int | np.integer) and not isinstance(value, bool) and value >= 0:
        return True
    return "'random' or an int >= 0"


def _check_device(value: Any) -> bool | str:
    if value == "auto" or isinstance(value, torch.device):
        return True
    if isinstance(value, str):
        try:
            torch.device(value)
        except (RuntimeError, ValueError):
            return "'auto' or a torch device such as 'cpu', 'cuda', 'cuda:0'"
        return True
    return "'auto' or a torch device such as 'cpu', 'cuda', 'cuda:0'"


def _check_measures(value: Any) -> bool | str:
    ok = isinstance(value, list | tuple | Measure | str)
    return True if ok else "a measure, a measure id, or a list of those"


def _check_callbacks(value: Any) -> bool | str:
    if isinstance(value, list | tuple | Callback | str):
        return True
    if isinstance(value, type) and issubclass(value, Callback):
        return True
    return "a Callback instance, class or name (see mlr_callbacks), or a list of those"


def _check_betas(value: Any) -> bool | str:
    ok = isinstance(value, list | tuple) and len(value) == 2
    ok = ok and all(isinstance(b, float | int) and 0 <= b < 1 for b in value)
    return True if ok else "a pair of numbers in [0, 1), e.g. (0.9, 0.999)"


def _check_dict(value: Any) -> bool | str:
    ok = isinstance(value, Mapping) and all(isinstance(k, str) for k in value)
    return True if ok else "a dict of optimizer arguments"


def torch_param_set(extra: ParamSet | None = None, exclude: tuple[str, ...] = ()) -> ParamSet:
    """The shared parameters (see :mod:`mlr3py.torch.learner`) but ``exclude``, plus ``extra``'s."""
    train = {"train"}
    opt = {"train", "optimizer"}
    params: dict[str, Any] = {
        "epochs": p_int(0, tags={"train", "required"}),
        "batch_size": p_int(1, tags={"train", "predict"}),
        "shuffle": p_lgl(default=True, tags=train),
        "drop_last": p_lgl(default=False, tags=train),
        "sampler": p_uty(_check_factory, default=None, tags=train),
        "batch_sampler": p_uty(_check_factory, default=None, tags=train),
        "optimizer": p_uty(check_optimizer, default="adam", tags=train),
        "lr": p_dbl(0, tags=opt),
        "weight_decay": p_dbl(0, tags=opt),
        "momentum": p_dbl(0, tags=opt),
        "betas": p_uty(_check_betas, tags=opt),
        "eps": p_dbl(0, tags=opt),
        "nesterov": p_lgl(tags=opt),
        "amsgrad": p_lgl(tags=opt),
        "opt_args": p_uty(_check_dict, default=None, special_vals=[None], tags=train),
        "loss": p_uty(check_loss, default=None, tags=train),
        "seed": p_uty(_check_seed, default="random", tags=train),
        "device": p_uty(_check_device, default="auto", tags={"train", "predict"}),
        "num_threads": p_int(1, default=1, tags={"train", "predict", "threads"}),
        "callbacks": p_uty(_check_callbacks, default=(), tags=train),
        "measures_train": p_uty(_check_measures, default=(), tags=train),
        "measures_valid": p_uty(_check_measures, default=(), tags=train),
        "validate": p_uty(check_validate, default=None, tags=train),
        "eval_freq": p_int(1, default=1, tags=train),
        "patience": p_int(0, default=0, tags=train),
        "min_delta": p_dbl(0, default=0.0, tags=train),
    }
    for key in exclude:
        params.pop(key, None)
    if extra is not None:
        params.update(extra.params)
    return ParamSet(params)


def as_measures(values: Any, owner: str, name: str) -> list[Measure]:
    """Measure objects from a list of measures or measure ids (``measures.as_measures``)."""
    return _as_measures(values, f"The '{name}' parameter of {owner}")
