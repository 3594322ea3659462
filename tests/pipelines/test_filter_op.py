"""po("filter"): which features it keeps."""

from __future__ import annotations

from mlr3py.filters import flt
from mlr3py.pipelines import po
from mlr3py.tasks import TaskClassif


def test_filter_nfeat_above_the_scored_features_keeps_them_all(task_numeric: TaskClassif) -> None:
    op = po("filter", flt("anova"), filter_nfeat=100)
    (out,) = op.train([task_numeric])
    assert out.feature_names == task_numeric.feature_names
    (pred,) = op.predict([task_numeric])
    assert pred.feature_names == task_numeric.feature_names


def test_filter_nfeat_counts_only_scored_features(task_mixed: TaskClassif) -> None:
    # anova scores the numeric features only (x, z, k); the others are kept untouched
    (task,) = po("imputemedian").train([task_mixed])
    (out,) = po("filter", flt("anova"), filter_nfeat=50).train([task])
    assert out.feature_names == task.feature_names
    (out,) = po("filter", flt("anova"), filter_nfeat=1).train([task])
    assert len(out.feature_names) == len(task.feature_names) - 2
