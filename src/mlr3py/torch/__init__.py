"""Torch learners (mlr3torch): ``classif.mlp``, tabular networks and the :class:`LearnerTorch` base.

Needs the optional extra ``torch``: ``pip install mlr3py[torch]``.

- :class:`LearnerTorch`, :class:`TorchModel`: the base of torch learners and
  the model it stores; :class:`LearnerClassifMLP`, :class:`LearnerRegrMLP`.
- Tabular networks: ``classif.tab_resnet`` (:class:`LearnerClassifTabResNet`),
  ``classif.ft_transformer`` (:class:`LearnerClassifFTTransformer`),
  ``classif.tabnet`` (:class:`LearnerClassifTabNet`, with ``importance()``),
  ``classif.module`` (:class:`LearnerClassifModule`, any network factory), and
  the ``regr.`` twins.
- Categorical inputs: :class:`CategoricalLevels`, :class:`MixedEncoder` and
  :class:`TensorBatch` (level codes for embeddings; code 0 = unknown level).
- :class:`TaskDataset`: a task's rows as a feature tensor and a target tensor.
- The stratified batch sampler: :func:`batch_sampler_stratified` (for the
  learners' ``batch_sampler``), :class:`BatchSamplerStratified`,
  :func:`stratified_batches`, :func:`batch_diagnostics` (a :class:`BatchDiagnostics`
  table, drawn by ``mlr3py.viz.autoplot``); the :class:`AUMLoss`.
- Callbacks: :class:`Callback`, :class:`History`, :class:`Progress`,
  :class:`Checkpoint`, :class:`EarlyStopping`, :class:`LRScheduler`.
- Sugar as in mlr3torch: :func:`t_opt` (a :class:`TorchOptimizer`), :func:`t_loss`,
  :func:`t_clbk` (names in :data:`CALLBACKS` and ``"lr_scheduler_<name>"``) and
  :func:`t_opts`, :func:`t_losses`, :func:`t_clbks`.
- Networks built as graphs (:mod:`mlr3py.torch.graph`): :func:`nn` layer
  operators, ``po("torch_ingress_num")`` and the other network operators, and
  :func:`as_learner_torch`.
"""

from __future__ import annotations

import importlib.util

if importlib.util.find_spec("torch") is None:  # pragma: no cover - depends on the install
    raise ImportError(
        "mlr3py.torch needs the optional dependency torch. Install it with "
        "`pip install mlr3py[torch]`."
    )

from mlr3py.torch._optim import TorchOptimizer
from mlr3py.torch.callbacks import (
    CALLBACKS,
    Callback,
    Checkpoint,
    EarlyStopping,
    History,
    LRScheduler,
    Progress,
)
from mlr3py.torch.categorical import CategoricalLevels, MixedEncoder, TensorBatch
from mlr3py.torch.dataset import TaskDataset
from mlr3py.torch.diagnostics import BatchDiagnostics, batch_diagnostics
from mlr3py.torch.ft_transformer import (
    FTTransformer,
    LearnerClassifFTTransformer,
    LearnerRegrFTTransformer,
)
from mlr3py.torch.graph import (
    GraphLearnerTorch,
    ModelDescriptor,
    as_learner_torch,
    nn,
)
from mlr3py.torch.learner import LearnerTorch, TorchModel
from mlr3py.torch.losses import AUMLoss
from mlr3py.torch.mlp import LearnerClassifMLP, LearnerRegrMLP, build_mlp
from mlr3py.torch.module import LearnerClassifModule, LearnerRegrModule
from mlr3py.torch.samplers import (
    BatchSamplerStratified,
    batch_sampler_stratified,
    stratified_batches,
)
from mlr3py.torch.sugar import t_clbk, t_clbks, t_loss, t_losses, t_opt, t_opts
from mlr3py.torch.tab_resnet import LearnerClassifTabResNet, LearnerRegrTabResNet, TabResNet
from mlr3py.torch.tabnet import LearnerClassifTabNet, LearnerRegrTabNet, TabNetModel
from mlr3py.torch.tabnet_net import TabNet, sparsemax

__all__ = [
    "CALLBACKS",
    "AUMLoss",
    "BatchDiagnostics",
    "BatchSamplerStratified",
    "Callback",
    "CategoricalLevels",
    "Checkpoint",
    "EarlyStopping",
    "FTTransformer",
    "GraphLearnerTorch",
    "History",
    "LRScheduler",
    "LearnerClassifFTTransformer",
    "LearnerClassifMLP",
    "LearnerClassifModule",
    "LearnerClassifTabNet",
    "LearnerClassifTabResNet",
    "LearnerRegrFTTransformer",
    "LearnerRegrMLP",
    "LearnerRegrModule",
    "LearnerRegrTabNet",
    "LearnerRegrTabResNet",
    "LearnerTorch",
    "MixedEncoder",
    "ModelDescriptor",
    "Progress",
    "TabNet",
    "TabNetModel",
    "TabResNet",
    "TaskDataset",
    "TensorBatch",
    "TorchModel",
    "TorchOptimizer",
    "as_learner_torch",
    "batch_diagnostics",
    "batch_sampler_stratified",
    "build_mlp",
    "nn",
    "sparsemax",
    "stratified_batches",
    "t_clbk",
    "t_clbks",
    "t_loss",
    "t_losses",
    "t_opt",
    "t_opts",
]
