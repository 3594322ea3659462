"""The OpenML loader with its local CSV cache (no network access in these tests)."""

from __future__ import annotations

import json
import urllib.error
from pathlib import Path

import pandas as pd
import pytest

from mlr3py.data import DATA_DIR_ENV, data_dir, dataset_path, load_dataset, parse_arff
from mlr3py.data import openml as openml_module
from mlr3py.errors import InputError

ARFF = """% a comment
@relation 'toy'
@attribute 'num' numeric
@attribute int INTEGER
@attribute 'kind' {'<0', 'no checking', "a,b"}
@attribute class {good,bad}

@data
1.5,3,'<0',good
?,4,'no checking',bad
% another comment
2,?,'a,b',good
"""


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Make every download fail like an unreachable host; record the URLs asked for."""
    urls: list[str] = []

    def fail(url: str) -> bytes:
        urls.append(url)
        raise urllib.error.URLError("Name or service not known")

    monkeypatch.setattr(openml_module, "_fetch", fail)
    return urls


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_env_variable_sets_cache(cache: Path) -> None:
    assert data_dir() == cache.resolve()
    assert dataset_path("spam") == cache.resolve() / "spam.csv"


def test_default_cache_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(DATA_DIR_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert data_dir() == tmp_path.resolve() / "mlr3py"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert data_dir() == Path.home().resolve() / ".cache" / "mlr3py"


def test_shared_sonar_is_read_from_cache(offline: list[str]) -> None:
    frame = load_dataset("sonar")
    assert frame.shape == (208, 61)
    assert frame["Class"].value_counts().to_dict() == {"M": 111, "R": 97}
    assert offline == []


def test_offline_error_names_file_and_variable(cache: Path, offline: list[str]) -> None:
    expected = str(cache.resolve() / "spam.csv")
    with pytest.raises(InputError) as info:
        load_dataset("spam")
    message = str(info.value)
    assert expected in message
    assert DATA_DIR_ENV in message
    assert "data id 44" in message
    assert offline == ["https://www.openml.org/api/v1/json/data/44"]
    assert isinstance(info.value.__cause__, urllib.error.URLError)


def test_unknown_dataset_suggests(cache: Path, offline: list[str]) -> None:
    with pytest.raises(InputError, match=r"Did you mean 'sonar'") as info:
        load_dataset("sonnar")
    assert str(cache.resolve() / "sonnar.csv") in str(info.value)
    assert offline == []


def test_any_cached_csv_is_readable(cache: Path) -> None:
    cache.mkdir()
    pd.DataFrame({"a": [1, 2], "b": ["x", None]}).to_csv(cache / "mine.csv", index=False)
    frame = load_dataset("mine")
    assert frame["a"].tolist() == [1, 2]
    assert frame["b"].isna().tolist() == [False, True]


def test_download_converts_and_caches(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    answers = {
        "https://www.openml.org/api/v1/json/data/31": json.dumps(
            {"data_set_description": {"url": "https://example.org/credit-g.arff"}}
        ).encode(),
        "https://example.org/credit-g.arff": ARFF.encode(),
    }
    monkeypatch.setattr(openml_module, "_fetch", answers.__getitem__)
    frame = load_dataset("german_credit")
    assert list(frame.columns) == ["num", "int", "kind", "class"]
    assert (cache / "german_credit.csv").is_file()
    again = load_dataset("german_credit")  # from the cache now
    monkeypatch.setattr(openml_module, "_fetch", lambda url: pytest.fail("no second download"))
    pd.testing.assert_frame_equal(load_dataset("german_credit"), again)
    assert again["kind"].tolist() == ["<0", "no checking", "a,b"]
    assert again["num"].isna().tolist() == [False, True, False]


def test_bad_openml_answer_is_an_input_error(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(openml_module, "_fetch", lambda url: b"{}")
    with pytest.raises(InputError, match="unexpected OpenML answer"):
        load_dataset("sonar")


def test_parse_arff() -> None:
    frame = parse_arff(ARFF)
    assert frame.shape == (3, 4)
    assert frame["num"].tolist()[0] == 1.5
    assert pd.isna(frame["num"].tolist()[1])
    assert frame["int"].tolist()[:2] == [3.0, 4.0]
    assert frame["kind"].tolist() == ["<0", "no checking", "a,b"]
    assert frame["class"].tolist() == ["good", "bad", "good"]


def test_parse_arff_rejects_ragged_lines() -> None:
    with pytest.raises(ValueError, match="has 1 values, expected 2"):
        parse_arff("@attribute a numeric\n@attribute b numeric\n@data\n1\n")
    with pytest.raises(ValueError, match="no attributes"):
        parse_arff("@data\n1,2\n")
