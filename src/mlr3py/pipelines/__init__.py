"""Pipelines (mlr3pipelines): operators, graphs and graphs as learners.

- :class:`PipeOp`: an operator with typed input and output channels, trained
  on the training rows (its :attr:`~PipeOp.state`) and applied to new rows;
  the registry :data:`mlr_pipeops` and the sugar :func:`po`.
- :class:`Graph`: operators joined by edges; ``a >> b`` chains, :func:`gunion`
  puts graphs side by side; ``graph.train(task)`` / ``graph.predict(task)``.
- :class:`GraphLearner` (:func:`as_learner`): a graph ending in a learner, used
  like any learner (resample, benchmark, tune its prefixed parameters).
- :func:`ppl`: ready-made graphs (``ppl("robustify", task, learner)``).

Examples
--------
>>> from mlr3py import lrn, resample, rsmp, tsk
>>> from mlr3py.pipelines import as_learner, po
>>> learner = as_learner(po("scale") >> po("pca", rank=2) >> lrn("classif.rpart"))
>>> rr = resample(tsk("iris"), learner, rsmp("cv", folds=3))
"""

from collections.abc import Callable

from mlr3py.pipelines._graph import Edge, Graph, as_graph, gunion
from mlr3py.pipelines._graph_learner import (
    GraphLearner,
    GraphLearnerClassif,
    GraphLearnerRegr,
    GraphModel,
    as_learner,
)
from mlr3py.pipelines._pipeop import NO_OP, Channel, PipeOp
from mlr3py.pipelines._ppl import mlr_graphs, pipeline_robustify, ppl
from mlr3py.pipelines._preproc import (
    PipeOpTaskPreproc,
    PreprocState,
    Selector,
    selector_grep,
    selector_type,
)
from mlr3py.pipelines._registry import as_pipeop, mlr_pipeops, po, pos
from mlr3py.pipelines.ops_basic import (
    PipeOpBranch,
    PipeOpCopy,
    PipeOpFeatureUnion,
    PipeOpLearner,
    PipeOpNOP,
    PipeOpUnbranch,
)
from mlr3py.pipelines.ops_encode import PipeOpEncode, PipeOpEncodeImpact, PipeOpFixFactors
from mlr3py.pipelines.ops_filter import PipeOpFilter
from mlr3py.pipelines.ops_impute import (
    PipeOpImputeConstant,
    PipeOpImputeMean,
    PipeOpImputeMedian,
    PipeOpImputeMode,
    PipeOpImputeOOR,
    PipeOpMissInd,
)
from mlr3py.pipelines.ops_impute_learner import ImputeLearnerState, PipeOpImputeLearner
from mlr3py.pipelines.ops_impute_random import PipeOpImputeHist, PipeOpImputeSample
from mlr3py.pipelines.ops_rows import PipeOpClassBalancing, PipeOpSubsample
from mlr3py.pipelines.ops_select import (
    PipeOpColApply,
    PipeOpMutate,
    PipeOpRemoveConstants,
    PipeOpSelect,
)
from mlr3py.pipelines.ops_sklearn import PipeOpPCA, PipeOpScale, PipeOpSklearn


def _center(id: str = "center") -> PipeOpScale:  # noqa: A002
    """``po("center")``: subtract the training means, no scaling."""
    op = PipeOpScale(id=id)
    op.param_set.values["scale"] = False
    return op


_BUILT_IN: dict[str, Callable[..., PipeOp]] = {
    "nop": PipeOpNOP, "copy": PipeOpCopy, "featureunion": PipeOpFeatureUnion,
    "branch": PipeOpBranch, "unbranch": PipeOpUnbranch, "learner": PipeOpLearner,
    "scale": PipeOpScale, "center": _center, "pca": PipeOpPCA, "sklearn": PipeOpSklearn,
    "encode": PipeOpEncode, "encodeimpact": PipeOpEncodeImpact, "fixfactors": PipeOpFixFactors,
    "imputemean": PipeOpImputeMean, "imputemedian": PipeOpImputeMedian,
    "imputemode": PipeOpImputeMode, "imputeconstant": PipeOpImputeConstant,
    "imputeoor": PipeOpImputeOOR, "imputesample": PipeOpImputeSample,
    "imputehist": PipeOpImputeHist, "imputelearner": PipeOpImputeLearner,
    "missind": PipeOpMissInd, "select": PipeOpSelect,
    "removeconstants": PipeOpRemoveConstants, "colapply": PipeOpColApply,
    "mutate": PipeOpMutate, "subsample": PipeOpSubsample,
    "classbalancing": PipeOpClassBalancing, "filter": PipeOpFilter,
}
for _key, _cls in _BUILT_IN.items():
    mlr_pipeops.add(_key, _cls)

__all__ = [
    "NO_OP",
    "Channel",
    "Edge",
    "Graph",
    "GraphLearner",
    "GraphLearnerClassif",
    "GraphLearnerRegr",
    "GraphModel",
    "ImputeLearnerState",
    "PipeOp",
    "PipeOpBranch",
    "PipeOpClassBalancing",
    "PipeOpColApply",
    "PipeOpCopy",
    "PipeOpEncode",
    "PipeOpEncodeImpact",
    "PipeOpFeatureUnion",
    "PipeOpFilter",
    "PipeOpFixFactors",
    "PipeOpImputeConstant",
    "PipeOpImputeHist",
    "PipeOpImputeLearner",
    "PipeOpImputeMean",
    "PipeOpImputeMedian",
    "PipeOpImputeMode",
    "PipeOpImputeOOR",
    "PipeOpImputeSample",
    "PipeOpLearner",
    "PipeOpMissInd",
    "PipeOpMutate",
    "PipeOpNOP",
    "PipeOpPCA",
    "PipeOpRemoveConstants",
    "PipeOpScale",
    "PipeOpSelect",
    "PipeOpSklearn",
    "PipeOpSubsample",
    "PipeOpTaskPreproc",
    "PipeOpUnbranch",
    "PreprocState",
    "Selector",
    "as_graph",
    "as_learner",
    "as_pipeop",
    "gunion",
    "mlr_graphs",
    "mlr_pipeops",
    "pipeline_robustify",
    "po",
    "pos",
    "ppl",
    "selector_grep",
    "selector_type",
]
