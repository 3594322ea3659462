"""Positions of keys among sorted row ids: a lookup table where the ids are dense, a
binary search elsewhere, the same answers either way."""

from __future__ import annotations

import numpy as np
import pytest

from mlr3py.data import key_positions
from mlr3py.data.key_positions import KeyPositions


def _reference(ids: np.ndarray, keys: np.ndarray) -> tuple[list[int], list[bool]]:
    where = {int(k): i for i, k in enumerate(ids)}
    return [where.get(int(k), -1) for k in keys], [int(k) in where for k in keys]


@pytest.mark.parametrize("step", [1, 2, 3, 50])
def test_positions_equal_a_dictionary_lookup(step: int) -> None:
    rng = np.random.default_rng(step)
    ids = np.sort(rng.choice(np.arange(1_000, 1_000 + 5_000 * step, step), 4_000, replace=False))
    where = KeyPositions(ids)
    assert (where._table is not None) == (step <= 3)  # a table only for dense ids
    keys = rng.integers(0, 2_000 + 5_000 * step, 20_000)
    pos, found = where.find(keys)
    want_pos, want_found = _reference(ids, keys)
    assert found.tolist() == want_found
    assert [int(p) if f else -1 for p, f in zip(pos, found, strict=True)] == want_pos
    assert where.unknown(keys).tolist() == [not f for f in want_found]
    inside = keys[found]
    assert where.positions(inside).tolist() == [p for p in want_pos if p >= 0]


def test_no_table_beyond_the_largest_span(monkeypatch: pytest.MonkeyPatch) -> None:
    ids = np.arange(0, 100, dtype=np.int64)
    assert KeyPositions(ids)._table is not None
    monkeypatch.setattr(key_positions, "MAX_TABLE_SPAN", 99)
    where = KeyPositions(ids)
    assert where._table is None
    pos, found = where.find(np.array([5, 100, -1]))
    assert found.tolist() == [True, False, False] and int(pos[0]) == 5


def test_no_ids_find_nothing() -> None:
    pos, found = KeyPositions(np.empty(0, dtype=np.int64)).find(np.array([1, 2]))
    assert found.tolist() == [False, False] and len(pos) == 2
