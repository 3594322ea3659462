"""Tests of PredictionClassif."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mlr3py.errors import ConfigError, InputError
from mlr3py.predictions import PredictionClassif


@pytest.fixture
def binary() -> PredictionClassif:
    prob = pd.DataFrame({"M": [0.9, 0.6, 0.3, 0.2, 0.55], "R": [0.1, 0.4, 0.7, 0.8, 0.45]})
    return PredictionClassif(
        row_ids=[10, 11, 12, 13, 14],
        truth=pd.Categorical(["M", "R", "R", "M", "M"], categories=["M", "R"]),
        prob=prob,
    )


@pytest.fixture
def multi() -> PredictionClassif:
    prob = np.array([[0.5, 0.3, 0.2], [0.1, 0.6, 0.3], [0.2, 0.3, 0.5], [0.4, 0.4, 0.2]])
    return PredictionClassif(
        [0, 1, 2, 3], truth=["a", "b", "b", "c"], prob=prob, class_names=["a", "b", "c"]
    )


def test_response_is_argmax_of_prob(binary: PredictionClassif) -> None:
    assert list(binary.response) == ["M", "M", "R", "R", "M"]
    assert binary.predict_types == ["response", "prob"]
    assert binary.class_names == ["M", "R"]
    assert binary.positive == "M"
    assert binary.task_type == "classif"
    assert len(binary) == 5


def test_ties_go_to_first_class(multi: PredictionClassif) -> None:
    assert list(multi.response) == ["a", "b", "c", "a"]
    assert multi.positive is None


def test_truth_and_response_are_categoricals(binary: PredictionClassif) -> None:
    assert isinstance(binary.truth, pd.Categorical)
    assert list(binary.truth.categories) == ["M", "R"]
    assert binary.row_ids.dtype == np.int64
    assert list(binary.prob.columns) == ["M", "R"]
    assert list(binary.prob.index) == [10, 11, 12, 13, 14]


def test_prob_columns_reordered_to_class_names() -> None:
    prob = pd.DataFrame({"R": [0.2, 0.9], "M": [0.8, 0.1]})
    p = PredictionClassif([0, 1], truth=["M", "R"], prob=prob, class_names=["M", "R"])
    np.testing.assert_allclose(p.prob["M"], [0.8, 0.1])
    assert list(p.response) == ["M", "R"]


def test_class_names_inferred_from_labels_when_not_categorical() -> None:
    p = PredictionClassif([0, 1, 2], truth=["b", "a", "b"], response=["a", "a", "b"])
    assert p.class_names == ["a", "b"]
    assert p.predict_types == ["response"]
    assert p.prob is None


def test_non_string_labels_are_matched_as_strings() -> None:
    p = PredictionClassif([0, 1], truth=[1, 0], response=[1, 1], class_names=["1", "0"])
    assert list(p.truth) == ["1", "0"]
    assert p.confusion.loc["1", "0"] == 1


def test_confusion_has_response_rows_truth_columns(binary: PredictionClassif) -> None:
    conf = binary.confusion
    assert conf.index.name == "response"
    assert conf.columns.name == "truth"
    # response M M R R M, truth M R R M M
    assert conf.loc["M", "M"] == 2
    assert conf.loc["M", "R"] == 1
    assert conf.loc["R", "M"] == 1
    assert conf.loc["R", "R"] == 1
    assert conf.to_numpy().sum() == 5


def test_confusion_skips_missing_response() -> None:
    p = PredictionClassif([0, 1, 2], truth=["a", "b", "b"], response=["a", None, "b"],
                          class_names=["a", "b"])
    assert p.confusion.to_numpy().sum() == 2
    assert list(p.missing) == [1]


def test_missing_includes_rows_with_nan_prob() -> None:
    prob = np.array([[0.2, 0.8], [np.nan, np.nan]])
    p = PredictionClassif([5, 6], truth=["a", "b"], prob=prob, class_names=["a", "b"])
    assert list(p.missing) == [6]
    assert pd.isna(p.response[1])


def test_set_threshold_binary(binary: PredictionClassif) -> None:
    out = binary.set_threshold(0.5)
    assert out is binary
    assert list(binary.response) == ["M", "M", "R", "R", "M"]
    binary.set_threshold(0.58)
    assert list(binary.response) == ["M", "M", "R", "R", "R"]
    binary.set_threshold(0.0)
    assert set(binary.response) == {"M"}
    binary.set_threshold(1.0)
    assert set(binary.response) == {"R"}


def test_set_threshold_boundary_is_inclusive() -> None:
    p = PredictionClassif([0], truth=["a"], prob=np.array([[0.3, 0.7]]), class_names=["a", "b"])
    assert list(p.set_threshold(0.3).response) == ["a"]


def test_set_threshold_multiclass_weights(multi: PredictionClassif) -> None:
    multi.set_threshold({"a": 1.0, "b": 1.0, "c": 0.1})
    assert list(multi.response) == ["c", "c", "c", "c"]
    multi.set_threshold({"a": 0.1, "b": 1.0, "c": 1.0})
    assert list(multi.response) == ["a", "a", "a", "a"]


def test_set_threshold_errors(multi: PredictionClassif) -> None:
    with pytest.raises(ConfigError, match="two classes"):
        multi.set_threshold(0.5)
    with pytest.raises(ConfigError, match="one threshold per class"):
        multi.set_threshold({"a": 0.5})
    with pytest.raises(ConfigError, match=r"\[0, 1\]"):
        PredictionClassif([0], ["a"], prob=[[0.5, 0.5]], class_names=["a", "b"]).set_threshold(2)
    response_only = PredictionClassif([0], ["a"], response=["a"], class_names=["a", "b"])
    with pytest.raises(ConfigError, match="predict_type='prob'"):
        response_only.set_threshold(0.5)


def test_as_data_frame(binary: PredictionClassif) -> None:
    df = binary.as_data_frame()
    assert list(df.columns) == ["row_ids", "truth", "response", "prob.M", "prob.R"]
    assert df["row_ids"].tolist() == [10, 11, 12, 13, 14]
    assert df["prob.M"].tolist()[0] == 0.9


def test_filter_keeps_order_and_returns_self(binary: PredictionClassif) -> None:
    out = binary.filter([14, 10, 99])
    assert out is binary
    assert binary.row_ids.tolist() == [10, 14]
    assert list(binary.truth) == ["M", "M"]
    assert binary.prob.shape == (2, 2)


def test_score_defaults_to_ce(binary: PredictionClassif) -> None:
    scores = binary.score()
    assert list(scores.index) == ["classif.ce"]
    assert scores["classif.ce"] == pytest.approx(2 / 5)


def test_score_accepts_keys(binary: PredictionClassif) -> None:
    scores = binary.score(["classif.acc", "classif.auc"])
    assert scores["classif.acc"] == pytest.approx(3 / 5)
    assert 0 <= scores["classif.auc"] <= 1


def test_repr_mentions_class_and_rows(binary: PredictionClassif) -> None:
    text = repr(binary)
    assert text.startswith("<PredictionClassif> for 5 observations:")
    assert "prob.M" in text


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"truth": ["a", "x"], "response": ["a", "b"]}, "'x'"),
        ({"truth": ["a"], "response": ["a", "b"]}, "one entry per row id"),
        ({"truth": ["a", "b"]}, "response, a prob"),
        ({"truth": ["a", "b"], "prob": [[0.5, 0.5, 0.0]] * 2}, "shape"),
        ({"truth": ["a", "b"], "prob": [[1.5, -0.5]] * 2}, r"\[0, 1\]"),
        ({"truth": ["a", "b"], "prob": pd.DataFrame({"a": [1, 0], "z": [0, 1]})}, "columns"),
    ],
)
def test_bad_input(kwargs: dict, match: str) -> None:
    with pytest.raises(InputError, match=match):
        PredictionClassif([0, 1], class_names=["a", "b"], **kwargs)


def test_non_integer_row_ids_rejected() -> None:
    with pytest.raises(InputError, match="integers"):
        PredictionClassif(["x"], truth=["a"], response=["a"], class_names=["a", "b"])


def test_labels_share_one_cached_dtype_per_class_list() -> None:
    from mlr3py.learners._labels import class_dtype as learner_class_dtype
    from mlr3py.predictions.classif import class_dtype

    p = PredictionClassif([0, 1, 2], truth=["a", "b", "a"], response=["b", "b", "a"],
                          class_names=["b", "a"])
    dtype = class_dtype(["b", "a"])
    assert list(dtype.categories) == ["b", "a"] and not dtype.ordered
    assert p.truth.dtype is dtype and p.response.dtype is dtype
    assert learner_class_dtype(("b", "a")) is dtype
    assert class_dtype(["a", "b"]) is not dtype
    assert p.response.tolist() == ["b", "b", "a"]
