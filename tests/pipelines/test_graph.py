"""PipeOps and graphs: channels, states, chaining, union, parameters, bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mlr3py import lrn, tsk
from mlr3py.data.composed import DataBackendCbind
from mlr3py.errors import ConfigError, InputError, NotTrainedError
from mlr3py.pipelines import NO_OP, Graph, PipeOp, gunion, mlr_pipeops, po
from mlr3py.tasks import TaskClassif


def test_scale_learns_from_training_rows_only(task_numeric: TaskClassif) -> None:
    op = po("scale")
    train = task_numeric.clone().filter(range(20))
    test = task_numeric.clone().filter(range(20, 30))
    (out,) = op.train([train])
    assert np.allclose(out.data(cols=["a"])["a"].mean(), 0.0)
    means = train.data(cols=["a"])["a"].mean()
    (pred,) = op.predict([test])
    raw = test.data(cols=["a"])["a"].to_numpy()
    center, scale = op.state.fitted
    assert np.isclose(center[0], means)
    assert np.allclose(pred.data(cols=["a"])["a"].to_numpy(), (raw - center[0]) / scale[0])
    # the input tasks are not changed
    assert np.allclose(test.data(cols=["a"])["a"].to_numpy(), raw)


def test_predict_before_training_raises(task_numeric: TaskClassif) -> None:
    with pytest.raises(NotTrainedError, match="PipeOp 'scale' has not been trained"):
        po("scale").predict([task_numeric])
    with pytest.raises(NotTrainedError):
        (po("scale") >> po("pca")).predict(task_numeric)


def test_inputs_are_checked(task_numeric: TaskClassif) -> None:
    with pytest.raises(InputError, match="list of inputs"):
        po("scale").train(task_numeric)  # type: ignore[arg-type]
    with pytest.raises(InputError, match="takes a Task"):
        po("scale").train([42])
    with pytest.raises(InputError, match="1 input channel"):
        po("scale").train([task_numeric, task_numeric])


def test_chain_builds_edges_and_param_set_has_prefixes() -> None:
    graph = po("scale") >> po("pca", rank=2) >> lrn("classif.rpart")
    assert isinstance(graph, Graph)
    assert graph.ids == ["scale", "pca", "classif.rpart"]
    assert [(e.src_id, e.dst_id) for e in graph.edges] == [("scale", "pca"),
                                                           ("pca", "classif.rpart")]
    ps = graph.param_set
    assert "scale.center" in ps.ids() and "classif.rpart.max_depth" in ps.ids()
    assert ps.values["pca.rank"] == 2
    ps.values["scale.center"] = False
    assert graph.pipeops["scale"].param_set.values["center"] is False
    text = repr(graph)
    assert "scale" in text and "<<UNTRAINED>>" in text


def test_graph_train_predict_with_union(task_numeric: TaskClassif) -> None:
    graph = gunion([po("pca", rank=2), po("nop")]) >> po("featureunion")
    out = graph.train(task_numeric)["featureunion.output"]
    assert out.feature_names == ["PC1", "PC2", "a", "b", "c", "d"]
    pred = graph.predict(task_numeric.clone().filter([0, 1]))["featureunion.output"]
    assert pred.nrow == 2 and pred.feature_names == out.feature_names
    assert graph.is_trained


def test_branch_runs_only_the_selected_path(task_numeric: TaskClassif) -> None:
    graph = po("branch", ["pca", "nop"]) >> gunion([po("pca"), po("nop")]) >> po("unbranch")
    graph.param_set.values["branch.selection"] = "nop"
    (out,) = graph.train(task_numeric).values()
    assert out.feature_names == task_numeric.feature_names
    assert graph.pipeops["pca"].state is NO_OP
    graph.param_set.values["branch.selection"] = "pca"
    (out,) = graph.train(task_numeric).values()
    assert out.feature_names[0] == "PC1"


def test_copy_gives_independent_tasks(task_numeric: TaskClassif) -> None:
    outs = po("copy", outnum=2).train([task_numeric])
    assert outs[0] is not outs[1] and outs[0].feature_names == outs[1].feature_names


def test_sklearn_transformer_as_pipeop(task_numeric: TaskClassif) -> None:
    from sklearn.preprocessing import MinMaxScaler, StandardScaler

    op = po(StandardScaler())
    assert op.id == "standardscaler" and "with_mean" in op.param_set.ids()
    (out,) = op.train([task_numeric])
    assert out.feature_names == ["a", "b", "c", "d"]
    assert np.allclose(out.data(cols=["b"])["b"].std(ddof=0), 1.0)
    op2 = po(MinMaxScaler(), id="mm")
    (res,) = op2.train([task_numeric])
    assert res.data(cols=["a"])["a"].min() == 0.0


def test_bad_graphs() -> None:
    graph = po("scale") >> po("pca")
    with pytest.raises(ConfigError, match="already has a PipeOp with id 'scale'"):
        graph.add_pipeop(po("scale"))
    with pytest.raises(ConfigError, match="Both graphs have a PipeOp with id 'scale'"):
        _ = po("scale") >> po("scale")
    g = Graph().add_pipeop(po("scale")).add_pipeop(po("pca"))
    g.add_edge("scale", "pca")
    with pytest.raises(ConfigError, match="cycle"):
        g.add_edge("pca", "scale")
    with pytest.raises(ConfigError, match="cycle"):
        Graph().add_pipeop(po("nop")).add_edge("nop", "nop")
    learner_graph = Graph().add_pipeop(lrn("classif.rpart")).add_pipeop(po("scale"))
    with pytest.raises(ConfigError, match="Cannot connect output"):
        learner_graph.add_edge("classif.rpart", "scale")
    with pytest.raises(ConfigError, match="no PipeOp 'pcaa'. Did you mean 'pca'"):
        g.add_edge("scale", "pcaa")
    with pytest.raises(ConfigError, match="2 outputs but the right one has 3 inputs"):
        _ = gunion([po("nop", id="a"), po("nop", id="b")]) >> gunion(
            [po("pca"), po("scale"), po("nop")])


def test_registry_and_sugar() -> None:
    assert {"scale", "pca", "encode", "filter", "learner", "branch"} <= set(mlr_pipeops.keys())
    op = po("scale", id="s2", center=False)
    assert op.id == "s2" and op.param_set.values["center"] is False
    assert po("copy", outnum=3).outnum == 3
    assert isinstance(po(lrn("classif.rpart")), PipeOp)
    with pytest.raises(ConfigError, match="Cannot make a PipeOp"):
        po(42)
    table = mlr_pipeops.as_table()
    assert "scale" in set(table["key"])


def test_plot_is_optional() -> None:
    graph = po("scale") >> po("pca")
    try:
        import matplotlib
    except ImportError:
        with pytest.raises(ImportError, match="needs matplotlib"):
            graph.plot()
    else:  # pragma: no cover - depends on the environment
        matplotlib.use("Agg")
        assert graph.plot() is not None


def test_graph_state_is_per_operator() -> None:
    graph = po("scale") >> po("pca")
    graph.train(tsk("iris"))
    assert set(graph.state) == {"scale", "pca"}
    fresh = graph.clone()
    assert fresh.is_trained


def test_scale_works_on_float_blocks_without_dataframes(
    task_numeric: TaskClassif, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sklearn.preprocessing import StandardScaler

    from mlr3py.data.composed import DataBackendMatrix

    train = task_numeric.clone().filter(range(20))
    test = task_numeric.clone()._use_rows([25, 21, 29])  # rows in the order given
    expected = StandardScaler().fit(train.data_matrix())
    op = po("scale")

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("po('scale') built a DataFrame")

    with monkeypatch.context() as patch:
        patch.setattr(pd.DataFrame, "__init__", refuse)
        (out,) = op.train([train])
        (pred,) = op.predict([test])
    assert isinstance(out.backend, DataBackendCbind) and \
        isinstance(out.backend.b2, DataBackendMatrix)
    assert out.feature_names == ["a", "b", "c", "d"]
    assert np.array_equal(out.data_matrix(), expected.transform(train.data_matrix()))
    assert np.array_equal(pred.data_matrix(), expected.transform(test.data_matrix()))
    assert list(pred.row_ids) == [25, 21, 29]


def test_scale_keeps_row_order_and_duplicated_rows(task_numeric: TaskClassif) -> None:
    from sklearn.preprocessing import StandardScaler

    boot = task_numeric.clone()._use_rows([3, 1, 3, 8, 1, 0])  # a bootstrap training set
    (out,) = po("scale").train([boot])
    expected = StandardScaler().fit_transform(boot.data_matrix())
    assert np.array_equal(out.data_matrix(), expected)
    assert list(out.row_ids) == [3, 1, 3, 8, 1, 0]
    ordered = task_numeric.clone()._use_rows([4, 2, 9])
    ordered.cbind(pd.DataFrame({"rank": [3, 1, 2]}))
    ordered.set_col_roles("rank", roles="order")
    (out,) = po("scale").train([ordered])
    raw = ordered.data(cols=["a"])["a"]  # sorted by the order role: rows 2, 9, 4
    scaled = out.data(cols=["a"])["a"]
    assert list(scaled.index) == list(raw.index) == [2, 9, 4]
    assert np.allclose(scaled.to_numpy(), (raw - raw.mean()) / raw.std(ddof=0))
