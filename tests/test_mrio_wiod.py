"""The full WIOD 1995 table (1,435 sectors) through the MRIO loader, against a real Neo4j (slow): loaded once,
then its flows and accounts, its GVC results and an idempotent reload checked."""
from __future__ import annotations

import time

import numpy as np
import pytest

from loader.mrio.read import read_mrio
from loader.mrio.load import write_table
from queries.runner import run_module
from tests.conftest import wipe
from tests.support import va_paths as va_ref
from tests.support.mrio_reference import full_dump, reference_accounts, sector_years, supplies
from tests.support.reliability_db import wiod_folder
from tests.test_gvc_graph import check_graph_equals_reference, check_identities

WIOD_1995 = wiod_folder()
PROPS = ("output", "value_added", "va_coef", "final_demand", "exports", "backward_linkage",
         "forward_linkage", "upstreamness", "dva_exports", "fva_exports")

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not WIOD_1995.is_dir(), reason=f"WIOD 1995 table not found at {WIOD_1995}")]


@pytest.fixture(scope="module")
def wiod_1995(driver, schema_applied):
    """One load of the year for the checks below (a full WIOD year is the suite's most expensive write). The year
    is left in the database for tests/test_mrio_wiod_paths.py, which runs next, reads it and wipes it."""
    wipe(driver)
    table = read_mrio(WIOD_1995, "parquet")
    t0 = time.perf_counter()
    first = write_table(table, progress=False)
    yield table, first, time.perf_counter() - t0


def test_wiod_1995_loads_exactly(driver, wiod_1995):
    table, first, load_s = wiod_1995
    assert (table.year, table.classification) == (1995, "WIOD35")
    z = table.Z.to_numpy()
    n, nnz = z.shape[0], int((z != 0).sum())
    assert n == 1435
    counts = {r["l"]: r["c"] for r in driver.execute_query(
        "MATCH (n) RETURN labels(n)[0] AS l, count(*) AS c").records}
    assert counts["Sector"] == counts["SectorYear"] == n
    assert counts["Country"] == 41 and counts["Industry"] == 35
    assert first.created["SUPPLIES"] == nnz
    # WIOD spells Romania ROM; the Country node is ISO's ROU, the sector keys keep ROM
    located = {r["k"]: r["c"] for r in driver.execute_query(
        "MATCH (s:Sector)-[:LOCATED_IN]->(c:Country) WHERE s.key STARTS WITH 'ROM|' "
        "RETURN s.key AS k, c.key AS c").records}
    assert len(located) == 35 and set(located.values()) == {"ROU"}

    ref = reference_accounts(table.Z, table.Y, table.x)
    keys = [f"{c}|{s}" for c, s in table.Z.index]
    pos = {k: i for i, k in enumerate(keys)}
    edges = supplies(driver, 1995)
    assert len(edges) == nnz
    np.testing.assert_allclose(edges["value"].sum(), z.sum(), rtol=1e-12)
    i, j = edges["s"].map(pos).to_numpy(), edges["t"].map(pos).to_numpy()
    np.testing.assert_array_equal(edges["value"].to_numpy(), z[i, j])
    np.testing.assert_allclose(edges["a"], ref["A"][i, j], rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(edges["b"], ref["B"][i, j], rtol=1e-9, atol=1e-12)
    sy = sector_years(driver, 1995).set_index("sector").loc[keys]
    for p in PROPS:
        np.testing.assert_allclose(sy[p].to_numpy(dtype=float), ref[p], rtol=1e-9, atol=1e-9, err_msg=p)
    zero = table.x.to_numpy() == 0                       # 18 sectors report no output in 1995
    assert zero.any() and (sy["va_coef"].to_numpy()[zero] == 0).all()



def test_wiod_1995_stored_gvc_accounts_equal_the_transcription(driver, wiod_1995):
    """The GVC results the load wrote (CountryYear, EXPORTS_TO, SERVES, SectorYear terms) equal a
    transcription of decompr's published R code (tests/support/gvc_reference.py), and their identities hold."""
    table = wiod_1995[0]
    r = check_graph_equals_reference(driver, table, table.source, table.year)
    check_identities(driver, table.source, table.year)
    # the published x of the integer-rounded WIOD tables differs from Z 1 + Y 1: recorded per country
    worst = driver.execute_query("MATCH (c:CountryYear {source: $s, year: $y}) RETURN max(c.x_gap_max) AS m",
                                 s=table.source, y=table.year).records[0]["m"]
    assert worst == pytest.approx(np.nanmax(r["gap"]), rel=1e-12)
    assert worst > 0.01


def test_wiod_1995_top_value_added_paths_equal_a_numpy_enumeration(wiod_1995):
    """va-paths on the stored year: the top paths of German value added to US final demand (tests/support/va_paths.py)."""
    table = wiod_1995[0]
    regions = [str(c) for c in table.Y.columns.get_level_values(0)]
    p = va_ref.prepare(table.Z.to_numpy(float), table.Y.to_numpy(float), [j for j, c in enumerate(regions) if c == "USA"])
    keys = [f"{c}|{s}" for c, s in table.Z.index]
    origins = [i for i, k in enumerate(keys) if k.startswith("DEU|")]
    threshold, depth = 5.0, 3
    df = run_module("va-paths", {"origin": "DEU", "destination": "USA", "depth": depth, "threshold": threshold,
                                 "limit": 20, "source": table.source, "year": table.year}, timeout_s=120)
    want = va_ref.enumerate_paths(p, origins, depth, threshold)
    for d in range(depth + 1):
        rows = df[df["depth"] == d]
        level = want[d]
        assert rows["depth_paths"].iloc[0] == len(level)
        assert rows["depth_total"].iloc[0] == pytest.approx(sum(v for _, v in level), rel=1e-9)
        top = sorted((pt for pt in level if abs(pt[1]) >= threshold), key=lambda pt: -abs(pt[1]))[:20]
        assert [tuple(keys.index(k) for k in path) for path in rows["path"]] == [path for path, _ in top]
        np.testing.assert_allclose(rows["value"].to_numpy(), [v for _, v in top], rtol=1e-9)
    assert df["total_va"].iloc[0] == pytest.approx(p["limit"][origins].sum(), rel=1e-9)


def test_wiod_1995_reloads_without_change(driver, wiod_1995):
    table, first, load_s = wiod_1995
    before = full_dump(driver)
    t0 = time.perf_counter()
    again = write_table(table, progress=False)
    reload_s = time.perf_counter() - t0
    assert full_dump(driver) == before
    assert sum(again.created.values()) == sum(again.updated.values()) == sum(again.deleted.values()) == 0
    print(f"\nWIOD 1995: {first.created['SUPPLIES']:,} SUPPLIES in {load_s:.1f} s total, SUPPLIES phase "
          f"{first.stages['write relationships']:.1f} s = {first.relationships_per_s:,.0f} relationships/s; "
          f"idempotent reload {reload_s:.1f} s")
