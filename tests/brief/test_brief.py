"""The briefing: every section, its sources, the banner, the JSON Schema, the HTML."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import jsonschema
import pytest

from bilat.brief import (
    SECTION_IDS,
    Briefing,
    BriefingFiles,
    build_briefing,
    render_html,
    schema,
)
from bilat.claims import VERDICTS
from bilat.lake import Lake
from bilat.sample import SYNTHETIC_BANNER

CASE = Path(__file__).resolve().parents[2] / "src" / "bilat" / "cases" / "blr-kaz-2022"


class _Page(HTMLParser):
    """Collects what the tests look at; fails on a closing tag that does not match."""

    VOID = frozenset({"meta", "br", "hr", "img", "input", "link", "path", "rect", "line"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.ids: list[str] = []
        self.tags: set[str] = set()
        self.urls: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        for name, value in attrs:
            if name == "id" and value:
                self.ids.append(value)
            if name in ("src", "href", "xlink:href", "action", "poster") and value:
                self.urls.append(value)
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        for name, value in attrs:
            if name in ("src", "href", "xlink:href") and value:
                self.urls.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1] if self.stack else None}>")
            return
        self.stack.pop()


def parse(text: str) -> _Page:
    page = _Page()
    page.feed(text)
    page.close()
    return page


def validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(schema(), format_checker=jsonschema.FormatChecker())


def test_schema_is_a_valid_json_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(schema())


def test_every_section_in_order(briefing: Briefing) -> None:
    assert tuple(s.id for s in briefing.sections) == SECTION_IDS
    assert {s.id: s.status for s in briefing.sections} == dict.fromkeys(SECTION_IDS, "ok")


def test_html_parses_and_has_every_section(written: BriefingFiles) -> None:
    page = parse(written.html.read_text("utf-8"))
    assert page.errors == []
    assert page.stack == []
    assert [i for i in page.ids if i in SECTION_IDS] == list(SECTION_IDS)


def test_html_makes_no_external_request(written: BriefingFiles) -> None:
    text = written.html.read_text("utf-8")
    page = parse(text)
    assert {"script", "link", "img", "iframe", "object"} & page.tags == set()
    assert [u for u in page.urls if not u.startswith(("#", "data:"))] == []
    assert "@import" not in text and "url(" not in text


def test_charts_are_inline_svg(written: BriefingFiles) -> None:
    text = written.html.read_text("utf-8")
    for section in ("series", "products", "baskets", "potential"):
        assert f'<figure class="chart" data-chart="{section}"><svg' in text


def test_json_validates_and_matches_html(written: BriefingFiles) -> None:
    data = json.loads(written.json.read_text("utf-8"))
    errors = [e.message for e in validator().iter_errors(data)]
    assert errors == []
    html = written.html.read_text("utf-8")
    for s in data["sections"]:
        assert f'id="{s["id"]}"' in html
        for f in s["figures"]:
            assert f["text"] in html


def test_schema_rejects_a_missing_section(briefing: Briefing) -> None:
    data = briefing.to_dict()
    del data["sections"][3]
    assert not validator().is_valid(data)
    data = briefing.to_dict()
    data["sections"][0]["status"] = "no_data"  # no_data needs a message
    assert not validator().is_valid(data)


def test_synthetic_banner_everywhere(briefing: Briefing, written: BriefingFiles) -> None:
    data = json.loads(written.json.read_text("utf-8"))
    assert data["synthetic"] is True
    assert data["banner"] == SYNTHETIC_BANNER
    html = written.html.read_text("utf-8")
    assert (
        f'<div class="banner" role="alert" id="synthetic-banner">{SYNTHETIC_BANNER}</div>'
        in html.replace("&amp;", "&")
    )
    assert all(m["synthetic"] for m in data["manifest"])


def test_every_figure_and_table_names_its_source(briefing: Briefing) -> None:
    data = briefing.to_dict()
    cited = {m["entry_id"] for m in data["manifest"]}
    for s in data["sections"]:
        assert all(f["source"] for f in s["figures"]), s["id"]
        assert all(t["source"] for t in s["tables"]), s["id"]
        assert s["sources"], s["id"]
        assert set(s["entries"]) <= cited
    assert "synthetic-custom-seed11-2021" in briefing.section("headline").sources[0]


def test_headline_against_an_independent_sum(real_lake: Lake) -> None:
    b = build_briefing(real_lake, "BLR", "KAZ", year=2021)
    files = [str(real_lake.root / f) for e in real_lake.manifest() for f in e.files]
    expected = duckdb.sql(
        f"select sum(value_usd) from read_parquet({files!r}) where year = 2021 and "
        "((exporter = 'BLR' and importer = 'KAZ') or (exporter = 'KAZ' and importer = 'BLR'))"
    ).fetchall()[0]
    figures = {f.label: f for f in b.section("headline").figures}
    assert expected is not None
    assert figures["Turnover 2021"].value == pytest.approx(expected[0]) == pytest.approx(1.25e9)
    assert figures["Turnover growth on 2020"].value == pytest.approx(25.0)
    assert figures["Turnover 2021"].text == "$1.25B"  # bilat.formats.money
    assert "handmade.csv" in figures["Turnover 2021"].source


def test_real_lake_has_no_banner(real_lake: Lake) -> None:
    b = build_briefing(real_lake, "BLR", "KAZ", year=2021)
    assert b.synthetic is False and b.banner is None
    assert 'id="synthetic-banner"' not in render_html(b)


def test_without_case_sections_say_so(real_lake: Lake) -> None:
    b = build_briefing(real_lake, "BLR", "KAZ", year=2021)
    for sid in ("claims", "agenda", "air"):
        s = b.section(sid)
        assert s.status == "no_data"
        assert s.message == "No case folder was given, so there is nothing to show."
    assert validator().is_valid(b.to_dict())


def test_year_not_held_is_no_data(real_lake: Lake) -> None:
    b = build_briefing(real_lake, "BLR", "KAZ", year=2019)
    head = b.section("headline")
    assert head.status == "no_data"
    assert head.message is not None and "no trade data for 2019" in head.message
    assert '<p class="message">No data: the lake holds no trade data for 2019' in render_html(b)


def test_case_sections(briefing: Briefing) -> None:
    claims = briefing.section("claims")
    # Six claims (verdicts, and who said them), then the one published figure of the case.
    assert [len(t.rows) for t in claims.tables] == [6, 6, 1]
    assert {r["verdict"] for r in claims.tables[0].rows} <= set(VERDICTS)
    agenda = briefing.section("agenda")
    overdue = next(f for f in agenda.figures if f.label == "Overdue")
    rows = agenda.tables[0].rows
    assert overdue.value == sum(1 for r in rows if r["overdue"].startswith("yes"))
    assert any(r["id"] == "mtz-tractor-cab-plant" and r["overdue"].startswith("yes") for r in rows)
    air = briefing.section("air")
    assert [t.title for t in air.tables][1:] == [
        "Permitted routings by carrier and kind",
        "Frequencies against caps",
    ]
    assert {r["party"] for r in air.tables[0].rows} == {"BLR", "KAZ"}


def test_print_css(written: BriefingFiles) -> None:
    text = written.html.read_text("utf-8")
    assert "@media print" in text and "@page" in text


def test_cli_brief(cli: object, real_lake: Lake, tmp_path: Path) -> None:
    home = real_lake.root.parent
    out = tmp_path / "o"
    res = cli(  # type: ignore[operator]
        "brief", "BLR", "KAZ", "--year", "2021", "--case", str(CASE), "-o", str(out),
        "--home", str(home), "--as-of", "2022-12-31", "--json",
    )  # fmt: skip
    assert res.exit_code == 0, res.stderr
    data = json.loads(res.stdout)
    assert data["synthetic"] is False
    assert data["sections"]["claims"] == "ok"
    assert Path(data["html"]).is_file() and Path(data["json"]).is_file()
    sections = json.loads(Path(data["json"]).read_text("utf-8"))["sections"]
    claims = next(s for s in sections if s["id"] == "claims")
    verdicts = {r["id"]: r["verdict"] for r in claims["tables"][0]["rows"]}
    assert verdicts["turnover-2021-above-1bn"] == "supported"  # 1.25 bn
    assert verdicts["confectionery-doubled"] == "supported"  # x2.5


def test_cli_brief_bad_date(cli: object, real_lake: Lake, tmp_path: Path) -> None:
    res = cli(  # type: ignore[operator]
        "brief", "BLR", "KAZ", "--year", "2021", "-o", str(tmp_path),
        "--home", str(real_lake.root.parent), "--as-of", "31/12/2022",
    )  # fmt: skip
    assert res.exit_code == 2
    assert "as-of date must be YYYY-MM-DD but got '31/12/2022'" in res.stderr


def test_cli_brief_output_is_a_file(cli: object, real_lake: Lake, tmp_path: Path) -> None:
    target = tmp_path / "afile"
    target.write_text("mine", "utf-8")
    res = cli(  # type: ignore[operator]
        "brief", "BLR", "KAZ", "--year", "2021", "-o", str(target),
        "--home", str(real_lake.root.parent),
    )  # fmt: skip
    assert res.exit_code == 2
    assert "is a file; give a folder" in res.stderr
    assert "Traceback" not in res.stderr
    assert target.read_text("utf-8") == "mine"


def test_case_with_only_claims(real_lake: Lake, tmp_path: Path) -> None:
    (tmp_path / "claims.yaml").write_text((CASE / "claims.yaml").read_text("utf-8"), "utf-8")
    b = build_briefing(real_lake, "BLR", "KAZ", year=2021, case=tmp_path)
    assert b.section("claims").status == "ok"
    agenda, air = b.section("agenda"), b.section("air")
    assert agenda.status in ("no_data", "unavailable") and agenda.message
    assert (air.status, air.message) == ("no_data", "The case folder holds no air/ agreements.")
    assert validator().is_valid(b.to_dict())


def test_missing_parts_say_unavailable(real_lake: Lake, monkeypatch: pytest.MonkeyPatch) -> None:
    from bilat.brief import case_sections

    monkeypatch.setattr(case_sections, "_part", lambda name: None)
    b = build_briefing(real_lake, "BLR", "KAZ", year=2021, case=CASE)
    assert b.section("agenda").message == "The agenda part is not installed."
    assert b.section("air").message == "The air services part is not installed."
    assert b.section("potential").message == "The potential part is not installed."
    assert {b.section(s).status for s in ("agenda", "air", "potential")} == {"unavailable"}
    html = render_html(b)
    assert html.count('<span class="status status-unavailable">unavailable</span>') == 3


def test_air_caps_against_a_schedule_in_the_case(real_lake: Lake, tmp_path: Path) -> None:
    import shutil

    case = tmp_path / "case"
    shutil.copytree(CASE, case)
    fixture = Path(__file__).resolve().parents[1] / "fixtures" / "air" / "blr-kaz-2022-07.ssim"
    shutil.copy(fixture, case / "air" / fixture.name)
    air = build_briefing(real_lake, "BLR", "KAZ", year=2021, case=case).section("air")
    caps = air.tables[2]
    assert caps.title == "Frequencies against caps"
    assert caps.source.endswith(f"; schedule {fixture.name}")
    observed = [r["observed"] for r in caps.rows]
    assert all(o != "no schedule in the case" for o in observed)
    assert any(int(o.split()[0]) > 0 for o in observed)
    assert not any("No schedule (air/*.ssim)" in n for n in air.notes)


# ---- issue 18: rating ladder


def test_every_rung_of_the_ladder_gets_its_own_class(briefing: Briefing) -> None:
    import dataclasses

    claims = briefing.section("claims")
    table = claims.tables[0]
    rows = tuple({**r, "verdict": v} for r, v in zip(table.rows, VERDICTS, strict=False))
    section = dataclasses.replace(
        claims, tables=(dataclasses.replace(table, rows=rows), *claims.tables[1:])
    )
    sections = tuple(section if s.id == "claims" else s for s in briefing.sections)
    html = render_html(dataclasses.replace(briefing, sections=sections))
    for v in VERDICTS:
        slug = "verdict-" + v.replace(" ", "-")
        assert f'{slug}">{v}</td>' in html, v
        assert f".{slug}" in html, v  # the stylesheet colours it
    assert "verdict-supported within" not in html
