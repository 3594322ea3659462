"""ParamSet: construction, checking, dependencies, required parameters, queries, copies."""

from __future__ import annotations

import copy
import math
import pickle
import re

import pandas as pd
import pytest

from mlr3py.errors import ConfigError, UnknownKeyError
from mlr3py.params import (
    NO_DEFAULT,
    CondAnyOf,
    CondEqual,
    ParamSet,
    ParamValues,
    p_dbl,
    p_fct,
    p_int,
    p_lgl,
    p_uty,
    ps,
)


@pytest.fixture
def rpart():
    """A parameter set like classif.rpart's, owned by a learner."""
    param_set = ps(
        max_depth=p_int(1, 30, default=30, tags="train"),
        cp=p_dbl(0, 1, default=0.01, tags="train"),
        criterion=p_fct(["gini", "entropy"], default="gini", tags="train"),
        keep_model=p_lgl(default=False, tags="train"),
        xval=p_int(0, default=10, tags=["train", "predict"], init=0),
        n_jobs=p_int(1, special_vals=[None], default=1, tags=["train", "threads"]),
    )
    param_set.context = "Learner 'classif.rpart'"
    return param_set


@pytest.fixture
def xgb():
    """A parameter set with dependencies and a required parameter."""
    return ps(
        booster=p_fct(["gbtree", "gblinear", "dart"], default="gbtree", tags="train"),
        eta=p_dbl(0, 1, default=0.3, tags="train", depends=("booster", ["gbtree", "dart"])),
        rate_drop=p_dbl(0, 1, tags="train", depends=CondEqual("booster", "dart")),
        nrounds=p_int(1, tags=["train", "required"]),
        kernel=p_fct(["poly", "rbf"]),
        degree=p_int(1, depends=("kernel", "poly"), tags="required"),
    )


def _msg(text: str) -> str:
    return "^" + re.escape(text) + "$"


# -- construction ----------------------------------------------------------------------------


def test_ps_names_domains_by_keyword(rpart):
    assert rpart.ids() == ["max_depth", "cp", "criterion", "keep_model", "xval", "n_jobs"]
    assert rpart.params["cp"].id == "cp"
    assert rpart.params["cp"].cls == "ParamDbl"
    assert len(rpart) == 6
    assert "cp" in rpart and "nope" not in rpart
    assert list(rpart) == rpart.ids()


def test_params_mapping_is_read_only(rpart):
    with pytest.raises(TypeError):
        rpart.params["cp"] = p_dbl()


def test_empty_param_set_is_valid():
    empty = ParamSet()
    assert len(empty) == 0 and empty.ids() == []
    assert empty.values == {} and empty.get_values() == {}
    assert empty.check({}) is True
    assert repr(empty) == "<ParamSet(0)>\nEmpty."
    assert ps().ids() == []
    with pytest.raises(UnknownKeyError, match="^ParamSet has no parameter 'x'\\.$"):
        empty.set_values(x=1)


def test_init_values_are_set_at_construction(rpart):
    assert rpart.values == {"xval": 0}
    assert rpart.params["xval"].init == 0


def test_invalid_init_combination_fails_at_construction():
    with pytest.raises(ConfigError, match="The 'b' parameter of ParamSet can only be set when"):
        ps(a=p_fct(["x", "y"], init="y"), b=p_int(depends=("a", "x"), init=1))


def test_construction_rejects_non_domains_and_unknown_parents():
    with pytest.raises(ConfigError, match=_msg(
            "The 'x' parameter must be a domain built with p_int(), p_dbl(), p_fct(), p_lgl() "
            "or p_uty(). Got 3 instead.")):
        ps(x=3)
    with pytest.raises(ConfigError, match=_msg(
            "The 'eta' parameter depends on 'boster', which is not a parameter of ParamSet. "
            "Did you mean 'booster'?")):
        ps(booster=p_fct(["a"]), eta=p_dbl(depends=("boster", "a")))
    with pytest.raises(ConfigError, match="A parameter id must be a non-empty string"):
        ParamSet({"": p_int()})
    with pytest.raises(ConfigError, match="cannot depend on itself"):
        ps(x=p_int(depends=("x", 1)))


