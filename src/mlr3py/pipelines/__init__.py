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

import importlib
import importlib.util
from collections.abc import Callable
from typing import Any

from mlr3py.pipelines._graph import Edge, Graph, as_graph, gunion
from mlr3py.pipelines._graph_learner import (
    GraphLearner,
    GraphLearnerClassif,
    GraphLearnerRegr,
    GraphModel,
    as_learner,
)
from mlr3py.pipelines._pipeop import NO_OP, Channel, PipeOp
from mlr3py.pipelines._ppl import (
    mlr_graphs,
    pipeline_branch,
    pipeline_robustify,
    pipeline_stacking,
    ppl,
)
from mlr3py.pipelines._ppl_bagging import pipeline_bagging, pipeline_greplicate
from mlr3py.pipelines._preproc import (
    PipeOpTaskPreproc,
    PreprocState,
    Selector,
    selector_grep,
    selector_type,
)
from mlr3py.pipelines._registry import as_pipeop, mlr_pipeops, po, pos
from mlr3py.pipelines._set_validate import set_validate
from mlr3py.pipelines.ops_basic import (
    PipeOpBranch,
    PipeOpCopy,
    PipeOpFeatureUnion,
    PipeOpLearner,
    PipeOpNOP,
    PipeOpUnbranch,
)
from mlr3py.pipelines.ops_collapse import PipeOpCollapseFactors
from mlr3py.pipelines.ops_encode import PipeOpEncode, PipeOpEncodeImpact, PipeOpFixFactors
from mlr3py.pipelines.ops_ensemble import PipeOpClassifAvg, PipeOpEnsemble, PipeOpRegrAvg
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
from mlr3py.pipelines.ops_learner_cv import LearnerCVState, PipeOpLearnerCV
from mlr3py.pipelines.ops_replicate import PipeOpReplicate
from mlr3py.pipelines.ops_rows import PipeOpClassBalancing, PipeOpSubsample
from mlr3py.pipelines.ops_select import (
    PipeOpColApply,
    PipeOpMutate,
    PipeOpRemoveConstants,
    PipeOpSelect,
)
from mlr3py.pipelines.ops_sklearn import PipeOpPCA, PipeOpScale, PipeOpSklearn
from mlr3py.pipelines.ops_sklearn_feature import (
    PipeOpBoxCox,
    PipeOpICA,
    PipeOpKernelPCA,
    PipeOpQuantileBin,
    PipeOpScaleMaxAbs,
    PipeOpScaleRange,
    PipeOpYeoJohnson,
)
from mlr3py.pipelines.ops_threshold import PipeOpThreshold, PipeOpTuneThreshold


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
    "learner_cv": PipeOpLearnerCV,
    "classifavg": PipeOpClassifAvg, "regravg": PipeOpRegrAvg, "replicate": PipeOpReplicate,
    "collapsefactors": PipeOpCollapseFactors, "threshold": PipeOpThreshold,
    "tunethreshold": PipeOpTuneThreshold, "yeojohnson": PipeOpYeoJohnson,
    "boxcox": PipeOpBoxCox, "quantilebin": PipeOpQuantileBin, "scalerange": PipeOpScaleRange,
    "scalemaxabs": PipeOpScaleMaxAbs, "ica": PipeOpICA, "kernelpca": PipeOpKernelPCA,
}
for _key, _cls in _BUILT_IN.items():
    mlr_pipeops.add(_key, _cls)
mlr_graphs.add("greplicate", lambda: pipeline_greplicate)
mlr_graphs.add("bagging", lambda: pipeline_bagging)

#: The torch network operators (:mod:`mlr3py.torch.graph`): registered only where torch
#: is installed, and imported on first use.
TORCH_PIPEOP_KEYS: tuple[str, ...] = (
    "torch_ingress_num", "torch_ingress_categ", "torch_loss", "torch_optimizer",
    "torch_callbacks", "torch_model_classif", "torch_model_regr", "nn_linear", "nn_dropout",
    "nn_batch_norm", "nn_layer_norm", "nn_embedding", "nn_flatten", "nn_merge_sum",
    "nn_merge_cat", "nn_block", "nn_head", "nn_relu", "nn_relu6", "nn_leaky_relu", "nn_elu",
    "nn_selu", "nn_celu", "nn_gelu", "nn_silu", "nn_mish", "nn_tanh", "nn_sigmoid",
    "nn_softplus", "nn_softsign", "nn_tanhshrink", "nn_hardtanh", "nn_identity",
)


def _torch_pipeop(key: str) -> Callable[..., PipeOp]:
    def construct(*args: Any, **kwargs: Any) -> PipeOp:
        ops = importlib.import_module("mlr3py.torch.graph").TORCH_PIPEOPS
        op: PipeOp = ops[key](*args, **kwargs)
        return op

    return construct


for _key in TORCH_PIPEOP_KEYS:
    if importlib.util.find_spec("torch") is not None:
        mlr_pipeops.add(_key, _torch_pipeop(_key))
    else:  # pragma: no cover - depends on the install
        mlr_pipeops.add_unavailable(
            _key,
            f"PipeOp '{_key}' needs the optional dependency torch, which is not installed. "
            f"Install it with `pip install mlr3py[torch]`.",
        )

__all__ = [
    "NO_OP",
    "TORCH_PIPEOP_KEYS",
    "Channel",
    "Edge",
    "Graph",
    "GraphLearner",
    "GraphLearnerClassif",
    "GraphLearnerRegr",
    "GraphModel",
    "ImputeLearnerState",
    "LearnerCVState",
    "PipeOp",
    "PipeOpBoxCox",
    "PipeOpBranch",
    "PipeOpClassBalancing",
    "PipeOpClassifAvg",
    "PipeOpColApply",
    "PipeOpCollapseFactors",
    "PipeOpCopy",
    "PipeOpEncode",
    "PipeOpEncodeImpact",
    "PipeOpEnsemble",
    "PipeOpFeatureUnion",
    "PipeOpFilter",
    "PipeOpFixFactors",
    "PipeOpICA",
    "PipeOpImputeConstant",
    "PipeOpImputeHist",
    "PipeOpImputeLearner",
    "PipeOpImputeMean",
    "PipeOpImputeMedian",
    "PipeOpImputeMode",
    "PipeOpImputeOOR",
    "PipeOpImputeSample",
    "PipeOpKernelPCA",
    "PipeOpLearner",
    "PipeOpLearnerCV",
    "PipeOpMissInd",
    "PipeOpMutate",
    "PipeOpNOP",
    "PipeOpPCA",
    "PipeOpQuantileBin",
    "PipeOpRegrAvg",
    "PipeOpRemoveConstants",
    "PipeOpReplicate",
    "PipeOpScale",
    "PipeOpScaleMaxAbs",
    "PipeOpScaleRange",
    "PipeOpSelect",
    "PipeOpSklearn",
    "PipeOpSubsample",
    "PipeOpTaskPreproc",
    "PipeOpThreshold",
    "PipeOpTuneThreshold",
    "PipeOpUnbranch",
    "PipeOpYeoJohnson",
    "PreprocState",
    "Selector",
    "as_graph",
    "as_learner",
    "as_pipeop",
    "gunion",
    "mlr_graphs",
    "mlr_pipeops",
    "pipeline_bagging",
    "pipeline_branch",
    "pipeline_greplicate",
    "pipeline_robustify",
    "pipeline_stacking",
    "po",
    "pos",
    "ppl",
    "selector_grep",
    "selector_type",
    "set_validate",
]
