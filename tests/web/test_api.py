"""The JSON API through an in-process client on a real (demo) lake and real databases."""

from __future__ import annotations

import csv
import io
from typing import Any

import ibis
import pytest
from fastapi.testclient import TestClient


def _flows_sum(lake: Any, exporter: str, importer: str, year: int) -> float:
    # Independent of bilat.trade: the level-6 flows summed straight from the lake table.
    t = lake.flows()
    expr = t.filter(
        (t.year == year)
        & (t.exporter == exporter)
        & (t.importer == importer)
        & (t["product"].length() == 6)
    ).value_usd.sum()
    return float(expr.execute() or 0.0)


def test_health_needs_no_sign_in(anon: TestClient) -> None:
    body = anon.get("/api/health").json()
    assert body["status"] == "ok" and body["synthetic"] is True


def test_overview_matches_the_flows_summed_directly(viewer: TestClient, demo_lake: Any) -> None:
    r = viewer.get("/api/trade/overview", params={"a": "BLR", "b": "KAZ", "year": 2021})
    assert r.status_code == 200, r.text
    s = r.json()["summary"]
    exports = _flows_sum(demo_lake, "BLR", "KAZ", 2021)
    imports = _flows_sum(demo_lake, "KAZ", "BLR", 2021)
    assert s["exports_usd"] == pytest.approx(exports, rel=1e-9)
    assert s["imports_usd"] == pytest.approx(imports, rel=1e-9)
    assert s["turnover_usd"] == pytest.approx(exports + imports, rel=1e-9)
    assert r.json()["series"]["rows"][-1]["year"] == 2021


def test_overview_is_cached_per_lake_version(viewer: TestClient, app: Any) -> None:
    cache = app.state.bilat.trade.cache
    viewer.get("/api/trade/overview", params={"a": "BLR", "b": "KAZ", "year": 2020})
    misses, hits = cache.misses, cache.hits
    again = viewer.get("/api/trade/overview", params={"a": "BLR", "b": "KAZ", "year": 2020})
    assert again.status_code == 200
    assert cache.misses == misses and cache.hits > hits


def test_overview_defaults_to_the_latest_year(viewer: TestClient) -> None:
    assert viewer.get("/api/trade/overview", params={"a": "BLR", "b": "KAZ"}).json()["year"] == 2021


def test_year_without_flows_is_404_naming_the_years(viewer: TestClient) -> None:
    r = viewer.get("/api/trade/overview", params={"a": "BLR", "b": "KAZ", "year": 1999})
    assert r.status_code == 404
    assert "2019-2021" in r.json()["message"]


def test_products_filtered_by_basket_are_exactly_the_basket_rows(viewer: TestClient) -> None:
    from bilat.codes.baskets import load_baskets

    params = {"a": "BLR", "b": "KAZ", "year": 2021, "level": 6, "flow": "export", "top": 10000}
    every = viewer.get("/api/trade/products", params=params).json()["rows"]
    seen = 0
    for name, bk in load_baskets().items():
        r = viewer.get("/api/trade/products", params={**params, "basket": name})
        assert r.status_code == 200, r.text
        got = [row["product"] for row in r.json()["rows"]]
        assert got == [row["product"] for row in every if bk.matches(row["product"])]
        seen += len(got)
    assert seen > 0


def test_products_sorted_by_value_descending(viewer: TestClient) -> None:
    r = viewer.get(
        "/api/trade/products",
        params={"a": "KAZ", "b": "BLR", "year": 2021, "level": 2, "sort": "value_usd",
                "order": "desc"},
    )  # fmt: skip
    values = [row["value_usd"] for row in r.json()["rows"]]
    assert values == sorted(values, reverse=True) and len(values) > 3


def test_products_total_matches_level_6_sum(viewer: TestClient, demo_lake: Any) -> None:
    r = viewer.get(
        "/api/trade/products",
        params={"a": "BLR", "b": "KAZ", "year": 2020, "level": 4, "top": 10000},
    )
    body = r.json()
    assert sum(row["value_usd"] for row in body["rows"]) == pytest.approx(
        _flows_sum(demo_lake, "BLR", "KAZ", 2020), rel=1e-9
    )


