"""The web app: a dashboard and JSON API for a commission's secretariat, with accounts.

``bilat serve`` starts it; :func:`create_app` builds it (FastAPI). Pages are rendered on the
server (Jinja2, charts as inline SVG, no JavaScript needed); every page's data is also at
``/api/...`` with the OpenAPI schema at ``/api/openapi.json``. See ``docs/web.md``.
"""

from __future__ import annotations

from bilat.web.accounts import ROLES, Accounts, Role, User
from bilat.web.app import create_app
from bilat.web.errors import error_body
from bilat.web.settings import Settings

__all__ = ["ROLES", "Accounts", "Role", "Settings", "User", "create_app", "error_body"]
