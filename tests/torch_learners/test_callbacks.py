"""Callbacks: history, progress, checkpoints, early stopping, learning-rate schedulers."""

from __future__ import annotations

import io

import pytest
import torch

from mlr3py import lrn, tsk
from mlr3py.errors import ConfigError
from mlr3py.torch import (
    Callback,
    Checkpoint,
    EarlyStopping,
    History,
    LRScheduler,
    Progress,
)


def _mlp(**args):
    base = {"epochs": 4, "batch_size": 52, "neurons": [4], "seed": 1}
    return lrn("classif.mlp", **{**base, **args})


class Recorder(Callback):
    def __init__(self):
        self.events = []

    def on_begin(self, **kwargs):
        self.events.append("begin")

    def on_epoch_begin(self, *, epoch, **kwargs):
        self.events.append(f"epoch{epoch}")

    def on_batch_end(self, *, batch, loss, **kwargs):
        assert loss.dim() == 0
        self.events.append(f"b{batch}")

    def on_epoch_end(self, *, logs, **kwargs):
        self.events.append(f"end{logs['epoch']}")

    def on_end(self, **kwargs):
        self.events.append("end")


def test_hooks_are_called_in_order_and_instances_are_copied():
    rec = Recorder()
    learner = _mlp(epochs=2, callbacks=[rec])
    learner.train(tsk("sonar"))
    assert rec.events == []  # the learner worked on a copy
    learner = _mlp(epochs=2, callbacks=[Recorder])  # a class is instantiated
    learner.train(tsk("sonar"))


def test_hook_order():
    seen = []

    class Spy(Recorder):
        def on_end(self, **kwargs):
            super().on_end(**kwargs)
            seen.extend(self.events)

    _mlp(epochs=2, callbacks=[Spy()]).train(tsk("sonar"))
    assert seen == ["begin", "epoch1", "b0", "b1", "b2", "b3", "end1",
                    "epoch2", "b0", "b1", "b2", "b3", "end2", "end"]


def test_history_kept_in_the_model():
    learner = _mlp(epochs=3, measures_train=["classif.ce"])
    learner.train(tsk("sonar"))
    hist = learner.model.history
    assert hist["epoch"].tolist() == [1, 2, 3]
    assert list(hist.columns) == ["epoch", "train.loss", "train.classif.ce"]
    assert History().frame().empty


def test_stop_flag_from_a_callback():
    class StopAfterTwo(Callback):
        def on_epoch_end(self, *, epoch, **kwargs):
            return epoch >= 2

    class StopAtBatch(Callback):
        def on_batch_end(self, *, batch, **kwargs):
            return batch == 1

    assert _mlp(epochs=10, callbacks=[StopAfterTwo()]).train(tsk("sonar")).model.epochs == 2
    learner = _mlp(epochs=10, callbacks=[StopAtBatch()]).train(tsk("sonar"))
    assert learner.model.epochs == 1


def test_early_stopping_by_patience():
    learner = _mlp(epochs=50, lr=0.0, validate=0.3, patience=3,
                   measures_valid=["classif.ce"])  # lr 0: never improves
    learner.train(tsk("sonar"))
    assert learner.model.epochs == 4  # the first epoch, then three without improvement
    assert learner.model.best_epoch == 1


def test_early_stopping_callback_min_delta_and_restore():
    cb = EarlyStopping(patience=2, min_delta=10.0, restore_best=True)  # nothing is 10 better
    learner = _mlp(epochs=30, lr=0.05, validate=0.3, callbacks=[cb])
    learner.train(tsk("sonar"))
    assert learner.model.epochs == 3
    assert learner.model.best_epoch == 1
    with pytest.raises(ConfigError, match="needs a validation set"):
        _mlp(callbacks=[EarlyStopping(2)]).train(tsk("sonar"))
    with pytest.raises(ConfigError):
        EarlyStopping(0)


def test_checkpoint_writes_files(tmp_path):
    _mlp(epochs=5, callbacks=[Checkpoint(tmp_path / "ck", freq=2)]).train(tsk("sonar"))
    names = sorted(p.name for p in (tmp_path / "ck").iterdir())
    assert names == ["network2.pt", "network4.pt", "network5.pt",
                     "optimizer2.pt", "optimizer4.pt", "optimizer5.pt"]
    state = torch.load(tmp_path / "ck" / "network5.pt")
    assert set(state) == {"0.weight", "0.bias", "3.weight", "3.bias"}
    with pytest.raises(ConfigError):
        Checkpoint(tmp_path, freq=0)


def test_progress_bar():
    out = io.StringIO()
    _mlp(epochs=3, callbacks=[Progress(file=out)]).train(tsk("sonar"))
    text = out.getvalue()
    assert "3/3" in text and "train.loss" in text


@pytest.mark.parametrize(
    ("scheduler", "args", "check"),
    [
        ("step", {"step_size": 2, "gamma": 0.1}, lambda lr: lr == pytest.approx(
            [0.1, 0.1, 0.01, 0.01])),
        ("cosine", {}, lambda lr: lr[0] == 0.1 and lr[1] < lr[0] and lr[3] < lr[2]),
        ("one_cycle", {"max_lr": 0.5}, lambda lr: len(set(lr)) == 4),
        ("plateau", {"patience": 0, "factor": 0.5}, lambda lr: lr[-1] < lr[0]),
    ],
)
def test_lr_schedulers_change_the_lr(scheduler, args, check):
    sched = LRScheduler(scheduler, **args)
    kwargs = {"validate": 0.3} if scheduler == "plateau" else {}
    # plateau: a tiny rate never improves the validation loss by its relative threshold
    learner = _mlp(epochs=4, lr=0.1 if scheduler != "plateau" else 1e-7, callbacks=[sched],
                   optimizer="sgd", **kwargs)
    learner.train(tsk("sonar"))
    lrs = learner.history["lr"].tolist()
    assert check(lrs), lrs


def test_lr_scheduler_class_and_errors():
    sched = LRScheduler(torch.optim.lr_scheduler.ExponentialLR, gamma=0.5)
    learner = _mlp(epochs=3, lr=0.1, callbacks=[sched])
    learner.train(tsk("sonar"))
    assert learner.history["lr"].tolist() == pytest.approx([0.1, 0.05, 0.025])
    with pytest.raises(ConfigError, match="Did you mean 'cosine'"):
        LRScheduler("cosin")
    with pytest.raises(ConfigError):
        LRScheduler("step", step_on="never")


def test_invalid_callbacks():
    with pytest.raises(ConfigError, match="Callback instances, classes or names"):
        _mlp(callbacks=[object()]).train(tsk("sonar"))
    with pytest.raises(ConfigError, match="Callback instance, class or name"):
        _mlp(callbacks=object())
