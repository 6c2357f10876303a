"""The current language, negotiation, catalogs and CLDR country names."""

from __future__ import annotations

import pytest

from bilat import errors, formats, i18n, templating
from bilat.codes.countries import country_name


def test_default_is_english_and_use_switches_for_a_block() -> None:
    assert i18n.current() == "en"
    with i18n.use("ru"):
        assert i18n.current() == "ru"
        with i18n.use("en-GB"):
            assert i18n.current() == "en"
        assert i18n.current() == "ru"
    assert i18n.current() == "en"


def test_unknown_language_is_bad_input_naming_the_choices() -> None:
    with pytest.raises(errors.InputError) as err:
        i18n.language("fr")
    assert "en" in str(err.value) and "ru" in str(err.value)


@pytest.mark.parametrize(
    ("header", "want"),
    [
        ("ru-RU,ru;q=0.9,en-US;q=0.8", "ru"),
        ("en-US,en;q=0.9", "en"),
        ("de-DE,ru;q=0.5", "ru"),
        ("de-DE", "en"),
        ("", "en"),
        (None, "en"),
        ("fr;q=bad, ru;q=0.1", "ru"),
    ],
)
def test_negotiate_accept_language(header: str | None, want: str) -> None:
    assert i18n.negotiate(header) == want


def test_russian_plurals_have_three_forms() -> None:
    with i18n.use("ru"):
        got = [formats.counted(n, "%(n)s item", "%(n)s items") for n in (1, 3, 5, 21, 11)]
    assert got == ["1 позиция", "3 позиции", "5 позиций", "21 позиция", "11 позиций"]
    assert formats.counted(1, "%(n)s item", "%(n)s items") == "1 item"
    assert formats.counted(3, "%(n)s item", "%(n)s items") == "3 items"


def test_jinja_env_translates_at_render_time() -> None:
    env = templating.jinja_env()
    tpl = env.from_string('{{ ngettext("%(num)s item", "%(num)s items", 2) }} {{ 1500000|money }}')
    assert tpl.render() == "2 items $1.5M"


def test_country_names_follow_the_language() -> None:
    assert country_name("BLR") == "Belarus"
    with i18n.use("ru"):
        assert country_name("BLR") == "Беларусь"
        assert country_name("KAZ") == "Казахстан"
