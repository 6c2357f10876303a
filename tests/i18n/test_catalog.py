"""Every message marked for translation has a Russian translation (the catalog is complete).

The messages are extracted from the source with Babel's own extractor and ``babel.cfg``,
exactly as ``pybabel extract`` would; a string marked with ``_()`` or ``{{ _("...") }}``
that no ``locale/ru/LC_MESSAGES/*.po`` file translates fails this test with its file and line.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg

from bilat import i18n

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "counted": (2, 3)}


def _extracted(root: Path = ROOT) -> list[tuple[str, int, str | tuple[str, ...]]]:
    with open(ROOT / "babel.cfg") as fh:
        method_map, options_map = parse_mapping_cfg(fh)
    found = []
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(root), method_map, options_map, keywords=KEYWORDS, comment_tags=()
    ):
        found.append((filename, lineno, message))
    return found


def test_extraction_finds_marked_messages_in_python_and_templates(tmp_path: Path) -> None:
    (tmp_path / "src" / "pkg" / "templates").mkdir(parents=True)
    (tmp_path / "src" / "pkg" / "m.py").write_text(
        "from bilat.i18n import _\nfrom bilat.formats import counted\n"
        'x = _("Turnover")\ny = counted(3, "%(n)s item", "%(n)s items")\nz = data.count(b"x")\n'
    )
    (tmp_path / "src" / "pkg" / "templates" / "p.html").write_text('<h1>{{ _("Sources") }}</h1>')
    (tmp_path / "src" / "pkg" / "templates" / "b.html.j2").write_text(
        "{% trans %}Key messages{% endtrans %}"
    )
    got = {m for _f, _l, m in _extracted(tmp_path)}
    assert got == {"Turnover", ("%(n)s item", "%(n)s items"), "Sources", "Key messages"}


@pytest.mark.parametrize("lang", [lang for lang in i18n.LANGUAGES if lang != i18n.DEFAULT])
def test_every_marked_message_is_translated(lang: str) -> None:
    catalog = i18n.catalog(lang)
    missing = []
    for filename, lineno, message in _extracted():
        msgid = message[0] if isinstance(message, tuple) else message
        if not msgid:
            continue
        entry = catalog.get(msgid)
        if (
            entry is None
            or not entry.string
            or (isinstance(entry.string, tuple) and not all(entry.string))
        ):
            missing.append(f"{filename}:{lineno}: {msgid!r}")
    assert not missing, f"{len(missing)} messages lack a {lang} translation:\n" + "\n".join(
        missing[:40]
    )


def test_translations_have_the_same_placeholders() -> None:
    import re

    placeholder = re.compile(r"%\(\w+\)s|\{\w+\}")
    for lang in i18n.LANGUAGES:
        if lang == i18n.DEFAULT:
            continue
        for message in i18n.catalog(lang):
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            want = set(placeholder.findall(ids[-1]))
            for s in strings:
                assert set(placeholder.findall(s)) <= want | set(placeholder.findall(ids[0])), (
                    lang,
                    message.id,
                    s,
                )
