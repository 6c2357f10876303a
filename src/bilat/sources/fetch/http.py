"""HTTP with patience: retries with backoff, ``Retry-After``, resumable streamed downloads.

Transient failures are retried up to :attr:`FetchConfig.retries` attempts: HTTP 429 (waiting
what ``Retry-After`` asks, up to ``max_wait``), HTTP 5xx, dropped or timed-out connections
and truncated bodies. Other HTTP errors (400, 401, 404 ...) are not transient and fail at
once with a :class:`~bilat.errors.FetchError` naming the URL and the status. A host whose
name does not resolve, that refuses the connection or has no route is not retried either
(offline, or a wrong address): :class:`~bilat.errors.HostUnreachableError` at once.

Downloads stream to ``<dest>.part`` and continue from its size with a ``Range`` request
after a drop; the file is renamed into place only after it was verified (size, checksum when
known, and a CRC check of every member for zip archives).
"""

from __future__ import annotations

import email.utils
import errno
import hashlib
import json
import socket
import time
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import httpx

from bilat.errors import FetchError, HostUnreachableError
from bilat.sources.fetch.config import FetchConfig

__all__ = ["Download", "HttpClient", "Progress"]

#: Progress callback: ``(bytes done, total bytes or None)``.
Progress = Callable[[int, int | None], None]

_CHUNK = 1 << 20
_T = TypeVar("_T")


