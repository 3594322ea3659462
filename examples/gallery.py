"""A gallery of every plot type of ``mlr3py.viz.autoplot``, written as PNG files.

Built-in tasks: sonar, german_credit and breast_cancer (two classes), penguins
(three), mtcars (regression); a simulated 3% minority for the batch pictures;
pipeline graphs (``graph.plot()``, ``autoplot(graph)``). Torch plots are drawn
when torch is installed.

Run it with ``.venv/bin/python examples/gallery.py [DIRECTORY] [--quick]``; the
files go to DIRECTORY (default: a new temporary directory), one per plot,
named ``<object>_<type>.png``. ``--quick`` uses fewer folds, evaluations and
epochs.
"""

from __future__ import annotations

import argparse
import importlib.util
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np

from mlr3py import benchmark, benchmark_grid, lrn, resample, rsmp, tsk
from mlr3py.params import p_int, ps, to_tune
from mlr3py.tuning import tnr, tune
from mlr3py.viz import autoplot, plot_types


class Gallery:
    """Saves each plot to ``directory/<name>_<type>.png`` and remembers the files."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.files: list[Path] = []

    def save(self, name: str, obj: Any, types: list[str] | None = None, **kwargs: Any) -> None:
        for kind in types or list(plot_types(obj)):
            drawn = autoplot(obj, type=kind, **kwargs)
            figure = getattr(drawn, "figure", drawn)
            path = self.directory / f"{name}_{kind}.png"
            figure.savefig(path, dpi=72, bbox_inches="tight")
            plt.close(figure)
            self.files.append(path)

    def save_figure(self, name: str, draw: Callable[[], Any]) -> None:
        figure = draw()
        path = self.directory / f"{name}.png"
        figure.savefig(path, dpi=72, bbox_inches="tight")
        plt.close(figure)
        self.files.append(path)


def predictions_and_results(g: Gallery, quick: bool) -> None:
    folds = 3 if quick else 5
    tree = lrn("classif.rpart", predict_type="prob", max_depth=4)
    rr = resample(tsk("sonar"), tree, rsmp("cv", folds=folds), seed=1)
    g.save("prediction_classif", rr.prediction())
    penguins = resample(tsk("penguins"), tree, rsmp("cv", folds=folds), seed=1)
    g.save("prediction_multiclass", penguins.prediction(), ["roc", "prc"])
    mtcars = resample(tsk("mtcars"), lrn("regr.rpart", max_depth=3), rsmp("cv", folds=folds),
                      seed=1)
    g.save("prediction_regr", mtcars.prediction(), ["xy", "residual", "histogram"])
    featureless = lrn("regr.featureless", predict_type="se").train(tsk("mtcars"))
    g.save("prediction_regr", featureless.predict(tsk("mtcars")), ["confidence"])
    g.save("resample_result", rr, ["boxplot", "histogram"], measure="classif.auc")
    g.save("resample_result", rr, ["roc", "prc"])
    two = tsk("penguins").select(["bill_length", "flipper_length"])
    g.save("resample_result", resample(two, lrn("classif.rpart", max_depth=4),
                                       rsmp("cv", folds=folds), seed=1, store_models=True),
           ["prediction"])
    learners = [tree, lrn("classif.featureless", predict_type="prob"),
                lrn("classif.kknn", predict_type="prob")]
    design = benchmark_grid([tsk("sonar"), tsk("breast_cancer")], learners,
                            rsmp("cv", folds=folds))
    bmr = benchmark(design, seed=1)
    g.save("benchmark_result", bmr, ["boxplot", "ci"], measure="classif.auc")
    g.save("benchmark_result", bmr, ["roc", "prc"])


def tuning(g: Gallery, quick: bool) -> None:
    evals = 12 if quick else 40
    learner = lrn("classif.rpart", max_depth=to_tune(1, 10), min_samples_leaf=to_tune(1, 30),
                  criterion=to_tune(["gini", "entropy"]))
    instance = tune(tnr("random_search", batch_size=4), tsk("sonar"), learner,
                    rsmp("cv", folds=3), "classif.ce", term_evals=evals, seed=1)
    g.save("tuning_instance", instance, ["performance", "incumbent", "marginal", "parallel",
                                         "points", "pairs", "surface"])
    space = ps(max_depth=p_int(1, 4 if quick else 16, tags="budget"),
               min_samples_leaf=p_int(1, 30))
    hyperband = tune(tnr("hyperband", eta=2), tsk("sonar"), lrn("classif.rpart"),
                     rsmp("holdout"), "classif.ce", search_space=space, seed=1)
    g.save("tuning_hyperband", hyperband, ["budget"])


def tasks_and_importance(g: Gallery) -> None:
    g.save("task_classif", tsk("penguins"))
    g.save("task_regr", tsk("mtcars"))
    forest = lrn("classif.ranger", n_estimators=50) if _has_learner("classif.ranger") \
        else lrn("classif.rpart")
    forest.train(tsk("sonar"))
    g.save("importance", forest, n=15)
    g.save("learner_rpart", lrn("classif.rpart", max_depth=3).train(tsk("penguins")), ["tree"])


def graphs(g: Gallery) -> None:
    from mlr3py.pipelines import as_learner, gunion, po

    branched = (po("scale") >> po("branch", options=["pca", "nop"])
                >> gunion([po("pca", rank=5), po("nop")]) >> po("unbranch")
                >> lrn("classif.rpart"))
    g.save("graph_branch", branched)
    union = (po("imputemedian") >> po("copy", outnum=2)
             >> gunion([po("scale"), po("pca", rank=3)]) >> po("featureunion")
             >> lrn("classif.rpart"))
    g.save("graph_learner", as_learner(union), ["graph"])
    plt.close(branched.plot().figure)  # graph.plot() draws the same picture


def _has_learner(key: str) -> bool:
    from mlr3py.learners import mlr_learners

    return key in mlr_learners.keys()


def torch_plots(g: Gallery, quick: bool) -> None:
    import torch
    from torch.utils.data import BatchSampler, RandomSampler

    from mlr3py.torch import BatchSamplerStratified, batch_diagnostics

    task = tsk("sonar")
    mlp = lrn("classif.mlp", epochs=5 if quick else 30, batch_size=16, neurons=[32], seed=1,
              validate=0.3, measures_valid=["classif.auc"], measures_train=["classif.auc"])
    mlp.train(task)
    g.save("torch_learner", mlp)

    labels = np.zeros(20_050, dtype=np.int64)  # the 3% simulation: 602 positives
    labels[:602] = 1
    default = BatchSampler(RandomSampler(range(labels.size),
                                         generator=torch.Generator().manual_seed(1)),
                           batch_size=100, drop_last=False)
    stratified = BatchSamplerStratified(labels, 3, generator=torch.Generator().manual_seed(1))
    tables = [batch_diagnostics(default, labels), batch_diagnostics(stratified)]
    g.save("batches_default", tables[0])

    def side_by_side() -> Any:
        fig, (top, bottom) = plt.subplots(2, 1, figsize=(11, 6), sharey=True,
                                          layout="constrained")
        autoplot(tables[0], ax=top)
        top.set_title("torch's BatchSampler(RandomSampler(...), 100)")
        autoplot(tables[1], ax=bottom)
        bottom.set_title("BatchSamplerStratified(labels, min_samples_per_stratum=3)")
        return fig

    g.save_figure("batches_side_by_side", side_by_side)


def main(directory: str | None = None, quick: bool = False) -> list[Path]:
    """Write the gallery; returns the files written."""
    out = Path(directory) if directory else Path(tempfile.mkdtemp(prefix="mlr3py_gallery_"))
    out.mkdir(parents=True, exist_ok=True)
    g = Gallery(out)
    predictions_and_results(g, quick)
    tuning(g, quick)
    tasks_and_importance(g)
    graphs(g)
    if importlib.util.find_spec("torch") is not None:
        torch_plots(g, quick)
    return g.files


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Write every plot type to PNG files.")
    parser.add_argument("directory", nargs="?", help="where to write (default: a temp dir)")
    parser.add_argument("--quick", action="store_true", help="small settings")
    args = parser.parse_args()
    files = main(args.directory, args.quick)
    print(f"{len(files)} plots in {files[0].parent}:")
    for path in files:
        print(f"  {path.name}")
