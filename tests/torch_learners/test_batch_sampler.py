"""BatchSamplerStratified, the learner factory batch_sampler_stratified() and diagnostics."""

from __future__ import annotations

import copy
import pickle
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
import torch
from torch.utils.data import BatchSampler, DataLoader, RandomSampler, TensorDataset

from mlr3py import as_task_classif, tsk
from mlr3py.errors import ConfigError, InputError
from mlr3py.torch.diagnostics import batch_diagnostics
from mlr3py.torch.samplers import (
    BatchSamplerStratified,
    StratifiedBatchSamplerFactory,
    batch_sampler_stratified,
    stratified_batches,
)


@pytest.fixture
def strata():
    rng = np.random.default_rng(0)
    return rng.permutation(np.repeat(["neg", "pos", "mid"], [400, 23, 77]))


def counts_per_batch(batches, strata):
    return [pd.Series(strata[b]).value_counts().sort_index().to_dict() for b in batches]


def as_lists(batches):
    return [np.asarray(b).tolist() for b in batches]


# ---------------------------------------------------------------------------- sampler


def test_every_row_once_and_m_per_stratum(strata):
    sampler = BatchSamplerStratified(strata, 3, generator=torch.Generator().manual_seed(1))
    assert len(sampler) == 23 // 3 == sampler.n_batches
    for _ in range(3):
        batches = list(sampler)
        assert len(batches) == len(sampler)
        assert np.array_equal(np.sort(np.concatenate(batches)), np.arange(len(strata)))
        for c in counts_per_batch(batches, strata):
            assert set(c) == {"neg", "pos", "mid"} and min(c.values()) >= 3


def test_fresh_permutation_each_epoch_same_counts(strata):
    sampler = BatchSamplerStratified(strata, 2, generator=torch.Generator().manual_seed(2))
    epochs = [list(sampler) for _ in range(4)]
    assert len({tuple(np.concatenate(e).tolist()) for e in epochs}) == 4
    counts = [counts_per_batch(e, strata) for e in epochs]
    assert all(c == counts[0] for c in counts)
    assert all([len(b) for b in e] == sampler.batch_sizes for e in epochs)


def test_batches_are_stratified_batches_of_the_generators_permutation(strata):
    sampler = BatchSamplerStratified(strata, 4, generator=torch.Generator().manual_seed(3))
    twin = torch.Generator().manual_seed(3)
    for _ in range(2):
        order = torch.randperm(len(strata), generator=twin).numpy()
        assert as_lists(sampler) == as_lists(stratified_batches(strata, 4, order))


@pytest.fixture
def global_rng_state():
    """Restore numpy's and torch's global random states after the test."""
    np_state, torch_state = np.random.get_state(), torch.get_rng_state()  # noqa: NPY002
    yield
    np.random.set_state(np_state)  # noqa: NPY002
    torch.set_rng_state(torch_state)


def test_randomness_only_from_the_torch_generator(strata, global_rng_state):
    def epochs(seed, global_seed):
        np.random.seed(global_seed)  # noqa: NPY002 - the global state must not matter
        torch.manual_seed(global_seed)  # the global torch generator is not used either
        s = BatchSamplerStratified(strata, 3, generator=torch.Generator().manual_seed(seed))
        return [as_lists(s) for _ in range(2)]

    assert epochs(7, 1) == epochs(7, 2)
    assert epochs(7, 1) != epochs(8, 1)


def test_default_generator_is_torchs_global_one(strata, global_rng_state):
    torch.manual_seed(11)
    first = as_lists(BatchSamplerStratified(strata, 3))
    torch.manual_seed(11)
    assert as_lists(BatchSamplerStratified(strata, 3)) == first


def test_shuffle_false_is_task_order_every_epoch(strata):
    sampler = BatchSamplerStratified(strata, 5, shuffle=False)
    expected = as_lists(stratified_batches(strata, 5))
    assert as_lists(sampler) == expected
    first = list(sampler)
    first[0][:] = -1  # batches are the caller's: changing one does not change the next epoch
    assert as_lists(sampler) == expected


def test_batch_sizes_and_most_frequent_size():
    strata = ["a"] * 10 + ["b"] * 3
    sampler = BatchSamplerStratified(strata, 1, shuffle=False)
    # a: 10 rows in 3 batches -> 3, 3, 4; b: 1 each
    assert sampler.batch_sizes == [4, 4, 5]
    assert sampler.batch_size == 4
    assert sampler.stratum_counts.tolist() == [[3, 3, 4], [1, 1, 1]]
    assert "3 batches of size 4 (4..5)" in repr(sampler)
    tie = BatchSamplerStratified(["a"] * 9 + ["b"] * 2, 1, shuffle=False)
    assert tie.batch_sizes == [5, 6] and tie.batch_size == 6


