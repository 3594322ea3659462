"""Conformance checks for measures."""

from __future__ import annotations

import functools
import math
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from mlr3py.errors import Mlr3pyError
from mlr3py.learners import mlr_learners
from mlr3py.predictions import PredictionClassif, PredictionRegr
from mlr3py.reflections import MEASURE_PROPERTIES, PREDICT_TYPES, TASK_TYPES
from mlr3py.testing._base import Check, checking, require, require_raises, run_checks
from mlr3py.testing._tasks import make_task

__all__ = [
    "Scenario",
    "check_measure",
    "check_measure_metadata",
    "check_measure_missing_predict_type",
    "check_measure_requirements",
    "check_measure_scores",
    "check_measure_task_type",
    "generate_scenarios",
    "measure_checks",
]

_PREDICT_TYPES = PREDICT_TYPES
_PROPERTIES = MEASURE_PROPERTIES
_AVERAGES = ("macro", "micro", "macro_weighted")


@dataclass
class Scenario:
    """A prediction to score, with what a measure may need besides it.

    Attributes
    ----------
    name : str
        E.g. ``"perfect_twoclass"``.
    prediction : Prediction
        The prediction.
    task : Task
        The task predicted (its properties say twoclass / multiclass).
    learner : Learner
        A featureless learner trained on ``task`` (for timing measures).
    train_set : numpy.ndarray
        Row ids the learner was trained on.
    """

    name: str
    prediction: Any
    task: Any
    learner: Any
    train_set: np.ndarray


def _subject(measure: Any) -> str:
    return f"Measure '{getattr(measure, 'id', type(measure).__name__)}'"


def _featureless(task: Any, predict_type: str) -> Any:
    learner = mlr_learners.get(f"{task.task_type}.featureless")
    if predict_type in learner.predict_types:
        learner.predict_type = predict_type
    return learner.train(task)


def _classif_scenarios(n: int, n_classes: int, rng: np.random.Generator) -> list[Scenario]:
    labels = np.resize(np.array(["A", "B", "C"][:n_classes], dtype=object), n)
    data = pd.DataFrame({"target": rng.permutation(labels), "x": rng.uniform(size=n)})
    suffix = "twoclass" if n_classes == 2 else "multiclass"
    positive = "A" if n_classes == 2 else None
    task = make_task("classif", data, "target", f"measure_{suffix}", positive)
    learner = _featureless(task, "prob")
    rows = np.asarray(task.row_ids)
    classes = list(task.class_names)
    codes = np.array([classes.index(str(v)) for v in np.asarray(task.truth(), dtype=object)])
    eye = np.eye(n_classes)
    probs = {
        "random": rng.dirichlet(np.ones(n_classes), size=n),
        "perfect": eye[codes],
        "wrong": eye[(codes + 1) % n_classes],
        "ties": np.full((n, n_classes), 1.0 / n_classes),
    }
    out = []
    for name, prob in probs.items():
        response = np.array(classes, dtype=object)[np.argmax(prob, axis=1)]
        pred = PredictionClassif(
            rows, task.truth(), response=response, prob=pd.DataFrame(prob, columns=classes),
            class_names=classes,
        )
        out.append(Scenario(f"{name}_{suffix}", pred, task, learner, rows))
    out.append(Scenario(f"learner_{suffix}", learner.predict(task), task, learner, rows))
    one = task.clone().filter(rows[codes == 0])
    one_rows = np.asarray(one.row_ids)
    k = len(one_rows)
    pred = PredictionClassif(
        one_rows, one.truth(), response=np.resize(np.array(classes, dtype=object), k),
        prob=pd.DataFrame(rng.dirichlet(np.ones(n_classes), size=k), columns=classes),
        class_names=classes,
    )
    out.append(Scenario(f"one_class_truth_{suffix}", pred, one, learner, rows))
    return out


