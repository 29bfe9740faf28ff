"""The GVC accounting the MRIO loader writes (loader.mrio.gvc), read back from Neo4j and compared with
tests/support/gvc_reference.py, a transcription of decompr's R code that imports none of the product's math.

pymrio's test system (6 regions x 8 sectors) with a published x that differs from Z 1 + Y 1 in a few
sectors (WIOD 1995, the shipped extract, is checked against the same transcription in test_mrio_wiod.py). Tolerances: 1e-9 relative to
each value, with an absolute floor of 1e-12 of the table's total exports for terms that are zero
up to rounding.
"""
from __future__ import annotations


import numpy as np
import pandas as pd
import pymrio
import pytest

from loader.mrio.load import write_table
from loader.mrio.read import table_from_iosystem
from queries.runner import run_module
from tests.conftest import wipe
from tests.support import gvc_reference as ref

YEAR = 2011
SOURCE = "gvc-test"
WWZ = ("dva_fin", "dva_int", "dva_intrexi1", "dva_intrexf", "dva_intrexi2", "rdv_int", "rdv_fin", "rdv_fin2",
       "ova_fin", "mva_fin", "ova_int", "mva_int", "ddc_fin", "ddc_int", "odc", "mdc")
KWW = ("kww_dva_fin", "kww_dva_int", "kww_dva_intrex", "kww_rdv_fin", "kww_rdv_int", "kww_ddc", "kww_fva_fin",
       "kww_fva_int", "kww_fdc")
BUMPED = {3: 1.02, 17: 0.95}   # rows whose published x differs from Z 1 + Y 1


def clear(driver):
    """Empty the database: relationships first, in small transactions, so that a loaded WIOD year (about
    370,000 relationships) fits a 1 GB test heap, then the conftest's wipe."""
    with driver.session(database="neo4j") as session:
        session.run("MATCH ()-[r]->() CALL (r) { DELETE r } IN TRANSACTIONS OF 20000 ROWS").consume()
    wipe(driver)


def small_table():
    t = table_from_iosystem(pymrio.load_test(), year=YEAR, source=SOURCE, classification="PYMRIO_TEST")
    x = t.x.to_numpy(dtype=float).copy()
    for i, f in BUMPED.items():
        x[i] *= f
    t.x = pd.Series(x, index=t.x.index)
    return t


