"""classif.mlp and regr.mlp: training, prediction, conformance, resampling, pickling."""

from __future__ import annotations

import pickle
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
import torch
from torch import nn

from mlr3py import lrn, resample, rsmp, tsk
from mlr3py.errors import ConfigError, InputError
from mlr3py.learners import mlr_learners
from mlr3py.testing import check_learner
from mlr3py.torch import LearnerClassifMLP, LearnerRegrMLP, TorchModel, build_mlp

FAST = {"epochs": 3, "batch_size": 32, "seed": 1}


def test_registered_and_sugar():
    learner = lrn("classif.mlp", epochs=2, batch_size=16, neurons=[8])
    assert isinstance(learner, LearnerClassifMLP)
    assert isinstance(lrn("regr.mlp"), LearnerRegrMLP)
    assert {"classif.mlp", "regr.mlp"} <= set(mlr_learners.keys())
    assert learner.predict_types == ["response", "prob"]
    assert lrn("regr.mlp").predict_types == ["response"]
    assert learner.packages == ["torch"]
    assert learner.param_set.values == {"epochs": 2, "batch_size": 16, "neurons": [8]}
    assert learner.param_set.default["num_threads"] == 1
    assert "threads" in learner.param_set.tags["num_threads"]


@pytest.mark.slow
@pytest.mark.subprocess
def test_without_torch_the_error_names_the_extra():
    code = (
        "import importlib.util\n"
        "find_spec = importlib.util.find_spec\n"
        "importlib.util.find_spec = lambda name, *a: (\n"
        "    None if name.split('.')[0] == 'torch' else find_spec(name, *a))\n"
        "from mlr3py import lrn\n"
        "from mlr3py.learners import mlr_learners\n"
        "assert 'classif.mlp' not in mlr_learners.keys()\n"
        "try:\n"
        "    lrn('classif.mlp')\n"
        "except Exception as e:\n"
        "    print(type(e).__name__, e)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.startswith("ConfigError")
    assert "pip install mlr3py[torch]" in out.stdout


def test_sonar_twoclass_prob():
    task = tsk("sonar")
    learner = lrn("classif.mlp", predict_type="prob", neurons=[16], lr=0.01, **FAST)
    pred = learner.train(task).predict(task)
    assert list(pred.prob.columns) == task.class_names == ["M", "R"]
    assert np.allclose(pred.prob.sum(axis=1), 1)
    expected = np.where(pred.prob["M"] >= 0.5, "M", "R")
    assert (np.asarray(pred.response, dtype=object) == expected).all()
    model = learner.model
    assert isinstance(model, TorchModel)
    assert model.output == "binary" and model.class_names == ["M", "R"]
    assert list(model.history["epoch"]) == [1, 2, 3] and model.epochs == 3
    # the single output unit is the logit of the positive class M
    x = torch.tensor(task.data(cols=task.feature_names).to_numpy(), dtype=torch.float32)
    with torch.no_grad():
        p = torch.sigmoid(learner.network.eval()(x)).numpy()
    assert np.allclose(p, pred.prob["M"].to_numpy(), atol=1e-6)


def test_iris_multiclass_learns():
    task = tsk("iris")
    learner = lrn("classif.mlp", epochs=30, batch_size=16, neurons=[16], p=0.0, lr=0.02, seed=2,
                  predict_type="prob")
    pred = learner.train(task).predict(task)
    assert learner.model.output == "multi"
    assert list(pred.prob.columns) == task.class_names
    assert pred.score(["classif.ce"]).iloc[0] < 0.1


def test_mtcars_regression():
    task = tsk("mtcars")
    learner = lrn("regr.mlp", epochs=40, batch_size=8, neurons=[], lr=0.05, seed=3)
    pred = learner.train(task).predict(task)
    assert learner.model.output == "regr" and learner.model.class_names is None
    assert pred.response.shape == (task.nrow,)
    baseline = float(np.var(task.truth()))
    assert np.isfinite(pred.response).all()
    assert learner.history["train.loss"].iloc[-1] < learner.history["train.loss"].iloc[0]
    assert pred.score(["regr.mse"]).iloc[0] < 10 * baseline


def test_empty_neurons_is_linear():
    net = build_mlp(4, 3, [], p=0.5)
    assert [type(m) for m in net] == [nn.Linear]
    net = build_mlp(4, 1, [8, 8], p=0.0, activation="tanh")
    assert [type(m) for m in net] == [nn.Linear, nn.Tanh, nn.Linear, nn.Tanh, nn.Linear, nn.Flatten]
    assert net(torch.zeros(5, 4)).shape == (5,)
    net = build_mlp(4, 2, [8], p=0.3, activation=nn.ELU)
    assert [type(m) for m in net] == [nn.Linear, nn.ELU, nn.Dropout, nn.Linear]


@pytest.mark.slow
@pytest.mark.parametrize("key", ["classif.mlp", "regr.mlp"])
def test_conformance(key):
    check_learner(lrn(key, epochs=20, batch_size=8, lr=0.05))


def test_resample_cv():
    rr = resample(tsk("sonar"), lrn("classif.mlp", **FAST), rsmp("cv", folds=3))
    scores = rr.score(["classif.ce"])
    assert len(scores) == 3
    assert np.isfinite(rr.aggregate(["classif.ce"])).all()


def test_resample_is_reproducible_with_random_seed():
    learner = lrn("classif.mlp", epochs=1, batch_size=32)
    a = resample(tsk("sonar"), learner, rsmp("cv", folds=3), seed=5)
    b = resample(tsk("sonar"), learner, rsmp("cv", folds=3), seed=5)
    assert a.aggregate(["classif.ce"]).equals(b.aggregate(["classif.ce"]))


def test_pickle_and_store_models():
    task = tsk("sonar")
    learner = lrn("classif.mlp", predict_type="prob", neurons=[4], **FAST).train(task)
    copy = pickle.loads(pickle.dumps(learner))
    assert np.allclose(copy.predict(task).prob, learner.predict(task).prob)
    rr = resample(task, learner, rsmp("holdout"), store_models=True)
    assert isinstance(rr.learners[0].model, TorchModel)


def test_predict_newdata():
    task = tsk("iris")
    learner = lrn("classif.mlp", predict_type="prob", **FAST).train(task)
    newdata = task.data(rows=task.row_ids[:7], cols=task.feature_names[::-1])
    pred = learner.predict_newdata(newdata)
    assert np.allclose(pred.prob, learner.predict(task, task.row_ids[:7]).prob)


def test_factor_features_are_one_hot(imbalanced):
    learner = lrn("classif.mlp", **FAST).train(imbalanced)
    first = learner.network[0]
    assert first.in_features == 5 + 3  # five numeric + three levels of "f"
    assert learner.model.encoder.output_names[-3:] == ["f.a", "f.b", "f.c"]
    learner.predict(imbalanced)


def test_missing_values_give_a_clear_error():
    frame = pd.DataFrame({"y": pd.Categorical(["a", "b"] * 5), "x": [1.0, np.nan] + [0.0] * 8})
    from mlr3py.tasks import as_task_classif

    task = as_task_classif(frame, target="y", id="holes")
    with pytest.raises(InputError, match="missing"):
        lrn("classif.mlp", **FAST).train(task)


def test_required_params():
    with pytest.raises(ConfigError, match="epochs"):
        lrn("classif.mlp", batch_size=4).train(tsk("iris"))
    with pytest.raises(ConfigError, match="batch_size"):
        lrn("classif.mlp", epochs=1).train(tsk("iris"))
    with pytest.raises(ConfigError):
        lrn("classif.mlp", epochs=-1)
    with pytest.raises(ConfigError):
        lrn("classif.mlp", neurons=[0])
    with pytest.raises(ConfigError):
        lrn("classif.mlp", activation="no_such")


def test_num_threads_restored():
    before = torch.get_num_threads()
    seen = []

    class Spy(nn.Module):
        def forward(self, x):
            seen.append(torch.get_num_threads())
            return x

    learner = lrn("classif.mlp", activation=Spy(), neurons=[4], num_threads=1, **FAST)
    learner.train(tsk("iris"))
    assert set(seen) == {1}
    assert torch.get_num_threads() == before


def test_device_auto_is_cpu_here():
    learner = lrn("classif.mlp", **FAST).train(tsk("iris"))
    assert learner.model.device == ("cuda" if torch.cuda.is_available() else "cpu")
    assert lrn("classif.mlp", device="cpu", **FAST).train(tsk("iris")).model.device == "cpu"
    with pytest.raises(ConfigError):
        lrn("classif.mlp", device="no_such_device")


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a GPU")
def test_cuda():
    task = tsk("sonar")
    learner = lrn("classif.mlp", device="cuda", predict_type="prob", **FAST).train(task)
    assert next(learner.network.parameters()).is_cuda
    assert learner.predict(task).prob.shape == (task.nrow, 2)


def test_threads_plan_refuses_torch_learners():
    # torch's random state is shared by the threads of a process: results would vary
    from mlr3py import plan, tweak
    from mlr3py.errors import ConfigError

    refused = "Learner 'classif.mlp' uses torch.*plan\\('processes'\\)"
    with plan(tweak("threads", workers=2)), pytest.raises(ConfigError, match=refused):
        resample(tsk("iris"), lrn("classif.mlp", **FAST), rsmp("cv", folds=2), seed=1)
    sequential = resample(tsk("iris"), lrn("classif.mlp", **FAST), rsmp("cv", folds=2), seed=1)
    assert sequential.iters == 2
