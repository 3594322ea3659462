"""add_json_handler() refuses paths it cannot write to, naming them."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from mlr3py.errors import ConfigError
from mlr3py.log import add_json_handler


def test_missing_directory_is_named(tmp_path: Path) -> None:
    target = tmp_path / "no" / "such" / "log.jsonl"
    with pytest.raises(ConfigError, match=r"directory '.*such' does not exist.*mkdir"):
        add_json_handler(target)
    assert not any(isinstance(h, logging.FileHandler)
                   for h in logging.getLogger("mlr3py").handlers)


def test_directory_as_path_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="is a directory"):
        add_json_handler(tmp_path)


def test_existing_directory_works(tmp_path: Path) -> None:
    handler = add_json_handler(tmp_path / "log.jsonl")
    try:
        assert handler.baseFilename.endswith("log.jsonl")
    finally:
        logging.getLogger("mlr3py").removeHandler(handler)
        handler.close()
