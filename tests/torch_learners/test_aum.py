"""AUM loss: hand-computed cases, a brute-force reference, gradients, one-class batches."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import torch

from mlr3py.errors import InputError
from mlr3py.torch.losses import AUMLoss, aum


def brute_force_aum(scores, labels, normalize=True):
    """Integrate min(FPR(c), FNR(c)) piecewise, evaluating at the middle of every gap.

    Row i is predicted positive when scores[i] + c > 0; the thresholds are -scores.
    O(n^2): for each gap between consecutive distinct thresholds, count directly.
    """
    scores = np.asarray(scores, dtype=float)
    labels = np.asarray(labels).astype(bool)
    n_pos, n_neg = labels.sum(), (~labels).sum()
    thresholds = np.unique(-scores)
    total = 0.0
    for lo, hi in itertools.pairwise(thresholds):
        c = (lo + hi) / 2
        predicted_pos = scores + c > 0
        fp = np.sum(predicted_pos & ~labels)
        fn = np.sum(~predicted_pos & labels)
        if normalize:
            fp, fn = fp / n_neg, fn / n_pos
        total += min(fp, fn) * (hi - lo)
    return total


def test_one_positive_one_negative():
    loss = AUMLoss()
    for f_neg, f_pos in [(0.5, 0.3), (0.3, 0.5), (2.0, -1.0), (1.0, 1.0)]:
        value = loss(torch.tensor([f_neg, f_pos]), torch.tensor([0.0, 1.0]))
        assert value.item() == pytest.approx(max(0.0, f_neg - f_pos))
        unnormalised = aum(torch.tensor([f_neg, f_pos]), torch.tensor([0, 1]), normalize=False)
        assert unnormalised.item() == pytest.approx(max(0.0, f_neg - f_pos))


def test_four_points_by_hand():
    # labels 0, 0, 1, 1 with scores f = 2.0, -3.5, -1.0, 1.5. Thresholds t = -f, sorted:
    #   t = -2.0 (negative, f = 2.0), -1.5 (positive), 1.0 (positive), 3.5 (negative).
    # For c in a gap, FP = negatives with t < c, FN = positives with t > c:
    #   (-2.0, -1.5): FP = 1, FN = 2 -> FPR 1/2, FNR 1   min 1/2, width 0.5 -> 0.25
    #   (-1.5,  1.0): FP = 1, FN = 1 -> FPR 1/2, FNR 1/2 min 1/2, width 2.5 -> 1.25
    #   ( 1.0,  3.5): FP = 1, FN = 0 -> min 0
    # AUM (rates) = 1.5; with counts: 1 * 0.5 + 1 * 2.5 = 3.0.
    # As a function of f: AUM = 1/2 (t3 - t1) = 1/2 (f[0] - f[2]), so the gradient is
    # (1/2, 0, -1/2, 0) for rates and (1, 0, -1, 0) for counts.
    f = torch.tensor([2.0, -3.5, -1.0, 1.5], requires_grad=True)
    y = torch.tensor([0.0, 0.0, 1.0, 1.0])
    value = AUMLoss()(f, y)
    assert value.item() == pytest.approx(1.5)
    value.backward()
    assert f.grad.tolist() == pytest.approx([0.5, 0.0, -0.5, 0.0])
    f.grad = None
    value = AUMLoss(normalize=False)(f, y)
    assert value.item() == pytest.approx(3.0)
    value.backward()
    assert f.grad.tolist() == pytest.approx([1.0, 0.0, -1.0, 0.0])
    assert brute_force_aum(f.detach().numpy(), y.numpy()) == pytest.approx(1.5)


def test_perfect_ranking_is_zero():
    f = torch.tensor([-2.0, -1.0, 3.0, 4.0])
    assert AUMLoss()(f, torch.tensor([0, 0, 1, 1])).item() == 0.0


@pytest.mark.parametrize("seed", range(10))
@pytest.mark.parametrize("normalize", [True, False])
def test_equals_brute_force(seed, normalize):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 60))
    labels = rng.random(n) < 0.3
    labels[0], labels[1] = True, False
    scores = rng.normal(size=n)
    if seed % 2:  # ties
        scores = np.round(scores, 1)
    value = aum(torch.tensor(scores), torch.tensor(labels), normalize=normalize)
    assert value.item() == pytest.approx(brute_force_aum(scores, labels, normalize))


def test_gradient_against_finite_differences():
    rng = np.random.default_rng(1)
    scores = torch.tensor(rng.normal(size=25), dtype=torch.float64, requires_grad=True)
    labels = torch.tensor(rng.random(25) < 0.4, dtype=torch.float64)
    labels[:2] = torch.tensor([0.0, 1.0])
    assert torch.autograd.gradcheck(lambda s: aum(s, labels), (scores,))
    value = aum(scores, labels)
    (grad,) = torch.autograd.grad(value, scores)
    eps = 1e-6
    for i in range(25):
        up, down = scores.detach().clone(), scores.detach().clone()
        up[i] += eps
        down[i] -= eps
        fd = (aum(up, labels) - aum(down, labels)).item() / (2 * eps)
        assert grad[i].item() == pytest.approx(fd, abs=1e-6)


@pytest.mark.parametrize("labels", [[1.0, 1.0, 1.0], [0.0, 0.0, 0.0]])
def test_one_class_batch_is_zero_with_zero_gradient(labels):
    loss = AUMLoss()
    f = torch.tensor([0.3, -1.0, 2.0], requires_grad=True)
    value = loss(f, torch.tensor(labels))
    assert value.item() == 0.0 and value.requires_grad
    value.backward()
    assert torch.equal(f.grad, torch.zeros(3))
    assert loss.n_batches == 1 and loss.n_batches_without_both_classes == 1
    loss(f, torch.tensor([0.0, 1.0, 0.0]))
    assert loss.n_batches == 2 and loss.n_batches_without_both_classes == 1
    loss.reset_counts()
    assert loss.n_batches == 0 and loss.n_batches_without_both_classes == 0


def test_single_row_and_empty_batches():
    loss = AUMLoss()
    f = torch.tensor([0.7], requires_grad=True)
    value = loss(f, torch.tensor([1.0]))
    value.backward()
    assert value.item() == 0.0 and f.grad.tolist() == [0.0]
    empty = loss(torch.zeros(0, requires_grad=True), torch.zeros(0))
    assert empty.item() == 0.0
    assert loss.n_batches_without_both_classes == 2


def test_shapes_and_target_types():
    f = torch.tensor([2.0, -3.5, -1.0, 1.5])
    loss = AUMLoss()
    for target in (
        torch.tensor([0.0, 0.0, 1.0, 1.0]),
        torch.tensor([0, 0, 1, 1]),
        torch.tensor([[0.0], [0.0], [1.0], [1.0]]),
        torch.tensor([False, False, True, True]),
    ):
        assert loss(f, target).item() == pytest.approx(1.5)
        assert loss(f.reshape(-1, 1), target).item() == pytest.approx(1.5)
    # two logits per row: the score is logit 1 minus logit 0
    two = torch.stack([torch.zeros(4), f], dim=1)
    assert loss(two, torch.tensor([0, 0, 1, 1])).item() == pytest.approx(1.5)
    with pytest.raises(InputError, match="one score per row"):
        loss(torch.zeros(4, 3), torch.tensor([0, 0, 1, 1]))
    with pytest.raises(InputError, match="one target per row"):
        loss(f, torch.tensor([0, 1]))


def test_float32_and_repr():
    loss = AUMLoss()
    value = loss(torch.tensor([0.5, 0.3], dtype=torch.float32), torch.tensor([0.0, 1.0]))
    assert value.dtype == torch.float32
    assert repr(loss) == "AUMLoss(normalize=True)"


def test_training_reduces_aum():
    # a linear scorer trained on AUM ranks the positives above the negatives
    gen = torch.Generator().manual_seed(0)
    x = torch.randn(200, 2, generator=gen)
    y = (x[:, 0] + 0.3 * torch.randn(200, generator=gen) > 0.8).float()
    model = torch.nn.Linear(2, 1)
    torch.nn.init.zeros_(model.weight)
    opt = torch.optim.SGD(model.parameters(), lr=0.5)
    loss = AUMLoss()
    with torch.no_grad():
        model.weight[:] = torch.tensor([[-1.0, 0.0]])
    start = loss(model(x), y).item()
    for _ in range(50):
        opt.zero_grad()
        value = loss(model(x), y)
        value.backward()
        opt.step()
    assert loss(model(x), y).item() < 0.2 * start


def test_usable_as_the_mlp_loss():
    from mlr3py import lrn, msr, tsk

    task = tsk("sonar")
    learner = lrn(
        "classif.mlp", epochs=5, batch_size=32, neurons=[], loss=AUMLoss, seed=1,
        predict_type="prob",
    )
    learner.train(task)
    history = learner.model.history
    assert np.isfinite(history["train.loss"]).all()
    auc = learner.predict(task).score(msr("classif.auc"))
    assert float(np.asarray(auc).ravel()[0]) > 0.5


def test_non_binary_targets_are_rejected():
    with pytest.raises(InputError, match=r"binary targets.*Got target value\(s\) \[2\.0\]"):
        AUMLoss()(torch.tensor([0.5, 0.1]), torch.tensor([2.0, 0.0]))
    # bool and 0/1 integer targets are fine
    assert float(AUMLoss()(torch.tensor([0.1, 0.5]), torch.tensor([True, False]))) > 0
    assert float(AUMLoss()(torch.tensor([0.1, 0.5]), torch.tensor([1, 0]))) > 0
