"""Domains: which values each p_*() accepts, how it says so, and qunif()."""

from __future__ import annotations

import copy
import math
import pickle
import re

import numpy as np
import pytest

from mlr3py.errors import ConfigError
from mlr3py.params import (
    NO_DEFAULT,
    CondAnyOf,
    CondEqual,
    Domain,
    NoDefault,
    ParamDbl,
    ParamFct,
    ParamInt,
    ParamLgl,
    ParamUty,
    p_dbl,
    p_fct,
    p_int,
    p_lgl,
    p_uty,
)

# -- p_int -----------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [1, 5, 10**12, np.int64(3), np.int32(1), np.uint8(7)])
def test_p_int_accepts_python_and_numpy_ints(value):
    assert p_int(1).check(value) is True
    assert p_int(1).test(value)


@pytest.mark.parametrize("value", [0, -3, True, np.bool_(True), 1.0, 2.5, "a", None, [1]])
def test_p_int_rejects_out_of_bounds_bools_floats_and_others(value):
    assert p_int(1).check(value) == "must be an int >= 1"
    assert not p_int(1).test(value)


@pytest.mark.parametrize(
    ("domain", "text"),
    [
        (p_int(), "an int"),
        (p_int(1), "an int >= 1"),
        (p_int(None, 10), "an int <= 10"),
        (p_int(1, 10), "an int in [1, 10]"),
        (p_int(-math.inf, math.inf), "an int"),
        (p_int(0, math.inf), "an int >= 0"),
        (p_int(1, special_vals=[None]), "an int >= 1 or None"),
        (p_int(1, special_vals=[None, "auto"]), "an int >= 1 or one of None, 'auto'"),
    ],
)
def test_p_int_describes_its_domain(domain, text):
    assert domain.describe() == text


def test_p_int_bounds_are_inclusive():
    domain = p_int(1, 10)
    assert domain.test(1) and domain.test(10)
    assert not domain.test(11)
    assert domain.check(11) == "must be an int in [1, 10]"


def test_p_int_normalises_bounds():
    domain = p_int(1.0, None)
    assert domain.lower == 1 and isinstance(domain.lower, int)
    assert domain.upper == math.inf
    assert p_int().lower == -math.inf


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"lower": 1.5}, "The lower bound of p_int() must be a whole number. Got 1.5 instead."),
        ({"lower": "a"}, "The lower bound of p_int() must be a number or None. Got 'a' instead."),
        ({"upper": math.nan}, "The upper bound of p_int() must be a number or None. Got nan"),
        ({"lower": True}, "The lower bound of p_int() must be a number or None. Got True"),
        ({"lower": 5, "upper": 1}, "The lower bound of p_int() must not exceed its upper bound. "
                                   "Got lower=5, upper=1 instead."),
    ],
)
def test_p_int_rejects_bad_bounds(kwargs, message):
    with pytest.raises(ConfigError, match="^" + re.escape(message)):
        p_int(**kwargs)


def test_p_int_special_value_none_is_only_accepted_when_declared():
    assert p_int(1).check(None) == "must be an int >= 1"
    assert p_int(1, special_vals=[None]).check(None) is True


def test_special_values_are_not_confused_with_equal_bools():
    domain = p_int(1, 3, special_vals=[-1])
    assert domain.test(-1)
    assert not p_dbl(0, 1, special_vals=[2]).test(True)
    assert not p_fct(["a"], special_vals=[1]).test(True)


# -- p_dbl -----------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [0, 1, 0.5, np.float32(0.25), np.float64(1.0), np.int64(0)])
def test_p_dbl_accepts_ints_and_floats_in_bounds(value):
    assert p_dbl(0, 1).check(value) is True


@pytest.mark.parametrize("value", [-0.1, 1.5, math.nan, True, "0.5", None, math.inf])
def test_p_dbl_rejects_out_of_bounds_nan_bools_and_strings(value):
    assert p_dbl(0, 1).check(value) == "must be a number in [0, 1]"


