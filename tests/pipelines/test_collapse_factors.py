"""po("collapsefactors") merges rare levels as mlr3pipelines' PipeOpCollapseFactors."""

from __future__ import annotations

import pandas as pd

from mlr3py import as_task_classif
from mlr3py.pipelines import po
from mlr3py.tasks import TaskClassif

COUNTS = {"a": 10, "b": 6, "c": 3, "d": 1}


def _task(ordered: bool = False, extra: str | None = None) -> TaskClassif:
    values = [lv for lv, n in COUNTS.items() for _ in range(n)]
    categories = list(COUNTS) + ([extra] if extra else [])
    if extra:
        values[-1] = extra
    frame = pd.DataFrame({"f": pd.Categorical(values, categories=categories, ordered=ordered),
                          "y": ["p", "n"] * (len(values) // 2)})
    return as_task_classif(frame, target="y")


def test_rare_levels_join_the_rarest_kept_level() -> None:
    op = po("collapsefactors", target_level_count=2)
    (out,) = op.train([_task()])
    values = out.data(cols=["f"])["f"]
    assert list(values.cat.categories) == ["a", "b"]
    assert values.value_counts().to_dict() == {"a": 10, "b": 10}


def test_prevalent_levels_are_kept() -> None:
    op = po("collapsefactors", target_level_count=2, no_collapse_above_prevalence=0.15)
    (out,) = op.train([_task()])
    assert out.data(cols=["f"])["f"].value_counts().to_dict() == {"a": 10, "b": 6, "c": 4}


def test_ordered_levels_join_their_rarer_neighbour() -> None:
    op = po("collapsefactors", target_level_count=2)
    (out,) = op.train([_task(ordered=True)])
    values = out.data(cols=["f"])["f"]
    assert values.cat.ordered
    # c (3) joins d (1), the rarer neighbour; then d joins b, its only remaining neighbour
    assert list(values.cat.categories) == ["a", "b"]
    assert values.value_counts().to_dict() == {"a": 10, "b": 10}


def test_unseen_levels_pass_through_and_few_levels_stay() -> None:
    op = po("collapsefactors", target_level_count=2)
    op.train([_task()])
    (pred,) = op.predict([_task(extra="z")])
    values = pred.data(cols=["f"])["f"]
    assert values.iloc[-1] == "z" and "z" in values.cat.categories
    (same,) = po("collapsefactors", target_level_count=4).train([_task()])
    assert list(same.data(cols=["f"])["f"].cat.categories) == list(COUNTS)
