"""Where the fetchers go and how hard they try: one frozen :class:`FetchConfig`.

Every URL and endpoint path is configuration. The defaults are the public UN Comtrade and
CEPII addresses; each can be replaced by an environment variable (see ``docs/fetch.md``),
which is also how the tests point the fetchers at a local HTTP server.

========================  =====================================================  ==========
environment variable      meaning                                                default
========================  =====================================================  ==========
BILAT_COMTRADE_URL        base URL of the UN Comtrade API                        see below
BILAT_COMTRADE_PREVIEW    path of the public (keyless) endpoint                  see below
BILAT_COMTRADE_DATA       path of the keyed endpoint                             see below
BILAT_COMTRADE_PREVIEW_MAX  record limit of one keyless request                  500
BILAT_COMTRADE_DATA_MAX   record limit of one keyed request                      100000
BILAT_BACI_URL            URL template of a BACI release zip                     see below
BILAT_GEODIST_URL         URL of the CEPII GeoDist distances file                see below
BILAT_FETCH_RETRIES       attempts per request before giving up                  5
BILAT_FETCH_BACKOFF       first retry wait in seconds (doubles each time)        1.0
BILAT_FETCH_MAX_WAIT      longest single wait, also caps ``Retry-After``         120
BILAT_FETCH_TIMEOUT       seconds without network progress before a retry        60
========================  =====================================================  ==========
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from bilat._config import home
from bilat.errors import InputError

__all__ = ["FetchConfig"]

_DEFAULTS = {
    "comtrade_url": "https://comtradeapi.un.org",
    "comtrade_preview_path": "/public/v1/preview/C/A/HS",
    "comtrade_data_path": "/data/v1/get/C/A/HS",
    "baci_url": "https://www.cepii.fr/DATA_DOWNLOAD/baci/data/BACI_{hs}_{release}.zip",
    "geodist_url": "https://www.cepii.fr/distance/dist_cepii.zip",
}

_ENV = {
    "comtrade_url": "BILAT_COMTRADE_URL",
    "comtrade_preview_path": "BILAT_COMTRADE_PREVIEW",
    "comtrade_data_path": "BILAT_COMTRADE_DATA",
    "preview_max_records": "BILAT_COMTRADE_PREVIEW_MAX",
    "data_max_records": "BILAT_COMTRADE_DATA_MAX",
    "baci_url": "BILAT_BACI_URL",
    "geodist_url": "BILAT_GEODIST_URL",
    "retries": "BILAT_FETCH_RETRIES",
    "backoff": "BILAT_FETCH_BACKOFF",
    "max_wait": "BILAT_FETCH_MAX_WAIT",
    "timeout": "BILAT_FETCH_TIMEOUT",
}


@dataclass(frozen=True)
class FetchConfig:
    """How to reach the remote sources.

    Attributes
    ----------
    comtrade_url
        Base URL of the UN Comtrade API, without a trailing slash.
    comtrade_preview_path, comtrade_data_path
        Endpoint paths (appended to ``comtrade_url``) used without and with a subscription key.
    preview_max_records, data_max_records
        Records one request may return on each endpoint; a response that reaches the limit
        is taken as truncated and the request is split.
    baci_url
        URL template of a BACI release zip, with ``{hs}`` (``HS17``) and ``{release}``
        (``V202401``) placeholders.
    geodist_url
        URL of the CEPII GeoDist distance file.
    retries
        Attempts per request (the first one included) before :class:`~bilat.errors.FetchError`.
    backoff
        Seconds to wait before the second attempt; doubles at each further attempt.
    max_wait
        Longest single wait in seconds; a server's ``Retry-After`` is honoured up to it.
    timeout
        Seconds without network progress before an attempt counts as failed.
    cache_dir
        Where responses and downloads are kept (``BILAT_HOME/cache``).
    sleep
        The function used to wait (tests replace it to record waits instead of sleeping).
    """

    comtrade_url: str = _DEFAULTS["comtrade_url"]
    comtrade_preview_path: str = _DEFAULTS["comtrade_preview_path"]
    comtrade_data_path: str = _DEFAULTS["comtrade_data_path"]
    preview_max_records: int = 500
    data_max_records: int = 100_000
    baci_url: str = _DEFAULTS["baci_url"]
    geodist_url: str = _DEFAULTS["geodist_url"]
    retries: int = 5
    backoff: float = 1.0
    max_wait: float = 120.0
    timeout: float = 60.0
    cache_dir: Path = field(default_factory=lambda: home() / "cache")
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.retries < 1:
            raise InputError(f"retries must be at least 1, got {self.retries}")
        for name in ("backoff", "max_wait", "timeout"):
            if getattr(self, name) < 0:
                raise InputError(f"{name} must be zero or positive, got {getattr(self, name)}")
        for name in ("preview_max_records", "data_max_records"):
            if getattr(self, name) < 1:
                raise InputError(f"{name} must be at least 1, got {getattr(self, name)}")

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> FetchConfig:
        """The defaults, replaced by ``BILAT_*`` environment variables, then by ``overrides``."""
        source = os.environ if env is None else env
        values: dict[str, object] = {}
        for name, var in _ENV.items():
            raw = source.get(var)
            if raw is None or raw == "":
                continue
            values[name] = _parse(name, var, raw)
        values.update(overrides)
        config = cls()
        return replace(config, **values)  # type: ignore[arg-type]

    def comtrade_endpoint(self, *, keyed: bool) -> str:
        """Full URL of the Comtrade endpoint for keyed or keyless requests."""
        path = self.comtrade_data_path if keyed else self.comtrade_preview_path
        return self.comtrade_url.rstrip("/") + "/" + path.lstrip("/")

    def max_records(self, *, keyed: bool) -> int:
        """Record limit of one request on the keyed or keyless endpoint."""
        return self.data_max_records if keyed else self.preview_max_records


def _parse(name: str, var: str, raw: str) -> object:
    kind = type(getattr(FetchConfig(), name))
    if kind is str:
        return raw.strip()
    try:
        return kind(raw)
    except ValueError as exc:
        raise InputError(
            f"environment variable {var}={raw!r} is not a valid {kind.__name__}; "
            f"unset it or give a number"
        ) from exc
