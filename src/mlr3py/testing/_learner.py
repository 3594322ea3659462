"""Conformance checks for learners (mlr3's ``run_autotest`` / ``expect_learner``)."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np

from mlr3py.errors import ConfigError, NotTrainedError
from mlr3py.reflections import PREDICT_TYPES
from mlr3py.testing._base import (
    Check,
    checking,
    require,
    require_raises,
    run_checks,
    seed_everything,
)
from mlr3py.testing._compat import check_learner_incompatible, fresh_learner
from mlr3py.testing._prediction import check_prediction, prediction_values, same_predictions
from mlr3py.testing._tasks import FEATURE_TYPES, generate_tasks

__all__ = [
    "check_learner",
    "check_learner_clone",
    "check_learner_metadata",
    "check_learner_not_trained",
    "check_learner_param_set",
    "check_learner_predict_newdata",
    "check_learner_prediction",
    "check_learner_print",
    "check_learner_replicable",
    "check_learner_reset",
    "check_learner_sanity",
    "check_learner_state",
    "learner_checks",
]

_PREDICT_TYPES = PREDICT_TYPES


def _subject(learner: Any) -> str:
    return f"Learner '{getattr(learner, 'id', type(learner).__name__)}'"


def _train_predict(learner: Any, task: Any, seed: int) -> Any:
    seed_everything(seed)
    learner.train(task)
    seed_everything(seed + 1)
    return learner.predict(task)


#: properties that promise a method of the same name answering from the trained model
_MODEL_QUERIES = frozenset({"importance", "selected_features", "oob_error"})


def check_learner_metadata(learner: Any) -> None:
    """Check the declared fields: id, task type, predict types, properties, feature types."""
    with checking(_subject(learner), "check_learner_metadata"):
        require(isinstance(learner.id, str) and learner.id, f"id must be a str, got {learner.id!r}")
        allowed = _PREDICT_TYPES.get(learner.task_type)
        require(
            allowed is not None, f"task_type must be 'classif' or 'regr', got {learner.task_type!r}"
        )
        assert allowed is not None  # require() raised otherwise
        ptypes = list(learner.predict_types)
        require(
            "response" in ptypes and set(ptypes) <= set(allowed),
            f"predict_types must include 'response' and lie in {list(allowed)}, got {ptypes}",
        )
        require(
            learner.predict_type in ptypes,
            f"predict_type '{learner.predict_type}' is not among predict_types {ptypes}",
        )
        props = set(learner.properties)
        require(all(isinstance(p, str) for p in props), f"properties must be strings: {props}")
        if learner.task_type == "classif":
            require(
                props & {"twoclass", "multiclass"},
                f"a classification learner needs 'twoclass' and/or 'multiclass' in its "
                f"properties, got {sorted(props)}",
            )
        for query in _MODEL_QUERIES & props:  # a property promises its method
            require(callable(getattr(learner, query, None)),
                    f"the property '{query}' needs a method {query}()")
        ftypes = set(learner.feature_types)
        require(
            ftypes and ftypes <= set(FEATURE_TYPES),
            f"feature_types must be a non-empty subset of {list(FEATURE_TYPES)}, got {ftypes}",
        )
        packages = list(learner.packages)
        require(all(isinstance(p, str) for p in packages), f"packages must be str: {packages}")
        other = fresh_learner(learner)
        require_raises(
            lambda: setattr(other, "predict_type", "no_such_type"),
            ConfigError,
            "setting an undeclared predict_type",
        )


def check_learner_param_set(learner: Any) -> None:
    """Check that the parameter values are valid for the learner's own ParamSet."""
    with checking(_subject(learner), "check_learner_param_set"):
        param_set = learner.param_set
        ids = list(param_set.ids())
        values = dict(param_set.values)
        unknown = sorted(set(values) - set(ids))
        require(not unknown, f"param_set.values names unknown parameters {unknown}")
        result = param_set.check(values)
        require(result is True, f"the parameter values {values} are invalid: {result}")
        tuned = getattr(learner, "internal_tuning_param", None)
        if tuned is not None:  # what to_tune(..., internal=True) may mark
            require(tuned in ids and param_set.params[tuned].is_number,
                    f"internal_tuning_param '{tuned}' is no numeric parameter of the learner")
            off = sorted(set(learner.internal_tuning_off()) - set(ids))
            require(not off, f"internal_tuning_off() names unknown parameters {off}")


