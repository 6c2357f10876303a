"""The state file of a cache folder: which requests are done, so a rerun fetches only the rest.

``state.json`` maps a request key to what it produced (the response file, its record count,
or the keys of the smaller requests it was split into). It is rewritten atomically after
every completed request, under a file lock, so an interrupted fetch loses at most the
request that was in flight.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from filelock import FileLock

from bilat._files import write_atomic
from bilat.errors import ParseError

__all__ = ["FetchState"]


class FetchState:
    """Completed requests of one cache folder.

    Parameters
    ----------
    folder
        The cache folder; ``state.json`` and ``state.json.lock`` live there.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / "state.json"
        self._lock = FileLock(str(folder / "state.json.lock"))
        self._done: dict[str, dict[str, Any]] = self._read()

    def _read(self) -> dict[str, dict[str, Any]]:
        if not self.path.exists():
            return {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (ValueError, OSError) as exc:
            raise ParseError(
                f"the fetch state file is damaged ({exc})",
                path=self.path,
                hint="delete it to fetch everything again",
            ) from exc
        if not isinstance(data, dict) or not isinstance(data.get("done"), dict):
            raise ParseError(
                "the fetch state file has no 'done' object",
                path=self.path,
                hint="delete it to fetch everything again",
            )
        return dict(data["done"])

    def get(self, key: str) -> dict[str, Any] | None:
        """What a completed request produced, or ``None`` when it still has to be fetched.

        A request whose response file has gone missing counts as not done.
        """
        entry = self._done.get(key)
        if entry is None:
            return None
        name = entry.get("file")
        if name is not None and not (self.folder / name).is_file():
            return None
        return entry

    def put(self, key: str, entry: dict[str, Any]) -> None:
        """Record a completed request and write the state file atomically."""
        with self._lock:
            current = self._read()
            current[key] = entry
            self._done = current
            payload = json.dumps({"done": current}, indent=1, sort_keys=True)
            write_atomic(self.path, payload.encode("utf-8"))

    def write_file(self, name: str, data: bytes) -> Path:
        """Write a response file atomically into the folder; return its path."""
        dest = self.folder / name
        write_atomic(dest, data)
        return dest