def test_context_must_be_a_non_empty_string(rpart):
    with pytest.raises(ConfigError, match="The context of a ParamSet must be a non-empty string"):
        rpart.context = ""
    assert ParamSet(context="Measure 'classif.fbeta'").context == "Measure 'classif.fbeta'"
    assert ps().context == "ParamSet"


# -- the message template, one per type ------------------------------------------------------


@pytest.mark.parametrize(
    ("domain", "value", "requirement", "got"),
    [
        (p_int(1), "a", "an int >= 1", "'a'"),
        (p_int(1), 0, "an int >= 1", "0"),
        (p_int(1), 1.5, "an int >= 1", "1.5"),
        (p_int(1, 10), 11, "an int in [1, 10]", "11"),
        (p_int(None, 10), 11, "an int <= 10", "11"),
        (p_int(), True, "an int", "True"),
        (p_int(1, special_vals=[None]), "a", "an int >= 1 or None", "'a'"),
        (p_dbl(0, 1), 2, "a number in [0, 1]", "2"),
        (p_dbl(0), -0.5, "a number >= 0", "-0.5"),
        (p_dbl(), "x", "a number", "'x'"),
        (p_fct(["gini", "entropy"]), "log_loss", "one of {'gini', 'entropy'}", "'log_loss'"),
        (p_lgl(), "yes", "a bool", "'yes'"),
        (p_lgl(), None, "a bool", "None"),
        (p_uty(lambda v: callable(v) or "a callable"), 3, "a callable", "3"),
    ],
)
def test_invalid_values_give_the_template_message(domain, value, requirement, got):
    param_set = ParamSet({"x": domain}, context="Learner 'classif.rpart'")
    expected = (f"The 'x' parameter of Learner 'classif.rpart' must be {requirement}. "
                f"Got {got} instead.")
    assert param_set.check({"x": value}) == expected
    with pytest.raises(ConfigError, match=_msg(expected)):
        param_set.values["x"] = value
    with pytest.raises(ConfigError, match=_msg(expected)):
        param_set.values = {"x": value}
    with pytest.raises(ConfigError, match=_msg(expected)):
        param_set.set_values(x=value)
    assert "x" not in param_set.values


def test_the_issue_example_message(rpart):
    with pytest.raises(ConfigError, match=_msg(
            "The 'max_depth' parameter of Learner 'classif.rpart' must be an int in [1, 30]. "
            "Got 'a' instead.")):
        rpart.values["max_depth"] = "a"


def test_without_context_the_message_names_paramset():
    param_set = ps(max_depth=p_int(1))
    with pytest.raises(ConfigError, match=_msg(
            "The 'max_depth' parameter of ParamSet must be an int >= 1. Got 'a' instead.")):
        param_set.values["max_depth"] = "a"


def test_long_values_are_shortened_in_messages():
    param_set = ps(x=p_int())
    message = param_set.check({"x": "y" * 500})
    assert message.startswith("The 'x' parameter of ParamSet must be an int. Got 'yyy")
    assert message.endswith("... instead.")
    assert len(message) < 150


def test_numpy_values_are_shown_plainly():
    param_set = ps(x=p_int(1))
    import numpy as np

    assert param_set.check({"x": np.int64(0)}) == (
        "The 'x' parameter of ParamSet must be an int >= 1. Got 0 instead.")


def test_several_problems_are_reported_together(rpart):
    message = rpart.check({"max_depth": 0, "cp": 2})
    assert message.splitlines() == [
        "The 'max_depth' parameter of Learner 'classif.rpart' must be an int in [1, 30]. "
        "Got 0 instead.",
        "The 'cp' parameter of Learner 'classif.rpart' must be a number in [0, 1]. Got 2 instead.",
    ]


# -- unknown names ---------------------------------------------------------------------------


def test_unknown_names_raise_unknown_key_error_with_suggestions(rpart):
    expected = _msg("Learner 'classif.rpart' has no parameter 'max_dpth'. "
                    "Did you mean 'max_depth'?")
    with pytest.raises(UnknownKeyError, match=expected):
        rpart.values["max_dpth"] = 3
    with pytest.raises(UnknownKeyError, match=expected):
        rpart.set_values(max_dpth=3)
    with pytest.raises(UnknownKeyError, match=expected):
        rpart.values = {"max_dpth": 3}
    with pytest.raises(UnknownKeyError, match=expected):
        rpart.values["max_dpth"]
    with pytest.raises(UnknownKeyError, match=expected):
        del rpart.values["max_dpth"]


