"""The :class:`Resampling` base class (mlr3's ``Resampling``).

A resampling strategy splits a task's rows into pairs of training and test
sets. :meth:`Resampling.instantiate` fixes these sets for one task; the
strategy itself only implements the private hooks that sample one vector of
ids (``_sample``), combine per-stratum samples (``_combine``) and read the
sets of one iteration back (``_get_train`` / ``_get_test``).

Stratum and group roles are handled here, once for every strategy:

* with a stratum role, each stratum is sampled on its own and the samples are
  combined, so every set keeps the strata's proportions;
* with a group role, the group ids are sampled instead of the row ids and
  every set is mapped back to all rows of its groups, so a group is never
  split between training and test set;
* a task whose row ids repeat (the training view of a bootstrap iteration, an
  upsampled task: nested resampling) is split as if each row id were a group,
  so copies of a row never land in both a training and a test set (with a
  stratum role as well, instantiate() refuses it).
"""

from __future__ import annotations

import copy
import numbers
from typing import Any

import numpy as np
import pandas as pd

from mlr3py._identified import Identified
from mlr3py.errors import ConfigError
from mlr3py.params import ParamSet, ps
from mlr3py.resamplings._split_inputs import (
    _as_rng,
    _check_task,
    _Grouping,
    _refuse_repeated_rows,
    _repeated_rows,
    row_hash,
    row_hash_of,
)

__all__ = ["Resampling", "row_hash"]

#: Train and test sets of at most this many rows are kept once computed (read-only);
#: larger ones are computed anew each time, so that a test set of 98% of ten million
#: rows is not held for every iteration.
_CACHED_SET_ROWS = 1_000_000


