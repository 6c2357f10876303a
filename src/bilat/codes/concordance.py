"""Convert product codes and values between HS revisions (HS2022 ↔ HS2017 ↔ HS2012 ...).

A :class:`Concordance` is the set of *links* between the 6-digit codes of two revisions, as
the UN Statistics Division publishes them in its correlation tables: one-to-one,
many-to-one (several old codes merged into one), one-to-many (a code split) and
many-to-many. The tables cannot ship with bilat; the user points at a file:

>>> c = Concordance.from_unsd_xlsx("unsd-hs2022-hs2017-correlation.xlsx")  # doctest: +SKIP
>>> c.source_rev, c.target_rev                                             # doctest: +SKIP
('HS22', 'HS17')

Conversion moves each value from its source code to the linked target codes. A source code
linked to one target keeps its whole value; a source code linked to several targets shares
it by the *split rule*: ``"equal"`` (each target gets ``1/n``), or weights the user gives
(``{target: weight}``, for example world trade by target code, or ``{(source, target):
weight}`` per link, like the Harvard Growth Lab conversion weights). Shares of a source code
always sum to one, so the total value is conserved. Codes of level 4 and 2 convert through
links derived from the 6-digit ones (see :meth:`Concordance.shares`).

Three entry points: :meth:`Concordance.convert` (Arrow or pandas), :func:`convert_flows`
(an Ibis table such as ``lake.flows()``, lazily, on any backend), and :func:`chain` to pick
the sequence of concordances (or their inverses) that reaches a target revision.
"""

from __future__ import annotations

import csv
import gzip
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeAlias, get_args

import pyarrow as pa

from bilat.codes.hs import TOTAL, revision
from bilat.errors import InputError, ParseError, SchemaError

if TYPE_CHECKING:
    import ibis.expr.types as ir
    import pandas as pd

__all__ = [
    "ADDITIVE_COLUMNS",
    "SPLIT_RULES",
    "UNSTATED",
    "Concordance",
    "ConversionReport",
    "SplitRule",
    "Unstated",
    "Weights",
    "chain",
    "convert_flows",
    "load_concordance",
]

SplitRule = Literal["equal"]
#: Named split rules; weights are given as a mapping instead of a name.
SPLIT_RULES: tuple[str, ...] = get_args(SplitRule)

Unstated = Literal["error", "keep"]
#: What :func:`convert_flows` does with rows of unstated revision (``HS``).
UNSTATED: tuple[str, ...] = get_args(Unstated)

#: Weights for one-to-many splits: by target code, or by ``(source, target)`` link.
Weights: TypeAlias = Mapping[str, float] | Mapping[tuple[str, str], float]

_LEVELS = (2, 4, 6)
#: Columns shared out by the split shares (those present in a table); the first is required.
ADDITIVE_COLUMNS: tuple[str, ...] = (
    "value_usd",
    "quantity",
    "cif_usd",
    "fob_usd",
    "qty",
    "net_kg",
)
_REL_RE = re.compile(r"^(?:from|to)?\s*", re.IGNORECASE)
_TABULATED_RE = re.compile(r"^HS(\d)_6d$", re.IGNORECASE)


@dataclass(frozen=True)
class ConversionReport:
    """What a conversion did.

    Attributes
    ----------
    source_rev, target_rev
        Revision tags (``HS22`` ...) converted from and to.
    rows_in, rows_out
        Rows before and after (a split adds rows; merged codes are summed into one row).
    value_in, value_out
        Sum of the value column before and after, in its unit (US dollars for flows); equal
        up to rounding, since shares of every source code sum to one.
    split_codes
        Source codes present in the input whose value was shared among several targets.
    unmatched_codes
        Source codes that are not in the concordance; kept unchanged.
    rule
        ``"equal"`` or ``"weights"``.
    """

    source_rev: str
    target_rev: str
    rows_in: int
    rows_out: int
    value_in: float
    value_out: float
    split_codes: tuple[str, ...]
    unmatched_codes: tuple[str, ...]
    rule: str


