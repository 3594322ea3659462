"""``mlr3py resample``, unknown commands and a tune run without a search space."""

from __future__ import annotations

import json

import pytest

from mlr3py import lrn, msr, resample, rsmp, tsk
from mlr3py.cli import main


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_resample_prints_one_aggregated_row(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "resample", "--task", "iris", "--learner",
                             "classif.rpart:max_depth=2", "--resampling", "cv:folds=4",
                             "--measures", "classif.ce,classif.acc", "--seed", "3")
    assert code == 0, err
    header, row = out.splitlines()
    assert header.split() == ["task_id", "learner_id", "resampling_id", "iters", "classif.ce",
                              "classif.acc"]
    assert row.split()[:4] == ["iris", "classif.rpart", "cv", "4"]
    ce, acc = (float(v) for v in row.split()[4:])
    assert ce == pytest.approx(1 - acc, abs=1e-6)


def test_resample_json_scores_equal_the_python_api(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "resample", "--task", "iris", "--learner",
                             "classif.rpart", "--resampling", "cv:folds=3", "--measures",
                             "classif.ce", "--scores", "--json", "--seed", "7")
    assert code == 0, err
    payload = json.loads(out)
    rr = resample(tsk("iris"), lrn("classif.rpart"), rsmp("cv", folds=3), seed=7)
    expected = rr.score(msr("classif.ce"))["classif.ce"].tolist()
    assert [r["classif.ce"] for r in payload["scores"]] == pytest.approx(expected)
    assert payload["aggregate"][0]["classif.ce"] == pytest.approx(
        float(rr.aggregate(msr("classif.ce")).iloc[0]))


@pytest.mark.filterwarnings("ignore:Measure 'classif.logloss' is missing predict type")
def test_resample_switches_to_probabilities_for_logloss(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run_cli(capsys, "resample", "--task", "iris", "--learner",
                             "classif.rpart:max_depth=2", "--measures", "classif.logloss",
                             "--seed", "1")
    assert code == 0, err
    logloss = float(out.splitlines()[1].split()[-1])
    assert 0.0 < logloss < 5.0  # NaN had the learner kept predicting responses
    code, out, err = run_cli(capsys, "resample", "--task", "iris", "--learner",
                             "classif.rpart:predict_type=response", "--measures",
                             "classif.logloss", "--seed", "1")
    assert out.splitlines()[1].split()[-1].lower() == "nan"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["resample", "--task", "iriss", "--learner", "classif.rpart"], "Did you mean 'iris'"),
        (["resample", "--task", "iris", "--learner", "classif.rpat"],
         "Did you mean 'classif.rpart'"),
        (["resample", "--task", "iris", "--learner", "classif.rpart", "--measures", "classif.cee"],
         "Did you mean 'classif.ce'"),
        (["resample", "--task", "iris", "--learner", "classif.rpart", "--resampling", "cvv"],
         "Did you mean 'cv'"),
        (["resample", "--task", "iris,mtcars", "--learner", "classif.rpart"],
         "mlr3py resample takes one task"),
        (["resample", "--task", "mtcars", "--learner", "classif.rpart"],
         "Use a 'regr' learner"),
        (["resampl", "--task", "iris"], "Did you mean 'resample'"),
        (["benchmrk"], "Did you mean 'benchmark'"),
        (["tune", "--task", "iris", "--learner", "classif.rpart", "--evals", "2"],
         "pass --search-space"),
    ],
)
def test_bad_input_exits_2_with_a_message(capsys: pytest.CaptureFixture[str], argv: list[str],
                                          message: str) -> None:
    code, out, err = run_cli(capsys, *argv)
    assert out == ""
    assert code == 2
    assert message in err
    assert "Traceback" not in err


def test_resample_help_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["resample", "--help"]) == 0
    out = capsys.readouterr().out
    assert "--scores" in out and "--resampling" in out


def test_resample_keeps_its_jobs_in_a_store(capsys: pytest.CaptureFixture[str],
                                            tmp_path) -> None:
    store = str(tmp_path / "store")
    code, out, err = run_cli(capsys, "resample", "--task", "iris", "--learner",
                             "classif.rpart", "--seed", "1", "--store", store)
    assert code == 0, err
    code, again, err = run_cli(capsys, "results", store)
    assert code == 0, err
    assert again == out
