"""to_tune() tokens as parameter values, ParamSet.search_space(), learners refusing to train."""

from __future__ import annotations

import math

import pytest

import mlr3py
from mlr3py import lrn, tsk
from mlr3py.errors import ConfigError, UnknownKeyError
from mlr3py.params import (
    TuneToken,
    generate_design_random,
    p_dbl,
    p_fct,
    p_int,
    p_lgl,
    p_uty,
    ps,
    to_tune,
)


@pytest.fixture
def param_set():
    out = ps(
        cp=p_dbl(0, 1, default=0.01),
        minsplit=p_int(1, 100),
        maxdepth=p_int(1, None),
        criterion=p_fct(["gini", "entropy", "log_loss"]),
        flag=p_lgl(),
        extra=p_uty(),
        gamma=p_dbl(0, 10, depends=("criterion", "gini")),
    )
    out.context = "Learner 'test'"
    return out


def test_to_tune_forms() -> None:
    assert to_tune().kind == "all"
    assert to_tune(1, 10).kind == "range"
    assert to_tune(upper=10).kind == "range"
    assert to_tune(["a", "b"]).kind == "levels"
    assert to_tune(p_dbl(0, 1)).kind == "domain"
    assert repr(to_tune(1e-4, 0.1, logscale=True)) == "to_tune(0.0001, 0.1, logscale=True)"
    assert mlr3py.to_tune is to_tune
    assert "to_tune" in mlr3py.__all__ and "generate_design_grid" in mlr3py.__all__


def test_tokens_are_legal_values_and_build_the_search_space(param_set) -> None:
    param_set.values = {
        "cp": to_tune(1e-4, 0.1, logscale=True),
        "minsplit": to_tune(),
        "maxdepth": to_tune(2, 8),
        "criterion": to_tune(["gini", "entropy"]),
        "flag": to_tune(),
        "gamma": to_tune(p_dbl(-1, 1, trafo=lambda v: 10**v)),
    }
    assert all(isinstance(v, TuneToken) for v in param_set.values.values())
    space = param_set.search_space()
    assert space.ids() == ["cp", "minsplit", "maxdepth", "criterion", "flag", "gamma"]
    assert space.params["cp"].logscale
    assert space.params["cp"].lower == pytest.approx(math.log(1e-4))
    assert (space.params["minsplit"].lower, space.params["minsplit"].upper) == (1, 100)
    assert space.params["maxdepth"].cls == "ParamInt"
    assert (space.params["maxdepth"].lower, space.params["maxdepth"].upper) == (2, 8)
    assert space.params["criterion"].levels == ("gini", "entropy")
    assert space.params["flag"].levels == (True, False)
    # the dependency between two tuned parameters is kept
    assert space.deps["id"].tolist() == ["gamma"]
    point = space.transform({"cp": math.log(0.01), "minsplit": 5, "maxdepth": 3,
                             "criterion": "gini", "flag": True, "gamma": 1.0})
    assert point["cp"] == pytest.approx(0.01) and point["gamma"] == pytest.approx(10)
    # every transformed point of a random design is a valid value of the learner's set
    for x in generate_design_random(space, 20, seed=3).transpose():
        assert param_set.test(x), param_set.check(x)


def test_dependency_on_a_fixed_parent_is_dropped(param_set) -> None:
    param_set.values = {"criterion": "gini", "gamma": to_tune(0, 1)}
    assert param_set.search_space().deps.empty


@pytest.mark.parametrize(
    ("key", "token", "match"),
    [
        ("cp", to_tune(-1, 2), r"'cp' parameter of Learner 'test' takes to_tune\(-1, 2\).*"
                               r"\[-1, 2\].*own bounds \[0, 1\]"),
        ("minsplit", to_tune(0, 10), r"\[0, 10\].*own bounds \[1, 100\]"),
        ("cp", to_tune(p_dbl(0, 2)), r"\[0, 2\].*own bounds \[0, 1\]"),
        ("maxdepth", to_tune(), r"'maxdepth'.*unbounded.*Give bounds"),
        ("maxdepth", to_tune(lower=3), r"'maxdepth'.*unbounded"),
        ("criterion", to_tune(1, 2), r"'criterion'.*ParamFct, not numeric.*'gini'"),
        ("criterion", to_tune(["gini", "hellinger"]), r"level 'hellinger'"),
        ("extra", to_tune(), r"'extra'.*ParamUty.*no range"),
    ],
)
def test_tokens_that_do_not_fit_are_rejected(param_set, key, token, match) -> None:
    with pytest.raises(ConfigError, match=match):
        param_set.values[key] = token
    assert key not in param_set.values


