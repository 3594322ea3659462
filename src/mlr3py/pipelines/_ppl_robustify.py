"""``ppl("robustify", task, learner)``: the preprocessing a learner needs to work on a task
(mlr3pipelines' ``pipeline_robustify``)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from mlr3py.errors import ConfigError
from mlr3py.learners import Learner
from mlr3py.pipelines._graph import Graph, as_graph, chain
from mlr3py.pipelines._preproc import selector_type
from mlr3py.pipelines._registry import po
from mlr3py.tasks import Task

__all__ = ["pipeline_robustify"]

_ACTIONS = {
    "ordered_action": ("factor", "numeric", "integer", "ignore"),
    "character_action": ("factor", "ignore"),
    "POSIXct_action": ("numeric", "ignore"),
}


def _as_factor(values: pd.Series) -> pd.Categorical:
    """Characters (or ordered factors) as an unordered factor (R's ``as.factor``)."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return pd.Categorical(values, categories=values.cat.categories, ordered=False)
    return pd.Categorical(values.astype(object).where(values.notna()))


def _ordered_codes(values: pd.Series) -> np.ndarray:
    """An ordered factor as its level numbers 1, 2, ... (R's ``as.numeric``); NaN when missing."""
    codes = np.asarray(values.cat.codes, dtype=float) + 1
    codes[codes == 0] = np.nan
    return codes


def _seconds(values: pd.Series) -> np.ndarray:
    """Date-times as seconds since 1970 (R's ``as.numeric`` on POSIXct); NaN when missing."""
    stamps = pd.to_datetime(values)
    out = stamps.astype("int64").to_numpy(dtype=float) / 1e9
    out[stamps.isna().to_numpy()] = np.nan
    return np.asarray(out)


def _resolve(action: str, kind: str, arg: str, task_has: bool, learner: Learner | None) -> str:
    """The action for feature type ``kind``: ``"<action>"`` applies only when the task has
    the type and the learner cannot handle it; ``"<action>!"`` always; ``"ignore"`` never."""
    base = action.rstrip("!")
    if base not in _ACTIONS[arg]:
        raise ConfigError(
            f"The '{arg}' of ppl('robustify') must be one of "
            f"{[a + s for a in _ACTIONS[arg] for s in ('', '!')]}. Got {action!r} instead.")
    if base == "ignore" or action.endswith("!"):
        return base
    handles = learner is not None and kind in learner.feature_types
    return base if task_has and not handles else "ignore"


def pipeline_robustify(task: Task | None = None, learner: Learner | None = None,
                       impute_missings: bool | None = None,
                       factors_to_numeric: bool | None = None,
                       max_cardinality: float = 1000, ordered_action: str = "factor",
                       character_action: str = "factor",
                       POSIXct_action: str = "numeric") -> Graph:  # noqa: N803 - mlr3's name
    """The preprocessing a learner needs to work on a task (mlr3pipelines' ``robustify``).

    In this order, each step only where needed: drop constant features; characters
    to factors (``character_action``), date-times to seconds (``POSIXct_action``),
    ordered factors to factors or numbers (``ordered_action``); where missing
    values must go, missing indicators for numeric and logical features
    (``missing_<feature>``), imputation of numbers from their histogram, of
    logicals by sampling, and of factors by an out-of-range level ``.MISSING``;
    ``fixfactors`` (levels unseen in training become missing) and a sampled
    imputation of the missing values this makes; ``collapsefactors`` down to
    ``max_cardinality`` levels; one-hot encoding where the learner cannot handle
    factors; finally constant features are dropped again.

    Parameters
    ----------
    task : Task, optional
        The task; without it every step that could be needed is added.
    learner : Learner, optional
        The learner; without it, it is taken to handle neither missing values
        nor factors.
    impute_missings : bool, optional
        Impute; default: when the task has missing values (or is not given) and
        the learner lacks the property ``"missings"``.
    factors_to_numeric : bool, optional
        One-hot encode factors; default: when the task has factors and the learner
        lacks the feature type ``"factor"``.
    max_cardinality : int or math.inf
        Collapse factors with more levels than this (default 1000).
    ordered_action : {"factor", "numeric", "integer", "ignore"}
        What to do with ordered factors; a trailing ``"!"`` applies it even when
        the task has none or the learner handles them.
    character_action : {"factor", "ignore"}
        What to do with character features (``"!"`` as above).
    POSIXct_action : {"numeric", "ignore"}
        What to do with date-time features (``"!"`` as above).

    Returns
    -------
    Graph
        The preprocessing, to be followed by the learner: ``ppl("robustify", task,
        learner) >> learner``.

    Examples
    --------
    >>> from mlr3py import lrn, tsk
    >>> from mlr3py.pipelines import as_learner, ppl
    >>> task, learner = tsk("penguins"), lrn("classif.log_reg")
    >>> robust = as_learner(ppl("robustify", task, learner) >> learner).train(task)
    """
    if task is not None and not isinstance(task, Task):
        raise ConfigError(f"The 'task' of ppl('robustify') must be a Task or None. "
                          f"Got {type(task).__name__} instead.")
    if learner is not None and not isinstance(learner, Learner):
        raise ConfigError(f"The 'learner' of ppl('robustify') must be a Learner or None. "
                          f"Got {type(learner).__name__} instead.")
    for name, flag in (("impute_missings", impute_missings),
                       ("factors_to_numeric", factors_to_numeric)):
        if flag is not None and not isinstance(flag, bool):
            raise ConfigError(f"The '{name}' of ppl('robustify') must be a bool or None. "
                              f"Got {flag!r} instead.")
    if not (max_cardinality == math.inf or (isinstance(max_cardinality, int)
                                            and not isinstance(max_cardinality, bool)
                                            and max_cardinality >= 1)):
        raise ConfigError(f"The 'max_cardinality' of ppl('robustify') must be an int >= 1 or "
                          f"math.inf. Got {max_cardinality!r} instead.")
    types = set(task.feature_types["type"]) if task is not None else None

    def has(*kinds: str) -> bool:
        return types is None or bool(types & set(kinds))

    ordered = _resolve(ordered_action, "ordered", "ordered_action", has("ordered"), learner)
    character = _resolve(character_action, "character", "character_action", has("character"),
                         learner)
    posixct = _resolve(POSIXct_action, "POSIXct", "POSIXct_action", has("POSIXct"), learner)

    task_has_factors = has("factor") or "factor" in (character, ordered)
    learner_no_factors = learner is None or "factor" not in learner.feature_types
    if factors_to_numeric is None:
        factors_to_numeric = task_has_factors and learner_no_factors
        missind_numeric = learner_no_factors
    else:
        missind_numeric = factors_to_numeric
    learner_no_missings = learner is None or "missings" not in learner.properties
    if impute_missings is None:
        task_has_missings = task is None or bool(task.missings(task.feature_names).sum())
        impute_missings = task_has_missings and learner_no_missings
    has_numbers = has("numeric", "integer") or posixct != "ignore" or \
        ordered in ("numeric", "integer")
    has_logicals = has("logical")
    has_factorials = task_has_factors or (has("ordered") and ordered not in ("numeric", "integer"))

    steps: list[Any] = [po("removeconstants", id="removeconstants_prerobustify",
                           na_ignore=False)]
    if character == "factor":
        steps.append(po("colapply", id="char_to_fct", applicator=_as_factor,
                        affect_columns=selector_type("character")))
    if posixct == "numeric":
        steps.append(po("colapply", id="POSIXct_to_dbl", applicator=_seconds,
                        affect_columns=selector_type("POSIXct")))
    if ordered != "ignore":
        applicator, op_id = {"numeric": (_ordered_codes, "ord_to_dbl"),
                             "integer": (_ordered_codes, "ord_to_int"),
                             "factor": (_as_factor, "ord_to_fct")}[ordered]
        steps.append(po("colapply", id=op_id, applicator=applicator,
                        affect_columns=selector_type("ordered")))
    if impute_missings:
        if has_numbers or has_logicals:
            steps.append(po("missind", type="numeric" if missind_numeric else "factor",
                            affect_columns=selector_type(("numeric", "integer", "logical"))))
        if has_numbers:
            steps.append(po("imputehist"))
        if has_logicals:
            steps.append(po("imputesample", id="imputesample_logical",
                            affect_columns=selector_type("logical")))
        if has_factorials:
            steps.append(po("imputeoor", affect_columns=selector_type(
                ("factor", "ordered", "character"))))
    if has_factorials:
        steps.append(po("fixfactors"))
    if impute_missings or (task_has_factors and learner_no_missings):
        kinds = ("factor", "ordered") if ordered == "ignore" else ("factor",)
        steps.append(po("imputesample", affect_columns=selector_type(kinds)))
    if math.isfinite(max_cardinality) and _too_many_levels(task, int(max_cardinality)):
        steps.append(po("collapsefactors", target_level_count=int(max_cardinality)))
    if factors_to_numeric:
        steps.append(po("encode", method="one-hot"))
    steps.append(po("removeconstants", id="removeconstants_postrobustify"))
    graph = as_graph(steps[0], clone=True)
    for step in steps[1:]:
        graph = chain(graph, step)
    return graph


def _too_many_levels(task: Task | None, limit: int) -> bool:
    """Whether a factor feature of ``task`` has more than ``limit`` levels (True without a task)."""
    if task is None:
        return True
    kinds = dict(zip(task.feature_types["id"], task.feature_types["type"], strict=True))
    factors = [f for f, k in kinds.items() if k in ("factor", "ordered")]
    if not factors:
        return False
    return any(len(levels or ()) > limit for levels in task.levels(factors).values())