def _regr_scenarios(n: int, rng: np.random.Generator) -> list[Scenario]:
    out = []
    for kind, truth in (("", rng.normal(size=n)), ("positive_", rng.uniform(1, 10, size=n))):
        data = pd.DataFrame({"target": truth, "x": rng.uniform(size=n)})
        task = make_task("regr", data, "target", f"measure_regr_{kind or 'normal'}")
        learner = _featureless(task, "se")
        rows = np.asarray(task.row_ids)
        y = np.asarray(task.truth(), dtype=float)
        responses = {
            "random": y + rng.normal(size=n) if kind else rng.normal(size=n),
            "perfect": y.copy(),
            "constant": np.full(n, y.mean()),
        }
        for name, response in responses.items():
            se = np.abs(rng.normal(size=n)) if name == "random" else np.zeros(n)
            pred = PredictionRegr(rows, y, response=response, se=se)
            out.append(Scenario(f"{kind}{name}_regr", pred, task, learner, rows))
        out.append(Scenario(f"{kind}learner_regr", learner.predict(task), task, learner, rows))
    return out


def generate_scenarios(task_type: str | None, n: int = 30, seed: int = 1) -> list[Scenario]:
    """Predictions to score for measures of ``task_type`` (both types for ``None``).

    Classification: random, perfect, all-wrong and all-tied probabilities, a
    featureless learner's prediction and a truth with a single class, each for
    two and three classes. Regression: random, perfect and constant responses
    and a featureless learner's prediction, for a truth with negative values
    and a positive one.
    """
    rng = np.random.default_rng(seed)
    out: list[Scenario] = []
    if task_type in ("classif", None):
        out += _classif_scenarios(n, 2, rng) + _classif_scenarios(n, 3, rng)
    if task_type in ("regr", None):
        out += _regr_scenarios(n, rng)
    return out


def _usable(measure: Any, scenario: Scenario) -> bool:
    needed = set(getattr(measure, "task_properties", set()) or set())
    if scenario.task.task_type == "classif":
        have = {"twoclass" if len(scenario.task.class_names) == 2 else "multiclass"}
    else:
        have = set()
    return needed <= have


def check_measure_metadata(measure: Any) -> None:
    """Check the declared fields: id, task type, predict type, minimize, range, properties."""
    with checking(_subject(measure), "check_measure_metadata"):
        mid = measure.id
        require(isinstance(mid, str) and mid, f"id must be a non-empty str, got {mid!r}")
        task_type = measure.task_type
        require(
            task_type in (*TASK_TYPES, None),
            f"task_type must be {', '.join(repr(t) for t in TASK_TYPES)} or None, "
            f"got {task_type!r}",
        )
        for prefix in TASK_TYPES:
            if mid.startswith(prefix + "."):
                require(
                    task_type == prefix, f"id '{mid}' says {prefix} but task_type is {task_type!r}"
                )
        allowed = _PREDICT_TYPES.get(
            task_type, tuple(dict.fromkeys(p for ps in _PREDICT_TYPES.values() for p in ps))
        )
        require(
            measure.predict_type in (*allowed, None),
            f"predict_type must be one of {list(allowed)} or None, got {measure.predict_type!r}",
        )
        require(
            measure.minimize is None or isinstance(measure.minimize, (bool, np.bool_)),
            f"minimize must be a bool or None, got {measure.minimize!r}",
        )
        rng = tuple(measure.range)
        require(
            len(rng) == 2 and all(isinstance(v, (int, float)) for v in rng) and rng[0] <= rng[1],
            f"range must be (lower, upper) numbers with lower <= upper, got {measure.range!r}",
        )
        props = set(measure.properties)
        require(props <= _PROPERTIES, f"unknown properties {sorted(props - _PROPERTIES)}")
        require(
            measure.average in _AVERAGES,
            f"average must be one of {list(_AVERAGES)}, got {measure.average!r}",
        )
        values = dict(measure.param_set.values)
        result = measure.param_set.check(values)
        require(result is True, f"the parameter values {values} are invalid: {result}")
        text = repr(measure)
        require(isinstance(text, str) and mid in text, f"repr() must name the id, got {text!r}")


