"""The validated mapping behind ``ParamSet.values``.

Every change (``values[k] = v``, ``update()``, ``del values[k]``, ``pop()``,
``clear()``) builds the would-be new state, lets the owning
:class:`~mlr3py.params.ParamSet` check it as a whole (types, bounds, levels,
dependencies) and only then commits it, so the values are never left invalid.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, MutableMapping
from typing import TYPE_CHECKING, Any

from mlr3py.errors import UnknownKeyError
from mlr3py.registry import did_you_mean

if TYPE_CHECKING:
    from mlr3py.params._param_set import ParamSet

__all__ = ["ParamValues"]


class ParamValues(MutableMapping[str, Any]):
    """A dict of parameter values that validates each change against its ParamSet.

    Parameters
    ----------
    param_set : ParamSet
        The owner; it checks every change.
    """

    def __init__(self, param_set: ParamSet) -> None:
        self._param_set = param_set
        self._data: dict[str, Any] = {}

    # -- reading -----------------------------------------------------------------------------

    def __getitem__(self, key: str) -> Any:
        try:
            return self._data[key]
        except KeyError:
            if key not in self._param_set.params:
                ids = self._param_set.ids()
                raise UnknownKeyError(
                    f"{self._param_set.context} has no parameter '{key}'." + did_you_mean(key, ids)
                ) from None
            raise

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __contains__(self, key: object) -> bool:
        return key in self._data

    def __repr__(self) -> str:
        return repr(self._data)

    def copy(self) -> dict[str, Any]:
        """A plain ``dict`` copy of the values (not validated on change)."""
        return dict(self._data)

    # -- writing: each builds the new state and commits it atomically ------------------------

    def __setitem__(self, key: str, value: Any) -> None:
        new = dict(self._data)
        new[key] = value
        self._commit(new)

    def __delitem__(self, key: str) -> None:
        self[key]  # raises KeyError, or UnknownKeyError with suggestions
        new = dict(self._data)
        del new[key]
        self._commit(new)

    def update(self, other: Any = (), /, **kwargs: Any) -> None:
        """Set several values at once; all or nothing (validated together).

        ``other`` is a mapping or an iterable of ``(key, value)`` pairs, as for ``dict``.
        """
        new = dict(self._data)
        new.update(other, **kwargs)
        self._commit(new)

    def clear(self) -> None:
        """Unset all values (validated: nothing is left to violate)."""
        self._commit({})

    def _commit(self, new: dict[str, Any]) -> None:
        self._param_set._assert(new, check_required=False)
        self._replace(new)

    def _replace(self, new: Mapping[str, Any]) -> None:
        """Store already validated values, in the parameter order of the set."""
        self._data = {k: new[k] for k in self._param_set.params if k in new}
