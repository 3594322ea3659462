"""A progress bar over the jobs of ``resample()`` / ``benchmark()`` (tqdm).

Shown when ``mlr3py.options.progress`` is True, or when it is None (the default)
and the program runs interactively: stderr is a terminal, or the code runs in a
Jupyter / IPython kernel. Never shown inside workers (nested levels) and never
for a single job.
"""

from __future__ import annotations

import sys
from typing import Any

from mlr3py.options import options

__all__ = ["NullProgress", "grow_total", "progress_bar", "progress_enabled"]


class NullProgress:
    """A progress bar that shows nothing."""

    def update(self, n: int = 1) -> None:
        """Count ``n`` finished jobs (no-op)."""

    def close(self) -> None:
        """Finish (no-op)."""

    def __enter__(self) -> NullProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _interactive() -> bool:
    stream = sys.stderr
    try:
        if stream is not None and stream.isatty():
            return True
    except (AttributeError, ValueError):
        pass
    ipython = sys.modules.get("IPython")
    if ipython is None:
        return False
    get_ipython = getattr(ipython, "get_ipython", None)
    shell = get_ipython() if get_ipython is not None else None
    return shell is not None and type(shell).__name__ == "ZMQInteractiveShell"


def progress_enabled(total: int | None, depth: int = 0) -> bool:
    """Whether a bar is shown for ``total`` jobs (None: not known yet) started at worker
    depth ``depth``."""
    if (total is not None and total < 2) or depth > 0:
        return False
    setting = options.progress
    if setting is None:
        return _interactive()
    return bool(setting)


def progress_bar(total: int | None, depth: int = 0, desc: str = "jobs") -> Any:
    """A tqdm bar over ``total`` jobs, or a :class:`NullProgress` when disabled.

    Parameters
    ----------
    total : int or None
        Number of jobs; None while it is not known (a stream of groups:
        :func:`grow_total` adds each group's).
    depth : int
        Worker depth (see :func:`mlr3py.execution._plans.worker_depth`).
    desc : str
        Label of the bar.
    """
    if not progress_enabled(total, depth):
        return NullProgress()
    try:
        from tqdm.auto import tqdm
    except ImportError:  # pragma: no cover - tqdm is a dependency
        return NullProgress()
    return tqdm(total=total, desc=desc, unit="job", leave=False, dynamic_ncols=True)


def grow_total(bar: Any, n: int) -> None:
    """Add ``n`` jobs to the total of ``bar`` (a tqdm bar; a :class:`NullProgress` ignores it)."""
    if hasattr(bar, "total") and hasattr(bar, "refresh"):
        bar.total = (bar.total or 0) + n
        bar.refresh()