@dataclass(frozen=True)
class Concordance:
    """Links between the 6-digit codes of two HS revisions.

    Attributes
    ----------
    source_rev, target_rev
        Revision tags (see :func:`bilat.codes.hs.revision`), e.g. ``HS22`` → ``HS17``.
    links
        Source code → the target codes it is linked to (sorted, at least one).
    path
        The file the links were read from (``None`` when built in memory).
    """

    source_rev: str
    target_rev: str
    links: Mapping[str, tuple[str, ...]]
    path: Path | None = None
    _fanin: Mapping[str, int] = field(default_factory=dict, repr=False, compare=False)

    # ------------------------------------------------------------------ construction
    @classmethod
    def from_links(
        cls,
        pairs: Iterable[tuple[str, str]],
        *,
        source_rev: str,
        target_rev: str,
        path: Path | None = None,
    ) -> Concordance:
        """Build a concordance from ``(source code, target code)`` pairs of 6-digit codes."""
        src, tgt = revision(source_rev), revision(target_rev)
        if src == tgt:
            raise InputError(f"a concordance needs two different revisions, got {src} twice")
        grouped: dict[str, set[str]] = defaultdict(set)
        fanin: dict[str, int] = defaultdict(int)
        for s, t in pairs:
            if t not in grouped[s]:
                grouped[s].add(t)
                fanin[t] += 1
        if not grouped:
            raise InputError(
                f"concordance {path or ''} has no links; expected rows of source and target codes"
            )
        links = {s: tuple(sorted(ts)) for s, ts in sorted(grouped.items())}
        return cls(src, tgt, links, path, dict(fanin))

    @classmethod
    def from_unsd_xlsx(cls, path: str | Path, *, sheet: str | None = None) -> Concordance:
        """Read a UNSD correlation table (xlsx), e.g. ``HS2022-HS2017``.

        The workbook's correlation sheet has a header row naming the two revisions
        (``HS2022``, ``HS2017``) and, usually, a ``Relationship`` column (``1:1``, ``n:1``,
        ``1:n``, ``n:n``). Without ``sheet``, the first sheet with a ``Relationship``
        column is used, else the first sheet.

        Raises
        ------
        ParseError
            The file is not a readable xlsx workbook, or a code cell is not an HS code.
        SchemaError
            No header row naming two HS revisions was found.
        """
        import openpyxl

        p = Path(path)
        try:
            wb = openpyxl.load_workbook(p, read_only=True, data_only=True)
        except FileNotFoundError as exc:
            raise InputError(f"concordance file {p} does not exist") from exc
        except Exception as exc:  # openpyxl raises several unrelated types
            raise ParseError(
                f"cannot read as an xlsx workbook: {exc}",
                path=p,
                hint="export the UNSD correlation table as .xlsx or .csv",
            ) from exc
        try:
            ws = _pick_sheet(wb, sheet, p)
            rows = [tuple(r) for r in ws.iter_rows(values_only=True)]
        finally:
            wb.close()
        return cls._from_rows(rows, p, ws.title)

    @classmethod
    def from_csv(
        cls,
        path: str | Path,
        *,
        source_rev: str | None = None,
        target_rev: str | None = None,
    ) -> Concordance:
        """Read a tabulated concordance (CSV, optionally gzipped).

        Two layouts are understood: a UNSD-style header whose first two columns name the
        revisions (``HS2022,HS2017[,Relationship]``), and the tabulated layout of the
        *concordance* R package (``HS6_6d,HS6_4d,HS6_2d,HS5_6d,...``, where ``HS6`` is the
        Comtrade classification H6 = HS 2022). ``source_rev``/``target_rev`` override what
        the header says (needed for a plain ``from,to`` header).
        """
        p = Path(path)
        if not p.is_file():
            raise InputError(f"concordance file {p} does not exist")
        opener = gzip.open if p.suffix == ".gz" else open
        try:
            with opener(p, "rt", encoding="utf-8-sig", newline="") as fh:
                rows: list[tuple[Any, ...]] = [tuple(r) for r in csv.reader(fh)]
        except (UnicodeDecodeError, OSError, csv.Error) as exc:
            raise ParseError(f"cannot read as CSV text: {exc}", path=p) from exc
        if rows and any(_TABULATED_RE.match(str(h).strip()) for h in rows[0]):
            rows = _tabulated_to_pairs(rows, p)
        return cls._from_rows(rows, p, None, source_rev=source_rev, target_rev=target_rev)

    @classmethod
    def _from_rows(
        cls,
        rows: Sequence[tuple[Any, ...]],
        path: Path,
        sheet: str | None,
        *,
        source_rev: str | None = None,
        target_rev: str | None = None,
    ) -> Concordance:
        where = f"{path}" + (f" (sheet {sheet!r})" if sheet else "")
        header_at, revs = _find_header(rows)
        if header_at is None and (source_rev is None or target_rev is None):
            raise SchemaError(
                "no header row naming two HS revisions (such as 'HS2022', 'HS2017')",
                path=where,
                hint="pass source_rev= and target_rev=, or add such a header",
            )
        src = source_rev or revs[0]
        tgt = target_rev or revs[1]
        start = 0 if header_at is None else header_at + 1
        if header_at is None and rows and not str(rows[0][0] or "").strip().isdigit():
            start = 1  # a header with other names ("from,to"): revisions given by the caller
        pairs = []
        for i, row in enumerate(rows[start:], start=start + 1):
            if len(row) < 2 or (row[0] in (None, "") and row[1] in (None, "")):
                continue
            s = _code6(row[0], where, i, "source")
            t = _code6(row[1], where, i, "target")
            pairs.append((s, t))
        return cls.from_links(pairs, source_rev=src, target_rev=tgt, path=path)

    # ------------------------------------------------------------------ structure
    def inverse(self) -> Concordance:
        """The same links read the other way (``HS17`` → ``HS22`` from ``HS22`` → ``HS17``)."""
        pairs = ((t, s) for s, ts in self.links.items() for t in ts)
        return Concordance.from_links(
            pairs, source_rev=self.target_rev, target_rev=self.source_rev, path=self.path
        )

    def relationship(self, code: str) -> str:
        """UNSD's relationship label of a 6-digit source code: ``1:1``, ``n:1``, ``1:n``, ``n:n``."""
        targets = self.links.get(code)
        if targets is None:
            raise InputError(
                f"HS code {code!r} is not a {self.source_rev} code of this concordance",
                details={"value": code, "path": str(self.path)},
            )
        many_out = len(targets) > 1
        many_in = any(self._fanin.get(t, 0) > 1 for t in targets)
        return f"{'n' if many_in else '1'}:{'n' if many_out else '1'}"

    def shares(
        self, level: int = 6, *, rule: SplitRule | Weights = "equal"
    ) -> dict[str, dict[str, float]]:
        """Share of each source code's value that goes to each target code.

        At level 6 the shares come from the links and the split rule. At level 4 (or 2) a
        heading's value is taken as spread equally over its 6-digit subheadings in the
        table, each of which splits by the rule; the heading's share to a target heading is
        the sum over those paths. Weights keyed by target code at that level then reweight
        the shares (``share × weight``, renormalised). Shares of every source sum to one.
        """
        if level not in _LEVELS:
            raise InputError(f"level must be one of 2, 4, 6, got {level!r}")
        weights = _validate_rule(rule)
        six = self._shares6(weights if level == 6 else None)
        if level == 6:
            return six
        acc: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        counts: dict[str, int] = defaultdict(int)
        for s in six:
            counts[s[:level]] += 1
        for s, ts in six.items():
            head = s[:level]
            for t, w in ts.items():
                acc[head][t[:level]] += w / counts[head]
        out = {s: dict(ts) for s, ts in acc.items()}
        if weights is None:
            return out
        return {s: _reweight(s, ts, weights) for s, ts in out.items()}

    def _shares6(self, weights: Weights | None) -> dict[str, dict[str, float]]:
        out: dict[str, dict[str, float]] = {}
        for s, ts in self.links.items():
            if len(ts) == 1:
                out[s] = {ts[0]: 1.0}
            elif weights is None:
                out[s] = {t: 1.0 / len(ts) for t in ts}
            else:
                out[s] = _reweight(s, dict.fromkeys(ts, 1.0), weights)
        return out

    # ------------------------------------------------------------------ conversion
    def convert(
        self,
        data: pa.Table | pd.DataFrame,
        *,
        to: str,
        rule: SplitRule | Weights = "equal",
        product_column: str = "product",
        value_columns: Sequence[str] = ADDITIVE_COLUMNS,
        revision_column: str | None = "hs_rev",
    ) -> tuple[pa.Table | pd.DataFrame, ConversionReport]:
        """Convert a table of values by product to revision ``to``.

        Rows are matched on ``product_column`` (codes of level 2, 4 or 6; ``TOTAL`` passes
        through); each value column present (the first one is required; quantities too) is
        multiplied by the share, and rows that land on the
        same key are summed. When ``revision_column`` is present, only rows of this
        concordance's source revision are converted (rows already in ``to`` pass through,
        any other revision is an error) and the column is set to ``to``.

        Returns the converted table (same type as the input) and a :class:`ConversionReport`.
        """
        target = revision(to)
        if target != self.target_rev:
            raise InputError(
                f"this concordance converts {self.source_rev} to {self.target_rev}, not to "
                f"{target}; use chain() or .inverse() to reach {target}"
            )
        frame = data.to_pandas() if isinstance(data, pa.Table) else data.copy()
        _require_columns(frame.columns, [product_column, value_columns[0]])
        value_columns = [c for c in value_columns if c in frame.columns]
        todo, done = self._split_by_revision(frame, revision_column)
        weights = _validate_rule(rule)
        shares = _shares_frame(self, rule, set(todo[product_column].unique()))
        merged = self._apply(todo, shares, product_column, value_columns, revision_column)
        out = _sum_by_key(frame, [done, merged], value_columns)
        rule_name = "equal" if weights is None else "weights"
        report = self._report(frame, out, todo, shares, product_column, value_columns[0], rule_name)
        if isinstance(data, pa.Table):
            return pa.Table.from_pandas(out, schema=data.schema, preserve_index=False), report
        return out, report

    def _report(
        self,
        frame: pd.DataFrame,
        out: pd.DataFrame,
        todo: pd.DataFrame,
        shares: pd.DataFrame,
        product_column: str,
        value_column: str,
        rule_name: str,
    ) -> ConversionReport:
        """What a conversion did: rows and value in and out, codes split and unmatched."""
        fan = shares.groupby("_source")["_target"].count()
        codes = {str(c) for c in todo[product_column].unique()}
        split = sorted(codes & {str(c) for c in fan[fan > 1].index})
        return ConversionReport(
            source_rev=self.source_rev,
            target_rev=self.target_rev,
            rows_in=len(frame),
            rows_out=len(out),
            value_in=float(frame[value_column].sum()),
            value_out=float(out[value_column].sum()),
            split_codes=tuple(split),
            unmatched_codes=tuple(sorted(codes - set(shares["_source"]) - {TOTAL})),
            rule=rule_name,
        )

    def _apply(
        self,
        todo: pd.DataFrame,
        shares: pd.DataFrame,
        product_column: str,
        value_columns: Sequence[str],
        revision_column: str | None,
    ) -> pd.DataFrame:
        """Rows moved to their target codes, values multiplied by the shares (not summed)."""
        merged = todo.merge(shares, how="left", left_on=product_column, right_on="_source")
        unmatched = merged["_target"].isna()
        merged.loc[unmatched, "_target"] = merged.loc[unmatched, product_column]
        merged.loc[unmatched, "_share"] = 1.0
        for col in value_columns:
            merged[col] = merged[col] * merged["_share"]
        merged[product_column] = merged["_target"]
        if revision_column and revision_column in merged.columns:
            merged[revision_column] = self.target_rev
        return merged.drop(columns=["_source", "_target", "_share"])

    def _split_by_revision(
        self, frame: pd.DataFrame, revision_column: str | None
    ) -> tuple[pd.DataFrame, pd.DataFrame]:
        if not revision_column or revision_column not in frame.columns:
            return frame, frame.iloc[0:0]
        revs = frame[revision_column].map(lambda r: revision(str(r)))
        bad = sorted(set(revs) - {self.source_rev, self.target_rev})
        if bad:
            raise InputError(
                f"rows in revision {', '.join(bad)} cannot be converted by a "
                f"{self.source_rev}→{self.target_rev} concordance; filter them or use chain()"
            )
        return frame[revs == self.source_rev], frame[revs == self.target_rev]


