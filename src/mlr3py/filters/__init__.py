"""Feature filters (mlr3filters): score features, then keep the best.

:func:`flt` builds a filter from the registry :data:`mlr_filters`;
:meth:`Filter.calculate` scores a task's features into :attr:`Filter.scores`
(sorted, best first) and :func:`select_features` keeps a number, a fraction or
the features above a cutoff.

Examples
--------
>>> from mlr3py import tsk
>>> from mlr3py.filters import flt, select_features
>>> scores = flt("variance").calculate(tsk("mtcars")).scores
>>> select_features(scores, nfeat=2)
['disp', 'hp']
"""

from mlr3py.filters._filter import FILTER_PROPERTIES, Filter, flt, flts, mlr_filters, sort_scores
from mlr3py.filters._find_correlation import FilterFindCorrelation
from mlr3py.filters._greedy_information import (
    FilterCMIM,
    FilterDISR,
    FilterJMI,
    FilterJMIM,
    FilterMIM,
    FilterNJMIM,
    greedy_information_order,
)
from mlr3py.filters._information import FilterInformationGain, FilterMutualInfo
from mlr3py.filters._learner_based import FilterImportance, FilterPerformance, FilterPermutation
from mlr3py.filters._mrmr import FilterMRMR, mrmr_order
from mlr3py.filters._select import select_features
from mlr3py.filters._selected_features import FilterSelectedFeatures
from mlr3py.filters._univariate import (
    FilterAnova,
    FilterAUC,
    FilterCorrelation,
    FilterKruskalTest,
    FilterVariance,
)

__all__ = [
    "FILTER_PROPERTIES",
    "Filter",
    "FilterAUC",
    "FilterAnova",
    "FilterCMIM",
    "FilterCorrelation",
    "FilterDISR",
    "FilterFindCorrelation",
    "FilterImportance",
    "FilterInformationGain",
    "FilterJMI",
    "FilterJMIM",
    "FilterKruskalTest",
    "FilterMIM",
    "FilterMRMR",
    "FilterMutualInfo",
    "FilterNJMIM",
    "FilterPerformance",
    "FilterPermutation",
    "FilterSelectedFeatures",
    "FilterVariance",
    "flt",
    "flts",
    "greedy_information_order",
    "mlr_filters",
    "mrmr_order",
    "select_features",
    "sort_scores",
]