def check_learner_not_trained(learner: Any, task: Any) -> None:
    """Check that an untrained learner has no state and refuses to predict."""
    with checking(_subject(learner), "check_learner_not_trained", task.id):
        fresh = fresh_learner(learner)
        require(fresh.state is None, "an untrained clone must have state None")
        require(fresh.model is None, "an untrained learner must have model None")
        require_raises(lambda: fresh.predict(task), NotTrainedError, "predicting before training")
        newdata = task.data(cols=task.feature_names)
        require_raises(
            lambda: fresh.predict_newdata(newdata), NotTrainedError,
            "predict_newdata() before training",
        )


def check_learner_print(learner: Any, task: Any) -> None:
    """Check that ``repr()`` works before and after training and names the learner."""
    with checking(_subject(learner), "check_learner_print", task.id):
        fresh = fresh_learner(learner)
        for stage in ("untrained", "trained"):
            text = repr(fresh)
            require(
                isinstance(text, str) and fresh.id in text,
                f"repr() of the {stage} learner must name its id, got {text!r}",
            )
            require(isinstance(str(fresh), str), "str() must return a str")
            if stage == "untrained":
                fresh.train(task)


def check_learner_state(learner: Any, task: Any, seed: int = 1) -> None:
    """Check that training returns the learner and records the task in its state."""
    with checking(_subject(learner), "check_learner_state", task.id):
        fresh = fresh_learner(learner)
        seed_everything(seed)
        result = fresh.train(task)
        require(result is fresh, "train() must return the learner itself")
        state = fresh.state
        require(state is not None, "state is None after training")
        require(fresh.model is not None, "model is None after training")
        require(
            list(state.feature_names) == list(task.feature_names),
            f"state.feature_names {state.feature_names} differ from the task's "
            f"{task.feature_names}",
        )
        require(state.task_type == task.task_type, f"state.task_type is {state.task_type!r}")
        if task.task_type == "classif":
            require(
                list(state.class_names) == list(task.class_names),
                f"state.class_names {state.class_names} differ from the task's {task.class_names}",
            )
        time = state.train_time
        require(
            isinstance(time, (float, int)) and time >= 0,
            f"state.train_time must be a number >= 0, got {time!r}",
        )


def check_learner_reset(learner: Any, task: Any, seed: int = 1) -> None:
    """Check that ``reset()`` returns the learner, clears the state and allows retraining."""
    with checking(_subject(learner), "check_learner_reset", task.id):
        fresh = fresh_learner(learner)
        seed_everything(seed)
        fresh.train(task)
        result = fresh.reset()
        require(result is fresh, "reset() must return the learner itself")
        require(fresh.state is None, "state must be None after reset()")
        require(fresh.model is None, "model must be None after reset()")
        require_raises(lambda: fresh.predict(task), NotTrainedError, "predicting after reset()")
        fresh.train(task)
        require(fresh.state is not None, "training after reset() must set the state again")


