"""Published figures: official numbers of a case, compared with the lake's and the gap explained.

A case's ``claims.yaml`` may list, under ``published:``, figures an office published (the
turnover a ministry gave for a year), exact or as a bound ("more than one billion").
:func:`compare_published` sets each beside the lake figure of the same definition and splits
the gap into its known causes, with numbers where the lake can compute them:

- **valuation**: the lake figure converted to the publication's valuation (CIF or FOB) with a
  CIF/FOB margin the lake computes (the importer's own CIF and FOB values, or the fitted
  margin of :func:`bilat.trade.mirror.mirror_report` when a GeoDist file is given);
- **source**: what the publishing side itself declared against what the lake believes (the
  lake may rest on the partner's mirror declaration, or on a reconciled value);
- **coverage**: whether the lake covers the flow (a partial figure is never compared as if
  whole);
- **revisions**: earlier lake values of the same figure (the claims history) and replaced
  releases in the manifest.

What the causes leave is the **unexplained** residual. Layout and verdict rule:
``docs/claims.md``, "Published figures".
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Literal, Protocol, get_args

from bilat import formats
from bilat.claims._values import provenance_dict
from bilat.claims._values import read_date as _date
from bilat.claims._values import read_number as _number
from bilat.claims._values import read_text as _text
from bilat.claims._values import read_year as _year
from bilat.codes.countries import to_iso3
from bilat.errors import BilatError, NotFoundError, ValidationError
from bilat.trade import Dyad, Provenance

if TYPE_CHECKING:
    from bilat.lake import Lake
    from bilat.tradeview import Figure

__all__ = [
    "BOUNDS",
    "TOLERANCE_PCT",
    "VALUATIONS",
    "GapPart",
    "PublishedFigure",
    "PublishedResult",
    "compare_published",
    "read_published",
]

What = Literal["turnover", "exports", "imports"]
Valuation = Literal["fob", "cif", "mixed", "unknown"]
PublishedVerdict = Literal["consistent", "inconsistent", "undetermined"]
VALUATIONS: tuple[str, ...] = get_args(Valuation)
#: The keys a figure's value may be given under, and the comparison each means.
BOUNDS: dict[str, str] = {
    "value": "=",
    "at_least": ">=",
    "more_than": ">",
    "at_most": "<=",
    "less_than": "<",
}
#: A gap within this share of the published value (plus any revision held) is consistent.
TOLERANCE_PCT = 2.0

_KEYS = frozenset(
    {
        "id",
        "what",
        "year",
        *BOUNDS,
        "currency",
        "published_by",
        "valuation",
        "source",
        "published_on",
        "note",
    }
)
_NO_PROVENANCE = Provenance((), (), "no data")


@dataclass(frozen=True, slots=True)
class PublishedFigure:
    """One official figure of the case.

    Attributes
    ----------
    id
        Identifier, unique among the file's published figures.
    what
        ``turnover``, ``exports`` (A→B) or ``imports`` (A←B), in the case's dyad orientation.
    year
        The year the figure is for.
    value, bound
        The figure in US dollars and how it is given: ``value`` (exact), ``at_least``,
        ``more_than``, ``at_most`` or ``less_than`` (a publication giving only a bound).
    currency
        ``USD`` (the only one read for now).
    published_by
        The side (ISO3) whose office published it.
    valuation
        ``fob``, ``cif``, ``mixed`` (each flow at its publisher's convention: exports FOB,
        imports CIF, as IMTS 2010 asks of national statistics) or ``unknown``.
    source, published_on, note
        The document, the day it was published, free text.
    line
        Line of the entry in its file.
    """

    id: str
    what: What
    year: int
    value: float
    bound: str
    published_by: str
    valuation: Valuation
    currency: str = "USD"
    source: str | None = None
    published_on: dt.date | None = None
    note: str | None = None
    line: int | None = None

    def stated(self) -> str:
        """``"> 1,000,000,000 USD"`` or ``"1,234 USD"``."""
        op = BOUNDS[self.bound]
        shown = _usd(self.value)
        return shown if op == "=" else f"{op} {shown}"

    def holds(self, measured: float) -> bool:
        """Whether ``measured`` satisfies the figure's bound (exact: equality)."""
        op = BOUNDS[self.bound]
        return {
            "=": measured == self.value,
            ">=": measured >= self.value,
            ">": measured > self.value,
            "<=": measured <= self.value,
            "<": measured < self.value,
        }[op]


