"""Prediction.clone() (mlr3's ``$clone()``): set_threshold() and filter() work in place,
so threshold tuning by hand clones first."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mlr3py.predictions import PredictionClassif, PredictionRegr


@pytest.fixture
def binary() -> PredictionClassif:
    prob = np.array([[0.9, 0.1], [0.6, 0.4], [0.3, 0.7], [0.55, 0.45]])
    return PredictionClassif(
        row_ids=[10, 11, 12, 13],
        truth=pd.Categorical(["good", "bad", "bad", "good"], categories=["good", "bad"]),
        prob=pd.DataFrame(prob, columns=["good", "bad"]),
        class_names=["good", "bad"],
    )


def test_threshold_on_a_clone_leaves_the_original(binary: PredictionClassif) -> None:
    before = list(binary.response)
    tuned = binary.clone().set_threshold(0.7)
    assert list(tuned.response) == ["good", "bad", "bad", "bad"]
    assert list(binary.response) == before == ["good", "good", "bad", "good"]


def test_threshold_grid_by_hand(binary: PredictionClassif) -> None:
    positives = {t: int((binary.clone().set_threshold(t).response == "good").sum())
                 for t in (0.2, 0.58, 0.95)}
    assert positives == {0.2: 4, 0.58: 2, 0.95: 0}


def test_filter_on_a_clone_leaves_the_original(binary: PredictionClassif) -> None:
    kept = binary.clone().filter([11, 13])
    assert kept.row_ids.tolist() == [11, 13]
    assert binary.row_ids.tolist() == [10, 11, 12, 13]
    assert binary.prob is not None and binary.prob.shape == (4, 2)


def test_deep_clone_shares_no_arrays() -> None:
    pred = PredictionRegr(row_ids=[1, 2], truth=[1.0, 2.0], response=[1.5, 2.5])
    deep = pred.clone()
    assert isinstance(deep, PredictionRegr)
    assert not np.shares_memory(deep.response, pred.response)
    assert deep.response.tolist() == [1.5, 2.5]
    shallow = pred.clone(deep=False)
    assert np.shares_memory(shallow.response, pred.response)
