"""Whether an explicit search space fits the learner's own parameters.

``to_tune()`` tokens are checked against their parameter when they are set; an
explicit ``search_space=`` (or the CLI's ``--search-space``) is checked here, when
the tuning instance is built, so that a range or level the learner rejects is named
before the first batch instead of failing in the middle of a run. A domain is
compared as it reaches the learner: unchanged without a trafo, on the original
scale for a logscale parameter; a domain with another trafo, or a search space with
a set trafo (which may rename, add or drop parameters), is left to the run.
"""

from __future__ import annotations

import math
from typing import Any

from mlr3py.errors import ConfigError
from mlr3py.learners import Learner
from mlr3py.params import Domain, ExpTrafo, ParamSet

__all__ = ["check_search_space_fits"]


def check_search_space_fits(search_space: ParamSet, learner: Learner) -> None:
    """Raise a ConfigError for the first parameter of ``search_space`` whose values
    ``learner`` would reject.

    Raises
    ------
    ConfigError
        Naming the parameter, the learner, the offending bounds or level, and what
        to give instead.
    """
    if search_space.trafo is not None:
        return
    params = learner.param_set.params
    for key, domain in search_space.params.items():
        param = params.get(key)
        if param is None:
            continue
        problem = _misfit(param, domain)
        if problem is not None:
            raise ConfigError(f"The search space gives the '{key}' parameter of Learner "
                              f"'{learner.id}' {problem}.")


def _reaching_bounds(domain: Domain) -> tuple[Any, Any] | None:
    """The bounds of the values ``domain`` hands on, or None when a trafo hides them."""
    trafo = domain.trafo
    if trafo is None:
        return domain.lower, domain.upper
    if domain.logscale and isinstance(trafo, ExpTrafo):
        return trafo(domain.lower), trafo(domain.upper)
    return None


def _misfit(param: Domain, domain: Domain) -> str | None:
    """What of ``domain`` the learner's ``param`` rejects, as a clause; None if all fits."""
    if domain.is_categ:
        if domain.trafo is not None:
            return None
        for level in domain.levels or ():
            ok = param.check(level)
            if ok is not True:
                return (f"the level {level!r}, which it rejects: it {ok}. Give levels it "
                        "accepts")
        return None
    if not domain.is_number:
        return None
    bounds = _reaching_bounds(domain)
    if bounds is None:
        return None
    lower, upper = bounds
    shown = "" if domain.trafo is None else " (after the logscale trafo)"
    text = f"[{_number(lower)}, {_number(upper)}]{shown}"
    if param.is_number:
        assert param.lower is not None and param.upper is not None
        if lower < param.lower or upper > param.upper:
            return (f"the bounds {text}, which are outside the parameter's own bounds "
                    f"[{_number(param.lower)}, {_number(param.upper)}]. Give bounds within "
                    "them")
    for bound in (lower, upper):
        if isinstance(bound, float) and not math.isfinite(bound):
            continue
        value = int(bound) if domain.cls == "ParamInt" else bound
        ok = param.check(value)
        if ok is not True:
            return (f"the bounds {text}, but it rejects the bound {value!r}: it {ok}. Give "
                    "bounds it accepts")
    return None


def _number(value: Any) -> str:
    if isinstance(value, float):
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        if value.is_integer():
            return str(int(value))
    return repr(value)
