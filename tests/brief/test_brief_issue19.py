"""Issue 19: key messages, world context, a clean document, the briefing in Russian."""

from __future__ import annotations

import json
import re

from bilat import formats, i18n
from bilat.brief import Briefing, build_briefing, render_html, render_json, schema
from bilat.brief.key_messages import key_messages
from bilat.brief.model import Figure, Section
from bilat.lake import Lake
from bilat.trade import Dyad


def _text(html: str) -> str:
    html = re.sub(r"<style>.*?</style>|<svg.*?</svg>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_key_messages_carry_numbers_links_and_come_first(briefing: Briefing) -> None:
    msgs = briefing.key_messages
    assert 3 <= len(msgs) <= 6
    ids = {s.id for s in briefing.sections}
    assert all(k.section in ids for k in msgs)
    turnover = next(k for k in msgs if k.id == "turnover")
    head = briefing.section("headline").figures[0]
    assert turnover.value == head.value
    assert formats.money(head.value) in turnover.text
    html = render_html(briefing)
    start, toc = html.index('id="key-messages"'), html.index('class="toc"')
    assert html.index("<h1>") < start < toc  # after the title, before the contents
    for k in msgs:
        assert f'href="#{k.section}"' in html[start:toc]


def test_key_messages_say_nothing_the_data_do_not_support() -> None:
    src = "test"
    head = Section("headline", "Headline", "ok", None, tuple(
        Figure(label, None, "usd", src) for label in "abcdefg"
    ))  # fmt: skip
    agenda = Section("agenda", "Agenda", "no_data", "none")
    assert key_messages((head, agenda), 2021, "BLR", "KAZ") == ()


def test_turnover_message_states_the_coverage_caveat() -> None:
    figs = tuple(Figure(str(i), 100.0 if i < 4 else 5.0, "usd", "s") for i in range(7))
    head = Section(
        "headline", "Headline", "ok", "Coverage is not complete. BLR→KAZ: partial.", figs
    )
    (k,) = key_messages((head,), 2021, "BLR", "KAZ")
    assert k.caveat is not None and "partial" in k.text


def test_world_section_equals_the_partners_ranking(
    synthetic_lake: Lake, briefing: Briefing
) -> None:
    s = briefing.section("world")
    assert s.status == "ok"
    dyad = Dyad(synthetic_lake, "BLR", "KAZ")
    p = dyad.partners(2021, flow="export", top=None, side="a")
    total, share, rank = s.figures[:3]
    assert total.value == p.total_usd
    assert rank.value == p.rank_of("KAZ")
    row = next(r for r in p.rows.to_pylist() if r["partner"] == "KAZ")
    assert share.value == row["share_pct"]
    assert len(s.tables) == 4 and all(t.rows for t in s.tables)


def test_world_section_without_world_data_says_not_available(real_lake: Lake) -> None:
    b = build_briefing(real_lake, "BLR", "KAZ", year=2019)
    s = b.section("world")
    assert s.status == "no_data" and "Not available" in s.message
    assert all(f.value is None for f in s.figures)


def test_clean_document_no_paths_no_hashes_no_zero_tables(briefing: Briefing) -> None:
    html = render_html(briefing)
    body = _text(html)
    assert "/work/" not in body and "/tmp/" not in body
    for m in briefing.manifest:
        assert m["sha256"][:12] not in html
        assert m["entry_id"] not in body
    for t in briefing.section("baskets").tables:
        assert any(r["value_from_usd"] or r["value_to_usd"] for r in t.rows)
    # one source line per section, not one per card
    assert html.count('class="source"') == 0 or html.count('<span class="source">') == 0
    assert "Equal by construction" in body  # the potential cards say why they are equal


def test_section_titles_name_the_years_shown(briefing: Briefing) -> None:
    s = briefing.section("series")
    years = [r["year"] for r in s.tables[0].rows]
    assert f"{min(years)}–{max(years)}" in s.title


def test_chart_axes_follow_the_language(briefing: Briefing) -> None:
    from bilat.brief.render import localised_chart

    spec = briefing.section("series").chart
    assert spec is not None and "$~s" in json.dumps(spec)
    with i18n.use("ru"):
        ru = localised_chart(spec)
    assert ru["config"]["locale"]["number"]["decimal"] == ","


def test_briefing_in_russian(briefing: Briefing) -> None:
    html = render_html(briefing, lang="ru")
    assert '<html lang="ru">' in html
    body = _text(html)
    for heading in ("Основные выводы", "Содержание", "Основные показатели", "Мировой контекст",
                    "Товарооборот в 2021 г. составил", "Источники данных"):  # fmt: skip
        assert heading in body, heading
    for s in briefing.sections:  # no English section title is left
        assert f"<h2>{s.title}" not in html
        assert f">{s.title}</a>" not in html
    with i18n.use("ru"):
        titles = [str(s.title) for s in briefing.sections]
    assert all(re.search("[а-яА-Я]", t) for t in titles), titles
    assert "Key messages" not in body and "Headline figures" not in body


def test_json_in_russian_keeps_english_keys_and_validates(briefing: Briefing) -> None:
    import jsonschema

    data = json.loads(render_json(briefing, lang="ru"))
    jsonschema.Draft202012Validator(schema()).validate(data)
    assert data["lang"] == "ru"
    assert [s["id"] for s in data["sections"]][:2] == ["headline", "world"]
    assert "Товарооборот" in data["key_messages"][0]["text"]
    assert json.loads(render_json(briefing))["lang"] == "en"


def test_write_briefing_takes_a_language(briefing: Briefing, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from bilat.brief import write_briefing

    files = write_briefing(briefing, tmp_path, lang="ru")
    assert "Основные выводы" in files.html.read_text("utf-8")
    assert i18n.current() == "en"  # the language is set for the writing only
