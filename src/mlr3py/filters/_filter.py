"""Filter base class, its registry ``mlr_filters`` and the sugar ``flt()`` / ``flts()``.

A filter scores each feature of a task (mlr3filters' ``Filter``): higher scores
mean more useful features. :meth:`Filter.calculate` validates the task, scores the
features whose type the filter supports, and stores the scores in
:attr:`Filter.scores`, sorted from best to worst. :func:`select_features` then picks
features by number, fraction or cutoff.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from mlr3py._identified import Identified
from mlr3py.errors import ConfigError, InputError
from mlr3py.params import ParamSet, ps
from mlr3py.reflections import FEATURE_TYPES, TASK_TYPES
from mlr3py.registry import Dictionary, apply_kwargs
from mlr3py.tasks import Task, TaskSupervised

__all__ = ["FILTER_PROPERTIES", "Filter", "flt", "flts", "mlr_filters", "sort_scores"]

FILTER_PROPERTIES: frozenset[str] = frozenset({"missings"})
"""Properties a filter may declare: ``"missings"`` (it scores features with missing
values)."""


def sort_scores(scores: pd.Series) -> pd.Series:
    """Scores sorted from best to worst: descending, ties in their given order, NaN last.

    Parameters
    ----------
    scores : pandas.Series
        One float per feature, indexed by feature name.

    Returns
    -------
    pandas.Series
        A new series, float64.
    """
    values = scores.to_numpy(dtype=float)
    # a stable sort of the negated scores keeps ties in the given order; NaN sorts last
    order = np.argsort(-values, kind="stable")
    return pd.Series(values[order], index=scores.index[order], dtype=float,
                     name=scores.name)


class Filter(Identified):
    """Base class of feature filters (mlr3filters' ``Filter``).

    A subclass implements :meth:`_calculate`; the public :meth:`calculate`
    validates the task and sorts the scores.

    Parameters
    ----------
    id : str
        Key of the filter, e.g. ``"variance"``.
    task_types : iterable of str
        Task types the filter scores: ``"classif"`` and / or ``"regr"``.
    feature_types : iterable of str
        Feature types it scores (see :data:`mlr3py.reflections.FEATURE_TYPES`).
        Features of other types are not scored (they are absent from
        :attr:`scores`), so a task with a mix of types can be given as it is.
    param_set : ParamSet, optional
        The filter's control parameters; a parameter tagged ``"threads"`` is set
        by :func:`~mlr3py.execution.set_threads`.
    properties : iterable of str
        ``"missings"`` if the filter scores features with missing values.
        A subclass whose properties depend on its parameter values overrides
        ``_get_properties()``.
    task_properties : iterable of str
        Properties the task must have, e.g. ``"twoclass"``.
    packages : iterable of str
        Python packages the filter needs.
    label : str, optional
        A one-line description.

    Attributes
    ----------
    scores : pandas.Series or None
        After :meth:`calculate`: one float per scored feature (index: feature
        names, name ``"score"``), higher is better, sorted descending with ties in
        the task's feature order and NaN last (all NaN for a task without rows).
        ``None`` before.

    Examples
    --------
    >>> from mlr3py import tsk
    >>> from mlr3py.filters import flt
    >>> scores = flt("variance").calculate(tsk("mtcars")).scores
    >>> scores.index[0]
    'disp'
    """

    _kind: ClassVar[str] = "Filter"

    def __init__(
        self,
        id: str,  # noqa: A002 - mlr3's name
        task_types: Iterable[str],
        feature_types: Iterable[str],
        param_set: ParamSet | None = None,
        properties: Iterable[str] = (),
        task_properties: Iterable[str] = (),
        packages: Iterable[str] = (),
        label: str | None = None,
    ) -> None:
        self.param_set = param_set if param_set is not None else ps()
        self.id = id
        self.label = label
        self.task_types = _checked(id, "task_types", task_types, TASK_TYPES)
        self.feature_types = _checked(id, "feature_types", feature_types, FEATURE_TYPES)
        self._properties = _checked(id, "properties", properties, FILTER_PROPERTIES)
        self.task_properties = tuple(task_properties)
        self.packages = tuple(packages)
        self.scores: pd.Series | None = None

    # ------------------------------------------------------------------ public
    @property
    def properties(self) -> tuple[str, ...]:
        """The filter's properties (``"missings"``); some depend on parameter values,
        e.g. ``variance`` handles missing values only with ``na_rm=True``."""
        return self._get_properties()

    def _get_properties(self) -> tuple[str, ...]:
        return self._properties

    def calculate(self, task: Task, nfeat: int | None = None) -> Filter:
        """Score the features of ``task`` and store the result in :attr:`scores`.

        Parameters
        ----------
        task : Task
            A task of one of :attr:`task_types` with :attr:`task_properties`.
        nfeat : int, optional
            How many of the best features are needed. A hint: a filter that
            selects features one by one (``mrmr``) may stop after ``nfeat`` and
            give the rest lower scores; others ignore it.

        Returns
        -------
        Filter
            ``self``.

        Raises
        ------
        InputError
            For a task of another type, without a required property, or with missing
            values in a scored feature when the filter lacks the ``"missings"``
            property.
        ConfigError
            For an ``nfeat`` that is not an int >= 0.
        """
        if not isinstance(task, TaskSupervised):
            raise InputError(
                f"Filter '{self.id}' needs a supervised Task (classif or regr) to calculate(). "
                f"Got {type(task).__name__} instead."
            )
        if task.task_type not in self.task_types:
            raise InputError(
                f"Filter '{self.id}' scores tasks of type {list(self.task_types)}; Task "
                f"'{task.id}' is of type '{task.task_type}'. "
                f"{self._task_type_advice(task.task_type)}"
            )
        missing_props = [p for p in self.task_properties if p not in task.properties]
        if missing_props:
            raise InputError(
                f"Filter '{self.id}' needs a task with properties {missing_props}; Task "
                f"'{task.id}' has {sorted(task.properties)}."
            )
        if nfeat is not None and (isinstance(nfeat, bool) or not isinstance(nfeat, int)
                                  or nfeat < 0):
            raise ConfigError(
                f"The 'nfeat' argument of calculate() of Filter '{self.id}' must be an int "
                f">= 0 or None. Got {nfeat!r} instead."
            )
        features = self.supported_features(task)
        if "missings" not in self.properties and features:
            counts = task.missings(features)
            with_na = [str(name) for name, count in counts.items() if count > 0]
            if with_na:
                shown = ", ".join(f"'{f}'" for f in with_na[:10])
                raise InputError(
                    f"Filter '{self.id}' cannot score features with missing values; Task "
                    f"'{task.id}' has missing values in {shown}. Impute them first."
                )
        if not features or task.nrow == 0:
            raw: Any = np.full(len(features), np.nan)
        else:
            scored = task if features == task.feature_names else task.clone().select(features)
            n = len(features) if nfeat is None else min(nfeat, len(features))
            raw = self._calculate(scored, n)
        self.scores = sort_scores(self._as_series(raw, features))
        return self

    def as_data_frame(self) -> pd.DataFrame:
        """The scores as a table, best first: columns ``feature`` and ``score``
        (mlr3filters' ``as.data.table(filter)``).

        Raises
        ------
        InputError
            Before :meth:`calculate`.
        """
        if self.scores is None:
            raise InputError(
                f"Filter '{self.id}' has no scores yet; call calculate(task) first."
            )
        return pd.DataFrame({"feature": self.scores.index.astype(str).to_list(),
                             "score": self.scores.to_numpy(dtype=float)})

    def supported_features(self, task: Task) -> list[str]:
        """The features of ``task`` whose type this filter scores, in task order."""
        keep = set(self.feature_types)
        return [f for f, t in task.col_types().items() if t in keep]

    # ------------------------------------------------------------------ hooks
    def _calculate(
        self, task: TaskSupervised, nfeat: int
    ) -> pd.Series | np.ndarray | Mapping[str, float]:
        """Score the features of ``task`` (all of a supported type, at least one row).

        Returns a series or mapping indexed by feature name, or an array in the
        order of ``task.feature_names``.
        """
        raise NotImplementedError(f"Filter '{self.id}' does not implement _calculate().")

    def _task_type_advice(self, task_type: str) -> str:
        """What to do about a task of another type (the end of the error message)."""
        return f"Use a filter for {task_type} tasks."

    def _values(self) -> dict[str, Any]:
        """The control parameters, defaults filled in."""
        values = dict(self.param_set.default)
        values.update(self.param_set.get_values())
        return values

    # ------------------------------------------------------------------ helpers
    def _as_series(self, raw: Any, features: list[str]) -> pd.Series:
        if isinstance(raw, Mapping | pd.Series):
            series = pd.Series(dict(raw) if isinstance(raw, Mapping) else raw, dtype=float)
            extra = [str(k) for k in series.index if k not in set(features)]
            absent = [f for f in features if f not in series.index]
            if extra or absent or series.index.has_duplicates:
                raise ConfigError(
                    f"Filter '{self.id}' returned scores for {sorted(map(str, series.index))} "
                    f"but must score exactly the features {features}."
                )
            series = series.reindex(features)
        else:
            values = np.asarray(raw, dtype=float).ravel()
            if len(values) != len(features):
                raise ConfigError(
                    f"Filter '{self.id}' returned {len(values)} scores for {len(features)} "
                    f"features."
                )
            series = pd.Series(values, index=pd.Index(features, dtype=object), dtype=float)
        series.name = "score"
        series.index.name = "feature"
        return series

    def clone(self) -> Filter:
        """An independent deep copy (parameter values and scores included)."""
        return copy.deepcopy(self)

    def _dict_row(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "task_types": list(self.task_types),
            "task_properties": list(self.task_properties),
            "params": list(self.param_set.ids()),
            "feature_types": list(self.feature_types),
            "packages": list(self.packages),
        }

    def __repr__(self) -> str:
        values = self.param_set.get_values()
        shown = ", ".join(f"{k}={v!r}" for k, v in values.items())
        state = "not calculated" if self.scores is None else f"{len(self.scores)} scores"
        return f"<{type(self).__name__}:{self.id}>({shown}) {state}"


def _checked(id_: str, what: str, values: Iterable[str], allowed: Iterable[str]) -> tuple[str, ...]:
    out = tuple(values)
    allowed_set = set(allowed)
    unknown = [v for v in out if v not in allowed_set]
    if unknown:
        raise ConfigError(
            f"Filter '{id_}' has unknown {what} {unknown}; allowed are {sorted(allowed_set)}."
        )
    return out


mlr_filters: Dictionary[Filter] = Dictionary("mlr_filters", "Filter")


_FIRST_FIELDS = ("learner", "resampling", "measure")
"""Fields set before the others: they decide the parameters and the task type."""


def flt(key: str, **kwargs: Any) -> Filter:
    """Build the filter registered under ``key`` in ``mlr_filters``.

    Keyword arguments set fields (``id=...``, ``learner=...``) and then parameter
    values (``flt("mrmr", threads=2)``), so that a filter whose parameters are its
    learner's takes them in the same call:
    ``flt("importance", learner=lrn("classif.ranger"), n_estimators=50)``.

    Examples
    --------
    >>> from mlr3py.filters import flt
    >>> flt("variance").id
    'variance'
    """
    obj = mlr_filters.get(key)
    cls = type(obj)
    fields = {k: v for k, v in kwargs.items() if isinstance(getattr(cls, k, None), property)}
    ordered = sorted(fields, key=lambda k: _FIRST_FIELDS.index(k) if k in _FIRST_FIELDS
                     else len(_FIRST_FIELDS))
    what = f"Filter '{key}'"
    apply_kwargs(obj, {k: fields[k] for k in ordered}, what)
    return apply_kwargs(obj, {k: v for k, v in kwargs.items() if k not in fields}, what)


def flts(keys: Iterable[str], **kwargs: Any) -> list[Filter]:
    """Build one filter per key, each with the same keyword arguments."""
    return [flt(key, **kwargs) for key in keys]
