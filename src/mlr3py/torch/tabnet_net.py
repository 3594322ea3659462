"""The TabNet network (Arik & Pfister, 2021): sequential attention with sparsemax masks.

The architecture of the paper and of the R ``tabnet`` / PyTorch
``pytorch-tabnet`` packages, written here so that it trains inside the
project's epoch loop (samplers, callbacks, ``seed``):

- categorical features (``"categ"`` codes) pass through one embedding each
  (``cat_emb_dim`` wide; code 0 is "unknown"), numeric ones (``"num"``) as they
  are; a batch norm follows;
- ``num_steps`` decision steps; in each, an attentive transformer turns the
  previous step's attention features into a mask ``M`` over the embedded
  columns (``sparsemax(GhostBN(Linear(a)) * prior)``, ``prior *= gamma - M``),
  and a feature transformer (GLU blocks, ``num_shared`` of them shared between
  steps, ``num_independent`` per step) reads ``M * x``;
- the output is a linear map of the sum of the steps' ``ReLU(d)`` parts.

The sparsity regulariser is the mean entropy of the masks (kept after a
training forward pass until :meth:`TabNet.take_penalty` collects it).
:meth:`TabNet.explain` gives the aggregated mask per row: ``sum over steps of
M * sum(ReLU(d))``, the basis of the importance.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import torch
from torch import nn

from mlr3py.torch.categorical import TensorBatch

__all__ = ["TabNet", "sparsemax"]

_EPS = 1e-15


def sparsemax(z: torch.Tensor, dim: int = -1) -> torch.Tensor:
    """Sparsemax (Martins & Astudillo, 2016): the Euclidean projection onto the simplex.

    Like softmax it gives non-negative weights summing to 1, but many are exactly 0.
    Gradients come from autograd through the sort-based threshold (which gives the
    sparsemax Jacobian).
    """
    z = z - z.max(dim=dim, keepdim=True).values
    sorted_z = torch.sort(z, dim=dim, descending=True).values
    n = z.shape[dim]
    shape = [1] * z.dim()
    shape[dim] = n
    k = torch.arange(1, n + 1, device=z.device, dtype=z.dtype).view(shape)
    cumsum = sorted_z.cumsum(dim)
    support = (1 + k * sorted_z) > cumsum
    k_z = support.sum(dim=dim, keepdim=True)
    tau = (cumsum.gather(dim, k_z - 1) - 1) / k_z.to(z.dtype)
    return torch.clamp(z - tau, min=0)


class GhostBatchNorm(nn.Module):
    """Batch norm over virtual batches of ``virtual_batch_size`` rows (in training)."""

    def __init__(self, dim: int, virtual_batch_size: int, momentum: float) -> None:
        super().__init__()
        self.virtual_batch_size = virtual_batch_size
        self.bn = nn.BatchNorm1d(dim, momentum=momentum)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if not self.training or x.shape[0] <= self.virtual_batch_size:
            out: torch.Tensor = self.bn(x)
            return out
        chunks = x.chunk(math.ceil(x.shape[0] / self.virtual_batch_size))
        return torch.cat([self.bn(c) for c in chunks])


class _GLULayer(nn.Module):
    def __init__(self, fc: nn.Linear, d_out: int, vbs: int, momentum: float) -> None:
        super().__init__()
        self.d_out = d_out
        self.fc = fc
        self.bn = GhostBatchNorm(2 * d_out, vbs, momentum)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.bn(self.fc(x))
        return h[:, : self.d_out] * torch.sigmoid(h[:, self.d_out :])


class _GLUBlock(nn.Module):
    """GLU layers with scaled residual sums (the first layer without, when ``first``)."""

    def __init__(
        self, d_in: int, d_out: int, fcs: Sequence[nn.Linear], first: bool, vbs: int,
        momentum: float,
    ) -> None:
        super().__init__()
        self.first = first
        self.layers = nn.ModuleList(_GLULayer(fc, d_out, vbs, momentum) for fc in fcs)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        scale = math.sqrt(0.5)
        layers = list(self.layers)
        if self.first:
            x = layers.pop(0)(x)
        for layer in layers:
            x = (x + layer(x)) * scale
        return x


def _init(linear: nn.Linear, glu: bool) -> nn.Linear:
    """pytorch-tabnet's initialisation: Xavier normal with a gain from the layer's sizes."""
    d_in, d_out = linear.in_features, linear.out_features
    gain = math.sqrt((d_in + d_out) / math.sqrt(d_in if glu else 4 * d_in))
    nn.init.xavier_normal_(linear.weight, gain=gain)
    return linear


def _fcs(d_in: int, d_out: int, n: int) -> list[nn.Linear]:
    return [
        _init(nn.Linear(d_in if i == 0 else d_out, 2 * d_out, bias=False), glu=True)
        for i in range(n)
    ]


class _FeatureTransformer(nn.Module):
    def __init__(
        self, d_in: int, d_out: int, shared: Sequence[nn.Linear], n_independent: int, vbs: int,
        momentum: float,
    ) -> None:
        super().__init__()
        self.shared = _GLUBlock(d_in, d_out, shared, True, vbs, momentum) if shared else None
        d_spec = d_out if shared else d_in
        self.specific = (
            _GLUBlock(d_spec, d_out, _fcs(d_spec, d_out, n_independent), not shared, vbs,
                      momentum)
            if n_independent > 0 else None
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.shared is not None:
            x = self.shared(x)
        if self.specific is not None:
            x = self.specific(x)
        return x


class _AttentiveTransformer(nn.Module):
    def __init__(self, d_a: int, d_in: int, vbs: int, momentum: float, mask_type: str) -> None:
        super().__init__()
        self.fc = _init(nn.Linear(d_a, d_in, bias=False), glu=False)
        self.bn = GhostBatchNorm(d_in, vbs, momentum)
        self.mask_type = mask_type

    def forward(self, prior: torch.Tensor, a: torch.Tensor) -> torch.Tensor:
        z = self.bn(self.fc(a)) * prior
        return sparsemax(z) if self.mask_type == "sparsemax" else torch.softmax(z, dim=-1)


class TabNet(nn.Module):
    """TabNet on a :class:`~mlr3py.torch.categorical.TensorBatch` (``"num"``, ``"categ"``).

    Parameters
    ----------
    n_numeric : int
        Columns of ``"num"``.
    cardinalities : sequence of int
        Codes per column of ``"categ"`` (levels + 1).
    n_outputs : int
        Output units (one gives shape ``(n,)``).
    decision_width, attention_width, num_steps, feature_reusage, num_independent,
    num_shared, virtual_batch_size, bn_momentum, cat_emb_dim, mask_type
        As the learner's parameters (:mod:`mlr3py.torch.tabnet`).
    """

    def __init__(
        self,
        n_numeric: int,
        cardinalities: Sequence[int],
        n_outputs: int,
        *,
        decision_width: int = 8,
        attention_width: int = 8,
        num_steps: int = 3,
        feature_reusage: float = 1.3,
        num_independent: int = 2,
        num_shared: int = 2,
        virtual_batch_size: int = 128,
        bn_momentum: float = 0.02,
        cat_emb_dim: int = 1,
        mask_type: str = "sparsemax",
    ) -> None:
        super().__init__()
        self.n_numeric = n_numeric
        self.cat_emb_dim = cat_emb_dim
        self.embeddings = nn.ModuleList(nn.Embedding(c, cat_emb_dim) for c in cardinalities)
        self.d_in = d_in = n_numeric + cat_emb_dim * len(cardinalities)
        self.n_d, self.n_a, self.num_steps = decision_width, attention_width, num_steps
        self.gamma = feature_reusage
        vbs = virtual_batch_size
        self.initial_bn = nn.BatchNorm1d(d_in, momentum=0.01)
        width = decision_width + attention_width
        shared = _fcs(d_in, width, num_shared)
        args = (vbs, bn_momentum)
        self.initial_splitter = _FeatureTransformer(d_in, width, shared, num_independent, *args)
        self.feat_transformers = nn.ModuleList(
            _FeatureTransformer(d_in, width, shared, num_independent, *args)
            for _ in range(num_steps)
        )
        self.att_transformers = nn.ModuleList(
            _AttentiveTransformer(attention_width, d_in, vbs, bn_momentum, mask_type)
            for _ in range(num_steps)
        )
        self.final = _init(nn.Linear(decision_width, n_outputs, bias=False), glu=False)
        self.penalty: torch.Tensor = torch.zeros(())

    def take_penalty(self) -> torch.Tensor:
        """The last training forward pass's mask entropy; resets it (no graph stays behind)."""
        penalty, self.penalty = self.penalty, torch.zeros(())
        return penalty

    def embed(self, x: TensorBatch) -> torch.Tensor:
        """The embedded input: the numeric columns, then each categorical embedding."""
        parts = [x["num"].float()]
        categ = x["categ"]
        parts += [emb(categ[:, k]) for k, emb in enumerate(self.embeddings)]
        return torch.cat(parts, dim=1)

    def _steps(self, x: TensorBatch) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        h = self.initial_bn(self.embed(x))
        prior = torch.ones_like(h)
        att = self.initial_splitter(h)[:, self.n_d :]
        total = torch.zeros(h.shape[0], self.n_d, device=h.device, dtype=h.dtype)
        explain = torch.zeros_like(h)
        entropy = torch.zeros((), device=h.device, dtype=h.dtype)
        for att_t, feat_t in zip(self.att_transformers, self.feat_transformers, strict=True):
            mask = att_t(prior, att)
            entropy = entropy - (mask * torch.log(mask + _EPS)).sum(dim=1).mean()
            prior = (self.gamma - mask) * prior
            out = feat_t(mask * h)
            d = torch.relu(out[:, : self.n_d])
            total = total + d
            explain = explain + mask * d.sum(dim=1, keepdim=True)
            att = out[:, self.n_d :]
        return total, explain, entropy / max(self.num_steps, 1)

    def forward(self, x: TensorBatch) -> torch.Tensor:
        total, _, entropy = self._steps(x)
        self.penalty = entropy if self.training else torch.zeros((), device=entropy.device)
        out: torch.Tensor = self.final(total)
        return out.squeeze(1) if out.shape[1] == 1 else out

    @torch.no_grad()
    def explain(self, x: TensorBatch) -> torch.Tensor:
        """Per row and original feature, the aggregated mask (numeric, then categorical).

        Embedding columns are summed into their feature.
        """
        _, explain, _ = self._steps(x)
        num = explain[:, : self.n_numeric]
        categ = explain[:, self.n_numeric :].reshape(explain.shape[0], -1, self.cat_emb_dim)
        return torch.cat([num, categ.sum(dim=2)], dim=1)
