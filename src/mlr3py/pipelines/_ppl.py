"""Ready-made graphs: :func:`ppl` (mlr3pipelines' ``ppl()`` / ``mlr_graphs``)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from mlr3py.errors import ConfigError
from mlr3py.learners import Learner
from mlr3py.pipelines._graph import Graph, as_graph, chain, gunion
from mlr3py.pipelines._ppl_robustify import pipeline_robustify
from mlr3py.pipelines._registry import po
from mlr3py.registry import Dictionary

__all__ = ["mlr_graphs", "pipeline_branch", "pipeline_robustify", "pipeline_stacking", "ppl"]


def pipeline_stacking(base_learners: Sequence[Learner], super_learner: Learner,
                      method: str = "cv", folds: int = 3, use_features: bool = True) -> Graph:
    """Stacking (mlr3pipelines' ``pipeline_stacking``): a super learner trained on the
    base learners' cross-validated predictions.

    ``gunion([po("learner_cv", b) for b in base_learners] + [po("nop")])
    >> po("featureunion", id="featureunion_stacking") >> super_learner``.

    Parameters
    ----------
    base_learners : sequence of Learner
        The base learners (cloned); their predict types choose the features
        (``<id>.response`` or ``<id>.prob.<class>``).
    super_learner : Learner
        The learner trained on the predictions (cloned).
    method : {"cv", "insample"}
        ``"cv"``: out-of-fold predictions on the training rows; ``"insample"``: the
        predictions of the base learners trained on all training rows.
    folds : int
        Folds of the cross-validation (``method="cv"``).
    use_features : bool
        Also give the super learner the original features.

    Returns
    -------
    Graph

    Examples
    --------
    >>> from mlr3py import lrn, tsk
    >>> from mlr3py.pipelines import as_learner, ppl
    >>> graph = ppl("stacking", [lrn("classif.rpart"), lrn("classif.featureless")],
    ...             lrn("classif.log_reg"))
    >>> learner = as_learner(graph).train(tsk("iris"))
    """
    from mlr3py.pipelines.ops_learner_cv import PipeOpLearnerCV

    if isinstance(base_learners, Learner) or not isinstance(base_learners, Sequence) \
            or not base_learners or not all(isinstance(b, Learner) for b in base_learners):
        raise ConfigError(
            "The 'base_learners' of ppl('stacking') must be a non-empty list of Learners. "
            f"Got {base_learners!r} instead."
        )
    if not isinstance(super_learner, Learner):
        raise ConfigError("The 'super_learner' of ppl('stacking') must be a Learner. Got "
                          f"{type(super_learner).__name__} instead.")
    if method not in ("cv", "insample"):
        raise ConfigError(f"The 'method' of ppl('stacking') must be 'cv' or 'insample'. "
                          f"Got {method!r} instead.")
    if not isinstance(use_features, bool):
        raise ConfigError(f"The 'use_features' of ppl('stacking') must be a bool. "
                          f"Got {use_features!r} instead.")
    branches: list[Any] = []
    for learner in base_learners:
        op = PipeOpLearnerCV(learner)
        op.param_set.values["resampling.method"] = method
        op.param_set.values["resampling.folds"] = folds
        branches.append(op)
    if use_features:
        branches.append(po("nop"))
    graph = chain(gunion(branches), po("featureunion", id="featureunion_stacking"))
    return chain(graph, super_learner)


def pipeline_branch(graphs: Sequence[Any] | Mapping[str, Any],
                    prefix_branchops: str = "") -> Graph:
    """Alternative paths (mlr3pipelines' ``pipeline_branch``): ``po("branch") >>
    gunion(graphs) >> po("unbranch")``; the parameter ``branch.selection`` picks one.

    Parameters
    ----------
    graphs : sequence or mapping of graphs / operators / learners
        The paths, each with one input and one output; a mapping names them (the
        values of ``selection``), else they are ``output1``, ``output2``, ...
    prefix_branchops : str
        Prefix of the ids of the branch and unbranch operators.

    Returns
    -------
    Graph

    Examples
    --------
    >>> from mlr3py.pipelines import po, ppl
    >>> graph = ppl("branch", {"pca": po("pca"), "nothing": po("nop")})
    >>> graph.param_set.values["branch.selection"] = "nothing"
    """
    from mlr3py.pipelines.ops_basic import PipeOpBranch, PipeOpUnbranch

    names: list[str] | int
    if isinstance(graphs, Mapping):
        names, paths = [str(k) for k in graphs], list(graphs.values())
    elif isinstance(graphs, Sequence) and not isinstance(graphs, str):
        paths = list(graphs)
        names = len(paths)
    else:
        raise ConfigError(f"The 'graphs' of ppl('branch') must be a list or a dict of graphs. "
                          f"Got {type(graphs).__name__} instead.")
    if not paths:
        raise ConfigError("ppl('branch') needs at least one graph.")
    built = [as_graph(g, clone=True) for g in paths]
    for i, g in enumerate(built):
        if len(g.output) != 1 or len(g.input) != 1:
            raise ConfigError(
                f"Path {i + 1} of ppl('branch') must have exactly one input and one output. "
                f"Got {len(g.input)} input(s) and {len(g.output)} output(s)."
            )
    branch = PipeOpBranch(names, id=f"{prefix_branchops}branch")
    unbranch = PipeOpUnbranch(id=f"{prefix_branchops}unbranch")
    return chain(chain(branch, gunion(built)), unbranch)


#: Ready-made graphs by key.
mlr_graphs: Dictionary[Callable[..., Graph]] = Dictionary("mlr_graphs", "Graph")
mlr_graphs.add("robustify", lambda: pipeline_robustify)
mlr_graphs.add("stacking", lambda: pipeline_stacking)
mlr_graphs.add("branch", lambda: pipeline_branch)


def ppl(key: str, *args: Any, **kwargs: Any) -> Graph:
    """Build the ready-made graph ``key`` (``ppl("robustify", task, learner)``)."""
    builder = mlr_graphs.get(key)
    return builder(*args, **kwargs)
