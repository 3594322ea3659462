"""po("pca"): the components, as R's prcomp()."""

from __future__ import annotations

import numpy as np
import pytest

from mlr3py import tsk
from mlr3py.pipelines import po


@pytest.mark.parametrize(("name", "p"), [("iris", 4), ("mtcars", 10)])
def test_uncentred_pca_gives_all_components(name: str, p: int) -> None:
    task = tsk(name)
    op = po("pca", center=False)
    (out,) = op.train([task])
    assert out.feature_names == [f"PC{i + 1}" for i in range(p)]
    x = task.data(cols=task.feature_names).to_numpy(dtype=float)
    pcs = out.data(cols=out.feature_names).to_numpy(dtype=float)
    # prcomp(center = FALSE): the scores are x %*% rotation, rotation orthonormal
    # and the column sums of squares are the squared singular values of x
    singular = np.linalg.svd(x, compute_uv=False)
    np.testing.assert_allclose((pcs ** 2).sum(axis=0), singular ** 2, rtol=1e-8)
    rotation = np.linalg.lstsq(x, pcs, rcond=None)[0]
    np.testing.assert_allclose(rotation.T @ rotation, np.eye(p), atol=1e-8)
    np.testing.assert_allclose(pcs @ rotation.T, x, atol=1e-8)
    (pred,) = op.predict([task])
    np.testing.assert_allclose(pred.data(cols=pred.feature_names).to_numpy(dtype=float), pcs)


def test_uncentred_pca_rank_and_scale() -> None:
    task = tsk("iris")
    (out,) = po("pca", center=False, scale=True, rank=2).train([task])
    assert out.feature_names == ["PC1", "PC2"]
    (one,) = po("pca", center=False).train([task.clone().select(["Petal.Length"])])
    x = task.data(cols=["Petal.Length"]).to_numpy(dtype=float)[:, 0]
    np.testing.assert_allclose(np.abs(one.data(cols=["PC1"])["PC1"].to_numpy()), x)
