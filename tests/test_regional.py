"""Inter-regional tables: the regional measures by hand and by an independent numpy computation, the
loader's checks and writes against a real Neo4j, and the demo's Korean provincial table's national totals.

Nothing here imports iomath: every expected number is computed in this file."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from loader.mrio.read import MrioInputError, MrioTable
from tests.support.tables_checksum import checksum

# ------------------------------------------------------------------ a hand-worked 2-region x 2-sector example
#
# Country K has regions R1 and R2 with sectors a and b each; F is a one-sector foreign country.
# Inside K only two flows: R1a buys 20 from R2b (a = 20/100 = 0.2), R2a buys 8 from R1a (a = 8/80 = 0.1).
# Imports from F: R1a 30, R1b 10, R2a 20, R2b 10. Gross output x = Z 1 + Y 1: 100, 50, 80, 40.
#   v = 1 - column sums of A (imports included): R1a 1 - 50/100 = 0.5, R1b 1 - 10/50 = 0.8,
#       R2a 1 - 28/80 = 0.65, R2b 1 - 10/40 = 0.75.
#   exports abroad (to F's sector and final demand): R1a 25 + 15 = 40, R1b 20, R2a 30, R2b 10.
# A^KK has A[R2b,R1a] = 0.2 and A[R1a,R2a] = 0.1, so (A^2)[R2b,R2a] = 0.02 and A^3 = 0: L = I + A + A^2.
#   W[s, j] = sum_{k in s} v_k L_kj:
#     j = R1a: W[R1] = 0.5,  W[R2] = 0.75 * 0.2 = 0.15
#     j = R1b: W[R1] = 0.8,  W[R2] = 0
#     j = R2a: W[R1] = 0.5 * 0.1 = 0.05, W[R2] = 0.65 + 0.75 * 0.02 = 0.665
#     j = R2b: W[R1] = 0,    W[R2] = 0.75
#   M[s, r] = sum_{j in r} W[s, j] e_j:
#     M[R1,R1] = 0.5*40 + 0.8*20 = 36       M[R1,R2] = 0.05*30 = 1.5
#     M[R2,R1] = 0.15*40 = 6                 M[R2,R2] = 0.665*30 + 0.75*10 = 27.45
#   E = (60, 40); coefficients M/E: [[0.6, 0.0375], [0.1, 0.68625]];
#   per unit of K's exports (100): R1 37.5/100 = 0.375, R2 33.45/100 = 0.3345;
#   within (36, 27.45), other (6, 1.5); gain (1.5, 6), loss (6, 1.5), net (-4.5, +4.5).

ROWS = [("R1", "a"), ("R1", "b"), ("R2", "a"), ("R2", "b"), ("F", "f")]
YCOLS = [("R1", "fd"), ("R2", "fd"), ("F", "fd")]


def hand_table():
    Z = np.zeros((5, 5))
    Z[3, 0] = 20          # R2b -> R1a
    Z[0, 2] = 8           # R1a -> R2a
    Z[4, 0:4] = [30, 10, 20, 10]   # imports from F
    Z[0, 4] = 25          # R1a's intermediate exports to F
    Z[4, 4] = 100
    Y = np.zeros((5, 3))
    Y[0] = [52, 0, 15]
    Y[1] = [30, 0, 20]
    Y[2] = [0, 50, 30]
    Y[3] = [0, 10, 10]
    Y[4] = [0, 0, 500]
    return Z, Y


def test_hand_worked_two_regions_term_by_term():
    from iomath.regional import regional_export_va

    Z, Y = hand_table()
    assert np.allclose(Z.sum(axis=1) + Y.sum(axis=1), [100, 50, 80, 40, 670])
    res = regional_export_va(Z, Y, [u for u, _ in ROWS], [u for u, _ in YCOLS], {"R1": "K", "R2": "K"}, "K")
    assert res.regions == ("R1", "R2")
    assert np.allclose(res.va_coef, [0.5, 0.8, 0.65, 0.75])
    assert np.allclose(res.exports_abroad, [40, 20, 30, 10])
    assert np.allclose(res.generation, [[0.5, 0.8, 0.05, 0.0], [0.15, 0.0, 0.665, 0.75]])
    assert np.allclose(res.induced, [[36, 1.5], [6, 27.45]])
    assert np.allclose(res.region_exports, [60, 40])
    assert np.allclose(res.coefficient, [[0.6, 0.0375], [0.1, 0.68625]])
    assert np.allclose(res.country_coefficient, [0.375, 0.3345])
    assert np.allclose(res.within, [36, 27.45]) and np.allclose(res.other, [6, 1.5])
    assert np.allclose(res.gain, [1.5, 6]) and np.allclose(res.loss, [6, 1.5])
    assert np.allclose(res.net, [-4.5, 4.5])
    assert np.allclose(res.sector_own, [0.5, 0.8, 0.665, 0.75])
    assert np.allclose(res.sector_total, [0.65, 0.8, 0.715, 0.75])


# ------------------------------------------------------------------ a generated 3-region table against numpy

REGIONS3 = ("KR-11", "KR-26", "KR-41")     # Seoul, Busan, Gyeonggi: known to the reference data
FOREIGN = ("JPN", "USA")
SECTORS = ("s1", "s2", "s3")


def generated(seed=3):
    rng = np.random.default_rng(seed)
    units = [u for u in REGIONS3 + FOREIGN for _ in SECTORS]
    n = len(units)
    Z = rng.uniform(0, 10, (n, n)) * (rng.random((n, n)) < 0.7)
    ycols = [(u, c) for u in REGIONS3 + FOREIGN for c in ("hh", "gov")]
    Y = rng.uniform(5, 60, (n, len(ycols)))
    return units, Z, Y, ycols


def numpy_reference(units, Z, Y, ycols, regions):
    """The measures written out directly: explicit inverse of the country's block, loops over regions."""
    home = [i for i, u in enumerate(units) if u in regions]
    x = Z.sum(axis=1) + Y.sum(axis=1)
    A = Z / x[np.newaxis, :]
    v = 1 - A[:, home].sum(axis=0)
    L = np.linalg.inv(np.eye(len(home)) - A[np.ix_(home, home)])
    foreign_z = [j for j, u in enumerate(units) if u not in regions]
    foreign_y = [f for f, (u, _) in enumerate(ycols) if u not in regions]
    e = np.array([Z[i, foreign_z].sum() + Y[i, foreign_y].sum() for i in home])
    hu = [units[i] for i in home]
    M = np.zeros((len(regions), len(regions)))
    for s, rs in enumerate(regions):
        for r, rr in enumerate(regions):
            for a, ua in enumerate(hu):
                for b, ub in enumerate(hu):
                    if ua == rs and ub == rr:
                        M[s, r] += v[a] * L[a, b] * e[b]
    E = np.array([sum(e[b] for b, ub in enumerate(hu) if ub == rr) for rr in regions])
    return {"M": M, "E": E, "e": e, "v": v, "L": L, "home": home}


