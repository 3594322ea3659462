"""Every registered plot type keeps the contract that ``check_plot`` checks."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mlr3py import benchmark, benchmark_grid, lrn, resample, rsmp, tsk
from mlr3py.predictions import PredictionClassif, PredictionRegr
from mlr3py.tasks import as_task_classif
from mlr3py.testing import ConformanceError, check_plot
from mlr3py.viz import plot_types


def _objects() -> list[object]:
    rng = np.random.default_rng(0)
    x = rng.normal(size=60)
    y = np.where(x + rng.normal(size=60) > 0, "pos", "neg")
    task = as_task_classif(pd.DataFrame({"x": x, "z": rng.normal(size=60), "y": y}),
                           target="y", positive="pos", id="toy")
    learner = lrn("classif.rpart", predict_type="prob", max_depth=2)
    rr = resample(task, learner, rsmp("cv", folds=3), seed=1, store_models=True)
    bmr = benchmark(benchmark_grid(task, [learner, lrn("classif.featureless",
                                                        predict_type="prob")],
                                   rsmp("cv", folds=3)), seed=1)
    prob = rng.dirichlet([1, 1], size=30)
    return [
        PredictionClassif(np.arange(30), truth=rng.choice(["a", "b"], 30), prob=prob,
                          class_names=["a", "b"]),
        PredictionRegr(np.arange(5), truth=np.arange(5.0), response=np.arange(5.0) + 0.5,
                       se=np.full(5, 0.3)),
        rr, bmr, task, tsk("mtcars"), pd.Series({"a": 1.0, "b": 2.0}),
        lrn("classif.rpart", max_depth=2).train(task),
        lrn("regr.rpart", max_depth=2).train(tsk("mtcars")),
    ]


def test_every_plot_type_conforms() -> None:
    checked = 0
    for obj in _objects():
        for name, plot in plot_types(obj).items():
            check_plot(plot.function, obj, name=name)
            checked += 1
    assert checked >= 29


def test_a_plot_function_returning_nothing_fails() -> None:
    def broken(obj: object, ax: object = None) -> None:
        return None

    with pytest.raises(ConformanceError, match="'broken'.*Axes or Figure"):
        check_plot(broken, object(), name="broken")


def test_a_plot_function_ignoring_the_given_axes_fails() -> None:
    import matplotlib.pyplot as plt

    def own_axes(obj: object, ax: object = None) -> object:
        _, new = plt.subplots()
        new.plot([0, 1], [0, 1])
        return new

    with pytest.raises(ConformanceError, match="check_plot_draws_on_ax"):
        check_plot(own_axes, object(), name="own_axes")
