"""Bad input of pipelines: new factor levels at prediction time per operator, a
``filter_frac`` of 0, missing values where an operator needs complete features."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mlr3py import as_task_classif, lrn
from mlr3py.errors import ConfigError, InputError
from mlr3py.filters import flt
from mlr3py.pipelines import po


def _tasks():  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(0)
    n = 40
    train = pd.DataFrame({"f": pd.Categorical(rng.choice(["a", "b"], n)),
                          "x": rng.normal(size=n), "y": rng.choice(["u", "v"], n)})
    train.loc[[1, 2], "x"] = np.nan
    train.loc[[3], "f"] = np.nan
    # predict rows: a training level, a level training never saw, a missing level;
    # the new level's dtype lacks training level "b"
    new = pd.DataFrame({"f": pd.Categorical(["a", "zz", None]), "x": [np.nan, np.nan, 1.0],
                        "y": ["u", "v", "u"]})
    return as_task_classif(train, target="y"), as_task_classif(new, target="y")


def _predict(op, cols):  # type: ignore[no-untyped-def]
    train, new = _tasks()
    op.train([train])
    (out,) = op.predict([new])
    return out.data(cols=cols)


def test_encode_gives_a_new_level_a_zero_row() -> None:
    for method in ("one-hot", "treatment", "helmert", "sum", "poly"):
        op = po("encode", method=method)
        train, _ = _tasks()
        (trained,) = op.train([train])
        cols = [c for c in trained.feature_names if c.startswith("f.")]
        out = _predict(po("encode", method=method), cols).to_numpy()
        assert np.all(out[1] == 0), method  # new level
        assert np.isnan(out[2]).all(), method  # missing stays missing
    ordinal = _predict(po("encode", method="ordinal"), ["f"])["f"].tolist()
    assert ordinal[0] == 1 and np.isnan(ordinal[1]) and np.isnan(ordinal[2])


def test_encodeimpact_and_fixfactors_make_a_new_level_missing() -> None:
    out = _predict(po("encodeimpact"), ["f.u", "f.v"]).to_numpy()
    assert np.isfinite(out[0]).all() and np.isnan(out[1]).all()
    zero = _predict(po("encodeimpact", impute_zero=True), ["f.u", "f.v"]).to_numpy()
    assert np.all(zero[1] == 0)
    assert _predict(po("fixfactors"), ["f"])["f"].isna().tolist() == [False, True, True]


@pytest.mark.parametrize(("key", "filled"), [("imputemode", None), ("imputeoor", ".MISSING"),
                                             ("imputeconstant", ".MISSING"),
                                             ("imputesample", None)])
def test_factor_imputers_keep_a_new_level_and_fill_missing(key: str, filled: str | None) -> None:
    f = _predict(po(key), ["f"])["f"]
    assert list(f[:2]) == ["a", "zz"]
    assert f.iloc[2] == filled if filled is not None else f.iloc[2] in {"a", "b"}


def test_imputelearner_passes_a_new_context_level_as_missing() -> None:
    out = _predict(po("imputelearner", lrn("regr.rpart")), ["x", "f"])
    assert out["x"].notna().all() and out["f"].tolist()[:2] == ["a", "zz"]
    # the new level's row is imputed as a row with f missing
    train, _ = _tasks()
    op = po("imputelearner", lrn("regr.rpart"))
    op.train([train])
    same = pd.DataFrame({"f": pd.Categorical([None, "a"], categories=["a", "b"]),
                         "x": [np.nan, 0.0], "y": ["v", "u"]})
    (pred,) = op.predict([as_task_classif(same, target="y")])
    assert pred.data(cols="x")["x"].iloc[0] == out["x"].iloc[1]


def test_filter_frac_zero_is_refused() -> None:
    train, _ = _tasks()
    with pytest.raises(ConfigError, match=r"'filter_frac' parameter of PipeOp 'variance' must "
                                          r"be in \(0, 1\]"):
        po("filter", flt("variance"), filter_frac=0).train([train])
    with pytest.raises(ConfigError, match="filter_frac"):
        po("filter", flt("variance"), filter_frac=1.01)


def test_missing_values_where_complete_features_are_needed() -> None:
    from sklearn.decomposition import FastICA

    train, _ = _tasks()
    with pytest.raises(InputError, match=r"PipeOp 'pca' needs complete features, but \['x'\].*"
                                         r"po\('imputemedian'\) >> po\('pca'\)"):
        po("pca").train([train])
    with pytest.raises(InputError, match=r"(?s)PipeOp 'fastica' \(FastICA\).*\['x'\] have "
                                         r"missing"):
        po(FastICA(n_components=1)).train([train])
    (out,) = (po("imputemedian") >> po("pca")).train(train).values()
    assert "PC1" in out.feature_names
