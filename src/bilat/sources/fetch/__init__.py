"""Fetchers: UN Comtrade (API), CEPII BACI (release zips), CEPII GeoDist. They only download.

Every URL is configuration (:class:`FetchConfig`, ``BILAT_*`` environment variables); every
download is cached under ``BILAT_HOME/cache`` and resumable; transient failures (HTTP 429
with ``Retry-After``, 5xx, dropped connections, truncated files) are retried with backoff.
Ingesting what arrived is :mod:`bilat.acquire`'s work; this package imports no lake.
"""

from __future__ import annotations

from bilat.sources.fetch.baci import BaciFetch, baci_url, fetch_baci
from bilat.sources.fetch.comtrade import (
    ComtradeFetch,
    ComtradeQuery,
    ComtradeRequest,
    FailedRequest,
    comtrade_code,
    fetch_comtrade,
    plan_requests,
)
from bilat.sources.fetch.config import FetchConfig
from bilat.sources.fetch.geodist import fetch_geodist, geodist_destination, stored_geodist
from bilat.sources.fetch.http import Download, HttpClient

__all__ = [
    "BaciFetch",
    "ComtradeFetch",
    "ComtradeQuery",
    "ComtradeRequest",
    "Download",
    "FailedRequest",
    "FetchConfig",
    "HttpClient",
    "baci_url",
    "comtrade_code",
    "fetch_baci",
    "fetch_comtrade",
    "fetch_geodist",
    "geodist_destination",
    "plan_requests",
    "stored_geodist",
]
