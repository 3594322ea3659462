"""Conditions between parameters: CondEqual, CondAnyOf and the depends= sugar."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

from mlr3py.errors import ConfigError
from mlr3py.params import CondAnyOf, CondEqual, Condition
from mlr3py.params._conditions import as_condition


def test_cond_equal_tests_equality():
    cond = CondEqual("booster", "gbtree")
    assert cond.test("gbtree")
    assert cond.test(np.str_("gbtree"))
    assert not cond.test("gblinear")
    assert not cond.test(None)
    assert cond.describe() == "'booster' == 'gbtree'"


def test_cond_equal_does_not_mix_bools_and_ints():
    assert CondEqual("flag", True).test(True)
    assert not CondEqual("flag", True).test(1)
    assert not CondEqual("n", 1).test(True)


def test_cond_equal_on_arrays_is_false_not_an_error():
    assert not CondEqual("x", 1).test(np.array([1, 1]))


def test_cond_any_of_tests_membership():
    cond = CondAnyOf("kernel", ["poly", "rbf"])
    assert cond.rhs == ("poly", "rbf")
    assert cond.test("rbf") and cond.test("poly")
    assert not cond.test("linear")
    assert cond.describe() == "'kernel' is one of {'poly', 'rbf'}"


@pytest.mark.parametrize("rhs", ["poly", 3, []])
def test_cond_any_of_needs_a_non_empty_list(rhs):
    with pytest.raises(ConfigError, match="The 'rhs' argument of CondAnyOf"):
        CondAnyOf("kernel", rhs)


@pytest.mark.parametrize("on", ["", None, 3])
def test_condition_needs_a_parameter_id(on):
    with pytest.raises(ConfigError, match="The 'on' argument of CondEqual must be a parameter id"):
        CondEqual(on, 1)


def test_condition_base_is_abstract():
    with pytest.raises(TypeError):
        Condition("x", 1)


def test_conditions_are_values():
    assert CondEqual("a", 1) == CondEqual("a", 1)
    assert CondEqual("a", 1) != CondEqual("a", 2)
    assert CondAnyOf("a", [1, 2]) == CondAnyOf("a", (1, 2))
    assert pickle.loads(pickle.dumps(CondAnyOf("a", [1, 2]))) == CondAnyOf("a", [1, 2])


@pytest.mark.parametrize(
    ("depends", "expected"),
    [
        (None, None),
        (("booster", "gbtree"), CondEqual("booster", "gbtree")),
        (["booster", "gbtree"], CondEqual("booster", "gbtree")),
        (("kernel", ["a", "b"]), CondAnyOf("kernel", ["a", "b"])),
        (("kernel", ("a", "b")), CondAnyOf("kernel", ["a", "b"])),
        (("kernel", {"b", "a"}), CondAnyOf("kernel", ["a", "b"])),
    ],
)
def test_as_condition_sugar(depends, expected):
    assert as_condition(depends) == expected


@pytest.mark.parametrize("depends", ["booster", ("booster",), (1, 2), 5])
def test_as_condition_rejects_other_input(depends):
    with pytest.raises(ConfigError, match=r"depends must be a Condition such as CondEqual"):
        as_condition(depends)
