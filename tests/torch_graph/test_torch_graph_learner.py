"""Networks built as graphs, as learners: identical to classif.mlp, resampling, tuning."""

from __future__ import annotations

import pickle

import numpy as np
import pandas as pd
import pytest
import torch
from tests.torch_graph.conftest import mlp_graph

from mlr3py import lrn, msr, resample, rsmp, to_tune, tsk
from mlr3py.execution import plan
from mlr3py.pipelines import po
from mlr3py.testing import check_learner
from mlr3py.torch import GraphLearnerTorch, as_learner_torch, batch_sampler_stratified, nn
from mlr3py.torch.categorical import TensorBatch


def _same_weights(a: torch.nn.Module, b: torch.nn.Module) -> bool:
    pa, pb = list(a.parameters()), list(b.parameters())
    return len(pa) == len(pb) and all(torch.equal(x, y) for x, y in zip(pa, pb, strict=True))


@pytest.mark.parametrize("task_id", ["iris", "sonar"])
def test_graph_mlp_is_bit_identical_to_classif_mlp(task_id: str) -> None:
    task = tsk(task_id)
    graph = as_learner_torch(mlp_graph(epochs=4, batch_size=16, seed=3))
    graph.predict_type = "prob"
    mlp = lrn("classif.mlp", epochs=4, batch_size=16, seed=3, neurons=[16], p=0.1, lr=0.01,
              predict_type="prob")
    pg = graph.train(task).predict(task)
    pm = mlp.train(task).predict(task)
    assert _same_weights(graph.network, mlp.network)
    np.testing.assert_array_equal(pg.prob, pm.prob)
    assert list(pg.response) == list(pm.response)
    pd.testing.assert_frame_equal(graph.history, mlp.model.history)
    # and a different seed gives other weights
    other = as_learner_torch(mlp_graph(epochs=4, batch_size=16, seed=4)).train(task)
    assert not _same_weights(other.network, mlp.network)


def test_graph_regression_is_bit_identical_to_regr_mlp() -> None:
    task = tsk("mtcars")
    graph = as_learner_torch(
        po("torch_ingress_num") >> nn("linear", out_features=8) >> nn("tanh") >> nn("head")
        >> po("torch_model_regr", epochs=3, batch_size=8, seed=2))
    mlp = lrn("regr.mlp", epochs=3, batch_size=8, seed=2, neurons=[8], p=0.0, activation="tanh")
    pg = graph.train(task).predict(task)
    pm = mlp.train(task).predict(task)
    assert _same_weights(graph.network, mlp.network)
    np.testing.assert_array_equal(pg.response, pm.response)


def test_fields_network_history_dataset(mixed_task) -> None:
    graph = (po("scale") >> po("torch_ingress_num") >> nn("linear", out_features=4)
             >> nn("head") >> po("torch_model_classif", epochs=2, batch_size=32, seed=1))
    learner = as_learner_torch(graph)
    assert isinstance(learner, GraphLearnerTorch)
    assert learner.network is None and learner.history is None
    learner.train(mixed_task)
    assert list(learner.history["epoch"]) == [1, 2]
    assert isinstance(learner.network, torch.nn.Module)
    data = learner.dataset(mixed_task)
    assert len(data) == mixed_task.nrow
    x = data.x["torch_ingress_num"]
    assert x.shape == (mixed_task.nrow, 3)
    # po("scale") stands before the ingress: the tensors are the scaled training features
    np.testing.assert_allclose(x.mean(0).numpy(), 0, atol=1e-5)
    with pytest.raises(Exception, match="not been trained"):
        as_learner_torch(graph).dataset(mixed_task)


