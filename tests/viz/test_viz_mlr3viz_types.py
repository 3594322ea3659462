"""The plot types mlr3viz offers are there, under mlr3viz's names, and draw what they
say: ``stacked`` and ``confidence`` predictions, ``duo`` tasks, ``points`` /
``incumbent`` / ``pairs`` tuning plots, the ``tree`` of rpart learners, the
``prediction`` of resampled models."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mlr3py import lrn, msr, resample, rsmp, tsk
from mlr3py.errors import InputError, NotTrainedError
from mlr3py.params import to_tune
from mlr3py.predictions import PredictionClassif, PredictionRegr
from mlr3py.tuning import tnr, tune
from mlr3py.viz import autoplot, plot_types

MLR3VIZ_TYPES = {
    "PredictionClassif": {"stacked", "roc", "prc", "threshold"},
    "PredictionRegr": {"xy", "histogram", "residual", "confidence"},
    "TaskClassif": {"target", "duo", "pairs"},
    "TaskRegr": {"target", "pairs"},
    "ResampleResult": {"boxplot", "histogram", "roc", "prc", "prediction"},
    "TuningInstance": {"performance", "marginal", "parallel", "points", "surface", "pairs",
                       "incumbent"},
}


def test_every_mlr3viz_type_is_offered(task, instance) -> None:
    prob = np.tile([[0.7, 0.3]], (4, 1))
    objects = {
        "PredictionClassif": PredictionClassif(np.arange(4), truth=["a", "b", "a", "b"],
                                               prob=prob, class_names=["a", "b"]),
        "PredictionRegr": PredictionRegr(np.arange(3), truth=np.arange(3.0),
                                         response=np.arange(3.0)),
        "TaskClassif": task,
        "TaskRegr": tsk("mtcars"),
        "ResampleResult": resample(task, lrn("classif.rpart"), rsmp("holdout"), seed=1),
        "TuningInstance": instance,
    }
    for name, wanted in MLR3VIZ_TYPES.items():
        assert wanted <= set(plot_types(objects[name])), name


def test_stacked_stacks_true_and_predicted_class_counts() -> None:
    prediction = PredictionClassif(np.arange(5), truth=["a", "a", "a", "b", "c"],
                                   response=["a", "b", "b", "b", "c"],
                                   class_names=["a", "b", "c"])
    ax = autoplot(prediction, type="stacked")
    bars = ax.patches
    # one bar per class and column (truth, response), stacked class after class
    heights = np.array([b.get_height() for b in bars]).reshape(3, 2)
    np.testing.assert_array_equal(heights, [[3, 1], [1, 3], [1, 1]])
    bottoms = np.array([b.get_y() for b in bars]).reshape(3, 2)
    np.testing.assert_array_equal(bottoms, [[0, 0], [3, 1], [4, 4]])
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["a", "b", "c"]


def test_confidence_draws_normal_intervals_from_the_se() -> None:
    prediction = PredictionRegr(np.arange(3), truth=np.array([1.0, 2.0, 3.0]),
                                response=np.array([1.5, 2.0, 2.5]), se=np.array([0.1, 0.2, 0.5]))
    ax = autoplot(prediction, type="confidence", level=0.9)
    segments = ax.collections[-1].get_segments()
    lengths = np.array([s[1, 1] - s[0, 1] for s in segments])
    np.testing.assert_allclose(lengths, 2 * 1.6448536269514722 * np.array([0.1, 0.2, 0.5]))


def test_confidence_without_se_names_the_predict_type() -> None:
    prediction = PredictionRegr(np.arange(3), truth=np.arange(3.0), response=np.arange(3.0))
    with pytest.raises(InputError, match="predict_type=\"se\""):
        autoplot(prediction, type="confidence")


def test_duo_boxplots_each_feature_per_class(task) -> None:
    fig = autoplot(task, type="duo")
    panels = [a for a in fig.axes if a.get_visible()]
    assert [a.get_ylabel() for a in panels] == ["x", "z"]
    assert [t.get_text() for t in panels[0].get_xticklabels()] == list(task.class_names)
    ax = autoplot(task, type="duo", features="x")
    # a boxplot per class: its median is a horizontal line
    data = task.data()
    levels = {round(float(line.get_ydata()[0]), 9) for line in ax.lines
              if len(line.get_ydata()) == 2 and line.get_ydata()[0] == line.get_ydata()[1]}
    for c in task.class_names:
        assert round(float(data.loc[data["y"] == c, "x"].median()), 9) in levels


def test_duo_of_a_regression_task_scatters_features_against_the_target() -> None:
    ax = autoplot(tsk("mtcars"), type="duo", features=["wt"])
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("wt", "mpg")
    assert len(ax.collections[0].get_offsets()) == 32


def test_points_scatter_two_parameters_without_a_surface(instance) -> None:
    ax = autoplot(instance, type="points", x="max_depth", y="min_samples_leaf")
    data = instance.archive.data
    assert len(ax.collections) == 1
    np.testing.assert_allclose(ax.collections[0].get_offsets(),
                               data[["max_depth", "min_samples_leaf"]].to_numpy(dtype=float))
    np.testing.assert_allclose(ax.collections[0].get_array(), data["classif.ce"])


def test_incumbent_is_the_best_score_so_far(instance) -> None:
    ax = autoplot(instance, type="incumbent")
    scores = instance.archive.data["classif.ce"].to_numpy()
    np.testing.assert_allclose(ax.get_lines()[0].get_ydata(), np.minimum.accumulate(scores))


def test_pairs_has_a_panel_per_pair_of_parameters(instance) -> None:
    fig = autoplot(instance, type="pairs", params=["max_depth", "min_samples_leaf"])
    grid = [a for a in fig.axes if a.get_label() != "<colorbar>"]
    assert len(grid) == 4
    assert grid[2].get_xlabel() == "max_depth" and grid[2].get_ylabel() == "min_samples_leaf"


def test_a_surface_of_one_parameter_points_to_marginal(task) -> None:
    learner = lrn("classif.rpart", max_depth=to_tune(1, 6))
    inst = tune(tnr("random_search"), task, learner, rsmp("holdout"), "classif.ce",
                term_evals=3, seed=1)
    for kind in ("points", "surface"):
        with pytest.raises(InputError, match="type='marginal'"):
            autoplot(inst, type=kind)


def test_tree_of_a_trained_rpart_names_features_and_classes() -> None:
    learner = lrn("classif.rpart", max_depth=2).train(tsk("penguins"))
    assert "tree" in plot_types(learner)
    ax = autoplot(learner)  # the tree is the default plot of a tree learner
    texts = " ".join(t.get_text() for t in ax.texts)
    root = learner.model.estimator.tree_
    assert learner.model.encoder.output_names[root.feature[0]] in texts
    assert "class = Gentoo" in texts and "class = Adelie" in texts
    assert autoplot(learner, type="importance").get_ylabel() == "Feature"


def test_tree_of_an_untrained_learner_says_train_first() -> None:
    with pytest.raises(NotTrainedError, match="train"):
        autoplot(lrn("regr.rpart"), type="tree")


@pytest.mark.filterwarnings("ignore:Measure 'classif.auc' is missing predict type")
def test_a_probability_measure_on_response_predictions_says_why(task) -> None:
    rr = resample(task, lrn("classif.rpart"), rsmp("cv", folds=2), seed=1)
    with pytest.raises(InputError, match="needs predict type 'prob'.*classif.rpart"):
        autoplot(rr, measure=msr("classif.auc"))
    rr_prob = resample(task, lrn("classif.rpart", predict_type="prob"), rsmp("cv", folds=2),
                       seed=1)
    ax = autoplot(rr_prob, measure=msr("classif.auc"))
    assert ax.get_ylabel() == "classif.auc"


def test_prediction_of_one_feature_draws_each_iterations_model() -> None:
    task = tsk("mtcars").select(["wt"])
    rr = resample(task, lrn("regr.rpart", max_depth=2), rsmp("cv", folds=3), seed=1,
                  store_models=True)
    fig = autoplot(rr, type="prediction", grid_points=25)
    panels = [a for a in fig.axes if a.get_visible()]
    assert [a.get_title() for a in panels] == ["iteration 0", "iteration 1", "iteration 2"]
    wt = task.data(cols=["wt"])["wt"]
    grid = pd.DataFrame({"wt": np.linspace(wt.min(), wt.max(), 25)})
    for panel, learner, it in zip(panels, rr.learners, rr.iterations, strict=True):
        (line,) = panel.get_lines()
        np.testing.assert_allclose(line.get_ydata(), learner.predict_newdata(grid).response)
        assert len(panel.collections[0].get_offsets()) == len(rr.resampling.test_set(it))


def test_prediction_of_two_features_colours_the_predicted_classes() -> None:
    task = tsk("penguins").select(["bill_length", "flipper_length"])
    rr = resample(task, lrn("classif.rpart", max_depth=2), rsmp("holdout"), seed=1,
                  store_models=True)
    ax = autoplot(rr, type="prediction", grid_points=20)
    mesh = ax.collections[0]
    codes = np.asarray(mesh.get_array()).ravel()
    assert set(np.unique(codes)) <= {0, 1, 2} and len(codes) == 400
    assert [t.get_text() for t in ax.get_legend().get_texts()] == list(task.class_names)


def test_prediction_needs_stored_models_and_at_most_two_features(task) -> None:
    rr = resample(task, lrn("classif.rpart"), rsmp("holdout"), seed=1)
    with pytest.raises(InputError, match="store_models=True"):
        autoplot(rr, type="prediction")
    rr = resample(tsk("mtcars"), lrn("regr.rpart"), rsmp("holdout"), seed=1, store_models=True)
    with pytest.raises(InputError, match="one or two numeric features; task 'mtcars' has 10"):
        autoplot(rr, type="prediction")


@pytest.mark.filterwarnings("ignore:Measure 'classif.auc' is missing predict type")
def test_benchmark_plots_name_the_learner_without_probabilities(task) -> None:
    from mlr3py import benchmark, benchmark_grid

    design = benchmark_grid(task, [lrn("classif.rpart", predict_type="prob"),
                                   lrn("classif.featureless")], rsmp("cv", folds=3))
    bmr = benchmark(design, seed=1)
    with pytest.warns(UserWarning, match=r"no score for \['toy / classif.featureless'\].*"
                                         r"predict type 'prob'"):
        ax = autoplot(bmr, measure=msr("classif.auc"))
    assert [t.get_text() for t in ax.get_xticklabels()] == ["classif.rpart"]
    with pytest.raises(InputError, match="Learner 'classif.featureless' on task 'toy'.*"
                                         "predicted probabilities"):
        autoplot(bmr, type="roc")
