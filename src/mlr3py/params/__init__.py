"""Parameter sets (the core of R's paradox).

Declare what values each parameter may take with :func:`p_int`,
:func:`p_dbl`, :func:`p_fct`, :func:`p_lgl` and :func:`p_uty`, collect them
with :func:`ps` into a :class:`ParamSet`, and set values through
``param_set.values``, which checks every assignment.

For tuning: :func:`to_tune` marks a value as a range to tune over and
:meth:`ParamSet.search_space` collects those ranges; parameters and sets carry
transformations (``p_dbl(1e-4, 1, logscale=True)``, ``trafo=``,
``param_set.trafo``) applied by :meth:`ParamSet.transform`; designs
(``generate_design_grid`` / ``_random`` / ``_lhs`` / ``_sobol``) and samplers
(``Sampler1DUnif``, ``SamplerHierarchical``, ...) draw points as a
:class:`Design`; :class:`ParamSetCollection` combines sets under prefixed ids.

Examples
--------
>>> from mlr3py.params import ps, p_int, p_dbl, p_fct
>>> param_set = ps(
...     booster=p_fct(["gbtree", "gblinear"], default="gbtree", tags="train"),
...     eta=p_dbl(0, 1, default=0.3, tags="train", depends=("booster", "gbtree")),
...     max_depth=p_int(1, None, special_vals=[None], tags="train"),
... )
>>> param_set.set_values(eta=0.1, max_depth=None).get_values()
{'eta': 0.1, 'max_depth': None}
"""

from mlr3py.params._collection import ParamSetCollection
from mlr3py.params._conditions import CondAnyOf, CondEqual, Condition
from mlr3py.params._design import Design, assert_samplable
from mlr3py.params._domain import NO_DEFAULT, Domain, NoDefault
from mlr3py.params._domain_types import ParamDbl, ParamFct, ParamInt, ParamLgl, ParamUty
from mlr3py.params._generate import (
    generate_design_grid,
    generate_design_lhs,
    generate_design_random,
    generate_design_sobol,
)
from mlr3py.params._param_set import ParamSet
from mlr3py.params._samplers import (
    Sampler,
    Sampler1D,
    Sampler1DCateg,
    Sampler1DNormal,
    Sampler1DRfun,
    Sampler1DUnif,
    SamplerHierarchical,
    SamplerJointIndep,
    SamplerUnif,
)
from mlr3py.params._sugar import p_dbl, p_fct, p_int, p_lgl, p_uty, ps
from mlr3py.params._trafo import ExpTrafo
from mlr3py.params._tune_token import TuneToken, to_tune
from mlr3py.params._values import ParamValues

__all__ = [
    "NO_DEFAULT",
    "CondAnyOf",
    "CondEqual",
    "Condition",
    "Design",
    "Domain",
    "ExpTrafo",
    "NoDefault",
    "ParamDbl",
    "ParamFct",
    "ParamInt",
    "ParamLgl",
    "ParamSet",
    "ParamSetCollection",
    "ParamUty",
    "ParamValues",
    "Sampler",
    "Sampler1D",
    "Sampler1DCateg",
    "Sampler1DNormal",
    "Sampler1DRfun",
    "Sampler1DUnif",
    "SamplerHierarchical",
    "SamplerJointIndep",
    "SamplerUnif",
    "TuneToken",
    "assert_samplable",
    "generate_design_grid",
    "generate_design_lhs",
    "generate_design_random",
    "generate_design_sobol",
    "p_dbl",
    "p_fct",
    "p_int",
    "p_lgl",
    "p_uty",
    "ps",
    "to_tune",
]
