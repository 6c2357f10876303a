"""``reconcile``: one FOB value per flow from both declarations (the BACI method)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import pyarrow as pa

from bilat.codes.concordance import Concordance, convert_flows
from bilat.codes.hs import revision
from bilat.errors import EstimationError, InputError
from bilat.options import MarginSpec, choice
from bilat.reconcile.margins import (
    REGRESSOR_COLUMNS,
    MarginModel,
    apply_margins,
    fit_margins,
    flat_margins,
    with_distances,
)
from bilat.reconcile.pairs import as_ibis, mirror_pairs, unit_values
from bilat.reconcile.weights import reliability, weigh
from bilat.sources.geodist import Distance
from bilat.sources.schema import FLOW_SCHEMA

if TYPE_CHECKING:
    import ibis.expr.types as ir

__all__ = ["Reconciliation", "reconcile"]


@dataclass(frozen=True, slots=True)
class Reconciliation:
    """Reconciled flows and the estimates behind them.

    Attributes
    ----------
    flows
        Arrow table in ``FLOW_SCHEMA`` (US dollars, FOB), ``source`` ``"mirror"``, ``basis``
        ``reconciled`` (both declared), ``exporter`` or ``importer`` (one side only).
    pairs
        pandas frame, one row per flow: ``year, exporter, importer, product, x_usd``
        (exporter's declaration, FOB), ``m_cif_usd`` (importer's, CIF), ``margin``,
        ``m_fob_usd``, ``w_exporter`` (weight of the exporter's value), ``value_usd``,
        ``basis``.
    margins
        The fitted :class:`~bilat.reconcile.MarginModel`: its ``specification``, the
        ``coefficients`` of the regressors it used and those it ``omitted``.
    reliability
        pandas frame ``country, variance, reliability, nobs``: the error variance ``s`` of
        a country's declarations (log points squared) and ``1/s``.
    identified
        Whether the variances were identified; when not (for example only one dyad in the
        data), both declarations get equal weight.
    level
        HS level reconciled (0 for ``TOTAL``).
    """

    flows: pa.Table
    pairs: pd.DataFrame
    margins: MarginModel
    reliability: pd.DataFrame
    identified: bool
    level: int


def reconcile(
    declarations: ir.Table | pa.Table | pd.DataFrame,
    geodist: pd.DataFrame | str | Path,
    *,
    level: int = 6,
    years: Sequence[int] | None = None,
    max_margin: float = 0.2,
    trim: float = 10.0,
    default_margin: float | None = 0.10,
    distance: Distance = "dist",
    convert_to: str | None = None,
    concordances: Sequence[Concordance] = (),
    countries: pd.DataFrame | str | Path | None = None,
    specification: MarginSpec = "baci",
) -> Reconciliation:
    """Reconcile exporter and importer declarations into one FOB value per flow.

    Parameters
    ----------
    declarations
        ``lake.declarations()`` (Ibis), or the same columns as Arrow or pandas.
    geodist
        CEPII GeoDist as read by :func:`bilat.sources.geodist.read_geodist`, or its path.
    level, years
        HS level to reconcile: 0 (``TOTAL``), 2, 4 or 6; restrict to these years.
    max_margin, trim
        Upper bound of fitted CIF/FOB margins (fraction of FOB value; the lower is 0);
        flows whose ``M/X`` ratio exceeds ``trim`` (or is below ``1/trim``) are left out of
        both estimations (they are still reconciled).
    default_margin
        Margin of every flow when too few were declared by both sides to fit the model
        (the IMF DOTS convention is 10%; ``margins.nobs`` is then 0); ``None`` raises.
    distance
        GeoDist's measure: ``dist`` (main cities, BACI's), ``distw``, ``distcap``, ``distwces``.
    convert_to, concordances
        With ``convert_to`` (``"HS17"``) and the ``concordances`` that reach it,
        declarations are first converted to one HS revision (rows of unstated revision
        kept), so that two reporters are compared code for code.
    countries, specification
        The margin regressors (:mod:`bilat.reconcile.margins`): ``baci`` (log distance and
        its square, contiguity, landlocked exporter and importer from ``countries``, CEPII's
        ``geo_cepii``, the product's world median unit value, year effects, where the data
        give them) or ``distance`` (log distance and contiguity).

    Raises
    ------
    EstimationError
        Too few flows declared by both sides to fit the margins and ``default_margin=None``.
    """
    if max_margin < 0 or trim <= 1:
        raise InputError(f"max_margin must be ≥ 0 and trim > 1, got {max_margin} and {trim}")
    specification = choice(MarginSpec, specification, "specification")
    decl = as_ibis(_in_revision(declarations, convert_to, concordances))
    pairs = _with_regressors(decl, geodist, level, years, distance, countries, specification)
    pairs, margins, table, identified = _estimate(
        pairs, max_margin, trim, default_margin, specification
    )
    pairs = weigh(pairs, table, identified).drop(columns=list(REGRESSOR_COLUMNS), errors="ignore")
    rev = revision(convert_to) if convert_to is not None else "HS"
    return Reconciliation(_as_flows(pairs, rev), pairs, margins, table, identified, level)


def _with_regressors(
    decl: ir.Table,
    geodist: pd.DataFrame | str | Path,
    level: int,
    years: Sequence[int] | None,
    distance: Distance,
    countries: pd.DataFrame | str | Path | None,
    specification: MarginSpec,
) -> pd.DataFrame:
    """The mirror pairs with distances, contiguity, landlocked and the unit values."""
    pairs = mirror_pairs(decl, level=level, years=years)
    pairs = with_distances(pairs, geodist, distance=distance, countries=countries)
    uv = unit_values(decl, level=level, years=years) if specification == "baci" else None
    if uv is not None:  # a column mapped in place: a merge would copy every pair
        pairs["ln_unit_value"] = pairs["product"].map(uv.set_index("product")["ln_unit_value"])
    return pairs


def _in_revision(
    declarations: ir.Table | pa.Table | pd.DataFrame,
    convert_to: str | None,
    concordances: Sequence[Concordance],
) -> ir.Table | pa.Table | pd.DataFrame:
    if convert_to is None:
        return declarations
    if not concordances:
        raise InputError(
            f"converting to {convert_to} needs the correlation tables that reach it; "
            "pass concordances=[load_concordance(path), ...]"
        )
    return convert_flows(
        as_ibis(declarations), to=convert_to, concordances=concordances, unstated="keep"
    )


def _estimate(
    pairs: pd.DataFrame,
    max_margin: float,
    trim: float,
    default_margin: float | None,
    spec: MarginSpec,
) -> tuple[pd.DataFrame, MarginModel, pd.DataFrame, bool]:
    """Margins, then reliabilities, then one feasible-GLS round of both when identified."""
    try:
        margins = fit_margins(pairs, max_margin=max_margin, trim=trim, specification=spec)
    except EstimationError:
        if default_margin is None:
            raise
        margins = flat_margins(default_margin, max_margin=max_margin)
    pairs = apply_margins(pairs, margins)
    table, identified = reliability(pairs, trim)
    if identified and margins.nobs:
        variance = dict(zip(table["country"], table["variance"], strict=True))
        margins = fit_margins(
            pairs, max_margin=max_margin, trim=trim, variance=variance, specification=spec
        )
        pairs = apply_margins(pairs, margins)
        table, identified = reliability(pairs, trim)
    return pairs, margins, table, identified


def _as_flows(pairs: pd.DataFrame, hs_rev: str) -> pa.Table:
    n = len(pairs)
    return pa.table(
        {
            "year": pa.array(pairs["year"].astype("int16"), pa.int16()),
            "exporter": pa.array(pairs["exporter"], pa.string()),
            "importer": pa.array(pairs["importer"], pa.string()),
            "product": pa.array(pairs["product"], pa.string()),
            "hs_rev": pa.array([hs_rev] * n, pa.string()),
            "value_usd": pa.array(pairs["value_usd"], pa.float64()),
            "quantity": pa.nulls(n, pa.float64()),
            "quantity_unit": pa.nulls(n, pa.string()),
            "source": pa.array(["mirror"] * n, pa.string()),
            "basis": pa.array(pairs["basis"], pa.string()),
        },
        schema=FLOW_SCHEMA,
    )
