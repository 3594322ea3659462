"""Replicated graphs and bagging: ``ppl("greplicate", graph, n)`` and ``ppl("bagging", ...)``
(mlr3pipelines' ``pipeline_greplicate`` and ``pipeline_bagging``)."""

from __future__ import annotations

from typing import Any

from mlr3py.errors import ConfigError
from mlr3py.pipelines._graph import Edge, Graph, as_graph, chain, gunion
from mlr3py.pipelines._registry import po
from mlr3py.pipelines.ops_replicate import PipeOpReplicate

__all__ = ["pipeline_bagging", "pipeline_greplicate"]


def _check_count(value: Any, what: str, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigError(f"The '{what}' of {where} must be an int >= 1. Got {value!r} instead.")
    return value


def _with_suffix(graph: Graph, suffix: str) -> Graph:
    """A copy of ``graph`` whose operator ids end in ``suffix`` (mlr3pipelines'
    ``update_ids(postfix = suffix)``)."""
    copy = graph.clone()
    out = Graph()
    for op in copy.pipeops.values():
        op.id = f"{op.id}{suffix}"
        out.pipeops[op.id] = op
    out.edges = [Edge(f"{e.src_id}{suffix}", e.src_channel, f"{e.dst_id}{suffix}",
                      e.dst_channel) for e in copy.edges]
    return out


def pipeline_greplicate(graph: Any, n: int) -> Graph:
    """``n`` copies of ``graph`` side by side, their operator ids suffixed ``_1``, ``_2``, ...

    Parameters
    ----------
    graph : Graph, PipeOp or Learner
        The graph to copy (cloned).
    n : int
        The number of copies (>= 1).

    Returns
    -------
    Graph
        Its inputs are the copies' inputs, its outputs their outputs, copy by copy.

    Examples
    --------
    >>> from mlr3py import lrn
    >>> from mlr3py.pipelines import po, ppl
    >>> graph = ppl("greplicate", po("subsample") >> lrn("classif.rpart"), 3)
    >>> sorted(graph.pipeops)[:2]
    ['classif.rpart_1', 'classif.rpart_2']
    """
    n = _check_count(n, "n", "ppl('greplicate')")
    base = as_graph(graph, clone=True)
    return gunion([_with_suffix(base, f"_{i + 1}") for i in range(n)])


def pipeline_bagging(graph: Any, iterations: int = 10, frac: float = 0.7,
                     averager: Any = None, replace: bool = False) -> Graph:
    """Bagging (mlr3pipelines' ``pipeline_bagging``): ``iterations`` copies of ``graph``,
    each trained on its own random subsample of the rows, their predictions averaged.

    ``po("replicate", reps=iterations) >> ppl("greplicate", po("subsample", frac=frac,
    replace=replace) >> graph, iterations) >> averager``. The subsamples are drawn
    in training only; at prediction time every copy predicts all rows.

    Parameters
    ----------
    graph : Graph, PipeOp or Learner
        What each copy trains, usually a learner (cloned).
    iterations : int
        The number of copies, default 10.
    frac : float
        The share of rows each copy trains on, in [0, 1], default 0.7.
    averager : PipeOp or Graph, optional
        Combines the copies' predictions, e.g. ``po("classifavg")`` or ``po("regravg")``;
        default: the one that fits the task type of the graph's learners. Pass
        ``False`` for none (then the graph has ``iterations`` outputs).
    replace : bool
        Draw the rows with replacement (the original bagging: ``frac=1, replace=True``).

    Returns
    -------
    Graph

    Examples
    --------
    >>> from mlr3py import lrn, resample, rsmp, tsk
    >>> from mlr3py.pipelines import as_learner, ppl
    >>> learner = as_learner(ppl("bagging", lrn("classif.rpart"), iterations=3, frac=0.7))
    >>> rr = resample(tsk("iris"), learner, rsmp("holdout"))
    """
    where = "ppl('bagging')"
    iterations = _check_count(iterations, "iterations", where)
    if isinstance(frac, bool) or not isinstance(frac, (int, float)) or not 0 <= frac <= 1:
        raise ConfigError(f"The 'frac' of {where} must be a number in [0, 1]. "
                          f"Got {frac!r} instead.")
    if not isinstance(replace, bool):
        raise ConfigError(f"The 'replace' of {where} must be a bool. Got {replace!r} instead.")
    base = as_graph(graph, clone=True)
    if len(base.input) != 1 or len(base.output) != 1:
        raise ConfigError(f"The 'graph' of {where} must have one input and one output. Got "
                          f"{len(base.input)} input(s) and {len(base.output)} output(s).")
    member = chain(po("subsample", frac=frac, replace=replace), base)
    bagged = chain(PipeOpReplicate(reps=iterations), pipeline_greplicate(member, iterations))
    if averager is False:
        return bagged
    if averager is None:
        averager = _default_averager(base)
    return chain(bagged, as_graph(averager, clone=True))


def _default_averager(graph: Graph) -> Any:
    from mlr3py.pipelines.ops_basic import PipeOpLearner

    types = {op.learner.task_type for op in graph.pipeops.values()
             if isinstance(op, PipeOpLearner)}
    if types == {"classif"}:
        return po("classifavg")
    if types == {"regr"}:
        return po("regravg")
    raise ConfigError(
        "ppl('bagging') cannot choose an averager: the graph holds learners of task types "
        f"{sorted(types) or 'none'}. Pass one: averager=po('classifavg') or po('regravg').")