def test_p_dbl_accepts_inf_when_unbounded():
    assert p_dbl().test(math.inf)
    assert p_dbl(0).test(math.inf)
    assert not p_dbl(0).test(-math.inf)
    assert not p_dbl().test(math.nan)


@pytest.mark.parametrize(
    ("domain", "text"),
    [
        (p_dbl(), "a number"),
        (p_dbl(0), "a number >= 0"),
        (p_dbl(None, 1), "a number <= 1"),
        (p_dbl(0, 1), "a number in [0, 1]"),
        (p_dbl(0.5, 2.25), "a number in [0.5, 2.25]"),
        (p_dbl(1e-8, 1), "a number in [1e-08, 1]"),
        (p_dbl(0, 1, special_vals=[None]), "a number in [0, 1] or None"),
    ],
)
def test_p_dbl_describes_its_domain(domain, text):
    assert domain.describe() == text


def test_p_dbl_stores_float_bounds():
    domain = p_dbl(0, 1)
    assert domain.lower == 0.0 and isinstance(domain.lower, float)
    assert domain.upper == 1.0
    assert p_dbl().lower == -math.inf and p_dbl().upper == math.inf


def test_p_dbl_rejects_crossed_bounds():
    with pytest.raises(ConfigError, match=r"lower bound of p_dbl\(\) must not exceed"):
        p_dbl(1, 0)


# -- p_fct / p_lgl / p_uty -------------------------------------------------------------------


def test_p_fct_accepts_only_its_levels():
    domain = p_fct(["gini", "entropy"])
    assert domain.test("gini") and domain.test(np.str_("entropy"))
    assert domain.check("log_loss") == "must be one of {'gini', 'entropy'}"
    assert domain.check(None) == "must be one of {'gini', 'entropy'}"
    assert domain.levels == ("gini", "entropy")


def test_p_fct_with_special_values_and_non_string_levels():
    assert p_fct(["a", "b"], special_vals=[None]).describe() == "one of {'a', 'b'} or None"
    domain = p_fct([1, 2, 3])
    assert domain.test(2)
    assert not domain.test(True)
    assert domain.describe() == "one of {1, 2, 3}"


@pytest.mark.parametrize(
    ("levels", "message"),
    [
        ("abc", "The levels of p_fct() must be a list of values. Got 'abc' instead."),
        (3, "The levels of p_fct() must be a list of values. Got 3 instead."),
        ([], "The levels of p_fct() must not be empty."),
        (["a", "b", "a"], "The levels of p_fct() must be unique. Got 'a' twice."),
    ],
)
def test_p_fct_rejects_bad_levels(levels, message):
    with pytest.raises(ConfigError, match="^" + re.escape(message) + "$"):
        p_fct(levels)


@pytest.mark.parametrize("value", [True, False, np.bool_(True)])
def test_p_lgl_accepts_bools(value):
    assert p_lgl().check(value) is True


@pytest.mark.parametrize("value", [1, 0, "TRUE", None, 1.0])
def test_p_lgl_rejects_non_bools(value):
    assert p_lgl().check(value) == "must be a bool"


def test_p_lgl_has_two_levels():
    assert p_lgl().levels == (True, False)
    assert p_lgl().nlevels == 2


def test_p_uty_accepts_anything_without_custom_check():
    domain = p_uty()
    for value in (None, "a", [1, 2], object(), np.arange(3)):
        assert domain.check(value) is True
    assert domain.describe() == "any value"


@pytest.mark.parametrize(
    ("returned", "clause"),
    [
        ("a callable", "must be a callable"),
        ("Must be a callable.", "must be a callable"),
        ("must be positive", "must be positive"),
        (False, "must pass its custom check"),
        (None, "must pass its custom check"),
    ],
)
def test_p_uty_custom_check_messages(returned, clause):
    domain = p_uty(lambda value: True if value == "ok" else returned)
    assert domain.check("ok") is True
    assert domain.check("bad") == clause


def test_p_uty_custom_check_that_raises_is_a_failed_check():
    def check(value):
        raise TypeError("cannot inspect")

    assert p_uty(check).check(1) == "must pass its custom check, which raised TypeError: " \
                                    "cannot inspect"


