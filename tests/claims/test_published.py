"""Published figures: read with errors naming line and key, compared with the lake, the gap
split into valuation, source, coverage and revisions, each number checked independently.

The lakes here are hand-made (labelled ``handmade``), except the Thai crustacean test, which
reads the real UN Comtrade file in ``/work/shared/data``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

import pyarrow as pa
import pytest

from bilat.claims import check_claims, load_claims, record_check
from bilat.claims.published import PublishedResult
from bilat.errors import ValidationError
from bilat.formats import money
from bilat.lake import Lake
from bilat.sources.schema import DECLARATION_SCHEMA

from .conftest import M
from .test_check import CASE

HEAD = """\
schema: bilat-claims/1
dyad: [BLR, KAZ]
claims:
- id: exports-2021
  statement: Belarus's exports to Kazakhstan were worth something in 2021.
  metric: exports
  params: {year: 2021}
  compare: {op: ">", value: 0}
  accept_mirror: true
published:
"""

FIGURE = """\
- id: x2021
  what: exports
  year: 2021
  value: 151000000
  currency: USD
  published_by: BLR
  source: A ministry's yearbook (hand-made test figure)
  published_on: 2022-03-01
"""

Decl = tuple[int, str, str, str, str, float, float | None]  # year rep partner flow hs cif fob


def decl(rows: Iterable[Decl], *, totals: bool = True) -> pa.Table:
    """Declarations with CIF and FOB values; ``value_usd`` is the CIF value of an import and
    the FOB value of an export, as Comtrade gives them."""
    rs = list(rows)
    # A TOTAL row of each declaration with a third country: the declarer's file covers every
    # product (tradeview's rule), and the dyad's figures are the HS6 rows.
    for year, reporter, flow in sorted({(r[0], r[1], r[3]) for r in rs} if totals else ()):
        rs.append((year, reporter, "RUS", flow, "TOTAL", 1e9, None if flow == "M" else 1e9))
    n = len(rs)
    value = [r[5] if r[3] == "M" else float(r[6] or 0.0) for r in rs]
    return pa.table(
        {
            "year": [r[0] for r in rs],
            "reporter": [r[1] for r in rs],
            "partner": [r[2] for r in rs],
            "flow": [r[3] for r in rs],
            "product": [r[4] for r in rs],
            "hs_rev": ["HS17"] * n,
            "value_usd": value,
            "cif_usd": [r[5] if r[3] == "M" else None for r in rs],
            "fob_usd": [r[6] for r in rs],
            "qty": [None] * n,
            "qty_unit": [None] * n,
            "net_kg": [None] * n,
            "source": ["handmade"] * n,
        },
        schema=DECLARATION_SCHEMA,
    )


#: Kazakhstan's imports from Belarus, with its own CIF and FOB values (hand-made).
KAZ_M: list[Decl] = [
    (2021, "KAZ", "BLR", "M", "170410", 110 * M, 100 * M),
    (2021, "KAZ", "BLR", "M", "180690", 55 * M, 50 * M),
]
#: Belarus's own export declarations of the same flow (FOB).
BLR_X: list[Decl] = [
    (2021, "BLR", "KAZ", "X", "170410", 0.0, 98 * M),
    (2021, "BLR", "KAZ", "X", "180690", 0.0, 49 * M),
]


def case(tmp_path: Path, figures: str, claims_head: str = HEAD) -> Path:
    folder = tmp_path / "case"
    folder.mkdir(exist_ok=True)
    (folder / "claims.yaml").write_text(claims_head + figures, encoding="utf-8")
    return folder


def lake_of(root: Path, *tables: pa.Table) -> Lake:
    lake = Lake.open(root, create=True)
    for i, t in enumerate(tables):
        lake.ingest_arrow(t, kind="declarations", source="handmade", name=f"decl-{i}.csv")
    return lake


def only(report: object) -> PublishedResult:
    (result,) = report.published  # type: ignore[attr-defined]
    return result


def part(result: PublishedResult, cause: str) -> float | None:
    return next(p.value_usd for p in result.parts if p.cause == cause)


# ------------------------------------------------------------------------------ reading


def test_founding_case_lists_the_press_reports_bound() -> None:
    (f,) = load_claims(CASE).published
    assert (f.what, f.year, f.bound, f.value) == ("turnover", 2021, "more_than", 1e9)
    assert (f.published_by, f.valuation, f.currency) == ("BLR", "mixed", "USD")
    assert f.stated() == "> $1B"
    assert f.source and f.published_on is not None


def test_default_valuation_is_the_publishers_convention(tmp_path: Path) -> None:
    by_kaz = FIGURE.replace("published_by: BLR", "published_by: KAZ").replace("x2021", "k")
    cs = load_claims(case(tmp_path, FIGURE + by_kaz))
    assert [f.valuation for f in cs.published] == ["fob", "cif"]  # BLR exports, KAZ imports


def test_a_file_without_published_figures_still_reads(tmp_path: Path) -> None:
    assert load_claims(case(tmp_path, "", HEAD.replace("published:\n", ""))).published == ()


@pytest.mark.parametrize(
    ("old", "new", "line", "column", "words"),
    [
        ("currency: USD", "currency: EUR", 15, "currency", "only US dollars"),
        ("what: exports", "what: exportz", 12, "what", "unknown figure"),
        ("published_by: BLR", "published_by: POL", 16, "published_by", "one side of the dyad"),
        ("value: 151000000", "value: 1.5e8\n  at_least: 1", 15, "at_least", "one value"),
        ("value: 151000000", "value: many", 14, "value", "not a number"),
        ("year: 2021", "year: 21", 13, "year", "not a year"),
        ("currency: USD", "currency: USD\n  valuation: ex-works", 16, "valuation", "valuation"),
        ("published_on: 2022-03-01", "published_on: 1 March", 18, "published_on", "not a date"),
        ("source: A", "sauce: A", 17, "sauce", "unknown key"),
    ],
)
def test_bad_figures_name_file_line_and_column(
    tmp_path: Path, old: str, new: str, line: int, column: str, words: str
) -> None:
    with pytest.raises(ValidationError) as info:
        load_claims(case(tmp_path, FIGURE.replace(old, new)))
    assert info.value.line == line
    assert info.value.details.get("column") == column
    assert words in info.value.message
    assert str(tmp_path / "case" / "claims.yaml") in info.value.message


def test_duplicate_figure_ids(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="duplicate figure id") as info:
        load_claims(case(tmp_path, FIGURE + FIGURE))
    assert info.value.line == 19


# ---------------------------------------------------------------------------- comparing


def test_mirror_figure_converted_to_fob_with_the_importers_own_values(tmp_path: Path) -> None:
    """The lake holds only Kazakhstan's CIF declaration; Belarus publishes FOB exports."""
    lake = lake_of(tmp_path / "lake", decl(KAZ_M))
    res = only(check_claims(lake, case(tmp_path, FIGURE)))
    cif = sum(r[5] for r in KAZ_M)
    fob = sum(float(r[6] or 0) for r in KAZ_M)
    assert res.lake_usd == pytest.approx(cif)
    assert res.gap_usd == pytest.approx(151 * M - cif)
    assert part(res, "valuation") == pytest.approx(fob - cif)  # 165 M CIF is 150 M FOB
    assert part(res, "source") is None  # Belarus's own declaration is not in the lake
    assert part(res, "coverage") == 0.0
    assert res.unexplained_usd == pytest.approx(151 * M - fob)
    assert res.tolerance_usd == pytest.approx(0.02 * 151 * M)
    assert res.verdict == "consistent"
    assert "within the tolerance" in res.reason


