"""Every built-in PipeOp passes the conformance suite."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest
from tests.pipelines.conftest import mixed_frame

from mlr3py import as_task_classif, lrn
from mlr3py.errors import ConfigError
from mlr3py.filters import flt
from mlr3py.pipelines import (
    TORCH_PIPEOP_KEYS,
    PipeOp,
    mlr_pipeops,
    po,
    selector_grep,
    selector_type,
)
from mlr3py.pipelines._preproc import replace_features
from mlr3py.predictions import PredictionClassif, PredictionRegr
from mlr3py.tasks import Task
from mlr3py.testing import ConformanceError, check_pipeop
from mlr3py.testing._pipeop import pipeop_checks


def _ratio(frame: pd.DataFrame) -> Any:
    return frame["x"] / (1 + frame["k"])


def _task(missing: bool = True):  # type: ignore[no-untyped-def]
    frame = mixed_frame(n=45)
    if not missing:
        frame = frame.dropna()
    return as_task_classif(frame, target="y", positive="pos")


def _prob_frame(task: Task) -> pd.DataFrame:
    """Made-up probabilities of the classes ('pos', 'neg') of the conformance task."""
    pos = 1 / (1 + np.exp(-task.data(cols=["x"])["x"].to_numpy()))
    return pd.DataFrame({"m.prob.pos": pos, "m.prob.neg": 1 - pos},
                        index=pd.Index(task.row_ids, name="row_id"))


def _prediction_classif(task: Task) -> PredictionClassif:
    frame = _prob_frame(task)
    return PredictionClassif(task.row_ids, truth=task.truth(), prob=frame.to_numpy(),
                             class_names=list(task.class_names))


def _prediction_regr(task: Task) -> PredictionRegr:
    frame = task.data(cols=["x", "k"])
    return PredictionRegr(task.row_ids, truth=frame["x"], response=frame["k"])


def _prob_task(task: Task) -> Task:
    return replace_features(task.clone(), task.feature_names, _prob_frame(task))


def _nothing(task: Task) -> None:
    return None


#: key -> (training input, prediction input) for operators that take no task
_INPUTS: dict[str, tuple[Callable[[Task], Any], Callable[[Task], Any]]] = {
    "classifavg": (_nothing, _prediction_classif),
    "regravg": (_nothing, _prediction_regr),
    "threshold": (_nothing, _prediction_classif),
    "tunethreshold": (_prob_task, _prob_task),
}


def _configured(key: str) -> tuple[PipeOp, bool]:
    """The operator ``key`` ready to run, and whether its task may hold missing values."""
    special: dict[str, tuple[PipeOp, bool]] = {
        "select": (po("select", selector=selector_type("numeric")), True),
        "colapply": (po("colapply", applicator=np.abs,
                        affect_columns=selector_type("numeric")), True),
        "mutate": (po("mutate", mutation={"ratio": _ratio}), True),
        "learner": (po("learner", lrn("classif.rpart")), False),
        "learner_cv": (po("learner_cv", lrn("classif.rpart", predict_type="prob")), False),
        "filter": (po("filter", flt("variance"), filter_nfeat=2), False),
        "pca": (po("pca", rank=2), False),
        "sklearn": (po("sklearn"), False),
        "boxcox": (po("boxcox", affect_columns=selector_grep("^z$")), True),
        "quantilebin": (po("quantilebin", numsplits=3), False),
        "ica": (po("ica"), False),
        "kernelpca": (po("kernelpca", features=2), False),
        "regravg": (po("regravg"), False),
        "classifavg": (po("classifavg"), False),
        "threshold": (po("threshold", thresholds=0.3), False),
        "tunethreshold": (po("tunethreshold"), False),
    }
    if key in special:
        return special[key]
    return po(key), True


@pytest.mark.parametrize("key", sorted(set(mlr_pipeops.keys()) - set(TORCH_PIPEOP_KEYS)))
def test_builtin_pipeops_conform(key: str) -> None:
    op, missing = _configured(key)
    train_input, predict_input = _INPUTS.get(key, (None, None))
    check_pipeop(op, _task(missing), train_input, predict_input)


class _Leaky(PipeOp):
    """Scales by the mean of the rows it predicts: leaks predict-time data."""

    def __init__(self) -> None:
        super().__init__("leaky")

    def _train(self, inputs: list[Any]) -> list[Any]:
        self.state = {"ok": True}
        return inputs

    def _predict(self, inputs: list[Any]) -> list[Any]:
        task = inputs[0].clone()
        frame = task.data(cols=["x"])
        frame["x"] = frame["x"] - frame["x"].mean()
        return [task.cbind(frame)]


def test_conformance_catches_a_leak() -> None:
    checks = dict(pipeop_checks(_Leaky(), _task(False)))
    checks["idempotent_predict"]()
    with pytest.raises(ConformanceError, match="no_leak"):
        checks["no_leak"]()


def test_encode_without_factors_is_a_no_op(task_numeric) -> None:  # type: ignore[no-untyped-def]
    (out,) = po("encode").train([task_numeric])
    assert out.feature_names == task_numeric.feature_names
    (pred,) = po("encode").train([task_numeric])
    assert pred.data().equals(task_numeric.data())


def test_encode_methods_and_new_levels() -> None:
    train = as_task_classif(pd.DataFrame({"f": ["a", "b", "c", "a"], "y": ["u", "v", "u", "v"]}),
                            target="y")
    new = as_task_classif(pd.DataFrame({"f": ["d", "b"], "y": ["u", "v"]}), target="y")
    onehot = po("encode")
    (out,) = onehot.train([train])
    assert out.feature_names == ["f.a", "f.b", "f.c"]
    (pred,) = onehot.predict([new])
    assert pred.data(cols=["f.a", "f.b", "f.c"]).to_numpy().tolist() == [[0, 0, 0], [0, 1, 0]]
    (treat,) = po("encode", method="treatment").train([train])
    assert treat.feature_names == ["f.b", "f.c"]
    ordinal = po("encode", method="ordinal")
    ordinal.train([train])
    (pred,) = ordinal.predict([new])
    assert np.isnan(pred.data(cols="f")["f"].iloc[0]) and pred.data(cols="f")["f"].iloc[1] == 2
    fix = po("fixfactors")
    fix.train([train])
    (pred,) = fix.predict([new])
    assert pred.data(cols="f")["f"].isna().tolist() == [True, False]


def test_imputation_uses_training_values(task_mixed) -> None:  # type: ignore[no-untyped-def]
    op = po("imputemean")
    (out,) = op.train([task_mixed])
    assert out.missings(["z"])["z"] == 0
    mean = task_mixed.data(cols="z")["z"].mean()
    assert np.isclose(op.state.fitted["z"], mean)
    (mode,) = po("imputemode").train([task_mixed])
    assert mode.missings(["f"])["f"] == 0
    (oor,) = po("imputeoor").train([task_mixed])
    assert ".MISSING" in oor.levels(["f"])["f"]
    (ind,) = po("missind").train([task_mixed])
    assert {"missing_z", "missing_f"} <= set(ind.feature_names)


def test_filter_operator(task_numeric) -> None:  # type: ignore[no-untyped-def]
    op = po("filter", flt("variance"), filter_frac=0.5)
    (out,) = op.train([task_numeric])
    assert len(out.feature_names) == 2
    assert list(op.state["scores"].index[:2]) == out.feature_names or \
        set(op.state["scores"].index[:2]) == set(out.feature_names)
    (every,) = po("filter", flt("variance"), filter_nfeat=10).train([task_numeric])
    assert every.feature_names == task_numeric.feature_names  # head(scores, nfeat)
    with pytest.raises(ConfigError, match="exactly one of"):
        po("filter", flt("variance")).train([task_numeric])
    with pytest.raises(ConfigError):
        po("filter", flt("variance"), filter_frac=1.5)


def test_row_operators_only_act_in_training(task_mixed) -> None:  # type: ignore[no-untyped-def]
    op = po("subsample", frac=0.5)
    (out,) = op.train([task_mixed])
    assert out.nrow == round(0.5 * task_mixed.nrow)
    (pred,) = op.predict([task_mixed])
    assert pred.nrow == task_mixed.nrow
    bal = po("classbalancing", reference="major", adjust="upsample")
    (out,) = bal.train([task_mixed])
    counts = pd.Series(out.truth()).value_counts()
    assert counts.nunique() == 1


def test_encodeimpact_regression_and_classification(task_regr) -> None:  # type: ignore[no-untyped-def]
    op = po("encodeimpact")
    (out,) = op.train([task_regr])
    assert out.feature_names == ["a", "f"]
    y = task_regr.truth()
    f = task_regr.data(cols="f")["f"].astype(str).to_numpy()
    expected_p = y[f == "p"].mean() - y.mean()
    values = out.data(cols="f")["f"].to_numpy()
    assert np.allclose(values[f == "p"], expected_p)
    check_pipeop(po("encodeimpact"), task_regr)
    (cls,) = po("encodeimpact").train([_task(False)])
    assert {"f.pos", "f.neg"} <= set(cls.feature_names)
