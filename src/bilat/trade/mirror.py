"""The mirror gap of a dyad: what the exporter declared against what the importer declared.

Both sides of a flow declare it, and the two figures differ (the transport margin, timing,
classification, re-exports). :func:`mirror_report` puts a dyad's declarations side by side,
splits the gap by product into its CIF/FOB part and the rest, and names the suspected
causes. The CIF/FOB margins and the reconciled values come from :mod:`bilat.reconcile`
(the BACI method), estimated on every flow of the declarations given. Method and limits:
``docs/mirror.md``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, get_args

import numpy as np
import pandas as pd
import pyarrow as pa

from bilat import formats
from bilat.codes.concordance import Concordance
from bilat.codes.countries import to_iso3
from bilat.errors import InputError, NotFoundError
from bilat.options import MarginSpec
from bilat.reconcile import MarginModel, Reconciliation, reconcile

if TYPE_CHECKING:
    import ibis.expr.types as ir

__all__ = ["CAUSES", "Cause", "MirrorReport", "mirror_report"]

Cause = Literal["cif/fob", "timing", "misclassification", "re-exports", "one-sided", "other"]
#: Suspected causes of a gap, in the order they are tested.
CAUSES: tuple[str, ...] = get_args(Cause)


@dataclass(frozen=True)
class MirrorReport:
    """A dyad's declarations side by side, with the gaps explained as far as they can be.

    Attributes
    ----------
    a, b
        The dyad (ISO3); both directions, ``a → b`` and ``b → a``, are covered.
    level
        HS level compared (0 for totals).
    products
        pandas frame, one row per (year, exporter, importer, product): ``exports_declared_usd``
        (exporter, FOB), ``imports_declared_usd`` (importer, CIF), ``margin``,
        ``imports_fob_usd``, ``gap_usd = imports_declared − exports_declared``,
        ``gap_cif_fob_usd = imports_declared − imports_fob`` (the transport margin),
        ``gap_other_usd = imports_fob − exports_declared`` (the rest; the three gaps only
        where both sides declared, so a total's parts add up to its gap), ``reconciled_usd``,
        ``basis``, ``w_exporter`` and ``causes`` (suspected causes, comma separated).
    totals
        pandas frame by (year, exporter, importer): the sums of the same columns.
    causes
        Per suspected cause, the sum of ``|gap_other_usd|`` of the products it is flagged
        on (``cif/fob`` counts ``|gap_cif_fob_usd|``).
    margins
        The CIF/FOB margin model used.
    notes
        What the reader should know (one-sided years, unidentified reliabilities ...).
    """

    a: str
    b: str
    level: int
    products: pd.DataFrame
    totals: pd.DataFrame
    causes: dict[str, float]
    margins: MarginModel
    notes: tuple[str, ...] = field(default_factory=tuple)

    def largest_gaps(self, top: int = 15) -> pd.DataFrame:
        """The ``top`` rows of :attr:`products` with the largest ``|gap_usd|`` (a one-sided
        flow counts its reconciled value)."""
        if top < 1:
            raise InputError(f"top must be at least 1, got {top}")
        size = self.products["gap_usd"].abs().fillna(self.products["reconciled_usd"])
        order = size.sort_values(ascending=False).index
        return self.products.reindex(order).head(top).reset_index(drop=True)


# ---------------------------------------------------------------------- report
def mirror_report(
    declarations: ir.Table | pa.Table | pd.DataFrame,
    a: str,
    b: str,
    geodist: pd.DataFrame | str | Path,
    *,
    level: int = 6,
    years: Sequence[int] | None = None,
    tolerance: float = 0.05,
    max_margin: float = 0.2,
    default_margin: float | None = 0.10,
    convert_to: str | None = None,
    concordances: Sequence[Concordance] = (),
    countries: pd.DataFrame | str | Path | None = None,
    specification: MarginSpec = "baci",
) -> MirrorReport:
    """Explain a dyad's mirror gaps, both directions, product by product.

    Margins and reliabilities are estimated on every flow in ``declarations`` (the more
    countries, the better the estimates); the report then keeps the dyad's flows.
    ``tolerance`` is the relative gap (in log points) below which two values are taken as
    equal. Causes: ``cif/fob`` (the FOB-converted import matches the export), ``timing``
    (gaps of opposite sign in consecutive years that offset), ``misclassification``
    (gaps of opposite sign within one heading that offset), ``re-exports`` (the importer
    declares more than the exporter: goods of the exporter's origin that reached the
    importer through a third country), ``one-sided`` (only one side declared), ``other``.
    ``convert_to``, ``concordances``, ``countries`` and ``specification`` (the margin
    regressors): as in :func:`bilat.reconcile.reconcile`.
    """
    ca, cb = to_iso3(a), to_iso3(b)
    if ca == cb:
        raise InputError(f"a mirror report needs two countries, got {ca} twice")
    if tolerance <= 0:
        raise InputError(f"tolerance must be positive, got {tolerance}")
    rec = reconcile(
        declarations, geodist, level=level, years=years, max_margin=max_margin,
        default_margin=default_margin, convert_to=convert_to, concordances=concordances,
        countries=countries, specification=specification,
    )  # fmt: skip
    p = rec.pairs
    dyad = p[
        ((p["exporter"] == ca) & (p["importer"] == cb))
        | ((p["exporter"] == cb) & (p["importer"] == ca))
    ]
    if dyad.empty:
        raise NotFoundError(
            f"neither {ca} nor {cb} declared trade with the other at HS level {level}"
            "; ingest both countries' declarations (UN Comtrade) or choose another level"
        )
    products = _gaps(dyad.copy(), tolerance, level)
    totals = _totals(products)
    causes = _cause_totals(products)
    notes = _notes(products, rec)
    return MirrorReport(ca, cb, level, products, totals, causes, rec.margins, notes)


def _gaps(frame: pd.DataFrame, tol: float, level: int) -> pd.DataFrame:
    out = pd.DataFrame(
        {
            "year": frame["year"].astype(int),
            "exporter": frame["exporter"],
            "importer": frame["importer"],
            "product": frame["product"],
            "exports_declared_usd": frame["x_usd"],
            "imports_declared_usd": frame["m_cif_usd"],
            "margin": frame["margin"],
            "imports_fob_usd": frame["m_fob_usd"],
            "reconciled_usd": frame["value_usd"],
            "basis": frame["basis"],
            "w_exporter": frame["w_exporter"],
        }
    ).reset_index(drop=True)
    out["gap_usd"] = out["imports_declared_usd"] - out["exports_declared_usd"]
    # the parts of a gap exist only where there is a gap: both sides declared
    both = out["exports_declared_usd"].notna() & out["imports_declared_usd"].notna()
    out["gap_cif_fob_usd"] = (out["imports_declared_usd"] - out["imports_fob_usd"]).where(both)
    out["gap_other_usd"] = out["imports_fob_usd"] - out["exports_declared_usd"]
    out["causes"] = _causes(out, tol, level)
    return out.sort_values(["exporter", "year", "product"]).reset_index(drop=True)


def _causes(out: pd.DataFrame, tol: float, level: int) -> list[str]:
    both = out["exports_declared_usd"].notna() & out["imports_declared_usd"].notna()
    x = out["exports_declared_usd"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        rest = np.log(out["imports_fob_usd"].to_numpy(dtype=float) / x)
        full = np.log(out["imports_declared_usd"].to_numpy(dtype=float) / x)
    other = out["gap_other_usd"].fillna(0.0)
    timing = _offsetting(out, other, ["exporter", "importer", "product"], "year", consecutive=True)
    klass = np.zeros(len(out), dtype=bool)
    if level >= 4:  # codes of one heading (level 6) or one chapter (level 4)
        heads = out.assign(_head=out["product"].str[: level - 2])
        group = ["exporter", "importer", "year", "_head"]
        klass = _offsetting(heads, other, group, "product", consecutive=False)
    labels: list[str] = []
    for i in range(len(out)):
        if not both.iloc[i]:
            labels.append("one-sided")
            continue
        found = []
        small = abs(rest[i]) <= tol
        if small and abs(full[i]) > tol:
            found.append("cif/fob")
        if not small:
            if timing[i]:
                found.append("timing")
            if klass[i]:
                found.append("misclassification")
            if rest[i] > tol and not found:
                found.append("re-exports")
            if not found:
                found.append("other")
        labels.append(",".join(found))
    return labels


def _offsetting(
    frame: pd.DataFrame, gap: pd.Series[float], group: list[str], order: str, *, consecutive: bool
) -> np.ndarray[Any, Any]:
    """Rows whose gap is offset (≥ half) by an opposite gap of a neighbour in their group."""
    flags = np.zeros(len(frame), dtype=bool)
    work = frame.assign(_gap=gap.to_numpy(), _row=np.arange(len(frame))).sort_values(
        [*group, order]
    )
    for _, g in work.groupby(group, sort=False):
        if len(g) < 2:
            continue
        gaps = g["_gap"].to_numpy()
        rows = g["_row"].to_numpy()
        keys = g[order].to_numpy()
        for i in range(len(g)):
            for j in range(len(g)):
                if i == j or gaps[i] * gaps[j] >= 0:
                    continue
                if consecutive and abs(int(keys[i]) - int(keys[j])) != 1:
                    continue
                if abs(gaps[i] + gaps[j]) <= 0.5 * (abs(gaps[i]) + abs(gaps[j])):
                    flags[rows[i]] = True
    return flags


def _totals(products: pd.DataFrame) -> pd.DataFrame:
    cols = [
        "exports_declared_usd",
        "imports_declared_usd",
        "imports_fob_usd",
        "reconciled_usd",
        "gap_usd",
        "gap_cif_fob_usd",
        "gap_other_usd",
    ]
    grouped = products.groupby(["year", "exporter", "importer"], as_index=False)
    totals = grouped[cols].sum(min_count=1)
    counts = grouped.agg(
        products=("product", "size"),
        both_declared=("basis", lambda s: int((s == "reconciled").sum())),
    )
    return totals.merge(counts, on=["year", "exporter", "importer"])


def _cause_totals(products: pd.DataFrame) -> dict[str, float]:
    out = dict.fromkeys(CAUSES, 0.0)
    for causes, other, cif, x, m in zip(
        products["causes"],
        products["gap_other_usd"],
        products["gap_cif_fob_usd"],
        products["exports_declared_usd"],
        products["imports_fob_usd"],
        strict=True,
    ):
        for cause in filter(None, causes.split(",")):
            if cause == "cif/fob":
                out[cause] += abs(float(cif))
            elif cause == "one-sided":
                out[cause] += float(x if not pd.isna(x) else m)
            else:
                out[cause] += abs(float(other))
    return out


def _notes(products: pd.DataFrame, rec: Reconciliation) -> tuple[str, ...]:
    if rec.margins.nobs:
        notes = [
            f"CIF/FOB margins fitted on {formats.integer(rec.margins.nobs)} flows declared by "
            f"both sides (R² {formats.number(rec.margins.r2)})"
        ]
    else:
        notes = [
            "too few flows declared by both sides to fit CIF/FOB margins; a flat "
            f"{formats.percent(100 * rec.margins.fallback, digits=0)} margin was used"
        ]
    if not rec.identified:
        notes.append(
            "reporter reliabilities are not identified from these data (too few countries); "
            "both declarations weighted equally"
        )
    one = products[products["basis"] != "reconciled"]
    for (year, exporter, importer), g in one.groupby(["year", "exporter", "importer"]):
        if (
            len(g)
            == (
                products[
                    (products["year"] == year)
                    & (products["exporter"] == exporter)
                    & (products["importer"] == importer)
                ]
            ).shape[0]
        ):
            side = "importer" if g["exports_declared_usd"].isna().all() else "exporter"
            notes.append(f"{year} {exporter}→{importer}: only the {side} declared")
    return tuple(notes)
