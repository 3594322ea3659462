"""FT-Transformer: ``classif.ft_transformer`` and ``regr.ft_transformer`` (Gorishniy et al., 2021).

The Feature Tokenizer + Transformer of "Revisiting Deep Learning Models for
Tabular Data" (mlr3torch's ``LearnerTorchFTTransformer``):

- **tokenizer**: numeric feature ``j`` (``"num"``, floats) becomes the token
  ``x_j * W_j + b_j``; categorical feature ``k`` (``"categ"``, level codes, see
  :mod:`mlr3py.torch.categorical`: a level unseen in training or a missing
  level gets the "unknown" code 0) becomes ``E_k[code] + b_k``; a learnt [CLS]
  token is appended;
- ``n_blocks`` pre-norm Transformer blocks: ``x + Dropout(MHA(LayerNorm(x)))``
  (the first block without that LayerNorm) and ``x + Dropout(FFN(LayerNorm(x)))``
  with a ReGLU feed-forward network;
- **head** on the [CLS] token: ``Linear(ReLU(LayerNorm(cls)))``.

Parameters (besides those of :class:`~mlr3py.torch.learner.LearnerTorch`)
--------------------------------------------------------------------------
Defaults are the paper's default configuration:

n_blocks : int >= 1, default 3
d_token : int >= 1, default 192 (a multiple of ``attention_n_heads``)
attention_n_heads : int >= 1, default 8
attention_dropout : float in [0, 1], default 0.2
ffn_d_hidden_multiplier : float > 0, default 4/3
ffn_dropout : float in [0, 1], default 0.1
residual_dropout : float in [0, 1], default 0.0

Examples
--------
>>> from mlr3py import lrn, tsk
>>> learner = lrn("classif.ft_transformer", epochs=3, batch_size=64, d_token=32, seed=1)
>>> learner.train(tsk("german_credit")).predict(tsk("german_credit")).score()  # doctest: +SKIP
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import torch
from torch import nn

from mlr3py.errors import ConfigError
from mlr3py.learners._base import LearnerClassif, LearnerRegr
from mlr3py.params import p_dbl, p_int, ps
from mlr3py.torch.categorical import MixedEncoder, TensorBatch
from mlr3py.torch.learner import LearnerTorch

if TYPE_CHECKING:
    from mlr3py.learners._encode import FeatureEncoder
    from mlr3py.tasks import Task

__all__ = ["FTTransformer", "FeatureTokenizer", "LearnerClassifFTTransformer",
           "LearnerRegrFTTransformer"]

_NETWORK_ARGS = (
    "n_blocks", "d_token", "attention_n_heads", "attention_dropout",
    "ffn_d_hidden_multiplier", "ffn_dropout", "residual_dropout",
)


def _uniform_(t: torch.Tensor, d: int) -> None:
    bound = 1 / math.sqrt(d)
    nn.init.uniform_(t, -bound, bound)


class FeatureTokenizer(nn.Module):
    """Numeric and categorical features as tokens of width ``d_token``, plus [CLS].

    Returns a tensor of shape ``(n, n_numeric + n_categorical + 1, d_token)``.
    """

    offsets: torch.Tensor

    def __init__(self, n_numeric: int, cardinalities: Sequence[int], d_token: int) -> None:
        super().__init__()
        self.num_weight = nn.Parameter(torch.empty(n_numeric, d_token))
        self.num_bias = nn.Parameter(torch.empty(n_numeric, d_token))
        offsets = torch.tensor([0, *list(cardinalities)[:-1]], dtype=torch.int64).cumsum(0)
        self.register_buffer("offsets", offsets[: len(cardinalities)])
        self.categ = nn.Embedding(max(sum(cardinalities), 1), d_token)
        self.categ_bias = nn.Parameter(torch.empty(len(cardinalities), d_token))
        self.cls = nn.Parameter(torch.empty(d_token))
        for p in (self.num_weight, self.num_bias, self.categ.weight, self.categ_bias, self.cls):
            _uniform_(p, d_token)

    def forward(self, x: TensorBatch) -> torch.Tensor:
        num = x["num"].float()
        tokens = [self.num_weight[None] * num[:, :, None] + self.num_bias[None]]
        if self.categ_bias.shape[0]:
            tokens.append(self.categ(x["categ"] + self.offsets[None]) + self.categ_bias[None])
        tokens.append(self.cls.expand(num.shape[0], 1, -1))
        return torch.cat(tokens, dim=1)


class _ReGLU(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        a, b = x.chunk(2, dim=-1)
        return a * torch.relu(b)


class _Block(nn.Module):
    def __init__(
        self, d: int, heads: int, att_dropout: float, d_ffn: int, ffn_dropout: float,
        res_dropout: float, first: bool,
    ) -> None:
        super().__init__()
        self.att_norm: nn.Module = nn.Identity() if first else nn.LayerNorm(d)
        self.attention = nn.MultiheadAttention(d, heads, dropout=att_dropout, batch_first=True)
        self.att_dropout = nn.Dropout(res_dropout)
        self.ffn_norm = nn.LayerNorm(d)
        self.ffn = nn.Sequential(
            nn.Linear(d, 2 * d_ffn), _ReGLU(), nn.Dropout(ffn_dropout), nn.Linear(d_ffn, d)
        )
        self.ffn_dropout = nn.Dropout(res_dropout)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.att_norm(x)
        x = x + self.att_dropout(self.attention(h, h, h, need_weights=False)[0])
        return x + self.ffn_dropout(self.ffn(self.ffn_norm(x)))


class FTTransformer(nn.Module):
    """The network described in the module docstring, on a ``TensorBatch``.

    Parameters
    ----------
    n_numeric : int
        Columns of ``"num"``.
    cardinalities : sequence of int
        Codes per column of ``"categ"`` (levels + 1).
    n_outputs : int
        Output units (one gives shape ``(n,)``).
    n_blocks, d_token, attention_n_heads, attention_dropout, ffn_d_hidden_multiplier,
    ffn_dropout, residual_dropout
        See the module docstring.
    """

    def __init__(
        self,
        n_numeric: int,
        cardinalities: Sequence[int],
        n_outputs: int,
        *,
        n_blocks: int = 3,
        d_token: int = 192,
        attention_n_heads: int = 8,
        attention_dropout: float = 0.2,
        ffn_d_hidden_multiplier: float = 4 / 3,
        ffn_dropout: float = 0.1,
        residual_dropout: float = 0.0,
    ) -> None:
        super().__init__()
        if d_token % attention_n_heads:
            raise ConfigError(
                f"The FT-Transformer's d_token ({d_token}) must be a multiple of "
                f"attention_n_heads ({attention_n_heads}). Change one of them."
            )
        self.tokenizer = FeatureTokenizer(n_numeric, cardinalities, d_token)
        d_ffn = max(1, round(d_token * ffn_d_hidden_multiplier))
        self.blocks = nn.Sequential(*(
            _Block(d_token, attention_n_heads, attention_dropout, d_ffn, ffn_dropout,
                   residual_dropout, first=i == 0)
            for i in range(n_blocks)
        ))
        self.head = nn.Sequential(nn.LayerNorm(d_token), nn.ReLU(), nn.Linear(d_token, n_outputs))

    def forward(self, x: TensorBatch) -> torch.Tensor:
        tokens = self.blocks(self.tokenizer(x))
        out: torch.Tensor = self.head(tokens[:, -1])
        return out.squeeze(1) if out.shape[1] == 1 else out


def _ft_params() -> Any:
    net = {"train", "network"}
    return ps(
        n_blocks=p_int(1, None, default=3, tags=net),
        d_token=p_int(1, None, default=192, tags=net),
        attention_n_heads=p_int(1, None, default=8, tags=net),
        attention_dropout=p_dbl(0, 1, default=0.2, tags=net),
        ffn_d_hidden_multiplier=p_dbl(0, None, default=4 / 3, tags=net),
        ffn_dropout=p_dbl(0, 1, default=0.1, tags=net),
        residual_dropout=p_dbl(0, 1, default=0.0, tags=net),
    )


class _FTTransformer(LearnerTorch):
    def __init__(self, id: str) -> None:  # noqa: A002 - mlr3's name
        super().__init__(id, param_set=_ft_params(), label="FT-Transformer")

    def _encoder(self, task: Task) -> FeatureEncoder | MixedEncoder | None:
        return MixedEncoder.from_task(task)

    def _network(self, task: Task, n_features: int, n_outputs: int) -> nn.Module:
        values = {**self.param_set.default, **self.param_set.get_values(tags="network")}
        enc = MixedEncoder.from_task(task)
        return FTTransformer(
            enc.n_numeric, enc.cardinalities, n_outputs, **{k: values[k] for k in _NETWORK_ARGS}
        )


class LearnerClassifFTTransformer(_FTTransformer, LearnerClassif):
    """Classification FT-Transformer (``classif.ft_transformer``)."""

    def __init__(self, id: str = "classif.ft_transformer") -> None:  # noqa: A002
        super().__init__(id)


class LearnerRegrFTTransformer(_FTTransformer, LearnerRegr):
    """Regression FT-Transformer (``regr.ft_transformer``)."""

    def __init__(self, id: str = "regr.ft_transformer") -> None:  # noqa: A002
        super().__init__(id)
