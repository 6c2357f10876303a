"""HS revision conversion on the UNSD correlation tables (../shared/data/hs)."""

from __future__ import annotations

import csv
from pathlib import Path

import ibis
import openpyxl
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bilat.codes.concordance import Concordance, chain, convert_flows, load_concordance
from bilat.errors import BilatError, InputError, ParseError, SchemaError

pytestmark = pytest.mark.shared


@pytest.fixture(scope="module")
def hs22_hs17(shared_data: Path) -> Concordance:
    return Concordance.from_unsd_xlsx(shared_data / "hs" / "unsd-hs2022-hs2017-correlation.xlsx")


@pytest.fixture(scope="module")
def hs17_hs12(shared_data: Path) -> Concordance:
    return Concordance.from_unsd_xlsx(shared_data / "hs" / "unsd-hs2017-hs2012-correlation.xlsx")


def _frame(codes: list[str], rev: str = "HS22") -> pd.DataFrame:
    return pd.DataFrame(
        {
            "year": [2022] * len(codes),
            "product": codes,
            "hs_rev": [rev] * len(codes),
            "value_usd": [float(i + 1) for i in range(len(codes))],
        }
    )


def test_reads_the_unsd_correlation_sheet(hs22_hs17: Concordance, hs17_hs12: Concordance) -> None:
    assert (hs22_hs17.source_rev, hs22_hs17.target_rev) == ("HS22", "HS17")
    assert (hs17_hs12.source_rev, hs17_hs12.target_rev) == ("HS17", "HS12")
    # counted independently with openpyxl: 5,613 HS2022 codes, 15,657 links
    assert len(hs22_hs17.links) == 5613
    assert sum(len(t) for t in hs22_hs17.links.values()) == 15657
    assert len(hs17_hs12.links) == 5388
    assert hs22_hs17.links["010121"] == ("010121",)


def test_one_to_many_split_equal(hs22_hs17: Concordance) -> None:
    # HS2022 0403.20 (yoghurt) was split from HS2017 0403.10 and 1901.90
    assert hs22_hs17.links["040320"] == ("040310", "190190")
    out, report = hs22_hs17.convert(_frame(["040320"]), to="HS17")
    assert isinstance(out, pd.DataFrame)
    assert dict(zip(out["product"], out["value_usd"], strict=True)) == {
        "040310": 0.5,
        "190190": 0.5,
    }
    assert set(out["hs_rev"]) == {"HS17"}
    assert report.split_codes == ("040320",)
    assert report.value_in == report.value_out == 1.0


def test_one_to_many_split_by_target_and_link_weights(hs22_hs17: Concordance) -> None:
    frame = _frame(["040320"])
    out, report = hs22_hs17.convert(frame, to="HS17", rule={"040310": 3.0, "190190": 1.0})
    assert dict(zip(out["product"], out["value_usd"], strict=True)) == {
        "040310": 0.75,
        "190190": 0.25,
    }
    assert report.rule == "weights"
    out, _ = hs22_hs17.convert(frame, to="HS17", rule={("040320", "190190"): 1.0})
    assert dict(zip(out["product"], out["value_usd"], strict=True)) == {
        "040310": 0.0,
        "190190": 1.0,
    }
    # all weights zero or missing: falls back to the equal split
    out, _ = hs22_hs17.convert(frame, to="HS17", rule={"999999": 5.0})
    assert list(out["value_usd"]) == [0.5, 0.5]


def test_many_to_one_merges(hs22_hs17: Concordance) -> None:
    # HS2022 9705.31 and 9705.39 both come from HS2017 9705.00
    assert hs22_hs17.relationship("970531") == "n:1"
    out, report = hs22_hs17.convert(_frame(["970531", "970539"]), to="HS17")
    assert list(out["product"]) == ["970500"]
    assert out["value_usd"].iloc[0] == 3.0
    assert report.rows_in == 2
    assert report.rows_out == 1