def test_one_batch_when_smallest_stratum_below_m():
    sampler = BatchSamplerStratified(["a"] * 10 + ["b"] * 2, 3)
    assert len(sampler) == 1 and sampler.batch_sizes == [12] and sampler.batch_size == 12
    (batch,) = list(sampler)
    assert sorted(batch.tolist()) == list(range(12))


def test_dataframe_strata():
    frame = pd.DataFrame({"y": ["a", "b"] * 20, "g": [0] * 20 + [1] * 20})
    sampler = BatchSamplerStratified(frame, 2, generator=torch.Generator().manual_seed(0))
    assert len(sampler) == 5 and len(sampler.levels) == 4
    for b in sampler:
        assert frame.iloc[b].value_counts().min() == 2


def test_dataloader_accepts_the_batches(strata):
    x = torch.arange(len(strata), dtype=torch.float32)
    sampler = BatchSamplerStratified(strata, 3, generator=torch.Generator().manual_seed(4))
    loader = DataLoader(TensorDataset(x), batch_sampler=sampler)
    assert len(loader) == len(sampler)
    seen = torch.cat([b for (b,) in loader]).long()
    assert sorted(seen.tolist()) == list(range(len(strata)))
    # indexing a tensor with a batch directly (what the torch learners do)
    batch = next(iter(sampler))
    assert torch.equal(x[torch.from_numpy(batch)], torch.from_numpy(batch).float())


@pytest.mark.parametrize("bad", [0, 1.0, "3", None])
def test_sampler_checks_min_samples(bad):
    with pytest.raises(ConfigError, match="min_samples_per_stratum"):
        BatchSamplerStratified([0, 1], bad)


def test_sampler_checks_shuffle_and_generator():
    with pytest.raises(InputError, match="shuffle"):
        BatchSamplerStratified([0, 1], 1, shuffle="yes")
    with pytest.raises(InputError, match=r"torch\.Generator"):
        BatchSamplerStratified([0, 1], 1, generator=np.random.default_rng(1))


# ---------------------------------------------------------------------------- factory


@pytest.fixture
def sonar():
    task = tsk("sonar")
    task.col_roles["stratum"] = ["Class"]
    return task


def dataset_of(task, row_ids=None):
    ids = np.asarray(task.row_ids if row_ids is None else row_ids, dtype=np.int64)
    return SimpleNamespace(task=task, row_ids=ids)


def test_factory_reads_the_tasks_strata(sonar):
    factory = batch_sampler_stratified(2)
    assert isinstance(factory, StratifiedBatchSamplerFactory)
    sampler = factory(dataset_of(sonar), generator=torch.Generator().manual_seed(0))
    assert isinstance(sampler, BatchSamplerStratified)
    classes = sonar.data(cols="Class")["Class"].to_numpy()
    n_min = int(pd.Series(classes).value_counts().min())
    assert len(sampler) == n_min // 2
    for b in sampler:
        assert pd.Series(classes[b]).value_counts().min() >= 2


def test_factory_uses_the_datasets_row_ids(sonar):
    ids = np.arange(85, 208)[::-1]  # dataset position i <-> row id ids[i]
    sonar.filter(np.arange(85, 208))
    sampler = batch_sampler_stratified(1, shuffle=False)(dataset_of(sonar, ids))
    classes = sonar.data(rows=ids, cols="Class")["Class"].to_numpy()
    assert as_lists(sampler) == as_lists(stratified_batches(classes, 1))
    assert all((classes[b] == "R").sum() == 1 for b in sampler)


def test_factory_generator_controls_the_batches(sonar):
    factory = batch_sampler_stratified(3)
    a = as_lists(factory(dataset_of(sonar), generator=torch.Generator().manual_seed(5)))
    b = as_lists(factory(dataset_of(sonar), generator=torch.Generator().manual_seed(5)))
    c = as_lists(factory(dataset_of(sonar), generator=torch.Generator().manual_seed(6)))
    assert a == b != c


