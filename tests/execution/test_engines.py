"""The engine registry behind the plans, and what items tell the generic map."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import mlr3py.execution
from mlr3py.errors import ConfigError
from mlr3py.execution import plan, tweak
from mlr3py.execution._engine import (
    EngineInfo,
    engine_names,
    get_engine,
    register_engine,
    unregister_engine,
)
from mlr3py.execution._map import map_items
from mlr3py.execution._sequential import SequentialEngine


def test_public_api_is_what_users_call() -> None:
    assert set(mlr3py.execution.__all__) == {
        "PlanHandle", "PlanSpec", "ThreadsConfigurable", "available_cores", "plan", "set_threads",
        "tweak"}


def test_every_strategy_and_alias_resolves_to_a_registered_engine() -> None:
    names = engine_names()
    assert names["multisession"] == "processes" and names["cluster"] == "dask"
    assert set(names.values()) == {"sequential", "threads", "processes", "multicore", "dask"}
    assert isinstance(get_engine(tweak("sequential")), SequentialEngine)


def test_a_registered_engine_is_a_plan() -> None:
    calls: list[int] = []

    class Reversing(SequentialEngine):
        def map(self, fn: Callable[[Any], Any], units: Any, levels: Any,
                progress: Any) -> list[list[Any]]:
            calls.append(len(units))
            return super().map(fn, units, levels, progress)

    register_engine(EngineInfo("test-engine", Reversing, settings=("workers",)))
    try:
        with plan("test-engine", workers=2):
            assert map_items(abs, [-1, -2, 3]) == [1, 2, 3]
        assert calls == [3]
    finally:
        unregister_engine("test-engine")
    assert "test-engine" not in engine_names()


def test_settings_an_engine_does_not_take_are_refused() -> None:
    with pytest.raises(ConfigError, match="does not take"):
        tweak("threads", client=object())