def test_p_uty_custom_check_must_be_callable():
    with pytest.raises(ConfigError, match=r"custom_check of p_uty\(\) must be a function"):
        p_uty(custom_check="not callable")


def test_custom_check_numpy_true_counts_as_true():
    assert p_uty(lambda v: np.bool_(v > 0)).check(1) is True
    assert p_uty(lambda v: np.bool_(v > 0)).check(-1) == "must pass its custom check"


# -- defaults, init, tags, depends -----------------------------------------------------------


def test_default_and_init_must_be_feasible():
    with pytest.raises(ConfigError, match=r"^The default of p_int\(\) must be an int >= 1\. "
                                          r"Got 0 instead\.$"):
        p_int(1, default=0)
    with pytest.raises(ConfigError, match=r"^The initial value \(init\) of p_fct\(\) must be "
                                          r"one of \{'a', 'b'\}\. Got 'c' instead\.$"):
        p_fct(["a", "b"], init="c")
    assert p_int(1, default=None, special_vals=[None]).default is None


def test_default_is_no_default_unless_given():
    assert p_int().default is NO_DEFAULT
    assert not p_int().has_default
    assert p_int(default=3).has_default


def test_tags_accept_a_string_or_an_iterable():
    assert p_int(tags="train").tags == frozenset({"train"})
    assert p_int(tags=["train", "threads"]).tags == frozenset({"train", "threads"})
    with pytest.raises(ConfigError, match="tags must be a string or an iterable of strings"):
        p_int(tags=[1])
    with pytest.raises(ConfigError, match="tags must be a string or an iterable of strings"):
        p_int(tags=5)


def test_special_vals_must_be_a_list():
    with pytest.raises(ConfigError, match=r"special_vals of p_int\(\) must be a list or tuple"):
        p_int(special_vals="auto")
    with pytest.raises(ConfigError, match=r"special_vals of p_int\(\) must be a list or tuple"):
        p_int(special_vals=None)
    assert p_int(special_vals={None}).special_vals == (None,)


def test_depends_sugar_becomes_conditions():
    assert p_dbl(depends=("booster", "gbtree")).depends == CondEqual("booster", "gbtree")
    any_of = p_int(depends=("kernel", ["poly", "rbf"])).depends
    assert any_of == CondAnyOf("kernel", ["poly", "rbf"])
    cond = CondEqual("a", 1)
    assert p_lgl(depends=cond).depends is cond


def test_a_domain_cannot_depend_on_itself():
    with pytest.raises(ConfigError, match="The 'x' parameter cannot depend on itself"):
        p_int(depends=("x", 1)).with_id("x")


# -- metadata for designs and samplers ---------------------------------------------------------


def test_cls_and_kind_flags():
    assert [d.cls for d in (p_int(), p_dbl(), p_fct(["a"]), p_lgl(), p_uty())] == [
        "ParamInt", "ParamDbl", "ParamFct", "ParamLgl", "ParamUty"]
    assert p_int().is_number and p_dbl().is_number and not p_fct(["a"]).is_number
    assert p_fct(["a"]).is_categ and p_lgl().is_categ and not p_int().is_categ
    assert isinstance(p_int(), (Domain, ParamInt))
    for cls in (ParamInt, ParamDbl, ParamFct, ParamLgl, ParamUty):
        assert issubclass(cls, Domain)


def test_domain_is_abstract_and_immutable():
    with pytest.raises(TypeError):
        Domain()
    domain = p_int(1)
    with pytest.raises(AttributeError):
        domain.lower = 5


@pytest.mark.parametrize(
    ("domain", "bounded", "nlevels"),
    [
        (p_int(1, 10), True, 10),
        (p_int(1), False, math.inf),
        (p_dbl(0, 1), True, math.inf),
        (p_dbl(0), False, math.inf),
        (p_fct(["a", "b", "c"]), True, 3),
        (p_lgl(), True, 2),
    ],
)
def test_is_bounded_and_nlevels(domain, bounded, nlevels):
    assert domain.is_bounded is bounded
    assert domain.nlevels == nlevels


