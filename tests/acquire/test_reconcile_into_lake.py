"""Reconcile into the lake: the lake's declarations in, one new entry of reconciled flows out."""

from __future__ import annotations

import gzip
import zipfile
from pathlib import Path

import pytest
from tests.reconcile.synthetic import B_DIST, declarations_table, make

from bilat.acquire import LakeReconciliation, reconcile_into_lake
from bilat.errors import NotFoundError
from bilat.lake import Lake
from bilat.reconcile import reconcile
from bilat.sources.fetch import FetchConfig
from bilat.sources.geodist import read_geodist

pytestmark = pytest.mark.shared


@pytest.fixture(scope="module")
def world(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Lake, Path]:
    """A lake of synthetic declarations (12 countries, 20 products, 2 years) and GeoDist."""
    geo_path = shared_data / "geo" / "dist_cepii.csv.gz"
    decl = make(read_geodist(geo_path), products=20).declarations
    table = declarations_table(decl)
    lake = Lake.open(tmp_path_factory.mktemp("acquire") / "lake", create=True)
    lake.ingest_arrow(
        table, kind="declarations", source="synthetic", name="mirror-test", synthetic=True
    )
    return lake, geo_path


def test_reconciled_flows_become_one_entry(world: tuple[Lake, Path]) -> None:
    lake, geo = world
    result = reconcile_into_lake(lake, geo, years=[2021])
    assert isinstance(result, LakeReconciliation)
    assert result.flows == 12 * 11 * 20
    assert result.bases == {"reconciled": 12 * 11 * 20}
    assert result.years == (2021,)
    assert result.identified
    assert result.margins.specification == "baci"
    simple = reconcile_into_lake(lake, geo, years=[2021], ingest=False, specification="distance")
    assert simple.margins.b_dist == pytest.approx(B_DIST, abs=0.003)
    assert [r.variance for r in result.reliability] == sorted(
        r.variance for r in result.reliability
    )
    report = result.ingested
    assert report is not None and report.rows == result.flows
    entry = lake.entry(report.entry_id)
    assert (entry.kind, entry.source) == ("flows", "mirror")
    # the stored flows are exactly what the pure function computes
    direct = reconcile(lake.declarations(), geo, years=[2021]).flows
    stored = lake.flows().filter(lambda t: t.source == "mirror").to_pyarrow()
    assert stored.num_rows == direct.num_rows
    assert stored.column("value_usd").to_numpy().sum() == pytest.approx(
        direct.column("value_usd").to_numpy().sum(), rel=1e-12
    )
    with pytest.raises(AttributeError):
        result.flows = 0  # type: ignore[misc]


def test_without_ingest_nothing_is_stored(world: tuple[Lake, Path]) -> None:
    lake, geo = world
    before = lake.version
    result = reconcile_into_lake(lake, geo, years=[2020], ingest=False)
    assert result.ingested is None
    assert result.flows > 0
    assert lake.version == before


def test_the_stored_geodist_is_the_default(
    world: tuple[Lake, Path], tmp_path: Path, shared_data: Path
) -> None:
    lake, geo = world
    config = FetchConfig(cache_dir=tmp_path / "cache")
    with pytest.raises(NotFoundError, match="no GeoDist file in the download cache"):
        reconcile_into_lake(lake, config=config, ingest=False)
    stored = config.cache_dir / "geo" / "dist_cepii.zip"  # the name of CEPII's URL
    stored.parent.mkdir(parents=True)
    with zipfile.ZipFile(stored, "w") as zf:
        zf.writestr(
            "dist_cepii.csv",
            gzip.decompress((shared_data / "geo" / "dist_cepii.csv.gz").read_bytes()),
        )
    result = reconcile_into_lake(lake, config=config, ingest=False, years=[2020])
    assert result.geodist == stored
    assert result.margins == reconcile_into_lake(lake, geo, ingest=False, years=[2020]).margins
