"""A graph as a learner: :class:`GraphLearner` and :func:`as_learner` (mlr3pipelines).

The graph must end in one output that is a prediction in prediction (a learner
operator at the end). Training trains every operator on the training rows;
the model is the operators' states, so resampling, benchmarking, encapsulation,
every plan and pickling work as for any learner. The parameters are the
operators' under prefixed ids (``scale.center``, ``classif.rpart.max_depth``):
``to_tune()`` works on them.

New factor levels at prediction time are not refused by the graph learner
itself: each operator handles them as its documentation says (``encode`` gives
all-zero dummies, ``fixfactors`` missing values, ``encodeimpact`` missing or zero),
and a learner at the end refuses levels it never saw.

Internal validation (mlr3pipelines' ``validate``): :func:`~mlr3py.pipelines.set_validate`
sets the graph learner's ``validate`` (a ratio, ``"test"`` or ``"predefined"``) and
``"predefined"`` on its learner operators'. In training, the validation task (the
ratio's share of the training rows, not trained on; the resampling's test rows for
``"test"``; ``internal_valid_task`` as given for ``"predefined"``) goes through the
operators upstream of each such learner, trained on the training rows and applied in
predict mode, and reaches the learner as its ``internal_valid_task``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from mlr3py.data import to_pandas
from mlr3py.errors import ConfigError, NotTrainedError
from mlr3py.learners import (
    Learner,
    LearnerClassif,
    LearnerRegr,
    LearnerState,
    coerce_learner,
    register_learner_conversion,
)
from mlr3py.pipelines._graph import Graph, as_graph
from mlr3py.pipelines._pipeop import NO_OP, PipeOp
from mlr3py.pipelines._preproc import PipeOpTaskPreproc
from mlr3py.pipelines._validate import (
    check_validate_value,
    validation_split,
    validation_through,
)
from mlr3py.pipelines.ops_basic import PipeOpLearner
from mlr3py.predictions import (
    Prediction,
    PredictionData,
)
from mlr3py.reflections import FEATURE_TYPES

if TYPE_CHECKING:
    from mlr3py.tasks import Task, TaskSupervised

__all__ = ["GraphLearner", "GraphLearnerClassif", "GraphLearnerRegr", "GraphModel",
           "as_learner"]


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


class GraphLearner(Learner):
    """A :class:`Graph` that ends in a learner, used as a learner.

    Parameters
    ----------
    graph : Graph or PipeOp
        The graph (cloned).
    id : str, optional
        Defaults to the operator ids joined by ``"."``.

    Attributes
    ----------
    internal_valid_task : Task or None
        The validation rows for ``validate="test"`` (set by the job runner) or
        ``"predefined"`` (set by hand).

    Notes
    -----
    The graph learner has the property ``"weights"`` when any operator of the
    graph trains with learner weights (a learner or ``learner_cv`` operator whose
    learner has it, wherever it stands), so its ``use_weights`` defaults to
    ``"use"`` and a weighted task's weights reach those operators; each inner
    learner then applies its own ``use_weights``.

    Examples
    --------
    >>> from mlr3py import lrn, resample, rsmp, tsk
    >>> from mlr3py.pipelines import po
    >>> learner = GraphLearner(po("scale") >> lrn("classif.rpart"))
    >>> learner.param_set.values["classif.rpart.max_depth"] = 3
    >>> rr = resample(tsk("iris"), learner, rsmp("cv", folds=3))
    """

    def __new__(cls, graph: Any = None, id: str | None = None) -> GraphLearner:  # noqa: A002
        if cls is GraphLearner and graph is not None:
            kind = _check_graph(as_graph(graph))
            cls = GraphLearnerClassif if kind == "classif" else GraphLearnerRegr
        return super().__new__(cls)

    def __init__(self, graph: Any, id: str | None = None) -> None:  # noqa: A002
        graph = as_graph(graph, clone=True)
        _check_graph(graph)
        for op in graph.pipeops.values():
            op.reset()
        learners = _inner_learner_ops(graph)
        inner = learners[-1].learner
        props = set(inner.properties)
        if any(isinstance(op, PipeOpTaskPreproc) and op.imputes for op in graph.pipeops.values()):
            props.add("missings")
        if any(_uses_weights(op) for op in graph.pipeops.values()):
            props.add("weights")  # so use_weights defaults to "use" (mlr3pipelines)
        finals = _final_learner_ops(graph)
        if not finals or not all("importance" in op.learner.properties for op in finals):
            props.discard("importance")
        super().__init__(
            id if id is not None else ".".join(graph.ids),
            param_set=graph.param_set,
            predict_types=inner.predict_types,
            feature_types=FEATURE_TYPES,
            properties=props,
            packages=sorted({p for op in graph.pipeops.values() for p in op.packages}),
            label="",
        )
        self._predict_type = inner.predict_type
        self.graph: Graph = graph
        self._validate: Any = None
        self.internal_valid_task: Task | None = None
        final = self._tuning_op()
        if final is not None and final.learner.internal_tuning_param is not None:
            # the graph's parameters carry the operator id (mlr3pipelines' internal tuning)
            self.internal_tuning_param = f"{final.id}.{final.learner.internal_tuning_param}"

    def __getnewargs__(self) -> tuple[Any, ...]:
        return ()

    def _design(self) -> Any:
        """The graph's operators (id and class; a learner's own design) and its edges;
        their parameter values are the graph learner's."""
        ops = [(op.id, f"{type(op).__module__}.{type(op).__qualname__}",
                op.learner._design() if isinstance(op, PipeOpLearner) else None)
               for op in self.graph.pipeops.values()]
        edges = [(e.src_id, e.src_channel, e.dst_id, e.dst_channel) for e in self.graph.edges]
        design: dict[str, Any] = {"ops": ops, "edges": edges}
        if self._validate is not None:
            design["validate"] = self._validate
        return design

    # -- fields -------------------------------------------------------------------------
    @property
    def validate(self) -> Any:
        """Where the validation data of the graph's learners comes from (settable): None,
        a ratio in (0, 1), ``"test"`` or ``"predefined"``; see the module notes. Set it
        with :func:`~mlr3py.pipelines.set_validate`, which also sets the learners'."""
        return self._validate

    @validate.setter
    def validate(self, value: Any) -> None:
        self._validate = check_validate_value(value, f"Learner '{self.id}'")

    @property
    def predict_type(self) -> str:
        """The predict type, also set on the learners that feed the graph's output (settable)."""
        return self._predict_type

    @predict_type.setter
    def predict_type(self, value: str) -> None:
        if value not in self.predict_types:
            raise ConfigError(
                f"The predict type of Learner '{self.id}' must be one of "
                f"{', '.join(repr(p) for p in self.predict_types)}. Got {value!r} instead."
            )
        # every learner whose prediction reaches the output (all members of an ensemble)
        for op in _final_learner_ops(self.graph) or _inner_learner_ops(self.graph)[-1:]:
            op.learner.predict_type = value
        self._predict_type = value

    @property
    def graph_model(self) -> Graph:
        """The graph with the trained states (a copy)."""
        model = self.model
        if not isinstance(model, GraphModel):
            raise NotTrainedError(f"Learner '{self.id}' has not been trained yet.")
        graph = self.graph.clone()
        graph.state = model.states
        return graph

    def base_learner(self) -> Learner:
        """The trained learner whose prediction the graph outputs (a copy with its state).

        Raises
        ------
        NotTrainedError
            If the graph learner has not been trained.
        ConfigError
            If several learners feed the output (no single one to ask).
        """
        model = self.model
        if not isinstance(model, GraphModel):
            raise NotTrainedError(
                f"Learner '{self.id}' has no model; call learner.train(task) first.")
        finals = _final_learner_ops(self.graph, model.states)
        if len(finals) != 1:
            raise ConfigError(
                f"Learner '{self.id}' has {len(finals)} learners feeding its output "
                f"({', '.join(op.id for op in finals) or 'none'}); it needs exactly one to "
                "pass importance() on. Ask an operator instead: "
                "learner.graph_model.pipeops[id].learner_model."
            )
        return finals[0].learner_model_from(model.states[finals[0].id])

    def importance(self) -> pd.Series:
        """The feature importance of the graph's final learner (mlr3pipelines passes it on).

        The feature names are those of the task the final learner was trained on,
        i.e. after the graph's preprocessing: ``po("encode")`` gives dummy columns
        (``sex.male``), ``po("pca")`` gives ``PC1``, ...; they need not be the
        features of the task given to the graph learner.

        Returns
        -------
        pandas.Series
            The final learner's ``importance()``.

        Raises
        ------
        NotTrainedError
            If the graph learner has not been trained.
        ConfigError
            If the final learner has no property ``"importance"``, or several learners
            feed the output.
        """
        if "importance" not in self.properties:
            raise ConfigError(
                f"Learner '{self.id}' has no feature importance: the learner at the end of "
                f"its graph lacks the property 'importance'. End the graph with a learner "
                "that has it, e.g. lrn('classif.rpart')."
            )
        learner = self.base_learner()
        return learner.importance()  # type: ignore[attr-defined, no-any-return]

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
        return op.learner.internal_tuning_problem()

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

    def pipeop(self, op_id: str) -> PipeOp:
        """The operator ``op_id`` of the graph."""
        return self.graph.pipeops[op_id]

    # -- train / predict ------------------------------------------------------------
    def train(self, task: TaskSupervised, row_ids: Any = None) -> GraphLearner:
        super().train(task, row_ids)
        if self.state is not None:
            # the operators handle new factor levels (see the module notes)
            self.state.levels = {}
        return self

    def predict_newdata(self, newdata: Any, task: TaskSupervised | None = None) -> Prediction:
        """Predict new observations given as a data frame (see :meth:`Learner.predict_newdata`).

        Factor features keep the levels they have in ``newdata``; the operators
        handle levels unseen in training.
        """
        state = self.state
        if state is None:
            return super().predict_newdata(newdata, task)
        frame = to_pandas(newdata)
        state.levels = {
            name: _levels(frame[name]) for name, kind in state.feature_types.items()
            if kind in ("factor", "ordered") and name in frame.columns
        }
        try:
            return super().predict_newdata(frame, task)
        finally:
            state.levels = {}

    def _train(self, task: TaskSupervised) -> GraphModel:
        graph = self.graph
        validating = _validating_ops(graph)
        if validating:
            task, valid = validation_split(
                task, self.validate, self.internal_valid_task, f"Learner '{self.id}'",
                [op.id for op in validating])
            for learner_op in validating:
                learner_op.valid_source = (
                    lambda op_id=learner_op.id: validation_through(graph, op_id, valid))
        try:
            graph.train(task)
            return GraphModel(states=graph.state)
        finally:
            for op in graph.pipeops.values():
                op.reset()
            for learner_op in _learner_ops(graph):
                learner_op.learner.reset()
                learner_op.valid_source = None

    def _predict(self, task: TaskSupervised) -> PredictionData:
        model = self.model
        assert isinstance(model, GraphModel)
        graph = self.graph
        graph.state = model.states
        try:
            (prediction,) = graph.predict(task).values()
        finally:
            for op in graph.pipeops.values():
                op.reset()
            for op in _learner_ops(graph):
                op.learner.reset()
        if prediction is NO_OP:
            raise ConfigError(
                f"The graph of Learner '{self.id}' gave no prediction: its output is on a "
                "branch that is not selected. Select a branch that ends in the learner.")
        if not isinstance(prediction, Prediction):
            raise ConfigError(
                f"The graph returned {type(prediction).__name__}, not a prediction.")
        return prediction.as_prediction_data()

    def __repr__(self) -> str:
        return super().__repr__() + "\n* Graph: " + " >> ".join(self.graph.ids)


