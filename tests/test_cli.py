"""The ``mlr3py`` command line: spec parsing, ``list``, ``benchmark`` and bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from mlr3py.cli import Spec, main, parse_spec, parse_spec_list, parse_value
from mlr3py.errors import ConfigError


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> list[dict[str, Any]]:
    code, out, err = run_cli(capsys, *argv, "--json")
    assert code == 0, err
    return json.loads(out)


# --- spec parsing -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3", 3),
        ("-2", -2),
        ("0.5", 0.5),
        ("1e-3", 0.001),
        ("true", True),
        ("FALSE", False),
        ("None", None),
        ("gini", "gini"),
        ("'3'", "3"),
    ],
)
def test_parse_value_reads_python_types(text: str, expected: Any) -> None:
    value = parse_value(text)
    assert value == expected
    assert type(value) is type(expected)


def test_parse_spec_reads_key_and_params() -> None:
    assert parse_spec("sonar") == Spec("sonar", {})
    assert parse_spec("cv:folds=3") == Spec("cv", {"folds": 3})
    assert parse_spec("classif.rpart:max_depth=3,criterion=entropy") == Spec(
        "classif.rpart", {"max_depth": 3, "criterion": "entropy"}
    )


def test_parse_spec_list_keeps_params_with_their_key() -> None:
    specs = parse_spec_list("classif.rpart:max_depth=3,min_samples_leaf=5,classif.featureless")
    assert specs == [
        Spec("classif.rpart", {"max_depth": 3, "min_samples_leaf": 5}),
        Spec("classif.featureless", {}),
    ]
    assert parse_spec_list(["sonar", "iris, penguins"]) == [
        Spec("sonar"),
        Spec("iris"),
        Spec("penguins"),
    ]


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("classif.rpart:max_depth", "Cannot read 'max_depth'"),
        ("classif.rpart:=3", "Cannot read '=3'"),
        (":folds=3", "has no key"),
        ("cv:folds=3,folds=4", "'folds' is given twice"),
    ],
)
def test_parse_spec_rejects_malformed_specs(text: str, match: str) -> None:
    with pytest.raises(ConfigError, match=match):
        parse_spec(text)


def test_parse_spec_list_rejects_params_without_key_and_empty_lists() -> None:
    with pytest.raises(ConfigError, match="comes before any key"):
        parse_spec_list("max_depth=3,classif.rpart")
    with pytest.raises(ConfigError, match="No keys given"):
        parse_spec_list(" , ")


# --- mlr3py list ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("what", "keys"),
    [
        ("tasks", ["iris", "penguins", "sonar", "mtcars"]),
        ("learners", ["classif.featureless", "classif.rpart", "regr.ranger", "classif.debug"]),
        ("measures", ["classif.ce", "classif.auc", "regr.mse", "time_train"]),
        ("resamplings", ["cv", "holdout", "bootstrap", "custom_cv"]),
        ("filters", ["anova", "information_gain", "kruskal_test", "performance"]),
        ("tuners", ["grid_search", "random_search"]),
        ("terminators", ["evals", "run_time"]),
    ],
)
def test_list_prints_registry_table(
    capsys: pytest.CaptureFixture[str], what: str, keys: list[str]
) -> None:
    code, out, err = run_cli(capsys, "list", what)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].split()[0] == "key"
    first_words = {line.split()[0] for line in lines[1:]}
    assert set(keys) <= first_words


def test_list_json_gives_one_record_per_key(capsys: pytest.CaptureFixture[str]) -> None:
    records = run_json(capsys, "list", "resamplings")
    assert "cv" in [r["key"] for r in records]
    assert all(isinstance(r, dict) and "key" in r for r in records)


def test_list_unknown_registry_suggests(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "list", "lerners")
    assert code == 2
    assert out == ""
    assert "'lerners'" in err
    assert "Did you mean 'learners'" in err
    assert "Traceback" not in err


# --- mlr3py benchmark -------------------------------------------------------------


def test_benchmark_prints_aggregate_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(
        capsys,
        "benchmark",
        "--tasks", "iris",
        "--learners", "classif.featureless,classif.rpart:max_depth=3",
        "--resampling", "cv:folds=3",
        "--measures", "classif.ce,classif.acc",
        "--seed", "1",
    )  # fmt: skip
    assert code == 0, err
    lines = out.splitlines()
    header = lines[0].split()
    for column in ["nr", "task_id", "learner_id", "resampling_id", "iters", "classif.ce"]:
        assert column in header
    assert len(lines) == 3
    assert "classif.featureless" in lines[1]
    assert "classif.rpart" in lines[2]


def test_benchmark_json_records_hold_scores(capsys: pytest.CaptureFixture[str]) -> None:
    records = run_json(
        capsys,
        "benchmark",
        "--tasks", "iris",
        "--learners", "classif.featureless,classif.rpart",
        "--resampling", "cv:folds=3",
        "--measures", "classif.ce,classif.acc",
        "--seed", "42",
    )  # fmt: skip
    assert [r["learner_id"] for r in records] == ["classif.featureless", "classif.rpart"]
    assert all(r["task_id"] == "iris" and r["iters"] == 3 for r in records)
    featureless, rpart = records
    assert featureless["classif.ce"] > 0.5
    assert rpart["classif.ce"] < 0.15
    for record in records:
        assert record["classif.ce"] + record["classif.acc"] == pytest.approx(1.0)


def test_benchmark_is_reproducible_with_seed(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["benchmark", "--tasks", "iris", "--learners", "classif.ranger:n_estimators=10",
            "--resampling", "holdout", "--seed", "7"]  # fmt: skip
    assert run_json(capsys, *argv) == run_json(capsys, *argv)


def test_benchmark_from_the_issue_runs(
    capsys: pytest.CaptureFixture[str], sonar_data: Path
) -> None:
    code, out, err = run_cli(
        capsys,
        "benchmark",
        "--tasks", "sonar,penguins",
        "--learners", "classif.featureless,classif.rpart",
        "--resampling", "cv:folds=3",
        "--measures", "classif.ce,classif.auc",
        "--seed", "1",
        "--json",
    )  # fmt: skip
    assert code == 0, err
    assert "NaN for task(s) penguins" in err
    records = json.loads(out)
    pairs = [(r["task_id"], r["learner_id"]) for r in records]
    assert pairs == [
        ("sonar", "classif.featureless"),
        ("sonar", "classif.rpart"),
        ("penguins", "classif.featureless"),
        ("penguins", "classif.rpart"),
    ]
    by_pair = dict(zip(pairs, records, strict=True))
    # the learners were switched to predict_type "prob", so AUC is defined on sonar
    assert by_pair[("sonar", "classif.featureless")]["classif.auc"] == pytest.approx(0.5)
    assert by_pair[("sonar", "classif.rpart")]["classif.auc"] > 0.6
    # AUC is a two-class measure: undefined (NaN -> null) on the three-class penguins task
    assert by_pair[("penguins", "classif.rpart")]["classif.auc"] is None
    assert by_pair[("penguins", "classif.rpart")]["classif.ce"] < 0.2


def test_benchmark_explicit_predict_type_is_kept(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.warns(UserWarning, match="missing predict type 'prob'"):
        records = run_json(
            capsys,
            "benchmark",
            "--tasks", "breast_cancer",
            "--learners", "classif.rpart:predict_type=response",
            "--resampling", "holdout",
            "--measures", "classif.ce,classif.auc",
            "--seed", "3",
        )  # fmt: skip
    assert records[0]["classif.ce"] < 0.2
    assert records[0]["classif.auc"] is None  # no probabilities were asked for


@pytest.mark.parametrize(
    ("option", "value", "expected"),
    [
        ("--learners", "classif.rprt", ["'classif.rprt'", "Did you mean 'classif.rpart'"]),
        ("--learners", "classif.rpart:max_dept=3", ["'max_dept'", "Did you mean 'max_depth'"]),
        (
            "--learners",
            "classif.rpart:max_depth=a",
            ["The 'max_depth' parameter of Learner 'classif.rpart'", "Got 'a' instead"],
        ),
        ("--learners", "classif.rpart:max_depth", ["Cannot read 'max_depth'"]),
        ("--tasks", "irs", ["'irs'", "Did you mean 'iris'"]),
        ("--resampling", "cvv:folds=3", ["'cvv'", "Did you mean 'cv'"]),
        ("--resampling", "cv:fold=3", ["'fold'", "Did you mean 'folds'"]),
        ("--measures", "classif.cee", ["'classif.cee'", "Did you mean 'classif.ce'"]),
    ],
)
def test_benchmark_bad_input_exits_2_with_message(
    capsys: pytest.CaptureFixture[str], option: str, value: str, expected: list[str]
) -> None:
    argv = {
        "--tasks": "iris",
        "--learners": "classif.featureless",
        "--resampling": "holdout",
        "--measures": "classif.ce",
    }
    argv[option] = value
    args = ["benchmark"] + [token for item in argv.items() for token in item]
    code, out, err = run_cli(capsys, *args)
    assert code == 2
    assert out == ""
    for text in expected:
        assert text in err
    assert "Traceback" not in err


def test_benchmark_measure_fitting_no_task_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(
        capsys,
        "benchmark",
        "--tasks", "iris",
        "--learners", "classif.featureless",
        "--measures", "regr.mse",
    )  # fmt: skip
    assert code == 2
    assert out == ""
    assert "Measure 'regr.mse' needs task type 'regr'" in err


def test_benchmark_learner_of_other_task_type_exits_2(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, err = run_cli(capsys, "benchmark", "--tasks", "mtcars", "--learners", "classif.rpart")
    assert code == 2
    assert "'classif.rpart'" in err
    assert "Traceback" not in err


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(capsys)
    assert code == 2
    assert "usage: mlr3py" in err
    code, _, err = run_cli(capsys, "benchmark", "--tasks", "iris")
    assert code == 2
    assert "--learners" in err
    code, _, err = run_cli(capsys, "benchmark", "--tasks", "iris", "--learners", "x", "--seed", "a")
    assert code == 2
    assert "invalid int value: 'a'" in err


def test_help_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "benchmark", "--help")
    assert code == 0
    assert "--resampling" in out


# --- the installed script ---------------------------------------------------------


@pytest.mark.slow
@pytest.mark.subprocess
def test_installed_script_runs_and_fails_cleanly() -> None:
    script = Path(sys.executable).parent / "mlr3py"
    if not script.exists():
        pytest.skip(f"the mlr3py script is not installed next to {sys.executable}")
    ok = subprocess.run(
        [str(script), "list", "learners"], capture_output=True, text=True, timeout=120
    )
    assert ok.returncode == 0, ok.stderr
    assert "classif.rpart" in ok.stdout
    bad = subprocess.run(
        [str(script), "benchmark", "--tasks", "iris", "--learners", "classif.rprt"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert bad.returncode == 2
    assert "Did you mean 'classif.rpart'" in bad.stderr
    assert "Traceback" not in bad.stderr


@pytest.mark.subprocess
def test_a_reader_closing_the_pipe_early_ends_the_command_quietly() -> None:
    # `mlr3py list learners | head -1`: the pipe closes before the output is written
    proc = subprocess.Popen([sys.executable, "-m", "mlr3py", "list", "learners"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None
    proc.stdout.close()
    _, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 141, stderr.decode()
    assert b"Traceback" not in stderr and b"BrokenPipeError" not in stderr