def test_source_part_is_the_publishers_own_declaration(tmp_path: Path) -> None:
    """Kazakhstan publishes its CIF imports; the lake believes Belarus's FOB exports."""
    lake = lake_of(tmp_path / "lake", decl(KAZ_M + BLR_X))
    figure = FIGURE.replace("published_by: BLR", "published_by: KAZ")
    cif = sum(r[5] for r in KAZ_M)
    ratio = cif / sum(float(r[6] or 0) for r in KAZ_M)
    x = sum(float(r[6] or 0) for r in BLR_X)
    for value, verdict in ((cif, "consistent"), (200 * M, "inconsistent")):
        text = figure.replace("value: 151000000", f"value: {value:.0f}")
        res = only(check_claims(lake, case(tmp_path, text)))
        assert res.lake_usd == pytest.approx(x)  # exporter's declaration is preferred
        assert part(res, "valuation") == pytest.approx(x * ratio - x)
        assert part(res, "source") == pytest.approx(cif - x * ratio)
        assert res.unexplained_usd == pytest.approx(value - cif)
        assert res.verdict == verdict, res.reason


def test_no_source_covers_the_year_is_undetermined_never_zero(tmp_path: Path) -> None:
    lake = lake_of(tmp_path / "lake", decl(KAZ_M))
    res = only(check_claims(lake, case(tmp_path, FIGURE.replace("year: 2021", "year: 2019"))))
    assert res.verdict == "undetermined"
    assert res.lake_usd is None and res.gap_usd is None
    assert "no" in res.reason


