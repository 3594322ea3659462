"""AUM: the Area Under the Minimum of false positives and false negatives.

Hillman & Hocking (JMLR 2023), "Optimizing ROC Curves with a Sort-Based
Surrogate Loss for Binary Classification and Changepoint Detection". Adding a
constant ``c`` to the predicted scores ``f_i`` moves the decision threshold:
row ``i`` is predicted positive when ``f_i + c > 0``, i.e. when ``c`` exceeds
``t_i = -f_i``. Between two consecutive sorted thresholds ``t_(k) < c < t_(k+1)``
the false positive rate ``FPR(c)`` (negatives with ``t_i < c``, over all
negatives) and the false negative rate ``FNR(c)`` (positives with ``t_i > c``,
over all positives) are constant, so the area under ``min(FPR(c), FNR(c))`` is

    AUM = sum_k  min(FPR_k, FNR_k) * (t_(k+1) - t_(k)),

a sum over the ``n - 1`` gaps of the sorted thresholds: one sort (O(n log n))
and two cumulative sums. It is zero when every positive scores above every
negative (the AUC is 1) and a piecewise linear function of the scores, whose
gradient autograd computes through the sort (at tied scores: the gradient of
one of the linear pieces, a valid subgradient). Tied thresholds give gaps of
width 0 and need no special treatment.

By default the rates are normalised (``FPR``, ``FNR`` in [0, 1]), as in the
ROC-curve formulation of the paper; ``normalize=False`` uses the counts
``FP``, ``FN`` instead (the paper's unnormalised AUM).
"""

from __future__ import annotations

import torch
from torch import nn

from mlr3py.errors import InputError

__all__ = ["AUMLoss", "aum"]


def _scores_and_labels(
    input: torch.Tensor,  # noqa: A002
    target: torch.Tensor,
) -> tuple[torch.Tensor, torch.Tensor]:
    if input.dim() == 2 and input.shape[1] == 2:
        # two logits per row (cross-entropy layout): the score of class 1
        scores = input[:, 1] - input[:, 0]
    elif input.dim() <= 1 or (input.dim() == 2 and input.shape[1] == 1):
        scores = input.reshape(-1)
    else:
        raise InputError(
            "AUM takes one score per row (shape (n,) or (n, 1)) or two logits per row "
            f"(shape (n, 2)). Got input of shape {tuple(input.shape)}."
        )
    labels = target.reshape(-1)
    if labels.shape[0] != scores.shape[0]:
        raise InputError(
            f"AUM needs one target per row: input has {scores.shape[0]} rows, target "
            f"{labels.shape[0]} values (shape {tuple(target.shape)})."
        )
    if labels.dtype != torch.bool:
        bad = labels[(labels != 0) & (labels != 1)]
        if bad.numel():
            raise InputError(
                f"AUM needs binary targets (0 = negative, 1 = positive). Got target value(s) "
                f"{sorted(set(bad.detach().cpu().tolist()))[:5]}; encode the positive class as 1."
            )
    return scores, labels


def _labels_positive(labels: torch.Tensor) -> torch.Tensor:
    return labels > 0.5 if labels.is_floating_point() else labels != 0


def _aum_sorted(scores: torch.Tensor, is_pos: torch.Tensor, normalize: bool) -> torch.Tensor:
    """AUM of ``scores``; exactly 0 (with a zero gradient) when a class is missing.

    No branch on the data (no device synchronisation): without positives every
    false negative count is 0, without negatives every false positive count is
    0, so ``min(FP, FN) = 0`` in every gap.
    """
    dtype = scores.dtype
    thresh, idx = torch.sort(-scores)
    pos_sorted = is_pos[idx].to(dtype)
    cum_pos = torch.cumsum(pos_sorted, 0)
    n_pos = cum_pos[-1]
    n_neg = pos_sorted.shape[0] - n_pos
    # in the gap after the k-th sorted threshold: the negatives passed so far are
    # false positives, the positives not yet passed are false negatives
    fp = torch.arange(1, pos_sorted.shape[0], device=scores.device, dtype=dtype) - cum_pos[:-1]
    fn = n_pos - cum_pos[:-1]
    if normalize:
        fp = fp / n_neg.clamp(min=1)
        fn = fn / n_pos.clamp(min=1)
    gaps = thresh[1:] - thresh[:-1]
    return torch.sum(torch.minimum(fp, fn) * gaps)