@pytest.mark.parametrize(
    ("args", "kwargs", "match"),
    [
        ((2, 1), {}, r"must not exceed.*to_tune\(2, 1\)"),
        (("a", 1), {}, r"lower bound of to_tune\(\) must be a number.*'a'"),
        (([],), {}, r"non-empty list"),
        ((p_dbl(0, 1), 2), {}, r"takes no upper bound"),
        ((0, 1), {"logscale": 1}, r"logscale of to_tune\(\) must be True or False"),
    ],
)
def test_bad_to_tune_arguments(args, kwargs, match) -> None:
    with pytest.raises(ConfigError, match=match):
        to_tune(*args, **kwargs)


def test_search_space_from_given_values_and_unknown_ids(param_set) -> None:
    space = param_set.search_space({"cp": to_tune(0.1, 0.2), "flag": True})
    assert space.ids() == ["cp"]
    with pytest.raises(UnknownKeyError, match="no parameter 'cpp'"):
        param_set.search_space({"cpp": to_tune()})


def test_a_learner_with_a_token_refuses_to_train() -> None:
    learner = lrn("classif.rpart", max_depth=to_tune(1, 5))
    assert learner.param_set.search_space().ids() == ["max_depth"]
    with pytest.raises(ConfigError, match=r"'max_depth' parameter of Learner 'classif.rpart' is "
                                          r"set to to_tune\(1, 5\).*tune\(\).*auto_tuner\(\)"):
        learner.train(tsk("penguins"))
    assert learner.state is None
    learner.param_set.values["max_depth"] = 3
    learner.train(tsk("penguins"))
    assert learner.model is not None


def test_logscale_token_on_an_int_parameter() -> None:
    learner = lrn("classif.rpart", min_samples_split=to_tune(2, 128, logscale=True))
    space = learner.param_set.search_space()
    domain = space.params["min_samples_split"]
    assert domain.logscale and domain.trafo is not None
    assert domain.trafo(domain.upper) == 128 and domain.trafo(domain.lower) == 2


def test_range_token_on_an_untyped_parameter_checks_its_bounds() -> None:
    learner = lrn("classif.rpart", min_samples_split=to_tune(2, 128))
    domain = learner.param_set.search_space().params["min_samples_split"]
    assert domain.cls == "ParamInt" and (domain.lower, domain.upper) == (2, 128)
    with pytest.raises(ConfigError, match=r"'min_samples_split'.*bound 0"):
        learner.param_set.values["min_samples_split"] = to_tune(0, 10)
    with pytest.raises(ConfigError, match=r"'min_samples_split'.*needs both bounds"):
        learner.param_set.values["min_samples_split"] = to_tune(upper=10)


def test_tokens_in_sklearn_combination_rules() -> None:
    learner = lrn("classif.log_reg")
    # with the prototype's solver ('lbfgs') an l1 penalty is invalid; a tuned solver is not judged
    learner.param_set.set_values(solver=to_tune(["liblinear", "saga"]), penalty="l1")
    assert learner.param_set.search_space().ids() == ["solver"]
    with pytest.raises(ConfigError, match="Invalid combination"):
        learner.param_set.values["solver"] = "lbfgs"


@pytest.mark.parametrize(("values", "message"), [
    ({"max_depth": to_tune(1.5, 10)},
     "The 'max_depth' parameter of Learner 'classif.rpart' takes to_tune(1.5, 10), whose lower "
     "bound 1.5 is not a whole number, as the int parameter needs. Give whole-number bounds."),
    ({"criterion": to_tune(["gini", "gini"])},
     "The 'criterion' parameter of Learner 'classif.rpart' takes to_tune(['gini', 'gini']), "
     "which names the level 'gini' twice. Give each level once."),
    ({"ccp_alpha": to_tune(0, 0.1, logscale=True)},
     "The 'ccp_alpha' parameter of Learner 'classif.rpart' takes to_tune(0, 0.1, "
     "logscale=True), whose lower bound 0 has no logarithm (logscale=True searches the log of "
     "the bounds). Give a lower bound > 0."),
    ({"max_depth": to_tune(0, 50)},
     "The 'max_depth' parameter of Learner 'classif.rpart' takes to_tune(0, 50), whose bounds "
     "[0, 50] are outside the parameter's own bounds [1, inf]. Give bounds within them."),
])
def test_a_token_that_does_not_fit_reads_as_one_sentence(values, message) -> None:
    with pytest.raises(ConfigError) as info:
        lrn("classif.rpart", **values)
    assert str(info.value) == message
    with pytest.raises(ConfigError) as info:
        lrn("classif.rpart").param_set.search_space(values)
    assert str(info.value) == message
