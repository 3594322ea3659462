"""classif/regr.tab_resnet, .ft_transformer, .tabnet, .module: training, seeds, samplers, errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import torch
from torch import nn

from mlr3py import lrn
from mlr3py.errors import ConfigError, InputError, NotTrainedError
from mlr3py.learners import mlr_learners
from mlr3py.tasks import as_task_classif, as_task_regr
from mlr3py.torch import (
    Callback,
    FTTransformer,
    LearnerClassifTabNet,
    LearnerTorch,
    TabNetModel,
    TabResNet,
    TensorBatch,
    batch_sampler_stratified,
)

SMALL = {
    "tab_resnet": {"n_blocks": 1, "d_block": 8},
    "ft_transformer": {"n_blocks": 1, "d_token": 8, "attention_n_heads": 2},
    "tabnet": {"decision_width": 4, "attention_width": 4, "num_steps": 2},
}
KINDS = [*SMALL, "module"]


def _small_net(task, n_features, n_outputs):
    return nn.Sequential(nn.Linear(n_features, 8), nn.ReLU(), nn.Linear(8, n_outputs))


def make(key: str, **args) -> LearnerTorch:
    kind = key.split(".", 1)[1]
    extra = {"module_generator": _small_net} if kind == "module" else SMALL[kind]
    learner = lrn(key, **{"epochs": 2, "batch_size": 16, "seed": 1, **extra, **args})
    assert isinstance(learner, LearnerTorch)
    return learner


def _frame(n: int = 80, seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    colour = rng.choice(["red", "green", "blue"], size=n)
    x = rng.normal(size=n)
    return pd.DataFrame({
        "x": x,
        "k": rng.integers(0, 5, size=n),
        "flag": rng.random(n) < 0.5,
        "colour": pd.Categorical(colour, categories=["blue", "green", "red"]),
        "size": pd.Categorical(rng.choice(["S", "L"], size=n), categories=["S", "L"],
                               ordered=True),
        "score": x + (colour == "red") * 2.0 + rng.normal(scale=0.1, size=n),
    })


@pytest.fixture
def classif_task():
    frame = _frame()
    frame["y"] = pd.Categorical(np.where(frame.pop("score") > 0.8, "yes", "no"),
                                categories=["yes", "no"])
    return as_task_classif(frame, target="y", id="mixed_classif", positive="yes")


@pytest.fixture
def regr_task():
    return as_task_regr(_frame(), target="score", id="mixed_regr")


@pytest.mark.parametrize("kind", KINDS)
def test_registered(kind):
    for task_type in ("classif", "regr"):
        key = f"{task_type}.{kind}"
        assert key in mlr_learners.keys()
        learner = lrn(key)
        assert learner.id == key and learner.task_type == task_type
    assert ("importance" in lrn(f"classif.{kind}").properties) == (kind == "tabnet")


@pytest.mark.parametrize("kind", KINDS)
def test_classif_prob_and_regr_response(kind, classif_task, regr_task):
    learner = make(f"classif.{kind}", predict_type="prob")
    pred = learner.train(classif_task).predict(classif_task)
    assert list(pred.prob.columns) == ["yes", "no"]
    assert np.allclose(pred.prob.sum(axis=1), 1.0)
    assert len(learner.history) == 2
    regr = make(f"regr.{kind}")
    response = regr.train(regr_task).predict(regr_task).response
    assert response.shape == (regr_task.nrow,) and np.isfinite(response).all()


@pytest.mark.parametrize("kind", KINDS)
def test_same_seed_same_results(kind, classif_task):
    def run(seed):
        learner = make(f"classif.{kind}", seed=seed, predict_type="prob", epochs=2)
        learner.train(classif_task)
        weights = [p.detach().clone() for p in learner.network.parameters()]
        return weights, learner.predict(classif_task).prob.to_numpy()

    (wa, pa), (wb, pb), (wc, _) = run(4), run(4), run(5)
    assert all(torch.equal(a, b) for a, b in zip(wa, wb, strict=True))
    assert np.array_equal(pa, pb)
    assert not all(torch.equal(a, c) for a, c in zip(wa, wc, strict=True))


@pytest.mark.parametrize("kind", KINDS)
def test_stratified_batch_sampler(kind, imbalanced):
    learner = make(f"classif.{kind}", batch_sampler=batch_sampler_stratified(5))
    del learner.param_set.values["batch_size"]
    seen = []

    class Record(Callback):
        def on_batch_begin(self, ctx, batch, idx, **kwargs):
            seen.append(idx.clone())

    learner.param_set.values["callbacks"] = [Record()]
    learner.train(imbalanced)
    y = imbalanced.truth().to_numpy()
    # 20 positives / 5 per batch = 4 batches per epoch, each with its share of positives
    assert len(seen) == 2 * 4
    for idx in seen:
        assert (y[idx.numpy()] == "pos").sum() == 5


@pytest.mark.parametrize("kind", ["ft_transformer", "tabnet"])
def test_unseen_level_gets_the_unknown_code(kind, classif_task):
    learner = make(f"classif.{kind}", predict_type="prob").train(classif_task)
    new = classif_task.data(rows=[0, 1, 2], cols=classif_task.feature_names)
    unseen = new.assign(colour=pd.Series(["purple", "purple", "purple"], dtype=object))
    missing = new.assign(colour=pd.Series([None, None, None], dtype=object))
    p_unseen = learner.predict_newdata(unseen).prob.to_numpy()
    p_missing = learner.predict_newdata(missing).prob.to_numpy()
    p_known = learner.predict_newdata(new).prob.to_numpy()
    assert np.allclose(p_unseen, p_missing)  # both get code 0
    assert not np.allclose(p_unseen, p_known)
    # a task with an unseen level predicts too
    frame = classif_task.data()
    frame["colour"] = pd.Categorical(["violet"] * len(frame))
    other = as_task_classif(frame, target="y", id="violet", positive="yes")
    assert np.allclose(learner.predict(other, row_ids=[0]).prob.to_numpy(), p_missing[:1])


def test_one_hot_learners_still_refuse_unseen_levels(classif_task):
    learner = make("classif.tab_resnet").train(classif_task)
    new = classif_task.data(rows=[0], cols=classif_task.feature_names)
    new["colour"] = pd.Series(["purple"], dtype=object)
    with pytest.raises(InputError, match="Unseen level 'purple' in column 'colour'"):
        learner.predict_newdata(new)


def test_module_factory_must_return_a_module(classif_task):
    def not_a_net(task):
        return "a string"

    learner = lrn("classif.module", module_generator=not_a_net, epochs=1, batch_size=8)
    with pytest.raises(ConfigError, match=r"'module_generator' not_a_net .* returned str"):
        learner.train(classif_task)
    with pytest.raises(ConfigError, match="required parameter 'module_generator'.*not set"):
        lrn("classif.module", epochs=1, batch_size=8).train(classif_task)
    with pytest.raises(ConfigError, match="module_generator"):
        lrn("classif.module", module_generator=3)


def test_module_factory_taking_the_task_and_mixed_ingress(classif_task):
    calls = []

    class Net(nn.Module):
        def __init__(self, task):
            super().__init__()
            calls.append(task.id)
            self.emb = nn.Embedding(4, 2)
            self.lin = nn.Linear(3 + 2 * 2, 1)

        def forward(self, x):
            assert isinstance(x, TensorBatch)
            e = self.emb(x["categ"]).flatten(1)
            return self.lin(torch.cat([x["num"], e], dim=1))

    learner = lrn("classif.module", module_generator=Net, ingress="mixed", epochs=1,
                  batch_size=16, seed=1)
    pred = learner.train(classif_task).predict(classif_task)
    assert calls == ["mixed_classif"]
    assert len(pred.response) == classif_task.nrow


@pytest.mark.skipif(torch.cuda.is_available(), reason="needs a machine without CUDA")
@pytest.mark.parametrize("kind", KINDS)
def test_cuda_without_a_gpu_is_a_clear_error(kind, classif_task):
    learner = make(f"classif.{kind}", device="cuda")
    with pytest.raises(ConfigError, match=r"device='cuda'.*no CUDA device"):
        learner.train(classif_task)


def test_tabnet_importance_and_explain(classif_task):
    learner = make("classif.tabnet", epochs=3)
    with pytest.raises(NotTrainedError, match="before importance"):
        learner.importance()
    learner.train(classif_task)
    assert isinstance(learner.model, TabNetModel)
    imp = learner.importance()
    assert set(imp.index) == set(classif_task.feature_names)
    assert imp.sum() == pytest.approx(1.0)
    assert (imp >= 0).all() and list(imp) == sorted(imp, reverse=True)
    explained = learner.explain(classif_task)
    assert explained.shape == (classif_task.nrow, 5)
    shares = explained.sum() / explained.to_numpy().sum()
    assert np.allclose(shares[imp.index].to_numpy(), imp.to_numpy(), atol=1e-6)


def test_tabnet_trains_with_the_documented_defaults(classif_task):
    learner = LearnerClassifTabNet()
    assert learner.param_set.values == {"batch_size": 256, "lr": 0.02}
    learner.param_set.values.update(epochs=1, seed=1)
    assert len(learner.train(classif_task).history) == 1


def test_tabnet_sparsity_penalty_enters_the_training_loss(classif_task):
    def loss(penalty):
        learner = make("classif.tabnet", penalty=penalty, epochs=1)
        return float(learner.train(classif_task).history["train.loss"].iloc[0])

    assert loss(10.0) > loss(0.0) + 1.0  # mask entropy > 0.1 for 5 features


def test_ft_transformer_checks_heads():
    with pytest.raises(ConfigError, match=r"d_token \(10\) must be a multiple of .*\(4\)"):
        FTTransformer(2, [3], 1, d_token=10, attention_n_heads=4)


def test_tab_resnet_shape():
    net = TabResNet(5, 3, n_blocks=3, d_block=16, d_hidden_multiplier=0.5)
    assert len(net.blocks) == 3
    assert net.blocks[0].linear1.out_features == 8
    assert net(torch.randn(4, 5)).shape == (4, 3)
    assert TabResNet(5, 1)(torch.randn(4, 5)).shape == (4,)


def test_sparsemax_projects_onto_the_simplex():
    from mlr3py.torch import sparsemax

    z = torch.tensor([[1.0, 0.8, -1.0], [0.0, 0.0, 0.0], [3.0, 0.0, 0.0]])
    p = sparsemax(z)
    # tau = (1 + 0.8 - 1) / 2 = 0.4 -> [0.6, 0.4, 0]; ties share equally; a clear winner takes all
    assert torch.allclose(p, torch.tensor([[0.6, 0.4, 0.0], [1 / 3] * 3, [1.0, 0.0, 0.0]]))
    z = torch.randn(6, 5, dtype=torch.float64, requires_grad=True)
    assert torch.allclose(sparsemax(z).sum(dim=1), torch.ones(6, dtype=torch.float64))
    assert torch.autograd.gradcheck(sparsemax, (z,))


@pytest.mark.parametrize("kind", KINDS)
def test_pickled_learner_predicts_the_same(kind, classif_task):
    import pickle

    learner = make(f"classif.{kind}", predict_type="prob").train(classif_task)
    copy = pickle.loads(pickle.dumps(learner))
    assert np.array_equal(copy.predict(classif_task).prob.to_numpy(),
                          learner.predict(classif_task).prob.to_numpy())
    if kind == "tabnet":
        assert copy.importance().equals(learner.importance())


@pytest.mark.parametrize("kind", ["ft_transformer", "tabnet"])
def test_validation_and_measures_with_named_tensors(kind, classif_task):
    learner = make(f"classif.{kind}", epochs=3, validate=0.25, measures_train=["classif.acc"],
                   measures_valid=["classif.acc"])
    history = learner.train(classif_task).history
    assert list(history["epoch"]) == [1, 2, 3]
    for col in ("train.loss", "train.classif.acc", "valid.loss", "valid.classif.acc"):
        assert history[col].notna().all()
    assert history["valid.classif.acc"].between(0, 1).all()
