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

Internal validation (mlr3pipelines' ``validate``, set with
:func:`~mlr3py.pipelines.set_validate`), internal tuning and the learner operators'
internal results: :mod:`._graph_learner_internal`. The graph's learner operators and
the check of its output: :mod:`._graph_learner_ops`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from mlr3py.data import to_pandas
from mlr3py.errors import ConfigError, NotTrainedError
from mlr3py.learners import (
    Learner,
    LearnerClassif,
    LearnerRegr,
    ModelQueries,
    coerce_learner,
    register_learner_conversion,
)
from mlr3py.pipelines._graph import Graph, as_graph
from mlr3py.pipelines._graph_learner_internal import GraphLearnerInternal
from mlr3py.pipelines._graph_learner_ops import (
    GraphModel,
    _check_graph,
    _final_learner_ops,
    _inner_learner_ops,
    _learner_ops,
    _uses_weights,
)
from mlr3py.pipelines._pipeop import NO_OP, PipeOp
from mlr3py.pipelines._preproc import PipeOpTaskPreproc
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


#: the model queries a graph learner passes on to its final learner
_QUERIES = ("importance", "selected_features", "oob_error")


class GraphLearner(ModelQueries, GraphLearnerInternal):
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
        for query in _QUERIES:  # passed on to the learners whose prediction is the output
            if not finals or not all(query in op.learner.properties for op in finals):
                props.discard(query)
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
        self.graph = graph
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
                "pass importance(), selected_features() or oob_error() on. Ask an "
                "operator instead: "
                "learner.graph_model.pipeops[id].learner_model."
            )
        return finals[0].learner_model_from(model.states[finals[0].id])

    def _queried_learner(self, query: str) -> Learner:
        """The graph's final learner (:meth:`base_learner`), which answers ``importance()``,
        ``selected_features()`` and ``oob_error()`` (mlr3pipelines passes them on).

        Its feature names are those of the task it was trained on, i.e. after the
        graph's preprocessing: ``po("encode")`` gives dummy columns (``sex.male``),
        ``po("pca")`` gives ``PC1``, ...; they need not be the features of the task
        given to the graph learner.
        """
        return self.base_learner()

    def _missing_property(self, prop: str) -> ConfigError:
        return ConfigError(
            f"Learner '{self.id}' cannot compute {prop}: the learner at the end of its "
            f"graph lacks the property '{prop}'. End the graph with a learner that has "
            "it, e.g. lrn('classif.rpart')."
        )

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
        task = self._split_validation(task)
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
        text = super().__repr__() + "\n* Graph: " + " >> ".join(self.graph.ids)
        if self.validate is not None:
            text += f"\n* Validate: {self.validate!r}"
        return text


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
