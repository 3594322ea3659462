"""Configuration operators: the loss, the optimizer and the callbacks of a network graph.

``po("torch_loss", "cross_entropy")``, ``po("torch_optimizer", "adam", lr=0.01)``
and ``po("torch_callbacks", [EarlyStopping(5)])`` set what
``po("torch_model_classif" | "torch_model_regr")`` trains with. Their
parameters are the learner parameters of the same names (``torch_optimizer.lr``
in a graph, tunable with ``to_tune()``). Without them the model uses its
defaults: Adam with torch's default arguments, the learner's default loss (BCE on
one logit for two classes, cross-entropy for more, MSE for regression) and no
extra callbacks. In prediction they pass the task through.
"""

from __future__ import annotations

from typing import Any

from mlr3py.params import ParamSet
from mlr3py.pipelines import Channel, PipeOp
from mlr3py.torch._optim import OPTIMIZER_ARGS
from mlr3py.torch._params import torch_param_set
from mlr3py.torch.callbacks import CALLBACKS, as_callbacks
from mlr3py.torch.graph._descriptor import ModelDescriptor, OptimizerSpec

__all__ = ["CALLBACKS", "PipeOpTorchCallbacks", "PipeOpTorchLoss", "PipeOpTorchOptimizer"]



def _subset(keys: tuple[str, ...], **defaults: Any) -> ParamSet:
    full = torch_param_set().params
    param_set = ParamSet({k: full[k] for k in keys})
    param_set.values.update(defaults)
    return param_set


class _PipeOpTorchConfig(PipeOp):
    def __init__(self, id: str, param_set: ParamSet, label: str) -> None:  # noqa: A002
        super().__init__(id, param_set=param_set,
                         input=[Channel("input", "ModelDescriptor", "Task")],
                         output=[Channel("output", "ModelDescriptor", "Task")],
                         packages=["torch"], label=label)

    def _configure(self, md: ModelDescriptor, values: dict[str, Any]) -> ModelDescriptor:
        raise NotImplementedError(f"{type(self).__name__} must implement _configure(md, values).")

    def _train(self, inputs: list[Any]) -> list[Any]:
        values = {**self.param_set.default, **self.param_set.get_values()}
        return [self._configure(inputs[0], values)]

    def _predict(self, inputs: list[Any]) -> list[Any]:
        return [inputs[0]]


class PipeOpTorchLoss(_PipeOpTorchConfig):
    """``po("torch_loss", loss)``: a loss name (``"cross_entropy"``, ``"mse"``, ...), class,
    instance or callable ``loss(output, target)``; parameter ``loss``."""

    def __init__(self, loss: Any = None, id: str = "torch_loss") -> None:  # noqa: A002
        param_set = _subset(("loss",))
        if loss is not None:
            param_set.values["loss"] = loss
        super().__init__(id, param_set, "Loss of a network graph")

    def _configure(self, md: ModelDescriptor, values: dict[str, Any]) -> ModelDescriptor:
        return md.replace(loss=values.get("loss"))


class PipeOpTorchOptimizer(_PipeOpTorchConfig):
    """``po("torch_optimizer", "adam", lr=0.01)``: the optimizer (a name or class) and its
    arguments ``lr``, ``weight_decay``, ``momentum``, ``betas``, ``eps``, ``nesterov``,
    ``amsgrad``, ``opt_args`` (a dict of any other); only those set are passed."""

    def __init__(self, optimizer: Any = "adam", id: str = "torch_optimizer") -> None:  # noqa: A002
        param_set = _subset(("optimizer", *OPTIMIZER_ARGS, "opt_args"), optimizer=optimizer)
        super().__init__(id, param_set, "Optimizer of a network graph")

    def _configure(self, md: ModelDescriptor, values: dict[str, Any]) -> ModelDescriptor:
        args = {k: values[k] for k in OPTIMIZER_ARGS if k in values}
        args.update(values.get("opt_args") or {})
        return md.replace(optimizer=OptimizerSpec(values["optimizer"], args))


class PipeOpTorchCallbacks(_PipeOpTorchConfig):
    """``po("torch_callbacks", callbacks)``: Callback instances, classes or names
    (keys of ``CALLBACKS``: ``"history"``, ``"progress"``, ...); parameter ``callbacks``."""

    def __init__(self, callbacks: Any = (), id: str = "torch_callbacks") -> None:  # noqa: A002
        param_set = _subset(("callbacks",))
        if callbacks is not None and not isinstance(callbacks, list | tuple):
            callbacks = [callbacks]
        param_set.values["callbacks"] = list(callbacks or [])
        super().__init__(id, param_set, "Callbacks of a network graph")

    def _configure(self, md: ModelDescriptor, values: dict[str, Any]) -> ModelDescriptor:
        items = list(values.get("callbacks") or [])
        as_callbacks(items, f"PipeOp '{self.id}'")  # refuse bad entries at training
        return md.replace(callbacks=(*md.callbacks, *items))