def test_p_uty_is_unbounded_with_nan_levels():
    assert not p_uty().is_bounded
    assert math.isnan(p_uty().nlevels)


def test_qunif_of_doubles_is_linear():
    domain = p_dbl(-1, 3)
    assert domain.qunif(0) == -1.0
    assert domain.qunif(0.5) == 1.0
    assert domain.qunif(1) == 3.0
    np.testing.assert_allclose(domain.qunif([0, 0.25, 1]), [-1.0, 0.0, 3.0])


def test_qunif_of_ints_splits_into_equal_bins():
    domain = p_int(1, 4)
    out = domain.qunif([0.0, 0.24, 0.25, 0.5, 0.99, 1.0])
    assert out.tolist() == [1, 1, 2, 3, 4, 4]
    assert out.dtype == np.int64
    assert domain.qunif(0.6) == 3 and isinstance(domain.qunif(0.6), int)


def test_qunif_of_levels_and_bools():
    fct = p_fct(["a", "b", "c"])
    assert fct.qunif(0.0) == "a" and fct.qunif(0.5) == "b" and fct.qunif(1.0) == "c"
    assert fct.qunif([0.1, 0.9]).tolist() == ["a", "c"]
    lgl = p_lgl()
    assert lgl.qunif(0.2) is True and lgl.qunif(0.8) is False
    assert lgl.qunif([0.2, 0.8]).dtype == bool


def test_qunif_keeps_the_shape_of_its_input():
    assert p_dbl(0, 1).qunif(np.zeros((2, 3))).shape == (2, 3)


@pytest.mark.parametrize("domain", [p_int(1), p_dbl(0), p_uty()])
def test_qunif_needs_a_bounded_domain(domain):
    with pytest.raises(ConfigError, match="qunif\\(\\) needs a bounded domain"):
        domain.qunif(0.5)


@pytest.mark.parametrize("u", [-0.1, 1.1, math.nan, [0.5, 2]])
def test_qunif_needs_values_in_unit_interval(u):
    with pytest.raises(ConfigError, match=r"needs values in \[0, 1\]"):
        p_dbl(0, 1).qunif(u)


def test_with_id_returns_a_renamed_copy():
    domain = p_int(1, tags="train")
    named = domain.with_id("max_depth")
    assert named.id == "max_depth" and domain.id is None
    assert named.tags == domain.tags and named.lower == 1
    with pytest.raises(ConfigError, match=r"qunif\(\) of the 'max_depth' parameter"):
        named.qunif(2)


@pytest.mark.parametrize("bad", ["", None, 3])
def test_with_id_needs_a_non_empty_string(bad):
    with pytest.raises(ConfigError, match="A parameter id must be a non-empty string"):
        p_int().with_id(bad)


def test_domains_are_shared_not_copied():
    domain = p_uty(default=[1, 2])
    assert copy.deepcopy(domain) is domain
    assert copy.copy(domain) is domain
    cond = CondEqual("a", [1])
    assert copy.deepcopy(cond) is cond


def test_repr_shows_the_declaration():
    domain = p_int(1, 10, default=3, tags="train").with_id("k")
    assert repr(domain) == "ParamInt(id='k', lower=1, upper=10, default=3, tags=['train'])"
    assert repr(p_fct(["a", "b"])) == "ParamFct(levels={'a', 'b'})"


def test_no_default_is_a_singleton_surviving_copy_and_pickle():
    assert NoDefault() is NO_DEFAULT
    assert copy.deepcopy(NO_DEFAULT) is NO_DEFAULT
    assert copy.copy(NO_DEFAULT) is NO_DEFAULT
    assert pickle.loads(pickle.dumps(NO_DEFAULT)) is NO_DEFAULT
    assert repr(NO_DEFAULT) == "NO_DEFAULT"


def test_domains_pickle_and_compare_equal():
    domain = p_fct(["a", "b"], default="a", tags=["train"], depends=("x", 1))
    again = pickle.loads(pickle.dumps(domain))
    assert again == domain
    assert again.default == "a" and again.init is NO_DEFAULT

