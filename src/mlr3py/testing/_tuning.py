"""Conformance checks for tuners and terminators."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd

from mlr3py.params import ParamSet, p_dbl, p_fct, p_int, p_lgl, ps
from mlr3py.testing._base import Check, checking, require, run_checks
from mlr3py.testing._tasks import make_task

__all__ = [
    "check_terminator",
    "check_tuner",
    "check_tuner_metadata",
    "check_tuner_multi_crit",
    "check_tuner_optimize",
    "check_tuner_replicable",
    "terminator_checks",
    "tuner_checks",
    "tuner_search_space",
]

_PARAMS = {
    "ParamDbl": ("x", lambda: p_dbl(0, 1)),
    "ParamInt": ("iter", lambda: p_int(1, 3)),
    "ParamFct": ("predict_missing_type", lambda: p_fct(["na", "omit"])),
    "ParamLgl": ("save_tasks", lambda: p_lgl()),
}


def _subject(obj: Any, kind: str) -> str:
    return f"{kind} '{getattr(obj, 'id', type(obj).__name__)}'"


def tuner_search_space(tuner: Any) -> ParamSet:
    """The search space the checks use: one parameter of ``classif.debug`` per class the
    tuner supports (``x`` double, ``iter`` int, ``predict_missing_type`` factor,
    ``save_tasks`` logical), all bounded; for a tuner with ``needs_budget``, ``iter`` is
    tagged ``"budget"``."""
    domains = {name: make() for cls, (name, make) in _PARAMS.items()
               if cls in tuner.param_classes}
    if getattr(tuner, "needs_budget", False) and "iter" in domains:
        # successive halving, hyperband: the int parameter is the budget
        domains["iter"] = p_int(1, 4, tags="budget")
    return ps(**domains)


def _task() -> Any:
    rng = np.random.default_rng(1)
    data = pd.DataFrame({"y": np.resize(np.array(["a", "b"], dtype=object), 40),
                         "f": rng.uniform(size=40)})
    return make_task("classif", data, "y", "tuner_check")


def _instance(tuner: Any, search_space: ParamSet | None, measures: Any, seed: int,
              term_evals: int) -> Any:
    from mlr3py.learners import mlr_learners
    from mlr3py.resamplings import mlr_resamplings
    from mlr3py.tuning import ti

    space = search_space if search_space is not None else tuner_search_space(tuner)
    return ti(_task(), mlr_learners.get("classif.debug"), mlr_resamplings.get("holdout"),
              measures, term_evals=term_evals, search_space=space, seed=seed)


def check_tuner_metadata(tuner: Any) -> None:
    """Check id, control parameters, parameter classes, properties, ``repr()``, ``clone()``."""
    from mlr3py.tuning import Tuner
    from mlr3py.tuning._tuner import PARAM_CLASSES, TUNER_PROPERTIES

    with checking(_subject(tuner, "Tuner"), "check_tuner_metadata"):
        require(isinstance(tuner, Tuner), f"a tuner must subclass Tuner, got {type(tuner)}")
        require(isinstance(tuner.id, str) and tuner.id, "id must be a non-empty str")
        result = tuner.param_set.check(dict(tuner.param_set.values), check_required=False)
        require(result is True, f"the control parameter values are invalid: {result}")
        require(set(tuner.param_classes) <= set(PARAM_CLASSES) and tuner.param_classes,
                f"param_classes must be a non-empty subset of {PARAM_CLASSES}")
        require(set(tuner.properties) <= TUNER_PROPERTIES,
                f"properties must be a subset of {sorted(TUNER_PROPERTIES)}")
        require({"single-crit", "multi-crit"} & set(tuner.properties),
                "a tuner must support single-crit or multi-crit tuning")
        require(tuner.id in repr(tuner), f"repr() must name the id, got {repr(tuner)!r}")
        copy = tuner.clone()
        require(copy is not tuner and copy.param_set is not tuner.param_set,
                "clone() must give an independent copy")


def check_tuner_optimize(tuner: Any, search_space: ParamSet | None = None,
                         term_evals: int = 4) -> None:
    """Tune ``classif.debug`` and check the archive and the result.

    Every evaluated configuration lies in the search space, batches are numbered
    1, 2, ... in order, the terminator is honoured (evaluations stop in the batch
    where the budget is reached), ``stop_reason`` is set, and the result is the
    archive's best configuration with its score and the learner's values.
    """
    with checking(_subject(tuner, "Tuner"), "check_tuner_optimize", "tuner_check"):
        if "single-crit" not in tuner.properties:
            return
        instance = _instance(tuner, search_space, "classif.ce", 1, term_evals)
        result = tuner.clone().optimize(instance)
        archive = instance.archive
        data = archive.data
        require(archive.n_evals >= 1, "no configuration was evaluated")
        batches = data["batch_nr"].to_numpy()
        require(batches[0] == 1 and np.all(np.diff(batches) >= 0)
                and set(batches) == set(range(1, archive.n_batch + 1)),
                f"batch numbers must run 1, 2, ... in order, got {list(batches)}")
        before_last = int(np.sum(batches < archive.n_batch))
        require(before_last < term_evals,
                f"a batch started after the terminator fired ({before_last} evaluations "
                f"before the last batch, budget {term_evals})")
        for point in data[archive.cols_x].to_dict("records"):
            active = {k: v for k, v in point.items()
                      if not (isinstance(v, float) and np.isnan(v)) and v is not None}
            check = instance.search_space.check(active, check_required=False)
            require(check is True, f"the configuration {active} is outside the space: {check}")
        require(isinstance(archive.stop_reason, str) and archive.stop_reason,
                "archive.stop_reason must say why tuning stopped")
        require(isinstance(result, pd.DataFrame) and len(result) == 1,
                "optimize() must return the result, one row for one measure")
        best = float(data["classif.ce"].min())
        require(np.isclose(float(result["classif.ce"].iloc[0]), best),
                f"the result's score {result['classif.ce'].iloc[0]} is not the archive's best "
                f"{best}")
        require(isinstance(instance.result_learner_param_vals, dict)
                and set(instance.result_x_domain) <= set(instance.result_learner_param_vals),
                "learner_param_vals must hold the configuration's values")


def check_tuner_replicable(tuner: Any, search_space: ParamSet | None = None) -> None:
    """Tuning twice with the same seed gives the same configurations and scores."""
    with checking(_subject(tuner, "Tuner"), "check_tuner_replicable", "tuner_check"):
        crit = "classif.ce" if "single-crit" in tuner.properties else ["classif.ce",
                                                                       "classif.acc"]
        frames = []
        for _ in range(2):
            instance = _instance(tuner, search_space, crit, 7, 3)
            tuner.clone().optimize(instance)
            cols = [*instance.archive.cols_x, *instance.archive.cols_y]
            frames.append(instance.archive.data[cols].astype(object).where(
                instance.archive.data[cols].notna(), None))
        require(frames[0].equals(frames[1]),
                "the same seed gave different archives:\n"
                f"{frames[0].to_string()}\n{frames[1].to_string()}")


def check_tuner_multi_crit(tuner: Any, search_space: ParamSet | None = None) -> None:
    """With several measures (if supported) the result is the archive's Pareto front."""
    with checking(_subject(tuner, "Tuner"), "check_tuner_multi_crit", "tuner_check"):
        if "multi-crit" not in tuner.properties:
            return
        instance = _instance(tuner, search_space, ["classif.ce", "time_train"], 3, 4)
        result = tuner.clone().optimize(instance)
        data = instance.archive.data
        costs = data[["classif.ce", "time_train"]].to_numpy(dtype=float)
        for point in result[["classif.ce", "time_train"]].to_numpy(dtype=float):
            dominated = np.any(np.all(costs <= point, axis=1) & np.any(costs < point, axis=1))
            require(not dominated, f"the result {point} is dominated by an archive row")


