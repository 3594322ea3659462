"""classif.debug and regr.debug: constant predictions and deliberate misbehaviour."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import numpy as np
import pandas as pd
import pytest

from mlr3py.errors import ConfigError, LearnerPredictError, LearnerTrainError
from mlr3py.learners import DebugModel, mlr_learners
from mlr3py.tasks import Task


def test_remembers_a_random_label(iris):
    learner = mlr_learners.get("classif.debug").train(iris)
    model = learner.model
    assert isinstance(model, DebugModel)
    assert model.response in iris.class_names
    assert model.pid == os.getpid()
    assert model.iter == 1
    prediction = learner.predict(iris)
    assert set(prediction.response) == {model.response}


def test_label_is_reproducible_with_numpy_seed(iris, seed_global_rng):
    labels = []
    for _ in range(2):
        seed_global_rng(7)
        labels.append(mlr_learners.get("classif.debug").train(iris).model.random_number)
    assert labels[0] == labels[1]


def test_regr_predicts_training_mean(mtcars):
    learner = mlr_learners.get("regr.debug", predict_type="se").train(mtcars)
    prediction = learner.predict(mtcars)
    np.testing.assert_allclose(prediction.response, mtcars.truth().mean())
    np.testing.assert_allclose(prediction.se, mtcars.truth().std(ddof=1))


def test_parameters_as_in_mlr3():
    ids = set(mlr_learners.get("classif.debug").param_set.ids())
    assert ids == {
        "error_train", "error_predict", "warning_train", "warning_predict", "message_train",
        "message_predict", "segfault_train", "segfault_predict", "sleep_train",
        "sleep_predict", "predict_missing", "predict_missing_type", "save_tasks", "threads",
        "x", "iter",
    }
    assert set(mlr_learners.get("regr.debug").param_set.ids()) == ids
    assert mlr_learners.get("classif.debug").param_set.ids(tags="threads") == ["threads"]


@pytest.mark.parametrize("key", ["classif.debug", "regr.debug"])
def test_error_train_raises(key, iris, mtcars):
    task = iris if key.startswith("classif") else mtcars
    learner = mlr_learners.get(key, error_train=1)
    with pytest.raises(LearnerTrainError, match=f"Error from {key}->train\\(\\)"):
        learner.train(task)
    assert learner.state is None


@pytest.mark.parametrize("key", ["classif.debug", "regr.debug"])
def test_error_predict_raises(key, iris, mtcars):
    task = iris if key.startswith("classif") else mtcars
    learner = mlr_learners.get(key, error_predict=1).train(task)
    with pytest.raises(LearnerPredictError, match=f"Error from {key}->predict\\(\\)"):
        learner.predict(task)


def test_probability_zero_never_fires(iris):
    learner = mlr_learners.get("classif.debug", error_train=0, error_predict=0)
    assert len(learner.train(iris).predict(iris)) == 150


def test_warnings(iris):
    learner = mlr_learners.get("classif.debug", warning_train=1, warning_predict=1)
    with pytest.warns(UserWarning, match=r"Warning from classif.debug->train\(\)"):
        learner.train(iris)
    with pytest.warns(UserWarning, match=r"Warning from classif.debug->predict\(\)"):
        learner.predict(iris)


def test_messages_go_to_stderr(iris, capsys):
    learner = mlr_learners.get("classif.debug", message_train=1, message_predict=1)
    learner.train(iris)
    assert capsys.readouterr().err == "Message from classif.debug->train()\n"
    learner.predict(iris)
    assert capsys.readouterr().err == "Message from classif.debug->predict()\n"


def test_predict_missing_na(iris):
    learner = mlr_learners.get("classif.debug", predict_missing=0.5).train(iris)
    prediction = learner.predict(iris)
    assert len(prediction) == 150
    assert pd.isna(np.asarray(prediction.response, dtype=object)).sum() == 75
    assert len(prediction.missing) == 75


def test_predict_missing_na_with_prob(iris):
    learner = mlr_learners.get("classif.debug", predict_missing=0.5, predict_type="prob")
    prediction = learner.train(iris).predict(iris)
    missing = pd.isna(np.asarray(prediction.response, dtype=object))
    assert missing.sum() == 75
    prob = np.asarray(prediction.prob, dtype=float)
    np.testing.assert_array_equal(np.isnan(prob).any(axis=1), missing)
    np.testing.assert_allclose(prob[~missing].sum(axis=1), 1.0)


def test_predict_missing_omit(iris, mtcars):
    learner = mlr_learners.get(
        "classif.debug", predict_missing=0.5, predict_missing_type="omit"
    ).train(iris)
    prediction = learner.predict(iris)
    assert len(prediction) == 75
    assert not pd.isna(np.asarray(prediction.response, dtype=object)).any()
    assert set(prediction.row_ids) < set(iris.row_ids)
    regr = mlr_learners.get("regr.debug", predict_missing=0.25, predict_missing_type="omit")
    assert len(regr.train(mtcars).predict(mtcars)) == 24


def test_regr_predict_missing_na(mtcars):
    learner = mlr_learners.get("regr.debug", predict_missing=0.5).train(mtcars)
    prediction = learner.predict(mtcars)
    assert np.isnan(prediction.response).sum() == 16


def test_save_tasks(iris):
    learner = mlr_learners.get("classif.debug", save_tasks=True)
    learner.train(iris, iris.row_ids[:10])
    assert isinstance(learner.model.task_train, Task)
    np.testing.assert_array_equal(learner.model.task_train.row_ids, iris.row_ids[:10])
    learner.predict(iris, iris.row_ids[10:20])
    np.testing.assert_array_equal(learner.model.task_predict.row_ids, iris.row_ids[10:20])
    assert mlr_learners.get("classif.debug").train(iris).model.task_train is None


def test_sleep_number_and_callable(iris):
    learner = mlr_learners.get("classif.debug", sleep_train=0.05)
    learner.train(iris)
    assert learner.timings["train"] >= 0.05
    calls = []

    def secs() -> float:
        calls.append(1)
        return 0.02

    learner.param_set.values["sleep_predict"] = secs
    learner.predict(iris)
    assert calls == [1] and learner.timings["predict"] >= 0.02


def test_sleep_validation(iris):
    learner = mlr_learners.get("classif.debug")
    with pytest.raises(ConfigError, match="'sleep_train' parameter of Learner 'classif.debug'"):
        learner.param_set.values["sleep_train"] = "long"
    learner.param_set.values["sleep_train"] = lambda: "long"
    with pytest.raises(ConfigError, match="must return a number"):
        learner.train(iris)


def test_probability_bounds_validated():
    learner = mlr_learners.get("classif.debug")
    with pytest.raises(ConfigError, match=r"'error_train' parameter .* in \[0, 1\]. Got 1.5"):
        learner.param_set.values["error_train"] = 1.5


def test_iter_and_x_are_stored(iris):
    learner = mlr_learners.get("classif.debug", iter=3, x=0.5, threads=2).train(iris)
    assert learner.model.iter == 3
    assert learner.state.param_vals == {"iter": 3, "x": 0.5, "threads": 2}


def _run_python(code: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.pop("PYTHONFAULTHANDLER", None)  # a Python-level handler would change the exit
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True, text=True, timeout=120, env=env, check=False,
    )


@pytest.mark.slow
@pytest.mark.subprocess
@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize("stage", ["train", "predict"])
def test_segfault_really_crashes_the_process(stage):
    result = _run_python(
        f"""
        from mlr3py.learners import mlr_learners
        from mlr3py.tasks import mlr_tasks
        task = mlr_tasks.get("iris")
        learner = mlr_learners.get("classif.debug", segfault_{stage}=1)
        learner.train(task)
        learner.predict(task)
        print("survived")
        """
    )
    assert result.returncode == -signal.SIGSEGV
    assert "survived" not in result.stdout


@pytest.mark.slow
@pytest.mark.subprocess
def test_no_segfault_by_default_in_subprocess():
    result = _run_python(
        """
        from mlr3py.learners import mlr_learners
        from mlr3py.tasks import mlr_tasks
        task = mlr_tasks.get("iris")
        mlr_learners.get("classif.debug").train(task).predict(task)
        print("survived")
        """
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "survived"
