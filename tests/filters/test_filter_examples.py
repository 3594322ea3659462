"""The filter examples run and show what the mlr3 book shows."""

from __future__ import annotations

import runpy
from pathlib import Path
from typing import Any

import pytest

from mlr3py.execution import ThreadsConfigurable, set_threads
from mlr3py.filters import flts
from mlr3py.sugar import lrn

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _run(name: str, capsys: pytest.CaptureFixture[str]) -> tuple[dict[str, Any], str]:
    namespace = runpy.run_path(str(EXAMPLES / name), run_name="__main__")
    return namespace, capsys.readouterr().out


def test_book_6_1_1_set_threads(capsys: pytest.CaptureFixture[str]) -> None:
    ns, out = _run("book_6_1_1_set_threads.py", capsys)
    assert ns["threads_ids"] == ["n_jobs"]
    assert ns["variance_values"] == {}  # no threads parameter: unchanged
    assert ns["mrmr_values"] == {"threads": 4}
    assert [v.get("n_jobs", v.get("threads")) for v in ns["mixed_values"]] == [None, 2, None, 2]
    assert "mrmr: {'threads': 4}" in out


def test_filters_example(capsys: pytest.CaptureFixture[str]) -> None:
    ns, out = _run("filters.py", capsys)
    assert ns["best_5"] == ["V11", "V12", "V49", "V10", "V45"]
    assert len(ns["best_quarter"]) == 15
    assert ns["small"].feature_names == sorted(ns["best_5"])
    assert ns["mrmr_5"][0] == "V11" and len(ns["mrmr_5"]) == 5
    assert "ANOVA scores of sonar" in out


def test_set_threads_on_filters_keeps_learner_behaviour() -> None:
    filters = flts(["variance", "mrmr", "mutual_info"])
    assert all(isinstance(f, ThreadsConfigurable) for f in filters)
    assert filters[1].param_set.values == {"threads": 1}  # one thread until asked
    assert set_threads(filters, 3) is filters
    assert filters[0].param_set.values == {}
    assert filters[1].param_set.values["threads"] == 3
    assert filters[2].param_set.values["threads"] == 3
    mixed = (lrn("classif.ranger"), *flts(["mrmr"]), object())
    set_threads(mixed, 2)
    assert mixed[0].param_set.values["n_jobs"] == 2 and mixed[1].param_set.values["threads"] == 2
    single = set_threads(flts(["mrmr"])[0], 5)
    assert single.param_set.values["threads"] == 5
    importance = set_threads(flts(["importance"], learner=lrn("classif.ranger"))[0], 2)
    assert importance.learner.param_set.values["n_jobs"] == 2  # the learner's parameter
    assert not isinstance(object(), ThreadsConfigurable)


def test_book_6_1_filters(capsys: pytest.CaptureFixture[str]) -> None:
    ns, out = _run("book_6_1_filters.py", capsys)
    gain = ns["gain_table"]
    assert list(gain.columns) == ["feature", "score"]
    assert gain["feature"].iloc[0] == "flipper_length"
    assert gain["score"].is_monotonic_decreasing
    assert set(ns["importance_table"]["feature"].iloc[:2]) <= {
        "bill_length", "flipper_length", "island"}
    assert ns["permutation_first"] in ns["complete"].feature_names
    assert sorted(ns["embedded_kept"]) == sorted(ns["rpart_selected"])
    assert ns["keep"] == ["flipper_length", "bill_length", "island", "bill_depth"]
    assert 0.1 <= ns["best_frac"] <= 1.0
    assert "tuned filter_frac for spam" in out