class _Transient(Exception):
    """An attempt failed in a way worth retrying; ``wait`` overrides the backoff."""

    def __init__(self, reason: str, wait: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.wait = wait


@dataclass(frozen=True)
class Download:
    """A verified file on disk.

    Attributes
    ----------
    path
        Where the file is.
    bytes
        Its size in bytes.
    sha256
        Hex SHA-256 of its content.
    attempts
        HTTP attempts it took (1 when it arrived at once, 0 when it was already cached).
    resumed
        Whether a partial download was continued with a ``Range`` request.
    """

    path: Path
    bytes: int
    sha256: str
    attempts: int
    resumed: bool


class HttpClient:
    """An ``httpx.Client`` with bilat's retry policy.

    Parameters
    ----------
    config
        Timeouts, retries and backoff.
    headers
        Sent with every request (for example an API subscription key).
    """

    def __init__(self, config: FetchConfig, *, headers: Mapping[str, str] | None = None) -> None:
        self.config = config
        self.attempts = 0
        #: Bytes of response bodies received so far by this client (for progress reports).
        self.bytes_received = 0
        self._client = httpx.Client(
            timeout=httpx.Timeout(config.timeout),
            headers={"User-Agent": "bilat-fetch", **dict(headers or {})},
            follow_redirects=True,
        )

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection pool."""
        self._client.close()

    # ------------------------------------------------------------------ JSON
    def get_json(self, url: str, params: Mapping[str, str] | None = None) -> dict[str, Any]:
        """GET a JSON object, retrying transient failures.

        Raises
        ------
        FetchError
            After the last attempt, or at once on a non-transient HTTP error.
        """

        def attempt() -> dict[str, Any]:
            response = self._send("GET", url, params=params)
            self.bytes_received += len(response.content)
            try:
                data = json.loads(response.content)
            except ValueError as exc:
                raise _Transient(f"the body is not complete JSON ({exc})") from exc
            if not isinstance(data, dict):
                raise FetchError(
                    f"{url} answered with JSON that is not an object; expected an API response"
                )
            return data

        return self._retry(str(httpx.URL(url, params=params)), attempt)

    # ------------------------------------------------------------------ files
    def download(
        self,
        url: str,
        dest: Path,
        *,
        sha256: str | None = None,
        progress: Progress | None = None,
    ) -> Download:
        """Stream ``url`` to ``dest``, resuming a ``.part`` file left by an earlier attempt.

        A zip archive (by name) is opened and every member's CRC checked before the file is
        put in place; a damaged archive is removed and fetched again from the start.
        """
        dest.parent.mkdir(parents=True, exist_ok=True)
        part = dest.with_name(dest.name + ".part")
        resumed = False

        def attempt() -> Download:
            nonlocal resumed
            offset = part.stat().st_size if part.exists() else 0
            resumed = resumed or offset > 0
            self._stream_to(url, part, offset, progress)
            try:
                digest = _verify(part, url, sha256)
            except _Transient:
                part.unlink(missing_ok=True)
                raise
            part.replace(dest)
            return Download(dest, dest.stat().st_size, digest, self.attempts, resumed)

        self.attempts = 0
        return self._retry(url, attempt)

    def _stream_to(self, url: str, part: Path, offset: int, progress: Progress | None) -> None:
        headers = {"Range": f"bytes={offset}-"} if offset else {}
        self.attempts += 1
        try:
            with self._client.stream("GET", url, headers=headers) as response:
                if response.status_code == 416 and offset:  # the .part is already complete
                    return
                _raise_for_status(url, response)
                total = _total_size(response, offset)
                append = offset > 0 and response.status_code == 206
                done = offset if append else 0
                with part.open("ab" if append else "wb") as fh:
                    for chunk in response.iter_bytes():
                        fh.write(chunk)
                        done += len(chunk)
                        self.bytes_received += len(chunk)
                        if progress is not None:
                            progress(done, total)
                if total is not None and done < total:
                    raise _Transient(f"the body ended after {done} of {total} bytes")
        except httpx.TransportError as exc:
            raise _transport_failure(url, exc) from exc

    # ------------------------------------------------------------------ core
    def _send(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        self.attempts += 1
        try:
            response = self._client.request(method, url, **kwargs)
        except httpx.TransportError as exc:
            shown = str(httpx.URL(url, params=kwargs.get("params")))
            raise _transport_failure(shown, exc) from exc
        _raise_for_status(url, response)
        return response

    def _retry(self, url: str, attempt: Callable[[], _T]) -> _T:
        reasons: list[str] = []
        for n in range(1, self.config.retries + 1):
            try:
                return attempt()
            except _Transient as exc:
                reasons.append(exc.reason)
                if n == self.config.retries:
                    break
                backoff = self.config.backoff * 2 ** (n - 1)
                wait = exc.wait if exc.wait is not None else backoff
                self.config.sleep(min(wait, self.config.max_wait))
        raise FetchError(
            f"{url} failed after {self.config.retries} attempts (last: {reasons[-1]}); "
            "run the same command again to resume, or raise BILAT_FETCH_RETRIES",
            details={"url": url, "attempts": self.config.retries, "reasons": reasons},
        )


_NO_ROUTE = {errno.ECONNREFUSED, errno.ENETUNREACH, errno.EHOSTUNREACH}


def _transport_failure(url: str, exc: httpx.TransportError) -> Exception:
    """What a failed connection means: :class:`HostUnreachableError` when retrying cannot
    help (the name does not resolve, the connection is refused, no route), else a retry."""
    reason = _unreachable_reason(exc)
    if reason is None:
        return _Transient(f"{type(exc).__name__}: {exc}")
    parts = httpx.URL(url)
    host = parts.host + (f":{parts.port}" if parts.port else "")
    return HostUnreachableError(
        f"cannot reach {host} (offline?): {reason}, for {url}. Check the network connection "
        "(or the BILAT_*_URL setting, if the address is wrong) and run the same command again",
        details={"url": url, "host": host, "reason": reason},
    )


def _unreachable_reason(exc: BaseException) -> str | None:
    seen: set[int] = set()
    todo: list[object] = [exc]
    while todo:
        item = todo.pop()
        if not isinstance(item, BaseException) or id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, socket.gaierror):
            return f"the name does not resolve ({item.strerror or item})"
        if isinstance(item, OSError) and item.errno in _NO_ROUTE:
            return f"the connection failed ({item.strerror or item})"
        todo.extend([item.__cause__, item.__context__, *item.args])
    return None


def _raise_for_status(url: str, response: httpx.Response) -> None:
    code = response.status_code
    if code < 400:
        return
    if code == 429:
        raise _Transient("HTTP 429 Too Many Requests", wait=_retry_after(response))
    if code >= 500:
        raise _Transient(f"HTTP {code}", wait=_retry_after(response))
    hint = {
        401: "the API key was refused: check the subscription key in its environment variable",
        403: "access denied: this request may need a UN Comtrade subscription key",
        404: "no such address: check the BILAT_*_URL settings and the release name",
    }.get(code, "the request was refused")
    raise FetchError(
        f"{url} answered HTTP {code}: {hint}",
        details={"url": url, "status": code, "body": response.text[:500] if code != 404 else ""},
    )


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _total_size(response: httpx.Response, offset: int) -> int | None:
    if response.status_code == 206:
        rng = response.headers.get("Content-Range", "")
        total = rng.rpartition("/")[2]
        return int(total) if total.isdigit() else None
    length = response.headers.get("Content-Length")
    return int(length) if length and length.isdigit() else None


def _verify(path: Path, url: str, sha256: str | None) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    hexdigest = digest.hexdigest()
    if sha256 is not None and hexdigest != sha256.lower():
        raise _Transient(f"checksum mismatch: got {hexdigest}, expected {sha256}")
    if url.lower().split("?")[0].endswith(".zip"):
        try:
            with zipfile.ZipFile(path) as zf:
                bad = zf.testzip()
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise _Transient(f"the zip archive is damaged or truncated ({exc})") from exc
        if bad is not None:
            raise _Transient(f"the zip member {bad} fails its CRC check")
    return hexdigest