def aum(
    input: torch.Tensor,  # noqa: A002
    target: torch.Tensor,
    normalize: bool = True,
) -> torch.Tensor:
    """Area under ``min(FPR, FNR)`` (or ``min(FP, FN)``) over the score offset.

    Parameters
    ----------
    input : torch.Tensor
        Scores (logits), shape ``(n,)`` or ``(n, 1)``; or ``(n, 2)`` logits, whose
        difference ``input[:, 1] - input[:, 0]`` is the score.
    target : torch.Tensor
        Labels, 1 for positive and 0 for negative (float, int or bool), ``n``
        values in any shape (``(n,)``, ``(n, 1)``).
    normalize : bool, default True
        Rates (``FP / n_negative``, ``FN / n_positive``) rather than counts.

    Returns
    -------
    torch.Tensor
        A scalar. Zero (connected to ``input``, with a zero gradient) when the
        rows lack one of the classes.
    """
    scores, labels = _scores_and_labels(input, target)
    if scores.shape[0] == 0:
        return scores.sum()
    return _aum_sorted(scores, _labels_positive(labels), normalize)


class AUMLoss(nn.Module):
    """AUM loss for binary classification (Hillman & Hocking, JMLR 2023).

    The area under ``min(FPR(c), FNR(c))`` as a function of the constant ``c``
    added to the predicted scores, computed by sorting the thresholds
    (O(n log n)) and differentiable through autograd. Use it as a torch
    learner's ``loss`` (two classes: ``loss(logits, target)`` with one logit per
    row and targets 0/1).

    Parameters
    ----------
    normalize : bool, default True
        Area under the minimum of the false positive and false negative *rates*;
        ``False``: of the counts (the unnormalised AUM).

    Attributes
    ----------
    n_batches : int
        Calls so far.
    n_batches_without_both_classes : int
        Calls whose rows lacked a class: the loss was zero with a zero gradient.

    Examples
    --------
    >>> import torch
    >>> loss = AUMLoss()
    >>> loss(torch.tensor([2.0, -3.5, -1.0, 1.5]), torch.tensor([0.0, 0.0, 1.0, 1.0]))
    tensor(1.5000)
    """

    def __init__(self, normalize: bool = True) -> None:
        super().__init__()
        self.normalize = bool(normalize)
        self.n_batches = 0
        self._one_class: torch.Tensor | None = None

    def forward(self, input: torch.Tensor, target: torch.Tensor) -> torch.Tensor:  # noqa: A002
        """The AUM of one batch (see :func:`aum`)."""
        scores, labels = _scores_and_labels(input, target)
        is_pos = _labels_positive(labels)
        # counted on the device, read on demand: no synchronisation per batch
        one_class = (is_pos.all() | ~is_pos.any()).to(torch.int64)
        if self._one_class is None or self._one_class.device != one_class.device:
            self._one_class = one_class.new_zeros(()) + (
                0 if self._one_class is None else int(self._one_class)
            )
        self._one_class = self._one_class + one_class
        self.n_batches += 1
        if scores.shape[0] == 0:
            return scores.sum()
        return _aum_sorted(scores, is_pos, self.normalize)

    @property
    def n_batches_without_both_classes(self) -> int:
        """Calls whose rows lacked a class (their loss was zero, with a zero gradient)."""
        return 0 if self._one_class is None else int(self._one_class)

    def reset_counts(self) -> None:
        """Set both batch counters to zero."""
        self.n_batches = 0
        self._one_class = None

    def extra_repr(self) -> str:
        return f"normalize={self.normalize}"
