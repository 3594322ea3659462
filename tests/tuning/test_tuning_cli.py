"""``mlr3py tune`` and the text form of search spaces."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from mlr3py.cli import main
from mlr3py.errors import ConfigError
from mlr3py.tuning import parse_search_space


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_parse_search_space_reads_every_kind() -> None:
    space = parse_search_space(
        "max_depth=int(1,20); ccp_alpha=dbl(1e-4,0.1,log);criterion=fct(gini,entropy);"
        "flag=lgl();k=int(1,8,log)")
    assert space.ids() == ["max_depth", "ccp_alpha", "criterion", "flag", "k"]
    assert space.cls["max_depth"] == "ParamInt"
    assert space.params["ccp_alpha"].lower == pytest.approx(math.log(1e-4))
    assert space.transform({"ccp_alpha": math.log(0.01)})["ccp_alpha"] == pytest.approx(0.01)
    assert list(space.params["criterion"].levels) == ["gini", "entropy"]
    assert space.cls["flag"] == "ParamLgl"


@pytest.mark.parametrize(("text", "match"), [
    ("", "empty"),
    ("max_depth=int(1,20", "Cannot read 'max_depth=int\\(1,20'"),
    ("max_depth=integer(1,20)", "Unknown kind 'integer'"),
    ("max_depth=int(1)", "lower and an upper bound"),
    ("max_depth=int(5,1)", "above its upper"),
    ("max_depth=int(1,a)", "bound 'a'"),
    ("max_depth=int(1.5,3)", "whole numbers"),
    ("a=dbl(0,1);a=dbl(0,2)", "'a' twice"),
    ("c=fct()", "at least one level"),
    ("f=lgl(1)", "no arguments"),
    ("ccp_alpha=dbl(0,1,log)", "lower"),
])
def test_parse_search_space_rejects_bad_text(text: str, match: str) -> None:
    with pytest.raises(ConfigError, match=match):
        parse_search_space(text)


def test_tune_prints_result_and_archive(capsys: pytest.CaptureFixture[str],
                                        sonar_data: Path) -> None:
    code, out, err = run_cli(
        capsys, "tune", "--task", "sonar", "--learner", "classif.rpart", "--search-space",
        "max_depth=int(1,20);ccp_alpha=dbl(1e-4,0.1,log)", "--tuner", "random_search:batch_size=3",
        "--evals", "6", "--resampling", "cv:folds=3", "--measure", "classif.ce", "--seed", "1")
    assert code == 0, err
    assert out.startswith("Result:")
    assert "learner_param_vals" in out and "ccp_alpha=" in out
    assert "Archive (6 evaluations; Terminator 'evals'" in out
    archive_lines = out.split("Archive")[1].strip().splitlines()
    assert len(archive_lines) == 2 + 6  # title, header, six evaluations

    def archive_json() -> list[dict[str, object]]:
        code, out, err = run_cli(
            capsys, "tune", "--task", "sonar", "--learner", "classif.rpart", "--search-space",
            "max_depth=int(1,20)", "--evals", "4", "--resampling", "cv:folds=3", "--seed", "1",
            "--json")
        assert code == 0, err
        return [{k: v for k, v in r.items() if k != "runtime_learners"}
                for r in json.loads(out)["archive"]]

    assert archive_json() == archive_json()


def test_tune_json_and_default_search_space_from_grid(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(
        capsys, "tune", "--task", "penguins", "--learner", "classif.rpart", "--search-space",
        "max_depth=int(1,3)", "--tuner", "grid_search:resolution=3", "--resampling", "holdout",
        "--seed", "2", "--json")
    assert code == 0, err
    payload = json.loads(out)
    assert len(payload["archive"]) == 3
    assert sorted(r["max_depth"] for r in payload["archive"]) == [1, 2, 3]
    assert payload["result"][0]["classif.ce"] == min(r["classif.ce"] for r in payload["archive"])
    assert "whole design" in payload["stop_reason"]


@pytest.mark.parametrize(("extra", "match"), [
    (["--search-space", "max_depth=int(1,20", "--evals", "2"], "Cannot read 'max_depth"),
    (["--search-space", "max_depth=int(1,20)"], "--evals"),
    (["--search-space", "depth=int(1,20)", "--evals", "1"], "'depth'"),
    (["--search-space", "max_depth=int(1,3)", "--evals", "1", "--tuner", "random_serch"],
     "Did you mean 'random_search'"),
    (["--search-space", "max_depth=int(1,3)", "--evals", "1", "--measure", "regr.mse"],
     "regr.mse"),
    (["--evals", "1"], "nothing to tune"),
])
def test_tune_bad_input_exits_2(capsys: pytest.CaptureFixture[str], extra: list[str],
                                match: str) -> None:
    code, _, err = run_cli(capsys, "tune", "--task", "penguins", "--learner", "classif.rpart",
                             "--resampling", "holdout", *extra)
    assert code == 2, err
    assert match in err
    assert "Traceback" not in err


@pytest.mark.slow
def test_tune_command_from_the_issue(capsys: pytest.CaptureFixture[str],
                                     sonar_data: Path) -> None:
    code, out, err = run_cli(
        capsys, "tune", "--task", "sonar", "--learner", "classif.rpart", "--search-space",
        "max_depth=int(1,20);ccp_alpha=dbl(1e-4,0.1,log)", "--tuner", "random_search",
        "--evals", "50", "--resampling", "cv:folds=3", "--measure", "classif.ce", "--seed", "1")
    assert code == 0, err
    assert "Archive (50 evaluations" in out


@pytest.mark.parametrize("space", ["max_depth=int(0,2)", "criterion=fct(gini,foo)"])
def test_tune_refuses_a_search_space_the_learner_rejects_before_running(
        capsys: pytest.CaptureFixture[str], sonar_data: Path, space: str) -> None:
    code, out, err = run_cli(capsys, "tune", "--task", "sonar", "--learner", "classif.rpart",
                             "--search-space", space, "--evals", "6", "--resampling",
                             "holdout", "--seed", "1")
    assert code == 2
    assert "The search space gives the" in err and out == ""


def test_tune_prints_the_partial_archive_of_a_failed_run(
        capsys: pytest.CaptureFixture[str]) -> None:
    # seed 3 shuffles the grid {0, 1} so that error_train=0 runs before error_train=1 fails
    code, out, err = run_cli(capsys, "tune", "--task", "iris", "--learner", "classif.debug",
                             "--search-space", "error_train=dbl(0,1)", "--tuner",
                             "grid_search:resolution=2", "--resampling", "holdout",
                             "--seed", "3")
    assert code == 1
    assert "LearnerTrainError" in err
    assert "Archive before the error (1 evaluations)" in out
    assert "error_train" in out
