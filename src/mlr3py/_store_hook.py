"""The hook through which ``store=`` paths reach the result store (a leaf module).

``mlr3py.evaluation`` defines the store protocol and must not import ``mlr3py.store``,
which sits above it; ``mlr3py.store`` registers its opener here when imported, and
``mlr3py/__init__`` registers a loader that imports it on the first ``store=`` path.
Kept in a leaf so that ``import mlr3py`` stays cheap (no pandas).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["get_store_opener", "register_store_loader", "register_store_opener"]

_opener: Callable[[Any], Any] | None = None
_loader: Callable[[], object] | None = None


def register_store_opener(opener: Callable[[Any], Any]) -> None:
    """Make ``opener`` the function that turns a ``store=`` path into a store."""
    global _opener
    _opener = opener


def register_store_loader(loader: Callable[[], object]) -> None:
    """Set the function called when a path is passed and no opener is registered yet."""
    global _loader
    _loader = loader


def get_store_opener() -> Callable[[Any], Any] | None:
    """The registered opener (calling the loader first when none is registered yet)."""
    if _opener is None and _loader is not None:
        _loader()
    return _opener
