"""``po("encode")`` with R's contrasts: Helmert, polynomial and sum (and the matrices)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mlr3py import as_task_classif
from mlr3py.pipelines import po
from mlr3py.pipelines._contrasts import contr_helmert, contr_poly, contr_sum, contr_treatment
from mlr3py.testing import check_pipeop

LEVELS = ["lo", "mid", "high", "top"]


def _task(values: list[str | None], ordered: bool = False):  # type: ignore[no-untyped-def]
    f = pd.Categorical(values, categories=LEVELS, ordered=ordered)
    y = ["u", "v"] * (len(values) // 2) + ["u"] * (len(values) % 2)
    return as_task_classif(pd.DataFrame({"f": f, "x": np.arange(len(values), dtype=float),
                                         "y": y}), target="y")


@pytest.mark.parametrize("n", range(2, 8))
def test_helmert_is_rs_definition(n: int) -> None:
    # R: level j + 1 against the mean of levels 1..j; column j = (-1 x j, j, 0, ...)
    m = contr_helmert(n)
    assert m.shape == (n, n - 1)
    for j in range(1, n):
        col = m[:, j - 1]
        assert np.all(col[:j] == -1) and col[j] == j and np.all(col[j + 1:] == 0)
    assert np.allclose(m.sum(axis=0), 0)
    assert np.allclose(m.T @ m, np.diag(np.diag(m.T @ m)))  # columns orthogonal


@pytest.mark.parametrize("n", range(2, 8))
def test_sum_and_treatment_are_rs_definition(n: int) -> None:
    s = contr_sum(n)
    assert np.array_equal(s[:-1], np.eye(n - 1)) and np.all(s[-1] == -1)
    t = contr_treatment(n)
    assert np.all(t[0] == 0) and np.array_equal(t[1:], np.eye(n - 1))


@pytest.mark.parametrize("n", range(2, 9))
def test_poly_is_orthonormal_polynomials_of_the_scores(n: int) -> None:
    m = contr_poly(n)
    assert m.shape == (n, n - 1)
    assert np.allclose(m.T @ m, np.eye(n - 1))  # orthonormal
    assert np.allclose(m.sum(axis=0), 0)  # orthogonal to the constant
    scores = np.arange(1, n + 1, dtype=float)
    for d in range(1, n):
        # column d is a polynomial of degree d in the scores (fit exactly, leading coef > 0)
        coef = np.polyfit(scores, m[:, d - 1], d)
        assert np.allclose(np.polyval(coef, scores), m[:, d - 1], atol=1e-9)
        assert coef[0] > 0  # R's sign: increasing leading term


@pytest.mark.parametrize("n", range(2, 8))
def test_matrices_equal_patsy(n: int) -> None:
    contrasts = pytest.importorskip("patsy.contrasts")
    levels = list(range(n))
    pairs = [(contr_helmert, contrasts.Helmert()), (contr_sum, contrasts.Sum()),
             (contr_poly, contrasts.Poly()), (contr_treatment, contrasts.Treatment())]
    for ours, theirs in pairs:
        assert np.allclose(ours(n), theirs.code_without_intercept(levels).matrix)


def test_single_level_has_no_contrasts() -> None:
    for contrast in (contr_helmert, contr_sum, contr_poly, contr_treatment):
        assert contrast(1).shape == (1, 0)


@pytest.mark.parametrize(("method", "matrix"), [("helmert", contr_helmert(4)),
                                                ("sum", contr_sum(4)),
                                                ("poly", contr_poly(4))])
def test_encode_rows_are_the_levels_contrasts(method: str, matrix: np.ndarray) -> None:
    values = ["top", "lo", "mid", "high", None, "mid", "lo", "top"]
    op = po("encode", method=method)
    (out,) = op.train([_task(values, ordered=(method == "poly"))])
    names = ["f.1", "f.2", "f.3"]
    assert out.feature_names == ["x", *names]
    got = out.data(cols=names).to_numpy()
    for row, value in zip(got, values, strict=True):
        if value is None:
            assert np.isnan(row).all()  # a missing value stays missing
        else:
            assert np.allclose(row, matrix[LEVELS.index(value)])


@pytest.mark.parametrize("method", ["helmert", "sum", "poly"])
def test_new_level_at_predict_is_the_mean_row(method: str) -> None:
    train = as_task_classif(pd.DataFrame({"f": ["a", "b", "c", "a"], "y": ["u", "v"] * 2}),
                            target="y")
    new = as_task_classif(pd.DataFrame({"f": ["zz", "b"], "y": ["u", "v"]}), target="y")
    op = po("encode", method=method)
    (out,) = op.train([train])
    (pred,) = op.predict([new])
    rows = pred.data(cols=out.feature_names).to_numpy()
    levels = out.data(cols=out.feature_names).to_numpy()[:3]  # a, b, c
    assert np.allclose(rows[0], levels.mean(axis=0)) and np.allclose(rows[0], 0)
    assert np.allclose(rows[1], levels[1])


@pytest.mark.parametrize("method", ["helmert", "sum", "poly"])
def test_contrast_encodings_conform(method: str) -> None:
    check_pipeop(po("encode", method=method), _task(["lo", "mid", "high", "top", None] * 6))


def test_unknown_method_is_refused() -> None:
    with pytest.raises(ValueError, match="helmert"):
        po("encode", method="deviation")