def test_two_ingresses_batches_carry_named_tensors(mixed_task) -> None:
    num = po("torch_ingress_num") >> nn("linear", out_features=6)
    categ = (po("torch_ingress_categ") >> nn("embedding", embedding_dim=3) >> nn("flatten")
             >> nn("linear_2", out_features=6))
    graph = (po("copy", outnum=2) >> _gunion(num, categ) >> nn("merge_sum") >> nn("relu")
             >> nn("head") >> po("torch_model_classif", epochs=3, batch_size=20, seed=1))
    learner = as_learner_torch(graph)
    learner.train(mixed_task)
    data = learner.dataset(mixed_task)
    assert isinstance(data.x, TensorBatch)
    assert set(data.x.keys()) == {"torch_ingress_num", "torch_ingress_categ"}
    assert data.x["torch_ingress_categ"].dtype == torch.int64
    assert data.x["torch_ingress_categ"].shape == (mixed_task.nrow, 2)
    assert learner.history["train.loss"].iloc[-1] < learner.history["train.loss"].iloc[0]
    # an unseen level maps to the "unknown" code 0 and still gets a prediction
    frame = mixed_task.data(cols=mixed_task.feature_names).head(3)
    frame["f"] = pd.Categorical(["zz", "u", "v"])
    pred = learner.predict_newdata(frame)
    assert len(pred.response) == 3
    codes = learner.dataset(mixed_task.clone().filter(mixed_task.row_ids[:3])).x
    assert (codes["torch_ingress_categ"] > 0).all()  # training levels get codes >= 1


def _gunion(*graphs):  # type: ignore[no-untyped-def]
    from mlr3py.pipelines import gunion

    return gunion(list(graphs))


def test_merge_cat_and_block(mixed_task) -> None:
    block = nn("linear", out_features=5) >> nn("relu")
    graph = (po("copy", outnum=2)
             >> _gunion(po("torch_ingress_num") >> nn("block", block, n_blocks=3),
                        po("torch_ingress_categ") >> nn("embedding", embedding_dim=2)
                        >> nn("flatten"))
             >> nn("merge_cat") >> nn("batch_norm") >> nn("layer_norm") >> nn("head")
             >> po("torch_model_classif", epochs=1, batch_size=30, seed=1))
    learner = as_learner_torch(graph)
    assert "block.n_blocks" in learner.param_set.ids()
    assert "block.linear.out_features" in learner.param_set.ids()
    learner.train(mixed_task)
    names = [n for n, _ in learner.network.named_children()]
    layers = list(learner.network.layers.keys())
    assert names == ["layers"]
    assert [k for k in layers if k.startswith("block")] == [
        f"block__{i}__{k}" for i in (1, 2, 3) for k in ("linear", "relu")]
    # three blocks, each with its own weights; merge_cat joins 5 + 2 * 2 columns
    assert learner.network.layers["head"].in_features == 9
    w = [learner.network.layers[f"block__{i}__linear"].weight for i in (2, 3)]
    assert not torch.equal(w[0], w[1])


def test_loss_optimizer_and_callbacks_operators() -> None:
    from mlr3py.torch import History

    recorded: list[int] = []

    class Count(History):
        def on_epoch_end(self, **kwargs):  # type: ignore[no-untyped-def]
            recorded.append(kwargs["epoch"])

    graph = (po("torch_ingress_num") >> nn("head") >> po("torch_loss", "cross_entropy")
             >> po("torch_optimizer", "sgd", lr=0.1, momentum=0.5)
             >> po("torch_callbacks", [Count()])
             >> po("torch_model_classif", epochs=3, batch_size=50, seed=1))
    learner = as_learner_torch(graph).train(tsk("iris"))
    assert recorded == [1, 2, 3]
    assert learner.param_set.values["torch_optimizer.lr"] == 0.1
    assert "torch_model_classif.lr" not in learner.param_set.ids()


def test_stratified_batch_sampler_and_seed(imbalanced_task) -> None:
    graph = (po("torch_ingress_num") >> nn("linear", out_features=8) >> nn("relu")
             >> nn("head") >> po("torch_model_classif", epochs=2, seed=7,
                                 batch_sampler=batch_sampler_stratified(4)))
    a = as_learner_torch(graph).train(imbalanced_task)
    b = as_learner_torch(graph).train(imbalanced_task)
    assert _same_weights(a.network, b.network)
    assert len(a.history) == 2


@pytest.fixture
def imbalanced_task():
    from mlr3py.tasks import as_task_classif

    rng = np.random.default_rng(3)
    y = np.where(np.arange(100) < 12, "pos", "neg")
    frame = pd.DataFrame(rng.normal(size=(100, 3)), columns=["a", "b", "c"])
    frame.insert(0, "y", pd.Categorical(y, categories=["pos", "neg"]))
    task = as_task_classif(frame, target="y", positive="pos", id="imb")
    task.col_roles = {**task.col_roles, "stratum": ["y"]}
    return task