def test_unknown_name_without_close_match_has_no_suggestion(rpart):
    with pytest.raises(UnknownKeyError, match=_msg(
            "Learner 'classif.rpart' has no parameter 'zzz'.")):
        rpart.set_values(zzz=1)


def test_unknown_key_error_is_a_config_and_key_error(rpart):
    with pytest.raises(ConfigError):
        rpart.set_values(nope=1)
    with pytest.raises(KeyError):
        rpart.set_values(nope=1)


def test_unknown_name_wins_over_value_problems_in_assert(rpart):
    with pytest.raises(UnknownKeyError) as info:
        rpart.assert_({"max_depth": 0, "nope": 1})
    assert "must be an int in [1, 30]" in str(info.value)
    assert "has no parameter 'nope'" in str(info.value)


# -- values: a validated mapping -------------------------------------------------------------


def test_values_is_a_validated_mutable_mapping(rpart):
    values = rpart.values
    assert isinstance(values, ParamValues)
    values["max_depth"] = 3
    assert values["max_depth"] == 3 and rpart.values is values
    assert values.get("cp") is None and values.get("cp", 0.5) == 0.5
    assert values.get("nope", "fallback") == "fallback"
    assert len(values) == 2 and set(values) == {"max_depth", "xval"}
    assert values == {"max_depth": 3, "xval": 0}
    assert repr(values) == "{'max_depth': 3, 'xval': 0}"


def test_values_keep_the_parameter_order(rpart):
    rpart.set_values(n_jobs=2, cp=0.1, max_depth=4)
    assert list(rpart.values) == ["max_depth", "cp", "xval", "n_jobs"]


def test_assigning_the_whole_dict_replaces_it(rpart):
    rpart.values = {"cp": 0.5}
    assert rpart.values == {"cp": 0.5}
    rpart.values = {}
    assert rpart.values == {}


def test_whole_dict_assignment_must_be_a_mapping(rpart):
    with pytest.raises(ConfigError, match=_msg(
            "The values of Learner 'classif.rpart' must be a dict of parameter values. "
            "Got [1, 2] instead.")):
        rpart.values = [1, 2]
    assert rpart.check(5) == ("The values of Learner 'classif.rpart' must be a dict of "
                              "parameter values. Got 5 instead.")


def test_failed_changes_leave_values_untouched(rpart):
    rpart.set_values(max_depth=5)
    before = rpart.get_values()
    for change in (
        lambda: rpart.values.__setitem__("max_depth", 0),
        lambda: rpart.values.update(cp=0.2, max_depth=0),
        lambda: rpart.set_values(cp=0.2, criterion="nope"),
        lambda: setattr(rpart, "values", {"cp": 0.3, "xval": -1}),
    ):
        with pytest.raises(ConfigError):
            change()
        assert rpart.get_values() == before


def test_update_pop_setdefault_delete_clear(rpart):
    values = rpart.values
    values.update({"cp": 0.1}, criterion="entropy")
    assert values["criterion"] == "entropy" and values["cp"] == 0.1
    values.update([("keep_model", True)])
    assert values["keep_model"] is True
    assert values.pop("cp") == 0.1 and "cp" not in values
    assert values.pop("cp", "gone") == "gone"
    assert values.setdefault("max_depth", 7) == 7 and values["max_depth"] == 7
    with pytest.raises(ConfigError):
        values.setdefault("cp", 5)
    del values["max_depth"]
    assert "max_depth" not in values
    with pytest.raises(KeyError):
        del values["max_depth"]
    values.clear()
    assert values == {}


def test_unset_known_parameter_raises_plain_key_error(rpart):
    with pytest.raises(KeyError) as info:
        rpart.values["cp"]
    assert not isinstance(info.value, UnknownKeyError)


def test_copy_of_values_is_a_plain_dict(rpart):
    snapshot = rpart.values.copy()
    snapshot["max_depth"] = "not validated"
    assert type(snapshot) is dict
    assert "max_depth" not in rpart.values


