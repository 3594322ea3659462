"""The torch plots: training history and batch diagnostics."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("torch")

import torch
from torch.utils.data import BatchSampler, RandomSampler

from mlr3py import lrn
from mlr3py.errors import InputError
from mlr3py.tasks import as_task_classif
from mlr3py.torch import (
    BatchDiagnostics,
    BatchSamplerStratified,
    Callback,
    batch_diagnostics,
    batch_sampler_stratified,
)
from mlr3py.viz import autoplot


@pytest.fixture
def labels() -> np.ndarray:
    labels = np.zeros(2_005, dtype=np.int64)
    labels[:61] = 1  # 3% positive
    return labels


@pytest.fixture
def task():
    import pandas as pd

    rng = np.random.default_rng(0)
    y = np.where(np.arange(120) < 12, "R", "M")
    task = as_task_classif(pd.DataFrame({"a": rng.normal(size=120), "y": y}), target="y",
                           id="imbalanced")
    task.col_roles["stratum"] = ["y"]
    return task


def test_batch_bars_are_the_diagnostics_counts(labels) -> None:
    default = BatchSampler(RandomSampler(range(labels.size),
                                         generator=torch.Generator().manual_seed(1)), 100, False)
    table = batch_diagnostics(default, labels)
    assert isinstance(table, BatchDiagnostics) and table.strata == ["0", "1"]
    ax = autoplot(table)
    n = len(table)
    heights = np.array([p.get_height() for p in ax.patches[: 2 * n]]).reshape(2, n)
    np.testing.assert_array_equal(heights[0], table["0"])
    np.testing.assert_array_equal(heights[1], table["1"])
    (smallest,) = ax.get_lines()
    np.testing.assert_array_equal(smallest.get_ydata(), table[["0", "1"]].min(axis=1))
    missing = int((table["1"] == 0).sum())
    assert missing > 0
    assert any(f"missing a stratum ({missing} of {n})" in t.get_text()
               for t in ax.get_legend().get_texts())


def test_stratified_batches_miss_no_stratum(labels) -> None:
    sampler = BatchSamplerStratified(labels, 3, generator=torch.Generator().manual_seed(1))
    ax = autoplot(batch_diagnostics(sampler))
    assert not any("missing" in t.get_text() for t in ax.get_legend().get_texts())


def test_a_slice_of_the_table_is_a_plain_frame(labels) -> None:
    table = batch_diagnostics([[0, 1], [2, 3]], labels)
    assert type(table.head(1)).__name__ == "DataFrame"


@pytest.mark.slow
def test_diagnostics_of_a_learner_are_its_first_epoch(task) -> None:
    seen: list[np.ndarray] = []

    class Record(Callback):
        def on_batch_begin(self, *, ctx, batch, idx, **kwargs):  # type: ignore[override]
            if len(seen) < len(ctx.batches):
                seen.append(np.asarray(idx))

    learner = lrn("classif.mlp", epochs=2, batch_sampler=batch_sampler_stratified(1),
                  seed=3, neurons=[4], callbacks=[Record()])
    expected = batch_diagnostics(learner, task)
    learner.train(task)
    got = batch_diagnostics(seen, task)
    assert expected.strata == ["M", "R"]
    np.testing.assert_array_equal(expected[["M", "R"]], got[["M", "R"]])
    for a, b in zip(expected["row_ids"], got["row_ids"], strict=True):
        np.testing.assert_array_equal(a, b)


def test_history_draws_loss_and_measures_per_epoch(task) -> None:
    learner = lrn("classif.mlp", epochs=3, batch_size=32, seed=1, neurons=[4], validate=0.25,
                  measures_valid=["classif.acc"])
    with pytest.raises(InputError, match="not trained"):
        autoplot(learner)
    learner.train(task)
    fig = autoplot(learner)
    loss, acc = fig.axes[:2]
    lines = {ln.get_label(): ln for ln in loss.get_lines()}
    np.testing.assert_allclose(lines["train"].get_ydata(), learner.history["train.loss"])
    np.testing.assert_allclose(lines["valid"].get_ydata(), learner.history["valid.loss"])
    assert (loss.get_ylabel(), acc.get_ylabel()) == ("loss", "classif.acc")
    assert autoplot(learner.model).axes[0].get_ylabel() == "loss"