def test_factory_several_stratum_columns_are_combined(sonar):
    data = sonar.data()
    data["half"] = np.arange(sonar.nrow) % 2
    task = as_task_classif(data, target="Class", id="sonar2")
    task.col_roles["stratum"] = ["Class", "half"]
    sampler = batch_sampler_stratified(5)(dataset_of(task))
    assert len(sampler.levels) == 4
    frame = task.data(cols=["Class", "half"]).reset_index(drop=True)
    smallest = int(frame.value_counts().min())
    assert len(sampler) == smallest // 5
    for b in sampler:
        assert frame.iloc[b].value_counts().min() >= 5


def test_factory_without_stratum_column():
    dataset = dataset_of(tsk("sonar"))
    with pytest.raises(InputError) as err:
        batch_sampler_stratified(1)(dataset)
    assert str(err.value).startswith(
        "Task 'sonar' has no column with role 'stratum'; set task.col_roles['stratum'] = [...]"
    )


@pytest.mark.parametrize("bad", [0, -2, 2.5, "1", True])
def test_factory_checks_min_samples_at_once(bad):
    with pytest.raises(ConfigError, match=r"'min_samples_per_stratum' parameter of "
                       r"batch_sampler_stratified\(\) must be an int >= 1"):
        batch_sampler_stratified(bad)


def test_factory_needs_a_task_dataset():
    with pytest.raises(InputError, match="BatchSamplerStratified"):
        batch_sampler_stratified(1)(TensorDataset(torch.zeros(3)))


def test_factory_repr_equality_and_copies():
    factory = batch_sampler_stratified(3, shuffle=False)
    assert repr(factory) == "batch_sampler_stratified(min_samples_per_stratum=3, shuffle=False)"
    assert factory == batch_sampler_stratified(3, shuffle=False) != batch_sampler_stratified(3)
    assert pickle.loads(pickle.dumps(factory)) == factory
    assert copy.deepcopy(factory) == factory
    with pytest.raises(InputError, match="shuffle"):
        batch_sampler_stratified(3, shuffle=1)


# ---------------------------------------------------------------------------- diagnostics


def test_diagnostics_of_a_stratified_sampler(strata):
    sampler = BatchSamplerStratified(strata, 3, generator=torch.Generator().manual_seed(9))
    twin = BatchSamplerStratified(strata, 3, generator=torch.Generator().manual_seed(9))
    table = batch_diagnostics(sampler)
    assert list(table.columns) == ["batch", "size", "mid", "neg", "pos", "row_ids"]
    assert table["batch"].tolist() == list(range(1, len(sampler) + 1))
    assert table["size"].tolist() == sampler.batch_sizes
    batches = list(twin)
    assert [r.tolist() for r in table["row_ids"]] == as_lists(batches)
    assert table["pos"].tolist() == [int((strata[b] == "pos").sum()) for b in batches]
    assert (table[["mid", "neg", "pos"]].sum(axis=1) == table["size"]).all()
    assert table["pos"].min() >= 3


def test_diagnostics_of_torchs_default_batches_and_row_ids():
    strata = np.array([1] * 3 + [0] * 17)
    batches = list(BatchSampler(RandomSampler(range(20)), 5, drop_last=False))
    ids = np.arange(100, 120)
    table = batch_diagnostics(batches, strata, row_ids=ids)
    assert list(table.columns) == ["batch", "size", "0", "1", "row_ids"]
    assert table["1"].sum() == 3 and table["size"].tolist() == [5, 5, 5, 5]
    assert [r.tolist() for r in table["row_ids"]] == [(ids[b]).tolist() for b in batches]
    tensors = [torch.tensor(b) for b in batches]
    assert batch_diagnostics(tensors, strata)["1"].tolist() == table["1"].tolist()


def test_diagnostics_with_a_task(sonar):
    sonar.filter(range(85, 208))
    sampler = batch_sampler_stratified(1)(dataset_of(sonar))
    table = batch_diagnostics(sampler, sonar)
    assert table["R"].tolist() == [1] * 12
    assert set(table["size"]) == {10, 11}
    ids = np.concatenate(table["row_ids"].to_list())
    assert sorted(ids.tolist()) == list(range(85, 208))
    classes = sonar.data(rows=table["row_ids"][0], cols="Class")["Class"]
    assert (classes == "R").sum() == 1


def test_diagnostics_errors(strata):
    with pytest.raises(InputError, match="needs 'strata'"):
        batch_diagnostics([[0, 1]])
    with pytest.raises(InputError, match="outside"):
        batch_diagnostics([[0, 600]], strata)
    with pytest.raises(InputError, match="one id per row"):
        batch_diagnostics([[0, 1]], strata, row_ids=[1, 2])
    with pytest.raises(InputError, match="integer positions"):
        batch_diagnostics([[0.5, 1.0]], strata)
