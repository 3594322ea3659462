"""Where the time of one fold goes: the pipeline CV of ``pipeline_cv.py``, step by step.

Runs the same two sides as ``pipeline_cv.py`` (mlr3py's ``GraphLearner`` in
``resample()``, scikit-learn's ``Pipeline`` in ``cross_validate()``, same folds)
with timers around the steps of one fold, and prints CPU milliseconds per fold
(``time.thread_time``: on a shared machine, wall time mostly measures the other
jobs). Steps:

* train of the scaler, of the filter and of the tree operator (mlr3py: the PipeOp's
  ``train()``, task bookkeeping included; scikit-learn: ``fit_transform`` /
  ``fit`` inside ``Pipeline.fit``), and the tree's ``fit`` alone;
* the whole training (``GraphLearner.train`` / ``Pipeline.fit``) and the prediction
  of the test rows through the chain (mlr3py: the prediction object included;
  scikit-learn: ``Pipeline.predict``);
* the whole fold (``resample()`` / ``cross_validate()`` divided by the folds).

Each repetition runs both sides, alternating which goes first, after one untimed
run of each; the figures are means over the folds of all repetitions.

Usage::

    python benchmarks/pipeline_cv_steps.py            # 5 repetitions
    python benchmarks/pipeline_cv_steps.py --reps 10
"""

from __future__ import annotations

import argparse
import collections
import functools
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from _sklearn_side import sklearn_inputs
from sklearn.feature_selection import SelectPercentile, f_classif
from sklearn.model_selection import cross_validate
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier

from mlr3py import lrn, resample, rsmp, tsk
from mlr3py.filters import flt
from mlr3py.pipelines import PipeOp, as_learner, po
from mlr3py.pipelines._graph_learner import GraphLearner

FOLDS = 10
RANDOM_STATE = 0
clock = time.thread_time


@contextmanager
def timed(
    spots: list[tuple[Any, str, Callable[[tuple[Any, ...]], str | None]]],
    acc: Callable[[], dict[str, float]],
) -> Iterator[None]:
    """Wrap ``owner.name`` for each spot: ``label(args)`` names the step (None: not
    timed), ``acc()`` gives the running side's totals."""
    saved = []
    for owner, name, label in spots:
        original = getattr(owner, name)
        saved.append((owner, name, owner.__dict__.get(name)))

        def wrapper(*args: Any, _f: Any = original, _label: Any = label, **kwargs: Any) -> Any:
            start = clock()
            try:
                return _f(*args, **kwargs)
            finally:
                key = _label(args)
                if key is not None:
                    acc()[key] += clock() - start

        setattr(owner, name, functools.wraps(original)(wrapper))
    try:
        yield
    finally:
        for owner, name, before in reversed(saved):
            if before is None:
                delattr(owner, name)
            else:
                setattr(owner, name, before)


def main(argv: list[str] | None = None) -> int:
    """Print the table; the exit status is 0."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=5, help="timed repetitions (default 5)")
    args = parser.parse_args(argv)

    task = tsk("spam")
    resampling = rsmp("cv", folds=FOLDS).instantiate(task, seed=1)
    x, y, folds = sklearn_inputs(task, resampling)
    learner = as_learner(
        po("scale")
        >> po("filter", flt("anova"), filter_frac=0.5)
        >> lrn("classif.rpart", random_state=RANDOM_STATE)
    )
    pipeline = Pipeline(
        [
            ("scale", StandardScaler()),
            ("filter", SelectPercentile(f_classif, percentile=50)),
            ("tree", DecisionTreeClassifier(random_state=RANDOM_STATE)),
        ]
    )
    op_step = {
        "scale": "scale: train",
        "anova": "filter: train",
        "classif.rpart": "tree operator: train",
    }
    spots: list[Any] = [
        (PipeOp, "train", lambda a: op_step.get(a[0].id)),
        (GraphLearner, "train", lambda a: "whole training"),
        (GraphLearner, "_predict_or_missing", lambda a: "predict through the chain"),
        (StandardScaler, "fit_transform", lambda a: "scale: train"),
        (SelectPercentile, "fit_transform", lambda a: "filter: train"),
        (Pipeline, "fit", lambda a: "whole training"),
        (Pipeline, "predict", lambda a: "predict through the chain"),
        (DecisionTreeClassifier, "fit", lambda a: "tree: fit alone"),
    ]
    runs: dict[str, Callable[[], object]] = {
        "mlr3py": lambda: resample(task, learner, resampling),
        "scikit-learn": lambda: cross_validate(pipeline, x, y, cv=folds, scoring="accuracy"),
    }
    totals: dict[str, dict[str, float]] = {side: collections.defaultdict(float) for side in runs}
    current = ["mlr3py"]
    for run in runs.values():  # warm-up
        run()
    with timed(spots, lambda: totals[current[0]]):
        for rep in range(args.reps):  # both sides in each repetition, alternating the order
            for side in list(runs) if rep % 2 == 0 else list(runs)[::-1]:
                current[0] = side
                start = clock()
                runs[side]()
                totals[side]["whole fold"] += clock() - start
    n = args.reps * FOLDS
    table = {side: {k: 1000 * v / n for k, v in acc.items()} for side, acc in totals.items()}
    # scikit-learn's last step is the tree itself
    table["scikit-learn"]["tree operator: train"] = table["scikit-learn"]["tree: fit alone"]

    load = os.getloadavg()
    print(
        f"CPU ms per fold (thread time), means over {args.reps} x {FOLDS} folds; "
        f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}\n"
    )
    print("| step | mlr3py (ms) | scikit-learn (ms) | difference (ms) |")
    print("| --- | ---: | ---: | ---: |")
    for step in (
        "scale: train",
        "filter: train",
        "tree operator: train",
        "tree: fit alone",
        "whole training",
        "predict through the chain",
        "whole fold",
    ):
        m, s = table["mlr3py"][step], table["scikit-learn"][step]
        print(f"| {step} | {m:.2f} | {s:.2f} | {m - s:+.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
