"""The mlr3 book's section 6.1.1 (implicit parallelization): ``set_threads()``.

Parameters that set a number of threads are tagged ``"threads"``; they default to one
thread so that they do not fight with a parallel plan. ``set_threads()`` sets them on a
learner, on a filter, or on a list mixing objects with and without such a parameter.
Run it with ``python examples/book_6_1_1_set_threads.py``.
"""

from __future__ import annotations

from mlr3py import available_cores, flts, lrn, set_threads

# -- a learner ------------------------------------------------------------------------------
learner = lrn("classif.ranger")
threads_ids = learner.param_set.ids(tags="threads")
print("threads parameters of classif.ranger:", threads_ids)

# use 4 CPUs
set_threads(learner, n=4)
print("after set_threads(learner, n=4):", learner.param_set.values)

# auto-detect cores on the local machine
set_threads(learner)
print(f"after set_threads(learner) ({available_cores()} cores):", learner.param_set.values)

# -- filters and lists ----------------------------------------------------------------------
# retrieve 2 filters
# * variance filter with no support for threading
# * mrmr filter with threading support
filters = flts(["variance", "mrmr"])

# set threads for all filters
set_threads(filters, n=4)

# variance filter is unchanged
variance_values = dict(filters[0].param_set.values)
print("variance:", variance_values, "- threads parameters:",
      filters[0].param_set.ids(tags="threads"))

# mrmr now works in parallel with 4 cores
mrmr_values = dict(filters[1].param_set.values)
print("mrmr:", mrmr_values)

# a list mixing learners and filters
mixed = [lrn("classif.rpart"), lrn("classif.ranger"), *flts(["variance", "mrmr"])]
set_threads(mixed, n=2)
mixed_values = [dict(obj.param_set.values) for obj in mixed]
for obj, values in zip(mixed, mixed_values, strict=True):
    print(f"{obj.id}: {values}")
