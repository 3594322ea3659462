"""A multiprocessing "spawn" context whose children do not import ``__main__``.

multiprocessing's spawn children run ``__main__`` again from the preparation
data (``init_main_from_path`` / ``init_main_from_name``) that
``multiprocessing.spawn.get_preparation_data`` gives; a script without an
``if __name__ == "__main__"`` guard then runs once per child. The context
registered here as :data:`NO_MAIN_METHOD` launches its processes with
:class:`NoMainPopen`, which marks its thread while it launches; a wrapper of
``get_preparation_data`` leaves those two entries out for a marked thread, and
any other process start is untouched. loky's workers do the same
(``init_main_module=False``). The classes live at module level: the process
object travels to the child pickled, by reference.
"""

from __future__ import annotations

import functools
import multiprocessing.context as mp_context
import multiprocessing.spawn as mp_spawn
import threading
from typing import Any

__all__ = ["NO_MAIN_METHOD", "no_main_method"]

#: The start method name under which :func:`no_main_method` registers the context.
NO_MAIN_METHOD = "mlr3py-spawn-no-main"

_marked = threading.local()

try:
    from multiprocessing import popen_spawn_posix
except ImportError:  # pragma: no cover - Windows
    popen_spawn_posix = None  # type: ignore[assignment]


if popen_spawn_posix is not None:

    class NoMainPopen(popen_spawn_posix.Popen):
        """spawn's POSIX ``Popen``, its preparation data without ``__main__``."""

        def _launch(self, process_obj: Any) -> None:
            _marked.active = True
            try:
                super()._launch(process_obj)  # type: ignore[misc]
            finally:
                _marked.active = False

    class NoMainProcess(mp_context.SpawnProcess):
        """A spawn process started by :class:`NoMainPopen`."""

        @staticmethod
        def _Popen(process_obj: Any) -> Any:  # noqa: N802 - multiprocessing's name
            return NoMainPopen(process_obj)

    class NoMainContext(mp_context.SpawnContext):
        """The spawn context of :class:`NoMainProcess`."""

        _name = NO_MAIN_METHOD
        Process = NoMainProcess  # type: ignore[assignment]


def _without_main(original: Any) -> Any:
    @functools.wraps(original)
    def get_preparation_data(name: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
        data: dict[str, Any] = original(name, *args, **kwargs)
        if getattr(_marked, "active", False):
            data.pop("init_main_from_path", None)
            data.pop("init_main_from_name", None)
        return data

    get_preparation_data.mlr3py_without_main = True  # type: ignore[attr-defined]
    return get_preparation_data


@functools.cache
def no_main_method() -> str | None:
    """Register the context (once); its start method name, or None where spawn's POSIX
    ``Popen`` is missing (Windows)."""
    if popen_spawn_posix is None:  # pragma: no cover - Windows
        return None
    if not getattr(mp_spawn.get_preparation_data, "mlr3py_without_main", False):
        mp_spawn.get_preparation_data = _without_main(mp_spawn.get_preparation_data)
    mp_context._concrete_contexts[NO_MAIN_METHOD] = NoMainContext()  # type: ignore[attr-defined]
    return NO_MAIN_METHOD