def test_set_values_returns_self_and_merges(rpart):
    assert rpart.set_values(max_depth=2) is rpart
    rpart.set_values(cp=0.2)
    assert rpart.get_values() == {"max_depth": 2, "cp": 0.2, "xval": 0}


def test_none_is_only_valid_as_a_special_value(rpart):
    rpart.values["n_jobs"] = None
    assert rpart.values["n_jobs"] is None
    with pytest.raises(ConfigError, match="must be a number in \\[0, 1\\]. Got None instead"):
        rpart.values["cp"] = None


# -- check / test / assert_ ------------------------------------------------------------------


def test_check_test_assert_on_given_and_current_values(rpart):
    good = {"max_depth": 3}
    assert rpart.check(good) is True
    assert rpart.test(good) is True
    assert rpart.assert_(good) is good
    bad = {"max_depth": 31}
    assert rpart.check(bad).startswith("The 'max_depth' parameter")
    assert rpart.test(bad) is False
    with pytest.raises(ConfigError, match="must be an int in \\[1, 30\\]"):
        rpart.assert_(bad)
    assert rpart.check() is True
    assert rpart.assert_() is rpart.values


# -- dependencies ----------------------------------------------------------------------------


def test_dependency_met_by_the_parents_default(xgb):
    xgb.set_values(eta=0.1)
    assert xgb.values["eta"] == 0.1


def test_dependency_met_by_the_parents_value(xgb):
    xgb.set_values(booster="dart", rate_drop=0.5, eta=0.2)
    assert xgb.get_values() == {"booster": "dart", "eta": 0.2, "rate_drop": 0.5}


def test_setting_a_dependent_parameter_names_both(xgb):
    with pytest.raises(ConfigError, match=_msg(
            "The 'rate_drop' parameter of ParamSet can only be set when 'booster' == 'dart'. "
            "Got 'booster' = 'gbtree' (its default) instead. Change 'booster' or unset "
            "'rate_drop' (del param_set.values['rate_drop']).")):
        xgb.values["rate_drop"] = 0.5
    xgb.values["booster"] = "gblinear"
    with pytest.raises(ConfigError, match=re.escape(
            "The 'eta' parameter of ParamSet can only be set when 'booster' is one of "
            "{'gbtree', 'dart'}. Got 'booster' = 'gblinear' instead.")):
        xgb.values["eta"] = 0.1


def test_dependency_on_a_parent_without_default_or_value(xgb):
    with pytest.raises(ConfigError, match=re.escape(
            "The 'degree' parameter of ParamSet can only be set when 'kernel' == 'poly'. "
            "Got 'kernel' unset (it has no default) instead.")):
        xgb.values["degree"] = 2
    xgb.set_values(kernel="poly", degree=2)
    assert xgb.values["degree"] == 2


def test_changing_or_removing_the_parent_is_checked_too(xgb):
    xgb.set_values(kernel="poly", degree=2)
    with pytest.raises(ConfigError, match="The 'degree' parameter of ParamSet can only be set"):
        xgb.values["kernel"] = "rbf"
    with pytest.raises(ConfigError, match="The 'degree' parameter of ParamSet can only be set"):
        del xgb.values["kernel"]
    assert xgb.values["kernel"] == "poly"
    # unsetting the child first, or replacing both in one assignment, works
    del xgb.values["degree"]
    xgb.values["kernel"] = "rbf"
    assert xgb.get_values() == {"kernel": "rbf"}
    xgb.set_values(kernel="poly", degree=3)
    xgb.values = {"kernel": "rbf"}
    assert xgb.get_values() == {"kernel": "rbf"}


def test_whole_dict_with_parent_and_child_is_checked_together(xgb):
    xgb.values = {"rate_drop": 0.1, "booster": "dart"}
    assert xgb.values == {"booster": "dart", "rate_drop": 0.1}


def test_deps_table(xgb):
    deps = xgb.deps
    assert list(deps.columns) == ["id", "on", "cond"]
    assert deps["id"].tolist() == ["eta", "rate_drop", "degree"]
    assert deps["on"].tolist() == ["booster", "booster", "kernel"]
    assert deps["cond"].tolist()[0] == CondAnyOf("booster", ["gbtree", "dart"])
    assert xgb.has_deps and not ps(a=p_int()).has_deps
    assert ps().deps.empty