def _sum_by_key(
    frame: pd.DataFrame, parts: Sequence[pd.DataFrame], value_columns: Sequence[str]
) -> pd.DataFrame:
    """The parts stacked, rows landing on the same key summed, in ``frame``'s columns."""
    import pandas as pd

    keys = [c for c in frame.columns if c not in value_columns]
    out = pd.concat(list(parts), ignore_index=True)
    return (
        out.groupby(keys, dropna=False, sort=True, as_index=False)[list(value_columns)]
        .sum(min_count=1)
        .reindex(columns=list(frame.columns))
    )


def _shares_frame(conc: Concordance, rule: SplitRule | Weights, codes: set[str]) -> pd.DataFrame:
    import pandas as pd

    rows: list[tuple[str, str, float]] = []
    for lvl in {len(c) for c in codes if c != TOTAL and len(c) in _LEVELS}:
        for s, ts in conc.shares(lvl, rule=rule).items():
            if s in codes:
                rows.extend((s, t, w) for t, w in ts.items())
    return pd.DataFrame(rows, columns=["_source", "_target", "_share"])


def load_concordance(path: str | Path) -> Concordance:
    """Read a correlation table by its extension: ``.xlsx`` (UNSD) or ``.csv``/``.csv.gz``."""
    p = Path(path)
    if p.suffix.lower() in {".xlsx", ".xlsm"}:
        return Concordance.from_unsd_xlsx(p)
    if p.suffix.lower() in {".csv", ".gz", ".txt"}:
        return Concordance.from_csv(p)
    raise InputError(
        f"cannot tell the format of concordance file {p}: expected .xlsx (UNSD correlation "
        "table) or .csv (tabulated concordance)"
    )