def test_revision_from_the_claims_history(tmp_path: Path) -> None:
    lake = lake_of(tmp_path / "lake", decl(KAZ_M))
    folder = case(tmp_path, FIGURE)
    first = check_claims(lake, folder)
    assert next(p.text for p in only(first).parts if p.cause == "revisions") == (
        "no revision information held"
    )
    record_check(lake, first)
    extra = [(2021, "KAZ", "BLR", "M", "190590", 11 * M, 10 * M)]
    lake.ingest_arrow(
        decl(extra, totals=False), kind="declarations", source="handmade", name="late.csv"
    )
    res = only(check_claims(lake, folder))
    assert res.lake_usd == pytest.approx(first.published[0].lake_usd + 11 * M)  # type: ignore[operator]
    assert part(res, "revisions") == pytest.approx(11 * M)
    assert res.tolerance_usd == pytest.approx(0.02 * 151 * M + 11 * M)
    rev = next(p for p in res.parts if p.cause == "revisions")
    assert not rev.counted and "$165M" in rev.text


def test_bound_satisfied_and_not(supported_lake: Lake, tmp_path: Path) -> None:
    res = only(check_claims(supported_lake, CASE))
    assert res.lake_usd == pytest.approx(1.2e9)
    assert res.verdict == "consistent" and "satisfies the bound" in res.reason
    # Belarus's own declarations only: every cause is computed, the bound fails.
    rows: list[Decl] = [
        (2021, "BLR", "KAZ", "X", "170410", 0.0, 300 * M),
        (2021, "BLR", "KAZ", "M", "270900", 200 * M, None),
    ]
    lake = lake_of(tmp_path / "lake", decl(rows))
    res = only(check_claims(lake, CASE))
    assert res.lake_usd == pytest.approx(500 * M)
    assert [part(res, c) for c in ("valuation", "source", "coverage")] == [0.0, 0.0, 0.0]
    assert res.verdict == "inconsistent"
    assert "does not satisfy the bound" in res.reason


def test_cli_says_a_met_bound_leaves_nothing_unexplained(
    supported_lake: Lake, tmp_path: Path, cli: object
) -> None:
    res = cli("claims", "check", str(CASE), "--lake", str(supported_lake.root), "--no-record")  # type: ignore[operator]
    assert res.exit_code == 0, res.stderr
    text = " ".join(res.stdout.split())
    spare = only(check_claims(supported_lake, CASE)).lake_usd - 1e9  # type: ignore[operator]
    assert (
        f"unexplained: none: the lake figure meets the bound, with {money(spare)} to spare" in text
    )
    assert "% of the bound)" in text
    rows: list[Decl] = [
        (2021, "BLR", "KAZ", "X", "170410", 0.0, 300 * M),
        (2021, "BLR", "KAZ", "M", "270900", 200 * M, None),
    ]
    lake = lake_of(tmp_path / "lake", decl(rows))
    res = cli("claims", "check", str(CASE), "--lake", str(lake.root), "--no-record")  # type: ignore[operator]
    text = " ".join(res.stdout.split())
    assert "unexplained: $500M on the wrong side of the bound (tolerance" in text


def test_json_shape_and_cli_text(tmp_path: Path, cli: object) -> None:
    lake = lake_of(tmp_path / "lake", decl(KAZ_M))
    folder = case(tmp_path, FIGURE)
    data = json.loads(json.dumps(check_claims(lake, folder).to_dict()))
    (pub,) = data["published"]
    assert set(pub) >= {"id", "published", "lake_usd", "gap_usd", "gap_pct", "parts",
                        "unexplained_usd", "tolerance_usd", "verdict", "reason", "provenance"}  # fmt: skip
    assert [p["cause"] for p in pub["parts"]] == ["valuation", "source", "coverage", "revisions"]
    assert pub["parts"][1]["value_usd"] is None and pub["parts"][1]["value_text"] == "not computed"
    claim_sources = data["results"][0]["provenance"]["sources"]
    assert set(pub["provenance"]) == set(data["results"][0]["provenance"])
    assert [s["path"] for s in pub["provenance"]["sources"]] == ["decl-0.csv"]
    assert claim_sources and set(pub["provenance"]["sources"][0]) == set(claim_sources[0])
    args = ("claims", "check", str(folder), "--lake", str(lake.root), "--no-record")
    res = cli(*args, "--json")  # type: ignore[operator]
    assert res.exit_code == 0 and json.loads(res.stdout)["published"] == data["published"]
    res = cli(*args)  # type: ignore[operator]
    assert res.exit_code == 0, res.stderr
    assert "Published figures (1):" in res.stdout
    assert "consistent x2021: exports 2021 $151M, published by BLR" in res.stdout
    assert "valuation: -$15M" in res.stdout