# -- required parameters ---------------------------------------------------------------------


def test_missing_required_parameters_are_reported(xgb):
    assert xgb.check({}) == ("The required parameter 'nrounds' of ParamSet is not set. "
                             "Set it with param_set.set_values().")
    assert xgb.check({}, check_required=False) is True
    assert xgb.test({}) is False
    with pytest.raises(ConfigError, match="The required parameter 'nrounds' of ParamSet"):
        xgb.get_values(check_required=True)
    assert xgb.get_values() == {}
    xgb.set_values(nrounds=10)
    assert xgb.get_values(check_required=True) == {"nrounds": 10}


def test_required_parameter_with_unmet_dependency_is_not_required(xgb):
    xgb.set_values(nrounds=10)
    assert xgb.check() is True
    xgb.set_values(kernel="poly")
    assert xgb.check() == ("The required parameter 'degree' of ParamSet is not set. "
                           "Set it with param_set.set_values().")


def test_several_missing_required_parameters():
    param_set = ps(a=p_int(tags="required"), b=p_int(tags="required"), c=p_int())
    assert param_set.check({}) == ("The required parameters 'a', 'b' of ParamSet are not set. "
                                   "Set them with param_set.set_values().")


def test_assignment_does_not_require_required_parameters(xgb):
    xgb.values["booster"] = "dart"
    assert xgb.values == {"booster": "dart"}


# -- queries ---------------------------------------------------------------------------------


def test_ids_by_tags_class_and_any_tags(rpart):
    assert rpart.ids(tags="threads") == ["n_jobs"]
    assert rpart.ids(tags=["train", "predict"]) == ["xval"]
    assert rpart.ids(tags="predict") == ["xval"]
    assert rpart.ids(tags="nope") == []
    assert rpart.ids(cls="ParamInt") == ["max_depth", "xval", "n_jobs"]
    assert rpart.ids(cls=["ParamFct", "ParamLgl"]) == ["criterion", "keep_model"]
    assert rpart.ids(any_tags=["predict", "threads"]) == ["xval", "n_jobs"]


def test_get_values_by_tags_returns_a_copy(rpart):
    rpart.set_values(max_depth=3, n_jobs=4)
    assert rpart.get_values(tags="threads") == {"n_jobs": 4}
    assert rpart.get_values(tags="predict") == {"xval": 0}
    values = rpart.get_values(tags="train")
    assert values == {"max_depth": 3, "xval": 0, "n_jobs": 4}
    values["max_depth"] = 99
    assert rpart.values["max_depth"] == 3


def test_default_tags_cls_nlevels_is_bounded(rpart):
    assert rpart.default == {"max_depth": 30, "cp": 0.01, "criterion": "gini",
                             "keep_model": False, "xval": 10, "n_jobs": 1}
    assert ps(a=p_int()).default == {}
    assert rpart.tags["xval"] == frozenset({"train", "predict"})
    assert rpart.cls["criterion"] == "ParamFct"
    assert rpart.nlevels["max_depth"] == 30 and rpart.nlevels["criterion"] == 2
    assert not rpart.is_bounded
    assert rpart.subset(["max_depth", "cp", "criterion", "keep_model"]).is_bounded


# -- subset / clone / copies -----------------------------------------------------------------


def test_subset_keeps_domains_values_and_context(rpart):
    rpart.set_values(max_depth=3, cp=0.2)
    sub = rpart.subset(["cp", "max_depth"])
    assert sub.ids() == ["max_depth", "cp"]
    assert sub.values == {"max_depth": 3, "cp": 0.2}
    assert sub.context == "Learner 'classif.rpart'"
    sub.values["cp"] = 0.9
    assert rpart.values["cp"] == 0.2
    with pytest.raises(UnknownKeyError, match="has no parameter 'xval'"):
        sub.values["xval"] = 1


def test_subset_with_unknown_ids(rpart):
    with pytest.raises(UnknownKeyError, match=_msg(
            "Learner 'classif.rpart' has no parameter 'cpp'. Did you mean 'cp'?")):
        rpart.subset(["cpp"])


