"""The mlr3 book's section on paradox (parameter sets), in Python.

Building parameters and sets, checking values, dependencies, repeated
parameters, grid / random / Latin hypercube designs, samplers and
transformations (including one that changes types and one that replaces a
parameter by another). Run it with ``python examples/book_6_4_paradox.py``.
"""

from __future__ import annotations

import math
import statistics
from typing import Any

import numpy as np
import pandas as pd

from mlr3py.params import (
    CondAnyOf,
    CondEqual,
    ParamDbl,
    ParamFct,
    ParamInt,
    ParamLgl,
    ParamSet,
    ParamUty,
    Sampler1DCateg,
    Sampler1DUnif,
    SamplerHierarchical,
    SamplerJointIndep,
    generate_design_grid,
    generate_design_lhs,
    generate_design_random,
    p_dbl,
    ps,
)

SEED = 1

# -- Reference based objects -----------------------------------------------------------------
param_set = ParamSet()
ps2 = param_set  # the same object
ps3 = param_set.clone()  # an independent copy
param_set.add(ParamLgl(id="a"))
print(param_set)  # changed, and so is ps2
print(ps3)  # still empty
assert len(ps2) == 1 and len(ps3) == 0

# -- Single parameters -----------------------------------------------------------------------
par_a = ParamLgl(id="A")
par_b = ParamInt(id="B", lower=0, upper=10, tags={"tag1", "tag2"})
par_c = ParamDbl(id="C", lower=0, upper=4, special_vals=[None])
par_d = ParamFct(id="D", levels=["x", "y", "z"], default="y")
par_e = ParamUty(id="E", custom_check=lambda x: callable(x) or "a function")

print(par_b.lower, par_a.levels, par_e.cls)
print(par_a.test(False), par_a.test("FALSE"), par_a.check("FALSE"))

# -- Parameter sets --------------------------------------------------------------------------
param_set = ParamSet([par_a, par_b])
param_set.add(par_c)
param_set.add(ParamSet([par_d, par_e]))
print(param_set)

ps_small = param_set.subset(["A", "B", "C"])
print(ps_small)
print(param_set.as_table())

print(param_set.check({"A": True, "B": 0, "E": abs}))  # True
print(param_set.check({"A": 1}))
print(param_set.check({"Z": 1}))

param_set.values = {"A": True, "B": 0}
param_set.values["B"] = 1
print(param_set.values)
try:
    param_set.values["B"] = 100
except ValueError as error:  # a ConfigError
    print(error)

# -- Dependencies ----------------------------------------------------------------------------
param_set.values = {}
param_set.add_dep("D", "A", CondEqual("A", False))
param_set.add_dep("B", "D", CondAnyOf("D", ["x", "y"]))

print(param_set.check({"A": False, "D": "x", "B": 1}))  # True: all dependencies met
print(param_set.check({"A": False, "D": "z", "B": 1}))  # B's dependency is not met
print(param_set.check({"A": False, "B": 1}))  # True here: D is unset, its default "y" counts
print(param_set.check({"A": False, "D": "z"}))  # True: B is absent
print(param_set.check({"A": True}))  # True: neither B nor D present
print(param_set.check({"A": True, "D": "x", "B": 1}))  # D's dependency is not met
print(param_set.check({"A": True, "B": 1}))  # B's dependency is not met (D is inactive)
print(param_set.deps)

# -- Vector parameters -----------------------------------------------------------------------
ps2d = ps(x=p_dbl(0, 1)).rep(2)
print(ps2d)
param_set.add(ps2d)
print(param_set)
print(param_set.tags)

# -- Parameter sampling: grid designs --------------------------------------------------------
design_grid = generate_design_grid(ps_small, 2)
print(design_grid)
grid_b1_c2 = generate_design_grid(ps_small, param_resolutions={"B": 1, "C": 2})
print(grid_b1_c2)