@pytest.mark.slow
def test_conformance() -> None:
    graph = (po("encode") >> po("torch_ingress_num") >> nn("linear", out_features=16)
             >> nn("relu") >> nn("head") >> po("torch_optimizer", "adam", lr=0.05)
             >> po("torch_model_classif", epochs=20, batch_size=8))
    check_learner(as_learner_torch(graph))
    regr = (po("encode") >> po("torch_ingress_num") >> nn("linear", out_features=16)
            >> nn("relu") >> nn("head") >> po("torch_optimizer", "adam", lr=0.05)
            >> po("torch_model_regr", epochs=20, batch_size=8))
    check_learner(as_learner_torch(regr))


def test_pickle_keeps_predictions() -> None:
    task = tsk("iris")
    learner = as_learner_torch(mlp_graph(epochs=2, batch_size=16, seed=1)).train(task)
    restored = pickle.loads(pickle.dumps(learner))
    assert list(restored.predict(task).response) == list(learner.predict(task).response)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["sequential", "processes"])
def test_resample_under_plans(name: str) -> None:
    task = tsk("iris")
    learner = as_learner_torch(mlp_graph(epochs=3, batch_size=16, seed=5))
    with plan(name, workers=2) if name != "sequential" else plan("sequential"):
        rr = resample(task, learner, rsmp("cv", folds=3), seed=1)
    assert rr.errors.empty if hasattr(rr.errors, "empty") else not rr.errors
    scores = rr.score(msr("classif.acc"))["classif.acc"]
    assert len(scores) == 3 and scores.mean() > 0.5
    baseline = resample(task, lrn("classif.mlp", epochs=3, batch_size=16, seed=5, neurons=[16],
                                  p=0.1, lr=0.01), rsmp("cv", folds=3), seed=1)
    # the graph network equals classif.mlp under every plan
    np.testing.assert_array_equal(
        scores.to_numpy(), baseline.score(msr("classif.acc"))["classif.acc"].to_numpy())


@pytest.mark.slow
def test_tune_prefixed_parameter() -> None:
    from mlr3py import tnr, tune

    learner = as_learner_torch(mlp_graph(epochs=2, batch_size=16, seed=1))
    learner.param_set.values["linear.out_features"] = to_tune(2, 32)
    learner.param_set.values["torch_optimizer.lr"] = to_tune(1e-3, 1e-1, logscale=True)
    instance = tune(tnr("random_search", batch_size=2), tsk("iris"), learner,
                    rsmp("holdout"), msr("classif.ce"), term_evals=4)
    archive = instance.archive.data
    assert len(archive) == 4
    assert archive["linear.out_features"].between(2, 32).all()
    assert archive["linear.out_features"].nunique() > 1


def test_validate_on_the_test_set_in_resample(mixed_task) -> None:
    graph = (po("scale") >> po("torch_ingress_num") >> nn("linear", out_features=8)
             >> nn("relu") >> nn("head")
             >> po("torch_model_classif", epochs=3, batch_size=16, seed=1, validate="test",
                   measures_valid=["classif.acc"]))
    learner = as_learner_torch(graph)
    rr = resample(mixed_task, learner, rsmp("cv", folds=2), store_models=True, seed=1)
    for fold in range(2):
        history = rr.learners[fold].history
        assert list(history.columns) >= ["epoch", "train.loss", "valid.loss", "valid.classif.acc"]
        assert len(history) == 3 and history["valid.loss"].notna().all()
    # the last epoch's validation accuracy is the test fold's accuracy of the final network
    acc = rr.score(msr("classif.acc"))["classif.acc"].to_numpy()
    last = [rr.learners[i].history["valid.classif.acc"].iloc[-1] for i in range(2)]
    np.testing.assert_allclose(last, acc)


def test_validate_ratio_and_early_stopping() -> None:
    graph = (po("torch_ingress_num") >> nn("head")
             >> po("torch_model_classif", epochs=200, batch_size=16, seed=1, validate=0.3,
                   patience=2, min_delta=0.5))
    learner = as_learner_torch(graph).train(tsk("iris"))
    assert len(learner.history) < 200  # stopped early