def check_learner_clone(learner: Any, task: Any, seed: int = 1) -> None:
    """Check that clones are independent: id, parameter values and state are not shared."""
    with checking(_subject(learner), "check_learner_clone", task.id):
        original = fresh_learner(learner)
        original_id = original.id
        copy = original.clone()
        require(copy is not original, "clone() returned the same object")
        require(copy.param_set is not original.param_set, "clone() shares the param_set")
        copy.id = original_id + "_clone"
        require(original.id == original_id, "changing the clone's id changed the original's")
        before = dict(original.param_set.values)
        if before:
            del copy.param_set.values[next(iter(before))]
            require(
                dict(original.param_set.values) == before,
                "removing a parameter value of the clone changed the original's values",
            )
        copy = original.clone()
        seed_everything(seed)
        copy.train(task)
        require(original.state is None, "training the clone trained the original")
        trained_copy = copy.clone()
        require(
            trained_copy.state is not None and trained_copy.state is not copy.state,
            "clone() of a trained learner must copy the state, not share it",
        )
        seed_everything(seed)
        a = prediction_values(copy.predict(task))
        seed_everything(seed)
        b = prediction_values(trained_copy.predict(task))
        diff = same_predictions(a, b, exact=False)
        require(not diff, f"a clone of a trained learner predicts differently: {diff}")
        trained_copy.reset()
        require(copy.state is not None, "reset() of the clone cleared the original's state")


def check_learner_prediction(learner: Any, task: Any, predict_type: str, seed: int = 1) -> None:
    """Train on ``task``, predict it with ``predict_type`` and check the prediction.

    See :func:`mlr3py.testing.check_prediction` for what is checked; the
    prediction is also scored with the default measure, which must not be NaN.
    """
    with checking(_subject(learner), "check_learner_prediction", task.id, predict_type):
        fresh = fresh_learner(learner, predict_type)
        prediction = _train_predict(fresh, task, seed)
        check_prediction(prediction, task, predict_type)
        score = prediction.score()
        require(
            not np.isnan(np.asarray(score, dtype=float)).any(),
            f"the default measure scores the prediction as NaN: {dict(score)}",
        )


def check_learner_replicable(learner: Any, task: Any, predict_type: str, seed: int = 1) -> None:
    """Check that two trainings with the same seed give identical predictions."""
    with checking(_subject(learner), "check_learner_replicable", task.id, predict_type):
        runs = [
            prediction_values(_train_predict(fresh_learner(learner, predict_type), task, seed))
            for _ in range(2)
        ]
        diff = same_predictions(runs[0], runs[1], exact=True)
        require(
            not diff,
            f"two runs seeded with {seed} (numpy's global generator and random) "
            f"gave different predictions: {diff}",
        )


def check_learner_predict_newdata(
    learner: Any, task: Any, predict_type: str, seed: int = 1
) -> None:
    """Check that ``predict_newdata()`` on the task's features (columns reversed) agrees with
    ``predict()``."""
    with checking(_subject(learner), "check_learner_predict_newdata", task.id, predict_type):
        fresh = fresh_learner(learner, predict_type)
        expected = prediction_values(_train_predict(fresh, task, seed))
        newdata = task.data(cols=list(reversed(task.feature_names)))
        seed_everything(seed + 1)
        prediction = fresh.predict_newdata(newdata)
        got = prediction_values(prediction)
        require(
            len(got["row_ids"]) == task.nrow,
            f"predict_newdata() returned {len(got['row_ids'])} rows for {task.nrow}",
        )
        got["row_ids"] = expected["row_ids"]
        diff = same_predictions(expected, got, exact=False)
        require(not diff, f"predict_newdata() disagrees with predict(): {diff}")


