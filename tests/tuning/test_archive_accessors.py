"""The archive's accessors of mlr3tuning: learners(i), learner_param_vals(i),
best(n_select=) and the table with the transformed values unnested (x_domain_<id>)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import pytest

from mlr3py import lrn, msr, rsmp, tsk
from mlr3py.errors import ConfigError
from mlr3py.params import p_dbl, p_fct, p_int, ps, to_tune
from mlr3py.tuning import ArchiveTuning, TuningInstance, ti


def _row(x: float, kind: str, ce: float, batch: int) -> dict[str, Any]:
    x_domain = {"x": 10 * x} if kind == "a" else {"x": 10 * x, "extra": kind}
    return {"x": x, "kind": kind, "classif.ce": ce, "x_domain": x_domain, "batch_nr": batch,
            "warnings": 0, "errors": 0, "runtime_learners": 0.0, "resample_result": None}


@pytest.fixture
def archive() -> ArchiveTuning:
    space = ps(x=p_dbl(0, 1), kind=p_fct(["a", "b"]))
    out = ArchiveTuning(space, [msr("classif.ce")])
    out.append_rows([_row(0.1, "a", 0.30, 1), _row(0.2, "b", 0.10, 1)])
    out.append_rows([_row(0.3, "a", 0.20, 2), _row(0.4, "b", 0.10, 2),
                     _row(0.5, "a", 0.40, 2)])
    return out


def test_best_n_select_gives_the_n_best_rows_ties_in_archive_order(archive) -> None:
    best = archive.best(n_select=3)
    assert best["x"].tolist() == [0.2, 0.4, 0.3]  # ce 0.10, 0.10 (tie: archive order), 0.20
    assert best["classif.ce"].tolist() == [0.10, 0.10, 0.20]
    assert archive.best(n_select=1)["x"].tolist() == [0.2]
    assert archive.best(3)["x"].tolist() == best["x"].tolist()  # n_select is n
    assert archive.best(batch=2, n_select=2)["x"].tolist() == [0.4, 0.3]


def test_best_rejects_two_different_counts(archive) -> None:
    with pytest.raises(ConfigError, match="n_select is another name for n"):
        archive.best(2, n_select=3)
    with pytest.raises(ConfigError, match=r"n \(n_select\) of best\(\) must be an int >= 1"):
        archive.best(n_select=0)


def test_as_data_frame_unnests_x_domain_in_its_place(archive) -> None:
    table = archive.as_data_frame()
    assert table.columns.tolist() == [
        "x", "kind", "classif.ce", "x_domain_x", "x_domain_extra", "runtime_learners",
        "timestamp", "batch_nr", "warnings", "errors", "resample_result"]
    np.testing.assert_allclose(table["x_domain_x"], [1.0, 2.0, 3.0, 4.0, 5.0])
    # the key only some rows have is missing (NaN) in the others
    assert table["x_domain_extra"].isna().tolist() == [True, False, True, False, True]
    assert table.loc[1, "x_domain_extra"] == "b"
    # the archive's own data keeps the dict column
    assert "x_domain" in archive.data.columns
    assert "x_domain_x" not in archive.data.columns
    assert archive.as_data_frame(unnest=None).columns.tolist() == archive.data.columns.tolist()
    with pytest.raises(ConfigError, match="no column 'nope' to unnest"):
        archive.as_data_frame(unnest="nope")


def test_as_data_frame_of_an_empty_archive_has_no_x_domain_columns() -> None:
    empty = ArchiveTuning(ps(x=p_dbl(0, 1)), [msr("classif.ce")])
    table = empty.as_data_frame()
    assert len(table) == 0
    assert "x_domain" not in table.columns
    assert table.columns[:2].tolist() == ["x", "classif.ce"]


def test_pandas_constructor_is_not_the_archive_table(archive) -> None:
    # pd.DataFrame(archive) is not supported; the table is archive.data / as_data_frame()
    with pytest.raises(ValueError):
        pd.DataFrame(archive)


def _instance(store_models: bool) -> TuningInstance:
    learner = lrn("classif.rpart", max_depth=to_tune(1, 4),
                  ccp_alpha=to_tune(p_dbl(math.log(1e-3), math.log(1e-1),
                                          trafo=math.exp)),
                  min_samples_split=4)
    instance = ti(tsk("sonar"), learner, rsmp("cv", folds=3), "classif.ce", term_evals=10,
                  store_models=store_models, seed=1)
    instance.eval_batch([{"max_depth": 1, "ccp_alpha": math.log(1e-2)},
                         {"max_depth": 3, "ccp_alpha": math.log(1e-3)}])
    return instance


def test_learner_param_vals_are_the_configuration_over_the_fixed_values() -> None:
    archive = _instance(store_models=False).archive
    vals = archive.learner_param_vals(1)
    assert vals.keys() == {"max_depth", "ccp_alpha", "min_samples_split"}
    assert vals["max_depth"] == 3
    assert vals["ccp_alpha"] == pytest.approx(1e-3)  # transformed: exp(log(1e-3))
    assert vals["min_samples_split"] == 4
    assert archive.learner_param_vals(0)["ccp_alpha"] == pytest.approx(1e-2)
    unnested = archive.as_data_frame()
    assert unnested["x_domain_ccp_alpha"].tolist() == pytest.approx([1e-2, 1e-3])
    assert unnested["x_domain_max_depth"].tolist() == [1, 3]


def test_learners_hold_models_only_when_stored() -> None:
    stored = _instance(store_models=True).archive
    learners = stored.learners(1)
    assert len(learners) == 3  # one per fold
    for learner in learners:
        assert learner.state is not None and learner.state.model is not None
        assert learner.param_set.get_values()["max_depth"] == 3
        assert learner.model.estimator.max_depth == 3  # the fitted tree got the value
    assert len({id(learner) for learner in learners}) == 3

    plain = _instance(store_models=False).archive
    learners = plain.learners(0)
    assert len(learners) == 3
    for learner in learners:
        assert learner.state is not None and learner.state.model is None
        assert learner.param_set.get_values()["max_depth"] == 1


def test_accessors_take_an_index_like_resample_result() -> None:
    archive = _instance(store_models=False).archive
    for accessor in (archive.learners, archive.learner_param_vals, archive.resample_result):
        with pytest.raises(ConfigError, match="no evaluation 2. Pass an index from 0 to 1"):
            accessor(2)
        with pytest.raises(ConfigError, match="no evaluation True"):
            accessor(True)
    assert archive.learner_param_vals(np.int64(1))["max_depth"] == 3
    archive.clear_resample_results()
    with pytest.raises(ConfigError, match="was not kept"):
        archive.learner_param_vals(0)


def test_tuned_int_parameters_keep_their_type_in_x_domain_columns() -> None:
    space = ps(k=p_int(1, 3))
    archive = ArchiveTuning(space, [msr("classif.ce")])
    archive.append_rows([{"k": 2, "classif.ce": 0.5, "x_domain": {"k": 2}, "batch_nr": 1,
                          "warnings": 0, "errors": 0, "resample_result": None}])
    table = archive.as_data_frame()
    assert table["x_domain_k"].tolist() == [2]
    assert table["x_domain_k"].dtype == np.int64
