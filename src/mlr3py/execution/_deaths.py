"""Worker deaths: :class:`WorkerDied`, and :class:`DeathAttribution`, which decides whom to blame.

When a worker process dies (a segfault in a learner that is not encapsulated in a
process of its own, the out-of-memory killer, ``kill -9``), the items it held are
either blamed (recorded as :class:`WorkerDied` in place of their results) or
submitted again. :class:`DeathAttribution` makes that decision from plain data
(the lost unit, which of its items had started, which units had started on the
dead worker's threads) and returns a :class:`Verdict`; the engines apply it
(:func:`apply_verdict`). It starts no process and talks to no cluster, so every
rule is unit-tested on its own.

The rules, for a unit lost with its worker:

- the process plans know which item of the unit was running (a marker file): that
  item is blamed; the items before it (finished, but their results died with the
  worker) and after it (never started) are submitted again (:meth:`~DeathAttribution.lost_at`);
- none was running (not started yet, or all finished): the unit is submitted again,
  counting an attempt; after :data:`MAX_START_FAILURES` attempts all its items are
  blamed rather than tried forever;
- the dask plan knows which units started on which worker thread
  (:meth:`~DeathAttribution.started`) and blames per worker
  (:meth:`~DeathAttribution.lost_on`): a unit the worker was running alone with one
  item is blamed; with several items, each runs again on its own so that only the
  one that brings its worker down is caught next time; several units running at
  once on the worker's threads each run again, counting an attempt; a unit that
  was not running there (queued, or finished but not reported) while another was
  runs again without counting; when no unit is known to have been running there,
  it runs again, counting an attempt.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mlr3py._exit import exit_cause
from mlr3py.execution._units import Progress, Unit
from mlr3py.log import logger

__all__ = [
    "MAX_START_FAILURES", "DeathAttribution", "Verdict", "WorkerDied", "apply_verdict",
    "split_lost_unit",
]

#: How often a unit may be lost before any of its items started before it is blamed.
MAX_START_FAILURES = 3


@dataclass(frozen=True)
class WorkerDied:
    """What is known about a worker that died while it held items.

    Attributes
    ----------
    exitcode : int or None
        The process exit code (negative: killed by that signal), when known.
    detail : str
        Extra text (e.g. the executor's message), may be empty.
    phase : str
        The phase the item that was running had reached
        (:func:`~mlr3py.execution._units.note_phase`); empty when unknown or not
        the item that was running.
    """

    exitcode: int | None = None
    detail: str = ""
    phase: str = ""

    @property
    def message(self) -> str:
        """``"worker process died (signal SIGSEGV)"`` and the like."""
        return f"worker process died ({exit_cause(self.exitcode)})"


@dataclass(frozen=True)
class Verdict:
    """What to do with a lost unit.

    Attributes
    ----------
    failed : tuple of (int, int)
        ``(chunk, position)`` of each item blamed for the death.
    again : tuple of Unit
        The units to submit again.
    running : bool
        Whether the blamed item is the one known to have been running (rather than
        items blamed after too many attempts).
    """

    failed: tuple[tuple[int, int], ...] = ()
    again: tuple[Unit, ...] = ()
    running: bool = False


@dataclass
class DeathAttribution:
    """Decides, from plain data, which items a worker's death is blamed on.

    Parameters
    ----------
    max_attempts : int
        How often a unit may be lost before any of its items started.

    Attributes
    ----------
    latest : dict
        Per ``(worker, thread)``: the submission that started there last.
    deaths : dict
        Per dead worker: the submissions it was running when it died (fixed at
        the first loss reported for it).
    """

    max_attempts: int = MAX_START_FAILURES
    latest: dict[tuple[str, int], int] = field(default_factory=dict)
    deaths: dict[str, frozenset[int]] = field(default_factory=dict)

    def lost_at(self, unit: Unit, started: int) -> Verdict:
        """A unit lost with a worker that was running its item ``started``.

        Parameters
        ----------
        unit : Unit
            The unit. Its ``attempts`` count up when none of its items was running.
        started : int
            Index (in ``unit.items``) of the item that was running; -1 if none had
            started, ``len(unit.items)`` if all had finished (their results were lost).
        """
        if started < 0 or started >= len(unit.items):
            unit.attempts += 1
            if unit.attempts < self.max_attempts:
                return Verdict(again=(unit,))
            return Verdict(failed=tuple((unit.chunk, unit.offset + k)
                                        for k in range(len(unit.items))))
        again = []
        if started > 0:
            again.append(Unit(unit.chunk, unit.offset, unit.items[:started]))
        if started + 1 < len(unit.items):
            again.append(Unit(unit.chunk, unit.offset + started + 1, unit.items[started + 1:]))
        return Verdict(failed=((unit.chunk, unit.offset + started),), again=tuple(again),
                       running=True)

    def started(self, submission: int, worker: str, thread: int) -> None:
        """Submission ``submission`` started on thread ``thread`` of worker ``worker``."""
        self.latest[worker, thread] = submission

    def knows(self, worker: str) -> bool:
        """Whether the units running at ``worker``'s death are fixed already."""
        return worker in self.deaths

    def lost_on(self, unit: Unit, submission: int, worker: str, pending: set[int]) -> Verdict:
        """A unit (submitted as ``submission``) lost with the dask worker ``worker``.

        Parameters
        ----------
        unit : Unit
            The unit.
        submission : int
            Its submission number.
        worker : str
            The id of the worker that died with it (empty when unknown).
        pending : set of int
            The submissions not finished yet (``submission`` among them or not).
        """
        if worker not in self.deaths:
            pending = pending | {submission}
            self.deaths[worker] = frozenset(
                n for (w, _), n in self.latest.items() if w == worker and n in pending
            )
        running = self.deaths[worker]
        if submission not in running:
            if running:  # queued there, or finished but not reported: not its fault
                return Verdict(again=(unit,))
            return self.lost_at(unit, -1)
        if len(running) > 1:
            # several units were running on the worker's threads: which one brought it
            # down is not known; each runs again (and counts the attempt)
            return self.lost_at(unit, -1)
        if len(unit.items) > 1:
            # which item was running is not known: each runs again on its own, so that
            # only the one that brings its worker down is recorded
            return Verdict(again=tuple(Unit(unit.chunk, unit.offset + k, [item])
                                       for k, item in enumerate(unit.items)))
        return self.lost_at(unit, 0)


def apply_verdict(
    verdict: Verdict, died: WorkerDied, results: dict[int, list[Any]], progress: Progress,
) -> list[Unit]:
    """Record the blamed items of ``verdict`` as ``died``; return the units to submit again.

    Parameters
    ----------
    verdict : Verdict
        The decision.
    died : WorkerDied
        What is known about the death.
    results : dict
        Per chunk, the outcomes so far.
    progress : Progress
        Updated for each item recorded.
    """
    if verdict.running:
        _, position = verdict.failed[0]
        logger.warning(
            "A worker process died (%s) while running item %d of a chunk; the item is "
            "recorded as failed, the others run again.", exit_cause(died.exitcode), position,
        )
    for chunk, position in verdict.failed:
        results[chunk][position] = died
    if verdict.failed:
        progress.update(len(verdict.failed))
    return list(verdict.again)


def split_lost_unit(
    unit: Unit, started: int, died: WorkerDied, results: dict[int, list[Any]],
    progress: Progress,
) -> list[Unit]:
    """Record the item a dead worker was running; return the units to submit again.

    :meth:`DeathAttribution.lost_at` applied with :func:`apply_verdict`.
    """
    return apply_verdict(DeathAttribution().lost_at(unit, started), died, results, progress)
