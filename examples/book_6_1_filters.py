"""The mlr3 book, chapter 6.1 (feature selection: filters), in mlr3py.

6.1.1 information gain and the scores as a table; 6.1.2 the importance of a random
forest and the permutation filter; 6.1.3 embedded selection (a tree's selected
features); 6.1.4 keeping the features above a threshold, and a filter inside a
pipeline whose fraction of features is tuned. Run it with
``python examples/book_6_1_filters.py``.
"""

from __future__ import annotations

from mlr3py import (
    as_learner,
    flt,
    lrn,
    msr,
    po,
    rsmp,
    select_features,
    tnr,
    to_tune,
    tsk,
    tune,
)

# -- 6.1.1 information gain ------------------------------------------------------------
task_pen = tsk("penguins")
flt_gain = flt("information_gain")
flt_gain.calculate(task_pen)
gain_table = flt_gain.as_data_frame()  # as.data.table(flt_gain)
print("information gain of the penguins' features:")
print(gain_table.round(3).to_string(index=False))

# -- 6.1.2 feature importance ---------------------------------------------------------
complete = task_pen.clone().filter(
    task_pen.row_ids[task_pen.data().notna().all(axis=1).to_numpy()])
flt_importance = flt("importance", learner=lrn("classif.ranger", n_estimators=100,
                                               random_state=1))
flt_importance.calculate(complete)
importance_table = flt_importance.as_data_frame()
print("\nrandom forest importance:")
print(importance_table.round(3).to_string(index=False))

flt_permutation = flt("permutation", learner=lrn("classif.rpart", random_state=1),
                      resampling=rsmp("cv", folds=3), nmc=3)
flt_permutation.calculate(complete)
permutation_first = flt_permutation.as_data_frame()["feature"].iloc[0]
print("\npermutation filter, most important feature:", permutation_first)

# -- 6.1.3 embedded methods ------------------------------------------------------------
lrn_rpart = lrn("classif.rpart", random_state=1)
lrn_rpart.train(task_pen)
rpart_selected = lrn_rpart.selected_features()
print("\nfeatures the tree splits on:", rpart_selected)
embedded = flt("selected_features", learner=lrn("classif.rpart", random_state=1))
embedded_kept = select_features(embedded.calculate(task_pen).scores, cutoff=1.0)

# -- 6.1.4 filter-based feature selection ----------------------------------------------
keep = select_features(flt_gain.scores, cutoff=0.5)  # names(which(scores > 0.5))
task_small = task_pen.clone().select(keep)
print("\nfeatures with information gain above 0.5:", task_small.feature_names)

graph = po("filter", flt("information_gain"), filter_frac=to_tune(0.1, 1.0)) \
    >> lrn("classif.rpart", random_state=1)
instance = tune(tnr("grid_search", resolution=4), tsk("spam"), as_learner(graph),
                rsmp("holdout"), msr("classif.ce"), seed=1)
best_frac = float(instance.result["information_gain.filter_frac"].iloc[0])
print(f"\ntuned filter_frac for spam: {best_frac:.2f} "
      f"(classif.ce {float(instance.result['classif.ce'].iloc[0]):.3f})")