def reference(table):
    """Everything the graph should hold, from the decompr transcription and plain numpy."""
    regions = list(dict.fromkeys(table.Z.index.get_level_values(0)))
    G = len(regions)
    N = table.Z.shape[0] // G
    Z, Y = table.Z.to_numpy(float), table.Y.to_numpy(float)
    d = ref.load_tables_vectors(Z, Y, G, N)
    GN = G * N
    blocks = np.repeat(np.arange(G), N)
    M = ref.leontief(d, "exports")                             # (k, i) = v_k B_ki e_i
    own = blocks[:, None] == blocks[None, :]
    fva = np.where(own, 0.0, M).sum(axis=0)
    dvx = np.where(own, 0.0, M).sum(axis=1)
    va_exports = np.zeros((GN, G))
    for c in range(G):
        va_exports[:, c] = M[:, blocks == c].sum(axis=1)
    VBY = ref.leontief(d, "final_demand")                       # (k, c) = v_k (B Y)_kc
    T = np.array([VBY[blocks == s].sum(axis=0) for s in range(G)])
    published = table.x.to_numpy(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        # not relative where the table publishes x = 0: no gap recorded there
        gap = np.where(published != 0, np.abs(published - d["X"]) / np.abs(published), np.nan)
        A = np.where(d["X"][None, :] != 0, Z / d["X"][None, :], 0.0)
    # Country keys are ISO codes: WIOD's ROM (Romania's old code) is stored as ROU
    countries = ["ROU" if c == "ROM" else c for c in regions]
    return dict(regions=regions, countries=countries, G=G, N=N, d=d, wwz=ref.wwz(d), kww=ref.kww(d), fva=fva, dvx=dvx,
                va_exports=va_exports, VBY=VBY, vax=T.sum(axis=1) - np.diag(T), E=d["E"],
                gdp=np.array([(d["Vc"] * d["X"])[blocks == s].sum() for s in range(G)]),
                va_gen=d["Vc"] @ d["L"], va_gen_fb=d["Vc"] @ d["Bd"], induced=d["B"] @ d["Y"], gap=gap,
                A=A, keys=[f"{c}|{s}" for c, s in table.Z.index])


def close(stored, expected, scale):
    np.testing.assert_allclose(stored, expected, rtol=1e-9, atol=1e-12 * scale)


def stored_bilateral(driver, r, source, year, rel, props):
    # one record per exporting sector, its relationships listed in it: the driver's cost is mostly per record
    # (a WIOD year holds about 58,000 of each type)
    starts = driver.execute_query(
        f"MATCH (s:Sector)-[e:{rel}]->(c:Country) WHERE e.source = $src AND e.year = $y "
        "WITH s, collect([c.key, properties(e)]) AS es RETURN s.key AS s, es", src=source, y=year).records
    pos = {k: i for i, k in enumerate(r["keys"])}
    col = {c: g for g, c in enumerate(r["countries"])}
    out = np.zeros((len(props), len(r["keys"]), r["G"]))
    n = 0
    for rec in starts:
        for c, stored in rec["es"]:
            n += 1
            for m, p in enumerate(props):
                out[m, pos[rec["s"]], col[c]] = stored[p]
    return out, n


def stored_nodes(driver, label, source, year, key):
    rows = driver.execute_query(f"MATCH (n:{label}) WHERE n.source = $src AND n.year = $y RETURN n",
                                src=source, y=year).records
    return {rec["n"][key]: dict(rec["n"]) for rec in rows}


def check_graph_equals_reference(driver, table, source, year):
    r = reference(table)
    scale = r["E"].sum()
    G, N, keys = r["G"], r["N"], r["keys"]
    # WWZ terms per exporting sector and importer
    wwz, n_rel = stored_bilateral(driver, r, source, year, "EXPORTS_TO", WWZ + ("exports", "exports_final"))
    for m, name in enumerate(WWZ):
        close(wwz[m], r["wwz"][:, :, m], scale)
    close(wwz[16], r["d"]["ESR"], scale)
    close(wwz[17], r["d"]["Efd"], scale)
    assert n_rel == int((r["d"]["ESR"] != 0).sum())
    # SERVES: final demand, induced output, value added absorbed and in exports
    sv, _ = stored_bilateral(driver, r, source, year, "SERVES",
                             ("final_demand", "induced_output", "va_final_demand", "va_exports"))
    close(sv[0], r["d"]["Y"], scale)
    close(sv[1], r["induced"], scale)
    close(sv[2], r["VBY"], scale)
    close(sv[3], r["va_exports"], scale)
    # CountryYear: KWW, VAX, participation, value added, the largest x gap
    cy = stored_nodes(driver, "CountryYear", source, year, "country")
    assert len(cy) == G
    order = r["countries"]
    Ec = np.array([r["E"][g * N:(g + 1) * N].sum() for g in range(G)])
    # a sector without output explains none of its exports: decompr's KWW books them in its residual
    # FDC, the graph as unexplained_exports (WIOD 1995 LUX leather: -1)
    live = r["d"]["X"] != 0
    unexplained = np.array([r["E"][g * N:(g + 1) * N][~live[g * N:(g + 1) * N]].sum() for g in range(G)])
    kww_expected = r["kww"].copy()
    kww_expected[:, KWW.index("kww_fdc")] -= unexplained
    close([[cy[c][k] for k in KWW] for c in order], kww_expected, scale)
    close([cy[c]["unexplained_exports"] for c in order], unexplained, scale)
    close([cy[c]["gross_exports"] for c in order], Ec, scale)
    close([cy[c]["vax"] for c in order], r["vax"], scale)
    close([cy[c]["value_added"] for c in order], r["gdp"], scale)
    fva_c = np.array([r["fva"][g * N:(g + 1) * N].sum() for g in range(G)])
    dvx_c = np.array([r["dvx"][g * N:(g + 1) * N].sum() for g in range(G)])
    close([cy[c]["fva"] for c in order], fva_c, scale)
    close([cy[c]["dvx"] for c in order], dvx_c, scale)
    close([cy[c]["backward"] for c in order], fva_c / Ec, 1e-3)
    close([cy[c]["position"] for c in order], np.log1p(dvx_c / Ec) - np.log1p(fva_c / Ec), 1e-3)
    for g, c in enumerate(order):
        gaps = r["gap"][g * N:(g + 1) * N]
        assert cy[c].get("x_gap_max") == pytest.approx(np.nanmax(gaps), rel=1e-12, abs=1e-15)
    # SectorYear GVC properties
    sy = stored_nodes(driver, "SectorYear", source, year, "sector")
    for name, expected in (("gvc_fva", r["fva"]), ("gvc_dvx", r["dvx"]), ("gvc_output", r["d"]["X"])):
        close([sy[k][name] for k in keys], expected, scale)
    close([sy[k]["va_gen_coef"] for k in keys], r["va_gen"], 1e-3)
    close([sy[k]["va_gen_coef_feedback"] for k in keys], r["va_gen_fb"], 1e-3)
    gap = [sy[k].get("x_gap") for k in keys]
    close([np.nan if g is None else g for g in gap], r["gap"], 1.0)
    # the coefficient the value-added paths follow
    starts = driver.execute_query("MATCH (a:Sector)-[e:SUPPLIES]->(b:Sector) WHERE e.source = $src AND e.year = $y "
                                  "WITH a, collect([b.key, e.a_gvc]) AS es RETURN a.key AS a, es",
                                  src=source, y=year).records
    rows = [(rec["a"], b, ag) for rec in starts for b, ag in rec["es"]]
    pos = {k: i for i, k in enumerate(keys)}
    got = np.array([ag for _, _, ag in rows])
    want = np.array([r["A"][pos[a], pos[b]] for a, b, _ in rows])
    close(got, want, 1e-3)
    return r


def check_identities(driver, source, year):
    """On the stored values alone: WWZ terms add up to exports, KWW to each country's exports."""
    rows = driver.execute_query("MATCH (s:Sector)-[e:EXPORTS_TO]->() WHERE e.source = $src AND e.year = $y "
                                "MATCH (s)-[:HAS_YEAR]->(sy:SectorYear {source: $src, year: $y}) "
                                "RETURN properties(e) AS p, sy.gvc_output AS x", src=source, y=year).records
    total = sum(rec["p"]["exports"] for rec in rows)
    for rec in rows:
        p = rec["p"]
        if rec["x"] == 0:         # no output, no value added: nothing explained
            assert all(p[t] == 0 for t in WWZ)
            continue
        assert sum(p[t] for t in WWZ) == pytest.approx(p["exports"], rel=1e-9, abs=1e-12 * total)
        assert p["exports_final"] + p["exports_intermediate"] == pytest.approx(p["exports"], rel=1e-12, abs=1e-9)
    for c in stored_nodes(driver, "CountryYear", source, year, "country").values():
        assert sum(c[k] for k in KWW) + c["unexplained_exports"] == \
            pytest.approx(c["gross_exports"], rel=1e-9, abs=1e-12 * total)
        assert c["kww_vax"] + c["kww_rdv"] + c["kww_fva"] + c["kww_pdc"] + c["unexplained_exports"] == \
            pytest.approx(c["gross_exports"], rel=1e-9, abs=1e-12 * total)
    # value added by origin in a country's exports adds up to them
    sums = driver.execute_query(
        "MATCH (:Sector)-[s:SERVES]->(c:Country) WHERE s.source = $src AND s.year = $y "
        "WITH c, sum(s.va_exports) AS va MATCH (c)-[:HAS_YEAR]->(cy:CountryYear {source: $src, year: $y}) "
        "RETURN va, cy.gross_exports - cy.unexplained_exports AS e", src=source, y=year).records
    assert sums
    for rec in sums:
        assert rec["va"] == pytest.approx(rec["e"], rel=1e-9, abs=1e-12 * total)


@pytest.fixture(scope="module")
def small(driver, schema_applied):
    clear(driver)
    table = small_table()
    summary = write_table(table, progress=False)
    return table, summary


def test_stored_accounts_equal_the_decompr_transcription(driver, small):
    table, summary = small
    assert summary.created["CountryYear"] == 6
    check_graph_equals_reference(driver, table, SOURCE, YEAR)


def test_identities_hold_on_the_stored_values(driver, small):
    check_identities(driver, SOURCE, YEAR)


def test_reload_writes_nothing_and_gvc_off_keeps_results(driver, small):
    again = write_table(small_table(), progress=False)
    assert sum(again.created.values()) == 0 and sum(again.updated.values()) == 0
    assert sum(again.deleted.values()) == 0
    off = write_table(small_table(), progress=False, gvc="off")
    assert sum(off.deleted.values()) == 0
    assert any("GVC accounting skipped" in n for n in off.notes)
    n = driver.execute_query("MATCH ()-[e:EXPORTS_TO {year: $y}]->() RETURN count(e)", y=YEAR).records[0][0]
    assert n > 0


def test_a_reload_removes_results_it_no_longer_contains(driver, small):
    table = small_table()
    # one country stops exporting final goods to another: the pair's EXPORTS_TO relationships
    # that the changed table no longer has are deleted, the rest updated in place
    Y = table.Y.copy()
    rows = [i for i, (c, _) in enumerate(Y.index) if c == "reg1"]
    cols = [j for j, (c, _) in enumerate(Y.columns) if c == "reg2"]
    Z = table.Z.copy()
    zcols = [j for j, (c, _) in enumerate(Z.columns) if c == "reg2"]
    Y.iloc[rows, cols] = 0.0
    Z.iloc[rows, zcols] = 0.0
    table.Y, table.Z = Y, Z
    table.x = pd.Series(Z.sum(axis=1).to_numpy() + Y.sum(axis=1).to_numpy(), index=table.x.index)
    summary = write_table(table, progress=False)
    assert summary.deleted.get("EXPORTS_TO (Sector->Country)", 0) > 0
    left = driver.execute_query("MATCH (s:Sector {country: 'reg1'})-[e:EXPORTS_TO]->(:Country {key: 'reg2'}) "
                                "WHERE e.year = $y RETURN count(e)", y=YEAR).records[0][0]
    assert left == 0
    check_graph_equals_reference(driver, table, SOURCE, YEAR)
    check_identities(driver, SOURCE, YEAR)
    write_table(small_table(), progress=False)   # back to the module's table


def _frame_by(df, cols):
    return {tuple(r[c] for c in cols): r for r in df.to_dict("records")}


def test_modules_return_the_stored_values(driver, small):
    table, _ = small
    r = reference(table)
    scale = r["E"].sum()
    N = r["N"]
    df = run_module("gvc-decomposition", {"source": SOURCE, "year": YEAR})
    assert len(df) == r["G"]
    got = _frame_by(df, ["country"])
    for g, c in enumerate(r["regions"]):
        close([got[(c,)][k] for k in KWW], r["kww"][g], scale)
    assert df.attrs["provenance"]["years"] == [YEAR]
    assert list(df["rank"]) == list(range(1, len(df) + 1))
    assert list(df["gross_exports"]) == sorted(df["gross_exports"], reverse=True)
    bil = run_module("gvc-decomposition", {"source": SOURCE, "year": YEAR, "level": "bilateral", "country": "reg3"})
    pos = {k: i for i, k in enumerate(r["keys"])}
    assert len(bil) == int((r["d"]["ESR"][2 * N:3 * N] != 0).sum())
    for row in bil.to_dict("records"):
        close([row[t] for t in WWZ], r["wwz"][pos[row["sector"]], r["regions"].index(row["partner"]), :16], scale)
    part = run_module("gvc-participation", {"source": SOURCE, "year": YEAR, "level": "sector", "country": "reg2"})
    assert len(part) == N
    for row in part.to_dict("records"):
        i = pos[row["sector"]]
        close([row["fva"], row["dvx"]], [r["fva"][i], r["dvx"][i]], scale)
    vo = run_module("va-by-origin", {"source": SOURCE, "year": YEAR, "within": "final_demand", "partner": "reg4"})
    got = _frame_by(vo, ["origin"])
    for g, c in enumerate(r["regions"]):
        close(got[(c,)]["value"], r["VBY"][g * N:(g + 1) * N, 3].sum(), scale)
    tv = run_module("tiva", {"source": SOURCE, "year": YEAR, "country": "reg1"})
    got = _frame_by(tv, ["partner"])
    for g, c in enumerate(r["regions"][1:], start=1):
        close(got[(c,)]["vax"], r["VBY"][:N, g].sum(), scale)
        close(got[(c,)]["gross_exports"], r["d"]["ESR"][:N, g].sum(), scale)
    gen = run_module("va-generation", {"source": SOURCE, "year": YEAR, "country": "reg5"})
    for row in gen.to_dict("records"):
        close(row["va_gen_coef"], r["va_gen"][pos[row["sector"]]], 1e-3)


def test_one_exporters_packed_rows_equal_the_streamed_rows(driver, small):
    """One exporter's rows come back packed in one record (queries.modules.gvc.fetch); every exporter's rows
    are streamed. The exporter's rows of the second, and the same with an importer, are exactly the first."""
    every = run_module("gvc-decomposition", {"source": SOURCE, "year": YEAR, "level": "bilateral", "limit": 100000})
    for country, partner in (("reg3", ""), ("reg3", "reg5"), ("", "reg5")):
        one = run_module("gvc-decomposition", {"source": SOURCE, "year": YEAR, "level": "bilateral",
                                               "country": country, "partner": partner})
        want = every[((every["country"] == country) | (country == ""))
                     & ((every["partner"] == partner) | (partner == ""))]
        assert len(one) == len(want) > 0
        assert list(one.columns) == list(every.columns)
        key = ["sector", "partner"]
        a = one.drop(columns="rank").sort_values(key).reset_index(drop=True)
        b = want.drop(columns="rank").sort_values(key).reset_index(drop=True)
        pd.testing.assert_frame_equal(a, b, check_exact=True)
    origins = run_module("va-by-origin", {"source": SOURCE, "year": YEAR, "by": "sector", "limit": 100000})
    one = run_module("va-by-origin", {"source": SOURCE, "year": YEAR, "by": "sector", "country": "reg2"})
    want = origins[origins["origin_country"] == "reg2"]
    assert len(one) == len(want) > 0
    a = one.drop(columns="rank").sort_values(["origin", "partner"]).reset_index(drop=True)
    b = want.drop(columns="rank").sort_values(["origin", "partner"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b, check_exact=True)


def test_year_without_gvc_accounts_is_a_clear_error(driver, small):
    from queries.errors import ParameterError

    with pytest.raises(ParameterError, match="year"):
        run_module("gvc-decomposition", {"source": SOURCE, "year": 1990})
