"""Reproduction 5: AUM with default batching against the stratified batch sampler.

The simulated data of reproduction 1 (20,050 rows, the first 602 positive, 3%)
with 10 features, the first 5 shifted by +0.5 for the positives; a stratified
holdout split; ``classif.mlp`` trained with ``loss=AUMLoss()`` under default
batching (batch size 100, shuffle) and under ``batch_sampler_stratified(3)``.

Asserted: default batching leaves batches without both classes (the AUM loss
has no gradient there), as many as the hypergeometric expectation says; the
stratified sampler leaves none; both give valid test AUCs. Which arm has the
higher test AUC is not asserted: after 10 epochs the stratified sampler was
ahead in 8 of 10 seeds (mean difference +0.021), but the per-seed differences
range from -0.07 to +0.08, of the order of the seed-to-seed spread (see
``examples/aum_stratified.py``).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from mlr3py import lrn, msr, rsmp
from mlr3py.tasks import as_task_classif
from mlr3py.torch import AUMLoss, batch_sampler_stratified

N_ROWS, N_POSITIVE, BATCH_SIZE, EPOCHS = 20_050, 602, 100, 2


def expected_without_both_classes(n: int, n_pos: int, batch_size: int) -> float:
    """Expected batches per epoch without a positive or without a negative."""
    sizes = [batch_size] * (n // batch_size) + ([n % batch_size] if n % batch_size else [])
    return sum(
        (math.comb(n - n_pos, k) + math.comb(n_pos, k)) / math.comb(n, k) for k in sizes
    )


@pytest.fixture
def simulated():
    rng = np.random.default_rng(1)
    y = np.where(np.arange(N_ROWS) < N_POSITIVE, "pos", "neg")
    x = rng.normal(size=(N_ROWS, 10))
    x[:N_POSITIVE, :5] += 0.5
    frame = pd.DataFrame(x, columns=[f"x{i}" for i in range(10)])
    frame.insert(0, "y", pd.Categorical(y, categories=["pos", "neg"]))
    task = as_task_classif(frame, target="y", id="simulated", positive="pos")
    task.col_roles["stratum"] = ["y"]
    split = rsmp("holdout", ratio=2 / 3).instantiate(task, seed=1)
    return task, split.train_set(0), split.test_set(0)


def train_arm(task, train, test, batching):
    loss = AUMLoss()
    learner = lrn(
        "classif.mlp", epochs=EPOCHS, neurons=[], lr=0.001, loss=loss, seed=1,
        predict_type="prob", **batching,
    )
    learner.train(task, row_ids=train)
    auc = learner.predict(task, row_ids=test).score(msr("classif.auc"))["classif.auc"]
    return loss, float(auc)


def test_expectation_for_the_design():
    # 13,366 training rows, 401 positive: 6.4 of 134 batches per epoch lack a positive
    per_epoch = expected_without_both_classes(13_366, 401, BATCH_SIZE)
    assert 6.0 < per_epoch < 6.8
    # two epochs: about 12.8 such batches; none at all has probability ~ exp(-12.8) < 1e-5
    assert math.exp(-EPOCHS * per_epoch) < 1e-5


def test_default_batching_leaves_batches_without_gradient(simulated):
    task, train, test = simulated
    n_pos = int((task.data(rows=train, cols="y")["y"] == "pos").sum())
    assert (len(train), n_pos) == (13_366, 401)  # the stratified holdout keeps 3%
    loss, auc = train_arm(task, train, test, {"batch_size": BATCH_SIZE, "shuffle": True})
    assert loss.n_batches == EPOCHS * math.ceil(len(train) / BATCH_SIZE)  # 268
    expected = EPOCHS * expected_without_both_classes(len(train), n_pos, BATCH_SIZE)
    observed = loss.n_batches_without_both_classes
    assert observed > 0
    # Poisson-like count around the expectation (12.8): well inside +-4 sd
    assert abs(observed - expected) < 4 * math.sqrt(expected)
    assert 0.0 <= auc <= 1.0


def test_stratified_sampler_leaves_no_batch_without_gradient(simulated):
    task, train, test = simulated
    loss, auc = train_arm(task, train, test, {"batch_sampler": batch_sampler_stratified(3)})
    assert loss.n_batches == EPOCHS * (401 // 3)  # 133 batches per epoch
    assert loss.n_batches_without_both_classes == 0
    assert 0.0 <= auc <= 1.0
    assert auc > 0.5  # the features carry signal and every batch had a gradient
