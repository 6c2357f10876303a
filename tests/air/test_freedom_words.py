"""Freedoms and flags in words, and the looped flight (issue 17)."""

from __future__ import annotations

import re

import pytest

from bilat.air import (
    case_agreements_dir,
    check_flight,
    freedom_name,
    freedoms_words,
    load_agreements,
    segment_words,
)


def test_each_freedom_has_its_ordinal_word() -> None:
    words = [freedom_name(f) for f in range(1, 10)]
    assert words[:7] == [
        "first freedom",
        "second freedom",
        "third freedom",
        "fourth freedom",
        "fifth freedom",
        "sixth freedom",
        "seventh freedom",
    ]
    assert words[7] == "eighth freedom (cabotage)"
    assert words[8] == "ninth freedom (stand-alone cabotage)"


@pytest.mark.parametrize("bad", [0, 10, -1])
def test_a_freedom_outside_one_to_nine_is_refused(bad: int) -> None:
    with pytest.raises(ValueError, match="1-9"):
        freedom_name(bad)


def test_lists_and_kinds_in_words() -> None:
    assert freedoms_words((4, 3)) == "third and fourth freedoms"
    assert freedoms_words((3, 4, 5)) == "third, fourth and fifth freedoms"
    assert freedoms_words(()) == "no freedom"
    assert segment_words("co-terminal", None) == "co-terminal, no local traffic"
    assert segment_words("domestic", None) == "domestic"


def test_a_loop_back_to_the_same_airport_is_no_segment() -> None:
    # XX 9797 of the GNA season: CDG-XCR-CDG; nobody flies CDG to CDG
    ags = load_agreements(case_agreements_dir())
    out = check_flight(ags, "XX CDG-XCR-CDG", carrier_states={"XX": "FRA"})
    assert [(s.board, s.off) for s in out.segments] == [("CDG", "XCR"), ("XCR", "CDG")]
    out = check_flight(ags, "XX RUN-NOS-DZA-RUN", carrier_states={"XX": "FRA"})
    assert ("RUN", "RUN") not in {(s.board, s.off) for s in out.segments}
    assert len(out.segments) == 5  # 4 points, 6 pairs, less the loop


def test_no_reason_says_none_or_a_bare_ordinal() -> None:
    ags = load_agreements(case_agreements_dir())
    out = check_flight(ags, "B2 MSQ-RUN-DZA-MSQ")
    for s in out.segments:
        assert "None" not in s.reason
        assert not re.search(r"\b\d(st|nd|rd|th)\b", s.reason), s.reason