def chain(concordances: Sequence[Concordance], source: str, target: str) -> list[Concordance]:
    """The concordances (or their inverses) that lead from revision ``source`` to ``target``.

    >>> chain([hs22_hs17, hs17_hs12], "HS12", "HS22")  # doctest: +SKIP
    [HS12→HS17, HS17→HS22]
    """
    src, tgt = revision(source), revision(target)
    if src == tgt:
        return []
    edges: dict[str, list[Concordance]] = defaultdict(list)
    for c in concordances:
        edges[c.source_rev].append(c)
        edges[c.target_rev].append(c.inverse())
    frontier: list[tuple[str, list[Concordance]]] = [(src, [])]
    seen = {src}
    while frontier:
        rev, path = frontier.pop(0)
        for c in edges.get(rev, []):
            if c.target_rev in seen:
                continue
            if c.target_rev == tgt:
                return [*path, c]
            seen.add(c.target_rev)
            frontier.append((c.target_rev, [*path, c]))
    have = sorted({c.source_rev for c in concordances} | {c.target_rev for c in concordances})
    raise InputError(
        f"no chain of concordances leads from {src} to {tgt}; the files given cover "
        f"{', '.join(have) or 'no revision'}. Give a correlation table that links them."
    )


def convert_flows(
    table: ir.Table,
    *,
    to: str,
    concordances: Concordance | Sequence[Concordance],
    rule: SplitRule | Weights = "equal",
    product_column: str = "product",
    revision_column: str = "hs_rev",
    value_columns: Sequence[str] = ADDITIVE_COLUMNS,
    unstated: Unstated = "error",
) -> ir.Table:
    """Convert an Ibis table of flows or declarations to HS revision ``to``, lazily.

    Each row whose ``revision_column`` differs from ``to`` is joined to the share table of
    the concordance chain that reaches ``to`` (see :func:`chain`), its value columns are
    multiplied by the share, and rows landing on the same key are summed. Rows already in
    ``to``, ``TOTAL`` rows and codes missing from the concordance pass through unchanged.
    Runs on any Ibis backend: the share table is a small ``ibis.memtable``.

    Rows whose revision the source did not state (``HS``) cannot be converted: they raise
    :class:`~bilat.errors.InputError` unless ``unstated="keep"``, which passes them through
    unchanged (revision still ``HS``).

    Examples
    --------
    >>> conc = Concordance.from_unsd_xlsx("unsd-hs2022-hs2017-correlation.xlsx")  # doctest: +SKIP
    >>> convert_flows(lake.flows(), to="HS17", concordances=conc)                  # doctest: +SKIP
    """
    target = revision(to)
    concs = [concordances] if isinstance(concordances, Concordance) else list(concordances)
    _validate_rule(rule)
    values = [c for c in value_columns if c in table.columns]
    _require_columns(table.columns, [product_column, revision_column, *values])
    if unstated not in UNSTATED:
        raise InputError(f"unstated must be one of {', '.join(UNSTATED)}, got {unstated!r}")
    revs, unknown = _revisions_held(table, revision_column, target, unstated)
    rows: list[tuple[str, str, str, float]] = []
    for rev in {revision(r) for r in revs} - {target, "HS"}:
        for src_code, tgt_code, share in _chain_shares(chain(concs, rev, target), rule):
            rows.extend((r, src_code, tgt_code, share) for r in revs if revision(r) == rev)
    if not rows:
        return _relabelled(table, revision_column, target, unknown)
    return _apply_shares(
        table, _shares_table(rows), target, unknown, product_column, revision_column, values
    )


