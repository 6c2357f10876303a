"""Read a lake through an HS revision conversion, so a series crossing a revision change compares.

>>> from bilat.codes import load_concordance                           # doctest: +SKIP
>>> conc = load_concordance("unsd-hs2022-hs2017-correlation.xlsx")       # doctest: +SKIP
>>> Dyad(converted(lake, to="HS17", concordances=[conc]), "BLR", "KAZ").series(2015, 2023)
... # doctest: +SKIP

Every result read this way says so in its provenance (``Provenance.conversion``).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bilat.codes.concordance import Concordance, convert_flows, load_concordance
from bilat.codes.hs import revision
from bilat.errors import InputError

if TYPE_CHECKING:
    import ibis.expr.types as ir

    from bilat.lake import Lake

__all__ = ["ConvertedLake", "converted"]


class ConvertedLake:
    """A lake whose flows and declarations are read converted to one HS revision.

    It offers what the indicators read (``flows``, ``declarations``, ``version``, ``entry``,
    ``manifest``, ``is_synthetic``, ``con``) and forwards everything else to the lake.
    """

    def __init__(
        self, lake: Lake, *, to: str, concordances: Sequence[Concordance], rule: str, label: str
    ) -> None:
        self._lake = lake
        self._to = revision(to)
        self._concordances = list(concordances)
        self._rule = rule
        self.conversion = f"converted to {self._to} with {label} ({rule} split)"

    def __getattr__(self, name: str) -> Any:
        return getattr(self._lake, name)

    @property
    def version(self) -> str:
        return f"{self._lake.version}-{self._to}-{id(self)}"

    def _convert(self, table: ir.Table) -> ir.Table:
        return convert_flows(
            table,
            to=self._to,
            concordances=self._concordances,
            rule=self._rule,  # type: ignore[arg-type]
            unstated="keep",
        )

    def flows(self) -> ir.Table:
        """The lake's flows with products and values in the target revision."""
        return self._convert(self._lake.flows())

    def declarations(self) -> ir.Table:
        """The lake's declarations with products and values in the target revision."""
        return self._convert(self._lake.declarations())


def converted(
    lake: Lake,
    *,
    to: str,
    concordances: Sequence[str | Path | Concordance],
    rule: str = "equal",
) -> ConvertedLake:
    """``lake`` read converted to HS revision ``to`` through the given correlation tables.

    Parameters
    ----------
    lake
        The lake to read.
    to
        Target revision (``"HS17"``).
    concordances
        Correlation tables (paths to UNSD xlsx/csv files, or loaded ``Concordance`` objects)
        whose chain links the lake's revisions to ``to``.
    rule
        How a one-to-many split shares value: ``"equal"`` (see ``docs/hs-revisions.md``).
    """
    if not concordances:
        raise InputError(
            "converting to another HS revision needs at least one correlation table "
            "(--concordance FILE, e.g. the UNSD HS2022-HS2017 table)"
        )
    loaded = [c if isinstance(c, Concordance) else load_concordance(c) for c in concordances]
    label = ", ".join(Path(str(c)).name for c in concordances if not isinstance(c, Concordance))
    return ConvertedLake(
        lake, to=to, concordances=loaded, rule=rule, label=label or "the given concordance"
    )
