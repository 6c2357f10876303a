"""The founding case's claims on hand-made lakes: each verdict, its value and its reason."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bilat.claims import VERDICTS, ClaimsReport, check_claims, load_claims
from bilat.formats import money
from bilat.lake import Lake

CASE = Path(__file__).resolve().parents[2] / "src" / "bilat" / "cases" / "blr-kaz-2022"

IDS = (
    "turnover-2021-above-1bn",
    "turnover-growth-2021",
    "kaz-top5-importer",
    "confectionery-doubled",
    "vegetable-oils-eightfold",
    "sugar-resumes-2022",
)


def by_id(report: ClaimsReport) -> dict[str, dict[str, object]]:
    return {r.claim.id: r.to_dict() for r in report.results}


def test_case_file_holds_the_six_claims_with_assumptions() -> None:
    cs = load_claims(CASE)
    assert (cs.a, cs.b) == ("BLR", "KAZ")
    assert tuple(c.id for c in cs.claims) == IDS
    assert all(c.assumptions for c in cs.claims)
    assert all(c.said_on is not None and c.source for c in cs.claims)


def counts(**given: int) -> dict[str, int]:
    """Every verdict's count (a report always lists all five), ``given`` ones set."""
    return {v: given.get(v, 0) for v in VERDICTS}


def test_shipped_case_found_by_name() -> None:
    assert load_claims("blr-kaz-2022").path == str(CASE / "claims.yaml")


def test_all_supported(supported_lake: Lake) -> None:
    report = check_claims(supported_lake, CASE)
    got = by_id(report)
    assert report.counts() == counts(supported=6)
    assert got["turnover-2021-above-1bn"]["measured"] == pytest.approx(1.2e9)
    assert got["turnover-growth-2021"]["measured"] == pytest.approx(100 / 3)
    assert got["kaz-top5-importer"]["measured"] == 2
    assert got["confectionery-doubled"]["measured"] == pytest.approx(2.5)
    assert got["vegetable-oils-eightfold"]["measured"] == pytest.approx(8.0)
    assert got["sugar-resumes-2022"]["measured"] == pytest.approx(5e6)
    assert "resumed in 2022 after none in 2021" in str(got["sugar-resumes-2022"]["reason"])
    sources = got["turnover-2021-above-1bn"]["provenance"]["sources"]  # type: ignore[index]
    assert [s["path"] for s in sources] == ["supported.csv"]
    assert report.synthetic is False


def test_all_contradicted(contradicted_lake: Lake) -> None:
    report = check_claims(contradicted_lake, CASE)
    got = by_id(report)
    assert report.counts() == counts(contradicted=6)
    assert got["turnover-2021-above-1bn"]["measured"] == pytest.approx(6e8)
    assert got["turnover-growth-2021"]["measured"] == pytest.approx(-100 / 3)
    assert got["kaz-top5-importer"]["measured"] == 8
    assert got["confectionery-doubled"]["measured"] == pytest.approx(1.25)
    assert got["vegetable-oils-eightfold"]["measured"] == pytest.approx(4.0)
    assert got["sugar-resumes-2022"]["reason"].startswith("no Sugar supplies in 2022")  # type: ignore[union-attr]
    assert got["turnover-2021-above-1bn"]["reason"] == ("measured $600M, which does not meet > $1B")


def test_a_multipliers_reason_gives_the_two_values_it_divides(contradicted_lake: Lake) -> None:
    got = {r.claim.id: r for r in check_claims(contradicted_lake, CASE).results}
    for cid in ("confectionery-doubled", "vegetable-oils-eightfold"):
        d = got[cid].details
        shown = f"{money(d['value_from_usd'])} in 2020, {money(d['value_to_usd'])} in 2021"
        assert got[cid].reason.endswith(f"; {shown}"), got[cid].reason
        assert got[cid].measured == pytest.approx(d["value_to_usd"] / d["value_from_usd"])


