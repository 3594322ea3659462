"""The built-in terminators (bbotk's ``mlr_terminators``).

``evals``, ``run_time``, ``clock_time``, ``perf_reached``, ``stagnation``,
``stagnation_batch``, ``combo`` and ``none``. Each is checked between batches,
so a batch that starts is always completed.
"""

from __future__ import annotations

import datetime as dt
import math
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from mlr3py.errors import ConfigError
from mlr3py.params import p_dbl, p_int, p_lgl, p_uty, ps
from mlr3py.tuning._terminator import Terminator, mlr_terminators

if TYPE_CHECKING:
    from mlr3py.tuning._archive import ArchiveTuning

__all__ = [
    "TerminatorClockTime",
    "TerminatorCombo",
    "TerminatorEvals",
    "TerminatorNone",
    "TerminatorPerfReached",
    "TerminatorRunTime",
    "TerminatorStagnation",
    "TerminatorStagnationBatch",
]


class TerminatorEvals(Terminator):
    """Stop after ``n_evals + k * dimension`` evaluations (dimension: search-space size)."""

    def __init__(self) -> None:
        super().__init__(
            "evals",
            ps(n_evals=p_int(0, None, init=100, tags="required"),
               k=p_int(0, None, init=0, tags="required")),
            label="Number of Evaluation",
        )

    def budget(self, archive: ArchiveTuning) -> int:
        """The number of evaluations after which this terminator fires."""
        values = self._values()
        return int(values["n_evals"]) + int(values["k"]) * len(archive.search_space)

    def _is_terminated(self, archive: ArchiveTuning) -> bool:
        return archive.n_evals >= self.budget(archive)

    def allows(self, archive: ArchiveTuning, n_more: int) -> bool:
        """Whether ``n_more`` evaluations beyond the archive's stay under the budget."""
        return archive.n_evals + int(n_more) < self.budget(archive)

    def _reason(self, archive: ArchiveTuning) -> str:
        return (f"Terminator 'evals': {archive.n_evals} evaluations reached the budget of "
                f"{self.budget(archive)}.")


class TerminatorRunTime(Terminator):
    """Stop once ``secs`` seconds have passed since the optimization started."""

    def __init__(self) -> None:
        super().__init__("run_time", ps(secs=p_dbl(0, None, init=30.0, tags="required")),
                         label="Run Time")

    def _is_terminated(self, archive: ArchiveTuning) -> bool:
        if archive.start_time is None:
            return False
        return time.time() - archive.start_time >= float(self._values()["secs"])

    def _reason(self, archive: ArchiveTuning) -> str:
        return f"Terminator 'run_time': {self._values()['secs']} seconds have passed."


def _check_datetime(value: Any) -> bool | str:
    if isinstance(value, dt.datetime):
        return True
    return f"must be a datetime.datetime, got {value!r}"


class TerminatorClockTime(Terminator):
    """Stop once the clock has reached ``stop_time`` (a :class:`datetime.datetime`)."""

    def __init__(self) -> None:
        super().__init__("clock_time", ps(stop_time=p_uty(_check_datetime, tags="required")),
                         label="Clock Time")

    def _stop_time(self) -> dt.datetime:
        stop = self._values().get("stop_time")
        if stop is None:
            raise ConfigError("Terminator 'clock_time' has no stop_time. Set it: "
                              "trm('clock_time', stop_time=datetime.datetime(...)).")
        assert isinstance(stop, dt.datetime)
        return stop

    def _is_terminated(self, archive: ArchiveTuning) -> bool:
        stop = self._stop_time()
        now = dt.datetime.now(stop.tzinfo) if stop.tzinfo is not None else dt.datetime.now()
        return now >= stop

    def _reason(self, archive: ArchiveTuning) -> str:
        return f"Terminator 'clock_time': the clock reached {self._stop_time()}."


class TerminatorPerfReached(Terminator):
    """Stop once a configuration scores at least as well as ``level`` (single measure)."""

    def __init__(self) -> None:
        super().__init__("perf_reached", ps(level=p_dbl(None, None, init=0.1, tags="required")),
                         properties=("single-crit",), label="Performance Level")

    def _is_terminated(self, archive: ArchiveTuning) -> bool:
        if archive.n_evals == 0:
            return False
        measure = archive.measures[0]
        scores = archive.data[measure.id].to_numpy(dtype=float)
        scores = scores[~np.isnan(scores)]  # failed evaluations reach no level
        if not len(scores):
            return False
        level = float(self._values()["level"])
        if measure.minimize:
            return bool(scores.min() <= level)
        return bool(scores.max() >= level)

    def _reason(self, archive: ArchiveTuning) -> str:
        return (f"Terminator 'perf_reached': a configuration reached the level "
                f"{self._values()['level']} of '{archive.measures[0].id}'.")


def _improvement(archive: ArchiveTuning, before: np.ndarray, window: np.ndarray) -> float:
    """How much the best score of ``window`` improves on the best of ``before``.

    NaN scores (failed evaluations) are left out. A window without any score is no
    improvement (``-inf``); a first score after none before is one (``inf``).
    """
    window, before = window[~np.isnan(window)], before[~np.isnan(before)]
    if window.size == 0:
        return -math.inf
    if before.size == 0:
        return math.inf
    if archive.measures[0].minimize:
        return float(before.min() - window.min())
    return float(window.max() - before.max())


