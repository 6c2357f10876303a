"""Mirror reconciliation: one value per flow from the exporter's and the importer's declarations.

Both sides of a flow declare it: the exporter its exports, valued FOB (free on board, at its
border), the importer its imports, valued CIF (cost, insurance and freight to its border).
The two differ by the transport margin, by timing, by classification and by attribution
(goods re-exported through a third country are recorded by origin at import). This part
reconciles them the way CEPII's BACI does (Gaulier & Zignago 2010, CEPII WP 2010-23):

1. **CIF/FOB margins** (:mod:`~bilat.reconcile.margins`). On flows both sides declared,
   ``ln(M_cif / X_fob)`` is regressed on ``ln(distance)`` and contiguity (ordinary least
   squares, extreme ratios trimmed); the fitted value is the margin ``ln(1 + m_ij)``,
   bounded to ``[0, max_margin]``.
2. **FOB imports.** ``M_fob = M_cif / (1 + m_ij)``.
3. **Reliability** (:mod:`~bilat.reconcile.weights`). For each flow,
   ``d = ln(M_fob / X_fob)``. Its expected square is the sum of the two reporters' error
   variances, ``E[d²] = s_exporter + s_importer``; the ``s`` are estimated by least squares
   over all flows (a country's reliability is ``1 / s``).
4. **Reconciled value.** ``v = w·X_fob + (1 − w)·M_fob`` with the exporter's weight
   ``w = s_importer / (s_exporter + s_importer)`` (inverse-variance weighting). A flow only
   one side declared keeps that side (imports converted to FOB), with its ``basis``.

:func:`reconcile` does this over a whole declarations table (``lake.declarations()``, or the
same columns as Arrow or pandas) and returns the reconciled flows as Arrow; it reads no lake
and writes none (:func:`bilat.acquire.reconcile_into_lake` stores them). The mirror *gap* of
a dyad is an indicator: :func:`bilat.trade.mirror.mirror_report`. Method and limits:
``docs/mirror.md``.
"""

from __future__ import annotations

from bilat.reconcile.margins import MarginModel, fit_margins, with_distances
from bilat.reconcile.method import Reconciliation, reconcile
from bilat.reconcile.pairs import mirror_pairs, unit_values
from bilat.reconcile.weights import fit_reliability

__all__ = [
    "MarginModel",
    "Reconciliation",
    "fit_margins",
    "fit_reliability",
    "mirror_pairs",
    "reconcile",
    "unit_values",
    "with_distances",
]
