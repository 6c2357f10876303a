"""Download a CEPII BACI release zip (streamed, verified, resumable; download only).

A release is one zip per HS revision (``BACI_HS17_V202401.zip``, several gigabytes): a CSV
per year plus the country and product tables. The zip is kept under
``BILAT_HOME/cache/baci``; a rerun finds it there and does not download it again. With
``years``, only those yearly members are extracted next to it. Ingesting them is
:func:`bilat.acquire.acquire_baci`'s work.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bilat.codes.hs import revision
from bilat.errors import InputError, NotFoundError
from bilat.sources.fetch.config import FetchConfig
from bilat.sources.fetch.http import Download, HttpClient, Progress

__all__ = ["BaciFetch", "baci_url", "fetch_baci"]

_RELEASE_RE = re.compile(r"^V\d{6}[A-Za-z]?$")
_YEAR_RE = re.compile(r"_Y(\d{4})_")


@dataclass(frozen=True)
class BaciFetch:
    """What a BACI fetch did.

    Attributes
    ----------
    url
        Where the release was downloaded from.
    download
        The verified zip (``attempts == 0`` when it was already in the cache).
    members
        The files to ingest: the yearly CSV files extracted when ``years`` was given, else
        the zip itself.
    release, hs_rev
        The release (``V202401``) and HS revision (``HS17``), normalised.
    """

    url: str
    download: Download
    members: tuple[Path, ...]
    release: str
    hs_rev: str


def baci_url(release: str, hs: str, *, config: FetchConfig | None = None) -> str:
    """The URL of a release zip: ``config.baci_url`` with ``{hs}`` and ``{release}`` filled."""
    rel, tag = _validate(release, hs)
    cfg = config or FetchConfig.from_env()
    return cfg.baci_url.format(hs=tag, release=rel)


def fetch_baci(
    release: str,
    hs: str,
    *,
    years: Sequence[int] | None = None,
    config: FetchConfig | None = None,
    sha256: str | None = None,
    progress: Progress | None = None,
) -> BaciFetch:
    """Download (or find in the cache) a BACI release zip and verify it.

    Parameters
    ----------
    release, hs
        ``V202401`` and ``HS17`` (``HS2017`` and ``H5`` are understood).
    years
        Extract only these years' CSV files next to the zip; all years (the zip) by default.
    sha256
        Expected checksum of the zip, when the user knows it.
    progress
        Called with (bytes done, total bytes) while downloading.

    Raises
    ------
    HostUnreachableError
        The host does not resolve or refuses the connection (offline?): at once, no retries.
    FetchError
        The download did not complete or verify after the retries (a rerun resumes it).
    NotFoundError
        ``years`` names years the release does not hold.
    """
    rel, tag = _validate(release, hs)
    cfg = config or FetchConfig.from_env()
    url = cfg.baci_url.format(hs=tag, release=rel)
    dest = cfg.cache_dir / "baci" / f"BACI_{tag}_{rel}.zip"
    if dest.is_file() and zipfile.is_zipfile(dest):
        download = Download(dest, dest.stat().st_size, "", 0, False)
    else:
        with HttpClient(cfg) as client:
            download = client.download(url, dest, sha256=sha256, progress=progress)
    members = _extract_years(dest, years) if years else (dest,)
    return BaciFetch(url, download, members, rel, tag)


def _validate(release: str, hs: str) -> tuple[str, str]:
    rel = release.strip().upper()
    if not _RELEASE_RE.match(rel):
        raise InputError(
            f"BACI release {release!r} is not of the form V202401 (V, year, month)",
            details={"value": release, "expected": "V202401"},
        )
    tag = revision(hs)
    if tag == "HS":
        raise InputError("a BACI release needs a definite HS revision such as HS17")
    return rel, tag


def _extract_years(zip_path: Path, years: Sequence[int]) -> tuple[Path, ...]:
    folder = zip_path.with_suffix("")
    folder.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(zip_path) as zf:
        by_year: dict[int, str] = {}
        for name in zf.namelist():
            m = _YEAR_RE.search(Path(name).name)
            if m and name.lower().endswith(".csv"):
                by_year[int(m.group(1))] = name
        missing = sorted(set(years) - set(by_year))
        if missing:
            have = f"{min(by_year)}-{max(by_year)}" if by_year else "none"
            raise NotFoundError(
                f"{zip_path.name} holds no year {', '.join(map(str, missing))}; "
                f"its years are {have}"
            )
        out = []
        for year in sorted(set(years)):
            name = by_year[year]
            dest = folder / Path(name).name
            if not dest.is_file():
                part = dest.with_name(dest.name + ".part")
                with zf.open(name) as src, part.open("wb") as dst:
                    shutil.copyfileobj(src, dst, 1 << 20)
                part.replace(dest)
            out.append(dest)
    return tuple(out)