class TerminatorStagnation(Terminator):
    """Stop when the last ``iters`` evaluations improved the best score by <= ``threshold``.

    Failed evaluations (NaN scores) improve nothing: when none of the last ``iters``
    evaluations has a score, the terminator fires.
    """

    def __init__(self) -> None:
        super().__init__(
            "stagnation",
            ps(iters=p_int(1, None, init=10, tags="required"),
               threshold=p_dbl(0, None, init=0.0, tags="required")),
            properties=("single-crit",), label="Stagnation",
        )

    def _is_terminated(self, archive: ArchiveTuning) -> bool:
        values = self._values()
        iters = int(values["iters"])
        if archive.n_evals <= iters:
            return False
        scores = archive.data[archive.measures[0].id].to_numpy(dtype=float)
        return _improvement(archive, scores[:-iters], scores[-iters:]) <= float(values["threshold"])

    def _reason(self, archive: ArchiveTuning) -> str:
        values = self._values()
        return (f"Terminator 'stagnation': the last {values['iters']} evaluations improved "
                f"'{archive.measures[0].id}' by no more than {values['threshold']}.")


class TerminatorStagnationBatch(Terminator):
    """Stop when the last ``n`` batches improved the best score by <= ``threshold``.

    Failed evaluations (NaN scores) improve nothing: when none of the evaluations of the
    last ``n`` batches has a score, the terminator fires.
    """

    def __init__(self) -> None:
        super().__init__(
            "stagnation_batch",
            ps(n=p_int(1, None, init=1, tags="required"),
               threshold=p_dbl(0, None, init=0.0, tags="required")),
            properties=("single-crit",), label="Stagnation Batch",
        )

    def _is_terminated(self, archive: ArchiveTuning) -> bool:
        values = self._values()
        n = int(values["n"])
        if archive.n_batch <= n:
            return False
        data = archive.data
        scores = data[archive.measures[0].id].to_numpy(dtype=float)
        recent = data["batch_nr"].to_numpy() > archive.n_batch - n
        return _improvement(archive, scores[~recent], scores[recent]) <= float(values["threshold"])

    def _reason(self, archive: ArchiveTuning) -> str:
        values = self._values()
        return (f"Terminator 'stagnation_batch': the last {values['n']} batches improved "
                f"'{archive.measures[0].id}' by no more than {values['threshold']}.")


class TerminatorNone(Terminator):
    """Never stops: the tuner ends when its design is exhausted."""

    can_terminate = False

    def __init__(self) -> None:
        super().__init__("none", label="None")

    def _is_terminated(self, archive: ArchiveTuning) -> bool:
        return False

    def allows(self, archive: ArchiveTuning, n_more: int) -> bool:
        """Always: it never fires."""
        return True

    def _reason(self, archive: ArchiveTuning) -> str:
        return "Terminator 'none' never fires."


def _check_terminators(value: Any) -> bool | str:
    if isinstance(value, Sequence) and value and all(isinstance(t, Terminator) for t in value):
        return True
    return "must be a non-empty list of Terminator objects, e.g. [trm('evals', n_evals=20)]"


class TerminatorCombo(Terminator):
    """Combine terminators: stop when any (``any=True``) or all of them fire.

    Parameters
    ----------
    terminators : list of Terminator, optional
        The terminators to combine (default: one ``none`` terminator).
    """

    def __init__(self, terminators: Sequence[Terminator] | None = None) -> None:
        super().__init__(
            "combo",
            ps(terminators=p_uty(_check_terminators, tags="required"),
               any=p_lgl(init=True, tags="required")),
            label="Combination",
        )
        self.param_set.set_values(terminators=list(terminators or [TerminatorNone()]))

    def _members(self) -> list[Terminator]:
        return list(self._values()["terminators"])

    @property
    def can_terminate(self) -> bool:  # type: ignore[override]
        """Whether the combination can fire at all."""
        fires = [t.can_terminate for t in self._members()]
        return any(fires) if self._values()["any"] else all(fires)

    @property
    def properties(self) -> set[str]:
        """The properties all members share."""
        members = self._values().get("terminators") or [] if hasattr(self, "param_set") else []
        out = {"single-crit", "multi-crit"}
        for member in members:
            out &= member.properties
        return out

    @properties.setter
    def properties(self, value: set[str]) -> None:
        pass  # derived from the members

    def _is_terminated(self, archive: ArchiveTuning) -> bool:
        fired = [t.is_terminated(archive) for t in self._members()]
        return any(fired) if self._values()["any"] else all(fired)

    def allows(self, archive: ArchiveTuning, n_more: int) -> bool:
        """With ``any``: when every member allows it; otherwise when one member does."""
        allowed = [t.allows(archive, n_more) for t in self._members()]
        return all(allowed) if self._values()["any"] else any(allowed)

    def _reason(self, archive: ArchiveTuning) -> str:
        fired = [t.reason(archive) for t in self._members() if t.is_terminated(archive)]
        how = "any" if self._values()["any"] else "all"
        return f"Terminator 'combo' ({how}): " + " ".join(fired)


mlr_terminators.add("evals", TerminatorEvals)
mlr_terminators.add("run_time", TerminatorRunTime)
mlr_terminators.add("clock_time", TerminatorClockTime)
mlr_terminators.add("perf_reached", TerminatorPerfReached)
mlr_terminators.add("stagnation", TerminatorStagnation)
mlr_terminators.add("stagnation_batch", TerminatorStagnationBatch)
mlr_terminators.add("combo", TerminatorCombo)
mlr_terminators.add("none", TerminatorNone)
