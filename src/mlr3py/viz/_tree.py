"""The fitted tree of a trained ``classif.rpart`` / ``regr.rpart`` learner (``tree``;
mlr3viz's ``autoplot()`` of rpart learners), drawn by scikit-learn's ``plot_tree``."""

from __future__ import annotations

from typing import Any

from mlr3py.errors import InputError, NotTrainedError
from mlr3py.viz._common import axes
from mlr3py.viz._registry import register_plot

__all__: list[str] = []

_TREES = (
    "mlr3py.learners.sklearn_learners.LearnerClassifRpart",
    "mlr3py.learners.sklearn_learners.LearnerRegrRpart",
)


def _tree(learner: Any, ax: Any = None, max_depth: int | None = None,
          fontsize: float | None = None, **plot_kwargs: Any) -> Any:
    """The splits of the fitted tree, the root on top (``max_depth``: only the first
    levels). Split features are named as the estimator sees them (a factor's one-hot
    columns as ``feature.level``); classification leaves name the majority class."""
    from sklearn.tree import plot_tree

    model = learner.model
    if model is None:
        raise NotTrainedError(
            f"Learner '{learner.id}' has no model; call learner.train(task) before plotting "
            "its tree."
        )
    estimator: Any = getattr(model, "estimator", None)
    if getattr(estimator, "tree_", None) is None:
        raise InputError(
            f"Learner '{learner.id}' holds no fitted decision tree "
            f"(got {type(estimator).__name__}); there is no tree to plot."
        )
    class_names = None
    if learner.task_type == "classif" and learner.state.class_names is not None:
        names = list(learner.state.class_names)
        class_names = [str(names[int(c)]) for c in estimator.classes_]
    depth = int(estimator.get_depth()) if max_depth is None else int(max_depth)
    leaves = int(estimator.get_n_leaves())
    ax = axes(ax, figsize=(min(3.0 + 1.2 * leaves, 24.0), min(2.0 + 1.5 * depth, 16.0)))
    plot_tree(estimator, ax=ax, feature_names=list(model.encoder.output_names),
              class_names=class_names, filled=True, impurity=False, proportion=False,
              max_depth=max_depth, fontsize=fontsize, **plot_kwargs)
    ax.set_title(learner.id, fontsize="medium")
    return ax


for _target in _TREES:
    register_plot(_target, "tree", _tree, "the fitted decision tree", default=True)
