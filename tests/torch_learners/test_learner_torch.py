"""LearnerTorch: the dataset, batching and samplers, losses, optimizers, validation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import torch
from torch import nn
from torch.utils.data import RandomSampler, SequentialSampler

from mlr3py import lrn, resample, rsmp, tsk
from mlr3py.errors import ConfigError, InputError
from mlr3py.tasks import as_task_classif
from mlr3py.torch import AUMLoss, LearnerTorch, TaskDataset, batch_sampler_stratified
from mlr3py.torch.learner import TorchModel

FAST = {"epochs": 1, "batch_size": 32, "seed": 1}


# -- TaskDataset -----------------------------------------------------------------------------
def test_dataset_tensors_and_row_ids():
    task = tsk("sonar").filter(np.arange(100, 140))
    ds = TaskDataset(task)
    assert len(ds) == 40 and ds.n_features == 60
    assert ds.x.dtype == torch.float32 and ds.y.dtype == torch.float32
    assert ds.task is task and ds.target_kind == "binary"
    assert np.array_equal(ds.row_ids, task.row_ids)
    truth = np.asarray(task.truth(), dtype=object)
    assert np.array_equal(ds.y.numpy() == 1, truth == task.positive)
    x, y = ds[torch.tensor([3, 0])]
    assert torch.equal(x, ds.x[[3, 0]]) and torch.equal(y, ds.y[[3, 0]])
    expected = task.data(rows=ds.row_ids[[3]], cols=task.feature_names).to_numpy(np.float32)
    assert np.array_equal(x[0].numpy(), expected[0])


def test_dataset_targets():
    iris = tsk("iris")
    ds = TaskDataset(iris)
    assert ds.target_kind == "codes" and ds.y.dtype == torch.int64
    assert np.array_equal(ds.y.numpy(), np.asarray(iris.truth().codes))
    assert TaskDataset(tsk("mtcars")).y.dtype == torch.float32
    assert TaskDataset(iris, target=None).y is None
    with pytest.raises(ConfigError):
        TaskDataset(iris, target="binary")


def test_dataset_missing_values():
    frame = pd.DataFrame({"y": pd.Categorical(["a", "b"] * 3), "x": [1.0, np.nan, 0, 0, 0, 0],
                          "z": [0.0] * 6})
    task = as_task_classif(frame, target="y", id="holes")
    msg = r"Task 'holes' has missing values in feature\(s\) \['x'\]"
    with pytest.raises(InputError, match=msg):
        TaskDataset(task)


# -- sampler / batch_sampler -----------------------------------------------------------------
class RecordingBatches:
    """A batch sampler that records what it yields (fixed-size chunks of a permutation)."""

    def __init__(self, dataset, generator=None, size=16):
        self.dataset, self.generator, self.size = dataset, generator, size
        self.yielded: list[np.ndarray] = []

    def __len__(self):
        return -(-len(self.dataset) // self.size)

    def __iter__(self):
        perm = torch.randperm(len(self.dataset), generator=self.generator).numpy()
        for start in range(0, len(perm), self.size):
            batch = perm[start : start + self.size]
            self.yielded.append(batch)
            yield batch


def recording_factory():
    """A batch-sampler factory and the list of the samplers it made."""
    made: list[RecordingBatches] = []

    def factory(dataset, generator):
        made.append(RecordingBatches(dataset, generator))
        return made[-1]

    return factory, made


class RecordingLoss(nn.Module):
    def __init__(self):
        super().__init__()
        self.targets: list[torch.Tensor] = []
        self.shapes: list[tuple[int, ...]] = []

    def forward(self, logits, target):
        self.targets.append(target.detach().clone())
        self.shapes.append(tuple(logits.shape))
        return nn.functional.binary_cross_entropy_with_logits(logits, target)


def test_targets_reaching_the_loss_match_the_batch_rows():
    """Reproduction 3: labels at the loss == the task's labels of the batch's row ids."""
    task = tsk("sonar")
    factory, made = recording_factory()
    loss = RecordingLoss()
    learner = lrn("classif.mlp", epochs=2, batch_sampler=factory, loss=loss, seed=1)
    learner.train(task)
    (sampler,) = made
    assert isinstance(sampler.generator, torch.Generator)
    # the learner's loss object is the one in param_set, not a copy
    seen = learner.param_set.values["loss"].targets
    assert len(seen) == len(sampler.yielded) == 2 * 13
    truth = task.truth()
    for batch, target in zip(sampler.yielded, seen, strict=True):
        row_ids = sampler.dataset.row_ids[batch]
        labels = np.asarray(task.truth(row_ids), dtype=object)
        assert np.array_equal(target.numpy() == 1, labels == task.positive)
    assert all(len(s) == 1 for s in learner.param_set.values["loss"].shapes)
    assert set(np.asarray(truth, dtype=object)) == {"M", "R"}


def test_stratified_targets_reach_the_loss(imbalanced):
    loss = RecordingLoss()
    learner = lrn("classif.mlp", epochs=1, batch_sampler=batch_sampler_stratified(3), loss=loss,
                  seed=1)
    learner.train(imbalanced)
    targets = learner.param_set.values["loss"].targets
    assert len(targets) == 20 // 3
    assert all(t.sum() >= 3 for t in targets)  # >= 3 positives in every batch
    assert sum(len(t) for t in targets) == imbalanced.nrow


def test_batch_sampler_needs_no_batch_size():
    learner = lrn("classif.mlp", epochs=1, batch_sampler=RecordingBatches, seed=1)
    learner.train(tsk("sonar"))
    assert learner.history["epoch"].tolist() == [1]


def test_sampler_and_batch_sampler_is_an_error():
    learner = lrn("classif.mlp", sampler=SequentialSampler, batch_sampler=RecordingBatches,
                  **FAST)
    with pytest.raises(ConfigError, match="both 'sampler' and 'batch_sampler'"):
        learner.train(tsk("sonar"))
    with pytest.raises(ConfigError):
        lrn("classif.mlp", sampler=3)


def test_sampler_gets_the_generator_when_it_takes_one():
    calls = []

    def with_generator(dataset, generator):
        calls.append(("g", generator))
        return SequentialSampler(dataset)

    def without(dataset):
        calls.append(("plain", None))
        return SequentialSampler(dataset)

    for factory in (with_generator, without):
        lrn("classif.mlp", sampler=factory, **FAST).train(tsk("sonar"))
    assert calls[0][0] == "g" and isinstance(calls[0][1], torch.Generator)
    assert calls[1] == ("plain", None)
    # torch's own samplers take a generator keyword: reproducible with the seed
    a = lrn("classif.mlp", sampler=RandomSampler, **FAST).train(tsk("sonar"))
    b = lrn("classif.mlp", sampler=RandomSampler, **FAST).train(tsk("sonar"))
    assert all(torch.equal(p, q) for p, q in zip(a.network.parameters(), b.network.parameters(),
                                                   strict=True))


def test_sampler_batches_and_drop_last():
    loss = RecordingLoss()
    lrn("classif.mlp", epochs=1, batch_size=50, drop_last=True, sampler=SequentialSampler,
        loss=loss, seed=1).train(tsk("sonar"))
    assert [len(t) for t in loss.targets] == [50] * 4
    loss = RecordingLoss()
    lrn("classif.mlp", epochs=1, batch_size=50, shuffle=False, loss=loss, seed=1).train(
        tsk("sonar"))
    assert [len(t) for t in loss.targets] == [50, 50, 50, 50, 8]


class WrongLenBatches(RecordingBatches):
    def __len__(self):
        return 3


class WrongLenSampler(SequentialSampler):
    def __len__(self):
        return 5


def test_len_mismatch_is_an_error():
    with pytest.raises(ConfigError, match=r"has len\(\) 3 but yielded 13 batches"):
        lrn("classif.mlp", epochs=2, batch_sampler=WrongLenBatches, seed=1).train(tsk("sonar"))
    with pytest.raises(ConfigError, match=r"has len\(\) 5 but yielded 208 indices"):
        lrn("classif.mlp", sampler=WrongLenSampler, **FAST).train(tsk("sonar"))


# -- loss and optimizer ----------------------------------------------------------------------
def test_default_losses_and_outputs():
    sonar, iris = tsk("sonar"), tsk("iris")
    assert lrn("classif.mlp", **FAST).train(sonar).network[-2].out_features == 1
    assert lrn("classif.mlp", **FAST).train(iris).network[-1].out_features == 3
    ce = lrn("classif.mlp", loss="cross_entropy", predict_type="prob", **FAST).train(sonar)
    assert ce.model.output == "multi" and ce.network[-1].out_features == 2
    assert ce.predict(sonar).prob.shape == (sonar.nrow, 2)
    assert lrn("classif.mlp", loss=nn.CrossEntropyLoss, **FAST).train(sonar).model.output == "multi"


def test_aum_loss_as_the_mlp_loss(imbalanced):
    loss = AUMLoss()
    learner = lrn("classif.mlp", epochs=2, batch_size=20, loss=loss, seed=1)
    learner.train(imbalanced)
    used = learner.param_set.values["loss"]
    assert used.n_batches == 20
    assert np.isfinite(learner.history["train.loss"]).all()


def test_optimizers_and_their_arguments():
    task = tsk("iris")
    sgd = lrn("classif.mlp", optimizer="sgd", lr=0.1, momentum=0.9, nesterov=True, **FAST)
    sgd.train(task)
    adamw = lrn("classif.mlp", optimizer=torch.optim.AdamW, weight_decay=0.1,
                opt_args={"amsgrad": True}, **FAST)
    adamw.train(task)
    with pytest.raises(ConfigError, match=r"Adam of Learner 'classif.mlp' takes no argument"):
        lrn("classif.mlp", optimizer="adam", momentum=0.5, **FAST).train(task)
    with pytest.raises(ConfigError):
        lrn("classif.mlp", optimizer="no_such")
    with pytest.raises(ConfigError):
        lrn("classif.mlp", optimizer=nn.Linear)


# -- validation ------------------------------------------------------------------------------
def test_validate_ratio():
    task = tsk("sonar")
    learner = lrn("classif.mlp", epochs=3, batch_size=16, validate=0.25, seed=1,
                  measures_train=["classif.ce"], measures_valid=["classif.ce", "classif.auc"])
    learner.train(task)
    hist = learner.history
    assert list(hist.columns) == ["epoch", "train.loss", "train.classif.ce", "valid.loss",
                                  "valid.classif.ce", "valid.classif.auc"]
    assert len(hist) == 3 and hist.notna().all().all()
    assert learner.state.n_train == task.nrow


def test_validate_test_needs_a_resampling():
    learner = lrn("classif.mlp", validate="test", **FAST)
    with pytest.raises(ConfigError, match="validate='test'.*resample"):
        learner.train(tsk("sonar"))
    with pytest.raises(ConfigError):
        lrn("classif.mlp", validate=1.5)


def test_validate_test_in_resample_uses_the_test_set():
    task = tsk("sonar")
    learner = lrn("classif.mlp", epochs=2, batch_size=32, seed=1, validate="test",
                  measures_valid=["classif.ce"], predict_type="prob")
    rr = resample(task, learner, rsmp("holdout"), store_models=True)
    fitted = rr.learners[0]
    assert fitted.internal_valid_task is None  # not kept after training
    history = fitted.model.history
    # the last epoch's validation score is the test-set score of the final network
    assert history["valid.classif.ce"].iloc[-1] == pytest.approx(rr.score(["classif.ce"])
                                                                 ["classif.ce"].iloc[0])


def test_patience_needs_validation():
    with pytest.raises(ConfigError, match="needs a validation set"):
        lrn("classif.mlp", patience=2, **FAST).train(tsk("sonar"))


# -- a custom LearnerTorch -------------------------------------------------------------------
def test_subclass_with_its_own_network():
    from mlr3py.learners import LearnerRegr

    class LearnerRegrLinear(LearnerTorch, LearnerRegr):
        def __init__(self):
            super().__init__("regr.linear_torch")

        def _network(self, task, n_features, n_outputs):
            return nn.Linear(n_features, n_outputs)  # (n, 1) output: squeezed by the learner

    learner = LearnerRegrLinear()
    learner.param_set.set_values(epochs=5, batch_size=8, lr=0.1, seed=1)
    task = tsk("mtcars")
    pred = learner.train(task).predict(task)
    assert isinstance(learner.model, TorchModel)
    assert pred.response.shape == (task.nrow,)