class Resampling(Identified):
    """Base class of all resampling strategies.

    Parameters
    ----------
    id : str
        Identifier, e.g. ``"cv"``.
    param_set : ParamSet, optional
        The strategy's parameters (``ratio``, ``folds``, ``repeats``, ...).
    label : str
        A short human readable description.
    duplicated_ids : bool
        Whether a training set may hold a row more than once (bootstrap).

    Notes
    -----
    Iterations are numbered from 0 to ``iters - 1``. Subclasses implement
    ``_sample(ids, rng)``, ``_combine(instances)``, ``_get_train(i)``,
    ``_get_test(i)`` and ``_iters()``; they may override ``_check_units(n, unit)``
    to reject a number of rows (or groups) they cannot split, and
    ``_check_instance(instance, n, unit)`` to reject a sampled instance.
    """

    _kind = "Resampling"
    #: Whether :meth:`_sample` takes a task's rows ``0 .. n - 1`` as a ``range`` (their
    #: ids never built), where the task has them (``Task._row_range``).
    _samples_ranges = False

    def __init__(
        self,
        id: str,  # noqa: A002 - mlr3's name, as the ``id`` property
        param_set: ParamSet | None = None,
        label: str = "",
        duplicated_ids: bool = False,
    ) -> None:
        self._param_set = param_set if param_set is not None else ps()
        self._id = ""
        self.id = id
        self._label = label
        self._duplicated_ids = duplicated_ids
        self._instance: Any = None
        self._grouping: _Grouping | None = None
        self._values: dict[str, Any] | None = None
        self._task_hash: str | None = None
        self._task_row_hash: str | None = None
        self._task_nrow: int | None = None
        # (getter name, iteration) -> the set, for sets of at most _CACHED_SET_ROWS rows:
        # tuning asks for the same few sets thousands of times (a job each); not pickled
        self._sets: dict[tuple[str, int], np.ndarray] = {}

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state["_sets"] = {}
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        state.setdefault("_sets", {})
        self.__dict__.update(state)

    def __deepcopy__(self, memo: dict[int, Any]) -> Resampling:
        # a clone of the same instance shares the sets computed (never handed out, never
        # written): a tuning run clones its resampling for every batch
        clone = copy.copy(self)
        memo[id(self)] = clone
        for key, value in self.__dict__.items():
            if key != "_sets":
                clone.__dict__[key] = copy.deepcopy(value, memo)
        clone._sets = dict(self._sets)
        return clone

    # ------------------------------------------------------------------ fields
    @property
    def param_set(self) -> ParamSet:
        """The parameter set; its values configure the strategy."""
        return self._param_set

    @property
    def duplicated_ids(self) -> bool:
        """Whether training sets may contain the same row more than once."""
        return self._duplicated_ids

    @property
    def iters(self) -> int | None:
        """Number of iterations; ``None`` when it is only known after instantiation."""
        return self._iters()

    @property
    def instance(self) -> Any:
        """The strategy's record of the sets (``None`` before instantiation).

        For a task with a group role the instance holds group ids in place of
        row ids.
        """
        return self._instance

    @property
    def is_instantiated(self) -> bool:
        """Whether :meth:`instantiate` has fixed the sets."""
        return self._instance is not None

    @property
    def task_hash(self) -> str | None:
        """Hash of the task the resampling was instantiated on."""
        return self._task_hash

    @property
    def task_row_hash(self) -> str | None:
        """Hash of the row ids of the task the resampling was instantiated on."""
        return self._task_row_hash

    @property
    def task_nrow(self) -> int | None:
        """Number of rows of the task the resampling was instantiated on."""
        return self._task_nrow

    # ----------------------------------------------------------------- methods
    def instantiate(self, task: Any, seed: Any = None) -> Resampling:
        """Fix the training and test sets for ``task``.

        Parameters
        ----------
        task : Task
            The task whose rows are split. Its stratum role (split each stratum
            separately) and group role (never split a group) are honoured;
            both at once are not supported.
        seed : int, numpy.random.Generator, numpy.random.SeedSequence or None
            Source of randomness. ``None`` draws from numpy's global generator,
            so ``np.random.seed()`` makes the result reproducible.

        Returns
        -------
        Resampling
            ``self``, instantiated.
        """
        what = f"Resampling '{self.id}'"
        _check_task(task, what)
        values = self._param_set.get_values(check_required=True)
        rng = _as_rng(seed)
        strata = task.strata
        groups = task.groups
        repeated = _repeated_rows(task)
        if len(repeated) and groups is None:
            if strata is not None:
                _refuse_repeated_rows(task, repeated, what)
            # copies of a row (a bootstrap training view, upsampling) form a group, so
            # they never land in both a training and a test set
            ids = np.asarray(task.row_ids, dtype=np.int64)
            groups = pd.DataFrame({"row_id": ids, "group": ids})
        if strata is not None and groups is not None:
            raise ConfigError(
                f"{what} cannot combine stratification and grouping: Task '{task.id}' has "
                "both a stratum and a group role. Remove one of them from task.col_roles."
            )
        previous = self._values
        self._values = values
        try:
            grouping = None
            if groups is not None:
                grouping = _Grouping.from_frame(groups, task.id)
                n, unit = len(grouping.labels), "groups"
            else:
                n, unit = int(task.nrow), "rows"
            self._check_units(n, unit)
            if grouping is not None:
                instance = self._sample(grouping.labels, rng)
            elif strata is not None:
                parts = [np.asarray(ids, dtype=np.int64) for ids in strata["row_ids"]]
                instance = self._sample_strata(parts, rng)
            else:
                rows = getattr(task, "_row_range", None) if self._samples_ranges else None
                ids = rows if rows is not None else np.asarray(task.row_ids, dtype=np.int64)
                instance = self._sample(ids, rng)
            self._check_instance(instance, n, unit)
        except Exception:
            self._values = previous
            raise
        self._set_instance(instance, grouping, task)
        return self

    def train_set(self, i: int) -> np.ndarray:
        """Row ids of the training set of iteration ``i`` (0-based).

        Parameters
        ----------
        i : int
            Iteration, from 0 to ``iters - 1``.

        Returns
        -------
        numpy.ndarray
            Row ids (int64); may repeat rows when :attr:`duplicated_ids`.
        """
        return self._get_set(self._get_train, i)

    def test_set(self, i: int) -> np.ndarray:
        """Row ids of the test set of iteration ``i`` (0-based).

        Parameters
        ----------
        i : int
            Iteration, from 0 to ``iters - 1``.

        Returns
        -------
        numpy.ndarray
            Row ids (int64).
        """
        return self._get_set(self._get_test, i)

    def test_size(self, i: int) -> int:
        """Number of rows in the test set of iteration ``i``.

        Strategies that can count the rows (holdout, subsampling, bootstrap without a
        group role) do so without building the set.

        Parameters
        ----------
        i : int
            Iteration, from 0 to ``iters - 1``.

        Returns
        -------
        int
        """
        self._check_iteration(i)
        size = self._count_test(int(i)) if self._grouping is None else None
        return len(self.test_set(i)) if size is None else int(size)

    def test_slice(self, i: int, start: int, stop: int) -> np.ndarray:
        """Row ids ``start`` to ``stop - 1`` of the test set of iteration ``i`` sorted
        in ascending order.

        For reading a large test set in parts: holdout, subsampling and bootstrap
        (without a group role, on ascending task row ids) build only the part.

        Parameters
        ----------
        i : int
            Iteration, from 0 to ``iters - 1``.
        start, stop : int
            Positions among the test set's row ids sorted, as in ``ids[start:stop]``.

        Returns
        -------
        numpy.ndarray
            Row ids (int64), ascending.
        """
        self._check_iteration(i)
        part = (self._sorted_test_slice(int(i), int(start), int(stop))
                if self._grouping is None else None)
        if part is not None:
            return np.asarray(part, dtype=np.int64)
        test = self.test_set(i)
        if len(test) > 1 and not bool(np.all(test[1:] > test[:-1])):
            test = np.sort(test, kind="stable")
        return test[start:stop].copy()

    def matches_task(self, task: Any) -> bool:
        """Whether the resampling was instantiated on a task with ``task``'s row ids."""
        return self.is_instantiated and self._task_row_hash == row_hash_of(task)

    def clone(self) -> Resampling:
        """An independent deep copy (instance included)."""
        return copy.deepcopy(self)

    def _dict_row(self) -> dict[str, Any]:
        """Columns for the registry table: label, parameter ids and iterations."""
        return {"label": self.label, "params": list(self._param_set.ids()), "iters": self.iters}

    def __repr__(self) -> str:
        values = self._param_set.get_values()
        params = ", ".join(f"{k}={_fmt(v)}" for k, v in values.items()) or "(none)"
        iters = self.iters
        return "\n".join(
            [
                f"<{type(self).__name__}> ({self.id}): {self.label}",
                f"* Iterations: {iters if iters is not None else 'unknown until instantiated'}",
                f"* Instantiated: {self.is_instantiated}",
                f"* Parameters: {params}",
            ]
        )

    # ----------------------------------------------------------------- helpers
    def _value(self, name: str) -> Any:
        """A parameter value: the one used at instantiation, else the current one."""
        if self._values is not None and name in self._values:
            return self._values[name]
        return self._param_set.get_values().get(name)

    def _set_instance(self, instance: Any, grouping: _Grouping | None, task: Any) -> None:
        self._instance = instance
        self._sets = {}
        self._grouping = grouping
        self._task_hash = task.hash
        self._task_row_hash = row_hash_of(task)
        self._task_nrow = int(task.nrow)

    def _check_iteration(self, i: int) -> None:
        """Raise :class:`ConfigError` unless instantiated and ``i`` is an iteration."""
        if not self.is_instantiated:
            raise ConfigError(
                f"Resampling '{self.id}' has not been instantiated yet. "
                "Call instantiate(task) first."
            )
        iters = self.iters
        assert iters is not None  # known once instantiated
        if (
            not isinstance(i, numbers.Integral)
            or isinstance(i, (bool, np.bool_))
            or not 0 <= i < iters
        ):
            raise ConfigError(
                f"Iteration i={i!r} is out of range for Resampling '{self.id}' with "
                f"iters={iters}. Use an int from 0 to {iters - 1}."
            )

    def _get_set(self, getter: Any, i: int) -> np.ndarray:
        self._check_iteration(i)
        key = (getter.__name__, int(i))
        cached = self._sets.get(key)
        if cached is not None:
            return cached.copy()  # the caller's own array, as when computed
        ids = getter(int(i))
        rows = (self._grouping.rows(ids) if self._grouping is not None
                else np.asarray(ids, dtype=np.int64))
        if len(rows) <= _CACHED_SET_ROWS:
            self._sets[key] = rows.copy()
        return rows

    def _sample_strata(self, parts: list[np.ndarray], rng: np.random.Generator) -> Any:
        """Sample each stratum separately and combine the results."""
        return self._combine([self._sample(ids, rng) for ids in parts])

    def _check_units(self, n: int, unit: str) -> None:
        """Reject ``n`` rows (or groups) if the strategy cannot split that many."""

    def _check_instance(self, instance: Any, n: int, unit: str) -> None:
        """Reject a freshly sampled instance (e.g. one with an empty set)."""

    # -------------------------------------------------------- abstract hooks
    def _iters(self) -> int | None:
        raise NotImplementedError(f"{type(self).__name__} must implement _iters().")

    def _sample(self, ids: np.ndarray, rng: np.random.Generator) -> Any:
        raise NotImplementedError(f"{type(self).__name__} must implement _sample().")

    def _combine(self, instances: list[Any]) -> Any:
        raise NotImplementedError(f"{type(self).__name__} must implement _combine().")

    def _get_train(self, i: int) -> np.ndarray:
        raise NotImplementedError(f"{type(self).__name__} must implement _get_train().")

    def _get_test(self, i: int) -> np.ndarray:
        raise NotImplementedError(f"{type(self).__name__} must implement _get_test().")

    def _count_test(self, i: int) -> int | None:
        """The size of test set ``i`` without a group role, where the strategy can count
        it without building the set; None: :meth:`test_size` builds it."""
        return None

    def _sorted_test_slice(self, i: int, start: int, stop: int) -> np.ndarray | None:
        """:meth:`test_slice` without a group role, where the strategy can build only
        the part; None: :meth:`test_slice` sorts the whole set."""
        return None


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return repr(value)
