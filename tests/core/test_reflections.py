"""mlr3py.reflections is the one table of task-type facts: every layer reads it."""

from __future__ import annotations

import ast
from pathlib import Path

import mlr3py
from mlr3py import lrn, reflections
from mlr3py.learners import _base as learner_base
from mlr3py.learners import mlr_learners
from mlr3py.measures import base as measure_base
from mlr3py.measures import resolve_measures
from mlr3py.tasks import _format as task_format
from mlr3py.testing import _learner as testing_learner
from mlr3py.testing import _measure as testing_measure
from mlr3py.testing import _tasks as testing_tasks

SRC = Path(mlr3py.__file__).parent


def test_the_table() -> None:
    assert reflections.TASK_TYPES == ("classif", "regr")
    assert set(reflections.PREDICT_TYPES) == set(reflections.TASK_TYPES)
    for task_type in reflections.TASK_TYPES:
        assert reflections.predict_types(task_type)[0] == "response"
        assert reflections.default_measure(task_type) == f"{task_type}." + (
            "ce" if task_type == "classif" else "mse"
        )
    assert reflections.predict_types("surv") == ()
    assert set(reflections.FEATURE_TYPE_ABBREVIATIONS) == set(reflections.FEATURE_TYPES)


def test_the_layers_read_the_table() -> None:
    assert learner_base.PREDICT_TYPES is reflections.PREDICT_TYPES
    assert learner_base.FEATURE_TYPES is reflections.FEATURE_TYPES
    assert measure_base.MEASURE_PROPERTIES is reflections.MEASURE_PROPERTIES
    assert task_format._ABBREV is reflections.FEATURE_TYPE_ABBREVIATIONS
    assert testing_learner._PREDICT_TYPES is reflections.PREDICT_TYPES
    assert testing_measure._PREDICT_TYPES is reflections.PREDICT_TYPES
    assert sorted(testing_tasks.FEATURE_TYPES) == sorted(reflections.FEATURE_TYPES)
    for task_type, key in reflections.DEFAULT_MEASURES.items():
        assert [m.id for m in resolve_measures(None, task_type, "test")] == [key]
    for key in ("classif.featureless", "classif.debug", "regr.featureless", "regr.debug"):
        learner = lrn(key)
        assert tuple(learner.predict_types) == reflections.PREDICT_TYPES[learner.task_type]


def test_every_learner_declares_predict_types_from_the_table() -> None:
    for key in mlr_learners.keys():
        try:
            learner = mlr_learners.get(key)
        except Exception:  # an optional dependency that is not installed
            continue
        allowed = reflections.PREDICT_TYPES[learner.task_type]
        assert set(learner.predict_types) <= set(allowed), key
        assert set(learner.feature_types) <= set(reflections.FEATURE_TYPES), key


def _literals(tree: ast.AST) -> list[tuple[int, object]]:
    out: list[tuple[int, object]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Tuple | ast.Dict):
            try:
                out.append((node.lineno, ast.literal_eval(node)))
            except ValueError:
                continue
    return out


def test_no_module_keeps_its_own_copy_of_the_table() -> None:
    """A new task or predict type needs an entry in reflections.py only: no copies elsewhere."""
    copies = [
        *reflections.PREDICT_TYPES.values(),
        reflections.TASK_TYPES,
        reflections.FEATURE_TYPES,
        reflections.LEARNER_PROPERTIES,
    ]
    tables = [dict(reflections.PREDICT_TYPES), dict(reflections.DEFAULT_MEASURES),
              dict(reflections.FEATURE_TYPE_ABBREVIATIONS)]
    found = []
    for path in sorted(SRC.rglob("*.py")):
        if path.name == "reflections.py":
            continue
        for lineno, value in _literals(ast.parse(path.read_text(encoding="utf-8"))):
            if value in copies or value in tables:
                found.append(f"{path.relative_to(SRC)}:{lineno}: {value!r}")
    assert not found, "copies of mlr3py.reflections:\n" + "\n".join(found)


def test_every_learner_predict_type_provides_itself_and_a_response() -> None:
    for task_type, types in reflections.PREDICT_TYPES.items():
        assert set(reflections.LEARNER_PREDICT_TYPES[task_type]) == set(types)
        for predict_type in types:
            provided = reflections.provided_predict_types(task_type, predict_type)
            assert predict_type in provided and "response" in provided
    assert reflections.provided_predict_types("classif", "se") == ()
    assert reflections.provided_predict_types("surv", "response") == ()
