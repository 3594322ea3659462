"""A network graph as a learner: :func:`as_learner_torch` and :class:`GraphLearnerTorch`.

The learner is a :class:`~mlr3py.pipelines.GraphLearner` (so resampling,
benchmarking, encapsulation, every plan, pickling and ``to_tune()`` on the
operators' prefixed parameters work as for any graph learner) with the torch
learner's fields: :attr:`~GraphLearnerTorch.network`,
:attr:`~GraphLearnerTorch.history` and :meth:`~GraphLearnerTorch.dataset`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd
from torch import nn

from mlr3py.errors import ConfigError, NotTrainedError
from mlr3py.pipelines import (
    Graph,
    GraphLearner,
    GraphLearnerClassif,
    GraphLearnerRegr,
    GraphModel,
    as_graph,
)
from mlr3py.torch.dataset import TaskDataset
from mlr3py.torch.graph.ops_ingress import PipeOpTorchIngress
from mlr3py.torch.graph.ops_layers import PipeOpTorchHead
from mlr3py.torch.graph.ops_model import PipeOpTorchModel

if TYPE_CHECKING:
    from mlr3py.tasks import Task, TaskSupervised
    from mlr3py.torch.learner import TorchModel

__all__ = ["GraphLearnerTorch", "GraphLearnerTorchClassif", "GraphLearnerTorchRegr",
           "as_learner_torch"]


def _model_op(graph: Graph) -> PipeOpTorchModel:
    ops = [op for op in graph.pipeops.values() if isinstance(op, PipeOpTorchModel)]
    if len(ops) != 1:
        raise ConfigError(
            f"A torch graph learner needs exactly one po('torch_model_classif') or "
            f"po('torch_model_regr') at the end of its graph; this graph has {len(ops)}."
        )
    return ops[0]


def check_torch_graph(graph: Graph) -> PipeOpTorchModel:
    """Raise :class:`ConfigError` unless ``graph`` has an ingress, a head and one model op."""
    model = _model_op(graph)
    ops = list(graph.pipeops.values())
    if not any(isinstance(op, PipeOpTorchIngress) for op in ops):
        raise ConfigError(
            "The network graph has no ingress: start the network with po('torch_ingress_num') "
            "(numeric features) or po('torch_ingress_categ') (factor features)."
        )
    if not any(isinstance(op, PipeOpTorchHead) for op in ops):
        raise ConfigError(
            "The network graph has no output layer: end the network with nn('head') (sized "
            "from the task) before the loss, optimizer and model operators."
        )
    return model


def _without(graph: Graph, op_id: str) -> Graph:
    """``graph`` less the operator ``op_id``, sharing (not copying) the other operators."""
    out = Graph()
    out.pipeops = {i: op for i, op in graph.pipeops.items() if i != op_id}
    out.edges = [e for e in graph.edges if op_id not in (e.src_id, e.dst_id)]
    return out


class GraphLearnerTorch(GraphLearner):
    """A :class:`~mlr3py.pipelines.GraphLearner` around a network graph (see the module notes).

    Build it with :func:`as_learner_torch`.
    """

    def __new__(cls, graph: Any = None, id: str | None = None) -> GraphLearnerTorch:  # noqa: A002
        if cls is GraphLearnerTorch and graph is not None:
            model = _model_op(as_graph(graph))
            kind = model.learner.task_type
            cls = GraphLearnerTorchClassif if kind == "classif" else GraphLearnerTorchRegr
        new: GraphLearnerTorch = super().__new__(cls)  # type: ignore[assignment]
        return new

    def __init__(self, graph: Any, id: str | None = None) -> None:  # noqa: A002
        graph = as_graph(graph)
        self._model_id = check_torch_graph(graph).id
        super().__init__(graph, id=id)
        #: The validation rows for ``validate="test"``; set by the job runner.
        self.internal_valid_task: Task | None = None
        # what the ingresses read (character or date features need preprocessing first)
        self.feature_types = {"logical", "integer", "numeric", "factor", "ordered"}

    @property
    def validate(self) -> Any:
        """The model operator's ``validate`` value (``None``, a ratio, ``"test"`` or
        ``"predefined"``; settable, as by :func:`~mlr3py.pipelines.set_validate`)."""
        return self.graph.pipeops[self._model_id].param_set.values.get("validate")

    @validate.setter
    def validate(self, value: Any) -> None:
        values = self.graph.pipeops[self._model_id].param_set.values
        if value is None:
            values.pop("validate", None)
        else:
            values["validate"] = value

    def _train(self, task: TaskSupervised) -> GraphModel:
        op = self.graph.pipeops[self._model_id]
        assert isinstance(op, PipeOpTorchModel)
        valid = self.internal_valid_task
        if valid is not None:
            # the validation rows go through the trained operators before the model
            op.prepare_valid = lambda: _without(self.graph, self._model_id).predict(valid)
        try:
            return super()._train(task)
        finally:
            op.prepare_valid = None

    def _torch_model(self) -> TorchModel | None:
        model = self.model
        if not isinstance(model, GraphModel):
            return None
        state = model.states.get(self._model_id)
        return None if state is None else state.model

    @property
    def network(self) -> nn.Module | None:
        """The trained network (``None`` while untrained)."""
        model = self._torch_model()
        return None if model is None else model.network

    @property
    def history(self) -> pd.DataFrame | None:
        """One row per epoch of the last training (``None`` while untrained)."""
        model = self._torch_model()
        return None if model is None else model.history

    def dataset(self, task: Task) -> TaskDataset:
        """The tensors the trained network gets for ``task``'s rows (after the graph's
        preprocessing), with the target encoded as in training.

        Raises
        ------
        NotTrainedError
            If the learner has not been trained.
        """
        torch_model = self._torch_model()
        if torch_model is None:
            raise NotTrainedError(f"Learner '{self.id}' has not been trained yet; the "
                                  f"dataset's encoding is learnt in training.")
        (prepared,) = _without(self.graph_model, self._model_id).predict(task).values()
        kinds = {"binary": "binary", "multi": "codes", "regr": "numeric"}
        return TaskDataset(prepared, encoder=torch_model.encoder,
                           target=kinds[torch_model.output], device=torch_model.device)


class GraphLearnerTorchClassif(GraphLearnerTorch, GraphLearnerClassif):
    """A classification network graph as a learner."""


class GraphLearnerTorchRegr(GraphLearnerTorch, GraphLearnerRegr):
    """A regression network graph as a learner."""


def as_learner_torch(graph: Any, id: str | None = None) -> GraphLearnerTorch:  # noqa: A002
    """A learner from a network graph (mlr3torch's ``as_learner()`` on a torch graph).

    Parameters
    ----------
    graph : Graph
        Optional preprocessing operators, one or more ingresses, layer operators
        ending in ``nn("head")``, optional ``po("torch_loss")``,
        ``po("torch_optimizer")``, ``po("torch_callbacks")``, and
        ``po("torch_model_classif" | "torch_model_regr")`` at the end.
    id : str, optional
        The learner's id (default: the operator ids joined by ``"."``).

    Raises
    ------
    ConfigError
        If the graph has no ingress, no ``nn("head")``, or not exactly one model
        operator.

    Examples
    --------
    >>> from mlr3py import po, tsk
    >>> from mlr3py.torch import as_learner_torch, nn
    >>> graph = (po("torch_ingress_num") >> nn("linear", out_features=16) >> nn("relu")
    ...          >> nn("head") >> po("torch_optimizer", "adam", lr=0.01)
    ...          >> po("torch_model_classif", epochs=5, batch_size=16, seed=1))
    >>> learner = as_learner_torch(graph)
    >>> learner.train(tsk("iris")).network is not None
    True
    """
    return GraphLearnerTorch(graph, id=id)
