"""Fetch, then ingest: the downloads of :mod:`bilat.sources.fetch` stored in a lake."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bilat.sources.baci import read_baci
from bilat.sources.fetch.baci import BaciFetch, fetch_baci
from bilat.sources.fetch.comtrade import (
    ComtradeFetch,
    ComtradeQuery,
    RequestProgress,
    fetch_comtrade,
)
from bilat.sources.fetch.config import FetchConfig
from bilat.sources.fetch.http import Progress

if TYPE_CHECKING:
    from bilat.lake import IngestReport, Lake

__all__ = ["BaciAcquisition", "ComtradeAcquisition", "acquire_baci", "acquire_comtrade"]


@dataclass(frozen=True, slots=True)
class ComtradeAcquisition:
    """What a Comtrade fetch downloaded and what the lake made of it.

    Attributes
    ----------
    fetch
        The download: files, requests sent, cached, split, failed (:class:`ComtradeFetch`).
    ingested
        The lake's report per response file; empty when no lake was given or nothing arrived.
    """

    fetch: ComtradeFetch
    ingested: tuple[IngestReport, ...] = ()


@dataclass(frozen=True, slots=True)
class BaciAcquisition:
    """What a BACI fetch downloaded and what the lake made of it.

    Attributes
    ----------
    fetch
        The verified zip and the files taken from it (:class:`BaciFetch`).
    ingested
        The lake's report per yearly file; empty when no lake was given.
    """

    fetch: BaciFetch
    ingested: tuple[IngestReport, ...] = ()


def acquire_comtrade(
    query: ComtradeQuery,
    *,
    lake: Lake | None,
    key_env: str | None = None,
    config: FetchConfig | None = None,
    progress: RequestProgress | None = None,
) -> ComtradeAcquisition:
    """Fetch a dyad's declarations (:func:`~bilat.sources.fetch.fetch_comtrade`), then ingest
    every response file that arrived into ``lake`` (``None``: download only).

    What arrived is ingested even when some requests failed or the host went away; the
    result's ``fetch.failed`` and ``fetch.unreachable`` say what is missing (the same call
    again fetches only that). Errors: as :func:`~bilat.sources.fetch.fetch_comtrade`, and
    the lake's ingest errors.
    """
    fetched = fetch_comtrade(query, key_env=key_env, config=config, progress=progress)
    if lake is None or not fetched.files:
        return ComtradeAcquisition(fetched)
    return ComtradeAcquisition(fetched, tuple(lake.ingest_comtrade(list(fetched.files))))


def acquire_baci(
    release: str,
    hs: str,
    *,
    lake: Lake | None,
    years: Sequence[int] | None = None,
    config: FetchConfig | None = None,
    sha256: str | None = None,
    progress: Progress | None = None,
) -> BaciAcquisition:
    """Download a BACI release (:func:`~bilat.sources.fetch.fetch_baci`), then ingest it
    into ``lake`` (``None``: download only).

    With ``years`` only those years are ingested; all the years asked for are one ingest:
    they land together or not at all.
    """
    fetched = fetch_baci(release, hs, years=years, config=config, sha256=sha256, progress=progress)
    if lake is None:
        return BaciAcquisition(fetched)
    files = [
        f
        for member in fetched.members
        for f in read_baci(member, release=fetched.release, hs_rev=fetched.hs_rev)
    ]
    return BaciAcquisition(fetched, tuple(lake.ingest_files(files)))
