"""Conformance checks for feature filters."""

from __future__ import annotations

import math
import pickle
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from mlr3py.errors import InputError
from mlr3py.reflections import TASK_TYPES
from mlr3py.testing._base import (
    Check,
    checking,
    require,
    require_raises,
    run_checks,
    seed_everything,
)
from mlr3py.testing._tasks import generate_data, make_task

__all__ = [
    "check_filter",
    "check_filter_deterministic",
    "check_filter_feature_types",
    "check_filter_metadata",
    "check_filter_nfeat",
    "check_filter_param_set",
    "check_filter_pickle",
    "check_filter_scores",
    "check_filter_task_type",
    "check_filter_threads",
    "filter_checks",
]


def _subject(flt: Any) -> str:
    return f"Filter '{getattr(flt, 'id', type(flt).__name__)}'"


def _scores(flt: Any, task: Any, seed: int, nfeat: int | None = None) -> pd.Series:
    fresh = flt.clone()
    seed_everything(seed)
    out = fresh.calculate(task, nfeat) if nfeat is not None else fresh.calculate(task)
    require(out is fresh, "calculate() must return the filter itself")
    return fresh.scores


def _same(a: pd.Series, b: pd.Series, rtol: float = 0.0) -> bool:
    if list(a.index) != list(b.index):
        return False
    return bool(np.allclose(a.to_numpy(dtype=float), b.to_numpy(dtype=float), rtol=rtol,
                            atol=0.0, equal_nan=True))


def check_filter_metadata(flt: Any) -> None:
    """Check the class, id, task and feature types, properties, packages, ``repr()`` and
    that ``clone()`` is independent."""
    from mlr3py.filters import FILTER_PROPERTIES, Filter
    from mlr3py.reflections import FEATURE_TYPES

    with checking(_subject(flt), "check_filter_metadata"):
        require(isinstance(flt, Filter), f"a filter must subclass Filter, got {type(flt)}")
        require(isinstance(flt.id, str) and flt.id, "id must be a non-empty str")
        require(flt.task_types and set(flt.task_types) <= set(TASK_TYPES),
                f"task_types must be a non-empty subset of {TASK_TYPES}, got {flt.task_types}")
        require(flt.feature_types and set(flt.feature_types) <= set(FEATURE_TYPES),
                f"feature_types must be a non-empty subset of {FEATURE_TYPES}, got "
                f"{flt.feature_types}")
        require(set(flt.properties) <= FILTER_PROPERTIES,
                f"properties must be a subset of {sorted(FILTER_PROPERTIES)}, got "
                f"{flt.properties}")
        require(all(isinstance(p, str) for p in flt.packages), "packages must be strs")
        require(flt.id in repr(flt), f"repr() must name the id, got {repr(flt)!r}")
        copy = flt.clone()
        require(copy is not flt and copy.param_set is not flt.param_set,
                "clone() must copy the filter and its param_set")


def check_filter_param_set(flt: Any) -> None:
    """Check that the values and the defaults are valid for the filter's ParamSet and that
    ``threads``-tagged parameters are integers."""
    from mlr3py.params import ParamInt

    with checking(_subject(flt), "check_filter_param_set"):
        param_set = flt.param_set
        values = dict(param_set.values)
        unknown = sorted(set(values) - set(param_set.ids()))
        require(not unknown, f"param_set.values names unknown parameters {unknown}")
        result = param_set.check(values)
        require(result is True, f"the parameter values {values} are invalid: {result}")
        defaults = dict(param_set.default)
        result = param_set.check(defaults, check_required=False)
        require(result is True, f"the parameter defaults {defaults} are invalid: {result}")
        for pid in param_set.ids(tags="threads"):
            require(isinstance(param_set.params[pid], ParamInt),
                    f"the 'threads'-tagged parameter '{pid}' must be an integer parameter")


def check_filter_scores(flt: Any, task: Any, seed: int = 1) -> None:
    """Check the scores: a float Series over exactly the task's features of supported
    types, sorted descending with ties in task order and NaN last; the task unchanged."""
    with checking(_subject(flt), "check_filter_scores", task.id):
        features_before, nrow_before = list(task.feature_names), task.nrow
        scores = _scores(flt, task, seed)
        require(task.feature_names == features_before and task.nrow == nrow_before,
                "calculate() must not change the task")
        require(isinstance(scores, pd.Series), f"scores must be a Series, got {type(scores)}")
        require(scores.dtype == np.float64, f"scores must be float64, got {scores.dtype}")
        supported = flt.supported_features(task)
        require(not scores.index.has_duplicates, "scores name a feature twice")
        require(set(scores.index) == set(supported),
                f"scores must cover exactly the supported features {supported}, got "
                f"{list(scores.index)}")
        values = scores.to_numpy()
        finite = values[~np.isnan(values)]
        require(not np.isnan(values[: len(finite)]).any(), "NaN scores must come last")
        require(bool(np.all(finite[:-1] >= finite[1:])), "scores must be sorted descending")
        position = {f: i for i, f in enumerate(task.feature_names)}
        for i in range(len(values) - 1):
            same = values[i] == values[i + 1] or (math.isnan(values[i])
                                                  and math.isnan(values[i + 1]))
            if same:
                a, b = scores.index[i], scores.index[i + 1]
                require(position[a] < position[b],
                        f"tied features '{a}' and '{b}' must keep the task's feature order")


def check_filter_deterministic(flt: Any, task: Any, seed: int = 1) -> None:
    """Check that two calculations under the same seed give the same scores."""
    with checking(_subject(flt), "check_filter_deterministic", task.id):
        first, second = _scores(flt, task, seed), _scores(flt, task, seed)
        require(_same(first, second),
                f"two calculations with seed {seed} differ:\n{first}\n{second}")


