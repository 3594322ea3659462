"""Conformance of plot functions (the functions ``mlr3py.viz.register_plot`` takes)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mlr3py.testing._base import checking, require

__all__ = ["check_plot"]


def _drawn(axes: Any) -> int:
    return sum(len(getattr(axes, kind)) for kind in
               ("lines", "collections", "patches", "images", "texts"))


def check_plot(function: Callable[..., Any], obj: Any, name: str = "plot",
               **kwargs: Any) -> None:
    """Check that a plot function keeps the contract of ``autoplot``.

    ``function(obj, ax=None, **kwargs)`` must return a matplotlib Axes, or the
    Figure of a multi-panel plot, with something drawn on it; given an Axes, it
    must draw there (return that Axes) or return a Figure of its own panels.
    The figures the checks make are closed.

    Parameters
    ----------
    function : callable
        The plot function.
    obj : object
        An object it plots.
    name : str
        The plot type's name, for messages.
    **kwargs
        Passed to ``function``.

    Raises
    ------
    ConformanceError
        Naming the plot type and the failed check.
    """
    import matplotlib.pyplot as plt
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    subject = f"Plot type {name!r}"
    before = set(plt.get_fignums())
    try:
        with checking(subject, "check_plot_returns"):
            result = function(obj, ax=None, **kwargs)
            require(isinstance(result, Axes | Figure),
                    f"it must return a matplotlib Axes or Figure; got {type(result).__name__}")
            panels = result.axes if isinstance(result, Figure) else [result]
            require(any(_drawn(p) for p in panels), "it returned a figure with nothing drawn")
        with checking(subject, "check_plot_draws_on_ax"):
            _, ax = plt.subplots()
            result = function(obj, ax=ax, **kwargs)
            require(result is ax or isinstance(result, Figure),
                    "given an Axes it must draw there and return it (or return a Figure)")
            if result is ax:
                require(_drawn(ax) > 0, "it returned the given Axes with nothing drawn on it")
    finally:
        for number in set(plt.get_fignums()) - before:
            plt.close(number)
