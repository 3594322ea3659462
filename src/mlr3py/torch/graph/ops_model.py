"""``po("torch_model_classif" | "torch_model_regr")``: build the described network and train it.

The operator holds a torch learner (:class:`LearnerTorchModelClassif` /
:class:`LearnerTorchModelRegr`) with every parameter of
:class:`~mlr3py.torch.learner.LearnerTorch` except the optimizer, its arguments,
the loss and the callbacks, which the configuration operators set. In training
it takes the :class:`~mlr3py.torch.graph.ModelDescriptor` and trains the learner
on the descriptor's task: the network is instantiated under the learner's
``seed``, batches carry one tensor per ingress, and the learner's epoch loop,
samplers, callbacks, validation and device handling apply unchanged. Its state
is the learner's; in prediction it predicts the task it receives.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

import torch
from torch import nn

from mlr3py.errors import ConfigError
from mlr3py.learners import LearnerClassif, LearnerRegr
from mlr3py.pipelines import Channel, PipeOpLearner
from mlr3py.reflections import FEATURE_TYPES
from mlr3py.torch._optim import OPTIMIZER_ARGS, is_multi_output_loss
from mlr3py.torch.graph._descriptor import ModelDescriptor
from mlr3py.torch.graph._encoder import IngressEncoder
from mlr3py.torch.graph._network import build_network
from mlr3py.torch.learner import LearnerTorch

if TYPE_CHECKING:
    from mlr3py.tasks import Task

__all__ = [
    "LearnerTorchModel",
    "LearnerTorchModelClassif",
    "LearnerTorchModelRegr",
    "PipeOpTorchModel",
    "PipeOpTorchModelClassif",
    "PipeOpTorchModelRegr",
]

class _TwoLogits(nn.Module):
    """Two logits ``(0, z)`` from a network with one logit ``z`` (cross-entropy, two classes)."""

    def __init__(self, network: nn.Module) -> None:
        super().__init__()
        self.network = network

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        z = self.network(*args, **kwargs)
        return torch.cat([torch.zeros_like(z), z], dim=1)


_SET_BY_OPERATORS = ("optimizer", *OPTIMIZER_ARGS, "opt_args", "loss", "callbacks")


class LearnerTorchModel(LearnerTorch):
    """A torch learner whose network comes from a :class:`ModelDescriptor`.

    Set :attr:`descriptor` before training (``po("torch_model_*")`` does);
    prediction needs only the trained model.
    """

    _excluded_params: ClassVar[tuple[str, ...]] = _SET_BY_OPERATORS

    def __init__(self, id: str) -> None:  # noqa: A002
        # the ingresses choose the features they read; the others are ignored
        super().__init__(id, feature_types=FEATURE_TYPES, label="Network built from a graph")
        self.descriptor: ModelDescriptor | None = None

    def _md(self) -> ModelDescriptor:
        if self.descriptor is None:
            raise ConfigError(
                f"Learner '{self.id}' trains the network of a graph; use it through "
                f"po('torch_model_{self.task_type}') after an ingress, or as_learner_torch(graph)."
            )
        return self.descriptor

    def _config(self) -> dict[str, Any]:
        cfg = super()._config()
        md = self._md()
        cfg["loss"] = md.loss
        cfg["optimizer"] = "adam" if md.optimizer is None else md.optimizer.optimizer
        if md.optimizer is not None:
            cfg.update({k: v for k, v in md.optimizer.args.items() if k in OPTIMIZER_ARGS})
            cfg["opt_args"] = {k: v for k, v in md.optimizer.args.items()
                               if k not in OPTIMIZER_ARGS}
        cfg["callbacks"] = list(md.callbacks)
        return cfg

    def _encoder(self, task: Task) -> IngressEncoder:
        return IngressEncoder.from_ingress(tuple(self._md().ingress.values()))

    def _network(self, task: Task, n_features: int, n_outputs: int) -> nn.Module:
        md = self._md()
        if not md.heads:
            raise ConfigError(
                f"The network graph of Learner '{self.id}' has no output layer: end it with "
                f"nn('head'), which is sized from the task."
            )
        width = md.shape[-1] if len(md.shape) == 2 else None
        if (n_outputs == 2 and width == 1 and md.pointer in md.heads
                and is_multi_output_loss(md.loss)):
            # nn('head') gives one logit z for two classes; cross-entropy gets (0, z),
            # which is the same model (softmax of (0, z) is (1 - sigmoid(z), sigmoid(z)))
            return _TwoLogits(build_network(md))
        if width != n_outputs:
            need = ("one output unit (regression)" if task.task_type == "regr" else
                    f"{n_outputs} output unit(s) for {len(getattr(task, 'class_names', ()))} "
                    f"classes with loss {md.loss or 'the default'}")
            hint = ""
            if n_outputs == 2 and width == 1 and is_multi_output_loss(md.loss):
                hint = (" One logit for two classes fits cross-entropy only from nn('head'); "
                        "make nn('head') the last layer, drop po('torch_loss', "
                        "'cross_entropy') or end with nn('linear', out_features=2).")
            raise ConfigError(
                f"The network graph of Learner '{self.id}' outputs shape {list(md.shape)} "
                f"(at '{md.pointer}'), but Task '{task.id}' needs {need}.{hint} Make "
                f"nn('head') the last layer."
            )
        return build_network(md)


class LearnerTorchModelClassif(LearnerTorchModel, LearnerClassif):
    """The classification learner of ``po("torch_model_classif")``."""

    def __init__(self, id: str = "classif.torch_model") -> None:  # noqa: A002
        super().__init__(id)


class LearnerTorchModelRegr(LearnerTorchModel, LearnerRegr):
    """The regression learner of ``po("torch_model_regr")``."""

    def __init__(self, id: str = "regr.torch_model") -> None:  # noqa: A002
        super().__init__(id)


class PipeOpTorchModel(PipeOpLearner):
    """Train the network a graph describes (mlr3torch's ``PipeOpTorchModel``).

    Input: a :class:`ModelDescriptor` in training, a task in prediction; output:
    nothing in training, a prediction in prediction. Parameters: those of
    :class:`~mlr3py.torch.learner.LearnerTorch` (``epochs``, ``batch_size``,
    ``batch_sampler``, ``seed``, ``device``, ``validate``, ``patience``, ...)
    except the optimizer, the loss and the callbacks.
    """

    def __init__(self, learner: LearnerTorchModel, id: str) -> None:  # noqa: A002
        super().__init__(learner, id=id)
        kind = {"classif": "Classif", "regr": "Regr"}[learner.task_type]
        self.input = [Channel("input", "ModelDescriptor", f"Task{kind}")]
        self.label = f"Train a network graph ({learner.task_type})"
        #: Set by the graph learner for ``validate="test"``: gives the validation rows
        #: through the trained upstream operators (``{output id: task}``).
        self.prepare_valid: Callable[[], dict[str, Any]] | None = None

    def _train(self, inputs: list[Any]) -> list[Any]:
        md = inputs[0]
        learner = self.learner
        assert isinstance(learner, LearnerTorchModel)
        if md.task.task_type != learner.task_type:
            raise ConfigError(
                f"PipeOp '{self.id}' trains {learner.task_type} networks, but Task "
                f"'{md.task.id}' is of type '{md.task.task_type}'. Use "
                f"po('torch_model_{md.task.task_type}')."
            )
        learner.descriptor = md
        if self.prepare_valid is not None:
            (valid,) = self.prepare_valid().values()
            learner.internal_valid_task = valid
        try:
            learner.train(md.task)
        finally:
            learner.descriptor = None
            learner.internal_valid_task = None
        self.state = learner.state
        return [None]


class PipeOpTorchModelClassif(PipeOpTorchModel):
    """``po("torch_model_classif", epochs=, batch_size=, ...)``."""

    def __init__(self, id: str = "torch_model_classif") -> None:  # noqa: A002
        super().__init__(LearnerTorchModelClassif(), id)


class PipeOpTorchModelRegr(PipeOpTorchModel):
    """``po("torch_model_regr", epochs=, batch_size=, ...)``."""

    def __init__(self, id: str = "torch_model_regr") -> None:  # noqa: A002
        super().__init__(LearnerTorchModelRegr(), id)
