"""Sugar to declare parameters: ``ps(max_depth=p_int(1, tags="train"), ...)``."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, cast

from mlr3py.params._conditions import Condition, as_condition
from mlr3py.params._domain import NO_DEFAULT, CustomCheck
from mlr3py.params._domain_types import ParamDbl, ParamFct, ParamInt, ParamLgl, ParamUty
from mlr3py.params._format import as_str_set
from mlr3py.params._param_set import ParamSet
from mlr3py.params._trafo import numeric_domain

__all__ = ["p_dbl", "p_fct", "p_int", "p_lgl", "p_uty", "ps"]

_Tags = str | Iterable[str]
_Depends = Condition | tuple[str, Any] | None


def p_int(
    lower: float | None = None,
    upper: float | None = None,
    *,
    default: Any = NO_DEFAULT,
    special_vals: Iterable[Any] = (),
    tags: _Tags = (),
    depends: _Depends = None,
    init: Any = NO_DEFAULT,
    trafo: Callable[[Any], Any] | None = None,
    logscale: bool = False,
) -> ParamInt | ParamDbl:
    """An integer parameter in ``[lower, upper]`` (``None`` = unbounded).

    Parameters
    ----------
    lower, upper : int, float('inf') or None
        Inclusive bounds.
    default : object
        The value used when the parameter is not set (must be feasible).
    special_vals : list
        Values accepted besides ints, e.g. ``[None]``.
    tags : str or iterable of str
        ``"train"``, ``"predict"``, ``"threads"``, ``"required"``, ...
    depends : Condition or tuple
        ``("booster", "gbtree")`` (equal), ``("kernel", ["poly", "rbf"])``
        (any of), or a :class:`Condition`.
    init : object
        Value set in ``ParamSet.values`` when the set is built.
    trafo : callable, optional
        ``trafo(value)`` maps a sampled value to the value the learner gets
        (see :meth:`ParamSet.transform`); it may change the type.
    logscale : bool
        Search on the log scale: the domain becomes a :class:`ParamDbl` on
        ``[log(max(lower, 0.5)), log(upper + 1)]`` whose trafo maps back to an
        int (``floor(exp(x))`` within the bounds). Needs ``lower >= 0``.

    Returns
    -------
    ParamInt, or ParamDbl when ``logscale=True``
    """
    return numeric_domain(True, lower, upper, default=default, special_vals=_seq(special_vals),
                          tags=as_str_set(tags, "tags"), depends=as_condition(depends),
                          init=init, trafo=trafo, logscale=logscale)


def p_dbl(
    lower: float | None = None,
    upper: float | None = None,
    *,
    default: Any = NO_DEFAULT,
    special_vals: Iterable[Any] = (),
    tags: _Tags = (),
    depends: _Depends = None,
    init: Any = NO_DEFAULT,
    trafo: Callable[[Any], Any] | None = None,
    logscale: bool = False,
) -> ParamDbl:
    """A real-valued parameter in ``[lower, upper]`` (``None`` = unbounded).

    Accepts Python and numpy ints and floats (not bools, not NaN); see
    :func:`p_int` for the other arguments. With ``logscale=True`` (needs
    ``lower > 0``) the domain is ``[log(lower), log(upper)]`` and its trafo
    is ``exp``: ``p_dbl(1e-4, 1, logscale=True)`` samples evenly across the
    orders of magnitude.

    Returns
    -------
    ParamDbl
    """
    domain = numeric_domain(False, lower, upper, default=default,
                            special_vals=_seq(special_vals), tags=as_str_set(tags, "tags"),
                            depends=as_condition(depends), init=init, trafo=trafo,
                            logscale=logscale)
    assert isinstance(domain, ParamDbl)
    return domain


def p_fct(
    levels: Iterable[Any],
    *,
    default: Any = NO_DEFAULT,
    special_vals: Iterable[Any] = (),
    tags: _Tags = (),
    depends: _Depends = None,
    init: Any = NO_DEFAULT,
) -> ParamFct:
    """A categorical parameter taking one of ``levels``.

    See :func:`p_int` for the other arguments.

    Returns
    -------
    ParamFct
    """
    return ParamFct(levels=cast("tuple[Any, ...]", levels),  # checked by ParamFct
                    default=default, special_vals=_seq(special_vals), tags=as_str_set(tags, "tags"),
                    depends=as_condition(depends), init=init)


def p_lgl(
    *,
    default: Any = NO_DEFAULT,
    special_vals: Iterable[Any] = (),
    tags: _Tags = (),
    depends: _Depends = None,
    init: Any = NO_DEFAULT,
) -> ParamLgl:
    """A logical parameter (``True`` / ``False``).

    See :func:`p_int` for the arguments.

    Returns
    -------
    ParamLgl
    """
    return ParamLgl(default=default, special_vals=_seq(special_vals), tags=as_str_set(tags, "tags"),
                    depends=as_condition(depends), init=init)


def p_uty(
    custom_check: CustomCheck | None = None,
    *,
    default: Any = NO_DEFAULT,
    special_vals: Iterable[Any] = (),
    tags: _Tags = (),
    depends: _Depends = None,
    init: Any = NO_DEFAULT,
) -> ParamUty:
    """An untyped parameter: any value, or those ``custom_check`` accepts.

    Parameters
    ----------
    custom_check : callable, optional
        ``custom_check(value)`` returns ``True``, or a message saying what the
        value must be (``"a callable"`` or ``"must be a callable"``). It is
        used in the error message: "The 'x' parameter of ... must be a callable.
        Got 3 instead."

    See :func:`p_int` for the other arguments.

    Returns
    -------
    ParamUty
    """
    return ParamUty(custom_check=custom_check, default=default,
                    special_vals=_seq(special_vals), tags=as_str_set(tags, "tags"),
                    depends=as_condition(depends), init=init)


def ps(**params: Any) -> ParamSet:
    """Build a :class:`ParamSet` from keyword arguments ``id=domain``.

    Examples
    --------
    >>> param_set = ps(cp=p_dbl(0, 1, default=0.01, tags="train"))
    >>> param_set.ids()
    ['cp']
    """
    return ParamSet(params)


def _seq(values: Any) -> Any:
    """Lists stay lists, other iterables become tuples; anything else is left to Domain."""
    if isinstance(values, (list, tuple)) or values is None or isinstance(values, (str, bytes)):
        return values
    try:
        return tuple(values)
    except TypeError:
        return values
