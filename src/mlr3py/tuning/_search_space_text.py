"""Search spaces written as text: ``"max_depth=int(1,20);cp=dbl(1e-4,0.1,log)"``.

Used by the command line. Each ``;``-separated entry is ``name=kind(args)``:

- ``int(lower, upper)`` and ``int(lower, upper, log)``
- ``dbl(lower, upper)`` and ``dbl(lower, upper, log)`` (log scale: sampled evenly
  in log space, handed to the learner on the original scale)
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


def _numeric(kind: str, args: list[str], entry: str) -> Domain:
    log = False
    if len(args) == 3 and args[2].lower() in ("log", "logscale"):
        log = True
        args = args[:2]
    if len(args) != 2:
        raise ConfigError(f"'{entry}' needs a lower and an upper bound, optionally 'log': "
                          f"{kind}(lower, upper[, log]), {_EXAMPLE}.")
    lower, upper = (_number(a, entry) for a in args)
    if not lower <= upper:
        raise ConfigError(f"The lower bound {args[0]} of '{entry}' is above its upper "
                          f"bound {args[1]}.")
    if kind == "int":
        if lower != int(lower) or upper != int(upper):
            raise ConfigError(f"The bounds of '{entry}' must be whole numbers for int().")
        return p_int(int(lower), int(upper), logscale=log)
    return p_dbl(lower, upper, logscale=log)


def parse_search_space(text: str) -> ParamSet:
    """Build a search space from its text form.

    Parameters
    ----------
    text : str
        ``;``-separated entries ``name=int(lo,hi)``, ``name=dbl(lo,hi[,log])``,
        ``name=fct(a,b,...)`` or ``name=lgl()``.

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