def test_subset_and_dependencies(xgb):
    with pytest.raises(ConfigError, match=re.escape(
            "Cannot subset ParamSet to 'eta', 'nrounds': the 'eta' parameter depends on "
            "'booster'. Keep 'booster' too or pass allow_dangling_dependencies=True.")):
        xgb.subset(["eta", "nrounds"])
    sub = xgb.subset(["eta", "nrounds"], allow_dangling_dependencies=True)
    assert sub.params["eta"].depends is None
    assert not sub.has_deps
    kept = xgb.subset(["booster", "eta"])
    assert kept.params["eta"].depends == CondAnyOf("booster", ["gbtree", "dart"])


def test_subset_drops_unset_init_values(rpart):
    del rpart.values["xval"]
    assert rpart.subset(["xval"]).values == {}


@pytest.mark.parametrize("make_copy", [lambda p: p.clone(), copy.deepcopy,
                                       lambda p: pickle.loads(pickle.dumps(p))])
def test_copies_are_independent_and_still_validate(rpart, make_copy):
    rpart.set_values(max_depth=4)
    other = make_copy(rpart)
    assert other is not rpart
    assert other.values == rpart.values
    assert other.context == rpart.context
    other.values["max_depth"] = 5
    other.values["cp"] = 0.5
    assert rpart.values == {"max_depth": 4, "xval": 0}
    with pytest.raises(ConfigError, match="of Learner 'classif.rpart' must be an int in"):
        other.values["max_depth"] = 0
    # the copied values are bound to the copy, not to the original
    other.context = "Learner 'other'"
    with pytest.raises(ConfigError, match="of Learner 'other'"):
        other.values["max_depth"] = 0


def test_clone_shares_the_immutable_domains(rpart):
    other = rpart.clone()
    assert other.params["cp"] is rpart.params["cp"]
    assert other.params is not rpart.params
    assert copy.copy(rpart).values is not rpart.values


def test_shallow_copy_is_independent_too(rpart):
    other = copy.copy(rpart)
    other.values["cp"] = 0.3
    assert "cp" not in rpart.values


def test_deep_copy_keeps_attributes_of_subclasses():
    class Tagged(ParamSet):
        def __init__(self) -> None:
            super().__init__({"a": p_int()})
            self.notes = ["x"]

    original = Tagged()
    other = copy.deepcopy(original)
    assert type(other) is Tagged
    assert other.notes == ["x"] and other.notes is not original.notes
    other.values["a"] = 1
    assert original.values == {}


def test_deep_copy_copies_mutable_values():
    param_set = ps(hidden=p_uty())
    param_set.values["hidden"] = [10, 10]
    other = param_set.clone()
    other.values["hidden"].append(5)
    assert param_set.values["hidden"] == [10, 10]


def test_dependencies_and_required_survive_pickle(xgb):
    other = pickle.loads(pickle.dumps(xgb))
    with pytest.raises(ConfigError, match="can only be set when 'booster' == 'dart'"):
        other.values["rate_drop"] = 0.1
    assert other.check({}).startswith("The required parameter 'nrounds'")
    assert other.params["nrounds"].default is NO_DEFAULT


@pytest.fixture
def chain():
    """B depends on D, which depends on A being False."""
    return ps(
        A=p_lgl(default=False),
        D=p_fct(["x", "y"], default="x", depends=("A", False)),
        B=p_int(depends=("D", "x")),
    )


def test_a_dependency_on_an_inactive_parent_is_not_met(chain):
    assert chain.check({"A": True, "B": 1}) == (
        "The 'B' parameter of ParamSet can only be set when 'D' == 'x', and 'D' is inactive: "
        "'D' can only be set when 'A' == False. Got 'A' = True instead. Change 'A' or unset "
        "'B' (del param_set.values['B'])."
    )
    assert not chain.test({"A": True, "B": 1})
    with pytest.raises(ConfigError, match="'D' is inactive"):
        chain.set_values(A=True, B=1)
    assert chain.get_values() == {}