def test_products_csv_download_has_every_row(viewer: TestClient) -> None:
    params = {"a": "BLR", "b": "KAZ", "year": 2021, "level": 4, "flow": "import"}
    r = viewer.get("/api/trade/products.csv", params=params)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/csv")
    assert 'filename="BLR-KAZ-2021-hs4-import.csv"' in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.text)))
    n = viewer.get("/api/trade/products", params={**params, "top": 1}).json()["n_rows"]
    assert len(rows) == n


@pytest.mark.parametrize(
    ("params", "where"),
    [
        ({"level": 5}, "level"),
        ({"level": "x"}, "query.level"),
        ({"flow": "sideways"}, "query.flow"),
        ({"year": 3000}, "query.year"),
        ({"sort": "drop table"}, "query.sort"),
        ({"basket": "../etc"}, "query.basket"),
        ({"top": 0}, "query.top"),
    ],
)
def test_bad_query_parameters_are_refused(
    viewer: TestClient, params: dict[str, Any], where: str
) -> None:
    r = viewer.get("/api/trade/products", params={"a": "BLR", "b": "KAZ", "year": 2021, **params})
    assert r.status_code in (400, 422)
    body = r.json()
    assert (
        set(body) == {"error", "status", "exit_code", "message", "details"}
        and body["status"] == r.status_code
    )
    assert where in r.text


def test_unknown_basket_names_the_closest(viewer: TestClient) -> None:
    r = viewer.get(
        "/api/trade/products",
        params={"a": "BLR", "b": "KAZ", "year": 2021, "basket": "confectionary"},
    )
    assert r.status_code == 400
    assert "confectionery" in r.json()["message"]


def test_potential_gap_is_potential_minus_actual_where_positive(viewer: TestClient) -> None:
    r = viewer.get(
        "/api/potential/products",
        params={"exporter": "BLR", "market": "KAZ", "year": 2021, "level": 6, "top": 500},
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["potential_usd"] == pytest.approx(body["actual_usd"], rel=1e-6)
    for row in body["top_products"]:
        assert row["unrealised_usd"] == pytest.approx(
            max(row["potential_usd"] - row["actual_usd"], 0.0), rel=1e-9, abs=1e-6
        )


def test_sources_lists_the_manifest(viewer: TestClient, demo_lake: Any) -> None:
    body = viewer.get("/api/sources").json()
    assert body["years"] == [2019, 2020, 2021]
    assert {e["entry_id"] for e in body["entries"]} == {e.entry_id for e in demo_lake.manifest()}
    assert all(e["synthetic"] for e in body["entries"])


def test_ibis_is_the_reference_engine() -> None:
    # the independent sums above go through Ibis on DuckDB, as the lake contract says
    assert ibis.get_backend().name == "duckdb"


def test_briefing_downloads_as_one_html_file(viewer: TestClient) -> None:
    r = viewer.get("/api/brief/BLR/KAZ/2021/download")
    assert r.status_code == 200, r.text
    assert 'filename="brief-BLR-KAZ-2021.html"' in r.headers["content-disposition"]
    assert r.text.lstrip().lower().startswith("<!doctype html")
    assert "synthetic" in r.text.lower()
    view = viewer.get("/brief/BLR/KAZ/2021")
    assert view.status_code == 200 and "content-disposition" not in view.headers
    data = viewer.get("/api/brief/BLR/KAZ/2021").json()
    assert data["year"] == 2021 and data["synthetic"] is True


def test_briefing_downloads_as_pdf_in_the_requested_language(viewer: TestClient) -> None:
    import io

    import pypdfium2 as pdfium

    r = viewer.get("/api/brief/BLR/KAZ/2021/download?format=pdf&lang=ru")
    assert r.status_code == 200, r.text[:300]
    assert r.headers["content-type"] == "application/pdf"
    assert 'filename="brief-BLR-KAZ-2021.pdf"' in r.headers["content-disposition"]
    pdf = pdfium.PdfDocument(io.BytesIO(r.content))
    width, height = pdf[0].get_size()
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    text = pdf[0].get_textpage().get_text_range()
    assert "Беларусь" in text and "Основные выводы" in text
    bad = viewer.get("/api/brief/BLR/KAZ/2021/download?format=docx")
    assert bad.status_code == 422
