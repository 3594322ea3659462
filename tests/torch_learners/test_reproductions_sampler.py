"""Reproductions 1 and 2 of the seed documents (the stratified batch sampler blog posts).

1. Simulated data, 20,050 rows with the first 602 positive: a default shuffled
   loader with batch size 100 leaves batches without a positive; the stratified
   sampler with m = 3 gives 200 batches, each with >= 3 positives, all rows once.
2. Sonar with stratum Class, filtered to rows 86..208 (row ids 85..207: 111 M,
   12 R): m = 1 gives 12 batches of 10 or 11 rows with exactly one R each, for
   shuffle True and False; batch size grows about 10x m, m >= 7 gives one batch;
   shuffle=False repeats its batches, shuffle=True draws new ones with the same counts.

``examples/stratified_sampler.py`` prints the same tables.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
import torch
from torch.utils.data import BatchSampler, DataLoader, RandomSampler, TensorDataset

from mlr3py import lrn, tsk
from mlr3py.torch.diagnostics import batch_diagnostics
from mlr3py.torch.samplers import BatchSamplerStratified, batch_sampler_stratified

N_ROWS, N_POSITIVE = 20_050, 602


@pytest.fixture
def simulated():
    labels = np.zeros(N_ROWS, dtype=np.int64)
    labels[:N_POSITIVE] = 1
    x = torch.randn(N_ROWS, 3, generator=torch.Generator().manual_seed(0))
    return x, labels


@pytest.fixture
def sonar_tail():
    task = tsk("sonar")
    task.col_roles["stratum"] = ["Class"]
    task.filter(range(85, 208))
    return task


def dataset_of(task):
    return SimpleNamespace(task=task, row_ids=np.asarray(task.row_ids, dtype=np.int64))


# ---------------------------------------------------------------------------- reproduction 1


def test_default_loader_leaves_batches_without_a_positive(simulated):
    x, labels = simulated
    dataset = TensorDataset(x, torch.from_numpy(labels))
    loader = DataLoader(
        dataset, batch_size=100, shuffle=True, generator=torch.Generator().manual_seed(1)
    )
    positives = [int(y.sum()) for _, y in loader]
    assert len(positives) == 201  # 200 full batches and one of 50
    assert sum(positives) == N_POSITIVE
    assert positives.count(0) > 0  # about 0.97^100 = 4.8% of the batches
    # the same with torch's BatchSampler(RandomSampler, 100), through the diagnostics
    sampler = BatchSampler(
        RandomSampler(range(N_ROWS), generator=torch.Generator().manual_seed(2)), 100, False
    )
    table = batch_diagnostics(sampler, labels)
    assert len(table) == 201 and (table["1"] == 0).sum() > 0


def test_stratified_sampler_gives_200_batches_with_three_positives(simulated):
    x, labels = simulated
    sampler = BatchSamplerStratified(labels, 3, generator=torch.Generator().manual_seed(1))
    assert len(sampler) == 200
    assert set(sampler.batch_sizes) <= {100, 101, 102} and sampler.batch_size == 100
    for _ in range(2):  # two epochs
        table = batch_diagnostics(sampler, labels)
        assert len(table) == 200
        assert table["1"].min() >= 3
        ids = np.concatenate(table["row_ids"].to_list())
        assert np.array_equal(np.sort(ids), np.arange(N_ROWS))
    # through a DataLoader, as a training loop would use it
    loader = DataLoader(TensorDataset(x, torch.from_numpy(labels)), batch_sampler=sampler)
    positives = [int(y.sum()) for _, y in loader]
    assert len(positives) == 200 and min(positives) >= 3 and sum(positives) == N_POSITIVE


# ---------------------------------------------------------------------------- reproduction 2


def test_sonar_tail_has_111_m_and_12_r(sonar_tail):
    counts = sonar_tail.data(cols="Class")["Class"].value_counts()
    assert counts.to_dict() == {"M": 111, "R": 12}


@pytest.mark.parametrize("shuffle", [True, False])
def test_sonar_m1_gives_12_batches_with_one_r_each(sonar_tail, shuffle):
    factory = batch_sampler_stratified(1, shuffle=shuffle)
    sampler = factory(dataset_of(sonar_tail), generator=torch.Generator().manual_seed(3))
    assert len(sampler) == 12
    table = batch_diagnostics(sampler, sonar_tail)
    assert len(table) == 12
    assert table["R"].tolist() == [1] * 12
    assert set(table["size"]) == {10, 11}
    assert table["M"].sum() == 111
    ids = np.concatenate(table["row_ids"].to_list())
    assert sorted(ids.tolist()) == list(range(85, 208))


def test_sonar_batch_size_grows_about_10x_m(sonar_tail):
    sizes = {}
    for m in range(1, 13):
        sampler = batch_sampler_stratified(m)(dataset_of(sonar_tail))
        assert len(sampler) == max(1, 12 // m)
        sizes[m] = sampler.batch_size
        table = batch_diagnostics(sampler, sonar_tail)
        assert table["R"].min() >= min(m, 12)
    # the most frequent size (the larger one on ties): 123 rows in 12, 6, 4, 3, 2 batches
    assert [sizes[m] for m in range(1, 7)] == [10, 21, 31, 41, 62, 62]
    for m in range(1, 5):
        assert 10 * m <= sizes[m] <= 11 * m
    assert all(sizes[m] == 123 for m in range(7, 13))  # a single batch


def test_sonar_shuffle_false_repeats_shuffle_true_redraws(sonar_tail):
    fixed = batch_sampler_stratified(1, shuffle=False)(dataset_of(sonar_tail))
    tables = [batch_diagnostics(fixed, sonar_tail) for _ in range(3)]
    rows = [[r.tolist() for r in t["row_ids"]] for t in tables]
    assert rows[0] == rows[1] == rows[2]
    # task order: the first batch holds the first R (row id 85) and the first 9 M (97..105)
    assert rows[0][0] == [85, *range(97, 106)]

    shuffled = batch_sampler_stratified(1)(
        dataset_of(sonar_tail), generator=torch.Generator().manual_seed(4)
    )
    tables = [batch_diagnostics(shuffled, sonar_tail) for _ in range(3)]
    rows = [[r.tolist() for r in t["row_ids"]] for t in tables]
    assert rows[0] != rows[1] != rows[2]
    counts = [t[["size", "M", "R"]].to_numpy().tolist() for t in tables]
    assert counts[0] == counts[1] == counts[2]


def test_sonar_with_the_mlp_learner(sonar_tail):
    # the factory as the learner's batch_sampler: trains one epoch of 12 batches
    learner = lrn(
        "classif.mlp", epochs=1, batch_sampler=batch_sampler_stratified(1), seed=1
    )
    learner.train(sonar_tail)
    prediction = learner.predict(sonar_tail)
    assert len(prediction.response) == 123
