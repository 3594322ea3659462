"""Row operators used in training only: ``subsample`` and ``classbalancing``.

Both change which rows the next operators train on and pass the task through
unchanged at prediction time. Random draws come from the job's numpy stream
(:func:`mlr3py._rng.job_random_state`: the thread's own under thread plans), which
the job runner seeds per job, so results repeat under every plan.
"""

from __future__ import annotations

import numpy as np

from mlr3py._rng import job_random_state
from mlr3py.params import p_dbl, p_fct, p_lgl, ps
from mlr3py.pipelines._preproc import PipeOpTaskPreproc
from mlr3py.tasks import Task

__all__ = ["PipeOpClassBalancing", "PipeOpSubsample"]


def _draw(ids: np.ndarray, n: int, replace: bool) -> np.ndarray:
    rng = job_random_state()  # seeded per job by the job runner
    if replace or n > len(ids):
        return np.asarray(rng.choice(ids, size=n, replace=True), dtype=np.int64)
    return np.asarray(rng.choice(ids, size=n, replace=False), dtype=np.int64)


class PipeOpSubsample(PipeOpTaskPreproc):
    """Train on a random subset of rows (``po("subsample", frac=0.5)``).

    ``frac`` (default 1 - e^-1 = 0.632), ``stratify`` (keep class shares, default
    False), ``replace`` (draw with replacement, default False).
    """

    def __init__(self, id: str = "subsample") -> None:  # noqa: A002
        super().__init__(id, ps(frac=p_dbl(0, None, init=1 - np.exp(-1), tags="train"),
                                stratify=p_lgl(init=False, tags="train"),
                                replace=p_lgl(init=False, tags="train")),
                         label="Subsampling")

    def _train_task(self, task: Task) -> Task:
        self.state = {}
        v = self.param_set.values
        frac, replace = v.get("frac", 1 - np.exp(-1)), v.get("replace", False)
        ids = task.row_ids
        if v.get("stratify") and task.task_type == "classif":
            codes = np.asarray(task.truth().codes)  # type: ignore[attr-defined]
            parts = [_draw(ids[codes == k], round(frac * (codes == k).sum()), replace)
                     for k in np.unique(codes)]
            rows = np.concatenate(parts)
        else:
            rows = _draw(ids, round(frac * len(ids)), replace)
        return task._use_rows(rows)

    def _predict_task(self, task: Task) -> Task:
        return task


_REFERENCE = ["all", "major", "minor", "nonmajor", "nonminor", "one"]
_ADJUST = ["all", "major", "minor", "nonmajor", "nonminor", "upsample", "downsample"]


class PipeOpClassBalancing(PipeOpTaskPreproc):
    """Up- or downsample classes in training (``po("classbalancing")``; mlr3pipelines' rules).

    The target size of a class is ``ratio`` times the ``reference`` size
    (``"all"``: the mean class size, ``"major"`` / ``"minor"``: the largest /
    smallest class, ``"nonmajor"`` / ``"nonminor"``: the mean without it, ``"one"``:
    1). ``adjust`` says which classes change: ``"all"``, ``"major"``, ``"minor"``,
    ``"nonmajor"``, ``"nonminor"``, ``"upsample"`` (smaller ones only) or
    ``"downsample"`` (larger ones only). Upsampled classes keep all their rows and
    repeat some; downsampled ones keep a random subset.
    """

    def __init__(self, id: str = "classbalancing") -> None:  # noqa: A002
        super().__init__(id, ps(ratio=p_dbl(0, None, init=1.0, tags="train"),
                                reference=p_fct(_REFERENCE, init="all", tags="train"),
                                adjust=p_fct(_ADJUST, init="all", tags="train"),
                                shuffle=p_lgl(init=True, tags="train")),
                         task_type="TaskClassif", label="Class Balancing")

    def _train_task(self, task: Task) -> Task:
        self.state = {}
        v = self.param_set.get_values()
        codes = np.asarray(task.truth().codes)  # type: ignore[attr-defined]
        ids = task.row_ids
        classes = np.unique(codes)
        sizes = np.array([(codes == k).sum() for k in classes], dtype=float)
        major, minor = int(np.argmax(sizes)), int(np.argmin(sizes))

        def mean_without(i: int) -> float:
            rest = np.delete(sizes, i)
            return float(rest.mean()) if len(rest) else float(sizes[i])

        reference = {"all": sizes.mean(), "major": sizes[major], "minor": sizes[minor],
                     "nonmajor": mean_without(major), "nonminor": mean_without(minor),
                     "one": 1.0}[v.get("reference", "all")]
        target = reference * v.get("ratio", 1.0)
        adjust = v.get("adjust", "all")
        rows = []
        for i, k in enumerate(classes):
            mine = ids[codes == k]
            change = {"all": True, "major": i == major, "minor": i == minor,
                      "nonmajor": i != major, "nonminor": i != minor,
                      "upsample": sizes[i] < target, "downsample": sizes[i] > target}[adjust]
            if not change:
                rows.append(mine)
                continue
            n = max(round(target), 0)
            if n <= len(mine):
                rows.append(_draw(mine, n, replace=False))
            else:
                rows.append(np.concatenate([mine, _draw(mine, n - len(mine), replace=True)]))
        out = np.concatenate(rows)
        if v.get("shuffle", True):
            out = out[job_random_state().permutation(len(out))]
        return task._use_rows(out)

    def _predict_task(self, task: Task) -> Task:
        return task
