"""The published method's parts (ITC's EPI): a hand-worked fixture (tests/fixtures/potential/
epi/README.md works every number), 5-year actuals with a missing year, mirror fill, demand
projection, tariff advantage, bad files."""

from __future__ import annotations

import json
from fractions import Fraction as F
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

from bilat.errors import InputError, ParseError
from bilat.potential.epi_inputs import read_market_growth, read_tariffs
from bilat.potential.products import export_potential, market_potential
from bilat.sources.schema import DECLARATION_SCHEMA

EPI = Path(__file__).resolve().parents[1] / "fixtures" / "potential" / "epi"


@pytest.fixture
def epi_lake(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A lake of the fixture's declarations (exporters' X, one importer's M)."""
    from bilat.lake import Lake

    lake = Lake.open(tmp_path / "lake", create=True)
    frame = pd.read_csv(EPI / "declarations.csv", dtype={"product": str})
    for name in DECLARATION_SCHEMA.names:
        if name not in frame:
            frame[name] = None
    table = pa.Table.from_pandas(frame[DECLARATION_SCHEMA.names], preserve_index=False)
    lake.ingest_arrow(
        table.cast(DECLARATION_SCHEMA), kind="declarations", source="TEST", name="epi"
    )
    return lake


# Hand-worked figures (README §1-§2): actuals over the 4 years held of 2017-2021.
ACTUAL = {"1701": F(60, 4), "8701": F(8, 4)}
SUPPLY = {"1701": F(50, 130), "8701": F(10, 200)}
DEMAND = {"1701": F(100), "8701": F(100)}
EASE = F(17) / (F(500, 13) + F(5))  # = 221/565


def test_components_equal_the_hand_worked_figures(epi_lake) -> None:  # type: ignore[no-untyped-def]
    pp = market_potential(epi_lake, "AAA", "BBB", year=2021, level=4)
    t = pp.table.set_index("product")
    assert pp.actual_years == [2017, 2018, 2020, 2021]  # 2019 held by no source
    assert pp.ease == pytest.approx(float(F(221, 565)))
    assert float(EASE) == pytest.approx(float(F(221, 565)))
    for code in ("1701", "8701"):
        assert t.at[code, "supply_share"] == pytest.approx(float(SUPPLY[code]))
        assert t.at[code, "market_demand_usd"] == pytest.approx(float(DEMAND[code]))
        assert t.at[code, "actual_usd"] == pytest.approx(float(ACTUAL[code]))
        assert t.at[code, "ease"] == pytest.approx(float(EASE))
    assert t.at["1701", "potential_usd"] == pytest.approx(1700 / 113)
    assert t.at["8701", "potential_usd"] == pytest.approx(221 / 113)
    assert t.at["1701", "unrealised_usd"] == pytest.approx(5 / 113)
    assert t.at["8701", "above_potential_usd"] == pytest.approx(5 / 113)
    assert pp.potential_usd == pytest.approx(17.0) and pp.actual_usd == pytest.approx(17.0)


def test_actuals_years_traded_and_window(epi_lake) -> None:  # type: ignore[no-untyped-def]
    pp = market_potential(epi_lake, "AAA", "BBB", year=2021, level=4)
    t = pp.table.set_index("product")
    assert t.at["1701", "actual_years_traded"] == 4  # 2016's 1000 lies outside the window
    assert t.at["8701", "actual_years_traded"] == 1  # 2020 only; 2021 without a flow = 0
    one = market_potential(epi_lake, "AAA", "BBB", year=2021, level=4, actual_years=1)
    assert one.actual_years == [2021]
    assert one.table.set_index("product").at["1701", "actual_usd"] == pytest.approx(20.0)
    with pytest.raises(InputError, match="actual_years"):
        market_potential(epi_lake, "AAA", "BBB", year=2021, level=4, actual_years=0)


def test_mirror_fill_and_what_each_actual_rests_on(epi_lake) -> None:  # type: ignore[no-untyped-def]
    t = market_potential(epi_lake, "AAA", "BBB", year=2021, level=4).table.set_index("product")
    # 1701 2021: AAA declared 20, BBB 25; the exporter's declaration is believed (precedence),
    # so 25 is not added: (10 + 14 + 16 + 20) / 4 = 15.
    assert t.at["1701", "actual_basis"] == "exporter"
    # 8701 2020: AAA declared nothing, BBB's import declaration (mirror) fills it.
    assert t.at["8701", "actual_basis"] == "importer (mirror)"
    ep = export_potential(epi_lake, "AAA", year=2021, level=4)
    dd = ep.market("DDD").table.set_index("product")
    assert dd.at["8701", "actual_basis"] == "no sales" and dd.at["8701", "actual_usd"] == 0


def test_projection_from_the_growth_file(epi_lake) -> None:  # type: ignore[no-untyped-def]
    # BBB: GDP +15.5 %, population +5 % a year: income per head +10 %; 2 years.
    pp = market_potential(epi_lake, "AAA", "BBB", year=2021, level=4,
                          market_growth=EPI / "growth.csv", horizon=2)  # fmt: skip
    factor = 1.1**2 * 1.05**2  # = 1.155 ** 2 with both elasticities 1
    t = pp.table.set_index("product")
    assert t.at["1701", "demand_factor"] == pytest.approx(factor)
    assert t.at["1701", "potential_usd"] == pytest.approx(1700 / 113 * factor)
    assert pp.ease == pytest.approx(221 / 565)  # ease measured on base-year demand
    half = market_potential(epi_lake, "AAA", "BBB", year=2021, level=4, horizon=2,
                            market_growth={"BBB": (0.155, 0.05)}, income_elasticity=0.5)  # fmt: skip
    assert half.table.set_index("product").at["8701", "demand_factor"] == pytest.approx(
        1.1 * 1.05**2
    )
    ep = export_potential(epi_lake, "AAA", year=2021, level=4,
                          market_growth=EPI / "growth.csv", horizon=2)  # fmt: skip
    ccc = ep.market("CCC").table
    assert not ccc["demand_projected"].any() and (ccc["demand_factor"] == 1.0).all()
    with pytest.raises(InputError, match="not both"):
        market_potential(epi_lake, "AAA", "BBB", year=2021, level=4, horizon=2,
                         market_growth={"BBB": (0.1, 0.0)}, demand_growth=0.1)  # fmt: skip


def test_tariff_advantage_enters_ease(epi_lake) -> None:  # type: ignore[no-untyped-def]
    pp = market_potential(epi_lake, "AAA", "BBB", year=2021, level=4,
                          tariffs=EPI / "tariffs.csv", tariff_elasticity=1)  # fmt: skip
    t = pp.table.set_index("product")
    # competitors' 1701 tariff weighted by their 2021 sales: (60·10 + 20·5) / 80 = 8.75 %
    assert t.at["1701", "tariff_competitors_pct"] == pytest.approx(8.75)
    assert t.at["1701", "tariff_advantage_pp"] == pytest.approx(8.75)
    assert t.at["8701", "tariff_advantage_pp"] == pytest.approx(0.0)
    b = F(17) / (F(500, 13) * F(87, 80) + 5)  # = 884/2435
    assert pp.ease == pytest.approx(float(b))
    assert t.at["1701", "ease"] == pytest.approx(float(b * F(87, 80)))
    assert t.at["1701", "potential_usd"] == pytest.approx(7395 / 487)
    assert t.at["8701", "potential_usd"] == pytest.approx(884 / 487)
    five = market_potential(epi_lake, "AAA", "BBB", year=2021, level=4, tariffs=EPI / "tariffs.csv")
    assert five.table.set_index("product").at["1701", "tariff_factor"] == pytest.approx(1.0875**5)


def test_summary_line_states_the_identity(epi_lake) -> None:  # type: ignore[no-untyped-def]
    pp = market_potential(epi_lake, "AAA", "BBB", year=2021, level=4)
    text = pp.summary()
    assert text.startswith("potential $17, actual $17 (the average of 4 years")
    assert "untapped − above = potential − actual" in text
    assert pp.unrealised_usd - pp.above_potential_usd == pytest.approx(
        pp.potential_usd - pp.actual_usd
    )


@pytest.mark.parametrize(
    ("reader", "name", "where"),
    [
        (read_market_growth, "growth-bad-value.csv", "line 3, column 'gdp_growth'"),
        (lambda p: read_tariffs(p, level=4), "tariffs-bad-product.csv", "line 2, column 'product'"),
        (lambda p: read_tariffs(p, level=4), "tariffs-no-partner.csv", "line 1, column 'partner'"),
    ],
)
def test_bad_files_name_file_line_column(reader, name: str, where: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ParseError) as got:
        reader(EPI / name)
    assert f"{name}, {where}" in str(got.value)
    assert got.value.details["path"].endswith(name)


def test_cli_bad_files_exit_2_and_text(cli, epi_lake) -> None:  # type: ignore[no-untyped-def]
    r = cli("potential", "products", "AAA", "BBB", "--year", "2021", "--level", "4", "--horizon",
            "2", "--market-growth", str(EPI / "growth-bad-value.csv"), "--lake", epi_lake.root)  # fmt: skip
    assert r.exit_code == 2 and "line 3, column 'gdp_growth'" in r.stderr
    r = cli("potential", "markets", "AAA", "--year", "2021", "--level", "4",
            "--tariffs", str(EPI / "tariffs-no-partner.csv"), "--lake", epi_lake.root)  # fmt: skip
    assert r.exit_code == 2 and "column 'partner'" in r.stderr
    r = cli("potential", "products", "AAA", "BBB", "--year", "2021", "--level", "4",
            "--tariffs", str(EPI / "tariffs.csv"), "--tariff-elasticity", "1",
            "--lake", epi_lake.root, "--json")  # fmt: skip
    assert r.exit_code == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["ease"] == pytest.approx(884 / 2435) and out["tariffs"] is True
    text = cli("potential", "products", "AAA", "BBB", "--year", "2021", "--level", "4",
               "--lake", epi_lake.root)  # fmt: skip
    assert "potential $17, actual $17" in text.stdout and "untapped" in text.stdout
