"""Tables that no task can hold are refused with a typed error naming the column."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mlr3py import as_data_backend, as_task_classif, as_task_regr
from mlr3py.errors import InputError


def _frame(n: int = 20) -> pd.DataFrame:
    rng = np.random.default_rng(1)
    return pd.DataFrame({"a": rng.random(n), "y": np.repeat(["p", "q"], n // 2)})


def test_duplicated_column_names_are_named() -> None:
    df = pd.DataFrame(np.ones((4, 3)), columns=["a", "a", "b"])
    df["y"] = ["p", "q", "p", "q"]
    with pytest.raises(InputError, match=r"unique.*'a'.*duplicated"):
        as_task_classif(df, target="y")
    with pytest.raises(InputError, match="'a'"):
        as_task_regr(df.assign(y=1.0), target="y")


def test_complex_column_is_refused_not_a_factor() -> None:
    df = _frame().assign(c=np.arange(20) + 1j)
    with pytest.raises(InputError, match=r"'c'.*complex.*np\.real"):
        as_task_classif(df, target="y")


def test_reserved_row_id_column_is_not_dropped_silently() -> None:
    df = _frame().assign(**{"..row_id": np.arange(20)})
    with pytest.raises(InputError, match=r"'\.\.row_id' is reserved.*Rename"):
        as_task_classif(df, target="y")
    # as a declared primary key it stays the row ids, as documented
    backend = as_data_backend(df.assign(**{"..row_id": np.arange(100, 120)}),
                              primary_key="..row_id")
    assert backend.rownames.tolist() == list(range(100, 120))


def test_float_target_with_many_values_is_not_a_classification_target() -> None:
    rng = np.random.default_rng(2)
    df = pd.DataFrame({"a": rng.random(60), "y": rng.random(60)})
    with pytest.raises(InputError, match=r"'y'.*60 distinct.*as_task_regr.*astype\('category'\)"):
        as_task_classif(df, target="y")
    # the documented ways out
    assert as_task_regr(df, target="y").nrow == 60
    task = as_task_classif(df.assign(y=df["y"].astype("category")), target="y")
    assert len(task.class_names) == 60


def test_float_target_with_few_whole_values_stays_accepted() -> None:
    df = pd.DataFrame({"a": np.arange(6.0), "y": [0.0, 1.0] * 3})
    assert as_task_classif(df, target="y").class_names == ["0.0", "1.0"]


def test_a_boolean_mask_as_rows_says_how_to_get_the_ids() -> None:
    task = as_task_regr(_frame(), target="a")
    mask = (task.data()["a"] > task.data()["a"].median()).to_numpy()
    for rows in (mask, pd.Series(mask), [True, False]):
        with pytest.raises(InputError, match=r"boolean mask.*task\.row_ids\[mask\]"):
            task.clone().filter(rows)
    with pytest.raises(InputError, match="boolean mask"):
        task.data(rows=mask)
    assert task.clone().filter(task.row_ids[mask]).nrow == int(mask.sum())
