"""The web app on a lake holding only Comtrade declarations (issue 12, scenario 6).

The real file (EU27 forestry imports 2018-2022, ../shared/data) holds the EU members' import
declarations only: Belarus→Germany is covered (Germany's declaration, a few HS chapters),
Germany→Belarus is not. The pages and the API must list the years, show the covered figures
(checked against pandas on the raw CSV) and show the uncovered ones as "not available" (JSON
null with coverage "none"), never as 0.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd
import pytest
from fastapi.testclient import TestClient

pytestmark = pytest.mark.shared


@pytest.fixture(scope="module")
def raw(comtrade_eu_raw: pd.DataFrame) -> pd.DataFrame:
    return comtrade_eu_raw


@pytest.fixture
def app(comtrade_eu_lake: Any, accounts: Any, agenda_url: str) -> Any:
    """The web app over the Comtrade-only lake (overrides the demo lake's ``app``)."""
    from bilat.web import Settings, create_app

    settings = Settings(agenda_url=agenda_url, secret_key="test-secret-key-0123456789")
    return create_app(settings, lake=comtrade_eu_lake, accounts=accounts)


@pytest.fixture
def client(viewer: TestClient) -> TestClient:
    return viewer


def test_years_come_from_the_declarations(client: TestClient, raw: pd.DataFrame) -> None:
    assert client.get("/api/years").json()["years"] == sorted(int(y) for y in raw.refYear.unique())
    page = client.get("/dyad/BLR/DEU")
    assert page.status_code == 200
    assert '<option value="2022" selected>2022</option>' in page.text  # the latest year held


def test_overview_json_covered_and_uncovered(client: TestClient, raw: pd.DataFrame) -> None:
    r = client.get("/api/trade/overview", params={"a": "BLR", "b": "DEU", "year": 2021})
    assert r.status_code == 200, r.text
    s = r.json()["summary"]
    rows = raw[(raw.refYear == 2021) & (raw.reporterISO == "DEU") & (raw.partnerISO == "BLR")]
    # no code of the file is a prefix of another: every row of Germany's declaration counts
    assert s["exports_usd"] == pytest.approx(rows.primaryValue.sum(), rel=1e-9)
    assert s["figures"]["exports"]["coverage"]["status"] == "partial"
    assert s["figures"]["exports"]["coverage"]["sides"] == ["importer"]
    # Germany's exports to Belarus: the file holds imports only
    assert s["imports_usd"] is None
    assert s["figures"]["imports"]["value_usd"] is None
    assert s["figures"]["imports"]["coverage"]["status"] == "none"
    assert s["turnover_usd"] is None and s["balance_usd"] is None
    head = {h["key"]: h for h in r.json()["headline"]}
    assert head["imports"]["available"] is False and "no source" in head["imports"]["note"]
    assert head["exports"]["basis"] == "100.0% importer declarations (comtrade)"
    assert r.json()["top_imports"]["coverage"]["status"] == "none"
    assert r.json()["top_imports"]["rows"] == []


def test_overview_page_says_not_available_never_zero(client: TestClient) -> None:
    page = client.get("/dyad/BLR/DEU", params={"year": 2021})
    assert page.status_code == 200
    html = page.text
    head = html[html.index('id="headline"') : html.index("</section>", html.index('id="headline"'))]
    for key in ("turnover", "imports", "balance"):
        card = re.search(rf'id="fig-{key}" data-coverage="(\w+)">(.*?)</div>', head)
        assert card is not None and card.group(1) == "none"
        assert "not available" in card.group(2) and "$" not in card.group(2)
    exports = re.search(r'id="fig-exports" data-coverage="(\w+)">(.*?)</div>', head)
    assert exports is not None and exports.group(1) == "partial"
    assert "$364.1M" in exports.group(2) and "HS 44, 47, 48, 49, 94 only" in exports.group(2)
    top = html[html.index('id="top_imports"') :]
    assert top.index("No data: no source the lake holds covers this flow in 2021") < top.index(
        "</section>"
    )
    baskets = html[html.index('id="baskets"') :]
    assert "No data" in baskets[: baskets.index("</section>")]


def test_products_and_potential_of_an_uncovered_direction(
    client: TestClient, raw: pd.DataFrame
) -> None:
    r = client.get("/api/trade/products", params={"a": "DEU", "b": "BLR", "year": 2021, "level": 4})
    assert r.status_code == 200
    assert r.json()["total_usd"] is None and r.json()["coverage"]["status"] == "none"
    page = client.get("/dyad/DEU/BLR/products", params={"year": 2021, "level": 4})
    assert "No data: DEU→BLR, 2021: not available" in page.text
    # potential of Belarus in Germany: from Germany's declaration (the lake's own world)
    r = client.get(
        "/api/potential/products",
        params={"exporter": "BLR", "market": "DEU", "year": 2021, "level": 4, "actual_years": 1},
    )
    assert r.status_code == 200, r.text
    rows = raw[(raw.refYear == 2021) & (raw.reporterISO == "DEU") & (raw.partnerISO == "BLR")]
    assert r.json()["actual_usd"] == pytest.approx(
        rows[rows.cmdCode.str.len() >= 4].primaryValue.sum(), rel=1e-9
    )
    # ... and of Germany in Belarus: Belarus's imports are not in the lake, so no potential
    r = client.get(
        "/api/potential/products",
        params={"exporter": "DEU", "market": "BLR", "year": 2021, "level": 4},
    )
    assert r.status_code == 404
    assert "covers the imports of BLR" in r.json()["message"]
    page = client.get("/dyad/DEU/BLR/potential", params={"year": 2021, "level": 4})
    assert "covers the imports of BLR" in page.text
