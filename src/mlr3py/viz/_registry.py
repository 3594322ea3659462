"""The plot registry and :func:`autoplot` (mlr3viz's ``autoplot()`` generic).

A plot type is a function ``plot(obj, ax, **kwargs)`` that draws ``obj`` and returns
the Axes (or, for a multi-panel plot, the Figure) it drew on. It is registered for
a class under a type name (``"roc"``, ``"boxplot"``, ...). Classes are named by
their dotted path (``"mlr3py.tuning._instance.TuningInstance"``), so that
registering plots for torch learners or tuning instances imports neither torch
nor the tuning package; a :class:`typing.Protocol` marked ``runtime_checkable``
may be registered too, for duck-typed objects (importance scores).

:func:`autoplot` finds the plots of an object by walking its class's MRO (the
most specific class first), then the registered protocols.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mlr3py.errors import ConfigError, UnknownKeyError
from mlr3py.registry import did_you_mean

__all__ = ["PlotFunction", "PlotType", "autoplot", "plot_types", "register_plot"]


#: ``function(obj, ax=None, **kwargs)``: draws ``obj`` on ``ax`` (None: a new figure) and
#: returns the Axes, or the Figure of a multi-panel plot
PlotFunction = Callable[..., Any]


@dataclass(frozen=True)
class PlotType:
    """One registered plot: the class it is for, its type name, the function, a line."""

    target: str
    name: str
    function: PlotFunction
    description: str
    default: bool = False


# target (dotted class name or protocol) -> type name -> PlotType
_BY_CLASS: dict[str, dict[str, PlotType]] = {}
_PROTOCOLS: dict[str, type] = {}


def _dotted(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def register_plot(
    target: str | type,
    name: str,
    function: PlotFunction,
    description: str,
    default: bool = False,
) -> PlotType:
    """Register a plot type.

    Parameters
    ----------
    target : str or type
        A class, its dotted name (module path and qualified name), or a
        ``runtime_checkable`` :class:`typing.Protocol`.
    name : str
        The type name ``autoplot(obj, type=name)`` selects.
    function : callable
        ``function(obj, ax=None, **kwargs)`` returning a matplotlib Axes or Figure.
    description : str
        One line for the list of available types.
    default : bool
        Whether this type is drawn when ``autoplot`` is called without ``type``.

    Returns
    -------
    PlotType
    """
    if not callable(function):
        raise ConfigError(f"A plot function must be callable. Got {function!r} instead.")
    if isinstance(target, type):
        key = _dotted(target)
        if getattr(target, "_is_runtime_protocol", False):
            _PROTOCOLS[key] = target
        elif getattr(target, "_is_protocol", False):
            raise ConfigError(
                f"The protocol {key!r} must be marked @typing.runtime_checkable to be a "
                "plot target."
            )
    else:
        key = str(target)
    plot = PlotType(key, name, function, description, default)
    _BY_CLASS.setdefault(key, {})[name] = plot
    return plot


def plot_types(obj: Any) -> dict[str, PlotType]:
    """The plot types ``autoplot`` offers for ``obj``, name -> :class:`PlotType`.

    The most specific class wins where two classes register the same name; a class
    wins over a protocol.
    """
    found: dict[str, PlotType] = {}
    for cls in type(obj).__mro__:
        for name, plot in _BY_CLASS.get(_dotted(cls), {}).items():
            found.setdefault(name, plot)
    for key, proto in _PROTOCOLS.items():
        if isinstance(obj, proto):
            for name, plot in _BY_CLASS[key].items():
                found.setdefault(name, plot)
    return found


def autoplot(obj: Any, type: str | None = None, ax: Any = None, **kwargs: Any) -> Any:  # noqa: A002
    """Plot an mlr3py object with matplotlib.

    Parameters
    ----------
    obj : object
        A prediction, ResampleResult, BenchmarkResult, TuningInstance or archive,
        task, importance scores, torch learner or batch diagnostics table.
    type : str, optional
        The plot type (see :func:`plot_types`); default: the object's first type.
    ax : matplotlib.axes.Axes, optional
        Where to draw (single-panel types); default: a new figure.
    **kwargs
        Passed to the plot type (``measure=``, ``pooled=``, ...).

    Returns
    -------
    matplotlib.axes.Axes or matplotlib.figure.Figure
        The Axes drawn on, or the Figure of a multi-panel plot.

    Raises
    ------
    UnknownKeyError
        ``type`` is not a plot type of the object; the message lists those it has.
    ConfigError
        The object has no plot types at all.
    """
    available = plot_types(obj)
    if not available:
        raise ConfigError(
            f"autoplot() has no plot types for an object of class {_name(obj)!r}. "
            "It plots predictions, resample and benchmark results, tuning instances and "
            "archives, tasks, importance scores, torch learners and batch diagnostics."
        )
    if type is None:
        defaults = [p for p in available.values() if p.default]
        plot = defaults[0] if defaults else next(iter(available.values()))
    elif type in available:
        plot = available[type]
    else:
        listing = ", ".join(f"'{n}' ({p.description})" for n, p in available.items())
        raise UnknownKeyError(
            f"{_name(obj)!r} has no plot type {type!r}. Its plot types: {listing}."
            f"{did_you_mean(str(type), available)}"
        )
    _check_kwargs(plot, obj, kwargs)
    return plot.function(obj, ax=ax, **kwargs)


def _check_kwargs(plot: PlotType, obj: Any, kwargs: dict[str, Any]) -> None:
    """Refuse keyword arguments the plot type does not take, naming those it does."""
    try:
        params = inspect.signature(plot.function).parameters
    except (TypeError, ValueError):  # pragma: no cover - builtins without a signature
        return
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values()):
        return
    names = [n for n, p in params.items() if p.kind is inspect.Parameter.KEYWORD_ONLY
             or (p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD and p.default is not p.empty)]
    unknown = [k for k in kwargs if k not in names]
    if unknown:
        allowed = [n for n in names if n != "ax"]
        raise ConfigError(
            f"Plot type {plot.name!r} of {_name(obj)!r} takes no argument "
            f"{', '.join(repr(u) for u in unknown)}; it takes {allowed or 'none'}."
        )


def _name(obj: Any) -> str:
    return obj.__class__.__name__
