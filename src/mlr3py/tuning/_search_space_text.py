"""Search spaces written as text: ``"max_depth=int(1,20);cp=dbl(1e-4,0.1,log)"``.

Used by the command line. Each ``;``-separated entry is ``name=kind(args)``:

- ``int(lower, upper)`` and ``dbl(lower, upper)``, each optionally followed by the
  flags ``log`` and ``budget``: ``int(lower, upper, log)`` (log scale: sampled evenly
  in log space, handed to the learner on the original scale),
  ``int(lower, upper, budget)`` (tagged ``"budget"``: the budget parameter of the
  successive halving and hyperband tuners, e.g. the number of trees)
- ``fct(level, level, ...)`` (levels are read as int, float, bool or string)
- ``lgl()``
"""

from __future__ import annotations

import re
from typing import Any

from mlr3py.errors import ConfigError
from mlr3py.params import Domain, ParamSet, p_dbl, p_fct, p_int, p_lgl, ps

__all__ = ["parse_search_space"]

_ENTRY = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_.]*)\s*=\s*([a-z]+)\s*\((.*)\)\s*$")
_EXAMPLE = "e.g. \"max_depth=int(1,20);ccp_alpha=dbl(1e-4,0.1,log);criterion=fct(gini,entropy)\""
_KINDS = ("int", "dbl", "fct", "lgl")
_FLAGS = {"log": "log", "logscale": "log", "budget": "budget"}


def _number(text: str, entry: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise ConfigError(f"Cannot read the bound '{text}' in '{entry}': bounds must be "
                          f"numbers, {_EXAMPLE}.") from None


def _level(text: str) -> Any:
    stripped = text.strip().strip("'\"")
    lowered = stripped.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    for cast in (int, float):
        try:
            return cast(stripped)
        except ValueError:
            pass
    return stripped


def _flags(args: list[str], kind: str, entry: str) -> tuple[list[str], set[str]]:
    """Split the trailing flags (``log``, ``budget``) off the bounds of ``entry``."""
    flags: set[str] = set()
    bounds = list(args)
    while len(bounds) > 2:
        word = bounds[-1].lower()
        if word not in _FLAGS:
            raise ConfigError(f"Unknown flag '{bounds[-1]}' in '{entry}': after the bounds "
                              f"write 'log' and/or 'budget', e.g. {kind}(1, 16, budget).")
        if _FLAGS[word] in flags:
            raise ConfigError(f"The flag '{bounds[-1]}' is given twice in '{entry}'.")
        flags.add(_FLAGS[word])
        bounds.pop()
    return bounds, flags


def _numeric(kind: str, args: list[str], entry: str) -> Domain:
    args, flags = _flags(args, kind, entry)
    if len(args) != 2:
        raise ConfigError(f"'{entry}' needs a lower and an upper bound, optionally 'log' "
                          f"and/or 'budget': {kind}(lower, upper[, log][, budget]), "
                          f"{_EXAMPLE}.")
    lower, upper = (_number(a, entry) for a in args)
    if not lower <= upper:
        raise ConfigError(f"The lower bound {args[0]} of '{entry}' is above its upper "
                          f"bound {args[1]}.")
    log = "log" in flags
    tags = ("budget",) if "budget" in flags else ()
    if log and tags:
        raise ConfigError(f"'{entry}' cannot be both 'log' and 'budget': the budget "
                          "parameter's bounds are the smallest and largest budget, on its "
                          f"own scale; write {kind}({args[0]}, {args[1]}, budget).")
    if kind == "int":
        if lower != int(lower) or upper != int(upper):
            raise ConfigError(f"The bounds of '{entry}' must be whole numbers for int().")
        return p_int(int(lower), int(upper), logscale=log, tags=tags)
    return p_dbl(lower, upper, logscale=log, tags=tags)


def parse_search_space(text: str) -> ParamSet:
    """Build a search space from its text form.

    Parameters
    ----------
    text : str
        ``;``-separated entries ``name=int(lo,hi[,log][,budget])``,
        ``name=dbl(lo,hi[,log][,budget])``, ``name=fct(a,b,...)`` or ``name=lgl()``.
        ``budget`` tags the parameter ``"budget"`` (for the successive halving and
        hyperband tuners).

    Returns
    -------
    ParamSet

    Raises
    ------
    ConfigError
        Naming the entry that cannot be read and showing the form.

    Examples
    --------
    >>> space = parse_search_space("max_depth=int(1,20);ccp_alpha=dbl(1e-4,0.1,log)")
    >>> space.ids()
    ['max_depth', 'ccp_alpha']
    >>> parse_search_space("n_estimators=int(1,16,budget);max_depth=int(1,10)").ids(tags="budget")
    ['n_estimators']
    """
    if not isinstance(text, str) or not text.strip():
        raise ConfigError(f"The search space text is empty. Write it as {_EXAMPLE[5:]}.")
    domains: dict[str, Domain] = {}
    for entry in (e.strip() for e in text.split(";")):
        if not entry:
            continue
        match = _ENTRY.match(entry)
        if match is None:
            raise ConfigError(f"Cannot read '{entry}' in the search space: write each entry "
                              f"as name=kind(arguments) with kind one of {', '.join(_KINDS)}, "
                              f"{_EXAMPLE}.")
        name, kind, inner = match.groups()
        args = [a.strip() for a in inner.split(",")] if inner.strip() else []
        if name in domains:
            raise ConfigError(f"The search space names '{name}' twice; give each parameter "
                              "once.")
        if kind in ("int", "dbl"):
            domains[name] = _numeric(kind, args, entry)
        elif kind == "fct":
            if not args or any(not a for a in args):
                raise ConfigError(f"'{entry}' needs at least one level: fct(a, b, ...).")
            domains[name] = p_fct([_level(a) for a in args])
        elif kind == "lgl":
            if args:
                raise ConfigError(f"'{entry}' takes no arguments: write {name}=lgl().")
            domains[name] = p_lgl()
        else:
            raise ConfigError(f"Unknown kind '{kind}' in '{entry}': use one of "
                              f"{', '.join(_KINDS)}, {_EXAMPLE}.")
    if not domains:
        raise ConfigError(f"The search space text holds no entry. Write it as {_EXAMPLE[5:]}.")
    return ps(**domains)
