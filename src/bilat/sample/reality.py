"""How far the synthetic world's figures are from the real ones, said in one statement.

The demo shows it under its summary: the sample's turnover of the founding dyad beside the
real published figure (:data:`bilat.sample.facts.REAL_TURNOVER`), the ratio of the two, and
why they differ. Only the comparison is made here; nothing in the sample is tuned to it.
"""

from __future__ import annotations

from dataclasses import dataclass

from bilat import formats
from bilat.i18n import gettext
from bilat.sample.facts import REAL_TURNOVER, RealFigure

__all__ = ["RealityCheck", "compare_with_real"]


@dataclass(frozen=True, slots=True)
class RealityCheck:
    """The synthetic dyad's figures beside a real one.

    Attributes
    ----------
    real
        The real published figure.
    turnover_usd, exports_usd, imports_usd
        The synthetic world's turnover of ``real.a``–``real.b`` in ``real.year`` and its two
        directions (``a`` → ``b`` and ``b`` → ``a``), US dollars; ``None`` when not held.
    """

    real: RealFigure
    turnover_usd: float | None
    exports_usd: float | None
    imports_usd: float | None

    @property
    def ratio(self) -> float | None:
        """Synthetic turnover over the real figure (``None`` when the sample has none)."""
        if self.turnover_usd is None:
            return None
        return self.turnover_usd / self.real.value_usd

    def to_dict(self) -> dict[str, object]:
        """The figures and the statement, for JSON output."""
        r = self.real
        return {
            "dyad": [r.a, r.b],
            "year": r.year,
            "synthetic_turnover_usd": self.turnover_usd,
            "synthetic_exports_usd": self.exports_usd,
            "synthetic_imports_usd": self.imports_usd,
            "real_turnover_usd": r.value_usd,
            "real_bound": r.bound,
            "real_source": r.source,
            "ratio": self.ratio,
            "text": self.text(),
        }

    def text(self) -> str:
        """The statement in the current language (figures through :mod:`bilat.formats`)."""
        r, ratio = self.real, self.ratio
        values = {
            "a": r.a,
            "b": r.b,
            "year": formats.year(r.year),
            "synthetic": formats.money(self.turnover_usd),
            "exports": formats.money(self.exports_usd),
            "imports": formats.money(self.imports_usd),
            "real": formats.money(r.value_usd),
            "source": gettext(r.source),
            "share": formats.percent(None if ratio is None else 100 * ratio),
        }
        floor = r.bound == "more than"
        head = (
            gettext(
                "Distance from the real figures: the synthetic %(a)s–%(b)s turnover %(year)s is "
                "%(synthetic)s (%(a)s→%(b)s %(exports)s, %(b)s→%(a)s %(imports)s); the real one "
                "was more than %(real)s (%(source)s)."
            )
            if floor
            else gettext(
                "Distance from the real figures: the synthetic %(a)s–%(b)s turnover %(year)s is "
                "%(synthetic)s (%(a)s→%(b)s %(exports)s, %(b)s→%(a)s %(imports)s); the real one "
                "was %(real)s (%(source)s)."
            )
        )
        if ratio is None:
            gap = gettext("The sample holds no trade of this pair to compare.")
        elif not floor:
            gap = gettext("The sample shows %(share)s of it.")
        elif ratio < 1:
            gap = gettext("The sample shows at most %(share)s of it.")
        else:
            gap = gettext(
                "The sample's figure is above that floor; the source gives no exact value."
            )
        why = gettext(
            "They differ because the sample draws its flows from a gravity model: the "
            "countries' total trade and main export headings follow public figures, but the flows "
            "between two countries come from distance and random draws alone, with no customs "
            "union, common border, language or shared industrial history."
        )
        return " ".join((head % values, gap % values, why))


def compare_with_real(
    turnover_usd: float | None,
    exports_usd: float | None,
    imports_usd: float | None,
    real: RealFigure = REAL_TURNOVER,
) -> RealityCheck:
    """The synthetic figures of ``real``'s dyad and year beside the real one."""
    return RealityCheck(real, turnover_usd, exports_usd, imports_usd)
