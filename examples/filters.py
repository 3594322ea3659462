"""Feature filters: score the features of a task, then keep the best.

``flt("anova").calculate(tsk("sonar")).scores`` scores sonar's 60 features by the
ANOVA F-test (-log10 of the p-value), sorted best first; ``select_features()`` keeps
a number, a fraction or the features above a cutoff. Then mrmr, which picks
features that are relevant but not redundant with those already picked, and the
importance of a decision tree. Run it with ``python examples/filters.py``.
"""

from __future__ import annotations

from mlr3py import flt, lrn, select_features, tsk

task = tsk("sonar")

# -- scores -------------------------------------------------------------------------------
anova = flt("anova").calculate(task)
scores = anova.scores
assert scores is not None
print("ANOVA scores of sonar, best first:")
print(scores.head(10).round(3).to_string())

# -- selecting features -------------------------------------------------------------------
best_5 = select_features(scores, nfeat=5)
best_quarter = select_features(scores, frac=0.25)
significant = select_features(scores, cutoff=2.0)  # p < 0.01
print("\nnfeat=5:", best_5)
print(f"frac=0.25: {len(best_quarter)} features")
print(f"cutoff=2 (p < 0.01): {len(significant)} features")

# the selection as a smaller task
small = task.clone().select(best_5)
print("task with the 5 best features:", small.feature_names)

# -- other filters ------------------------------------------------------------------------
mrmr = flt("mrmr", threads=2).calculate(task, nfeat=5)
assert mrmr.scores is not None
mrmr_5 = select_features(mrmr.scores, nfeat=5)
print("\nmrmr's first 5 features:", mrmr_5)

importance = flt("importance", learner=lrn("classif.rpart", random_state=1)).calculate(task)
assert importance.scores is not None
tree_5 = select_features(importance.scores, nfeat=5)
print("rpart's 5 most important features:", tree_5)
