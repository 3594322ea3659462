"""A graph learner's internal validation, internal tuning and internal results
(mlr3pipelines' ``GraphLearner``: ``validate``, ``internal_valid_scores``,
``internal_tuned_values``, ``oob_error``).

Internal validation: :func:`~mlr3py.pipelines.set_validate` sets the graph learner's
``validate`` (a ratio, ``"test"`` or ``"predefined"``) and ``"predefined"`` on its
learner operators'. In training, the validation task (the ratio's share of the
training rows, not trained on; the resampling's test rows for ``"test"``;
``internal_valid_task`` as given for ``"predefined"``) goes through the operators
upstream of each such learner, trained on the training rows and applied in predict
mode, and reaches the learner as its ``internal_valid_task``.

What the learner operators record (validation scores, internally tuned values) comes
back with the operator id in front, as the graph's parameters are named
(``"xgboost.n_estimators"``); the out-of-bag error is that of the one learner feeding
the output.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mlr3py.learners import Learner, LearnerState
from mlr3py.pipelines._graph import Graph
from mlr3py.pipelines._graph_learner_ops import (
    GraphModel,
    _final_learner_ops,
    _learner_ops,
    _validating_ops,
)
from mlr3py.pipelines._validate import (
    check_validate_value,
    validation_split,
    validation_through,
)
from mlr3py.pipelines.ops_basic import PipeOpLearner

if TYPE_CHECKING:
    from mlr3py.tasks import Task, TaskSupervised

__all__ = ["GraphLearnerInternal"]


class GraphLearnerInternal(Learner):
    """The validation and internal results part of :class:`~mlr3py.pipelines.GraphLearner`.

    Attributes
    ----------
    graph : Graph
        The graph learner's graph.
    internal_valid_task : Task or None
        The validation rows for ``validate="test"`` (set by the job runner) or
        ``"predefined"`` (set by hand).
    """

    graph: Graph
    _validate: Any
    internal_valid_task: Task | None

    # -- validation ---------------------------------------------------------------------
    @property
    def validate(self) -> Any:
        """Where the validation data of the graph's learners comes from (settable): None,
        a ratio in (0, 1), ``"test"`` or ``"predefined"``; see the module notes. Set it
        with :func:`~mlr3py.pipelines.set_validate`, which also sets the learners'."""
        return self._validate

    @validate.setter
    def validate(self, value: Any) -> None:
        self._validate = check_validate_value(value, f"Learner '{self.id}'")

    def _split_validation(self, task: TaskSupervised) -> TaskSupervised:
        """The task to train the graph on; the validating learner operators are given
        the validation task through their upstream operators (``valid_source``), which
        the caller resets after training."""
        graph = self.graph
        validating = _validating_ops(graph)
        if not validating:
            return task
        task, valid = validation_split(
            task, self.validate, self.internal_valid_task, f"Learner '{self.id}'",
            [op.id for op in validating])
        for learner_op in validating:
            learner_op.valid_source = (
                lambda op_id=learner_op.id: validation_through(graph, op_id, valid))
        return task

    # -- internal results (mlr3pipelines' GraphLearner) -------------------------------
    def _learner_states(self) -> list[tuple[str, LearnerState]]:
        """(operator id, trained state) of each learner operator of the model."""
        model = self.model
        if not isinstance(model, GraphModel):
            return []
        return [(op.id, state) for op in _learner_ops(self.graph)
                if isinstance(state := model.states.get(op.id), LearnerState)]

    def _prefixed(self, field_name: str) -> dict[str, Any] | None:
        """The learner operators' ``field_name`` dicts merged, each key prefixed with the
        operator id as the graph's parameters are (None when none recorded one)."""
        merged = {f"{op_id}.{key}": value for op_id, state in self._learner_states()
                  for key, value in (getattr(state, field_name) or {}).items()}
        return merged or None

    def _tuning_op(self) -> PipeOpLearner | None:
        """The one learner operator feeding the output, which may tune internally."""
        finals = _final_learner_ops(self.graph)
        return finals[0] if len(finals) == 1 else None

    def internal_tuning_problem(self) -> str | None:
        """The final learner's (see :meth:`Learner.internal_tuning_problem`), or that the
        graph learner gives it no validation data."""
        op = self._tuning_op()
        if op is None:
            return None
        if getattr(op.learner, "validate", None) == "predefined" and self.validate is None:
            return (f"its operator '{op.id}' validates on the data the graph gives it, but the "
                    "graph learner's 'validate' is None; call set_validate(learner, 'test') "
                    "or a ratio such as 0.2")
        problem = op.learner.internal_tuning_problem()
        if problem is not None and getattr(op.learner, "validate", None) is None \
                and "validation" in op.learner.properties:
            # the learner's own hint ("set 'validate'") does not reach it through the graph
            return (f"its operator '{op.id}' has no validation data; call "
                    "set_validate(learner, 'test') or a ratio such as 0.2, which validates "
                    "it on the data the graph gives it")
        return problem

    def internal_tuning_off(self) -> dict[str, Any]:
        """The final learner's, with the operator id in front of each parameter."""
        op = self._tuning_op()
        return {} if op is None else {f"{op.id}.{key}": value
                                      for key, value in op.learner.internal_tuning_off().items()}

    def _extract_internal_valid_scores(self) -> dict[str, float] | None:
        """The learner operators' validation scores, ``"<operator id>.<measure>"``."""
        return self._prefixed("internal_valid_scores")

    def _extract_internal_tuned_values(self) -> dict[str, Any] | None:
        """The learner operators' internally tuned values, ``"<operator id>.<param>"``."""
        return self._prefixed("internal_tuned_values")

    def _extract_oob_error(self) -> float | None:
        """The out-of-bag error of the one learner feeding the output (else None)."""
        model = self.model
        if not isinstance(model, GraphModel):
            return None
        finals = _final_learner_ops(self.graph, model.states)
        state = model.states.get(finals[0].id) if len(finals) == 1 else None
        return state.oob_error if isinstance(state, LearnerState) else None
