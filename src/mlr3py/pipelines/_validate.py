"""Validation data of a graph learner: the values of its ``validate``, the split of a
ratio, and the validation task as a learner operator inside the graph sees it.

A graph learner validates as mlr3pipelines' does: its own ``validate`` (a ratio,
``"test"`` or ``"predefined"``) says where the validation task comes from; the
learner operators whose learner has ``validate="predefined"`` (see
:func:`~mlr3py.pipelines.set_validate`) get that task as their learner's
``internal_valid_task`` after it went, in predict mode, through the operators
upstream of them, already trained on the training data.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mlr3py.errors import ConfigError
from mlr3py.learners._validation import (
    check_validate,
    missing_valid_task_error,
    split_validation,
)
from mlr3py.pipelines._graph import Graph

if TYPE_CHECKING:
    from mlr3py.tasks import TaskSupervised

__all__ = ["check_validate_value", "split_validation", "validation_split", "validation_through"]


def check_validate_value(value: Any, owner: str) -> Any:
    """``value`` if a graph learner's ``validate`` may take it: None, a ratio in (0, 1),
    ``"test"`` or ``"predefined"``.

    Raises
    ------
    ConfigError
        Naming ``owner`` and the value, otherwise.
    """
    if check_validate(value) is True:
        return value if value is None or isinstance(value, str) else float(value)
    raise ConfigError(
        f"The 'validate' field of {owner} must be None, a ratio in (0, 1), 'test' or "
        f"'predefined'. Got {value!r} instead."
    )


def validation_split(task: TaskSupervised, validate: Any, internal_valid_task: Any, owner: str,
                     op_ids: list[str]) -> tuple[TaskSupervised, TaskSupervised]:
    """The training task and the validation task of a graph learner, as its ``validate``
    says (``op_ids``: its operators whose learners validate on them).

    Raises
    ------
    ConfigError
        If ``validate`` is None, or ``"test"`` / ``"predefined"`` without an
        ``internal_valid_task``, or a ratio that leaves no training or validation rows.
    """
    if validate is None:
        raise ConfigError(
            f"The learners of {', '.join(repr(i) for i in op_ids)} in {owner} validate on "
            "the data the graph gives them (validate='predefined'), but the graph learner's "
            "'validate' is None. Call set_validate(learner, 'test') or a ratio such as 0.2; "
            "or set_validate(learner, None) to validate nowhere."
        )
    if not isinstance(validate, str):
        return split_validation(task, float(validate), owner)
    if internal_valid_task is None:
        raise missing_valid_task_error(owner, validate)
    return task, internal_valid_task  # type: ignore[no-any-return]


def _upstream(graph: Graph, op_id: str) -> Graph:
    """The operators ``op_id`` depends on and their edges, shared (not copied)."""
    keep = graph._ancestors(op_id)
    out = Graph()
    out.pipeops = {i: op for i, op in graph.pipeops.items() if i in keep}
    out.edges = [e for e in graph.edges if e.src_id in keep and e.dst_id in keep]
    return out


def validation_through(graph: Graph, op_id: str, valid: TaskSupervised) -> Any:
    """The validation task as the operator ``op_id`` gets it: ``valid`` predicted through
    the (trained) operators upstream of it; ``valid`` itself when it is a graph input."""
    feeding = [e for e in graph.edges if e.dst_id == op_id]
    if not feeding:
        return valid.clone()
    if len(feeding) != 1:
        raise ConfigError(
            f"PipeOp '{op_id}' gets {len(feeding)} inputs, so the graph cannot pass it one "
            "validation task. Join them before the learner, e.g. with po('featureunion')."
        )
    edge = feeding[0]
    outputs = _upstream(graph, op_id).predict(valid.clone())
    key = f"{edge.src_id}.{edge.src_channel}"
    if key not in outputs:
        raise ConfigError(
            f"The validation task cannot reach PipeOp '{op_id}': the output '{key}' that "
            "feeds it also feeds another operator upstream of it. Validate with a ratio on "
            "the learner itself instead (set_validate(graph_learner, None) and set its "
            "'validate')."
        )
    return outputs[key]
