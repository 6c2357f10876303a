"""``run_gravity``: the gravity command as one library call, from a panel file or a lake."""

from __future__ import annotations

from pathlib import Path

import pytest

from bilat.document import to_document
from bilat.errors import InputError
from bilat.potential import estimate, read_panel, run_gravity


def test_a_panel_file_run_is_the_fit_of_that_panel_and_both_directions(
    tmp_path: Path, world, beta
) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "panel.csv"
    world().to_csv(path, index=False)
    run = run_gravity(panel=path, terms="ln_dist,cntg,eaeu", dyad="C00,C01", year=2020)
    direct = estimate(read_panel(path), terms=["ln_dist", "cntg", "eaeu"])
    assert [c.estimate for c in run.fit.coefficients] == pytest.approx(
        [c.estimate for c in direct.coefficients], rel=1e-12
    )
    assert run.fit.coefficient("eaeu").estimate == pytest.approx(beta["eaeu"], abs=1e-6)
    assert [(d.exporter, d.importer, d.year) for d in run.dyads] == [
        ("C00", "C01", 2020),
        ("C01", "C00", 2020),
    ]
    assert run.unit == "panel units" and run.synthetic is False
    doc = to_document(run)
    assert doc["terms"] == ["ln_dist", "cntg", "eaeu"] and len(doc["dyads"]) == 2
    assert doc["unit"] == "panel units"


def test_a_lake_run_joins_geodist_and_the_users_covariates(world_lake, beta) -> None:  # type: ignore[no-untyped-def]
    from bilat.lake import Lake

    root, geo, eaeu = world_lake
    run = run_gravity(
        Lake.open(root), geodist=geo, extra_covariates=eaeu, terms=("ln_dist", "cntg", "eaeu")
    )
    for c in run.fit.coefficients:
        assert c.estimate == pytest.approx(beta[c.term], abs=1e-6)
    assert run.unit == "USD" and run.dyads == ()


@pytest.mark.parametrize(
    ("kwargs", "said"),
    [
        ({}, "neither"),
        ({"lake": object(), "panel": "p.csv"}, "both"),
        ({"panel": "missing.csv", "cluster": "country"}, "cluster must be one of pair"),
        ({"panel": "missing.csv", "distance": "far"}, "distance must be one of distw"),
        ({"panel": "missing.csv", "dyad": "DEU"}, "dyad must be two country codes"),
        ({"panel": "missing.csv", "terms": ""}, "at least one regressor"),
    ],
)
def test_bad_options_are_refused_before_anything_is_read(kwargs: dict, said: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(InputError) as info:
        run_gravity(**kwargs)
    assert said in info.value.message
