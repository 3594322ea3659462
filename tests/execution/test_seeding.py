"""Tests for root seeds, per-job seed spawning and RNG seeding."""

# These tests exercise numpy's legacy global generator on purpose.
# ruff: noqa: NPY002

from __future__ import annotations

import importlib.util
import random
import sys

import numpy as np
import pytest

from mlr3py._rng import (
    instantiation_rng,
    make_root_seed,
    seed_rngs,
    seeded,
    spawn_seeds,
)
from mlr3py.errors import ConfigError


def test_make_root_seed_passes_ints_through() -> None:
    assert make_root_seed(42) == 42
    assert make_root_seed(np.int64(7)) == 7


def test_make_root_seed_draws_from_numpy_global_generator() -> None:
    np.random.seed(123)
    first = make_root_seed(None)
    np.random.seed(123)
    assert make_root_seed(None) == first
    assert make_root_seed(None) != first


@pytest.mark.parametrize("bad", [-1, 1.5, "1", True])
def test_make_root_seed_rejects_bad_values(bad: object) -> None:
    with pytest.raises(ConfigError, match="seed"):
        make_root_seed(bad)  # type: ignore[arg-type]


def test_spawn_seeds_are_seedsequence_children_in_order() -> None:
    seeds = spawn_seeds(5, 4)
    expected = np.random.SeedSequence(5).spawn(4)
    assert len(seeds) == 4
    for got, want in zip(seeds, expected, strict=True):
        assert got.spawn_key == want.spawn_key
        assert np.array_equal(got.generate_state(4), want.generate_state(4))
    states = {tuple(s.generate_state(2)) for s in seeds}
    assert len(states) == 4


def test_spawn_seeds_prefix_is_stable() -> None:
    short = spawn_seeds(9, 2)
    long = spawn_seeds(9, 5)
    for a, b in zip(short, long[:2], strict=True):
        assert np.array_equal(a.generate_state(4), b.generate_state(4))


def test_instantiation_rng_is_reproducible_and_independent_of_jobs() -> None:
    a = instantiation_rng(3, 0).integers(0, 2**31, size=5)
    b = instantiation_rng(3, 0).integers(0, 2**31, size=5)
    c = instantiation_rng(3, 1).integers(0, 2**31, size=5)
    assert np.array_equal(a, b)
    assert not np.array_equal(a, c)
    job = np.random.default_rng(spawn_seeds(3, 1)[0]).integers(0, 2**31, size=5)
    assert not np.array_equal(a, job)


def test_seed_rngs_makes_numpy_and_random_reproducible() -> None:
    seed = spawn_seeds(11, 1)[0]
    seed_rngs(seed)
    first = (np.random.rand(), random.random())
    seed_rngs(seed)
    assert (np.random.rand(), random.random()) == first
    seed_rngs(spawn_seeds(12, 1)[0])
    assert (np.random.rand(), random.random()) != first


def test_seed_rngs_accepts_plain_int() -> None:
    seed_rngs(5)
    first = np.random.rand()
    seed_rngs(5)
    assert np.random.rand() == first


def test_seeded_restores_the_callers_streams() -> None:
    np.random.seed(1)
    random.seed(1)
    expected_np = np.random.rand()
    expected_py = random.random()
    np.random.seed(1)
    random.seed(1)
    with seeded(spawn_seeds(0, 1)[0]):
        np.random.rand(10)
        random.random()
    assert np.random.rand() == expected_np
    assert random.random() == expected_py


@pytest.mark.skipif(
    importlib.util.find_spec("torch") is not None, reason="torch is installed here"
)
def test_seed_rngs_does_not_import_absent_torch() -> None:
    seed_rngs(1, torch=True)
    assert "torch" not in sys.modules
