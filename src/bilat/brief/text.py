"""Briefing text that speaks the language it is rendered in (lazy translation).

A briefing is built once and rendered in any language (:func:`bilat.brief.render_html`
with ``lang=``): its labels, titles, notes and key messages are :class:`Text` values, which
*are* their English wording (a ``str``: compare, sort and search them as English) and
render in the current language of :mod:`bilat.i18n` when turned into text (``str(t)``, or
in a template). Numbers inside them stay numbers until then, formatted by
:mod:`bilat.formats` in that language; country names come from
:func:`bilat.codes.countries.country_name` in that language.

Modules of the briefing import :func:`msg` as ``_`` (and :func:`counted`), so that Babel's
extraction and ``tests/i18n/test_catalog.py`` see their messages.

>>> t = msg("Turnover %(year)s", year=year_of(2021))
>>> t == "Turnover 2021"
True
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from bilat import formats, i18n

__all__ = ["Text", "counted", "country", "join", "msg", "num", "plain", "render", "year_of"]


class Text(str):
    """Text whose ``str`` content is English and whose :meth:`__str__` is the current
    language's wording (see the module docstring)."""

    _render: Callable[[], str]

    def __new__(cls, render: Callable[[], str]) -> Text:
        with i18n.use(i18n.DEFAULT):
            english = render()
        self = super().__new__(cls, english)
        self._render = render
        return self

    def __str__(self) -> str:
        if i18n.current() == i18n.DEFAULT:
            return str.__str__(self)
        return self._render()

    def __format__(self, spec: str) -> str:
        return format(self.__str__(), spec)

    def __html__(self) -> str:
        from markupsafe import escape

        return str(escape(self.__str__()))

    def __reduce__(self) -> tuple[Any, ...]:  # a copy is the English text
        return (str, (str.__str__(self),))

    def __mod__(self, params: Any) -> Text:  # type: ignore[override]
        """``_("%(a)s to %(b)s") % {...}`` stays lazy: filled when rendered."""
        if isinstance(params, dict):
            return Text(lambda: self.__str__() % {k: _s(v) for k, v in params.items()})
        return Text(lambda: self.__str__() % params)

    def __add__(self, other: Any) -> Text:  # type: ignore[override]
        return Text(lambda: self.__str__() + _s(other))

    def __radd__(self, other: Any) -> Text:
        return Text(lambda: _s(other) + self.__str__())


def _s(v: Any) -> str:
    return v.__str__() if isinstance(v, Text) else str(v)


def msg(message: str, **params: Any) -> Text:
    """``message`` (a catalog msgid with ``%(name)s`` placeholders) translated, then filled
    with ``params`` (each rendered in the same language: :class:`Text`, numbers from
    :func:`num`, or anything ``str`` turns into text)."""
    if not params:
        return Text(lambda: i18n.gettext(message))
    return Text(lambda: i18n.gettext(message) % {k: _s(v) for k, v in params.items()})


def counted(n: int, singular: str, plural: str, **params: Any) -> Text:
    """A counted message (``%(n)s`` is the count, formatted); Russian has three forms.
    Same signature as :func:`bilat.formats.counted` (extracted by the same keyword)."""

    def render() -> str:
        values = {k: _s(v) for k, v in params.items()}
        return i18n.ngettext(singular, plural, n) % {"n": formats.integer(n), **values}

    return Text(render)


def num(value: Any, unit: str) -> Text:
    """A value in its unit (:func:`bilat.formats.value`), formatted when rendered."""
    return Text(lambda: formats.value(value, unit))


def year_of(value: Any) -> Text:
    """A year (a label, never grouped: ``2021``)."""
    return Text(lambda: formats.year(value))


def country(code: str) -> Text:
    """A country's name in the rendered language (the code when it has none)."""
    from bilat.codes.countries import country_name
    from bilat.errors import BilatError

    def render() -> str:
        try:
            return country_name(code)
        except BilatError:
            return code

    return Text(render)


def join(sep: str, parts: Iterable[Any]) -> Text:
    """``parts`` joined by ``sep``, each rendered in the current language."""
    items = tuple(parts)
    return Text(lambda: sep.join(_s(p) for p in items))


def plain(value: Any) -> Text:
    """Text that is the same in every language (a file name, a code, a data-layer reason)."""
    text = _s(value)
    return Text(lambda: text)


def render(value: Any) -> Any:
    """``value`` with every :class:`Text` in it rendered in the current language (for JSON)."""
    if isinstance(value, Text):
        return value.__str__()
    if isinstance(value, dict):
        return {k: render(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [render(v) for v in value]
    return value
