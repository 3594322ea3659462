"""Tests of combine_predictions() and ``+``."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mlr3py.errors import InputError
from mlr3py.predictions import (
    Prediction,
    PredictionClassif,
    PredictionRegr,
    combine_predictions,
)


def _classif(rows: list[int], truth: list[str], p_a: list[float]) -> PredictionClassif:
    prob = np.column_stack([p_a, 1 - np.asarray(p_a)])
    return PredictionClassif(rows, truth=truth, prob=prob, class_names=["a", "b"])


def test_combine_classif_concatenates_in_order() -> None:
    p1 = _classif([0, 1], ["a", "b"], [0.9, 0.2])
    p2 = _classif([2, 1], ["a", "b"], [0.4, 0.7])
    both = combine_predictions([p1, p2])
    assert both.row_ids.tolist() == [0, 1, 2, 1]  # duplicates kept (bootstrap)
    assert list(both.truth) == ["a", "b", "a", "b"]
    assert list(both.response) == ["a", "b", "b", "a"]
    np.testing.assert_allclose(both.prob["a"], [0.9, 0.2, 0.4, 0.7])
    assert len(p1) == 2  # inputs untouched


def test_plus_and_sum() -> None:
    p1 = PredictionRegr([0], truth=[1.0], response=[2.0])
    p2 = PredictionRegr([1], truth=[3.0], response=[3.0])
    both = p1 + p2
    assert both.row_ids.tolist() == [0, 1]
    assert sum([p1, p2]).response.tolist() == [2.0, 3.0]
    assert both.score()["regr.mse"] == pytest.approx(0.5)


def test_combine_rejects_mixed_classes() -> None:
    p1 = PredictionRegr([0], truth=[1.0], response=[2.0])
    p2 = _classif([1], ["a"], [0.5])
    with pytest.raises(InputError, match="same class"):
        combine_predictions([p1, p2])


def test_combine_rejects_different_predict_types() -> None:
    p1 = PredictionRegr([0], truth=[1.0], response=[2.0], se=[1.0])
    p2 = PredictionRegr([1], truth=[1.0], response=[2.0])
    with pytest.raises(InputError, match="predict types"):
        p1 + p2


def test_combine_rejects_different_class_names() -> None:
    p1 = PredictionClassif([0], truth=["a"], response=["a"], class_names=["a", "b"])
    p2 = PredictionClassif([1], truth=["a"], response=["a"], class_names=["a", "c"])
    with pytest.raises(InputError, match="class names"):
        combine_predictions([p1, p2])


def test_combine_needs_predictions() -> None:
    with pytest.raises(InputError, match="at least one"):
        combine_predictions([])


@pytest.mark.parametrize("kind", ["regr", "regr_se", "classif", "classif_prob"])
def test_allocate_and_put_equal_concatenation(kind: str) -> None:
    """A prediction allocated for all rows and filled piece by piece, in any order, equals
    the concatenation of the pieces."""
    rng = np.random.default_rng(3)
    ids = np.arange(10, 22, dtype=np.int64)
    pieces = [ids[:5], ids[5:9], ids[9:]]
    preds: list[Prediction] = []
    for rows in pieces:
        n = len(rows)
        if kind.startswith("regr"):
            se = rng.uniform(size=n) if kind == "regr_se" else None
            preds.append(PredictionRegr(rows, rng.normal(size=n), rng.normal(size=n), se=se))
        else:
            prob = rng.dirichlet([1, 1, 1], size=n)
            preds.append(PredictionClassif(
                rows, truth=rng.choice(["a", "b", "c"], size=n),
                response=None if kind == "classif_prob" else rng.choice(["a", "b", "c"], size=n),
                prob=prob if kind == "classif_prob" else None, class_names=["a", "b", "c"]))
    whole = preds[2]._allocate(ids)
    assert whole.row_ids is ids
    for rows, part in zip(pieces[::-1], preds[::-1], strict=True):
        whole._put(np.searchsorted(ids, rows), part)
    want = combine_predictions(preds)
    pd.testing.assert_frame_equal(whole.as_data_frame(), want.as_data_frame())
    assert whole.predict_types == want.predict_types
    assert len(preds[0]) == 5  # the pieces are unchanged
    with pytest.raises(InputError, match="where their row ids are"):
        whole._put(np.arange(4), preds[1])


def test_allocate_needs_declared_row_fields(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(PredictionRegr, "_row_fields", None)
    with pytest.raises(NotImplementedError, match="_row_fields"):
        PredictionRegr([1], [0.0], [1.0])._allocate(np.array([1, 2]))
