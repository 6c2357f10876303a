"""Download the CEPII GeoDist distances file, and find it again in the download cache.

The file is read by :func:`bilat.sources.geodist.read_geodist` (the gravity panel and mirror
reconciliation both use it); this module only downloads it and knows where it is kept.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from bilat.errors import NotFoundError
from bilat.sources.fetch.config import FetchConfig
from bilat.sources.fetch.http import Download, HttpClient, Progress

__all__ = ["fetch_geodist", "geodist_destination", "stored_geodist"]


def geodist_destination(config: FetchConfig | None = None) -> Path:
    """Where :func:`fetch_geodist` keeps the file: ``cache/geo/`` and the URL's file name."""
    cfg = config or FetchConfig.from_env()
    name = PurePosixPath(urlsplit(cfg.geodist_url).path).name or "dist_cepii"
    return cfg.cache_dir / "geo" / name


def stored_geodist(config: FetchConfig | None = None) -> Path:
    """The GeoDist file :func:`fetch_geodist` stored (the one of the configured URL first).

    Raises
    ------
    NotFoundError
        Nothing was downloaded yet: call :func:`fetch_geodist`, or give a file's path.
    """
    dest = geodist_destination(config)
    if dest.is_file():
        return dest
    folder = dest.parent
    found = sorted(
        p
        for p in (folder.glob("dist_cepii*") if folder.is_dir() else [])
        if p.is_file() and not p.name.endswith(".part")
    )
    if not found:
        raise NotFoundError(
            f"no GeoDist file in the download cache ({folder}); download it with "
            "fetch_geodist(), or give the path of a dist_cepii file",
            details={"path": str(folder)},
        )
    return found[0]


def fetch_geodist(
    *,
    config: FetchConfig | None = None,
    sha256: str | None = None,
    progress: Progress | None = None,
    force: bool = False,
) -> Download:
    """Download ``config.geodist_url`` to ``BILAT_HOME/cache/geo/`` (kept; not fetched twice).

    The file keeps its remote name (``dist_cepii.zip`` from CEPII;
    :func:`geodist_destination`). Pass ``force=True`` to download it again. A host that
    cannot be reached raises :class:`~bilat.errors.HostUnreachableError` at once (no
    retries).
    """
    cfg = config or FetchConfig.from_env()
    dest = geodist_destination(cfg)
    if dest.is_file() and not force:
        return Download(dest, dest.stat().st_size, "", 0, False)
    with HttpClient(cfg) as client:
        return client.download(cfg.geodist_url, dest, sha256=sha256, progress=progress)
