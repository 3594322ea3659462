"""The pure function ``stratified_batches``: against reference implementations."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from mlr3py.errors import ConfigError, InputError
from mlr3py.torch._stratified import StratifiedPlan, encode_strata
from mlr3py.torch.samplers import stratified_batches

# ---------------------------------------------------------------------------- references


def reference_int(strata, m, order=None):
    """Row-by-row integer form of DESIGN.md: row -> batch ceil(i * B / n_s)."""
    strata = list(strata)
    n = len(strata)
    order = list(range(n)) if order is None else [int(p) for p in order]
    sizes = {s: strata.count(s) for s in set(strata)}
    nb = max(1, min(sizes.values()) // m)
    seen = dict.fromkeys(sizes, 0)
    batches = [[] for _ in range(nb)]
    for pos in order:
        s = strata[pos]
        seen[s] += 1
        b = (seen[s] * nb + sizes[s] - 1) // sizes[s]
        batches[b - 1].append(pos)
    return batches


def reference_r_float(strata, m, order=None):
    """The R original's float form: batch.i = ceiling(i / n_s * (B * m) / m).

    Rows are split by batch.i in increasing order, keeping their epoch order
    (``split(index_dt$row.id, index_dt$batch.i)``).
    """
    strata = list(strata)
    n = len(strata)
    order = list(range(n)) if order is None else [int(p) for p in order]
    sizes = {s: strata.count(s) for s in set(strata)}
    nb = max(1, min(sizes.values()) // m)
    max_samp = nb * m
    seen = dict.fromkeys(sizes, 0)
    by_batch: dict[int, list[int]] = {}
    for pos in order:
        s = strata[pos]
        seen[s] += 1
        n_samp = seen[s] / sizes[s] * max_samp
        b = math.ceil(n_samp / m)
        by_batch.setdefault(b, []).append(pos)
    return [by_batch[b] for b in sorted(by_batch)]


def as_lists(batches):
    return [b.tolist() for b in batches]


def float_form_exact(strata, m):
    """Whether the float form's batch equals the integer form's for every rank."""
    strata = list(strata)
    sizes = {s: strata.count(s) for s in set(strata)}
    nb = max(1, min(sizes.values()) // m)
    for n_s in sizes.values():
        for i in range(1, n_s + 1):
            if math.ceil(i / n_s * (nb * m) / m) != (i * nb + n_s - 1) // n_s:
                return False
    return True


# ---------------------------------------------------------------------------- against references


@pytest.mark.parametrize("seed", range(40))
def test_equals_integer_reference(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 400))
    n_strata = int(rng.integers(1, 14))
    m = int(rng.integers(1, 7))
    if seed % 4 == 0:  # imbalanced: a large majority (the merge path)
        strata = np.where(rng.random(n) < 0.05, rng.integers(1, n_strata + 1, n), 0)
    else:
        strata = rng.integers(0, n_strata, n)
    order = None if seed % 3 == 0 else rng.permutation(n)
    assert as_lists(stratified_batches(strata, m, order)) == reference_int(strata, m, order)


@pytest.mark.parametrize(
    ("sizes", "m"),
    [
        ((970, 30), 3),
        ((30, 970), 1),
        ((1000, 30, 20, 7), 2),
        ((9, 2000, 40, 23, 11, 5), 1),
        ((300, 100, 20), 2),
        ((50, 50), 5),
        ((7, 9, 11, 13, 200), 1),
    ],
)
def test_equals_integer_reference_shapes(sizes, m):
    rng = np.random.default_rng(1)
    strata = rng.permutation(np.repeat(np.arange(len(sizes)), sizes))
    for order in (None, rng.permutation(len(strata))):
        assert as_lists(stratified_batches(strata, m, order)) == reference_int(strata, m, order)


def test_many_strata_path():
    # more strata than the scan path handles: positions grouped by one sort
    rng = np.random.default_rng(2)
    strata = rng.integers(0, 40, 3000)
    order = rng.permutation(3000)
    assert as_lists(stratified_batches(strata, 2, order)) == reference_int(strata, 2, order)
    plan = StratifiedPlan(encode_strata(strata)[0], 2)
    assert plan.n_strata == 40 and plan.algorithm == "sort"
    # many strata next to a large majority: the insertion path with many strata
    strata = np.where(rng.random(20000) < 0.05, rng.integers(1, 30, 20000), 0)
    order = rng.permutation(20000)
    assert as_lists(stratified_batches(strata, 3, order)) == reference_int(strata, 3, order)
    assert StratifiedPlan(encode_strata(strata)[0], 3).algorithm == "merge"


@pytest.mark.parametrize(("sizes", "m"), [((111, 12), 1), ((20, 10), 2), ((100, 50, 25), 5)])
def test_equals_r_float_form_without_rounding_error(sizes, m):
    strata = np.repeat(np.arange(len(sizes)), sizes)
    rng = np.random.default_rng(3)
    strata = rng.permutation(strata)
    assert float_form_exact(strata, m)
    for order in (None, rng.permutation(len(strata))):
        ours = as_lists(stratified_batches(strata, m, order))
        assert ours == reference_r_float(strata, m, order)


def test_r_float_form_loses_a_minority_row_where_integers_do_not():
    # 25 minority rows, m = 1: B = 25 batches; 7 / 25 * 25 = 7.000000000000001, so the
    # float form puts the 7th minority row into batch 8 and leaves batch 7 without one
    assert 7 / 25 * 25 == 7.000000000000001
    strata = np.array([1] * 25 + [0] * 100)
    assert not float_form_exact(strata, 1)
    r_batches = reference_r_float(strata, 1)
    r_minority = [sum(strata[p] == 1 for p in b) for b in r_batches]
    assert 0 in r_minority
    assert r_minority[6] == 0 and r_minority[7] == 2

    ours = stratified_batches(strata, 1)
    assert len(ours) == 25
    assert [int((strata[b] == 1).sum()) for b in ours] == [1] * 25
    assert [int((strata[b] == 0).sum()) for b in ours] == [4] * 25


# ---------------------------------------------------------------------------- guarantees


@pytest.mark.parametrize("m", [1, 2, 3, 5, 10])
def test_every_row_once_and_m_per_stratum(m):
    rng = np.random.default_rng(m)
    strata = rng.permutation(np.repeat(["a", "b", "c"], [500, 61, 37]))
    batches = stratified_batches(strata, m, rng.permutation(len(strata)))
    flat = np.concatenate(batches)
    assert np.array_equal(np.sort(flat), np.arange(len(strata)))
    assert len(batches) == max(1, 37 // m)
    for b in batches:
        counts = pd.Series(strata[b]).value_counts()
        assert set(counts.index) == {"a", "b", "c"}
        assert counts.min() >= m


def test_rows_keep_epoch_order_inside_a_batch():
    rng = np.random.default_rng(4)
    strata = rng.integers(0, 3, 200)
    order = rng.permutation(200)
    rank = np.empty(200, dtype=int)
    rank[order] = np.arange(200)
    for b in stratified_batches(strata, 4, order):
        assert (np.diff(rank[b]) > 0).all()


def test_smallest_stratum_below_m_gives_one_batch():
    strata = ["a"] * 10 + ["b"] * 2
    order = np.random.default_rng(5).permutation(12)
    batches = stratified_batches(strata, 3, order)
    assert len(batches) == 1
    assert batches[0].tolist() == order.tolist()


def test_default_order_is_task_order():
    strata = ["a"] * 4 + ["b"] * 2
    assert as_lists(stratified_batches(strata, 1)) == [[0, 1, 4], [2, 3, 5]]
    assert as_lists(stratified_batches(strata, 1, order=np.arange(6))) == [[0, 1, 4], [2, 3, 5]]


def test_single_stratum_equal_sized_batches():
    batches = stratified_batches(np.zeros(10, dtype=int), 3)
    assert as_lists(batches) == [[0, 1, 2], [3, 4, 5], [6, 7, 8, 9]]


def test_empty():
    assert stratified_batches(np.array([], dtype=int), 2) == []


# ---------------------------------------------------------------------------- inputs


def test_dataframe_strata_are_combinations():
    frame = pd.DataFrame({"y": ["a", "a", "b", "b"] * 6, "g": [0, 1] * 12})
    combos = frame["y"] + frame["g"].astype(str)
    rng = np.random.default_rng(6)
    order = rng.permutation(24)
    ours = as_lists(stratified_batches(frame, 2, order))
    assert ours == reference_int(combos.tolist(), 2, order)
    assert len(ours) == 3  # four combinations of 6 rows each, m = 2
    one_col = as_lists(stratified_batches(frame[["y"]], 2, order))
    assert one_col == reference_int(frame["y"].tolist(), 2, order)


def test_strata_types_and_missing_values():
    values = ["x", None, "x", "y", None, "y", "x", "y", None]
    ref = reference_int([str(v) for v in values], 1)
    assert as_lists(stratified_batches(values, 1)) == ref
    cat = pd.Categorical(["b", "a", "b", "a"], categories=["b", "a"])
    assert as_lists(stratified_batches(cat, 1)) == [[0, 1], [2, 3]]
    assert as_lists(stratified_batches(pd.Series([True, False, True, False]), 1)) == [
        [0, 1],
        [2, 3],
    ]
    codes, labels = encode_strata(pd.DataFrame({"a": ["p", "q"], "b": [1, 2]}))
    assert labels == ["p.1", "q.2"] and codes.tolist() == [0, 1]


@pytest.mark.parametrize("bad", [0, -1, 1.5, "a", True, None, 2.0])
def test_min_samples_must_be_a_positive_int(bad):
    with pytest.raises(ConfigError, match="min_samples_per_stratum") as err:
        stratified_batches([0, 1, 0, 1], bad)
    assert repr(bad) in str(err.value)


def test_numpy_int_is_accepted():
    assert len(stratified_batches([0, 1, 0, 1], np.int64(1))) == 2


@pytest.mark.parametrize(
    "order",
    [[0, 1, 2], [0, 1, 2, 2], [0, 1, 2, 4], [-1, 0, 1, 2], [0.0, 1.0, 2.0, 3.0], [[0, 1], [2, 3]]],
)
def test_order_must_be_a_permutation(order):
    with pytest.raises(InputError, match="permutation of the row positions 0..3"):
        stratified_batches([0, 1, 0, 1], 1, order)


def test_strata_must_be_one_dimensional():
    with pytest.raises(InputError, match="1-D"):
        stratified_batches(np.zeros((3, 2)), 1)
