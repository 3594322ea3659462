"""Specs on the command line: ``key`` or ``key:param=value,...`` and the values in them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from mlr3py.errors import ConfigError

__all__ = ["Spec", "parse_spec", "parse_spec_list", "parse_value"]


@dataclass(frozen=True)
class Spec:
    """A registry key with keyword arguments, parsed from ``key:param=value,...``.

    Attributes
    ----------
    key : str
        The registry key, e.g. ``"classif.rpart"``.
    params : dict
        Parameter or field values, e.g. ``{"max_depth": 3}``.
    """

    key: str
    params: dict[str, Any] = field(default_factory=dict)


def parse_value(text: str) -> Any:
    """Read a parameter value written on the command line.

    Parameters
    ----------
    text : str
        The value as typed.

    Returns
    -------
    int, float, bool, None or str
        ``"3"`` -> 3, ``"0.5"`` -> 0.5, ``"true"`` / ``"false"`` (any case) -> bool,
        ``"None"`` / ``"null"`` -> None, anything else -> the string itself
        (surrounding quotes removed).

    Examples
    --------
    >>> parse_value("3"), parse_value("1e-3"), parse_value("TRUE"), parse_value("gini")
    (3, 0.001, True, 'gini')
    """
    stripped = text.strip()
    lowered = stripped.lower()
    if lowered == "true":
        return True
    if lowered == "false":
        return False
    if lowered in ("none", "null"):
        return None
    try:
        return int(stripped)
    except ValueError:
        pass
    try:
        return float(stripped)
    except ValueError:
        pass
    if len(stripped) >= 2 and stripped[0] == stripped[-1] and stripped[0] in "'\"":
        return stripped[1:-1]
    return stripped


def _parse_assignment(item: str, spec_text: str) -> tuple[str, Any]:
    name, sep, value = item.partition("=")
    name = name.strip()
    if not sep or not name or not name.isidentifier():
        raise ConfigError(
            f"Cannot read '{item}' in the spec '{spec_text}': write parameters as "
            "'key:param=value,param=value', e.g. 'classif.rpart:max_depth=3'."
        )
    return name, parse_value(value)


def parse_spec(text: str) -> Spec:
    """Parse one spec ``key`` or ``key:param=value,param=value``.

    Parameters
    ----------
    text : str
        The spec, e.g. ``"cv:folds=3"``.

    Returns
    -------
    Spec
        The key and its keyword arguments.

    Raises
    ------
    ConfigError
        If the key is empty or a parameter is not written as ``name=value``.

    Examples
    --------
    >>> parse_spec("classif.rpart:max_depth=3,criterion=entropy")
    Spec(key='classif.rpart', params={'max_depth': 3, 'criterion': 'entropy'})
    """
    key, _, rest = text.partition(":")
    key = key.strip()
    if not key:
        raise ConfigError(
            f"The spec '{text}' has no key: write 'key' or 'key:param=value', e.g. 'cv:folds=3'."
        )
    params: dict[str, Any] = {}
    for item in rest.split(",") if rest.strip() else []:
        name, value = _parse_assignment(item, text)
        if name in params:
            raise ConfigError(f"The parameter '{name}' is given twice in the spec '{text}'.")
        params[name] = value
    return Spec(key, params)


def parse_spec_list(texts: str | Sequence[str]) -> list[Spec]:
    """Parse a comma-separated list of specs, where specs may carry parameters.

    A comma-separated item containing ``=`` but no ``:`` continues the previous
    spec's parameters, so ``"classif.rpart:max_depth=3,min_samples_leaf=5,
    classif.featureless"`` names two learners.

    Parameters
    ----------
    texts : str or sequence of str
        One string or several (an option given several times).

    Returns
    -------
    list of Spec
        In the given order.

    Raises
    ------
    ConfigError
        If the list is empty or an item cannot be read.
    """
    if isinstance(texts, str):
        texts = [texts]
    groups: list[str] = []
    for text in texts:
        for item in text.split(","):
            item = item.strip()
            if not item:
                continue
            if "=" in item and ":" not in item.split("=", 1)[0]:
                if not groups:
                    raise ConfigError(
                        f"The parameter '{item}' comes before any key in '{text}': write "
                        "'key:param=value', e.g. 'classif.rpart:max_depth=3'."
                    )
                sep = "," if ":" in groups[-1] else ":"
                groups[-1] = f"{groups[-1]}{sep}{item}"
            else:
                groups.append(item)
    if not groups:
        raise ConfigError(f"No keys given in {', '.join(repr(t) for t in texts) or 'the list'}.")
    return [parse_spec(group) for group in groups]
