"""eval_freq: the validation set is scored every eval_freq epochs and after the last."""

from __future__ import annotations

import numpy as np

from mlr3py import lrn, tsk
from mlr3py.torch import t_clbk


def _mlp(**kwargs):
    return lrn("classif.mlp", batch_size=32, neurons=[4], seed=1, validate=0.3,
               measures_valid="classif.ce", **kwargs)


def test_validation_every_eval_freq_epochs_and_after_the_last():
    history = _mlp(epochs=7, eval_freq=3).train(tsk("iris")).history
    validated = history.loc[history["valid.classif.ce"].notna(), "epoch"].tolist()
    assert validated == [3, 6, 7]
    assert history["train.loss"].notna().all()


def test_eval_freq_does_not_change_the_training():
    a = _mlp(epochs=4, eval_freq=2).train(tsk("iris")).history
    b = _mlp(epochs=4).train(tsk("iris")).history
    assert np.array_equal(a["train.loss"].to_numpy(), b["train.loss"].to_numpy())
    assert a["valid.loss"].iloc[-1] == b["valid.loss"].iloc[-1]


def test_patience_counts_evaluations():
    learner = _mlp(epochs=40, eval_freq=2, patience=1, lr=0.5, min_delta=10.0)
    history = learner.train(tsk("iris")).history
    # min_delta=10 never counts as improvement: the first evaluation (epoch 2) is the
    # best, the second (epoch 4) exhausts patience 1
    assert history["epoch"].tolist() == [1, 2, 3, 4]
    assert learner.internal_tuned_values == {"epochs": 2}


def test_plateau_scheduler_steps_only_on_evaluated_epochs():
    sched = t_clbk("lr_scheduler_reduce_on_plateau", patience=0, factor=0.5, threshold=10.0)
    history = _mlp(epochs=5, eval_freq=2, lr=0.01, callbacks=sched).train(tsk("iris")).history
    # threshold=10: no value counts as an improvement, so every step halves the rate;
    # steps come after epochs 2 and 4 only (the rate an epoch ran with is logged)
    assert history["lr"].tolist() == [0.01, 0.01, 0.005, 0.005, 0.0025]
