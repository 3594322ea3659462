"""Learners of optional extras: without the dependency, the key names the extra to install."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest

from mlr3py import lrn
from mlr3py.errors import ConfigError
from mlr3py.learners import mlr_learners

# key -> (module, extra)
OPTIONAL = {"classif.xgboost": ("xgboost", "xgboost"), "regr.xgboost": ("xgboost", "xgboost"),
            "classif.mlp": ("torch", "torch")}

_HIDING = (
    "import importlib.util\n"
    "real = importlib.util.find_spec\n"
    "importlib.util.find_spec = lambda name, *a: None if name == {module!r} else real(name, *a)\n"
    "from mlr3py import lrn\n"
    "from mlr3py.errors import ConfigError\n"
    "from mlr3py.learners import mlr_learners\n"
    "assert {key!r} not in mlr_learners.keys()\n"
    "try:\n"
    "    lrn({key!r})\n"
    "except ConfigError as exc:\n"
    "    print(exc)\n"
)


@pytest.mark.parametrize("key", list(OPTIONAL))
def test_registered_when_installed(key):
    module, _ = OPTIONAL[key]
    installed = importlib.util.find_spec(module) is not None
    assert (key in mlr_learners.keys()) == installed
    if installed:
        assert lrn(key).id == key
    else:
        with pytest.raises(ConfigError, match=rf"pip install mlr3py\[{module}\]"):
            lrn(key)


@pytest.mark.slow
@pytest.mark.subprocess
@pytest.mark.parametrize("key", ["classif.xgboost", "classif.mlp"])
def test_without_the_dependency_the_key_names_the_extra(key):
    module, extra = OPTIONAL[key]
    code = _HIDING.format(module=module, key=key)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, timeout=120).stdout
    assert f"Learner '{key}' needs the optional dependency {module}" in out
    assert f"pip install mlr3py[{extra}]" in out