def tuner_checks(tuner: Any, search_space: ParamSet | None = None) -> Iterator[Check]:
    """The tuner checks as ``(name, callable)`` pairs."""
    yield "check_tuner_metadata", lambda: check_tuner_metadata(tuner)
    yield "check_tuner_optimize", lambda: check_tuner_optimize(tuner, search_space)
    yield "check_tuner_replicable", lambda: check_tuner_replicable(tuner, search_space)
    yield "check_tuner_multi_crit", lambda: check_tuner_multi_crit(tuner, search_space)


def check_tuner(tuner: Any, search_space: ParamSet | None = None,
                exclude: tuple[str, ...] = ()) -> None:
    """Run every tuner check.

    Parameters
    ----------
    tuner : Tuner
        The tuner, configured (e.g. a ``design_points`` tuner with its design).
    search_space : ParamSet, optional
        Parameters of ``classif.debug`` to tune; default: :func:`tuner_search_space`.
    exclude : tuple of str
        Skip checks whose name contains one of these.

    Raises
    ------
    ConformanceError
        Naming the tuner and the failed check.
    """
    run_checks(tuner_checks(tuner, search_space), exclude)


def terminator_checks(terminator: Any) -> Iterator[Check]:
    """The terminator checks as ``(name, callable)`` pairs."""
    yield "check_terminator", lambda: check_terminator(terminator)


def check_terminator(terminator: Any) -> None:
    """Check a terminator's metadata and that it answers on empty and filled archives.

    ``is_terminated`` returns a bool and ``reason`` a non-empty str, on an archive
    with no evaluation and on one filled by a short random search; ``allows`` returns
    a bool and promises nothing that ``is_terminated`` contradicts; ``repr()`` names
    the id; ``can_terminate`` is a bool; the properties are known ones.
    """
    from mlr3py.tuning import ArchiveTuning, Terminator, tnr
    from mlr3py.tuning._terminator import TERMINATOR_PROPERTIES

    subject = _subject(terminator, "Terminator")
    with checking(subject, "check_terminator"):
        require(isinstance(terminator, Terminator),
                f"a terminator must subclass Terminator, got {type(terminator)}")
        require(isinstance(terminator.id, str) and terminator.id, "id must be a non-empty str")
        require(set(terminator.properties) <= TERMINATOR_PROPERTIES,
                f"properties must be a subset of {sorted(TERMINATOR_PROPERTIES)}")
        require(isinstance(terminator.can_terminate, bool), "can_terminate must be a bool")
        require(terminator.id in repr(terminator), "repr() must name the id")
        tuner = tnr("random_search", batch_size=2)
        instance = _instance(tuner, None, "classif.ce", 1, 3)
        empty = ArchiveTuning(instance.search_space, instance.measures)
        filled = instance.archive
        tuner.optimize(instance)
        for archive in (empty, filled):
            fired = terminator.is_terminated(archive)
            require(isinstance(fired, bool), f"is_terminated() must return a bool, got {fired!r}")
            reason = terminator.reason(archive)
            require(isinstance(reason, str) and reason, "reason() must return a sentence")
            allowed = terminator.allows(archive, 0)
            require(isinstance(allowed, bool), f"allows() must return a bool, got {allowed!r}")
            require(not (allowed and fired), "allows(archive, 0) promised that the terminator "
                    "does not fire on an archive on which is_terminated() is True")
