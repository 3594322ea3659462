"""mlr3torch's sugar: t_opt / t_loss / t_clbk, callbacks and measures given by name or alone."""

from __future__ import annotations

import pytest
import torch

from mlr3py import lrn, msr, tsk
from mlr3py.errors import ConfigError
from mlr3py.torch import (
    CALLBACKS,
    Callback,
    Checkpoint,
    History,
    LRScheduler,
    TorchOptimizer,
    t_clbk,
    t_clbks,
    t_loss,
    t_losses,
    t_opt,
    t_opts,
)


def _mlp(**kwargs):
    return lrn("classif.mlp", epochs=2, batch_size=32, neurons=[4], seed=1, **kwargs)


def test_t_opt_passes_its_arguments_and_the_learner_overrides_them():
    task = tsk("iris")
    learner = _mlp(optimizer=t_opt("sgd", lr=0.05, momentum=0.5)).train(task)
    group = learner.model.optimizer.param_groups[0]
    assert isinstance(learner.model.optimizer, torch.optim.SGD)
    assert group["lr"] == 0.05 and group["momentum"] == 0.5
    learner = _mlp(optimizer=t_opt("sgd", lr=0.05), lr=0.2).train(task)
    assert learner.model.optimizer.param_groups[0]["lr"] == 0.2


def test_t_opt_with_lr_gives_the_same_weights_as_the_lr_parameter():
    task = tsk("iris")
    a = _mlp(optimizer=t_opt("adam", lr=0.03)).train(task).model.network
    b = _mlp(optimizer="adam", lr=0.03).train(task).model.network
    for pa, pb in zip(a.parameters(), b.parameters(), strict=True):
        assert torch.equal(pa, pb)


def test_t_loss_builds_the_loss_with_its_arguments():
    loss = t_loss("cross_entropy", label_smoothing=0.1)
    assert isinstance(loss, torch.nn.CrossEntropyLoss) and loss.label_smoothing == 0.1
    learner = _mlp(loss=loss, callbacks="history").train(tsk("iris"))
    assert len(learner.history) == 2


def test_t_clbk_names_and_schedulers(tmp_path):
    assert isinstance(t_clbk("history"), History)
    ck = t_clbk("checkpoint", path=tmp_path, freq=2)
    assert isinstance(ck, Checkpoint) and ck.freq == 2
    sched = t_clbk("lr_scheduler_step", step_size=1, gamma=0.5)
    assert isinstance(sched, LRScheduler)
    assert sched.scheduler is torch.optim.lr_scheduler.StepLR
    history = _mlp(lr=0.01, callbacks=[sched, "history"]).train(tsk("iris")).history
    assert history["lr"].tolist() == pytest.approx([0.01, 0.005])
    assert "lr_scheduler_cosine_annealing" in t_clbks()
    assert set(CALLBACKS) <= set(t_clbks())


def test_list_sugar():
    assert "adam" in t_opts() and "mse" in t_losses()
    opts = t_opts("adam", "sgd")
    assert all(isinstance(o, TorchOptimizer) for o in opts)
    assert [type(x) for x in t_losses("mse", "l1")] == [torch.nn.MSELoss, torch.nn.L1Loss]
    assert [type(c) for c in t_clbks("history", "progress")] == [History, CALLBACKS["progress"]]


def test_callbacks_and_measures_may_be_one_value():
    learner = _mlp(
        callbacks=t_clbk("history"), measures_train=msr("classif.acc"),
        measures_valid="classif.ce", validate=0.3,
    ).train(tsk("iris"))
    assert {"train.classif.acc", "valid.classif.ce"} <= set(learner.history.columns)
    assert _mlp(callbacks="history").train(tsk("iris")).history is not None


@pytest.mark.parametrize(
    ("make", "hint"),
    [
        (lambda: t_opt("adamm"), "adam"),
        (lambda: t_loss("crossentropy"), "cross_entropy"),
        (lambda: t_clbk("histroy"), "history"),
        (lambda: t_clbk("lr_scheduler_stepp"), "lr_scheduler_step"),
        (lambda: _mlp(optimizer="adamm"), "adam"),
        (lambda: _mlp(loss="crossentropy"), "cross_entropy"),
    ],
)
def test_unknown_names_suggest_the_closest(make, hint):
    with pytest.raises(ConfigError, match=f"Did you mean.*'{hint}'"):
        make()


def test_unknown_callback_name_in_the_learner_fails_with_a_suggestion():
    with pytest.raises(ConfigError, match="Did you mean.*'history'"):
        _mlp(callbacks="histroy").train(tsk("iris"))


def test_callback_that_needs_arguments_given_by_name():
    with pytest.raises(ConfigError, match="needs arguments.*t_clbk"):
        _mlp(callbacks="checkpoint").train(tsk("iris"))


def test_bad_arguments_are_config_errors():
    with pytest.raises(ConfigError, match="MSELoss cannot be built"):
        t_loss("mse", nonsense=1)
    with pytest.raises(ConfigError, match="takes no argument"):
        _mlp(optimizer=t_opt("sgd", lr=0.1, betas=(0.9, 0.99))).train(tsk("iris"))


@pytest.mark.parametrize(
    ("key", "task", "loss", "kind"),
    [
        ("classif.mlp", "iris", "mse", "regression loss"),
        ("classif.mlp", "iris", t_loss("l1"), "regression loss"),
        ("regr.mlp", "mtcars", "cross_entropy", "classification loss"),
        ("regr.mlp", "mtcars", torch.nn.BCEWithLogitsLoss, "classification loss"),
    ],
)
def test_a_loss_for_another_task_type_is_refused(key, task, loss, kind):
    learner = lrn(key, epochs=1, batch_size=8, loss=loss)
    with pytest.raises(ConfigError, match=f"is a {kind}, but the task"):
        learner.train(tsk(task))


class CountBatches(Callback):
    def __init__(self):
        self.n = 0

    def on_batch_end(self, **kwargs):
        self.n += 1


def test_the_model_keeps_the_optimizer_and_the_callbacks_that_ran():
    import pickle

    counter = CountBatches()
    learner = _mlp(callbacks=[counter, t_clbk("progress", disable=True)]).train(tsk("iris"))
    assert counter.n == 0  # the learner trains a copy
    ran = learner.model.callbacks
    assert ran[0].n == 2 * 5  # 2 epochs x 5 batches of 32 rows
    assert learner.model.optimizer.state_dict()["state"]  # Adam's moments after training
    again = pickle.loads(pickle.dumps(learner))
    assert again.model.callbacks[0].n == 10
    assert again.predict(tsk("iris")).score(msr("classif.acc")).iloc[0] == pytest.approx(
        learner.predict(tsk("iris")).score(msr("classif.acc")).iloc[0]
    )


def test_mlr3torch_callbacks_mlr3py_lacks_say_what_to_do_instead():
    with pytest.raises(ConfigError, match="'tb' is not in mlr3py.*history"):
        t_clbk("tb")


def test_t_opt_refuses_tune_tokens_and_points_to_the_learner_parameter():
    from mlr3py import to_tune

    with pytest.raises(ConfigError, match=r"tune \['lr'\].*lr=to_tune"):
        t_opt("adam", lr=to_tune(1e-3, 1e-1))