# -- Random and Latin hypercube designs ------------------------------------------------------
pvrand = generate_design_random(ps2d, 500, seed=SEED)
pvlhs = generate_design_lhs(ps2d, 500, seed=SEED)
# LHS hits each of 10 strata of x_rep_1 exactly 50 times; random sampling does not
lhs_counts = np.bincount(np.floor(pvlhs.data["x_rep_1"] * 10).astype(int), minlength=10)
rand_counts = np.bincount(np.floor(pvrand.data["x_rep_1"] * 10).astype(int), minlength=10)
print("LHS strata:", lhs_counts.tolist())
print("random strata:", rand_counts.tolist())

# -- 1D samplers -----------------------------------------------------------------------------
samp_a = Sampler1DCateg(par_a)
print(samp_a.sample(5, seed=SEED))

# -- Hierarchical sampler (the A/B table) ----------------------------------------------------
ps_small.add_dep("B", "A", CondEqual("A", True))
samp_h = SamplerHierarchical(
    ps_small, [Sampler1DCateg(par_a), Sampler1DUnif(par_b), Sampler1DUnif(par_c)]
)
sampled = samp_h.sample(1000, seed=SEED)
table = pd.crosstab(sampled.data["A"], sampled.data["B"].fillna(-1).astype(int))
table = table.rename(columns={-1: "NA"})
print(table)

# -- Joint sampler ---------------------------------------------------------------------------
samp_j = SamplerJointIndep(
    [Sampler1DUnif(ParamDbl(id="x", lower=0, upper=1)),
     Sampler1DUnif(ParamDbl(id="y", lower=0, upper=1))]
)
print(samp_j.sample(5, seed=SEED))

# -- Parameter transformation ----------------------------------------------------------------
psexp = ParamSet([ParamDbl(id="par", lower=0, upper=1)])


def exp_trafo(x: dict[str, Any], param_set: ParamSet) -> dict[str, Any]:
    x["par"] = -math.log(x["par"])
    return x


psexp.trafo = exp_trafo
design_exp = generate_design_random(psexp, 2, seed=SEED)
print(design_exp)
print(design_exp.transpose())  # trafo=True
print(design_exp.transpose(trafo=False))

# -- Transformation between types: a function from its name ----------------------------------
def one_argument_function(x: Any) -> bool | str:
    """Accept functions of exactly one required argument (paradox's checkFunction(nargs=1))."""
    import inspect

    if not callable(x):
        return "a function"
    try:
        required = [p for p in inspect.signature(x).parameters.values()
                    if p.default is inspect.Parameter.empty
                    and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    except (TypeError, ValueError):
        return True
    return True if len(required) == 1 else f"a function of 1 argument, not {len(required)}"


method_ps = ParamSet([ParamUty(id="fun", custom_check=one_argument_function)])
print(method_ps)

sampling_ps = ParamSet([ParamFct(id="fun", levels=["mean", "median", "min", "max"])])
FUNCTIONS = {"mean": statistics.mean, "median": statistics.median, "min": min, "max": max}


def fun_from_name(x: dict[str, Any], param_set: ParamSet) -> dict[str, Any]:
    # x["fun"] is one of 'mean', 'median', 'min', 'max'; turn it into a function
    x["fun"] = FUNCTIONS[x["fun"]]
    return x


sampling_ps.trafo = fun_from_name
design_fun = generate_design_random(sampling_ps, 2, seed=SEED)
print(design_fun)
xvals_fun = design_fun.transpose()
print(xvals_fun[0])
print(method_ps.check(xvals_fun[0]))
print(xvals_fun[0]["fun"](list(range(1, 11))))

# -- Transformation that replaces a parameter: a quantile function ---------------------------
sampling_ps2 = ParamSet([ParamDbl(id="quantile", lower=0, upper=1)])


def quantile_function(x: dict[str, Any], param_set: ParamSet) -> dict[str, Any]:
    # x["quantile"] is a number in [0, 1]; return a function instead of it
    q = x["quantile"]
    return {"fun": lambda values: float(np.quantile(values, q))}


sampling_ps2.trafo = quantile_function
design = generate_design_random(sampling_ps2, 2, seed=SEED)
print(design)
xvals = design.transpose()
print(xvals[0])
print(method_ps.check(xvals[0]))  # True
print(xvals[0]["fun"](list(range(1, 11))))
