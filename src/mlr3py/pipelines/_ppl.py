"""Ready-made graphs: :func:`ppl` (mlr3pipelines' ``ppl()`` / ``mlr_graphs``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mlr3py.learners import Learner
from mlr3py.pipelines._graph import Graph, as_graph, chain
from mlr3py.pipelines._preproc import selector_type
from mlr3py.pipelines._registry import po
from mlr3py.registry import Dictionary
from mlr3py.tasks import Task

__all__ = ["mlr_graphs", "pipeline_robustify", "ppl"]


def pipeline_robustify(task: Task | None = None, learner: Learner | None = None,
                       impute_missings: bool | None = None,
                       factors_to_numeric: bool | None = None) -> Graph:
    """The preprocessing a learner needs to work on a task (mlr3pipelines' ``robustify``).

    Drops constant features, fixes factor levels (new levels at prediction time
    become missing), adds missing indicators and imputes (median for numbers, an
    out-of-range level for factors) when the learner cannot handle missing
    values, and one-hot encodes factors when the learner cannot handle them.
    Without a task or learner, every step that could be needed is added.

    Returns
    -------
    Graph
        The preprocessing, to be followed by the learner: ``ppl("robustify", task,
        learner) >> learner``.
    """
    types = set(task.feature_types["type"]) if task is not None else None
    has_factors = types is None or bool(types & {"factor", "ordered", "character"})
    if impute_missings is None:
        impute_missings = learner is None or "missings" not in learner.properties
    if factors_to_numeric is None:
        factors_to_numeric = has_factors and (
            learner is None or not {"factor", "ordered"} <= learner.feature_types)
    numeric_missing = True
    if task is not None:
        counts = task.missings(task.feature_names)
        numeric = [f for f, t in zip(task.feature_types["id"], task.feature_types["type"],
                                     strict=True) if t in ("numeric", "integer")]
        numeric_missing = bool(sum(int(counts[f]) for f in numeric))
    steps: list[Any] = [po("removeconstants", id="removeconstants_prerobustify")]
    if has_factors:
        steps.append(po("fixfactors"))
    if impute_missings:
        if numeric_missing:
            steps.append(po("missind", affect_columns=selector_type(("numeric", "integer")),
                            type="integer"))
            steps.append(po("imputemedian"))
        if has_factors:
            steps.append(po("imputeoor", affect_columns=selector_type(("factor", "ordered"))))
    if factors_to_numeric:
        steps.append(po("encode", method="one-hot"))
    steps.append(po("removeconstants", id="removeconstants_postrobustify"))
    graph = as_graph(steps[0], clone=True)
    for step in steps[1:]:
        graph = chain(graph, step)
    return graph


#: Ready-made graphs by key.
mlr_graphs: Dictionary[Callable[..., Graph]] = Dictionary("mlr_graphs", "Graph")
mlr_graphs.add("robustify", lambda: pipeline_robustify)


def ppl(key: str, *args: Any, **kwargs: Any) -> Graph:
    """Build the ready-made graph ``key`` (``ppl("robustify", task, learner)``)."""
    builder = mlr_graphs.get(key)
    return builder(*args, **kwargs)
