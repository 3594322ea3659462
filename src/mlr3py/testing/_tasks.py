"""Small generated tasks matching a learner's declared properties (mlr3's ``generate_tasks``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

import mlr3py.reflections as reflections
from mlr3py.data import DataBackendPandas
from mlr3py.tasks import TaskClassif, TaskRegr, as_task_classif, as_task_regr

__all__ = ["FEATURE_TYPES", "generate_data", "generate_tasks", "make_task", "with_missings"]

_GENERATED_FIRST = ("numeric", "integer", "logical", "factor", "ordered")

#: The feature types a task column can have (:data:`mlr3py.reflections.FEATURE_TYPES`), in
#: the order generated data frames hold them.
FEATURE_TYPES: tuple[str, ...] = (
    *_GENERATED_FIRST,
    *(t for t in reflections.FEATURE_TYPES if t not in _GENERATED_FIRST),
)


def _feature(ftype: str, n: int, rng: np.random.Generator) -> Any:
    if ftype == "numeric":
        return rng.uniform(size=n)
    if ftype == "integer":
        return rng.permutation(np.resize(np.array([1, 2, 3], dtype=np.int64), n))
    if ftype == "logical":
        return rng.permutation(np.resize(np.array([True, False]), n))
    if ftype == "factor":
        values = rng.permutation(np.resize(np.array(["f1", "f2"], dtype=object), n))
        return pd.Categorical(values, categories=["f1", "f2"])
    if ftype == "ordered":
        values = rng.permutation(np.resize(np.array(["o1", "o2"], dtype=object), n))
        return pd.Categorical(values, categories=["o1", "o2"], ordered=True)
    if ftype == "character":
        return rng.permutation(np.resize(np.array(["a", "b"], dtype=object), n)).tolist()
    if ftype == "POSIXct":
        seconds = rng.integers(0, 10 * 365 * 24 * 3600, size=n)
        return pd.Timestamp("2020-01-01") + pd.to_timedelta(seconds, unit="s")
    raise ValueError(
        f"Unknown feature type '{ftype}'. Use one of: {', '.join(FEATURE_TYPES)}."
    )


def generate_data(feature_types: Iterable[str], n: int, rng: np.random.Generator) -> pd.DataFrame:
    """One column per feature type, named after the type, with ``n`` rows.

    Parameters
    ----------
    feature_types : iterable of str
        Types among :data:`FEATURE_TYPES`; generated in the order of that tuple.
    n : int
        Number of rows.
    rng : numpy.random.Generator
        Source of randomness.

    Returns
    -------
    pandas.DataFrame
    """
    wanted = set(feature_types)
    return pd.DataFrame({t: _feature(t, n, rng) for t in FEATURE_TYPES if t in wanted})


def make_task(
    task_type: str, data: pd.DataFrame, target: str, task_id: str, positive: str | None = None
) -> Any:
    """Build a classification or regression task from a data frame.

    Parameters
    ----------
    task_type : {"classif", "regr"}
        The kind of task.
    data : pandas.DataFrame
        Target and feature columns.
    target : str
        The target column.
    task_id : str
        The task's id.
    positive : str or None
        The positive class (twoclass classification only).

    Returns
    -------
    Task
    """
    if task_type not in reflections.TASK_TYPES:
        raise ValueError(
            f"Unknown task type '{task_type}'. Use "
            f"{' or '.join(repr(t) for t in reflections.TASK_TYPES)}."
        )
    features = data.drop(columns=[target])
    if any(_is_character(features[c]) for c in features.columns):
        # a backend is used as it is, so string features stay "character" (as_task_* would
        # turn them into factors)
        if task_type == "regr":
            return TaskRegr(task_id, DataBackendPandas(data), target)
        data = data.assign(**{target: pd.Categorical(data[target].astype(object))})
        return TaskClassif(task_id, DataBackendPandas(data), target, positive)
    if task_type == "classif":
        return as_task_classif(data, target=target, id=task_id, positive=positive)
    return as_task_regr(data, target=target, id=task_id)


def _is_character(col: pd.Series) -> bool:
    return not isinstance(col.dtype, pd.CategoricalDtype) and (
        col.dtype == object or pd.api.types.is_string_dtype(col.dtype)
    )


def _target(task_type: str, n_classes: int, n: int, rng: np.random.Generator) -> Any:
    if task_type == "regr":
        return rng.normal(size=n)
    labels = np.resize(np.array(["A", "B", "C"][:n_classes], dtype=object), n)
    return pd.Categorical(labels, categories=["A", "B", "C"][:n_classes])


def with_missings(data: pd.DataFrame, features: list[str]) -> pd.DataFrame:
    """Put a missing value into every row (mlr3's ``missings_each_row``).

    Row ``i`` misses feature ``i % k``, so no row is complete (dropping
    incomplete rows is no way out) while each feature stays mostly observed;
    with a single feature every other row misses it.
    """
    data = data.copy()
    k = len(features)
    positions = np.arange(len(data))
    for j, feature in enumerate(features):
        col = data[feature]
        if col.dtype == bool:
            col = col.astype("boolean")
        elif pd.api.types.is_integer_dtype(col.dtype):
            col = col.astype("Int64")
        rows = positions[positions % 2 == 0] if k == 1 else positions[positions % k == j]
        col = col.copy()
        col.iloc[rows] = None
        data[feature] = col
    return data


def _generic_tasks(
    learner: Any, proto: pd.DataFrame, task_type: str, suffix: str, positive: str | None,
    rng: np.random.Generator,
) -> dict[str, Any]:
    features = [c for c in proto.columns if c != "target"]
    tasks: dict[str, Any] = {}
    if len(features) > 1:
        for feature in features:
            tid = f"feat_single_{feature}{suffix}"
            tasks[tid] = make_task(task_type, proto[["target", feature]], "target", tid, positive)
    tid = f"feat_all{suffix}"
    tasks[tid] = make_task(task_type, proto, "target", tid, positive)
    if "missings" in learner.properties and features:
        tid = f"missings{suffix}"
        data = with_missings(proto, features)
        tasks[tid] = make_task(task_type, data, "target", tid, positive)
    if "weights" in learner.properties:
        tid = f"weights{suffix}"
        data = proto.assign(weights=rng.uniform(0.1, 1.0, size=len(proto)))
        task = make_task(task_type, data, "target", tid, positive)
        task.set_col_roles(["weights"], roles=["weights_learner"])
        tasks[tid] = task
    return tasks


def _sanity_tasks(task_type: str) -> dict[str, Any]:
    rng = np.random.default_rng(100)
    tasks: dict[str, Any] = {}
    if task_type == "classif":
        x = np.concatenate([rng.normal(0, 1, 100), rng.normal(10, 1, 100)])
        labels = np.repeat(np.array(["A", "B"], dtype=object), 100)
        y = pd.Categorical(labels, categories=["A", "B"])
        data = pd.DataFrame({"y": y, "x": x, "unimportant": rng.uniform(0, 3, 200)})
        tasks["sanity"] = make_task(task_type, data, "y", "sanity", positive="A")
        # the other label as positive class detects label switches
        tasks["sanity_switched"] = make_task(task_type, data, "y", "sanity_switched", positive="B")
    else:
        target = np.linspace(-10, 10, 100)
        data = pd.DataFrame(
            {"y": target, "x": target + rng.normal(1, 1, 100),
             "unimportant": rng.uniform(0, 1, 100)}
        )
        tasks["sanity"] = make_task(task_type, data, "y", "sanity")
    return tasks


def generate_tasks(learner: Any, n: int = 30, seed: int = 1) -> dict[str, Any]:
    """Generate small tasks that ``learner`` declares it can handle.

    Mirrors mlr3's ``generate_tasks()``. For classification learners, tasks are
    built for two classes (if ``"twoclass"`` is a property, suffix ``_twoclass``)
    and for three classes (if ``"multiclass"`` is, suffix ``_multiclass``); for
    regression once (no suffix). Each set holds

    - ``feat_single_<type>``: one task per supported feature type (when the
      learner supports more than one),
    - ``feat_all``: all supported feature types together,
    - ``missings``: every row misses one feature value (if ``"missings"``),
    - ``weights``: a ``weights_learner`` column (if ``"weights"``),

    plus ``sanity`` tasks (an easy signal and an unimportant feature; for
    classification also ``sanity_switched`` with the other positive class)
    when the learner supports numeric features.

    Parameters
    ----------
    learner : Learner
        The learner; its ``task_type``, ``properties`` and ``feature_types`` are read.
    n : int
        Number of rows of the generated tasks (at least 10).
    seed : int
        Seed of the data generation; the same seed gives the same tasks.

    Returns
    -------
    dict of str to Task
        Keyed by task id, in a stable order.

    Examples
    --------
    >>> from mlr3py import lrn
    >>> tasks = generate_tasks(lrn("classif.rpart"))
    >>> sorted(tasks)[:2]
    ['feat_all_multiclass', 'feat_all_twoclass']
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 10:
        raise ValueError(f"generate_tasks() needs an int n >= 10. Got {n!r} instead.")
    rng = np.random.default_rng(seed)
    task_type = learner.task_type
    ftypes = [t for t in FEATURE_TYPES if t in set(learner.feature_types)]
    tasks: dict[str, Any] = {}
    if task_type == "classif":
        for n_classes, prop in ((2, "twoclass"), (3, "multiclass")):
            if prop not in learner.properties:
                continue
            proto = generate_data(ftypes, n, rng)
            proto.insert(0, "target", _target(task_type, n_classes, n, rng))
            positive = "A" if n_classes == 2 else None
            tasks.update(_generic_tasks(learner, proto, task_type, f"_{prop}", positive, rng))
    elif task_type == "regr":
        proto = generate_data(ftypes, n, rng)
        proto.insert(0, "target", _target(task_type, 0, n, rng))
        tasks.update(_generic_tasks(learner, proto, task_type, "", None, rng))
    else:
        raise ValueError(
            f"generate_tasks() supports learners of task type 'classif' or 'regr'. "
            f"Got '{task_type}' instead."
        )
    if "numeric" in ftypes:
        tasks.update(_sanity_tasks(task_type))
    return tasks