def _revisions_held(
    table: ir.Table, revision_column: str, target: str, unstated: Unstated
) -> tuple[list[str], list[str]]:
    """The revisions in the table, and those of them that are unstated (``HS``)."""
    distinct = table.select(revision_column).distinct().to_pyarrow()
    revs = [str(r) for r in distinct.column(0).to_pylist()]
    unknown = [r for r in revs if revision(r) == "HS"]
    if unknown and target != "HS" and unstated == "error":
        raise InputError(
            "some rows do not state their HS revision (hs_rev 'HS'), so they cannot be "
            f"converted to {target}; ingest files that state it, filter those rows, or "
            "pass unstated='keep' to leave them as they are"
        )
    return revs, unknown


def _relabelled(table: ir.Table, revision_column: str, target: str, unknown: list[str]) -> ir.Table:
    """Nothing to convert: every stated revision is already ``target``."""
    import ibis

    if not unknown:
        return table.mutate(**{revision_column: ibis.literal(target)})
    keep = table[revision_column].isin(unknown)
    return table.mutate(**{revision_column: ibis.ifelse(keep, table[revision_column], target)})


def _shares_table(rows: Sequence[tuple[str, str, str, float]]) -> ir.Table:
    """(revision, source code, target code, share) as a small in-memory Ibis table."""
    import ibis

    return ibis.memtable(
        pa.table(
            {
                "_rev": pa.array([r[0] for r in rows], pa.string()),
                "_src": pa.array([r[1] for r in rows], pa.string()),
                "_tgt": pa.array([r[2] for r in rows], pa.string()),
                "_share": pa.array([r[3] for r in rows], pa.float64()),
            }
        )
    )


