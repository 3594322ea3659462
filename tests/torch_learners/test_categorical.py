"""Categorical level codes, the mixed encoder and TensorBatch."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import torch

from mlr3py.errors import ConfigError, InputError
from mlr3py.tasks import as_task_classif
from mlr3py.torch.categorical import (
    UNKNOWN_CODE,
    CategoricalLevels,
    MixedEncoder,
    TensorBatch,
)
from mlr3py.torch.dataset import TaskDataset


@pytest.fixture
def mixed_task():
    frame = pd.DataFrame({
        "y": pd.Categorical(["a", "b", "a", "b", "a", "b"]),
        "x": [0.5, 1.0, 1.5, 2.0, 2.5, 3.0],
        "flag": [True, False, True, True, False, False],
        "colour": pd.Categorical(["red", "blue", "red", "green", "blue", "red"],
                                 categories=["blue", "green", "red", "violet"]),
        "size": pd.Categorical(["S", "M", "L", "S", "M", "L"], categories=["S", "M", "L"],
                               ordered=True),
    })
    return as_task_classif(frame, target="y", id="mixed")


def test_levels_come_from_the_task_including_levels_without_rows(mixed_task):
    levels = CategoricalLevels.from_task(mixed_task)
    assert levels.features == ("colour", "size")
    assert levels.levels == (("blue", "green", "red", "violet"), ("S", "M", "L"))
    assert levels.cardinalities == (5, 4)
    # a training subset without "green" keeps its code
    sub = CategoricalLevels.from_task(mixed_task.clone().filter([0, 1]))
    assert sub.levels == levels.levels


def test_codes_are_level_index_plus_one_and_unknown_is_zero(mixed_task):
    levels = CategoricalLevels.from_task(mixed_task)
    codes = levels.codes(mixed_task.data(cols=["colour", "size"]))
    assert codes.dtype == np.int64
    assert codes[:, 0].tolist() == [3, 1, 3, 2, 1, 3]
    assert codes[:, 1].tolist() == [1, 2, 3, 1, 2, 3]
    new = pd.DataFrame({"colour": ["red", "purple", None], "size": ["XL", "M", None]})
    got = levels.codes(new)
    assert got.tolist() == [[3, UNKNOWN_CODE], [UNKNOWN_CODE, 2], [UNKNOWN_CODE, UNKNOWN_CODE]]


def test_levels_refuse_a_numeric_feature(mixed_task):
    with pytest.raises(InputError, match="'x'.*not a factor"):
        CategoricalLevels.from_task(mixed_task, ["x"])
    with pytest.raises(ConfigError, match="one level tuple per feature"):
        CategoricalLevels(("a", "b"), (("x",),))


def test_mixed_encoder_splits_numeric_and_categorical(mixed_task):
    enc = MixedEncoder.from_task(mixed_task)
    assert enc.numeric == ("x", "flag")
    assert enc.cardinalities == (5, 4)
    assert enc.n_features == 4
    batch = enc.encode(mixed_task)
    assert batch.keys() == ["num", "categ"]
    assert batch["num"].dtype == torch.float32 and batch["num"].shape == (6, 2)
    assert batch["num"][:, 1].tolist() == [1.0, 0.0, 1.0, 1.0, 0.0, 0.0]
    assert batch["categ"].dtype == torch.int64 and batch["categ"].shape == (6, 2)


def test_mixed_encoder_refuses_missing_numeric_values(mixed_task):
    enc = MixedEncoder.from_task(mixed_task)
    data = mixed_task.data(cols=enc.feature_names)
    data.loc[2, "x"] = np.nan
    with pytest.raises(InputError, match=r"missing values in feature\(s\) \['x'\]"):
        enc.transform(data, "mixed")


def test_tensor_batch_indexes_rows_and_names():
    b = TensorBatch({"num": torch.arange(8.0).reshape(4, 2),
                     "categ": torch.tensor([[1], [2], [3], [0]])})
    assert len(b) == 4
    rows = b[torch.tensor([3, 0])]
    assert isinstance(rows, TensorBatch)
    assert rows["categ"].tolist() == [[0], [1]]
    assert rows["num"].tolist() == [[6.0, 7.0], [0.0, 1.0]]
    assert len(b[1:3]) == 2
    assert "num" in b and list(b) == ["num", "categ"]
    assert b.to("cpu")["num"].device.type == "cpu"
    assert "4 rows" in repr(b)
    with pytest.raises(KeyError, match="no tensor 'cat'"):
        b["cat"]
    with pytest.raises(ConfigError, match="same number of rows"):
        TensorBatch({"a": torch.zeros(3), "b": torch.zeros(2)})
    with pytest.raises(ConfigError, match="at least one"):
        TensorBatch({})


def test_task_dataset_with_mixed_encoder(mixed_task):
    enc = MixedEncoder.from_task(mixed_task)
    ds = TaskDataset(mixed_task, encoder=enc)
    assert isinstance(ds.x, TensorBatch)
    assert len(ds) == 6 and ds.n_features == 4
    x, y = ds[torch.tensor([0, 5])]
    assert x["categ"].tolist() == [[3, 1], [3, 3]]
    assert y.shape == (2,)
