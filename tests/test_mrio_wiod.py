"""The full WIOD 1995 table (1,435 sectors) through the MRIO loader, against a real Neo4j (slow)."""
from __future__ import annotations

import time

import numpy as np
import pytest

from loader.mrio.read import read_mrio
from loader.mrio.load import write_table
from tests.support.mrio_reference import full_dump, reference_accounts, sector_years, supplies
from tests.support.reliability_db import wiod_folder

WIOD_1995 = wiod_folder()
PROPS = ("output", "value_added", "va_coef", "final_demand", "exports", "backward_linkage",
         "forward_linkage", "upstreamness", "dva_exports", "fva_exports")

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not WIOD_1995.is_dir(), reason=f"WIOD 1995 table not found at {WIOD_1995}")]


def test_wiod_1995_loads_exactly_and_reloads_without_change(empty_db):
    table = read_mrio(WIOD_1995, "parquet")
    assert (table.year, table.classification) == (1995, "WIOD35")
    t0 = time.perf_counter()
    first = write_table(table, progress=False)
    load_s = time.perf_counter() - t0
    z = table.Z.to_numpy()
    n, nnz = z.shape[0], int((z != 0).sum())
    assert n == 1435
    counts = {r["l"]: r["c"] for r in empty_db.execute_query(
        "MATCH (n) RETURN labels(n)[0] AS l, count(*) AS c").records}
    assert counts["Sector"] == counts["SectorYear"] == n
    assert counts["Country"] == 41 and counts["Industry"] == 35
    assert first.created["SUPPLIES"] == nnz
    # WIOD spells Romania ROM; the Country node is ISO's ROU, the sector keys keep ROM
    located = {r["k"]: r["c"] for r in empty_db.execute_query(
        "MATCH (s:Sector)-[:LOCATED_IN]->(c:Country) WHERE s.key STARTS WITH 'ROM|' "
        "RETURN s.key AS k, c.key AS c").records}
    assert len(located) == 35 and set(located.values()) == {"ROU"}

    ref = reference_accounts(table.Z, table.Y, table.x)
    keys = [f"{c}|{s}" for c, s in table.Z.index]
    pos = {k: i for i, k in enumerate(keys)}
    edges = supplies(empty_db, 1995)
    assert len(edges) == nnz
    np.testing.assert_allclose(edges["value"].sum(), z.sum(), rtol=1e-12)
    i, j = edges["s"].map(pos).to_numpy(), edges["t"].map(pos).to_numpy()
    np.testing.assert_array_equal(edges["value"].to_numpy(), z[i, j])
    np.testing.assert_allclose(edges["a"], ref["A"][i, j], rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(edges["b"], ref["B"][i, j], rtol=1e-9, atol=1e-12)
    sy = sector_years(empty_db, 1995).set_index("sector").loc[keys]
    for p in PROPS:
        np.testing.assert_allclose(sy[p].to_numpy(dtype=float), ref[p], rtol=1e-9, atol=1e-9, err_msg=p)
    zero = table.x.to_numpy() == 0                       # 18 sectors report no output in 1995
    assert zero.any() and (sy["va_coef"].to_numpy()[zero] == 0).all()

    before = full_dump(empty_db)
    t0 = time.perf_counter()
    again = write_table(table, progress=False)
    reload_s = time.perf_counter() - t0
    assert full_dump(empty_db) == before
    assert sum(again.created.values()) == sum(again.updated.values()) == sum(again.deleted.values()) == 0
    print(f"\nWIOD 1995: {nnz:,} SUPPLIES in {load_s:.1f} s total, SUPPLIES phase "
          f"{first.stages['write relationships']:.1f} s = {first.relationships_per_s:,.0f} relationships/s; "
          f"idempotent reload {reload_s:.1f} s")
