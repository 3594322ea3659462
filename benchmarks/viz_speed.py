"""Speed and size of two pictures: a large benchmark result and a long ROC curve.

1. ``autoplot(bmr, type="boxplot")`` and ``type="ci"`` of a BenchmarkResult with
   100,000 scored iterations (4 learners x 25,000 iterations of a featureless
   learner on a 10-row task; the iterations are copies of one job result, which is
   cheap to build and scores like a real one). Peer: ``bmr.score()`` alone, the
   part of the plot that is the scores. Goal: <= 2 s.
2. ``autoplot(prediction, type="roc")`` of a two-class prediction with 1e5 and 1e7
   rows (30% positive, scores from two overlapping normals), then saved as PNG.
   Peer: ``sklearn.metrics.roc_curve`` drawn in full (every point it keeps with
   ``drop_intermediate=True``) with the same labels, legend and diagonal, saved the
   same way. Goal: <= 3 s at 1e7 and a figure whose size does not grow with the
   rows: autoplot thins the curve to about 2,000 points, each dropped point within
   0.002 (L1) of a kept one. A PNG's size hardly depends on the points drawn; a
   vector file's does, so each side's figure is also saved as SVG once (outside
   the timing; the peer's only at 1e5 rows, its 1e7 SVG would be hundreds of MB).

Each figure is the median of the repetitions, sides in alternating order after an
untimed warm-up (imports, first figure).

Usage::

    python benchmarks/viz_speed.py           # 5 reps
    python benchmarks/viz_speed.py --quick   # 2 reps
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import platform
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from sklearn.metrics import roc_curve

from mlr3py import lrn, resample, rsmp
from mlr3py.evaluation import BenchmarkResult, ResampleResult
from mlr3py.predictions import PredictionClassif
from mlr3py.tasks import as_task_classif
from mlr3py.viz import autoplot


def big_benchmark(n_learners: int = 4, iters: int = 25_000) -> BenchmarkResult:
    """A BenchmarkResult of ``n_learners * iters`` iterations, built from copies of one
    holdout job of ``classif.featureless`` on a 10-row task."""
    df = pd.DataFrame({"x": np.arange(10.0), "y": ["a", "b"] * 5})
    task = as_task_classif(df, target="y", id="tiny")
    rr = resample(task, lrn("classif.featureless"), rsmp("holdout"), seed=1)
    job = rr.job_results[0]
    rrs = []
    for k in range(n_learners):
        learner = lrn("classif.featureless")
        learner.id = f"featureless_{k}"
        results = [dataclasses.replace(job, iteration=i) for i in range(iters)]
        rrs.append(ResampleResult(task, learner, rr.resampling, results))
    return BenchmarkResult(rrs)


def prediction(n: int, seed: int = 1) -> PredictionClassif:
    """Two classes, 30% positive; the positive class's score is shifted up by 0.2."""
    rng = np.random.default_rng(seed)
    positive = rng.random(n) < 0.3
    score = np.clip(rng.normal(0.4, 0.2, n) + 0.2 * positive, 0.0, 1.0)
    return PredictionClassif(np.arange(n), truth=np.where(positive, "yes", "no"),
                             prob=np.column_stack([score, 1.0 - score]),
                             class_names=["yes", "no"])


def timed(fn: Callable[[], Any]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def medians(sides: dict[str, Callable[[], Any]], reps: int) -> dict[str, float]:
    for fn in sides.values():  # warm-up
        fn()
        plt.close("all")
    times: dict[str, list[float]] = {k: [] for k in sides}
    names = list(sides)
    for r in range(reps):
        for name in names if r % 2 == 0 else names[::-1]:
            times[name].append(timed(sides[name]))
            plt.close("all")
    return {k: statistics.median(v) for k, v in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2 repetitions")
    args = parser.parse_args()
    reps = 2 if args.quick else 5
    out = Path(tempfile.mkdtemp(prefix="viz_speed_"))
    print(f"Python {platform.python_version()}, matplotlib {matplotlib.__version__}, "
          f"numpy {np.__version__}; load average {os.getloadavg()[0]:.1f} (1 min)")

    bmr = big_benchmark()
    n = sum(rr.iters for rr in bmr.resample_results)
    print(f"\n1. BenchmarkResult with {n:,} iterations ({bmr.n_resample_results} learners)")
    got = medians({
        "bmr.score() alone": lambda: bmr.score("classif.ce"),
        "autoplot(bmr, 'boxplot')": lambda: autoplot(bmr, "boxplot", measure="classif.ce"),
        "autoplot(bmr, 'ci')": lambda: autoplot(bmr, "ci", measure="classif.ce"),
    }, reps)
    base = got["bmr.score() alone"]
    for name, value in got.items():
        verdict = "" if name == "bmr.score() alone" else (
            "  goal <= 2 s: " + ("met" if value <= 2.0 else "MISSED"))
        print(f"  {name:<28} {value:7.3f} s  ({value / base:.2f} x score){verdict}")

    print(f"\n2. ROC plot, saved as PNG ({reps} reps; files under {out})")
    print(f"  {'rows':>12} {'side':<34} {'median s':>9} {'points':>9} {'PNG bytes':>10} "
          f"{'SVG bytes':>11}")
    sizes: dict[str, tuple[int, int]] = {}  # side -> (points drawn, PNG bytes), last call
    figures: dict[str, Any] = {}
    for rows in (100_000, 10_000_000):
        p = prediction(rows)
        positive = p.truth_codes == 0
        score = p.prob_matrix[:, 0]

        def ours(rows: int = rows, p: PredictionClassif = p) -> None:
            ax = autoplot(p, "roc")
            path = out / f"autoplot_{rows}.png"
            ax.figure.savefig(path, dpi=80)
            sizes["autoplot"] = (len(ax.get_lines()[0].get_xdata()), path.stat().st_size)
            figures["autoplot"] = ax.figure

        def peer(rows: int = rows, positive: np.ndarray = positive,
                 score: np.ndarray = score) -> None:
            fpr, tpr, _ = roc_curve(positive, score, drop_intermediate=True)
            fig, ax = plt.subplots(figsize=(4.5, 4.5))
            ax.plot(fpr, tpr, label="yes")
            ax.plot([0, 1], [0, 1], linestyle=":", color="grey")
            ax.set_xlabel("False positive rate (positive class: yes)")
            ax.set_ylabel("True positive rate")
            ax.legend(loc="lower right")
            path = out / f"sklearn_{rows}.png"
            fig.savefig(path, dpi=80)
            sizes["sklearn"] = (fpr.size, path.stat().st_size)
            figures["sklearn"] = fig

        got = medians({"autoplot(p, 'roc') + savefig": ours,
                       "sklearn roc_curve, full + savefig": peer}, reps)
        for (name, value), key in zip(got.items(), ("autoplot", "sklearn"), strict=True):
            points, size = sizes[key]
            svg = "-"
            if key == "autoplot" or rows <= 100_000:
                (ours if key == "autoplot" else peer)()
                svg_path = out / f"{key}_{rows}.svg"
                figures[key].savefig(svg_path)
                svg = f"{svg_path.stat().st_size:,}"
                plt.close("all")
            print(f"  {rows:>12,} {name:<34} {value:9.3f} {points:>9,} {size:>10,} {svg:>11}")
        if rows == 10_000_000:
            value = got["autoplot(p, 'roc') + savefig"]
            print(f"  goal <= 3 s at 1e7: {'met' if value <= 3.0 else 'MISSED'} ({value:.2f} s)")
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
