"""Download the CEPII GeoDist distances file that the gravity model uses."""

from __future__ import annotations

from pathlib import PurePosixPath
from urllib.parse import urlsplit

from bilat.sources.fetch.config import FetchConfig
from bilat.sources.fetch.http import Download, HttpClient, Progress

__all__ = ["fetch_geodist"]


def fetch_geodist(
    *,
    config: FetchConfig | None = None,
    sha256: str | None = None,
    progress: Progress | None = None,
    force: bool = False,
) -> Download:
    """Download ``config.geodist_url`` to ``BILAT_HOME/cache/geo/`` (kept; not fetched twice).

    The file keeps its remote name (``dist_cepii.zip`` from CEPII). Pass ``force=True`` to
    download it again. A host that cannot be reached raises
    :class:`~bilat.errors.HostUnreachableError` at once (no retries).
    """
    cfg = config or FetchConfig.from_env()
    name = PurePosixPath(urlsplit(cfg.geodist_url).path).name or "dist_cepii"
    dest = cfg.cache_dir / "geo" / name
    if dest.is_file() and not force:
        return Download(dest, dest.stat().st_size, "", 0, False)
    with HttpClient(cfg) as client:
        return client.download(cfg.geodist_url, dest, sha256=sha256, progress=progress)
