"""Parameter combinations scikit-learn estimators reject, checked when values are set.

scikit-learn validates each constructor argument on its own (see
:mod:`mlr3py.learners._sklearn_params`), but some estimators reject
*combinations* of valid values only inside ``fit`` (e.g. ``LogisticRegression``
with ``penalty="l1"`` and ``solver="lbfgs"``). :class:`SklearnParamSet` checks
those combinations whenever values are set (at ``lrn(...)``, on assignment and
with ``set_values``), so the mistake is reported where it is made, as a
:class:`~mlr3py.errors.ConfigError`.

The rules mirror scikit-learn's own checks:

- ``LogisticRegression`` (``_check_solver`` and ``fit`` in
  ``sklearn/linear_model/_logistic.py``, liblinear's solver table in
  ``sklearn/svm/_base.py``): the effective penalty is ``penalty`` or, when it
  is left at its default, the one ``l1_ratio`` and ``C`` imply (0 -> l2,
  1 -> l1, in between -> elasticnet, ``C=inf`` -> none). Only "liblinear" and
  "saga" take an l1 penalty, only "saga" an elastic net, "liblinear" needs a
  penalty, ``dual=True`` needs "liblinear" with an l2 penalty, and an elastic
  net needs ``l1_ratio``.
- random forests (``BaseForest.fit``): ``max_samples`` and ``oob_score=True``
  need ``bootstrap=True``.
- k-nearest neighbours (``_check_algorithm_metric`` in
  ``sklearn/neighbors/_base.py``): the metric must be valid for the chosen
  ``algorithm``; "kd_tree" takes no callable metric.

As the values are checked together, change related values in one step:
``learner.param_set.set_values(penalty="l1", solver="saga")``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

from sklearn.base import BaseEstimator
from sklearn.ensemble._forest import BaseForest
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import VALID_METRICS
from sklearn.neighbors._base import NeighborsBase

from mlr3py.errors import ConfigError
from mlr3py.params import Domain, ParamSet, TuneToken

__all__ = ["CombinationRule", "SklearnParamSet", "combination_rule"]

#: Given the effective constructor arguments, the problems (messages) of a combination.
CombinationRule = Callable[[Mapping[str, Any]], list[str]]

_ONE_STEP = "Set related values in one step, e.g. param_set.set_values({})."


def _logistic_penalty(p: Mapping[str, Any]) -> tuple[str | None, str]:
    """The penalty ``fit`` uses, and how the user's values express it."""
    penalty = p.get("penalty", "deprecated")
    if penalty != "deprecated":
        return penalty, f"penalty={penalty!r}"
    l1_ratio = p.get("l1_ratio", 0.0)
    c = p.get("C", 1.0)
    if isinstance(c, int | float) and math.isinf(c):
        return None, "C=inf (no penalty)"
    if l1_ratio is None or l1_ratio == 0:
        return "l2", f"l1_ratio={l1_ratio!r} (an 'l2' penalty)"
    if l1_ratio == 1:
        return "l1", "l1_ratio=1 (an 'l1' penalty)"
    return "elasticnet", f"l1_ratio={l1_ratio!r} (an elastic net penalty)"


def _logistic_rule(p: Mapping[str, Any]) -> list[str]:
    if not {"solver", "dual"} <= set(p):
        return []
    solver, dual = p["solver"], p["dual"]
    penalty, shown = _logistic_penalty(p)
    if solver not in ("liblinear", "saga") and penalty not in ("l2", None):
        return [
            f"solver={solver!r} supports only an 'l2' penalty or none, not {shown}. Use "
            f"solver='saga'" + (" or 'liblinear'" if penalty == "l1" else "") + ". "
            + _ONE_STEP.format(f"solver='saga', {shown.split(' ')[0]}")
        ]
    if penalty == "elasticnet" and solver != "saga":
        return [f"{shown} needs solver='saga', not {solver!r}. "
                + _ONE_STEP.format(f"solver='saga', {shown.split(' ')[0]}")]
    if solver == "liblinear" and penalty is None:
        return [f"solver='liblinear' needs a penalty, not {shown}. Use another solver "
                f"(e.g. 'lbfgs') or a finite C."]
    if dual and solver != "liblinear":
        return [f"dual=True needs solver='liblinear', not {solver!r}. "
                + _ONE_STEP.format("solver='liblinear', dual=True")]
    if dual and penalty != "l2":
        return [f"dual=True supports only an 'l2' penalty, not {shown}. Set dual=False."]
    if penalty == "elasticnet" and p.get("l1_ratio") is None:
        return ["penalty='elasticnet' needs l1_ratio (a number in [0, 1])."]
    return []


def _forest_rule(p: Mapping[str, Any]) -> list[str]:
    if p.get("bootstrap", True):
        return []
    problems = []
    if p.get("max_samples") is not None:
        problems.append(f"max_samples={p['max_samples']!r} needs bootstrap=True. Set "
                        f"bootstrap=True or max_samples=None.")
    if p.get("oob_score"):
        problems.append("oob_score=True (out-of-bag estimation) needs bootstrap=True. Set "
                        "bootstrap=True or oob_score=False.")
    return problems


def _neighbors_rule(p: Mapping[str, Any]) -> list[str]:
    if not {"algorithm", "metric"} <= set(p):
        return []
    algorithm, metric = p["algorithm"], p["metric"]
    if callable(metric):
        if algorithm == "kd_tree":
            return ["algorithm='kd_tree' does not take a callable metric. Use "
                    "algorithm='ball_tree' or 'brute'."]
        return []
    if not isinstance(metric, str):  # e.g. a DistanceMetric object
        return []
    if algorithm == "auto":
        algorithm = "brute" if metric == "precomputed" or metric not in VALID_METRICS[
            "ball_tree"] else "ball_tree"
    valid = VALID_METRICS.get(algorithm)
    if valid is not None and metric not in valid:
        return [f"metric={metric!r} is not valid with algorithm={algorithm!r}. Use "
                f"algorithm='brute' or one of the metrics "
                f"{', '.join(repr(m) for m in sorted(valid))}."]
    return []


def combination_rule(estimator: BaseEstimator) -> CombinationRule | None:
    """The combination rule for ``estimator``'s class, or None when it has none."""
    if isinstance(estimator, LogisticRegression):
        return _logistic_rule
    if isinstance(estimator, BaseForest):
        return _forest_rule
    if isinstance(estimator, NeighborsBase):
        return _neighbors_rule
    return None


class SklearnParamSet(ParamSet):
    """A :class:`~mlr3py.params.ParamSet` that also checks combinations of values.

    Parameters
    ----------
    params : mapping of str to Domain
        The domains.
    rule : callable
        Maps the effective constructor arguments (``base`` updated with the
        values) to a list of problems.
    base : mapping
        The estimator's constructor arguments that apply when a parameter is
        not set (the prototype's, as training uses them).
    """

    def __init__(
        self, params: Mapping[str, Domain], *, rule: CombinationRule, base: Mapping[str, Any]
    ) -> None:
        self._rule = rule
        self._base = dict(base)
        super().__init__(params)

    def _problems(self, values: Any, check_required: bool) -> list[Any]:
        problems = super()._problems(values, check_required)
        if problems or not isinstance(values, Mapping):
            return problems
        # a parameter still to be tuned takes part once it has a value
        tuned = {k for k, v in values.items() if isinstance(v, TuneToken)}
        merged = {k: v for k, v in {**self._base, **values}.items() if k not in tuned}
        messages = self._rule(merged)
        return [
            (ConfigError, f"Invalid combination of parameter values of {self.context}: {m}")
            for m in messages
        ]