def _apply_shares(
    table: ir.Table,
    shares: ir.Table,
    target: str,
    unknown: list[str],
    product_column: str,
    revision_column: str,
    values: Sequence[str],
) -> ir.Table:
    """Rows joined to their shares, values multiplied, rows on one key summed (lazily)."""
    import ibis

    joined = table.left_join(
        shares,
        [table[revision_column] == shares["_rev"], table[product_column] == shares["_src"]],
    )
    share = joined["_share"].fill_null(1.0)
    keep = joined[revision_column].isin(unknown) if unknown else ibis.literal(False)
    mutated = joined.mutate(
        **{product_column: joined["_tgt"].fill_null(joined[product_column])},
        **{revision_column: ibis.ifelse(keep, joined[revision_column], target)},
        **{c: joined[c] * share for c in values},
    ).select(*table.columns)
    keys = [c for c in table.columns if c not in values]
    return (
        mutated.group_by(keys)
        .aggregate(**{c: mutated[c].sum() for c in values})
        .select(*table.columns)
    )


def _chain_shares(
    path: Sequence[Concordance], rule: SplitRule | Weights
) -> list[tuple[str, str, float]]:
    """Compose the shares along a chain, for every level, into (source, target, share)."""
    out: list[tuple[str, str, float]] = []
    for lvl in _LEVELS:
        current: dict[str, dict[str, float]] | None = None
        for i, conc in enumerate(path):
            # user weights refer to the final revision's codes: apply them on the last step
            step = conc.shares(lvl, rule=rule if i == len(path) - 1 else "equal")
            if current is None:
                current = step
                continue
            nxt: dict[str, dict[str, float]] = {}
            for s, mids in current.items():
                acc: dict[str, float] = defaultdict(float)
                for m, w in mids.items():
                    for t, w2 in step.get(m, {m: 1.0}).items():
                        acc[t] += w * w2
                nxt[s] = dict(acc)
            current = nxt
        for s, ts in (current or {}).items():
            out.extend((s, t, w) for t, w in ts.items())
    return out


