"""Territories map to their sovereign state for traffic rights (issue 17).

Expected states are the ones ISO 3166-2 and the UN/Factbook lists give (see the packaged
table's header); the ISO codes are checked against country_converter, an independent table.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bilat.air import (
    airport,
    airport_label,
    case_agreements_dir,
    check_flight,
    load_agreements,
    sovereign_state,
    territories,
)
from bilat.codes.countries import to_iso3

from .conftest import FIXTURES


@pytest.fixture
def with_france(tmp_path: Path) -> Path:
    """The founding case plus the hypothetical BLR–FRA test agreement."""
    for f in (case_agreements_dir() / "blr-kaz.yaml", FIXTURES / "blr-fra-hypothetical.yaml"):
        shutil.copy(f, tmp_path / f.name)
    return tmp_path


def test_every_row_names_a_real_iso_entry_and_a_sovereign() -> None:
    table = territories()
    assert len(table) >= 40
    for t in table.values():
        assert to_iso3(t.iso2) == t.iso3, t
        assert sovereign_state(t.sovereign) == t.sovereign  # a sovereign is no territory
        assert t.source.startswith("ISO 3166-1")


@pytest.mark.parametrize(
    ("code", "state", "territory"),
    [
        ("RUN", "FRA", "REU"),  # Réunion
        ("DZA", "FRA", "MYT"),  # Dzaoudzi, Mayotte
        ("PTP", "FRA", "GLP"),  # Pointe-à-Pitre, Guadeloupe
        ("FDF", "FRA", "MTQ"),  # Fort-de-France, Martinique
        ("CAY", "FRA", "GUF"),  # Cayenne, French Guiana
        ("NOU", "FRA", "NCL"),  # Nouméa, New Caledonia
        ("PPT", "FRA", "PYF"),  # Papeete, French Polynesia
        ("GOH", "DNK", "GRL"),  # Nuuk, Greenland
        ("FAE", "DNK", "FRO"),  # Vágar, Faroe Islands
        ("GUM", "USA", "GUM"),  # Guam
        ("LPA", "ESP", "ESP"),  # Gran Canaria: ISO has no entry for the Canaries
        ("HKG", "HKG", "HKG"),  # own air services agreements: kept apart
        ("MFM", "MAC", "MAC"),
        ("MSQ", "BLR", "BLR"),
    ],
)
def test_airport_state_is_the_sovereign(code: str, state: str, territory: str) -> None:
    a = airport(code)
    assert (a.state, a.territory) == (state, territory)


def test_the_territory_stays_visible_in_text() -> None:
    assert airport_label("RUN") == "RUN (Réunion, France)"
    assert airport_label("DZA") == "DZA (Mayotte, France)"
    assert airport_label("CDG") == "CDG"


def test_reunion_mayotte_is_domestic_for_a_french_carrier() -> None:
    ags = load_agreements(case_agreements_dir())
    out = check_flight(ags, "XX RUN-DZA", carrier_states={"XX": "FRA"})
    (seg,) = out.segments
    assert (seg.kind, seg.freedom, seg.verdict) == ("domestic", None, "not-regulated")
    assert (seg.board_state, seg.off_state) == ("FRA", "FRA")
    assert (seg.board_territory, seg.off_territory) == ("REU", "MYT")


def test_reunion_mauritius_is_third_freedom_for_a_french_carrier_not_seventh() -> None:
    ags = load_agreements(case_agreements_dir())
    (seg,) = check_flight(ags, "XX RUN-MRU", carrier_states={"XX": "FRA"}).segments
    assert (seg.kind, seg.freedom, seg.verdict) == ("traffic", 3, "outside-agreements")
    assert seg.reason == (
        "outside the agreements held: no agreement between FRA and MUS in the folder, so "
        "RUN-MRU (third freedom) is neither permitted nor refused here [RUN: Réunion, France]"
    )


def test_minsk_reunion_is_traffic_to_france(with_france: Path) -> None:
    ags = load_agreements(with_france)
    (seg,) = check_flight(ags, "B2 MSQ-RUN").segments
    assert (seg.freedom, seg.verdict, seg.off_state) == (3, "permitted", "FRA")
    assert seg.reason == (
        "BLR-FRA-TEST BLR-3-4 grants BLR carriers the third freedom MSQ-RUN [RUN: Réunion, France]"
    )


def test_reunion_mayotte_is_cabotage_for_a_foreign_carrier_and_refused(
    with_france: Path,
) -> None:
    ags = load_agreements(with_france)
    out = check_flight(ags, "B2 MSQ-RUN-DZA", local_traffic=["RUN-DZA"])
    seg = next(s for s in out.segments if (s.board, s.off) == ("RUN", "DZA"))
    assert (seg.kind, seg.freedom, seg.verdict) == ("traffic", 8, "refused")
    (grant,) = seg.grants
    assert grant.code == "no-right"
    assert grant.reason == (
        "no right: BLR-FRA-TEST grants carriers of BLR no eighth freedom (cabotage) RUN-DZA "
        "[RUN: Réunion, France; DZA: Mayotte, France]"
    )
    # without local traffic the same stop is a co-terminal service, which needs its own clause
    out = check_flight(ags, "B2 MSQ-RUN-DZA")
    seg = next(s for s in out.segments if (s.board, s.off) == ("RUN", "DZA"))
    assert (seg.kind, seg.grants[0].code) == ("co-terminal", "no-co-terminalisation")


def test_minsk_reunion_without_an_agreement_names_the_sovereign() -> None:
    ags = load_agreements(case_agreements_dir())
    (seg,) = check_flight(ags, "B2 MSQ-RUN").segments
    assert seg.verdict == "outside-agreements" and seg.grants[0].code == "no-agreement"
    assert "between BLR and FRA" in seg.reason and "REU" not in seg.reason
