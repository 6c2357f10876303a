"""Jinja2 environments whose templates speak the current language (:mod:`bilat.i18n`)."""

from __future__ import annotations

from typing import Any

from bilat import formats, i18n

__all__ = ["jinja_env"]


def jinja_env(**kwargs: Any) -> Any:
    """A Jinja2 environment whose templates speak the current language.

    ``_``, ``gettext`` and ``ngettext`` follow :func:`bilat.i18n.current` at render time; the
    ``{% trans %}`` tag works (new-style gettext: ``{{ _("%(n)s items", n=3) }}``); the
    filters ``money``, ``number``, ``percent``, ``share``, ``year``, ``date`` and ``value``
    are those of :mod:`bilat.formats`; ``lang()`` is the current language.
    """
    import jinja2

    env = jinja2.Environment(extensions=["jinja2.ext.i18n"], **kwargs)
    env.install_gettext_callables(  # type: ignore[attr-defined]
        i18n.gettext, i18n.ngettext, newstyle=True
    )
    env.filters.update(formats.FILTERS)
    env.globals["lang"] = i18n.current
    return env