# ---------------------------------------------------------------------- helpers
def _validate_rule(rule: object) -> Weights | None:
    """``None`` for the equal rule, else the weights mapping (checked)."""
    if isinstance(rule, str):
        if rule not in SPLIT_RULES:
            raise InputError(
                f"split rule must be one of {', '.join(map(repr, SPLIT_RULES))} or a mapping "
                f"of weights, got {rule!r}"
            )
        return None
    if not isinstance(rule, Mapping):
        raise InputError(
            f"split rule must be 'equal' or a mapping of weights, got {type(rule).__name__}"
        )
    kinds = {type(k) for k in rule}
    if len(kinds) > 1 or (kinds and not kinds <= {str} and not kinds <= {tuple}):
        raise InputError(
            "weights must be keyed all by target code (str) or all by (source, target) tuples"
        )
    for k, v in rule.items():
        if not isinstance(v, int | float) or v < 0 or v != v:
            raise InputError(
                f"weight for {k!r} must be a non-negative number, got {v!r}",
                details={"value": str(v), "key": str(k)},
            )
    return rule  # type: ignore[return-value]


def _reweight(source: str, base: Mapping[str, float], weights: Weights) -> dict[str, float]:
    """Shares ∝ base × weight; equal-by-base when the weights of all targets are zero/missing."""
    raw = {}
    for t, b in base.items():
        key: Any = (source, t) if _keyed_by_link(weights) else t
        raw[t] = b * float(weights.get(key, 0.0))
    total = sum(raw.values())
    if total <= 0:
        total_b = sum(base.values())
        return {t: b / total_b for t, b in base.items()}
    return {t: w / total for t, w in raw.items()}


def _keyed_by_link(weights: Weights) -> bool:
    return any(isinstance(k, tuple) for k in weights)


def _pick_sheet(wb: Any, sheet: str | None, path: Path) -> Any:
    if sheet is not None:
        if sheet not in wb.sheetnames:
            raise SchemaError(
                f"no sheet {sheet!r}",
                path=path,
                expected=", ".join(wb.sheetnames),
            )
        return wb[sheet]
    for ws in wb.worksheets:
        for row in ws.iter_rows(min_row=1, max_row=5, values_only=True):
            if any(str(c).strip().lower() == "relationship" for c in row if c is not None):
                return ws
    return wb.worksheets[0]


def _find_header(rows: Sequence[tuple[Any, ...]]) -> tuple[int | None, tuple[str, str]]:
    for i, row in enumerate(rows[:10]):
        if len(row) < 2:
            continue
        found = [_header_rev(row[0]), _header_rev(row[1])]
        if found[0] and found[1]:
            return i, (found[0], found[1])
    return None, ("", "")


def _header_rev(cell: object) -> str | None:
    if cell is None:
        return None
    text = _REL_RE.sub("", str(cell).strip()).replace(" ", "")
    try:
        return revision(text)
    except InputError:
        return None


def _code6(cell: object, where: str, line: int, column: str) -> str:
    if isinstance(cell, int) and not isinstance(cell, bool):
        text = str(cell).zfill(6)
    else:
        text = str(cell or "").strip().replace(".", "")
        if text.isdigit() and len(text) == 5:
            text = "0" + text
    if len(text) != 6 or not text.isdigit():
        raise ParseError(
            "not a 6-digit HS code",
            path=where,
            line=line,
            column=column,
            value=cell,
            expected="6 digits such as '010121'",
        )
    return text


def _tabulated_to_pairs(rows: Sequence[tuple[Any, ...]], path: Path) -> list[tuple[Any, ...]]:
    """``HS6_6d,...,HS5_6d,...`` (concordance R package) → rows ``(HS22 code, HS17 code)``."""
    header = [str(h).strip() for h in rows[0]]
    cols = [(i, m.group(1)) for i, h in enumerate(header) if (m := _TABULATED_RE.match(h))]
    if len(cols) != 2:
        raise SchemaError(
            "expected exactly two 6-digit columns such as HS6_6d and HS5_6d",
            path=path,
            line=1,
            value=",".join(header),
        )
    (a, ra), (b, rb) = cols
    out: list[tuple[Any, ...]] = [(f"H{ra}", f"H{rb}")]
    out.extend((r[a], r[b]) for r in rows[1:] if len(r) > max(a, b))
    return out


def _require_columns(have: Iterable[str], need: Iterable[str]) -> None:
    cols = set(have)
    missing = [c for c in need if c not in cols]
    if missing:
        raise InputError(
            f"table lacks column(s) {', '.join(missing)}; it has {', '.join(sorted(cols))}"
        )
