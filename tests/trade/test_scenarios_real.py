"""Issue 12's scenarios on the real EU27 forestry file (UN Comtrade, ../shared/data).

A real lake is partial and mixed: the file holds EU members' imports only (some chapters,
codes at HS2, HS4 and HS6), and a user adds a one-row national file of their own. Every
expected figure is computed here independently with pandas on the raw CSV.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from bilat.claims import check_claims
from bilat.lake import Lake
from bilat.trade import Dyad, partners

pytestmark = pytest.mark.shared

FILE = Path("comtrade") / "eu27-forestry-imports-2018-2022.csv.gz"


@pytest.fixture(scope="module")
def raw(eu_raw) -> pd.DataFrame:
    return eu_raw


def _antichain_total(rows: pd.DataFrame) -> float:
    """The rows' total without counting a code whose ancestor the same reporter holds."""
    held = set(zip(rows.reporterISO, rows.cmdCode, strict=True))
    keep = [
        not any((r, c[:n]) in held for n in (2, 4) if n < len(c))
        for r, c in zip(rows.reporterISO, rows.cmdCode, strict=True)
    ]
    return float(rows[keep].primaryValue.sum())


@pytest.fixture(scope="module")
def mixed(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Lake, Lake]:
    """(the Comtrade file alone, the same plus a one-row national file of Belarus)."""
    alone = Lake.open(tmp_path_factory.mktemp("comtrade-only"), create=True)
    alone.ingest_comtrade(shared_data / FILE)
    both = Lake.open(tmp_path_factory.mktemp("comtrade-plus-belstat"), create=True)
    both.ingest_comtrade(shared_data / FILE)
    national = tmp_path_factory.mktemp("belstat") / "belstat.csv"
    national.write_text("year,exporter,importer,product,value\n2021,BLR,KAZ,8701,2500000\n")
    mapping = {k: k for k in ("year", "exporter", "importer", "product", "value")}
    both.ingest_csv(national, mapping=mapping, source="belstat")
    return alone, both


def test_scenario_1_a_national_file_changes_only_the_flow_it_covers(mixed, raw, eu27) -> None:
    alone, both = mixed
    deu = raw[(raw.refYear == 2021) & (raw.reporterISO == "DEU") & (raw.partnerISO == "BLR")]
    expected = _antichain_total(deu)
    assert expected == pytest.approx(364_143_811.58, abs=1)  # all Germany's 2021 rows from BLR
    for lake in (alone, both):
        s = Dyad(lake, "BLR", "DEU").summary(2021)
        assert s.exports_usd == pytest.approx(expected, rel=1e-12)
        fig = s.figures["exports"]
        assert [(p.klass, round(p.share_pct or 0, 6)) for p in fig.parts] == [("importer", 100.0)]
        assert fig.basis_text() == "100.0% importer declarations (comtrade)"
        assert fig.coverage.status == "partial"  # forestry chapters only, not all of trade
        assert fig.coverage.chapters == ("44", "47", "48", "49", "94")
        dest = next(x for x in s.standings if x.reporter == "BLR" and x.flow == "export")
        assert dest.rank is not None and "is not a destination" not in dest.text
    # EU27 imports from Belarus are the same with or without the national file
    before = partners(alone, "EU27", flow="import", year=2021, top=None).to_pandas()
    after = partners(both, "EU27", flow="import", year=2021, top=None).to_pandas()
    pd.testing.assert_frame_equal(before, after)
    blr = before.set_index("partner").loc["BLR"]
    eu = raw[(raw.refYear == 2021) & raw.reporterISO.isin(eu27) & (raw.partnerISO == "BLR")]
    assert blr.value_usd == pytest.approx(_antichain_total(eu), rel=1e-12)
    assert blr.value_usd > 1.1e9
    # the one flow the national file covers: Belarus's exports to Kazakhstan
    kaz = Dyad(both, "BLR", "KAZ").summary(2021)
    assert kaz.exports_usd == 2_500_000.0
    assert kaz.figures["exports"].basis_text() == "100.0% national file belstat"


def test_scenario_2_claims_on_thin_coverage_are_undetermined(mixed) -> None:
    _, both = mixed
    report = {r.claim.id: r for r in check_claims(both, "blr-kaz-2022").results}
    turnover = report["turnover-2021-above-1bn"]
    assert turnover.verdict == "undetermined"
    assert "KAZ→BLR 2021 is not covered" in turnover.reason
    assert "exports $2.5M" in turnover.reason  # the measured value is shown
    rank = report["kaz-top5-importer"]
    assert rank.verdict == "undetermined"
    assert rank.measured is not None  # a rank is measured among the partners present ...
    assert "whole export trade" in rank.reason  # ... but not judged on thin coverage


def test_scenario_3_missing_data_is_not_zero(mixed) -> None:
    alone, _ = mixed
    s = Dyad(alone, "BLR", "DEU").summary(2021)
    assert s.imports_usd is None  # the file holds EU imports only: DEU→BLR is not covered
    assert s.turnover_usd is None and s.balance_usd is None
    assert s.figures["imports"].coverage.status == "none"
    assert s.figures["imports"].text().startswith("not available")
    origin = next(x for x in s.standings if x.reporter == "BLR" and x.flow == "import")
    assert origin.rank is None and "is not an origin" not in origin.text
    assert "no source the lake holds covers the imports of Belarus" in origin.text
    data = s.to_dict()
    assert data["imports_usd"] is None
    assert data["figures"]["imports"]["coverage"]["status"] == "none"