class GraphLearnerClassif(GraphLearner, LearnerClassif):
    """A :class:`GraphLearner` whose graph ends in a classification learner."""


class GraphLearnerRegr(GraphLearner, LearnerRegr):
    """A :class:`GraphLearner` whose graph ends in a regression learner."""


def as_learner(obj: Any, id: str | None = None) -> Learner:  # noqa: A002
    """``obj`` as a learner (mlr3's ``as_learner()``): a graph or an operator becomes a
    :class:`GraphLearner`, a scikit-learn estimator a learner of its own (see
    :func:`mlr3py.learners.as_learner`), a learner stays itself; each through the
    conversions registered with :func:`mlr3py.learners.register_learner_conversion`.

    Parameters
    ----------
    obj : Learner, Graph, PipeOp or scikit-learn estimator
    id : str, optional
        The learner's id (the default is the conversion's).

    Raises
    ------
    ConfigError
        If the graph's output is not a prediction, or ``obj`` has no conversion.
    """
    learner = coerce_learner(obj)
    if not isinstance(learner, Learner):
        raise ConfigError(
            "as_learner() needs a Learner, a Graph or PipeOp, or a scikit-learn estimator "
            f"(a BaseEstimator). Got {type(obj).__name__} instead."
        )
    if id is not None:
        learner.id = id
    return learner


def _levels(values: pd.Series) -> list[Any]:
    if isinstance(values.dtype, pd.CategoricalDtype):
        return list(values.cat.categories)
    return sorted(values.dropna().astype(str).unique())


register_learner_conversion(Graph, GraphLearner)
register_learner_conversion(PipeOp, GraphLearner)
