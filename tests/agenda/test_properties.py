"""Property tests of the agenda parser: what is written reads back the same; garbage gives a
BilatError, never a crash."""

from __future__ import annotations

import calendar
import datetime as dt
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bilat.agenda import KINDS, STATUSES, due_end, read_case
from bilat.agenda.caseio import ChangeDoc, ItemDoc, agenda_yaml, parse_agenda
from bilat.codes import load_baskets
from bilat.errors import BilatError

MINI = Path(__file__).resolve().parents[1] / "fixtures" / "agenda" / "mini"
CASE = read_case(MINI)
BASKETS = load_baskets()

ids = st.from_regex(r"[a-z0-9][a-z0-9._-]{0,20}", fullmatch=True)
texts = (
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Cf", "Zl", "Zp", "Co", "Cn")),
        min_size=1,
        max_size=60,
    )
    .map(str.strip)
    .filter(bool)
)
dates = st.dates(dt.date(1990, 1, 1), dt.date(2040, 12, 31))
dues = st.one_of(
    st.integers(1990, 2040).map(str),
    st.tuples(st.integers(1990, 2040), st.integers(1, 12)).map(lambda t: f"{t[0]}-{t[1]:02d}"),
    dates.map(dt.date.isoformat),
    st.tuples(st.integers(1990, 2040), st.integers(1, 4)).map(lambda t: f"{t[0]}-Q{t[1]}"),
)


@st.composite
def changes(draw: st.DrawFn) -> tuple[ChangeDoc, ...]:
    days = sorted(draw(st.lists(dates, min_size=1, max_size=4)))
    opt = st.none() | texts
    return tuple(
        ChangeDoc(d, draw(st.sampled_from(STATUSES)), draw(opt), draw(opt), draw(opt)) for d in days
    )


@st.composite
def items(draw: st.DrawFn) -> ItemDoc:
    opt = st.none() | texts
    return ItemDoc(
        id=draw(ids),
        meeting=draw(st.sampled_from([m.id for m in CASE.meetings])),
        kind=draw(st.sampled_from(KINDS)),
        title=draw(texts),
        description=draw(opt),
        area=draw(st.none() | st.sampled_from([a for a, _ in CASE.areas])),
        party=draw(st.none() | st.sampled_from(CASE.dyad)),
        body=draw(opt),
        due=draw(st.none() | dues),
        value=draw(st.none() | st.floats(0, 1e13, allow_nan=False)),
        currency=draw(st.none() | st.sampled_from(["USD", "EUR", "BYN", "KZT"])),
        count=draw(st.none() | st.integers(0, 10_000)),
        baskets=tuple(draw(st.lists(st.sampled_from(sorted(BASKETS)), unique=True, max_size=3))),
        hs=tuple(draw(st.lists(st.sampled_from(["0401", "1701", "870110", "84"]), unique=True))),
        air_clause=None,
        history=draw(changes()),
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(items(), max_size=5, unique_by=lambda i: i.id))
def test_written_agenda_reads_back_the_same(docs: list[ItemDoc]) -> None:
    text = agenda_yaml(CASE.commission_id, docs)
    back = parse_agenda(text, CASE, baskets=BASKETS, air_clauses={})
    assert [d.__class__(**{**_fields(d), "line": 0}) for d in back] == docs
    assert agenda_yaml(CASE.commission_id, back) == text


def _fields(d: ItemDoc) -> dict[str, object]:
    return {f: getattr(d, f) for f in d.__slots__}  # type: ignore[attr-defined]


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_garbage_text_gives_a_bilat_error(text: str) -> None:
    try:
        parse_agenda(text, CASE, baskets=BASKETS, air_clauses={})
    except BilatError as exc:
        assert exc.message
    else:  # pragma: no cover - only an empty item list parses
        pass


yaml_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=10)
    | dates,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                ["id", "items", "title", "history", "date", "status", "kind", "meeting", "x"]
            ),
            inner,
            max_size=4,
        )
    ),
    max_leaves=12,
)


@settings(max_examples=150, deadline=None)
@given(yaml_values)
def test_garbage_structure_gives_a_bilat_error(value: object) -> None:
    text = yaml.safe_dump({"items": value} if not isinstance(value, dict) else value)
    try:
        parse_agenda(text, CASE, baskets=BASKETS, air_clauses={})
    except BilatError as exc:
        assert exc.message


@given(dates)
def test_due_date_is_its_own_end(day: dt.date) -> None:
    assert due_end(day.isoformat()) == day


@given(st.integers(1990, 2040), st.integers(1, 12))
def test_due_month_ends_on_its_last_day(year: int, month: int) -> None:
    end = due_end(f"{year}-{month:02d}")
    assert (end.year, end.month, end.day) == (year, month, calendar.monthrange(year, month)[1])
    assert (end + dt.timedelta(days=1)).month != month


@given(st.integers(1990, 2040), st.integers(1, 4))
def test_quarters_and_halves(year: int, q: int) -> None:
    assert due_end(f"{year}-Q{q}") == due_end(f"{year}-{3 * q:02d}")
    assert due_end(f"{year}-H{(q + 1) // 2}") == due_end(f"{year}-{6 * ((q + 1) // 2):02d}")
    assert due_end(str(year)) == dt.date(year, 12, 31)


MINI_DATA = yaml.safe_load((MINI / "agenda.yaml").read_text("utf-8"))
ITEM_KEYS = sorted({k for item in MINI_DATA["items"] for k in item} | {"extra"})


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 1), st.sampled_from(ITEM_KEYS), yaml_values)
def test_one_bad_value_in_a_good_file_gives_a_bilat_error(
    index: int, key: str, value: object
) -> None:
    data = yaml.safe_load((MINI / "agenda.yaml").read_text("utf-8"))
    data["items"][index][key] = value
    text = yaml.safe_dump(data, sort_keys=False)
    try:
        docs = parse_agenda(text, CASE, baskets=BASKETS, air_clauses={})
    except BilatError as exc:
        assert exc.message
        assert exc.details.get("line") is None or exc.details["line"] >= 1
    else:
        assert len(docs) == 2
        assert all(d.id and d.meeting and d.kind in KINDS and d.history for d in docs)


@pytest.mark.parametrize("key", ["kind", "meeting"])
@pytest.mark.parametrize("value", ["", None, "   "])
def test_blank_required_choice_is_refused(key: str, value: object) -> None:
    """Found by the property test above: a blank kind was read as 'no kind' and accepted."""
    data = yaml.safe_load((MINI / "agenda.yaml").read_text("utf-8"))
    data["items"][0][key] = value
    with pytest.raises(BilatError, match=key):
        parse_agenda(yaml.safe_dump(data, sort_keys=False), CASE, baskets=BASKETS, air_clauses={})