def _in_range(value: Any, rng: tuple[float, ...]) -> bool:
    return math.isnan(value) or rng[0] - 1e-9 <= value <= rng[1] + 1e-9


def check_measure_scores(measure: Any, n: int = 30, seed: int = 1) -> None:
    """Score generated predictions: each score is a float within ``range`` or NaN.

    Scores must also be deterministic (the same twice) and aggregating two
    iterations must give a float within ``range`` or NaN. Each scenario the
    measure's ``task_properties`` allow is used, with the task, a trained
    learner and the train set passed along.
    """
    subject = _subject(measure)
    scenarios = [s for s in generate_scenarios(measure.task_type, n, seed) if _usable(measure, s)]
    with checking(subject, "check_measure_scores"):
        require(
            scenarios, f"no generated prediction fits task_properties {measure.task_properties}"
        )
    rng = tuple(float(v) for v in measure.range)
    for sc in scenarios:
        with checking(subject, f"check_measure_scores[{sc.name}]", sc.task.id):
            kwargs = {"task": sc.task, "learner": sc.learner, "train_set": sc.train_set}
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                value = measure.score(sc.prediction, **kwargs)
                again = measure.score(sc.prediction, **kwargs)
            require(
                isinstance(value, (float, np.floating)),
                f"score() must return a float, got {type(value).__name__}",
            )
            require(
                _in_range(value, rng),
                f"score {value} on the '{sc.name}' prediction lies outside range {rng}",
            )
            same = (math.isnan(value) and math.isnan(again)) or value == again
            require(same, f"scoring twice gave {value} and {again}")
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                agg = measure.aggregate(
                    [sc.prediction, sc.prediction], task=sc.task,
                    learners=[sc.learner, sc.learner], train_sets=[sc.train_set, sc.train_set],
                )
            require(
                isinstance(agg, (float, np.floating)) and _in_range(agg, rng),
                f"aggregate() gave {agg!r}, not a float within range {rng}",
            )


def check_measure_missing_predict_type(measure: Any, n: int = 30, seed: int = 1) -> None:
    """Check that a prediction lacking the measure's predict type scores NaN with a warning."""
    if measure.predict_type not in ("prob", "se"):
        return
    subject = _subject(measure)
    scenarios = [s for s in generate_scenarios(measure.task_type, n, seed) if _usable(measure, s)]
    sc = next(s for s in scenarios if s.name.startswith("learner"))
    learner = sc.learner.clone()
    learner.predict_type = "response"
    prediction = learner.predict(sc.task)
    with checking(subject, "check_measure_missing_predict_type", sc.task.id, "response"):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            value = measure.score(
                prediction, task=sc.task, learner=learner, train_set=sc.train_set
            )
        require(
            math.isnan(value),
            f"scoring a prediction without predict type '{measure.predict_type}' must give NaN, "
            f"got {value}",
        )
        require(caught, f"scoring a prediction without '{measure.predict_type}' must warn")


def check_measure_task_type(measure: Any, n: int = 30, seed: int = 1) -> None:
    """Check that a measure for one task type refuses predictions of the other."""
    if measure.task_type not in TASK_TYPES:
        return
    other = "regr" if measure.task_type == "classif" else "classif"
    sc = next(s for s in generate_scenarios(other, n, seed) if s.name.startswith("learner"))
    with checking(_subject(measure), "check_measure_task_type", sc.task.id):
        require_raises(
            lambda: measure.score(
                sc.prediction, task=sc.task, learner=sc.learner, train_set=sc.train_set
            ),
            Mlr3pyError,
            f"scoring a {other} prediction with a {measure.task_type} measure",
        )