@pytest.mark.parametrize("level", [6, 4, 2])
def test_value_is_conserved_over_the_whole_table(hs22_hs17: Concordance, level: int) -> None:
    codes = sorted({c[:level] for c in hs22_hs17.links})
    frame = _frame(codes)
    out, report = hs22_hs17.convert(frame, to="HS17")
    assert out["value_usd"].sum() == pytest.approx(frame["value_usd"].sum(), rel=1e-12)
    assert report.unmatched_codes == ()
    assert {len(p) for p in out["product"]} == {level}
    for shares in hs22_hs17.shares(level).values():
        assert sum(shares.values()) == pytest.approx(1.0, abs=1e-12)


def test_round_trip_and_arrow_input(hs22_hs17: Concordance) -> None:
    table = pa.Table.from_pandas(_frame(["030721", "040320", "010121"]), preserve_index=False)
    down, _ = hs22_hs17.convert(table, to="HS17")
    assert isinstance(down, pa.Table)
    back, report = hs22_hs17.inverse().convert(down, to="HS22")
    assert report.value_out == pytest.approx(6.0)
    assert pa.compute.sum(back["value_usd"]).as_py() == pytest.approx(6.0)


def test_chain_goes_both_ways(hs22_hs17: Concordance, hs17_hs12: Concordance) -> None:
    path = chain([hs22_hs17, hs17_hs12], "HS12", "HS22")
    assert [(c.source_rev, c.target_rev) for c in path] == [("HS12", "HS17"), ("HS17", "HS22")]
    with pytest.raises(InputError, match="no chain of concordances leads from HS22 to HS07"):
        chain([hs22_hs17, hs17_hs12], "HS22", "HS07")


def test_convert_flows_on_duckdb_matches_pandas(
    hs22_hs17: Concordance, hs17_hs12: Concordance
) -> None:
    codes = ["030721", "040320", "970531", "970539", "0403", "04", "TOTAL"]
    frame = _frame(codes)
    frame["quantity"] = 2.0
    older = _frame(["030193", "854231"], rev="HS12")
    older["quantity"] = 1.0
    older["year"] = 2016
    expr = convert_flows(
        ibis.memtable(pd.concat([frame, older], ignore_index=True)),
        to="HS17",
        concordances=[hs22_hs17, hs17_hs12],
    )
    got = expr.to_pandas().sort_values(["product"]).reset_index(drop=True)
    assert set(got["hs_rev"]) == {"HS17"}
    assert got["value_usd"].sum() == pytest.approx(frame["value_usd"].sum() + 3.0)
    expected, _ = hs22_hs17.convert(frame, to="HS17", value_columns=("value_usd", "quantity"))
    mine = got[got["year"] == 2022].set_index("product")["value_usd"]
    ref = expected.set_index("product")["value_usd"]
    pd.testing.assert_series_equal(mine.sort_index(), ref.sort_index(), check_names=False)
    # HS2012 8542.31 was split into three HS2017 codes and back (fan-in counted correctly)
    assert got.loc[got["year"] == 2016, "value_usd"].sum() == pytest.approx(3.0)


def test_tabulated_csv_agrees_with_the_correlation_table(
    shared_data: Path, hs22_hs17: Concordance
) -> None:
    simple = Concordance.from_csv(shared_data / "hs" / "hs2022-to-hs2017.csv")
    assert (simple.source_rev, simple.target_rev) == ("HS22", "HS17")
    assert all(len(t) == 1 for t in simple.links.values())
    agree = sum(simple.links[s][0] in hs22_hs17.links.get(s, ()) for s in simple.links)
    assert agree / len(simple.links) > 0.99


def test_bad_code_cell_names_the_line(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["HS2022", "HS2017", "Relationship"])
    ws.append(["010121", "010121", "1:1"])
    ws.append(["01012X", "010121", "1:1"])
    wb.save(tmp_path / "bad.xlsx")
    with pytest.raises(ParseError, match=r"line 3.*'01012X'") as info:
        Concordance.from_unsd_xlsx(tmp_path / "bad.xlsx")
    assert info.value.details["line"] == 3


