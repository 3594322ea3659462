"""Internal tuning: parameters the learner tunes itself while training (mlr3tuning's
``to_tune(internal = TRUE)`` and ``internal_search_space``).

A parameter set to ``to_tune(..., internal=True)``, e.g. xgboost's ``n_estimators``
with ``early_stopping_rounds`` and ``validate`` set, stays out of the tuner's search
space. Every configuration is trained with its upper bound, early stopping picks the
value in each resampling iteration (the learner's ``internal_tuned_values``), and the
archive records their aggregate per configuration (the mean, rounded for integer
parameters, as mlr3tuning's default ``aggr``). The result's learner values use the
best configuration's aggregate, with internal tuning switched off (no validation, no
early stopping), so the final model trains exactly that many rounds or epochs.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from mlr3py.errors import ConfigError
from mlr3py.evaluation import ResampleResult
from mlr3py.evaluation._job_key import stable_text
from mlr3py.learners import Learner
from mlr3py.params import ParamSet, TuneToken

__all__ = [
    "INTERNAL_COLUMN",
    "aggregate_internal_tuned_values",
    "archived_internal_values",
    "internal_search_space",
    "set_internal_upper",
    "with_internal_values",
]

#: The archive column holding each configuration's aggregated internally tuned values.
INTERNAL_COLUMN = "internal_tuned_values"


def internal_tokens(learner: Learner) -> dict[str, TuneToken]:
    """The learner's ``to_tune(..., internal=True)`` values, id -> token."""
    return {k: v for k, v in learner.param_set.tune_tokens().items() if v.internal}


def internal_search_space(learner: Learner) -> ParamSet | None:
    """The internal search space: one domain per ``to_tune(..., internal=True)`` value
    of ``learner`` (None when there is none).

    Raises
    ------
    ConfigError
        Naming the parameter, when the learner cannot tune it itself: it lacks the
        property ``"internal_tuning"``, tunes another parameter, or its values do not
        switch internal tuning on (no validation data, no early stopping); or when the
        token has no finite upper bound.
    """
    tokens = internal_tokens(learner)
    if not tokens:
        return None
    owner = f"Learner '{learner.id}'"
    domains = {}
    for key, token in tokens.items():
        head = f"The '{key}' parameter of {owner} is set to {token!r}, but"
        if "internal_tuning" not in learner.properties:
            raise ConfigError(
                f"{head} {owner} does not tune parameters itself while training (it lacks the "
                "property 'internal_tuning'). Drop internal=True to tune it with the tuner, "
                "or use a learner with early stopping (e.g. classif.xgboost)."
            )
        tuned = learner.internal_tuning_param
        if tuned is None:
            raise ConfigError(f"{head} {owner} does not say which parameter it tunes itself. "
                              "Drop internal=True to tune it with the tuner.")
        if key != tuned:
            raise ConfigError(
                f"{head} {owner} tunes only '{tuned}' itself while training. Drop "
                f"internal=True from '{key}', or mark '{tuned}' with it instead."
            )
        problem = learner.internal_tuning_problem()
        if problem is not None:
            raise ConfigError(f"{head} {owner} cannot tune it while training: {problem}.")
        try:
            domain = token.to_domain(learner.param_set.params[key])
        except ConfigError as exc:
            raise ConfigError(f"The '{key}' parameter of {owner} {exc}.") from None
        domains[key] = domain
    return ParamSet(domains)


def set_internal_upper(learner: Learner, space: ParamSet | None) -> None:
    """Set each internally tuned parameter of ``learner`` to its upper bound, the most
    that training may use (mlr3's ``in_tune_fn``)."""
    if space is None:
        return
    for key, domain in space.params.items():
        assert domain.upper is not None
        upper = domain.upper
        learner.param_set.values[key] = int(upper) if domain.cls == "ParamInt" else upper


def aggregate_internal_tuned_values(rr: ResampleResult, space: ParamSet) -> dict[str, Any]:
    """The internally tuned values of ``rr``'s iterations aggregated per parameter: the
    mean, rounded for an integer parameter (None where no iteration recorded one)."""
    found: dict[str, list[float]] = {key: [] for key in space.ids()}
    for result in rr.job_results:
        values = result.state.internal_tuned_values or {}
        for key, collected in found.items():
            if values.get(key) is not None:
                collected.append(float(values[key]))
    aggregated: dict[str, Any] = {}
    for key, collected in found.items():
        if not collected:
            aggregated[key] = None
            continue
        mean = float(np.mean(collected))
        aggregated[key] = round(mean) if space.params[key].cls == "ParamInt" else mean
    return aggregated


def archived_internal_values(data: pd.DataFrame, x_domain: Mapping[str, Any],
                             score: Mapping[str, Any], cols_y: Sequence[str]
                             ) -> dict[str, Any]:
    """The archived internally tuned values of the configuration ``x_domain`` (of the
    evaluation with ``score`` where it was evaluated more than once)."""
    key = stable_text(dict(x_domain))
    rows = [row for _, row in data.iterrows() if stable_text(dict(row["x_domain"])) == key]
    if not rows:
        raise ConfigError(f"The configuration {dict(x_domain)} is not in the archive, so it "
                          "has no internally tuned values. Assign a result the tuner evaluated.")
    for row in rows:
        if all(_same(row[c], score.get(c)) for c in cols_y):
            return dict(row[INTERNAL_COLUMN])
    return dict(rows[0][INTERNAL_COLUMN])


def with_internal_values(param_vals: Mapping[str, Any], internal: Mapping[str, Any],
                         learner: Learner) -> dict[str, Any]:
    """``param_vals`` with the internally tuned values set and internal tuning switched
    off (a None in :meth:`~mlr3py.learners.Learner.internal_tuning_off` unsets); where
    no iteration recorded a value, the upper bound in ``param_vals`` stays."""
    values = dict(param_vals)
    for key, value in learner.internal_tuning_off().items():
        if value is None:
            values.pop(key, None)
        else:
            values[key] = value
    values.update({k: v for k, v in internal.items() if v is not None})
    return values


def _same(a: Any, b: Any) -> bool:
    try:
        return math.isclose(float(a), float(b), rel_tol=1e-12) or (
            math.isnan(float(a)) and math.isnan(float(b)))
    except (TypeError, ValueError):
        return False