def test_generated_three_regions_equal_numpy():
    from iomath.regional import regional_export_va

    units, Z, Y, ycols = generated()
    ref = numpy_reference(units, Z, Y, ycols, REGIONS3)
    res = regional_export_va(Z, Y, units, [u for u, _ in ycols], {r: "KOR" for r in REGIONS3}, "KOR")
    M, E = ref["M"], ref["E"]
    assert np.allclose(res.induced, M, rtol=1e-12, atol=0)
    assert np.allclose(res.region_exports, E, rtol=1e-12)
    assert np.allclose(res.coefficient, M / E[np.newaxis, :], rtol=1e-12)
    assert np.allclose(res.country_coefficient, M.sum(axis=1) / E.sum(), rtol=1e-12)
    # within + other = total for every origin; gains and losses balance over the country
    assert np.allclose(res.within + res.other, M.sum(axis=0), rtol=1e-12)
    assert np.allclose(res.gain, M.sum(axis=1) - np.diag(M), rtol=1e-12)
    assert abs(res.net.sum()) < 1e-9 * M.sum()
    # domestic value added generated + foreign content = exports: sum_k v_k L_kj + imported content = 1
    imports_content = (1 - ref["v"] @ ref["L"]) * ref["e"]
    assert np.isclose(M.sum() + imports_content.sum(), E.sum(), rtol=1e-12)


# ------------------------------------------------------------------ loading an inter-regional table