def test_missing_header_is_a_schema_error(tmp_path: Path) -> None:
    (tmp_path / "plain.csv").write_text("a,b\n010121,010121\n")
    with pytest.raises(SchemaError, match="no header row naming two HS revisions"):
        Concordance.from_csv(tmp_path / "plain.csv")
    conc = Concordance.from_csv(tmp_path / "plain.csv", source_rev="HS22", target_rev="HS17")
    assert conc.links == {"010121": ("010121",)}


@pytest.mark.parametrize("rule", ["bogus", {"040310": -1.0}, 3])
def test_bad_rules_are_rejected(hs22_hs17: Concordance, rule: object) -> None:
    with pytest.raises(InputError):
        hs22_hs17.convert(_frame(["040320"]), to="HS17", rule=rule)  # type: ignore[arg-type]


def test_wrong_target_and_foreign_revision(hs22_hs17: Concordance) -> None:
    with pytest.raises(InputError, match="not to HS12"):
        hs22_hs17.convert(_frame(["040320"]), to="HS12")
    with pytest.raises(InputError, match="rows in revision HS12"):
        hs22_hs17.convert(_frame(["040320"], rev="HS12"), to="HS17")


codes6 = st.integers(min_value=10000, max_value=999999).map(lambda n: f"{n:06d}")


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pairs=st.lists(st.tuples(codes6, codes6), min_size=1, max_size=30))
def test_csv_round_trip(tmp_path: Path, pairs: list[tuple[str, str]]) -> None:
    path = tmp_path / "pairs.csv"
    with path.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["HS2017", "HS2012"])
        w.writerows(pairs)
    conc = Concordance.from_csv(path)
    assert {(s, t) for s, ts in conc.links.items() for t in ts} == set(pairs)


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cell=st.text(min_size=1, max_size=8).filter(lambda t: not t.strip().isdigit()))
def test_garbage_code_is_a_bilat_error(tmp_path: Path, cell: str) -> None:
    path = tmp_path / "garbage.csv"
    with path.open("w", newline="") as fh:
        csv.writer(fh).writerows([["HS2017", "HS2012"], [cell, "010121"]])
    try:
        Concordance.from_csv(path)
    except BilatError:
        return
    pytest.fail(f"{cell!r} was accepted as an HS code")


def test_load_concordance_by_extension(shared_data: Path, tmp_path: Path) -> None:
    xlsx = load_concordance(shared_data / "hs" / "unsd-hs2017-hs2012-correlation.xlsx")
    assert (xlsx.source_rev, xlsx.target_rev) == ("HS17", "HS12")
    csv_ = load_concordance(shared_data / "hs" / "hs2017-to-hs2012.csv")
    assert (csv_.source_rev, csv_.target_rev) == ("HS17", "HS12")
    (tmp_path / "c.json").write_text("{}")
    with pytest.raises(InputError, match="cannot tell the format"):
        load_concordance(tmp_path / "c.json")


def test_quantities_are_split_with_values(hs22_hs17: Concordance) -> None:
    frame = _frame(["040320"]).assign(quantity=10.0, quantity_unit="kg")
    out, _ = hs22_hs17.convert(frame, to="HS17")
    assert list(out["quantity"]) == [5.0, 5.0]
    assert list(out["quantity_unit"]) == ["kg", "kg"]


def test_unstated_revision_rows(hs22_hs17: Concordance) -> None:
    frame = pd.concat([_frame(["040320"]), _frame(["040320"], rev="HS")], ignore_index=True)
    table = ibis.memtable(frame)
    with pytest.raises(InputError, match="do not state their HS revision"):
        convert_flows(table, to="HS17", concordances=hs22_hs17)
    got = convert_flows(table, to="HS17", concordances=hs22_hs17, unstated="keep").to_pandas()
    kept = got[got["hs_rev"] == "HS"]
    assert list(kept["product"]) == ["040320"]
    assert sorted(got.loc[got["hs_rev"] == "HS17", "product"]) == ["040310", "190190"]
