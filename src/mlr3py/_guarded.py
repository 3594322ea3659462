"""Attribute assignment that catches typos (mlr3's R6 objects are locked the same way).

``learner.fallbak = lrn("classif.featureless")`` would otherwise add a new attribute
that nothing reads, and ``learner.encapsulate = {...}`` would replace a method. The
:class:`GuardedAttributes` mixin lets an assignment through only when the name is
already known to the object:

- a private name (leading underscore), used freely by the implementation;
- an attribute the instance already has (set in ``__init__`` or later);
- a class attribute that is not a method, or a property (its setter decides);
- a name declared with an annotation anywhere in the class hierarchy;
- any name while one of the class hierarchy's ``__init__`` methods runs, so a
  subclass's ``__init__`` may add its own attributes.

Anything else raises :class:`~mlr3py.errors.AttributeAssignmentError` (a
:class:`ConfigError` and an :class:`AttributeError`) with "did you mean" suggestions.
Copying and pickling restore ``__dict__`` directly and are not affected.
"""

from __future__ import annotations

import functools
import inspect
import threading
from collections.abc import Callable, Iterator
from typing import Any, ClassVar

from mlr3py.errors import AttributeAssignmentError
from mlr3py.registry import did_you_mean

__all__ = ["GuardedAttributes"]

_initializing = threading.local()
"""Per thread: id of each object whose ``__init__`` runs -> nesting depth."""


def _depths() -> dict[int, int]:
    depths: dict[int, int] | None = getattr(_initializing, "depths", None)
    if depths is None:
        depths = _initializing.depths = {}
    return depths


def _tracking_init(init: Callable[..., None]) -> Callable[..., None]:
    """Wrap ``init`` so that assignments inside it are not guarded."""

    @functools.wraps(init)
    def tracked_init(self: Any, *args: Any, **kwargs: Any) -> None:
        depths = _depths()
        key = id(self)
        depths[key] = depths.get(key, 0) + 1
        try:
            init(self, *args, **kwargs)
        finally:
            if depths[key] == 1:
                del depths[key]
            else:
                depths[key] -= 1

    tracked_init._guarded_init = True  # type: ignore[attr-defined]
    return tracked_init


def _is_method(attr: Any) -> bool:
    return inspect.isfunction(attr) or isinstance(attr, (staticmethod, classmethod))


class GuardedAttributes:
    """Mixin: assigning an unknown public attribute or a method raises.

    Attributes
    ----------
    _kind : str
        How messages name the class: ``"Task"``, ``"Learner"``, ...
    """

    _kind: ClassVar[str] = "Object"

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        init = cls.__dict__.get("__init__")
        if init is not None and inspect.isfunction(init) and not getattr(
            init, "_guarded_init", False
        ):
            cls.__init__ = _tracking_init(init)  # type: ignore[method-assign]

    def __setattr__(self, name: str, value: Any) -> None:
        if (
            name.startswith("_")
            or name in self.__dict__
            or id(self) in _depths()
        ):
            object.__setattr__(self, name, value)
            return
        for klass in type(self).__mro__:
            if name in klass.__dict__:
                attr = klass.__dict__[name]
                if _is_method(attr):
                    raise AttributeAssignmentError(
                        f"'{name}' is a method of {self._guard_name()} and cannot be "
                        f"assigned. Call it instead: .{name}(...)."
                    )
                object.__setattr__(self, name, value)
                return
        if any(name in inspect.get_annotations(klass) for klass in type(self).__mro__):
            object.__setattr__(self, name, value)
            return
        raise AttributeAssignmentError(
            f"{self._guard_name()} has no attribute '{name}' to set."
            + did_you_mean(name, sorted(set(self._assignable_names())))
        )

    def _guard_name(self) -> str:
        obj_id = self.__dict__.get("_id")
        return f"{self._kind} '{obj_id}'" if obj_id else f"this {self._kind}"

    def _assignable_names(self) -> Iterator[str]:
        """Public names an assignment may use (the candidates of suggestions)."""
        yield from (k for k in self.__dict__ if not k.startswith("_"))
        for klass in type(self).__mro__:
            for name, attr in klass.__dict__.items():
                if name.startswith("_") or _is_method(attr):
                    continue
                if isinstance(attr, property) and attr.fset is None:
                    continue
                yield name
            yield from (k for k in inspect.get_annotations(klass)
                        if not k.startswith("_"))