def test_all_undetermined_with_reasons(undetermined_lake: Lake) -> None:
    report = check_claims(undetermined_lake, CASE)
    got = by_id(report)
    assert report.counts() == counts(undetermined=6)
    turnover = got["turnover-2021-above-1bn"]
    # KAZ→BLR is covered by no source: turnover cannot be measured, exports are shown
    assert turnover["measured"] is None
    assert "KAZ→BLR 2021 is not covered" in str(turnover["reason"])
    assert "measured: exports $1.54B, imports not available" in str(turnover["reason"])
    assert "importer" in turnover["provenance"]["bases"]  # type: ignore[index,operator]
    assert "kaz-2021.csv" in str(turnover["provenance"])
    assert got["turnover-growth-2021"]["measured"] is None
    assert "KAZ→BLR 2021 is not covered" in str(got["turnover-growth-2021"]["reason"])
    assert "mirror" in str(got["kaz-top5-importer"]["reason"])
    for basket in ("confectionery-doubled", "vegetable-oils-eightfold"):
        # the dyad did not trade at all in 2020: an empty basket says nothing about the basket
        assert got[basket]["reason"] == "the lake holds no trade between BLR and KAZ in 2020"
        assert got[basket]["details"]["value_from_usd"] == 0.0  # type: ignore[index]
    assert "did not stop in 2021" in str(got["sugar-resumes-2022"]["reason"])


def test_year_absent_is_undetermined_no_data(empty_lake: Lake) -> None:
    report = check_claims(empty_lake, CASE)
    assert report.counts()["undetermined"] == 6
    first = report.results[0]
    assert first.measured is None
    assert first.reason.startswith("no data: the lake holds no trade data for 2021")


def test_report_is_json(supported_lake: Lake) -> None:
    data = json.loads(json.dumps(check_claims(supported_lake, CASE).to_dict()))
    assert data["counts"]["supported"] == 6
    assert data["results"][0]["params"] == {"year": 2021}
    assert data["results"][1]["expected"] == (
        "≈ 33.3% (± 5 percentage points; roughly ± 10 percentage points)"
    )


def test_cli_check_json_and_text(cli: object, supported_lake: Lake) -> None:
    home = str(supported_lake.root.parent)
    res = cli("claims", "check", str(CASE), "--json", "--home", home)  # type: ignore[operator]
    assert res.exit_code == 0, res.stderr
    assert json.loads(res.stdout)["counts"]["supported"] == 6
    res = cli("claims", "check", "blr-kaz-2022", "--home", home)  # type: ignore[operator]
    assert res.exit_code == 0
    assert (
        "supported confectionery-doubled: measured ×2.5, which meets >= ×2.0 (tolerance 0.1; "
        "roughly 15% of the stated value (0.3))"
    ) in " ".join(res.stdout.split())
    assert (
        "6 supported, 0 supported within tolerance, 0 roughly, 0 contradicted, 0 undetermined"
        in res.stdout
    )
    assert "SYNTHETIC" not in res.stderr


def test_cli_unknown_case_exit_2(cli: object) -> None:
    res = cli("claims", "check", "no-such-case")  # type: ignore[operator]
    assert res.exit_code == 2  # a name typed wrong is bad input
    assert "no case folder 'no-such-case'" in res.stderr


def test_no_trade_of_the_dyad_is_undetermined_not_contradicted(tmp_path: Path) -> None:
    """A lake that holds the years but no BLR-KAZ trade cannot contradict "sugar resumed"."""
    import pyarrow as pa

    from bilat.sources.schema import FLOW_SCHEMA

    rows = [(y, "AUT", "DEU", p) for y in (2020, 2021, 2022) for p in ("170199", "170410")]
    table = pa.table(
        {
            "year": pa.array([r[0] for r in rows], pa.int16()),
            "exporter": [r[1] for r in rows],
            "importer": [r[2] for r in rows],
            "product": [r[3] for r in rows],
            "hs_rev": ["HS17"] * len(rows),
            "value_usd": [1e6] * len(rows),
            "quantity": pa.nulls(len(rows), pa.float64()),
            "quantity_unit": pa.nulls(len(rows), pa.string()),
            "source": ["baci"] * len(rows),
            "basis": ["reconciled"] * len(rows),
        },
        schema=FLOW_SCHEMA,
    )
    lake = Lake.open(tmp_path / "lake", create=True)
    lake.ingest_arrow(table, kind="flows", source="baci", name="others")
    got = by_id(check_claims(lake, CASE))
    assert {r["verdict"] for r in got.values()} == {"undetermined"}
    assert "holds no trade between BLR and KAZ" in str(got["sugar-resumes-2022"]["reason"])