# --------------------------------------------------------------------------- reading


class _Reader(Protocol):
    """What :func:`read_published` needs of the claims file's reader (``claims.model``)."""

    def line(self, *keys: str | int) -> int | None: ...

    def fail(
        self, keys: tuple[str | int, ...], message: str, value: object, expected: str
    ) -> ValidationError: ...


def _usd(value: float | None) -> str:
    """``$1.2M`` (:func:`bilat.formats.money`, as :func:`bilat.claims.model.format_value`
    writes US dollars)."""
    if value is None or not math.isfinite(value):
        return "no value"
    return formats.money(value)


def read_published(r: _Reader, raw: Any, dyad: tuple[str, str]) -> tuple[PublishedFigure, ...]:
    """The ``published:`` list of a claims file (empty when absent), validated."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise r.fail(("published",), "'published' is a list", raw, "a list of figures")
    out = tuple(_figure(r, i, item, dyad) for i, item in enumerate(raw))
    seen: set[str] = set()
    for i, f in enumerate(out):
        if f.id in seen:
            raise r.fail(("published", i, "id"), "duplicate figure id", f.id, "ids unique")
        seen.add(f.id)
    return out


def _read_bound(
    r: _Reader, at: tuple[str | int, ...], item: Mapping[str, Any]
) -> tuple[str, float]:
    given = [k for k in BOUNDS if k in item]
    if len(given) != 1:
        raise r.fail(
            at if not given else (*at, given[1]),
            "a published figure has one value: exact, or one bound",
            " and ".join(given) if given else None,
            "one of " + ", ".join(BOUNDS),
        )
    value = _number(r, (*at, given[0]), item[given[0]])
    if value < 0:
        raise r.fail((*at, given[0]), "a trade value is not negative", value, "a number >= 0")
    return given[0], value


def _figure(r: _Reader, i: int, item: Any, dyad: tuple[str, str]) -> PublishedFigure:
    at: tuple[str | int, ...] = ("published", i)
    if not isinstance(item, Mapping):
        raise r.fail(at, "a published figure is a mapping", item, "id, what, year, value ...")
    unknown = sorted(set(map(str, item)) - _KEYS)
    if unknown:
        raise r.fail(
            (*at, unknown[0]), "unknown key", unknown[0], "one of " + ", ".join(sorted(_KEYS))
        )
    if not isinstance(item.get("id"), str) or not item["id"].strip():
        raise r.fail((*at, "id"), "'id' is required text", item.get("id"), "text")
    what = item.get("what")
    if what not in ("turnover", "exports", "imports"):
        raise r.fail((*at, "what"), "unknown figure", what, "turnover, exports or imports")
    if "year" not in item:
        raise r.fail(at, "'year' is required", None, "year: 2021")
    year = _year(r, (*at, "year"), item["year"])
    bound, value = _read_bound(r, at, item)
    publisher = _side(r, (*at, "published_by"), item.get("published_by"), dyad)
    currency = str(item.get("currency", "USD"))
    if currency.upper() != "USD":
        raise r.fail(
            (*at, "currency"),
            "only US dollars are read for now",
            currency,
            "USD (convert the figure, and say so in 'note')",
        )
    return PublishedFigure(
        id=item["id"],
        what=what,
        year=year,
        value=value,
        bound=bound,
        published_by=publisher,
        valuation=_valuation(r, (*at, "valuation"), item.get("valuation"), what, publisher, dyad),
        source=_text(r, (*at, "source"), item.get("source")),
        published_on=_date(r, (*at, "published_on"), item.get("published_on")),
        note=_text(r, (*at, "note"), item.get("note")),
        line=r.line(*at),
    )


def _side(r: _Reader, keys: tuple[str | int, ...], value: Any, dyad: tuple[str, str]) -> str:
    if value is None:
        raise r.fail(keys, "'published_by' is required", None, " or ".join(dyad))
    try:
        code = to_iso3(str(value))
    except BilatError:
        code = str(value)
    if code not in dyad:
        raise r.fail(keys, "the publisher must be one side of the dyad", value, " or ".join(dyad))
    return code


def _valuation(
    r: _Reader,
    keys: tuple[str | int, ...],
    value: Any,
    what: str,
    publisher: str,
    dyad: tuple[str, str],
) -> Valuation:
    """The figure's valuation; by default its publisher's IMTS 2010 convention."""
    if value is None:
        if what == "turnover":
            return "mixed"
        exporter = dyad[0] if what == "exports" else dyad[1]
        return "fob" if publisher == exporter else "cif"
    text = str(value).lower()
    if text not in VALUATIONS:
        raise r.fail(keys, "unknown valuation", value, " | ".join(VALUATIONS))
    out: Valuation = text  # type: ignore[assignment]
    return out


# --------------------------------------------------------------------------- comparing

#: The valuation of each source class's figures: declarations follow IMTS 2010 (exports
#: FOB, imports CIF); reconciled values (BACI) are FOB; a national file's is not recorded.
_CLASS_VALUATION: dict[str, str | None] = {
    "reconciled": "fob",
    "exporter": "fob",
    "importer": "cif",
    "national": None,
}
_ROLE_VALUATION = {"exporter": "fob", "importer": "cif"}


@dataclass(frozen=True, slots=True)
class GapPart:
    """One known cause of the gap between a published figure and the lake's.

    Attributes
    ----------
    cause
        ``valuation``, ``source``, ``coverage`` or ``revisions``.
    value_usd
        What the cause accounts for, in US dollars, signed toward the published figure
        (positive: the publication should be higher than the lake figure); ``None`` when the
        lake cannot compute it (``text`` says why).
    text
        The cause with its numbers, in words.
    counted
        Whether ``value_usd`` is part of the explained gap (``revisions`` is not: a revision
        widens the tolerance instead, since which release a publisher used is not known).
    """

    cause: str
    value_usd: float | None
    text: str
    counted: bool = True

    def to_dict(self) -> dict[str, Any]:
        return {
            "cause": self.cause,
            "value_usd": _finite(self.value_usd),
            "value_text": "not computed" if self.value_usd is None else _usd(self.value_usd),
            "text": self.text,
            "counted": self.counted,
        }


@dataclass(frozen=True, slots=True)
class PublishedResult:
    """A published figure beside the lake's, the gap and its causes, and the verdict.

    Attributes
    ----------
    figure
        The published figure.
    verdict
        ``consistent`` (the gap is explained within the tolerance, or the bound holds),
        ``inconsistent``, or ``undetermined`` (``reason`` says why).
    lake_usd
        The lake figure of the same definition; ``None`` when no source covers it.
    gap_usd, gap_pct
        Published minus lake, in US dollars and in percent of the published value.
    parts
        The known causes, with what each accounts for.
    unexplained_usd
        The gap less the counted causes; ``None`` when there is no lake figure.
    tolerance_usd
        The largest unexplained residual still consistent (see :data:`TOLERANCE_PCT`).
    reason
        The comparison in words.
    flows
        Each flow's lake figure with its basis and coverage.
    provenance
        Basis, manifest entries and files of the lake figure.
    """

    figure: PublishedFigure
    verdict: PublishedVerdict
    lake_usd: float | None
    gap_usd: float | None
    gap_pct: float | None
    parts: tuple[GapPart, ...]
    unexplained_usd: float | None
    tolerance_usd: float | None
    reason: str
    flows: tuple[str, ...] = ()
    provenance: Provenance = _NO_PROVENANCE

    _document_omit_: ClassVar[tuple[str, ...]] = ("figure", "provenance")

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data."""
        f = self.figure
        return {
            "id": f.id,
            "what": f.what,
            "year": f.year,
            "published": f.stated(),
            "value_usd": f.value,
            "bound": f.bound,
            "currency": f.currency,
            "published_by": f.published_by,
            "valuation": f.valuation,
            "source": f.source,
            "published_on": f.published_on.isoformat() if f.published_on else None,
            "note": f.note,
            "verdict": self.verdict,
            "lake_usd": _finite(self.lake_usd),
            "lake_text": _usd(self.lake_usd) if self.lake_usd is not None else "not available",
            "gap_usd": _finite(self.gap_usd),
            "gap_pct": _finite(self.gap_pct),
            "parts": [p.to_dict() for p in self.parts],
            "unexplained_usd": _finite(self.unexplained_usd),
            "tolerance_usd": _finite(self.tolerance_usd),
            "reason": self.reason,
            "flows": list(self.flows),
            "provenance": provenance_dict(self.provenance),
        }


