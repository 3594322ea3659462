"""What a :class:`~mlr3py.pipelines.GraphLearner` reads from its graph: its model record
(:class:`GraphModel`), its learner operators (all of them, those that validate, those
feeding the output) and the check that the graph ends in one prediction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mlr3py.errors import ConfigError
from mlr3py.pipelines._graph import Graph
from mlr3py.pipelines._pipeop import NO_OP, PipeOp
from mlr3py.pipelines.ops_basic import PipeOpLearner

__all__ = ["GraphModel"]


@dataclass
class GraphModel:
    """The model of a trained graph learner: every operator's state, by operator id."""

    states: dict[str, Any]


def _learner_ops(graph: Graph) -> list[PipeOpLearner]:
    return [op for op in graph.pipeops.values() if isinstance(op, PipeOpLearner)]


def _validating_ops(graph: Graph) -> list[PipeOpLearner]:
    """The learner operators whose learner validates on the data the graph gives it
    (``validate="predefined"``)."""
    return [op for op in _learner_ops(graph)
            if getattr(op.learner, "validate", None) == "predefined"]


def _uses_weights(op: PipeOp) -> bool:
    """Whether ``op`` trains with the task's learner weights: it has the property
    ``"weights"``, or it trains a learner with that property on the task it gets (a
    learner or learner_cv operator; imputelearner builds tasks of its own)."""
    from mlr3py.pipelines.ops_learner_cv import PipeOpLearnerCV

    if "weights" in getattr(op, "properties", ()):
        return True
    return isinstance(op, PipeOpLearner | PipeOpLearnerCV) and "weights" in op.learner.properties


def _inner_learner_ops(graph: Graph) -> list[Any]:
    """The learner operators, else the ``learner_cv`` ones (a graph that ends in
    ``po("learner_cv") >> po("tunethreshold")`` has no other learner)."""
    from mlr3py.pipelines.ops_learner_cv import PipeOpLearnerCV

    return _learner_ops(graph) or [op for op in graph.pipeops.values()
                                   if isinstance(op, PipeOpLearnerCV)]


def _final_learner_ops(graph: Graph, states: dict[str, Any] | None = None) -> list[PipeOpLearner]:
    """The learner operators whose prediction is the graph's output (mlr3pipelines'
    ``base_learner()``): found by walking back from the output to the first learner
    on each path. With ``states`` (a trained model), paths an inactive branch skipped
    (state ``NO_OP``) are left out."""
    found: list[PipeOpLearner] = []
    seen: set[str] = set()
    todo = [op_id for op_id, _ in graph.output]
    while todo:
        op_id = todo.pop()
        if op_id in seen:
            continue
        seen.add(op_id)
        op = graph.pipeops[op_id]
        if states is not None and states.get(op_id) is NO_OP:
            continue
        if isinstance(op, PipeOpLearner):
            found.append(op)
            continue
        todo.extend(e.src_id for e in graph.edges if e.dst_id == op_id)
    return sorted(found, key=lambda o: graph.ids.index(o.id))


def _check_graph(graph: Graph) -> str:
    """The graph's task type; raises :class:`ConfigError` unless it outputs one prediction."""
    outputs = graph.output
    if len(outputs) != 1:
        raise ConfigError(
            f"A GraphLearner needs a graph with exactly one output. Got {len(outputs)} "
            f"({', '.join(f'{i}.{c.name}' for i, c in outputs)}); join them, e.g. with "
            "po('featureunion'), and end with a learner."
        )
    op_id, channel = outputs[0]
    if channel.predict not in ("Prediction", "PredictionClassif", "PredictionRegr", "*"):
        raise ConfigError(
            f"A GraphLearner needs a graph whose output is a prediction. Its output "
            f"'{op_id}.{channel.name}' gives a {channel.predict}; end the graph with a learner "
            "(graph >> lrn('classif.rpart'))."
        )
    learners = _inner_learner_ops(graph)
    types = {op.learner.task_type for op in learners}
    if len(types) != 1:
        raise ConfigError(
            "A GraphLearner needs learners of one task type in its graph. Got "
            f"{sorted(types) or 'no learner'}."
        )
    return types.pop()