def test_an_inactive_parent_with_a_set_value_reports_both(chain):
    problems = chain.check({"A": True, "D": "x", "B": 1})
    assert isinstance(problems, str)
    lines = problems.splitlines()
    assert lines[0].startswith("The 'D' parameter of ParamSet can only be set when 'A' == False.")
    assert lines[1].startswith("The 'B' parameter of ParamSet can only be set when 'D' == 'x', "
                               "and 'D' is inactive")


def test_an_active_parent_still_counts_with_its_default(chain):
    assert chain.check({"B": 1}) is True
    assert chain.check({"A": False, "B": 1}) is True
    assert chain.check({"A": False, "D": "x", "B": 1}) is True
    chain.set_values(B=1)
    with pytest.raises(ConfigError, match="'D' is inactive"):
        chain.values["A"] = True
    assert chain.get_values() == {"B": 1}


def test_a_required_parameter_below_an_inactive_parent_is_not_required():
    param_set = ps(
        A=p_lgl(default=False),
        D=p_fct(["x", "y"], default="x", depends=("A", False)),
        B=p_int(depends=("D", "x"), tags="required"),
    )
    assert param_set.check({"A": True}) is True
    assert param_set.check({}).startswith("The required parameter 'B'")


# -- table and print -------------------------------------------------------------------------


def test_as_table(rpart):
    rpart.set_values(cp=0.5)
    table = rpart.as_table()
    assert list(table.columns) == ["id", "class", "lower", "upper", "nlevels", "default", "value"]
    assert table["id"].tolist() == rpart.ids()
    row = table.set_index("id")
    assert row.loc["max_depth", "class"] == "ParamInt"
    assert row.loc["max_depth", "lower"] == 1 and row.loc["max_depth", "upper"] == 30
    assert row.loc["max_depth", "nlevels"] == 30
    assert row.loc["cp", "nlevels"] == math.inf
    assert math.isnan(row.loc["criterion", "lower"])
    assert row.loc["criterion", "default"] == "gini"
    assert row.loc["cp", "value"] == 0.5
    assert row.loc["max_depth", "value"] is pd.NA
    assert ps(a=p_int()).as_table()["default"].tolist() == [pd.NA]


def test_repr_is_a_paradox_like_table(rpart):
    rpart.set_values(max_depth=3)
    lines = repr(rpart).splitlines()
    assert lines[0] == "<ParamSet(6)> of Learner 'classif.rpart'"
    assert lines[1].split() == ["id", "class", "lower", "upper", "nlevels", "default", "value"]
    assert lines[2].split() == ["max_depth", "ParamInt", "1", "30", "30", "30", "3"]
    assert lines[3].split() == ["cp", "ParamDbl", "0", "1", "Inf", "0.01"]
    assert lines[4].split() == ["criterion", "ParamFct", "2", "'gini'"]
    assert lines[7].split() == ["n_jobs", "ParamInt", "1", "Inf", "Inf", "1"]


def test_repr_shows_parents_when_there_are_dependencies(xgb):
    lines = repr(xgb).splitlines()
    assert lines[0] == "<ParamSet(6)>"
    assert lines[1].split() == ["id", "class", "lower", "upper", "nlevels", "default",
                                "parents", "value"]
    assert lines[3].split() == ["eta", "ParamDbl", "0", "1", "Inf", "0.3", "booster"]


def test_unset_values_and_defaults_are_na_in_the_table_and_empty_in_the_print():
    param_set = ps(
        a=p_fct(["x", "y"], default="x"),
        b=p_int(),
        c=p_uty(default="q"),
        d=p_fct(["u"]),
    )
    param_set.values["d"] = "u"
    table = param_set.as_table().set_index("id")
    assert table.loc["b", "default"] is pd.NA
    assert table.loc["d", "default"] is pd.NA
    assert table.loc["a", "value"] is pd.NA
    assert table.loc["a", "default"] == "x" and table.loc["d", "value"] == "u"
    text = repr(param_set)
    assert "nan" not in text.lower()
    lines = text.splitlines()
    assert lines[2].split() == ["a", "ParamFct", "2", "'x'"]
    assert lines[3].split() == ["b", "ParamInt", "-Inf", "Inf", "Inf"]
    assert lines[5].split() == ["d", "ParamFct", "1", "'u'"]
