"""What an item of a parallel map may tell the map: three small, optional protocols.

The map knows nothing of what it runs. An item (``resample()``'s jobs, say) that
implements :class:`SharesParts` has parts that many items hold (the run's task and
resampling): the process plans send each of them to a worker once per run
(:mod:`mlr3py.execution._shared`). An item with :class:`HasLogFields` tags the log
records it emits in a worker process when they are replayed here. An item with
:class:`WantsThreads` gets that many BLAS / OpenMP threads while it runs in a
worker process. Items without them (a tuple, a chunk of rows) are plain items.
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

__all__ = [
    "HasLogFields", "SharesParts", "WantsThreads", "item_log_fields", "item_threads",
    "shares_parts",
]


@runtime_checkable
class SharesParts(Protocol):
    """An item holding objects that many items of a run hold too."""

    def shared_parts(self) -> dict[str, Any]:
        """The shared objects, by field name."""
        ...

    def with_parts(self, parts: dict[str, Any]) -> Any:
        """A copy of the item with the fields in ``parts`` replaced."""
        ...


@runtime_checkable
class HasLogFields(Protocol):
    """An item whose log records carry fields (e.g. ``task_id``, ``iteration``)."""

    def log_fields(self) -> dict[str, Any]:
        """The fields stamped on the item's replayed log records."""
        ...


@runtime_checkable
class WantsThreads(Protocol):
    """An item that asks for threads of its own in a worker process."""

    def threads(self) -> int:
        """The number of threads (1: the workers' default)."""
        ...


# The helpers look the methods up with getattr: an isinstance check against a runtime
# protocol costs microseconds per item, which adds up over many tiny jobs.


def shares_parts(item: Any) -> bool:
    """Whether ``item`` implements :class:`SharesParts`."""
    return callable(getattr(item, "shared_parts", None))


def item_log_fields(item: Any) -> dict[str, Any] | None:
    """``item.log_fields()``, or None for a plain item (its records keep the current context)."""
    method = getattr(item, "log_fields", None)
    return method() if callable(method) else None


def item_threads(item: Any) -> int:
    """``item.threads()``, or 1 for a plain item."""
    method = getattr(item, "threads", None)
    return int(method()) if callable(method) else 1
