"""Ingress operators: where a task enters a network graph.

``po("torch_ingress_num")`` takes the numeric, integer and logical (0 / 1)
features as one float32 tensor, ``po("torch_ingress_categ")`` the factor and ordered features as
an int64 code matrix for ``nn("embedding")`` (level ``j`` -> ``j + 1``; missing
or unseen at predict time -> 0, the "unknown" code). In training an ingress
turns the task into a :class:`~mlr3py.torch.graph.ModelDescriptor`; in
prediction it passes the task through. A network may have several ingresses:
its batches then carry one tensor per ingress, named by the ingress's id.
"""

from __future__ import annotations

from typing import Any, ClassVar

from mlr3py.errors import InputError
from mlr3py.learners._features import feature_info
from mlr3py.pipelines import Channel, PipeOp
from mlr3py.torch.categorical import CategoricalLevels
from mlr3py.torch.graph._descriptor import Ingress, ModelDescriptor

__all__ = ["PipeOpTorchIngress", "PipeOpTorchIngressCateg", "PipeOpTorchIngressNum"]


class PipeOpTorchIngress(PipeOp):
    """Base of ingress operators: selects the task's features of :attr:`feature_types`.

    State: ``{"features": [...]}``, the features the ingress read in training.

    Raises
    ------
    InputError
        In training, if the task has no feature of the ingress's types.
    """

    kind: ClassVar[str] = ""
    feature_types: ClassVar[tuple[str, ...]] = ()

    def __init__(self, id: str, label: str = "") -> None:  # noqa: A002 - mlr3's name
        super().__init__(
            id, input=[Channel("input", "Task", "Task")],
            output=[Channel("output", "ModelDescriptor", "Task")],
            packages=["torch"], label=label,
        )

    def _train(self, inputs: list[Any]) -> list[Any]:
        task = inputs[0]
        info = feature_info(task)
        features = tuple(f for f in info.names if info.types[f] in self.feature_types)
        if not features:
            raise InputError(
                f"PipeOp '{self.id}' reads features of type {list(self.feature_types)}, but "
                f"Task '{task.id}' has none (its feature types: "
                f"{sorted(set(info.types.values()))}). Use the ingress that fits, e.g. "
                f"po('torch_ingress_num') for numeric or po('torch_ingress_categ') for factor "
                f"features, or convert the features first."
            )
        levels = CategoricalLevels.from_task(task, features) if self.kind == "categ" else None
        ingress = Ingress(self.id, self.kind, features, levels)
        self.state = {"features": list(features)}
        md = ModelDescriptor(task=task, ingress={self.id: ingress}, nodes=(), pointer=self.id,
                             shape=ingress.shape)
        return [md]

    def _predict(self, inputs: list[Any]) -> list[Any]:
        return [inputs[0]]


class PipeOpTorchIngressNum(PipeOpTorchIngress):
    """``po("torch_ingress_num")``: numeric, integer and logical (0 / 1) features as one
    float32 tensor."""

    kind = "num"
    feature_types = ("numeric", "integer", "logical")

    def __init__(self, id: str = "torch_ingress_num") -> None:  # noqa: A002
        super().__init__(id, label="Numeric features as a float tensor")


class PipeOpTorchIngressCateg(PipeOpTorchIngress):
    """``po("torch_ingress_categ")``: factor and ordered features as an int64 code matrix.

    Codes are learnt in training (the task's levels); a missing value or a
    level unseen in training gets code 0 at predict time, which
    ``nn("embedding")`` maps to its own "unknown" embedding row.
    """

    kind = "categ"
    feature_types = ("factor", "ordered")

    def __init__(self, id: str = "torch_ingress_categ") -> None:  # noqa: A002
        super().__init__(id, label="Categorical features as integer codes")