# ------------------------------------------------------------------------------ real data


@pytest.mark.shared
def test_real_thai_imports_rest_on_thailands_own_cif_declaration(
    shared_data: Path, tmp_path: Path, cli: object
) -> None:
    """A figure taken from the real file (UN Comtrade, Thailand's import declaration of four
    HS6 crustacean codes from Viet Nam, 2010, its ``cifvalue`` column) against a lake of the
    whole file: the same valuation and the same declaration, so valuation and source parts
    are 0, and the lake covers only HS 03, so the figure is undetermined, not compared."""
    import pandas as pd

    path = shared_data / "comtrade" / "tha-crustacean-imports-2007-2011.csv.gz"
    raw = pd.read_csv(path, dtype={"cmdCode": str})
    rows = raw[(raw.flowCode == "M") & (raw.partnerISO == "VNM") & (raw.refYear == 2010)]
    assert len(rows) > 0 and rows.cifvalue.notna().all()
    cif = float(rows.cifvalue.sum())
    root = tmp_path / "lake"
    assert cli("ingest", "comtrade", str(path), "--lake", str(root)).exit_code == 0  # type: ignore[operator]
    head = HEAD.replace("dyad: [BLR, KAZ]", "dyad: [THA, VNM]").replace(
        "metric: exports", "metric: imports"
    )
    text = (
        "- id: tha-vnm-2010\n  what: imports\n  year: 2010\n"
        f"  value: {cif:.0f}\n  published_by: THA\n"
        "  source: UN Comtrade, Thailand's import declaration (cifvalue), 2010\n"
    )
    res = only(check_claims(Lake.open(root), case(tmp_path, text, head)))
    assert res.figure.valuation == "cif"
    assert res.lake_usd == pytest.approx(float(rows.primaryValue.sum()))
    assert part(res, "valuation") == 0.0 and part(res, "source") == 0.0
    assert part(res, "coverage") is None
    assert res.verdict == "undetermined"
    assert "HS 03" in res.reason


@pytest.mark.shared
def test_fitted_margin_from_bilat_mirror_with_a_geodist_file(
    shared_data: Path, tmp_path: Path
) -> None:
    """No FOB value of the import: the CIF/FOB ratio is bilat mirror's, on the real GeoDist."""
    from bilat.trade.mirror import mirror_report

    geodist = shared_data / "geo" / "dist_cepii.csv.gz"
    no_fob = [(y, r, p, f, hs, cif, None) for (y, r, p, f, hs, cif, _) in KAZ_M]
    lake = lake_of(tmp_path / "lake", decl(no_fob + BLR_X))
    figure = FIGURE.replace("published_by: BLR", "published_by: KAZ")
    folder = case(tmp_path, figure.replace("value: 151000000", "value: 165000000"))
    without = only(check_claims(lake, folder))
    assert part(without, "valuation") is None and "GeoDist" in without.parts[0].text
    res = only(check_claims(lake, folder, geodist=geodist))
    rep = mirror_report(lake.declarations(), "BLR", "KAZ", geodist, level=6, years=[2021])
    p = rep.products[(rep.products.exporter == "BLR") & (rep.products.importer == "KAZ")]
    ratio = p.imports_declared_usd.sum() / p.imports_fob_usd.sum()
    x = sum(float(r[6] or 0) for r in BLR_X)
    assert part(res, "valuation") == pytest.approx(x * ratio - x)
    assert part(res, "source") == pytest.approx(165 * M - x * ratio)
    assert "bilat mirror" in res.parts[0].text


def test_a_replaced_release_is_named_and_its_revision_not_invented(tmp_path: Path) -> None:
    lake = lake_of(tmp_path / "lake", decl(KAZ_M))
    newer = [(y, r, p, f, hs, cif * 1.1, fob) for (y, r, p, f, hs, cif, fob) in KAZ_M]
    lake.ingest_arrow(
        decl(newer), kind="declarations", source="handmade", name="v2.csv", release="v2",
        replace=True,
    )  # fmt: skip
    res = only(check_claims(lake, case(tmp_path, FIGURE)))
    assert res.lake_usd == pytest.approx(1.1 * sum(r[5] for r in KAZ_M))
    rev = next(p for p in res.parts if p.cause == "revisions")
    assert rev.value_usd is None and not rev.counted
    assert "replaced" in rev.text and "decl-0.csv" in rev.text
    assert res.tolerance_usd == pytest.approx(0.02 * 151 * M)  # nothing added for it