def _finite(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None


@dataclass
class _Context:
    lake: Lake
    dyad: Dyad
    figure: PublishedFigure
    geodist: Path | None
    pinned: dict[str, Any] = field(default_factory=dict)

    def own(self, role: str) -> Any:
        """The summary of the dyad read from one class of declarations only."""
        if role not in self.pinned:
            d = Dyad(self.lake, self.dyad.a.code, self.dyad.b.code, basis=role)
            self.pinned[role] = d.summary(self.figure.year)
        return self.pinned[role]


@dataclass(frozen=True, slots=True)
class _Flow:
    name: str
    lake: Figure
    valuation: GapPart
    source: GapPart


def compare_published(
    lake: Lake,
    dyad: Dyad,
    figures: tuple[PublishedFigure, ...],
    *,
    history: Mapping[str, Any] | None = None,
    geodist: Path | None = None,
) -> tuple[PublishedResult, ...]:
    """Each published figure beside the lake figure of the same definition.

    ``history`` maps a figure's id to the earlier lake values of the same figure (see
    :func:`earlier_values`); ``geodist`` is a CEPII GeoDist file for the fitted CIF/FOB
    margin where the lake holds both declarations of a flow but no FOB value of the import.
    """
    return tuple(
        _compare(_Context(lake, dyad, f, geodist), (history or {}).get(f.id, ())) for f in figures
    )


def _compare(ctx: _Context, earlier: Any) -> PublishedResult:
    f = ctx.figure
    try:
        s = ctx.dyad.summary(f.year)
    except NotFoundError as exc:
        why = f"no data: {exc.message}"
        return PublishedResult(f, "undetermined", None, None, None, (), None, None, why)
    keys = ["exports", "imports"] if f.what == "turnover" else [f.what]
    flows = [_flow(ctx, s, k) for k in keys]
    lake_usd = None if any(x.lake.value_usd is None for x in flows) else _sum(flows)
    parts = (
        _sum_part("valuation", [x.valuation for x in flows]),
        _sum_part("source", [x.source for x in flows]),
        _coverage_part(flows),
        _revision_part(ctx, lake_usd, earlier),
    )
    texts = tuple(f"{x.name}: {x.lake.text()}" for x in flows)
    return _judge(f, lake_usd, parts, texts, s.provenance)


def _sum(flows: list[_Flow]) -> float:
    return sum(float(x.lake.value_usd or 0.0) for x in flows)


def _sum_part(cause: str, parts: list[GapPart]) -> GapPart:
    if len(parts) == 1:
        return parts[0]
    values = [p.value_usd for p in parts]
    total = None if any(v is None for v in values) else sum(float(v or 0.0) for v in values)
    return GapPart(cause, total, "; ".join(p.text for p in parts))


def _flow_names(ctx: _Context, key: str) -> tuple[str, str]:
    a, b = ctx.dyad.a.code, ctx.dyad.b.code
    return (a, b) if key == "exports" else (b, a)


def _flow(ctx: _Context, s: Any, key: str) -> _Flow:
    exporter, importer = _flow_names(ctx, key)
    name = f"{exporter}→{importer} {ctx.figure.year}"
    fig: Figure = s.figures[key]
    role = "exporter" if ctx.figure.published_by == exporter else "importer"
    target = _target(ctx.figure.valuation, role)
    ratio: tuple[float | None, str] | None = None
    if fig.value_usd is None:
        none = f"{name}: not computed (no lake figure)"
        return _Flow(name, fig, GapPart("valuation", None, none), GapPart("source", None, none))
    needed = any(_CLASS_VALUATION.get(p.klass) != target for p in fig.parts)
    if needed and target is not None:
        ratio = _margin(ctx, exporter, importer)
    valuation = _valuation_part(name, fig, target, ratio)
    source = _source_part(ctx, name, key, fig, role, target, ratio, valuation)
    return _Flow(name, fig, valuation, source)


def _target(valuation: str, role: str) -> str | None:
    if valuation in ("fob", "cif"):
        return valuation
    if valuation == "mixed":
        return _ROLE_VALUATION[role]
    return None


def _convert(value: float, frm: str, to: str, ratio: float) -> float:
    """``value`` valued ``frm`` as valued ``to``, ``ratio`` being CIF / FOB."""
    if frm == to:
        return value
    return value * ratio if to == "cif" else value / ratio


def _valuation_part(
    name: str, fig: Figure, target: str | None, ratio: tuple[float | None, str] | None
) -> GapPart:
    if target is None:
        return GapPart("valuation", None, f"{name}: the publication's valuation is not known")
    if ratio is None:
        return GapPart(
            "valuation", 0.0, f"{name}: the lake figure is valued {target.upper()} as published"
        )
    r, how = ratio
    if r is None:
        return GapPart("valuation", None, f"{name}: CIF/FOB margin not computed ({how})")
    total = 0.0
    for p in fig.parts:
        frm = _CLASS_VALUATION.get(p.klass)
        if frm is None:
            return GapPart("valuation", None, f"{name}: the valuation of {p.label} is not recorded")
        total += _convert(p.value_usd, frm, target, r) - p.value_usd
    text = (
        f"{name}: the lake figure valued {target.upper()} with a CIF/FOB ratio of "
        f"{formats.number(r, digits=4)} "
        f"({how}) changes by {_usd(total)}"
    )
    return GapPart("valuation", total, text)


def _source_part(
    ctx: _Context,
    name: str,
    key: str,
    fig: Figure,
    role: str,
    target: str | None,
    ratio: tuple[float | None, str] | None,
    valuation: GapPart,
) -> GapPart:
    who = ctx.figure.published_by
    declared = "export" if role == "exporter" else "import"
    believed = fig.basis_text()
    if fig.parts and all(p.klass == role for p in fig.parts):
        return GapPart("source", 0.0, f"{name}: the lake figure is {who}'s own {declared} "
                       f"declaration ({believed})")  # fmt: skip
    try:
        own: Figure = ctx.own(role).figures[key]
    except BilatError:
        return GapPart(
            "source", None, f"{name}: the lake rests on {believed}; it holds no {declared} "
            f"declaration of {who} for {ctx.figure.year}",
        )  # fmt: skip
    if own.value_usd is None or not own.coverage.full:
        why = "holds none" if own.value_usd is None else f"covers it only partly ({own.text()})"
        return GapPart(
            "source", None, f"{name}: the lake rests on {believed}; of {who}'s own {declared} "
            f"declaration it {why}",
        )  # fmt: skip
    own_v = own.value_usd
    if target is not None and target != _ROLE_VALUATION[role]:
        r = ratio[0] if ratio is not None else None
        if r is None:
            return GapPart(
                "source", None, f"{name}: {who}'s declaration is not valued as published"
            )
        own_v = _convert(own_v, _ROLE_VALUATION[role], target, r)
    if valuation.value_usd is None:
        return GapPart("source", None, f"{name}: {who} declared {_usd(own.value_usd)}"
                       f"; the lake rests on {believed}; valuation unknown")  # fmt: skip
    lake_v = float(fig.value_usd or 0.0) + valuation.value_usd
    diff = own_v - lake_v
    text = (
        f"{name}: {who} declared {_usd(own.value_usd)} ({declared}s); the lake "
        f"believes {believed}; at equal valuation the difference is {_usd(diff)}"
    )
    return GapPart("source", diff, text)


def _coverage_part(flows: list[_Flow]) -> GapPart:
    gaps = [f"{x.name} {x.lake.coverage.text()}" for x in flows if not x.lake.coverage.full]
    if not gaps:
        return GapPart("coverage", 0.0, "the lake covers every product of the flows")
    return GapPart(
        "coverage", None, "the lake does not cover all of the figure: " + "; ".join(gaps)
    )


def _margin(ctx: _Context, exporter: str, importer: str) -> tuple[float | None, str]:
    """The flow's CIF/FOB ratio and how it was found, or ``None`` and why not."""
    declared = _declared_ratio(ctx.lake, exporter, importer, ctx.figure.year)
    if declared is not None:
        return declared
    if ctx.geodist is None:
        return None, (
            f"{importer} declared no FOB value of its imports from {exporter} and no GeoDist "
            "file was given for the fitted margin (bilat claims check --geodist)"
        )
    return _fitted_ratio(ctx, ctx.geodist, exporter, importer)


def _declared_ratio(
    lake: Lake, exporter: str, importer: str, year: int
) -> tuple[float, str] | None:
    """Σ CIF / Σ FOB of the importer's own declarations that give both, at one HS level."""
    try:
        d = lake.declarations()
    except BilatError:
        return None
    t = d.filter(
        (d.year == year) & (d.reporter == importer) & (d.partner == exporter) & (d.flow == "M")
        & d.cif_usd.notnull() & d.fob_usd.notnull() & (d.fob_usd > 0)
    )  # fmt: skip
    rows = t.select("product", "cif_usd", "fob_usd").to_pandas()
    if rows.empty:
        return None
    rows["lvl"] = rows["product"].astype(str).str.len().where(rows["product"] != "TOTAL", 0)
    lvl = int(rows["lvl"].value_counts().sort_index().idxmax())
    at = rows[rows["lvl"] == lvl]
    cif, fob = float(at["cif_usd"].sum()), float(at["fob_usd"].sum())
    shown = "totals" if lvl == 0 else f"{len(at)} HS{lvl} codes"
    return cif / fob, (
        f"{importer}'s own CIF and FOB values of its imports from {exporter}, {shown}: "
        f"{_usd(cif)} CIF, {_usd(fob)} FOB"
    )


def _fitted_ratio(
    ctx: _Context, geodist: Path, exporter: str, importer: str
) -> tuple[float | None, str]:
    from bilat.trade.mirror import mirror_report

    year = ctx.figure.year
    try:
        rep = mirror_report(
            ctx.lake.declarations(), exporter, importer, geodist, level=6, years=[year]
        )
    except BilatError as exc:
        return None, f"the mirror margin model could not be fitted: {exc.message}"
    p = rep.products
    rows = p[(p["year"] == year) & (p["exporter"] == exporter) & (p["importer"] == importer)]
    rows = rows[rows["imports_declared_usd"].notna() & rows["imports_fob_usd"].notna()]
    fob = float(rows["imports_fob_usd"].sum())
    if rows.empty or fob <= 0:
        return None, f"{importer} declared no imports from {exporter} for the margin model"
    ratio = float(rows["imports_declared_usd"].sum()) / fob
    note = rep.notes[0] if rep.notes else "margin model of bilat mirror"
    return ratio, f"bilat mirror's fitted margins on {len(rows)} HS6 codes; {note}"


def earlier_values(
    lake: Lake, case: str | None, claims: tuple[Any, ...], figures: tuple[PublishedFigure, ...]
) -> dict[str, list[tuple[str, float, str]]]:
    """Per figure, the lake values recorded in the claims history for a claim of the same
    definition (same metric and year), as ``(checked_at, value, lake_version)``, oldest first.
    """
    from bilat.claims.history import read_history

    try:
        records = read_history(lake)
    except BilatError:
        return {}
    name = Path(case).parent.name if case else None
    out: dict[str, list[tuple[str, float, str]]] = {}
    for f in figures:
        same = [c.id for c in claims if c.metric == f.what and c.year == f.year]
        for rec in records:
            if (Path(rec.case).parent.name if rec.case else None) != name:
                continue
            for cid in same:
                v = rec.verdicts.get(cid, {}).get("measured")
                if isinstance(v, int | float):
                    out.setdefault(f.id, []).append((rec.checked_at, float(v), rec.lake_version))
    return out


def _revision_part(ctx: _Context, lake_usd: float | None, earlier: Any) -> GapPart:
    f = ctx.figure
    if lake_usd is not None:
        changed = [e for e in earlier if not math.isclose(e[1], lake_usd, rel_tol=1e-9)]
        if changed:
            when, value, version = changed[-1]
            diff = lake_usd - value
            return GapPart(
                "revisions",
                diff,
                f"the lake gave {_usd(value)} on {when} (lake version "
                f"{version}); it now gives {_usd(lake_usd)}: revised by "
                f"{_usd(diff)}",
                counted=False,
            )
    replaced = [
        e for e in ctx.lake.manifest(include_replaced=True) if not e.active and f.year in e.years
    ]
    if replaced:
        names = ", ".join(
            f"{e.source} {e.release or e.path} (by {e.replaced_by})" for e in replaced
        )
        return GapPart(
            "revisions",
            None,
            f"releases for {f.year} were replaced in the lake ({names}); the replaced values "
            "are not read, so the revision is not computed",
            counted=False,
        )
    return GapPart("revisions", None, "no revision information held", counted=False)


def _judge(
    f: PublishedFigure,
    lake_usd: float | None,
    parts: tuple[GapPart, ...],
    flows: tuple[str, ...],
    prov: Provenance,
) -> PublishedResult:
    def result(verdict: PublishedVerdict, reason: str, **kw: Any) -> PublishedResult:
        return PublishedResult(f, verdict, lake_usd, parts=parts, reason=reason, flows=flows,
                               provenance=prov, **kw)  # fmt: skip

    if lake_usd is None:
        why = next(p.text for p in parts if p.cause == "coverage")
        return result("undetermined", f"no lake figure to compare: {why}", gap_usd=None,
                      gap_pct=None, unexplained_usd=None, tolerance_usd=None)  # fmt: skip
    explained = sum(p.value_usd or 0.0 for p in parts if p.counted)
    estimate = lake_usd + explained
    gap = f.value - lake_usd
    revision = next((abs(p.value_usd or 0.0) for p in parts if p.cause == "revisions"), 0.0)
    tol = TOLERANCE_PCT / 100.0 * f.value + revision
    numbers = {
        "gap_usd": gap,
        "gap_pct": gap * 100.0 / f.value if f.value else None,
        "unexplained_usd": f.value - estimate,
        "tolerance_usd": tol,
    }
    missing = [p for p in parts if p.counted and p.value_usd is None]
    verdict, reason = (_bound if f.bound != "value" else _exact)(
        f, lake_usd, estimate, tol, missing
    )
    return result(verdict, reason, **numbers)


_Judged = tuple[PublishedVerdict, str]


def _explained(lake_usd: float, estimate: float) -> str:
    shown = _usd(lake_usd)
    if math.isclose(estimate, lake_usd):
        return f"the lake gives {shown}"
    return f"the lake gives {shown}, {_usd(estimate)} once the computed causes are applied"


def _exact(
    f: PublishedFigure, lake_usd: float, estimate: float, tol: float, missing: list[GapPart]
) -> _Judged:
    said = f"{f.published_by} published {f.stated()}; {_explained(lake_usd, estimate)}"
    rest = f.value - estimate
    if any(p.cause == "coverage" for p in missing):
        return "undetermined", f"{said}, but {missing[0].text}"
    if abs(rest) <= tol:
        return "consistent", (
            f"{said}: the unexplained {_usd(rest)} is within the tolerance of {_usd(tol)}"
        )
    if missing:
        names = ", ".join(p.cause for p in missing)
        return "undetermined", (
            f"{said}: {_usd(rest)} is unexplained, beyond the tolerance of "
            f"{_usd(tol)}, and the lake cannot compute the {names} part"
        )
    return "inconsistent", (
        f"{said}: {_usd(rest)} is unexplained by valuation and source, beyond "
        f"the tolerance of {_usd(tol)}"
    )


def _bound(
    f: PublishedFigure, lake_usd: float, estimate: float, tol: float, missing: list[GapPart]
) -> _Judged:
    said = f"{f.published_by} published {f.stated()}; {_explained(lake_usd, estimate)}"
    lower = BOUNDS[f.bound] in (">", ">=")
    partial = any(p.cause == "coverage" for p in missing)
    if f.holds(estimate) and (not partial or lower):
        extra = " (the lake covers only part of the figure, so the whole is larger still)"
        return "consistent", f"{said}, which satisfies the bound" + (extra if partial else "")
    if partial:
        return "undetermined", f"{said}, but {next(p.text for p in missing)}"
    short = _usd(abs(estimate - f.value))
    if abs(estimate - f.value) <= tol:
        return "undetermined", (
            f"{said}, which misses the bound by {short}, within the tolerance of {_usd(tol)}"
        )
    if missing:
        names = " and ".join(p.cause for p in missing)
        return "undetermined", (
            f"{said}, which misses the bound by {short}; the lake cannot compute the {names} "
            "part of the gap, so it is not judged"
        )
    return "inconsistent", f"{said}, which does not satisfy the bound"
