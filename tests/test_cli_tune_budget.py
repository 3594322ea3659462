"""``mlr3py tune`` with budget tuners, its JSON result, and ``python -m mlr3py``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from mlr3py.cli import main
from mlr3py.errors import ConfigError
from mlr3py.tuning import parse_search_space

BUDGET_SPACE = "n_estimators=int(1,16,budget);max_depth=int(1,10)"


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def tune_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, Any]:
    code, out, err = run_cli(capsys, "tune", *argv, "--json")
    assert code == 0, err
    payload: dict[str, Any] = json.loads(out)
    return payload


# --- the budget flag of the search-space text --------------------------------------


def test_budget_flag_tags_the_parameter() -> None:
    space = parse_search_space("n_estimators=int(1,16,budget);max_depth=int(1,10);"
                               "frac=dbl(0.1,1,BUDGET);cp=dbl(1e-4,0.1,log)")
    assert space.ids(tags="budget") == ["n_estimators", "frac"]
    trees = space.params["n_estimators"]
    assert (space.cls["n_estimators"], trees.lower, trees.upper) == ("ParamInt", 1, 16)
    assert space.cls["frac"] == "ParamDbl"
    assert "budget" not in space.params["max_depth"].tags
    assert "budget" not in space.params["cp"].tags


@pytest.mark.parametrize(("text", "match"), [
    ("n=int(1,16,bugdet)", "Unknown flag 'bugdet'"),
    ("n=int(1,16,budget,budget)", "'budget' is given twice"),
    ("n=int(1,16,log,budget)", "both 'log' and 'budget'"),
    ("n=int(1,2,3,budget)", "Unknown flag '3'"),
])
def test_bad_flags_are_refused(text: str, match: str) -> None:
    with pytest.raises(ConfigError, match=match):
        parse_search_space(text)


# --- budget tuners from the command line -------------------------------------------


def test_hyperband_runs_from_the_cli(capsys: pytest.CaptureFixture[str],
                                     sonar_data: Path) -> None:
    args = ("--task", "sonar", "--learner", "classif.ranger", "--search-space", BUDGET_SPACE,
            "--tuner", "hyperband", "--resampling", "holdout", "--measure", "classif.ce",
            "--seed", "1")
    code, out, err = run_cli(capsys, "tune", *args)
    assert code == 0, err
    assert out.startswith("Result:")
    assert "Tuner 'hyperband' evaluated its whole design" in out
    payload = tune_json(capsys, *args)
    archive = payload["archive"]
    # eta = 2 from 1 to 16 trees: five stages with budgets 1, 2, 4, 8, 16
    assert sorted({r["n_estimators"] for r in archive}) == [1, 2, 4, 8, 16]
    assert all(1 <= r["max_depth"] <= 10 for r in archive)
    assert payload["result"][0]["classif.ce"] == min(r["classif.ce"] for r in archive)
    again = tune_json(capsys, *args)["archive"]
    assert [(r["n_estimators"], r["max_depth"], r["classif.ce"]) for r in again] == \
        [(r["n_estimators"], r["max_depth"], r["classif.ce"]) for r in archive]


def test_successive_halving_runs_from_the_cli(capsys: pytest.CaptureFixture[str],
                                              sonar_data: Path) -> None:
    payload = tune_json(capsys, "--task", "sonar", "--learner", "classif.ranger",
                        "--search-space", BUDGET_SPACE, "--tuner",
                        "successive_halving:n=8", "--resampling", "holdout", "--seed", "3")
    counts: dict[int, int] = {}
    for record in payload["archive"]:
        counts[record["n_estimators"]] = counts.get(record["n_estimators"], 0) + 1
    # n = 8 configurations halved three times from the smallest budget, one tree
    assert counts == {1: 8, 2: 4, 4: 2, 8: 1}
    assert "successive_halving" in payload["stop_reason"]
    best = payload["result"][0]
    assert best["learner_param_vals"]["n_estimators"] == best["n_estimators"]


@pytest.mark.parametrize(("space", "tuner", "match"), [
    ("n_estimators=int(1,16);max_depth=int(1,10)", "hyperband",
     "add the flag 'budget' after its bounds"),
    ("n_estimators=int(1,16,budget)", "hyperband:repetitions=inf", "--evals"),
    ("n_estimators=int(1,16,log,budget)", "hyperband", "both 'log' and 'budget'"),
])
def test_budget_tuner_misuse_exits_2(capsys: pytest.CaptureFixture[str], space: str,
                                     tuner: str, match: str) -> None:
    code, out, err = run_cli(capsys, "tune", "--task", "penguins", "--learner",
                             "classif.ranger", "--search-space", space, "--tuner", tuner,
                             "--resampling", "holdout")
    assert code == 2, err
    assert match in err
    assert "Traceback" not in err
    assert out == ""


def test_tune_help_shows_the_budget_flag(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "tune", "--help")
    assert code == 0
    assert "budget" in out and "hyperband" in out


# --- the JSON result ---------------------------------------------------------------


def test_json_learner_param_vals_is_an_object(capsys: pytest.CaptureFixture[str]) -> None:
    payload = tune_json(capsys, "--task", "penguins", "--learner",
                        "classif.rpart:min_samples_leaf=4", "--search-space",
                        "max_depth=int(1,3);ccp_alpha=dbl(1e-3,0.1,log)",
                        "--evals", "3", "--resampling", "holdout", "--seed", "2")
    best = payload["result"][0]
    values = best["learner_param_vals"]
    assert isinstance(values, dict)
    assert values["max_depth"] == best["max_depth"]
    assert type(values["max_depth"]) is int
    assert type(values["ccp_alpha"]) is float
    assert 1e-3 <= values["ccp_alpha"] <= 0.1  # on the learner's scale, not the log scale
    assert values["min_samples_leaf"] == 4


def test_text_result_keeps_name_value_pairs(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "tune", "--task", "penguins", "--learner",
                             "classif.rpart", "--search-space", "max_depth=int(1,3)",
                             "--evals", "2", "--resampling", "holdout", "--seed", "2")
    assert code == 0, err
    assert "max_depth=" in out.split("Archive")[0]


# --- python -m mlr3py --------------------------------------------------------------


@pytest.mark.subprocess
def test_python_m_mlr3py_runs_the_command() -> None:
    ok = subprocess.run([sys.executable, "-m", "mlr3py", "list", "tuners"],
                        capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0, ok.stderr
    assert "hyperband" in ok.stdout and "successive_halving" in ok.stdout
    bad = subprocess.run([sys.executable, "-m", "mlr3py", "tune", "--task", "penguins",
                          "--learner", "classif.rprt", "--search-space", "max_depth=int(1,3)",
                          "--evals", "1"], capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2
    assert "Did you mean 'classif.rpart'" in bad.stderr
    assert "Traceback" not in bad.stderr
