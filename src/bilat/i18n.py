"""The languages bilat speaks: gettext catalogs (Babel), the current language, negotiation.

Messages are marked with :func:`_` (Python) or ``{{ _("...") }}`` / ``{% trans %}`` (Jinja2
templates built with :func:`jinja_env`) and extracted by ``pybabel extract -F babel.cfg``
into ``src/bilat/locale/bilat.pot``; each language's catalog is
``src/bilat/locale/LANG/LC_MESSAGES/bilat.po``. The ``.po`` file is read and compiled in
memory on first use, so no binary ``.mo`` file is kept in the repository.

The language is a context variable: :func:`use` sets it for a block (a briefing, a web
request), and every formatter in :mod:`bilat.formats` and every message follows it.
"""

from __future__ import annotations

import contextlib
import functools
import gettext as _gettext
import io
from collections.abc import Iterator
from contextvars import ContextVar
from importlib import resources
from typing import Any, Literal, get_args

__all__ = [
    "DEFAULT",
    "LANGUAGES",
    "Language",
    "_",
    "catalog",
    "current",
    "gettext",
    "language",
    "negotiate",
    "ngettext",
    "translations",
    "use",
]

Language = Literal["en", "ru"]
#: The languages a briefing and the web app are written in, the source language first.
LANGUAGES: tuple[str, ...] = get_args(Language)
DEFAULT: Language = "en"
#: Each language's own name, for pickers.
NAMES: dict[str, str] = {"en": "English", "ru": "Русский"}

_CURRENT: ContextVar[str] = ContextVar("bilat_language", default=DEFAULT)


def language(value: str | None) -> Language:
    """``value`` checked against :data:`LANGUAGES` (``None`` is the default, English).

    Raises :class:`bilat.errors.InputError` naming the languages there are.
    """
    from bilat.options import choice

    if value is None:
        return DEFAULT
    lang: Language = choice(
        Language, value.strip().lower().replace("_", "-").split("-")[0], "language"
    )
    return lang


def current() -> str:
    """The language of the block being rendered (see :func:`use`)."""
    return _CURRENT.get()


@contextlib.contextmanager
def use(lang: str | None) -> Iterator[str]:
    """Render everything inside the block in ``lang`` (checked by :func:`language`)."""
    token = _CURRENT.set(language(lang))
    try:
        yield _CURRENT.get()
    finally:
        _CURRENT.reset(token)


def negotiate(accept_language: str | None) -> Language:
    """The best of :data:`LANGUAGES` for an HTTP ``Accept-Language`` header (else English)."""
    from babel import Locale

    if not accept_language:
        return DEFAULT
    wanted = []
    for part in accept_language.split(","):
        tag, _sep, q = part.strip().partition(";q=")
        try:
            weight = float(q) if q else 1.0
        except ValueError:
            continue
        if tag and tag != "*":
            wanted.append((weight, tag.strip()))
    wanted.sort(key=lambda wq: -wq[0])
    found = Locale.negotiate([t for _w, t in wanted], list(LANGUAGES), sep="-")
    return language(str(found)) if found is not None else DEFAULT


@functools.cache
def translations(lang: str) -> _gettext.NullTranslations:
    """The compiled catalog of ``lang`` (English is the source: no catalog, the msgid).

    Every ``.po`` file in ``locale/LANG/LC_MESSAGES/`` is read (one per part: ``brief.po``,
    ``web.po``, ``cli.po``...) and merged into one catalog, compiled in memory.
    """
    from babel.messages.mofile import write_mo

    if lang == DEFAULT:
        return _gettext.NullTranslations()
    from babel.support import Translations

    buf = io.BytesIO()
    write_mo(buf, catalog(lang), use_fuzzy=False)
    buf.seek(0)
    return Translations(fp=buf, domain="bilat")


def catalog(lang: str) -> Any:
    """Every message of ``lang``'s ``.po`` files as one :class:`babel.messages.Catalog`."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po

    merged = Catalog(locale=lang, domain="bilat")
    folder = resources.files("bilat") / "locale" / lang / "LC_MESSAGES"
    for po in sorted(folder.iterdir(), key=lambda f: f.name):
        if not po.name.endswith(".po"):
            continue
        with po.open("rb") as fh:
            part = read_po(fh, locale=lang)
        for message in part:
            if message.id and message.string and not message.fuzzy:
                merged[message.id] = message
    return merged


def gettext(message: str) -> str:
    """``message`` in the current language (itself when the catalog lacks it)."""
    return translations(current()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of a counted message for ``n`` in the current language (Russian has three)."""
    return translations(current()).ngettext(singular, plural, n)


_ = gettext
