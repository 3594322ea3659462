"""Tests of the registry (mlr3's Dictionary) and keyword application."""

from __future__ import annotations

import pandas as pd
import pytest

from mlr3py.errors import ConfigError, UnknownKeyError
from mlr3py.registry import Dictionary, apply_kwargs, did_you_mean


class _Thing:
    def __init__(self) -> None:
        self._id = "thing"
        self.param_set = None

    @property
    def id(self) -> str:
        return self._id

    @id.setter
    def id(self, value: str) -> None:
        self._id = value

    @property
    def size(self) -> int:  # read-only property: not settable through kwargs
        return 1

    def _dict_row(self) -> dict:
        return {"label": "A thing", "size": self.size}


@pytest.fixture
def registry() -> Dictionary:
    d: Dictionary = Dictionary("mlr_things", "Thing")
    d.add("classif.thing", _Thing)
    d.add("regr.thing", _Thing)
    return d


def test_keys_get_and_pattern(registry: Dictionary) -> None:
    assert registry.keys() == ["classif.thing", "regr.thing"]
    assert registry.keys("classif.*") == ["classif.thing"]
    # mlr3's keys() takes a regular expression
    assert registry.keys("^regr") == ["regr.thing"]
    assert registry.keys("thing") == ["classif.thing", "regr.thing"]
    assert registry.keys("*.thing") == ["classif.thing", "regr.thing"]
    assert registry.keys("^lrn") == []
    assert "regr.thing" in registry and registry.has("regr.thing")
    assert len(registry) == 2
    assert list(registry) == ["classif.thing", "regr.thing"]
    obj = registry.get("classif.thing", id="renamed")
    assert isinstance(obj, _Thing) and obj.id == "renamed"
    assert [o.id for o in registry.mget(["classif.thing", "regr.thing"])] == ["thing", "thing"]


def test_unknown_key_suggests(registry: Dictionary) -> None:
    with pytest.raises(UnknownKeyError, match=r"'classif.thnig' not found in mlr_things\. "
                       r"Did you mean 'classif.thing'"):
        registry.get("classif.thnig")
    with pytest.raises(KeyError):
        registry.get("nothing.close.at.all")


def test_unknown_kwarg_suggests(registry: Dictionary) -> None:
    with pytest.raises(UnknownKeyError, match=r"Thing 'classif.thing' has no parameter or "
                       r"field 'idd'\. Did you mean 'id'"):
        registry.get("classif.thing", idd="x")
    # read-only properties are not settable fields
    with pytest.raises(UnknownKeyError, match="'size'"):
        apply_kwargs(_Thing(), {"size": 3}, "Thing 'x'")


def test_add_validates_and_remove(registry: Dictionary) -> None:
    with pytest.raises(ConfigError, match="must be callable"):
        registry.add("bad", 3)  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="non-empty string"):
        registry.add("", _Thing)
    registry.remove("regr.thing")
    assert registry.keys() == ["classif.thing"]
    with pytest.raises(UnknownKeyError):
        registry.remove("regr.thing")


def test_as_table(registry: Dictionary) -> None:
    table = registry.as_table()
    assert isinstance(table, pd.DataFrame)
    assert list(table["key"]) == ["classif.thing", "regr.thing"]
    assert list(table["label"]) == ["A thing", "A thing"]
    assert "mlr_things" in repr(registry)


def test_did_you_mean() -> None:
    assert did_you_mean("max_dept", ["max_depth", "min_samples_leaf"]) == (
        " Did you mean 'max_depth'?"
    )
    assert did_you_mean("zzz", ["max_depth"]) == ""


def test_as_table_keeps_an_entry_whose_optional_package_is_missing() -> None:
    from mlr3py.errors import ConfigError
    from mlr3py.registry import Dictionary

    class Needs:
        def __init__(self) -> None:
            raise ConfigError("Thing 'needs' needs the nothere package, which is not installed.")

    class Plain:
        def _dict_row(self) -> dict[str, str]:
            return {"label": "plain"}

    registry: Dictionary[object] = Dictionary("mlr_things", "Thing")
    registry.add("plain", Plain)
    registry.add("needs", Needs)
    table = registry.as_table().set_index("key")
    assert table.loc["plain", "label"] == "plain"
    assert "nothere" in table.loc["needs", "unavailable"]
