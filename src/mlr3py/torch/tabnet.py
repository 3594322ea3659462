"""TabNet learners: ``classif.tabnet`` and ``regr.tabnet`` (Arik & Pfister, 2021).

The network is :class:`~mlr3py.torch.tabnet_net.TabNet`. Factor and ordered
features enter as level codes with one embedding each (see
:mod:`mlr3py.torch.categorical`: a level unseen in training, or a missing
level, gets the "unknown" code 0 instead of an error); numeric, integer and
logical features as floats. Training minimises the task loss plus ``penalty``
times the mean entropy of the attention masks.

:meth:`importance` follows the R ``tabnet`` package: the aggregated masks
``sum over steps of M * sum(ReLU(d))`` on the training data, summed over rows
and over the embedding columns of each feature, normalised to sum to 1.

Parameters (besides those of :class:`~mlr3py.torch.learner.LearnerTorch`)
--------------------------------------------------------------------------
Names and defaults follow the R ``tabnet`` package (``tabnet_config``):

decision_width : int >= 1, default 8 (``n_d``)
attention_width : int >= 1, default 8 (``n_a``)
num_steps : int >= 1, default 3
feature_reusage : float >= 1, default 1.3 (``gamma``)
num_independent, num_shared : int >= 0, default 2 (GLU layers per step / shared)
virtual_batch_size : int >= 1, default 128 (ghost batch norm)
bn_momentum : float in (0, 1], default 0.02 (of the ghost batch norms; R's
    ``momentum``, renamed because ``momentum`` is the optimizer's)
cat_emb_dim : int >= 1, default 1
penalty : float >= 0, default 0.001 (``lambda_sparse``)
mask_type : "sparsemax" (default) or "softmax"

Unlike other torch learners, ``batch_size`` starts at 256 and ``lr`` at 0.02
(R tabnet's learning rate), so ``lrn("classif.tabnet", epochs=5)`` trains. To
use a ``batch_sampler``, unset ``batch_size`` first
(``del learner.param_set.values["batch_size"]``).

Examples
--------
>>> from mlr3py import lrn, tsk
>>> learner = lrn("classif.tabnet", epochs=5, seed=1)
>>> learner.train(tsk("german_credit")).importance()  # doctest: +SKIP
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

import pandas as pd
import torch
from torch import nn

from mlr3py.errors import NotTrainedError
from mlr3py.learners._base import LearnerClassif, LearnerRegr
from mlr3py.params import p_dbl, p_fct, p_int, ps
from mlr3py.torch.categorical import MixedEncoder, TensorBatch
from mlr3py.torch.dataset import TaskDataset
from mlr3py.torch.learner import LearnerTorch, TorchModel
from mlr3py.torch.tabnet_net import TabNet

if TYPE_CHECKING:
    from mlr3py.learners._encode import FeatureEncoder
    from mlr3py.tasks import Task

__all__ = ["LearnerClassifTabNet", "LearnerRegrTabNet", "TabNetModel"]

_FEATURE_TYPES = ("logical", "integer", "numeric", "factor", "ordered")
_NETWORK_ARGS = (
    "decision_width", "attention_width", "num_steps", "feature_reusage", "num_independent",
    "num_shared", "virtual_batch_size", "bn_momentum", "cat_emb_dim", "mask_type",
)


@dataclass
class TabNetModel(TorchModel):
    """A :class:`~mlr3py.torch.learner.TorchModel` with the mask importance.

    Attributes
    ----------
    importance : pandas.Series or None
        Per feature, its share of the aggregated masks on the training data.
    """

    importance: pd.Series | None = None


def _tabnet_params() -> Any:
    net = {"train", "network"}
    return ps(
        decision_width=p_int(1, None, default=8, tags=net),
        attention_width=p_int(1, None, default=8, tags=net),
        num_steps=p_int(1, None, default=3, tags=net),
        feature_reusage=p_dbl(1, None, default=1.3, tags=net),
        num_independent=p_int(0, None, default=2, tags=net),
        num_shared=p_int(0, None, default=2, tags=net),
        virtual_batch_size=p_int(1, None, default=128, tags=net),
        bn_momentum=p_dbl(0, 1, default=0.02, tags=net),
        cat_emb_dim=p_int(1, None, default=1, tags=net),
        mask_type=p_fct(["sparsemax", "softmax"], default="sparsemax", tags=net),
        penalty=p_dbl(0, None, default=0.001, tags={"train"}),
    )


class _PenalizedLoss:
    """``loss(out, y) + penalty * network.penalty`` (the penalty is 0 in evaluation mode)."""

    def __init__(self, loss_fn: Any, network: TabNet, penalty: float) -> None:
        self.loss_fn = loss_fn
        self.network = network
        self.penalty = penalty

    def __call__(self, out: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        loss: torch.Tensor = self.loss_fn(out, target)
        entropy = self.network.take_penalty()
        if self.penalty and self.network.training:
            loss = loss + self.penalty * entropy
        return loss


class _TabNet(LearnerTorch):
    def __init__(self, id: str) -> None:  # noqa: A002 - mlr3's name
        super().__init__(
            id, param_set=_tabnet_params(), label="TabNet",
            properties=self._tabnet_properties(), feature_types=_FEATURE_TYPES,
        )
        self.param_set.values.update({"batch_size": 256, "lr": 0.02})

    def _tabnet_properties(self) -> set[str]:
        base = {"validation", "internal_tuning", "importance"}
        return base | {"twoclass", "multiclass"} if self.task_type == "classif" else base

    def _encoder(self, task: Task) -> FeatureEncoder | MixedEncoder | None:
        return MixedEncoder.from_task(task)

    def _network(self, task: Task, n_features: int, n_outputs: int) -> nn.Module:
        values = {**self.param_set.default, **self.param_set.get_values(tags="network")}
        cfg = {k: values[k] for k in _NETWORK_ARGS}
        enc = MixedEncoder.from_task(task)
        return TabNet(enc.n_numeric, enc.cardinalities, n_outputs, **cfg)

    def _training_loss(self, loss_fn: Any, network: nn.Module) -> Any:
        penalty = {**self.param_set.default, **self.param_set.get_values()}["penalty"]
        assert isinstance(network, TabNet)
        return _PenalizedLoss(loss_fn, network, float(penalty))

    def _fit(
        self, task: Task, cfg: dict[str, Any], seed: int, device: torch.device,
        batch_seed: int, split_seed: int,
    ) -> TorchModel:
        model = super()._fit(task, cfg, seed, device, batch_seed, split_seed)
        network = model.network
        assert isinstance(network, TabNet) and isinstance(model.encoder, MixedEncoder)
        data = TaskDataset(task, encoder=model.encoder, target=None, device=device)
        chunk = max(cfg.get("batch_size") or 0, 8192)
        was_training = network.training
        network.eval()
        x = data.x
        assert isinstance(x, TensorBatch)
        try:
            total = sum(
                (network.explain(x[i : i + chunk]).sum(dim=0) for i in range(0, len(x), chunk)),
                start=torch.zeros(len(model.encoder.feature_names), device=device),
            )
        finally:
            network.train(was_training)
        values = total.double().cpu().numpy()
        values = values / values.sum() if values.sum() > 0 else values
        importance = pd.Series(values, index=model.encoder.feature_names, dtype=float)
        kept = {f.name: getattr(model, f.name) for f in fields(model)}
        return TabNetModel(**kept, importance=importance.sort_values(ascending=False))

    def importance(self) -> pd.Series:
        """Each feature's share of the attention masks on the training data (sums to 1).

        Returns
        -------
        pandas.Series
            One value per training feature, sorted decreasingly.

        Raises
        ------
        NotTrainedError
            If the learner has not been trained.
        """
        model = self.model
        if not isinstance(model, TabNetModel) or model.importance is None:
            raise NotTrainedError(
                f"Learner '{self.id}' has no model; call learner.train(task) before importance()."
            )
        return model.importance.copy()

    def explain(self, task: Task) -> pd.DataFrame:
        """Per row of ``task``, the aggregated attention masks per feature.

        Returns
        -------
        pandas.DataFrame
            Rows: the task's row ids; columns: the training features.
        """
        model = self.model
        if not isinstance(model, TabNetModel):
            raise NotTrainedError(
                f"Learner '{self.id}' has no model; call learner.train(task) before explain()."
            )
        network = model.network
        assert isinstance(network, TabNet) and isinstance(model.encoder, MixedEncoder)
        device = next(network.parameters()).device
        data = TaskDataset(task, encoder=model.encoder, target=None, device=device)
        was_training = network.training
        network.eval()
        assert isinstance(data.x, TensorBatch)
        try:
            values = network.explain(data.x).double().cpu().numpy()
        finally:
            network.train(was_training)
        return pd.DataFrame(values, index=pd.Index(data.row_ids, name="row_id"),
                            columns=model.encoder.feature_names)



class LearnerClassifTabNet(_TabNet, LearnerClassif):
    """Classification TabNet (``classif.tabnet``)."""

    def __init__(self, id: str = "classif.tabnet") -> None:  # noqa: A002
        super().__init__(id)


class LearnerRegrTabNet(_TabNet, LearnerRegr):
    """Regression TabNet (``regr.tabnet``)."""

    def __init__(self, id: str = "regr.tabnet") -> None:  # noqa: A002
        super().__init__(id)
