"""Conformance checks for resamplings."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

import numpy as np
import pandas as pd

from mlr3py.errors import Mlr3pyError
from mlr3py.testing._base import (
    Check,
    checking,
    require,
    require_raises,
    run_checks,
    seed_everything,
)
from mlr3py.testing._tasks import make_task

__all__ = [
    "InstantiateArgs",
    "check_resampling",
    "check_resampling_grouped",
    "check_resampling_instantiate",
    "check_resampling_metadata",
    "check_resampling_reproducible",
    "check_resampling_stratified",
    "resampling_checks",
    "resampling_tasks",
]

#: Extra arguments of ``instantiate()`` (custom resamplings): a mapping, or a
#: function of the task returning one.
InstantiateArgs = Mapping[str, Any] | Callable[[Any], Mapping[str, Any]] | None

_Sets = list[tuple[np.ndarray, np.ndarray]]
_STRATA_SIZES = {"A": 200, "B": 75, "C": 25}


def _subject(resampling: Any) -> str:
    return f"Resampling '{getattr(resampling, 'id', type(resampling).__name__)}'"


def resampling_tasks(n: int = 30, seed: int = 1) -> dict[str, Any]:
    """Tasks for the resampling checks.

    Returns
    -------
    dict of str to Task
        ``resampling_basic`` (``n`` rows, two classes), ``resampling_strata``
        (300 rows with stratum role on a target of 200 / 75 / 25 rows) and
        ``resampling_groups`` (60 rows in 12 groups of 5 consecutive rows).
    """
    rng = np.random.default_rng(seed)
    basic = pd.DataFrame(
        {"y": np.resize(np.array(["A", "B"], dtype=object), n), "x": rng.uniform(size=n)}
    )
    labels = np.concatenate([np.repeat(k, v) for k, v in _STRATA_SIZES.items()]).astype(object)
    strata = pd.DataFrame({"y": rng.permutation(labels), "x": rng.uniform(size=len(labels))})
    groups = pd.DataFrame(
        {
            "y": np.resize(np.array(["A", "B"], dtype=object), 60),
            "x": rng.uniform(size=60),
            "grp": np.repeat(np.arange(12), 5),
        }
    )
    tasks = {
        "resampling_basic": make_task("classif", basic, "y", "resampling_basic"),
        "resampling_strata": make_task("classif", strata, "y", "resampling_strata"),
        "resampling_groups": make_task("classif", groups, "y", "resampling_groups"),
    }
    tasks["resampling_strata"].col_roles["stratum"] = ["y"]
    tasks["resampling_groups"].set_col_roles(["grp"], roles=["group"])
    return tasks


def _instantiate(resampling: Any, task: Any, seed: int | None, args: InstantiateArgs) -> Any:
    """Instantiate a fresh clone on ``task`` with ``seed`` (None: numpy's global generator)."""
    kwargs = dict(args(task) if callable(args) else (args or {}))
    fresh = resampling.clone()
    accepts_seed = "seed" in inspect.signature(fresh.instantiate).parameters
    if accepts_seed:
        kwargs["seed"] = seed
    elif seed is not None:
        seed_everything(seed)
    result = fresh.instantiate(task, **kwargs)
    require(result is fresh, "instantiate() must return the resampling itself")
    return fresh


def _sets(resampling: Any) -> _Sets:
    return [(resampling.train_set(i), resampling.test_set(i)) for i in range(resampling.iters)]


def _same_sets(a: _Sets, b: _Sets) -> bool:
    return len(a) == len(b) and all(
        np.array_equal(x[0], y[0]) and np.array_equal(x[1], y[1])
        for x, y in zip(a, b, strict=True)
    )


def _is_random(resampling: Any, task: Any, seed: int, args: InstantiateArgs) -> bool:
    """Whether different seeds give different sets (False for insample, loo, custom)."""
    first = _sets(_instantiate(resampling, task, seed, args))
    return not _same_sets(first, _sets(_instantiate(resampling, task, seed + 1, args)))


def check_resampling_metadata(resampling: Any) -> None:
    """Check id, parameter values, ``duplicated_ids``, ``repr()`` and the uninstantiated state."""
    with checking(_subject(resampling), "check_resampling_metadata"):
        require(isinstance(resampling.id, str) and resampling.id, "id must be a non-empty str")
        values = dict(resampling.param_set.values)
        result = resampling.param_set.check(values)
        require(result is True, f"the parameter values {values} are invalid: {result}")
        require(
            isinstance(resampling.duplicated_ids, (bool, np.bool_)),
            f"duplicated_ids must be a bool, got {resampling.duplicated_ids!r}",
        )
        fresh = type(resampling)() if _constructible(resampling) else None
        if fresh is not None:
            require(not fresh.is_instantiated, "a new resampling must not be instantiated")
            require_raises(
                lambda: fresh.train_set(0), Mlr3pyError, "train_set() before instantiate()"
            )
        text = repr(resampling)
        require(resampling.id in text, f"repr() must name the id, got {text!r}")


def _constructible(obj: Any) -> bool:
    try:
        type(obj)()
    except TypeError:
        return False
    return True


def check_resampling_instantiate(
    resampling: Any, task: Any, seed: int = 1, instantiate_args: InstantiateArgs = None
) -> None:
    """Instantiate on ``task`` and check the sets.

    ``iters`` is an int >= 1 giving the number of sets; each set is a
    non-empty int64 array of the task's row ids; test sets hold no duplicates,
    training sets only when ``duplicated_ids``; training and test set are
    disjoint (or, for an in-sample design, both all rows); ``train_set(iters)``
    raises; the task's hash and row count are recorded; the resampling that was
    cloned stays uninstantiated.
    """
    with checking(_subject(resampling), "check_resampling_instantiate", task.id):
        was = resampling.is_instantiated
        inst = _instantiate(resampling, task, seed, instantiate_args)
        require(resampling.is_instantiated == was, "instantiating a clone changed the original")
        require(inst.is_instantiated, "is_instantiated is False after instantiate()")
        iters = inst.iters
        require(
            isinstance(iters, (int, np.integer)) and not isinstance(iters, bool) and iters >= 1,
            f"iters must be an int >= 1 after instantiate(), got {iters!r}",
        )
        require(inst.task_hash == task.hash, "task_hash is not the task's hash")
        require(inst.task_nrow == task.nrow, f"task_nrow {inst.task_nrow} != {task.nrow}")
        rows = np.asarray(task.row_ids)
        for i in range(iters):
            train, test = inst.train_set(i), inst.test_set(i)
            for name, ids in (("train", train), ("test", test)):
                require(
                    isinstance(ids, np.ndarray) and ids.dtype == np.int64,
                    f"{name}_set({i}) must be an int64 numpy array, got "
                    f"{type(ids).__name__} {getattr(ids, 'dtype', '')}",
                )
                require(ids.size > 0, f"{name}_set({i}) is empty")
                outside = np.setdiff1d(ids, rows)
                require(
                    outside.size == 0, f"{name}_set({i}) has ids not in the task: {outside[:5]}"
                )
            require(len(np.unique(test)) == len(test), f"test_set({i}) has duplicated ids")
            require(inst.test_size(i) == len(test),
                    f"test_size({i}) is {inst.test_size(i)}, test_set({i}) has {len(test)} ids")
            ordered, cut = np.sort(test), len(test) // 3
            for start, stop in ((0, len(test)), (cut, len(test) - cut), (len(test) - 1, None)):
                part = inst.test_slice(i, start, len(test) if stop is None else stop)
                require(
                    np.array_equal(part, ordered[start:stop]) and part.dtype == np.int64,
                    f"test_slice({i}, {start}, {stop}) is not that part of the test set sorted",
                )
            if not inst.duplicated_ids:
                require(
                    len(np.unique(train)) == len(train),
                    f"train_set({i}) has duplicated ids but duplicated_ids is False",
                )
            in_sample = np.array_equal(np.sort(train), np.sort(rows)) and np.array_equal(
                np.sort(test), np.sort(rows)
            )
            overlap = np.intersect1d(train, test)
            require(
                in_sample or overlap.size == 0,
                f"train_set({i}) and test_set({i}) share ids {overlap[:5]}",
            )
        require_raises(lambda: inst.train_set(iters), Mlr3pyError, f"train_set({iters})")
        copy = inst.clone()
        require(
            _same_sets(_sets(copy), _sets(inst)), "clone() of an instantiated resampling differs"
        )


def check_resampling_reproducible(
    resampling: Any, task: Any, seed: int = 1, instantiate_args: InstantiateArgs = None
) -> None:
    """Check that the same seed gives the same sets (as ``seed=`` or via ``np.random.seed``)."""
    with checking(_subject(resampling), "check_resampling_reproducible", task.id):
        a = _sets(_instantiate(resampling, task, seed, instantiate_args))
        b = _sets(_instantiate(resampling, task, seed, instantiate_args))
        require(_same_sets(a, b), f"two instantiations with seed {seed} gave different sets")
        runs = []
        for _ in range(2):
            seed_everything(seed)
            runs.append(_sets(_instantiate(resampling, task, None, instantiate_args)))
        require(
            _same_sets(*runs),
            f"with seed=None, two instantiations after np.random.seed({seed}) gave different sets",
        )


def check_resampling_stratified(
    resampling: Any, task: Any, seed: int = 1, instantiate_args: InstantiateArgs = None
) -> None:
    """Check that a random resampling honours the task's stratum role.

    In every training set, each stratum's row count (with repetitions) must be
    its proportional share up to rounding: within ``1 + (k - 1) * n_s / n`` of
    ``n_s * |train| / n`` for ``k`` strata. Resamplings whose sets do not
    depend on the seed (insample, loo, custom) pass without this check.
    """
    with checking(_subject(resampling), "check_resampling_stratified", task.id):
        if not _is_random(resampling, task, seed, instantiate_args):
            return
        inst = _instantiate(resampling, task, seed, instantiate_args)
        strata = task.data(cols=task.col_roles["stratum"]).astype(str).agg("|".join, axis=1)
        n = len(strata)
        sizes = strata.value_counts()
        k = len(sizes)
        for i in range(inst.iters):
            train = inst.train_set(i)
            counts = strata.loc[train].value_counts()
            for stratum, n_s in sizes.items():
                expected = n_s * len(train) / n
                dev = abs(int(counts.get(stratum, 0)) - expected)
                require(
                    dev <= 1 + (k - 1) * n_s / n + 1e-9,
                    f"train_set({i}) holds {int(counts.get(stratum, 0))} rows of stratum "
                    f"'{stratum}' where stratification gives {expected:.1f}",
                )


def check_resampling_grouped(
    resampling: Any, task: Any, seed: int = 1, instantiate_args: InstantiateArgs = None
) -> None:
    """Check that no group of the task's group role is split between or within sets."""
    with checking(_subject(resampling), "check_resampling_grouped", task.id):
        inst = _instantiate(resampling, task, seed, instantiate_args)
        groups = task.groups
        require(groups is not None, "the task has no group role")
        by_group = groups.groupby("group")["row_id"].apply(lambda s: set(s.tolist()))
        for i in range(inst.iters):
            train = set(inst.train_set(i).tolist())
            test = set(inst.test_set(i).tolist())
            in_sample = train == test
            for group, rows in by_group.items():
                for name, ids in (("train", train), ("test", test)):
                    part = len(rows & ids)
                    require(
                        part in (0, len(rows)),
                        f"{name}_set({i}) holds {part} of the {len(rows)} rows of group {group!r}",
                    )
                require(
                    in_sample or not (rows & train and rows & test),
                    f"group {group!r} is in both train_set({i}) and test_set({i})",
                )


def resampling_checks(
    resampling: Any, *, seed: int = 1, n: int = 30, instantiate_args: InstantiateArgs = None
) -> Iterator[Check]:
    """Yield the conformance checks for ``resampling`` as ``(name, callable)`` pairs.

    Parameters
    ----------
    resampling : Resampling
        The resampling (never modified: checks instantiate clones).
    seed : int
        Seed for instantiation.
    n : int
        Rows of the basic task.
    instantiate_args : mapping or callable, optional
        Extra arguments for ``instantiate()``, e.g. ``train_sets`` / ``test_sets``
        of a custom resampling; a callable gets the task and returns them.
    """
    tasks = resampling_tasks(n=n, seed=seed)
    basic, strata, groups = tasks.values()
    f = functools.partial
    yield "check_resampling_metadata", f(check_resampling_metadata, resampling)
    for task in tasks.values():
        yield (
            f"check_resampling_instantiate[{task.id}]",
            f(check_resampling_instantiate, resampling, task, seed, instantiate_args),
        )
    yield (
        f"check_resampling_reproducible[{basic.id}]",
        f(check_resampling_reproducible, resampling, basic, seed, instantiate_args),
    )
    yield (
        f"check_resampling_stratified[{strata.id}]",
        f(check_resampling_stratified, resampling, strata, seed, instantiate_args),
    )
    yield (
        f"check_resampling_grouped[{groups.id}]",
        f(check_resampling_grouped, resampling, groups, seed, instantiate_args),
    )


def check_resampling(
    resampling: Any,
    *,
    seed: int = 1,
    n: int = 30,
    instantiate_args: InstantiateArgs = None,
    exclude: Iterable[str] = (),
) -> None:
    """Run every resampling conformance check; raise on the first failure.

    Parameters
    ----------
    resampling : Resampling
        The resampling to check (not modified).
    seed : int
        Seed for instantiation.
    n : int
        Rows of the basic generated task.
    instantiate_args : mapping or callable, optional
        Extra arguments for ``instantiate()`` (see :func:`resampling_checks`).
    exclude : iterable of str
        Skip checks whose name contains one of these substrings.

    Raises
    ------
    ConformanceError
        Naming the resampling, the check and the task that failed.

    Examples
    --------
    >>> from mlr3py import rsmp
    >>> check_resampling(rsmp("cv", folds=3))
    """
    run_checks(
        resampling_checks(resampling, seed=seed, n=n, instantiate_args=instantiate_args), exclude
    )