def test_scenario_3_briefing_sections_without_coverage_are_no_data(mixed) -> None:
    from bilat.brief import build_briefing

    alone, _ = mixed
    b = build_briefing(alone, "BLR", "KAZ", year=2021)
    head = b.section("headline")
    assert head.status == "no_data"
    assert head.message is not None and "No source the lake holds covers" in head.message
    b = build_briefing(alone, "BLR", "DEU", year=2021)
    head = b.section("headline")
    assert head.status == "ok"
    assert head.message is not None and "DEU→BLR: none" in head.message
    imports = next(f for f in head.figures if f.label.startswith("Imports"))
    assert imports.value is None and "not available" in imports.source


def test_scenario_4_a_group_trades_with_the_rest_of_the_world(mixed, raw, eu27) -> None:
    alone, _ = mixed
    got = partners(alone, "EU27", flow="import", year=2021, top=None).to_pandas()
    assert not set(got.partner) & eu27  # extra-EU by default
    inner = partners(alone, "EU27", flow="import", year=2021, top=None, intra=True).to_pandas()
    assert set(inner.partner) & eu27 >= {"POL", "DEU"}  # intra-EU on request
    # a member's own ranking of its partners is unaffected by the group rule
    pol = partners(alone, "POL", flow="import", year=2021, top=None).to_pandas()
    rows = raw[(raw.refYear == 2021) & (raw.reporterISO == "POL")]
    rows = rows[~rows.partnerISO.isin({"W00", "_X", "X1", "XX", "E19", "F19", "S19", "POL"})]
    by = rows.groupby("partnerISO")[["reporterISO", "cmdCode", "primaryValue"]].apply(
        _antichain_total
    )
    assert pol.partner.iloc[0] == by.idxmax()
    assert pol.value_usd.iloc[0] == pytest.approx(by.max(), rel=1e-12)


def test_scenario_5_codes_at_different_levels_are_combined(mixed, raw) -> None:
    alone, _ = mixed
    s = Dyad(alone, "BLR", "FIN").summary(2021)
    fin = raw[(raw.refYear == 2021) & (raw.reporterISO == "FIN") & (raw.partnerISO == "BLR")]
    assert s.exports_usd == pytest.approx(5_759_765.53, abs=0.01)
    assert s.exports_usd == pytest.approx(float(fin.primaryValue.sum()), rel=1e-12)
    assert "HS2, HS4 and HS6 summed to TOTAL" in s.figures["exports"].levels
    chapters = Dyad(alone, "FIN", "BLR").products(2021, level=2, flow="import", top=None)
    got = dict(
        zip(
            chapters.rows["product"].to_pylist(),
            chapters.rows["value_usd"].to_pylist(),
            strict=True,
        )
    )
    assert set(got) == {"44", "48", "49", "94"}
    assert got["44"] == pytest.approx(1.09e6, rel=0.01)
    assert got["94"] == pytest.approx(4.66e6, rel=0.01)
    by_chapter = fin.groupby(fin.cmdCode.str[:2]).primaryValue.sum()
    assert got == pytest.approx(by_chapter.to_dict(), rel=1e-12)


def test_scenario_6_mirror_on_the_importers_file_only(mixed) -> None:
    alone, _ = mixed
    gap = Dyad(alone, "BLR", "DEU").mirror(2018, 2022)
    assert gap.rows.num_rows == 0  # BLR's own declarations are not in the file


def test_cli_says_not_available_and_what_each_figure_rests_on(cli, mixed) -> None:
    _, both = mixed
    out = cli("trade", "summary", "BLR", "DEU", "--year", "2021", "--lake", str(both.root))
    assert out.exit_code == 0, out.stderr
    text = " ".join(out.stdout.split())
    assert "Exports BLR→DEU 2021: $364.1M (100.0% importer declarations" in text
    assert "Imports BLR←DEU 2021: not available" in text
    assert "0 USD" not in text and not re.search(r"\$0(?![\d.,])", text)  # never 0 for none
    pinned = cli(
        "trade", "summary", "BLR", "KAZ", "--year", "2021", "--lake", str(both.root),
        "--basis", "importer", "--json",
    )  # fmt: skip
    data = json.loads(pinned.stdout)
    assert data["exports_usd"] is None  # the national file is not read when importer is pinned
    assert data["figures"]["exports"]["coverage"]["status"] == "none"
    bad = cli("trade", "summary", "BLR", "KAZ", "--year", "2021", "--precedence", "customs")
    assert bad.exit_code == 2
    assert "source classes among reconciled, national, exporter, importer" in bad.stderr
    chapters = cli(
        "trade", "products", "FIN", "BLR", "--year", "2021", "--level", "2", "--flow", "import",
        "--lake", str(both.root),
    )  # fmt: skip
    assert "coverage partial: HS 44, 47, 48, 49, 94 only" in " ".join(chapters.stdout.split())