def frame_table(units, Z, Y, ycols, *, source="test-regions", region_countries=None, inter_regional=True):
    index = pd.MultiIndex.from_tuples([(u, s) for u, s in zip(units, SECTORS * (len(units) // 3))],
                                      names=["region", "sector"])
    cols = pd.MultiIndex.from_tuples(ycols, names=["region", "category"])
    x = pd.Series(Z.sum(axis=1) + Y.sum(axis=1), index=index.copy(), name="x")
    return MrioTable(Z=pd.DataFrame(Z, index=index, columns=index.copy()), Y=pd.DataFrame(Y, index=index.copy(),
                     columns=cols), x=x, year=2010, classification="TEST3", source=source, name="three regions",
                     synthetic=True, files={"meta": "t/table.json", "x": "t/sectors.parquet"},
                     inter_regional=inter_regional, region_countries=dict(region_countries or {}))


def test_load_writes_regional_measures_and_second_load_writes_nothing(empty_db, settings, tmp_path):
    from loader.mrio.load import write_table
    from loader.mrio.parquet import write_table as write_parquet
    from loader.mrio.read import read_mrio

    units, Z, Y, ycols = generated()
    table = frame_table(units, Z, Y, ycols, region_countries={r: "KOR" for r in REGIONS3})
    # through the documented Parquet layout: table.json carries inter_regional and region_countries
    write_parquet(table, tmp_path / "t", units="million USD")
    table = read_mrio(tmp_path / "t", "parquet")
    assert table.inter_regional and table.region_countries == {r: "KOR" for r in REGIONS3}
    write_table(table, settings=settings, progress=False)
    ref = numpy_reference(units, Z, Y, ycols, REGIONS3)
    got = {(r["f"], r["t"]): r for r in empty_db.execute_query(
        "MATCH (f:Region)-[r:VA_INDUCED {source: 'test-regions', year: 2010, level: 'subdivision'}]->(t:Region) "
        "RETURN f.key AS f, t.key AS t, r.value AS value, r.coefficient AS coefficient").records}
    assert len(got) == 9
    for s, rs in enumerate(REGIONS3):
        for r, rr in enumerate(REGIONS3):
            assert got[(rs, rr)]["value"] == pytest.approx(ref["M"][s, r], rel=1e-12)
            assert got[(rs, rr)]["coefficient"] == pytest.approx(ref["M"][s, r] / ref["E"][r], rel=1e-12)
    years = {r["region"]: r for r in empty_db.execute_query(
        "MATCH (g:Region)-[:HAS_YEAR]->(y:RegionYear {source: 'test-regions', year: 2010}) "
        "RETURN g.key AS region, y.level AS level, y.va_exports_within AS within, y.va_exports_other AS other, "
        "y.va_exports_total AS total, y.exports_abroad AS e, y.tiva_net AS net").records}
    for r, rr in enumerate(REGIONS3):
        y = years[rr]
        assert y["level"] == "subdivision"
        assert y["within"] == pytest.approx(ref["M"][r, r], rel=1e-12)
        assert y["within"] + y["other"] == pytest.approx(y["total"], rel=1e-12)
        assert y["total"] == pytest.approx(ref["M"][:, r].sum(), rel=1e-12)
        assert y["e"] == pytest.approx(ref["E"][r], rel=1e-12)
    # KR-11 and KR-41 are in the capital economic region, KR-26 in the southeast: the roll-up sums them
    capital = years["KR-ECON-CAPITAL"]
    assert capital["level"] == "economic_region"
    i, j = REGIONS3.index("KR-11"), REGIONS3.index("KR-41")
    assert capital["within"] == pytest.approx(ref["M"][np.ix_([i, j], [i, j])].sum(), rel=1e-12)
    # sectors hang off their region and their country: the country's total is the sum of its regions
    sums = empty_db.execute_query(
        "MATCH (c:Country {key: 'KOR'})<-[:LOCATED_IN]-(s:Sector)-[:LOCATED_IN]->(g:Region) "
        "MATCH (s)-[:HAS_YEAR]->(y:SectorYear {source: 'test-regions', year: 2010}) "
        "RETURN count(DISTINCT g) AS regions, sum(y.exports_abroad) AS e, count(s) AS n").records[0]
    assert sums["regions"] == 3 and sums["n"] == 9
    assert sums["e"] == pytest.approx(ref["E"].sum(), rel=1e-12)
    # the foreign countries' sectors belong to their national tables: not written by this load
    assert empty_db.execute_query("MATCH (s:Sector) WHERE s.country IN ['JPN', 'USA'] RETURN count(s) AS n"
                                  ).records[0]["n"] == 0
    # the modules read the same numbers back, with the table's dataset and year in their provenance
    from queries.runner import run_module

    va = run_module("regional-va", {"country": "KOR"}, settings=settings)
    sub = va[va["level"] == "subdivision"].set_index("region")
    assert list(sub.index) == sorted(REGIONS3)
    for r, rr in enumerate(REGIONS3):
        assert sub.loc[rr, "va_gen_coef"] == pytest.approx(ref["M"][:, r].sum() / ref["E"][r], rel=1e-12)
        assert sub.loc[rr, "tiva_gain"] == pytest.approx(ref["M"][r].sum() - ref["M"][r, r], rel=1e-12)
    assert sub["tiva_net"].sum() == pytest.approx(0.0, abs=1e-9 * ref["M"].sum())
    assert "test-regions" in str(va.attrs["provenance"])
    pairs = run_module("regional-tiva", {"level": "economic_region"}, settings=settings)
    assert len(pairs) == 4 and set(pairs["earning_region"]) == {"KR-ECON-CAPITAL", "KR-ECON-SOUTHEAST"}

    before = checksum(empty_db)
    write_table(table, settings=settings, progress=False)
    assert checksum(empty_db) == before


def test_upstream_paths_of_a_regional_sector_split_by_region(empty_db, settings):
    """Every path above the threshold (0: all of them), listed or not, is same-region or other-region;
    the same-region part at depth d is the column of A_KK^d summed over suppliers in the start's economic
    region (KR-11 and KR-41 are both in the capital region, KR-26 is not)."""
    from loader.mrio.load import write_table
    from queries.runner import run_module

    units, Z, Y, ycols = generated(seed=5)
    write_table(frame_table(units, Z, Y, ycols), settings=settings, progress=False)
    home = [i for i, u in enumerate(units) if u in REGIONS3]
    x = Z.sum(axis=1) + Y.sum(axis=1)
    A = (Z / x[np.newaxis, :])[np.ix_(home, home)]           # SUPPLIES a: the table's x is Z 1 + Y 1 here
    start = 1                                                 # KR-11|s2
    capital = [k for k, i in enumerate(home) if units[i] in ("KR-11", "KR-41")]
    df = run_module("upstream-paths", {"node": "KR-11|s2", "depth": 3, "threshold": 0.0, "limit": 5},
                    settings=settings)
    P = np.eye(len(home))
    for d in (1, 2, 3):
        P = A @ P
        row = df[df["depth"] == d].iloc[0]
        assert row["depth_total"] == pytest.approx(P[:, start].sum(), rel=1e-9)
        assert row["depth_same_region"] == pytest.approx(P[capital, start].sum(), rel=1e-9)
        assert row["depth_other_region"] == pytest.approx(P[:, start].sum() - P[capital, start].sum(), rel=1e-9)
        assert row["depth_unknown_region"] == 0
        assert row["depth_share_listed"] < 1        # the split covers the paths not listed too


def _economic(unit: str) -> str:
    return "KR-ECON-CAPITAL" if unit in ("KR-11", "KR-41") else "KR-ECON-SOUTHEAST"


@pytest.mark.parametrize("origin, threshold, depth", [("KR-11|s2", 0.0, 3), ("KOR", 0.001, 3)])
def test_va_paths_of_a_regional_table_split_by_region(empty_db, settings, origin, threshold, depth):
    """va-paths on an inter-regional table: the paths run over the country's own regions to US final demand;
    the value of every surviving path (listed or not) whose sectors all lie in the origin's economic region,
    and of those passing through another region, equals the numpy enumeration (tests/support/va_paths.py)
    classified here; within + other = the depth total; the total is v_i (L^KK y^USA)_i."""
    from loader.mrio.load import write_table
    from queries.runner import run_module
    from tests.support import va_paths as ref

    units, Z, Y, ycols = generated(seed=5)
    write_table(frame_table(units, Z, Y, ycols), settings=settings, progress=False)
    home = [i for i, u in enumerate(units) if u in REGIONS3]
    keys = [f"{units[i]}|{SECTORS[i % 3]}" for i in home]
    p = ref.prepare(Z, Y, [f for f, (u, _) in enumerate(ycols) if u == "USA"], rows=home)
    origins = [keys.index(origin)] if "|" in origin else list(range(len(home)))
    df = run_module("va-paths", {"origin": origin, "destination": "USA", "depth": depth, "threshold": threshold,
                                 "limit": 3, "source": "test-regions", "year": 2010}, settings=settings)
    region = [_economic(units[i]) for i in home]
    running = {"same": 0.0, "other": 0.0}
    for d, level in enumerate(ref.enumerate_paths(p, origins, depth, threshold)):
        same = sum(v for path, v in level if all(region[k] == region[path[0]] for k in path))
        other = sum(v for path, v in level if any(region[k] != region[path[0]] for k in path))
        running["same"] += same
        running["other"] += other
        row = df[df["depth"] == d].iloc[0]
        assert row["depth_paths"] == len(level)
        if threshold and d:                          # the threshold pruned: fewer than every walk
            assert len(level) < len(origins) * len(home) ** d
        assert row["depth_total"] == pytest.approx(sum(v for _, v in level), rel=1e-12)
        assert row["depth_same_region"] == pytest.approx(same, rel=1e-12)
        assert row["depth_other_region"] == pytest.approx(other, rel=1e-12, abs=1e-12)
        assert row["depth_unknown_region"] == 0
        assert row["depth_same_region"] + row["depth_other_region"] == pytest.approx(row["depth_total"], rel=1e-12)
        assert row["cumulative_same_region"] == pytest.approx(running["same"], rel=1e-12)
        assert row["cumulative_other_region"] == pytest.approx(running["other"], rel=1e-12)
        # the paths stay in Korea: every one is domestic
        assert row["depth_same_country"] == pytest.approx(row["depth_total"], rel=1e-12)
        assert row["depth_other_country"] == 0
        if d >= 2:
            assert row["depth_other_region"] > 0 and len(df[df["depth"] == d]) < row["depth_paths"]
    assert df["total_va"].iloc[0] == pytest.approx(p["limit"][origins].sum(), rel=1e-12)
    if threshold == 0:
        sums = ref.partial_sums(p, origins, depth)
        assert df.groupby("depth")["depth_total"].first().tolist() == pytest.approx(sums, rel=1e-12)
    assert "test-regions" in str(df.attrs["provenance"])


BAD_REGIONS = {
    "unknown_code": (dict(units_map={"KR-26": "KR-99"}),
                     ["t/sectors.parquet: field 'region': region 'KR-99' is unknown"]),
    "maps_to_wrong_country": (dict(region_countries={"KR-11": "JPN"}),
                              ["t/table.json: field 'region_countries': region 'KR-11' is mapped to 'JPN', "
                               "but the Region lies in 'KOR'"]),
    "listed_but_absent": (dict(region_countries={"KR-49": "KOR"}),
                          ["t/table.json: field 'region_countries': region 'KR-49' has no sector in the table"]),
    "country_beside_regions": (dict(units_map={"JPN": "KOR"}),
                               ["t/sectors.parquet: field 'region': 'KOR' is a unit of the table beside its regions"]),
    "no_country": (dict(units_map={"KR-26": "XX-1"}, region_countries={"XX-1": "XXX"}),
                   ["t/sectors.parquet: field 'region': region 'XX-1' is unknown"]),
}


@pytest.mark.parametrize("case", sorted(BAD_REGIONS))
def test_bad_region_codes_are_refused_and_the_database_is_unchanged(empty_db, settings, case):
    from loader.mrio.load import write_table

    change, messages = BAD_REGIONS[case]
    units, Z, Y, ycols = generated()
    table = frame_table(units, Z, Y, ycols, source="good-regions")
    write_table(table, settings=settings, progress=False)          # something to leave alone
    m = change.get("units_map", {})
    units = [m.get(u, u) for u in units]
    ycols = [(m.get(u, u), c) for u, c in ycols]
    bad = frame_table(units, Z, Y, ycols, source="bad-regions", region_countries=change.get("region_countries"))
    before = checksum(empty_db)
    with pytest.raises(MrioInputError) as err:
        write_table(bad, settings=settings, progress=False)
    for m in messages:
        assert any(p.startswith(m) for p in err.value.problems), err.value.problems
    assert checksum(empty_db) == before


def test_region_with_no_country_is_refused(empty_db, settings):
    """A Region the database holds without a country (a grouping-like entry) cannot place a sector."""
    from loader.mrio.load import write_table

    empty_db.execute_query("CREATE (:Region {key: 'ZZ-1', name: 'Nowhere', kind: 'subdivision'})")
    units, Z, Y, ycols = generated()
    m = {"KR-26": "ZZ-1"}
    table = frame_table([m.get(u, u) for u in units], Z, Y, [(m.get(u, u), c) for u, c in ycols])
    before = checksum(empty_db)
    with pytest.raises(MrioInputError) as err:
        write_table(table, settings=settings, progress=False)
    assert any(p.startswith("t/sectors.parquet: field 'region': region 'ZZ-1' maps to no country")
               for p in err.value.problems), err.value.problems
    assert checksum(empty_db) == before


# ------------------------------------------------------------------ the demo's Korean provincial table

def test_demo_korea_table_sums_to_the_wiod_kor_block():
    from loader.demo.base import WIOD_FOLDER, wiod2013
    from loader.demo.generate import generate
    from loader.demo.regions import PROVINCES, korea_regional_table
    from loader.mrio.read import read_mrio

    wiod = read_mrio(WIOD_FOLDER, "parquet", year=2008)
    firms = generate(300, 7)["firms"]
    t = korea_regional_table(wiod, firms, wiod2013().divisions)
    assert t.synthetic and t.inter_regional and set(t.region_countries) == set(PROVINCES) and len(PROVINCES) == 17

    def national(frame_rows, frame_cols=None):
        """Sum the provinces back into KOR on the rows (and columns) with pandas groupby."""
        to_country = lambda u: "KOR" if u in PROVINCES else u   # noqa: E731
        out = frame_rows.groupby([frame_rows.index.get_level_values(0).map(to_country),
                                  frame_rows.index.get_level_values(1)], sort=False).sum()
        if frame_cols:
            out = out.T.groupby([out.columns.get_level_values(0).map(to_country),
                                 out.columns.get_level_values(1)], sort=False).sum().T
        return out

    Z = national(t.Z, True).reindex(index=wiod.Z.index, columns=wiod.Z.columns)
    Y = national(t.Y, True).reindex(index=wiod.Y.index, columns=wiod.Y.columns)
    x = national(t.x.to_frame()).iloc[:, 0].reindex(wiod.x.index)
    Z0, Y0, x0 = (f.to_numpy(dtype=float) for f in (wiod.Z, wiod.Y, wiod.x))
    for got, want in ((Z.to_numpy(), Z0), (Y.to_numpy(), Y0), (x.to_numpy(), x0)):
        assert not np.isnan(got).any()
        assert np.all(np.abs(got - want) <= 1e-9 * np.maximum(np.abs(want), 1.0))
    va = x.to_numpy() - Z.to_numpy().sum(axis=0)
    assert np.allclose(va, x0 - Z0.sum(axis=0), rtol=1e-9, atol=1e-9)
    # regional shares come from the firm layer: the province with the most Korean firm output has the most output
    kr = firms[firms["country"] == "KOR"].groupby("region")["output"].sum()
    out = t.x.groupby(level=0).sum()
    assert out.loc[list(PROVINCES)].idxmax() == kr.idxmax()


def test_economic_regions_as_units_and_a_malformed_region_countries_field(tmp_path):
    """Pure checks: a table marked inter-regional may use economic regions (no ISO 3166-2 code); a
    region_countries that is not an object of texts is refused naming table.json and the field."""
    import json

    from loader.mrio.parquet import write_table as write_parquet
    from loader.mrio.read import read_mrio
    from loader.mrio.regional import check_regions, reference_regions

    units, Z, Y, ycols = generated()
    m = {"KR-11": "KR-ECON-CAPITAL", "KR-26": "KR-ECON-SOUTHEAST", "KR-41": "KR-ECON-JEJU"}
    table = frame_table([m.get(u, u) for u in units], Z, Y, [(m.get(u, u), c) for u, c in ycols])
    assert check_regions(table, reference_regions()) == {v: "KOR" for v in m.values()}
    write_parquet(table, tmp_path / "t", units="million USD")
    meta = json.loads((tmp_path / "t" / "table.json").read_text())
    meta["region_countries"] = ["KR-ECON-CAPITAL"]
    (tmp_path / "t" / "table.json").write_text(json.dumps(meta))
    with pytest.raises(MrioInputError) as err:
        read_mrio(tmp_path / "t", "parquet")
    assert any(p.startswith(f"{tmp_path / 't' / 'table.json'}: field 'region_countries' is ['KR-ECON-CAPITAL'], "
                            "expected an object") for p in err.value.problems), err.value.problems