def check_learner_sanity(learner: Any, task: Any, seed: int = 1) -> None:
    """Check that the learner learns an easy signal (mlr3's sanity check).

    On the ``sanity`` tasks the training error must be at most 0.3
    (classification) or the mean squared error at most 2 (regression), and
    every predict type must give the same response.
    """
    subject = _subject(learner)
    responses = {}
    for predict_type in learner.predict_types:
        with checking(subject, "check_learner_sanity", task.id, predict_type):
            prediction = _train_predict(fresh_learner(learner, predict_type), task, seed)
            values = prediction_values(prediction)
            truth = prediction.truth
            if task.task_type == "classif":
                truth = np.array([str(v) for v in np.asarray(truth, dtype=object)], dtype=object)
                err = float(np.mean(values["response"] != truth))
                require(err <= 0.3, f"training error {err:.3f} > 0.3 on an easy task")
            else:
                err = float(np.mean((values["response"] - np.asarray(truth, dtype=float)) ** 2))
                require(err <= 2, f"training mse {err:.3f} > 2 on an easy task")
            responses[predict_type] = values["response"]
    with checking(subject, "check_learner_sanity", task.id):
        first, *rest = list(responses.values())
        for other in rest:
            same = (
                np.array_equal(first, other) if first.dtype == object
                else np.allclose(first, other)
            )
            require(same, f"the response differs between predict types {list(responses)}")


def learner_checks(learner: Any, *, n: int = 30, seed: int = 1) -> Iterator[Check]:
    """Yield the conformance checks for ``learner`` as ``(name, callable)`` pairs.

    Names look like ``"check_learner_prediction[feat_all_twoclass:prob]"``;
    each callable takes no arguments and raises :class:`ConformanceError`.
    Ready for ``pytest.mark.parametrize``::

        @pytest.mark.parametrize("name, check", learner_checks(MyLearner()))
        def test_my_learner(name, check):
            check()

    Parameters
    ----------
    learner : Learner
        The learner (never modified: every check works on clones).
    n : int
        Rows of the generated tasks.
    seed : int
        Seed for the task generation and for training.
    """
    tasks = generate_tasks(learner, n=n, seed=seed)
    first = next(t for name, t in tasks.items() if name.startswith("feat_all"))
    f = functools.partial
    yield "check_learner_metadata", f(check_learner_metadata, learner)
    yield "check_learner_param_set", f(check_learner_param_set, learner)
    yield f"check_learner_not_trained[{first.id}]", f(check_learner_not_trained, learner, first)
    yield f"check_learner_print[{first.id}]", f(check_learner_print, learner, first)
    yield f"check_learner_state[{first.id}]", f(check_learner_state, learner, first, seed)
    yield f"check_learner_reset[{first.id}]", f(check_learner_reset, learner, first, seed)
    yield f"check_learner_clone[{first.id}]", f(check_learner_clone, learner, first, seed)
    yield "check_learner_incompatible", f(check_learner_incompatible, learner, n, seed)
    for tid, task in tasks.items():
        if tid.startswith("sanity"):
            yield f"check_learner_sanity[{tid}]", f(check_learner_sanity, learner, task, seed)
            continue
        for pt in learner.predict_types:
            yield (
                f"check_learner_prediction[{tid}:{pt}]",
                f(check_learner_prediction, learner, task, pt, seed),
            )
            if tid.startswith("feat_all"):
                yield (
                    f"check_learner_replicable[{tid}:{pt}]",
                    f(check_learner_replicable, learner, task, pt, seed),
                )
                yield (
                    f"check_learner_predict_newdata[{tid}:{pt}]",
                    f(check_learner_predict_newdata, learner, task, pt, seed),
                )


def check_learner(
    learner: Any, *, seed: int = 1, n: int = 30, exclude: Iterable[str] = ()
) -> None:
    """Run every learner conformance check; raise on the first failure.

    Parameters
    ----------
    learner : Learner
        The learner to check (not modified).
    seed : int
        Seed for the generated tasks and for numpy's global generator and
        :mod:`random` before each training.
    n : int
        Rows of the generated tasks.
    exclude : iterable of str
        Skip checks whose name contains one of these substrings, e.g.
        ``("sanity",)`` for learners that do not learn (featureless, debug).

    Raises
    ------
    ConformanceError
        An ``AssertionError`` naming the learner, the check, the task and the
        predict type that failed.

    Examples
    --------
    >>> from mlr3py import lrn
    >>> check_learner(lrn("classif.rpart"))
    """
    run_checks(learner_checks(learner, n=n, seed=seed), exclude)
