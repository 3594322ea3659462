"""The scikit-learn feature operators give scikit-learn's results under mlr3pipelines' names."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.decomposition import KernelPCA
from sklearn.preprocessing import PowerTransformer

from mlr3py import as_task_regr, tsk
from mlr3py.errors import ConfigError, InputError
from mlr3py.pipelines import po, selector_grep
from mlr3py.tasks import TaskRegr


def _task(n: int = 60, seed: int = 4) -> TaskRegr:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({"a": rng.lognormal(size=n), "b": rng.normal(size=n) * 3,
                          "f": rng.choice(["u", "v"], n)})
    frame["y"] = frame["a"] + frame["b"]
    return as_task_regr(frame, target="y")


def _split(task: TaskRegr) -> tuple[TaskRegr, TaskRegr]:
    return task.clone().filter(task.row_ids[:40]), task.clone().filter(task.row_ids[40:])


def test_yeojohnson_and_boxcox_match_power_transformer() -> None:
    train, test = _split(_task())
    for key, method, cols in (("yeojohnson", "yeo-johnson", ["a", "b"]),
                              ("boxcox", "box-cox", ["a"])):
        op = po(key) if key == "yeojohnson" else po(key, affect_columns=selector_grep("^a$"))
        op.train([train])
        (out,) = op.predict([test])
        ref = PowerTransformer(method=method).fit(train.data(cols=cols).to_numpy())
        assert np.allclose(out.data(cols=cols).to_numpy(), ref.transform(
            test.data(cols=cols).to_numpy()))
        assert "f" in out.feature_names  # factors are left alone


def test_boxcox_refuses_non_positive_features() -> None:
    with pytest.raises(InputError, match=r"strictly positive.*\['b'\].*yeojohnson"):
        po("boxcox").train([_task()])


def test_scalerange_and_scalemaxabs() -> None:
    train, test = _split(_task())
    op = po("scalerange", lower=-1, upper=2)
    (out,) = op.train([train])
    values = out.data(cols=["a", "b"])
    assert np.allclose(values.min(), -1) and np.allclose(values.max(), 2)
    (pred,) = op.predict([test])
    raw = train.data(cols=["b"])["b"]
    expected = -1 + 3 * (test.data(cols=["b"])["b"] - raw.min()) / (raw.max() - raw.min())
    assert np.allclose(pred.data(cols=["b"])["b"], expected)
    with pytest.raises(ConfigError, match="lower < upper"):
        po("scalerange", lower=1, upper=1).train([train])
    (scaled,) = po("scalemaxabs", maxabs=2).train([train])
    assert np.allclose(scaled.data(cols=["a", "b"]).abs().max(), 2)


def test_quantilebin_gives_integer_bins() -> None:
    train, test = _split(_task())
    op = po("quantilebin", numsplits=4)
    (out,) = op.train([train])
    bins = out.data(cols=["b"])["b"]
    assert out.col_types()["b"] == "integer"
    assert sorted(bins.unique()) == [1, 2, 3, 4]
    assert bins.value_counts().to_dict() == {1: 10, 2: 10, 3: 10, 4: 10}
    (pred,) = op.predict([test])
    assert set(pred.data(cols=["b"])["b"]) <= {1, 2, 3, 4}


def test_ica_and_kernelpca_columns() -> None:
    task = tsk("iris")
    (ica,) = po("ica", n_comp=2).train([task])
    assert ica.feature_names == ["IC1", "IC2"]
    op = po("kernelpca", features=3, kernel="rbf", gamma=0.5)
    (kpca,) = op.train([task])
    assert kpca.feature_names == ["PC1", "PC2", "PC3"]
    x = task.data(cols=task.feature_names).to_numpy()
    ref = KernelPCA(n_components=3, kernel="rbf", gamma=0.5, eigen_solver="dense").fit(x)
    assert np.allclose(np.abs(kpca.data(cols=["PC1", "PC2", "PC3"]).to_numpy()),
                       np.abs(ref.transform(x)))


def test_complete_data_needed_where_sklearn_needs_it() -> None:
    frame = pd.DataFrame({"a": [1.0, np.nan, 3.0, 4.0], "y": [1.0, 2.0, 3.0, 4.0]})
    task = as_task_regr(frame, target="y")
    with pytest.raises(InputError, match=r"complete features.*\['a'\].*imputemedian"):
        po("kernelpca").train([task])
    (kept,) = po("scalerange").train([task])
    assert kept.data(cols=["a"])["a"].isna().sum() == 1
