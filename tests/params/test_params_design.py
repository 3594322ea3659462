"""Designs: grid, random, LHS and Sobol; Design.data and Design.transpose()."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from mlr3py.errors import ConfigError
from mlr3py.params import (
    Design,
    assert_samplable,
    generate_design_grid,
    generate_design_lhs,
    generate_design_random,
    generate_design_sobol,
    p_dbl,
    p_fct,
    p_int,
    p_lgl,
    p_uty,
    ps,
)

GENERATORS = [generate_design_random, generate_design_lhs, generate_design_sobol]


@pytest.fixture
def space():
    return ps(
        x=p_dbl(-1, 1),
        n=p_int(1, 5),
        kind=p_fct(["a", "b", "c"]),
        flag=p_lgl(),
        lr=p_dbl(1e-4, 1, logscale=True, depends=("kind", "a")),
    )


def test_grid_all_levels_and_resolution() -> None:
    design = generate_design_grid(ps(x=p_dbl(0, 1), k=p_fct(["u", "v"]), f=p_lgl()), 3)
    assert isinstance(design, Design)
    assert len(design.data) == 3 * 2 * 2
    assert sorted(set(design.data["x"])) == [0.0, 0.5, 1.0]
    assert set(design.data["k"]) == {"u", "v"} and set(design.data["f"]) == {True, False}
    assert design.data.iloc[0].tolist() == [0.0, "u", True]


def test_grid_ints_are_unique_and_param_resolutions_override() -> None:
    design = generate_design_grid(ps(n=p_int(1, 3), x=p_dbl(0, 1)), resolution=10,
                                  param_resolutions={"x": 2})
    assert sorted(set(design.data["n"])) == [1, 2, 3]
    assert design.data["n"].dtype == np.int64
    assert len(design.data) == 3 * 2
    design = generate_design_grid(ps(n=p_int(1, 3), x=p_dbl(0, 1)),
                                  param_resolutions={"n": 1, "x": 1})
    assert design.data.values.tolist() == [[1, 0.0]]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"resolution": 0}, r"Resolution of generate_design_grid\(\) must be an int >= 1.*Got 0"),
        ({"resolution": 2.5}, r"Got 2.5"),
        ({"param_resolutions": {"x": 0}}, r"resolution of 'x'.*Got 0"),
        ({}, r"'x' parameter.*no grid resolution.*param_resolutions"),
        ({"param_resolutions": {"y": 2}}, r"names 'y', which is not a parameter"),
    ],
)
def test_grid_bad_resolutions(kwargs, match) -> None:
    with pytest.raises(ConfigError, match=match):
        generate_design_grid(ps(x=p_dbl(0, 1), k=p_fct(["a"])), **kwargs)


def test_grid_respects_dependencies_without_duplicates(space) -> None:
    design = generate_design_grid(space.subset(["kind", "lr"]), 3)
    rows = design.data
    assert len(rows) == 3 + 2  # lr only varies when kind == 'a'
    assert rows.loc[rows["kind"] != "a", "lr"].isna().all()
    assert design.transpose()[-1] == {"kind": "c"}
    assert design.transpose()[0]["lr"] == pytest.approx(1e-4)


@pytest.mark.parametrize("generate", GENERATORS)
def test_sampled_designs_are_reproducible_and_in_bounds(generate, space) -> None:
    first = generate(space, 16, seed=7)
    again = generate(space, 16, seed=7)
    other = generate(space, 16, seed=8)
    pd.testing.assert_frame_equal(first.data, again.data)
    assert not first.data.equals(other.data)
    again_rng = generate(space, 16, seed=np.random.default_rng(7))
    pd.testing.assert_frame_equal(first.data, again_rng.data)
    data = first.data
    assert list(data.columns) == ["x", "n", "kind", "flag", "lr"]
    assert data["x"].between(-1, 1).all() and data["n"].between(1, 5).all()
    assert data["n"].dtype == np.int64 and data["flag"].dtype == bool
    assert set(data["kind"]) <= {"a", "b", "c"}
    assert data.loc[data["kind"] != "a", "lr"].isna().all()
    assert data.loc[data["kind"] == "a", "lr"].notna().all()
    for raw, point in zip(first.transpose(trafo=False), first.transpose(), strict=True):
        assert ("lr" in point) == (raw["kind"] == "a")
        if "lr" in point:
            assert point["lr"] == pytest.approx(math.exp(raw["lr"]))
        assert type(point["n"]) is int and type(point["flag"]) is bool
        assert space.test(raw), space.check(raw)


def test_transpose_keeps_inactive_entries_when_asked(space) -> None:
    design = generate_design_random(space.subset(["kind", "lr"]), 30, seed=1)
    points = design.transpose(trafo=False, filter_na=False)
    assert all(set(p) == {"kind", "lr"} for p in points)
    assert any(p["lr"] is None for p in points)


def test_lhs_and_sobol_cover_the_range_evenly() -> None:
    space = ps(x=p_dbl(0, 1))
    lhs = generate_design_lhs(space, 20, seed=1).data["x"]
    assert np.bincount(np.floor(lhs * 20).astype(int), minlength=20).tolist() == [1] * 20
    sobol = generate_design_sobol(space, 16, seed=1).data["x"]
    assert np.bincount(np.floor(sobol * 16).astype(int), minlength=16).tolist() == [1] * 16


@pytest.mark.parametrize("generate", [*GENERATORS, generate_design_grid])
@pytest.mark.parametrize(
    ("domain", "match"),
    [(p_dbl(0, None), r"'bad' parameter.*unbounded.*Give it bounds"),
     (p_int(None, 3), r"'bad' parameter.*unbounded.*Give it bounds"),
     (p_uty(), r"'bad' parameter.*untyped.*Give it bounds")],
)
def test_unsamplable_parameters_are_named(generate, domain, match) -> None:
    space = ps(ok=p_dbl(0, 1), bad=domain)
    with pytest.raises(ConfigError, match=match):
        if generate is generate_design_grid:
            generate(space, 2)
        else:
            generate(space, 3, seed=1)


@pytest.mark.parametrize("generate", GENERATORS)
def test_bad_n_and_seed(generate) -> None:
    space = ps(x=p_dbl(0, 1))
    with pytest.raises(ConfigError, match=r"n of generate_design_\w+\(\) must be an int >= 0"):
        generate(space, -1)
    with pytest.raises(ConfigError, match=r"seed must be.*Got 'x'"):
        generate(space, 2, seed="x")
    with pytest.raises(ConfigError, match=r"needs a ParamSet"):
        generate({"x": p_dbl(0, 1)}, 2)


def test_design_checks_its_columns() -> None:
    with pytest.raises(ConfigError, match="column 'y'"):
        Design(ps(x=p_dbl(0, 1)), pd.DataFrame({"y": [1.0]}))
    design = Design(ps(x=p_int(0, 3)), pd.DataFrame({"x": [1.0, 1.0, 2.0]}), remove_dupl=True)
    assert design.transpose() == [{"x": 1}, {"x": 2}]
    assert len(design) == 2 and "<Design> with 2 rows" in repr(design)


def test_assert_samplable_names_the_parameter() -> None:
    assert_samplable(ps(x=p_dbl(0, 1), k=p_fct(["a"]), f=p_lgl()))
    space = ps(x=p_dbl(0, 1), n=p_int(1))
    space.context = "the search space"
    with pytest.raises(ConfigError, match=r"'n' parameter of the search space is unbounded "
                                          r"\(an int >= 1\), so it cannot be tuned"):
        assert_samplable(space, "tuned")


def test_transpose_keeps_a_none_level_apart_from_an_inactive_entry() -> None:
    space = ps(
        kind=p_fct(["a", "b"]),
        feats=p_fct([None, "sqrt"], depends=("kind", "a")),
        x=p_dbl(0, 1),
    )
    data = pd.DataFrame({"kind": ["a", "a", "b"], "feats": [None, "sqrt", None],
                         "x": [0.5, np.nan, 0.25]})
    points = Design(space, data).transpose(trafo=False)
    assert points == [{"kind": "a", "feats": None, "x": 0.5},
                      {"kind": "a", "feats": "sqrt"},
                      {"kind": "b", "x": 0.25}]
    grid = generate_design_grid(ps(feats=p_fct([None, "sqrt"])), resolution=2)
    assert {p["feats"] for p in grid.transpose()} == {None, "sqrt"}


AWKWARD_BOUNDS = [(math.log(1e-4), math.log(0.1)), (0.3, 0.9), (0.1, 0.7), (-2.7, 1e-9),
                  (1e-300, 1.0)]


@pytest.mark.parametrize(("lower", "upper"), AWKWARD_BOUNDS)
def test_qunif_gives_exactly_the_bounds_and_never_leaves_them(lower, upper) -> None:
    domain = p_dbl(lower, upper)
    u = np.linspace(0.0, 1.0, 1001)
    values = np.asarray(domain.qunif(u))
    assert values[0] == lower and values[-1] == upper
    assert values.min() >= lower and values.max() <= upper
    assert domain.qunif(1.0) == upper and domain.qunif(0.0) == lower


@pytest.mark.parametrize("domain", [
    *(p_dbl(lower, upper) for lower, upper in AWKWARD_BOUNDS),
    p_dbl(1e-4, 0.1, logscale=True), p_dbl(0.3, 0.9, logscale=True),
    p_dbl(0.1, 0.7, logscale=True), p_dbl(1e-9, 2.7, logscale=True),
])
def test_every_design_fits_its_space_at_awkward_bounds(domain) -> None:
    space = ps(x=domain)
    designs = [generate_design_grid(space, resolution=r) for r in (2, 3, 7, 11)]
    designs += [generate(space, 50, seed=1) for generate in GENERATORS]
    for design in designs:
        for point in design.transpose(trafo=False):
            assert space.check(point) is True, point
    grid = generate_design_grid(space, resolution=3).transpose(trafo=False)
    assert {p["x"] for p in grid} >= {space.params["x"].lower, space.params["x"].upper}