def check_measure_requirements(measure: Any, n: int = 30, seed: int = 1) -> None:
    """Check that a measure needing the learner refuses to score without it.

    As mlr3 does: with property ``requires_learner`` (or ``requires_model``)
    scoring without a learner raises a :class:`~mlr3py.errors.Mlr3pyError`; with
    ``requires_model``, so does scoring with an untrained learner.
    """
    props = set(measure.properties)
    if not props & {"requires_learner", "requires_model"}:
        return
    sc = next(s for s in generate_scenarios(measure.task_type, n, seed)
              if s.name.startswith("learner") and _usable(measure, s))
    kwargs = {"task": sc.task, "train_set": sc.train_set}
    with checking(_subject(measure), "check_measure_requirements", sc.task.id):
        require_raises(
            lambda: measure.score(sc.prediction, learner=None, **kwargs),
            Mlr3pyError,
            "scoring without a learner, though the measure requires one",
        )
        if "requires_model" in props:
            untrained = sc.learner.clone()
            untrained.state = None
            require_raises(
                lambda: measure.score(sc.prediction, learner=untrained, **kwargs),
                Mlr3pyError,
                "scoring with an untrained learner, though the measure requires the model",
            )


def check_measure_mean_loss(measure: Any, n: int = 30, seed: int = 1) -> None:
    """Check that a measure that is a mean of per-row losses (``measure.mean_loss``) scores
    a prediction given in chunks as it scores the whole (up to rounding; NaN alike).

    Each generated prediction is scored in three chunks in reverse order by a
    :class:`~mlr3py.measures._chunked.ChunkedScore`, as ``resample(...,
    store_predictions=False)`` scores a test set streamed from files or a database.
    """
    if getattr(measure, "mean_loss", None) is None:
        return
    from mlr3py.measures._chunked import ChunkedScore

    subject = _subject(measure)
    for sc in (s for s in generate_scenarios(measure.task_type, n, seed) if _usable(measure, s)):
        with checking(subject, f"check_measure_mean_loss[{sc.name}]", sc.task.id):
            ids = np.asarray(sc.prediction.row_ids)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                whole = measure.score(sc.prediction, task=sc.task)
                chunked = ChunkedScore(measure, sc.task)
                for part in reversed(np.array_split(ids, 3)):
                    chunked.add(sc.prediction.clone().filter(part))
                value = chunked.score()
            same = (math.isnan(whole) and math.isnan(value)) or math.isclose(
                whole, value, rel_tol=1e-9, abs_tol=1e-12)
            require(same, f"scored in chunks {value}, whole {whole}")


def measure_checks(measure: Any, *, n: int = 30, seed: int = 1) -> Iterator[Check]:
    """Yield the conformance checks for ``measure`` as ``(name, callable)`` pairs."""
    f = functools.partial
    yield "check_measure_metadata", f(check_measure_metadata, measure)
    yield "check_measure_scores", f(check_measure_scores, measure, n, seed)
    yield (
        "check_measure_missing_predict_type",
        f(check_measure_missing_predict_type, measure, n, seed),
    )
    yield "check_measure_task_type", f(check_measure_task_type, measure, n, seed)
    yield "check_measure_requirements", f(check_measure_requirements, measure, n, seed)
    yield "check_measure_mean_loss", f(check_measure_mean_loss, measure, n, seed)


def check_measure(measure: Any, *, seed: int = 1, n: int = 30, exclude: Iterable[str] = ()) -> None:
    """Run every measure conformance check; raise on the first failure.

    Parameters
    ----------
    measure : Measure
        The measure to check.
    seed : int
        Seed for the generated predictions.
    n : int
        Rows of the generated predictions.
    exclude : iterable of str
        Skip checks whose name contains one of these substrings.

    Raises
    ------
    ConformanceError
        Naming the measure, the check and the prediction that failed.

    Examples
    --------
    >>> from mlr3py import msr
    >>> check_measure(msr("classif.auc"))
    """
    run_checks(measure_checks(measure, n=n, seed=seed), exclude)