def check_filter_pickle(flt: Any, task: Any, seed: int = 1) -> None:
    """Check that a filter pickles before and after calculating, keeping its scores."""
    with checking(_subject(flt), "check_filter_pickle", task.id):
        fresh = pickle.loads(pickle.dumps(flt.clone()))
        seed_everything(seed)
        fresh.calculate(task)
        again = pickle.loads(pickle.dumps(fresh))
        require(_same(again.scores, fresh.scores), "unpickled scores differ")
        require(again.param_set.get_values() == fresh.param_set.get_values(),
                "unpickled parameter values differ")
        require(_same(fresh.scores, _scores(flt, task, seed)),
                "an unpickled filter must score as the original")


def check_filter_nfeat(flt: Any, task: Any, seed: int = 1) -> None:
    """Check that ``calculate(task, nfeat=1)`` still scores every supported feature and
    puts the same feature first."""
    with checking(_subject(flt), "check_filter_nfeat", task.id):
        full = _scores(flt, task, seed)
        if len(full) == 0:
            return
        one = _scores(flt, task, seed, nfeat=1)
        require(set(one.index) == set(full.index),
                "calculate(task, nfeat=1) must still score every supported feature")
        require(one.index[0] == full.index[0],
                f"the best feature with nfeat=1 is '{one.index[0]}', without it "
                f"'{full.index[0]}'")


def check_filter_threads(flt: Any, task: Any, seed: int = 1) -> None:
    """Check that a filter with ``threads``-tagged parameters gives the same scores with
    1 and 2 threads (up to rounding)."""
    from mlr3py.execution import set_threads

    with checking(_subject(flt), "check_filter_threads", task.id):
        if not list(flt.param_set.ids(tags="threads")):
            return
        one = _scores(set_threads(flt.clone(), 1), task, seed)
        two = _scores(set_threads(flt.clone(), 2), task, seed)
        require(_same(one, two, rtol=1e-9), f"1 and 2 threads differ:\n{one}\n{two}")


def check_filter_feature_types(flt: Any, task: Any, seed: int = 1) -> None:
    """Check that a feature of an unsupported type is left unscored and the others keep
    their scores."""
    from mlr3py.reflections import FEATURE_TYPES

    with checking(_subject(flt), "check_filter_feature_types", task.id):
        other = [t for t in FEATURE_TYPES if t not in flt.feature_types and t != "POSIXct"]
        if not other:
            return
        data = task.data()
        extra = generate_data([other[0]], task.nrow, np.random.default_rng(seed))
        name = "unsupported_" + other[0]
        data[name] = extra[other[0]].to_numpy()
        positive = getattr(task, "positive", None)
        mixed = make_task(task.task_type, data.reset_index(drop=True), task.target_names[0],
                          task.id + "_mixed", positive=positive)
        scores = _scores(flt, mixed, seed)
        require(name not in scores.index,
                f"the {other[0]} feature '{name}' is not of a supported type and must not "
                "be scored")
        require(_same(scores, _scores(flt, task, seed), rtol=1e-9),
                "a feature of an unsupported type changed the other scores")


def check_filter_task_type(flt: Any, seed: int = 1) -> None:
    """Check that a task of an unsupported type raises :class:`InputError`."""
    with checking(_subject(flt), "check_filter_task_type"):
        others = [t for t in TASK_TYPES if t not in flt.task_types]
        if not others:
            return
        rng = np.random.default_rng(seed)
        data = generate_data(["numeric"], 20, rng)
        data["y"] = (np.resize(np.array(["a", "b"], dtype=object), 20) if others[0] == "classif"
                     else rng.uniform(size=20))
        task = make_task(others[0], data, "y", "other_type")
        require_raises(lambda: flt.clone().calculate(task), InputError,
                       f"calculating on a {others[0]} task")


def filter_checks(flt: Any, task: Any, seed: int = 1) -> list[Check]:
    """The conformance checks of ``flt`` on ``task`` as ``(name, callable)`` pairs."""
    return [
        ("check_filter_metadata", lambda: check_filter_metadata(flt)),
        ("check_filter_param_set", lambda: check_filter_param_set(flt)),
        ("check_filter_task_type", lambda: check_filter_task_type(flt, seed)),
        ("check_filter_scores", lambda: check_filter_scores(flt, task, seed)),
        ("check_filter_deterministic", lambda: check_filter_deterministic(flt, task, seed)),
        ("check_filter_pickle", lambda: check_filter_pickle(flt, task, seed)),
        ("check_filter_nfeat", lambda: check_filter_nfeat(flt, task, seed)),
        ("check_filter_threads", lambda: check_filter_threads(flt, task, seed)),
        ("check_filter_feature_types", lambda: check_filter_feature_types(flt, task, seed)),
    ]


def check_filter(flt: Any, task: Any, *, seed: int = 1, exclude: Iterable[str] = ()) -> None:
    """Run every filter conformance check on ``task``; raise on the first failure.

    Parameters
    ----------
    flt : Filter
        The filter to check (not modified: the checks calculate on clones).
    task : Task
        A task the filter supports, e.g. ``tsk("sonar")`` for a classification filter.
    seed : int
        Seed of numpy's global generator and :mod:`random` before each calculation.
    exclude : iterable of str
        Skip checks whose name contains one of these substrings.

    Raises
    ------
    ConformanceError
        An ``AssertionError`` naming the filter, the check and the task that failed.

    Examples
    --------
    >>> from mlr3py import tsk
    >>> from mlr3py.filters import flt
    >>> from mlr3py.testing import check_filter
    >>> check_filter(flt("variance"), tsk("mtcars"))
    """
    run_checks(filter_checks(flt, task, seed), exclude)
