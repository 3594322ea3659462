"""``mlr3py status|resume|results PATH`` and ``--store`` of benchmark and tune."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from mlr3py.cli import main


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_benchmark_into_a_store_then_status_results_resume(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = str(tmp_path / "s")
    code, out, err = _run(capsys, "benchmark", "--tasks", "penguins", "--learners",
                          "classif.featureless,classif.rpart", "--seed", "1", "--json",
                          "--store", store)
    assert code == 0, err
    direct = json.loads(out)
    con = sqlite3.connect(Path(store) / "store.sqlite")
    con.execute("UPDATE jobs SET state='pending' WHERE rowid IN (1, 2)")
    con.commit()
    con.close()

    code, out, err = _run(capsys, "status", store, "--json")
    assert code == 0, err
    rows = json.loads(out)
    assert [(r["learner_id"], r["done"], r["not_started"]) for r in rows] == [
        ("classif.featureless", 1, 2), ("classif.rpart", 3, 0)]
    code, out, _ = _run(capsys, "status", store)
    assert "not_started" in out and "classif.rpart" in out

    code, out, err = _run(capsys, "results", store, "--measures", "classif.ce,classif.acc",
                          "--json")
    assert code == 0, err
    partial = json.loads(out)
    assert partial[0]["iters"] == 1 and partial[1]["iters"] == 3
    assert partial[1]["classif.ce"] == direct[1]["classif.ce"]
    assert partial[1]["classif.acc"] == pytest.approx(1 - direct[1]["classif.ce"])

    code, out, err = _run(capsys, "resume", store, "--plan", "sequential", "--json")
    assert code == 0, err
    assert [r["classif.ce"] for r in json.loads(out)] == [r["classif.ce"] for r in direct]


def test_tune_into_a_store_then_results(tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    store = str(tmp_path / "t")
    code, out, err = _run(capsys, "tune", "--task", "penguins", "--learner", "classif.rpart",
                          "--search-space", "max_depth=int(1,5)", "--evals", "3", "--seed",
                          "1", "--resampling", "holdout", "--store", store, "--json")
    assert code == 0, err
    archive = json.loads(out)["archive"]
    code, out, err = _run(capsys, "results", store, "--json")
    assert code == 0, err
    assert [r["classif.ce"] for r in json.loads(out)] == [r["classif.ce"] for r in archive]


def test_bad_store_paths_exit_with_status_2(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(capsys, "status", str(tmp_path / "none"))
    assert code == 2 and "There is no result store at" in err
    (tmp_path / "f").write_text("x")
    code, _, err = _run(capsys, "resume", str(tmp_path / "f"))
    assert code == 2 and "is a file, not a directory" in err
