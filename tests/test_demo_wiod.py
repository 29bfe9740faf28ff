"""The default demo: the shipped WIOD 2013 extract (every year) as the sector layer, its bilateral trade
between the demo's countries, and synthetic firms calibrated to 2008, checked against numpy/pandas
computations straight from the extract."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from loader.demo.base import WIOD_COUNTRIES, WIOD_FOLDER, WIOD_YEARS


def _table(year):
    from loader.mrio.read import read_mrio

    return read_mrio(WIOD_FOLDER, "parquet", year=year)


def _reference_flows(year) -> pd.DataFrame:
    """Off-diagonal country blocks of Z and Y by plain numpy indexing, x 1000, positive only."""
    t = _table(year)
    Z, Y = t.Z.to_numpy(float), t.Y.to_numpy(float)
    reg = np.array(t.Z.index.get_level_values(0))
    sec = np.array(t.Z.index.get_level_values(1))
    yreg = np.array(t.Y.columns.get_level_values(0))
    out = []
    for use, M, cols in (("intermediate", Z, reg), ("final", Y, yreg)):
        for imp in WIOD_COUNTRIES:
            col = M[:, cols == imp].sum(axis=1)
            for i in np.flatnonzero(np.isin(reg, WIOD_COUNTRIES) & (reg != imp) & (col > 0)):
                out.append((reg[i], imp, int(year), f"WIOD35|{sec[i]}", use, col[i] * 1000))
    return pd.DataFrame(out, columns=["exporter", "importer", "year", "industry", "use", "value"])


def test_trade_flows_are_the_tables_off_diagonal_blocks():
    from loader.demo.generate import wiod_trade_flows

    got = wiod_trade_flows()
    assert sorted(set(got["year"])) == list(WIOD_YEARS)
    assert got["weight"].isna().all()   # a table has no weights
    key = ["exporter", "importer", "year", "industry", "use"]
    ref = pd.concat([_reference_flows(y) for y in WIOD_YEARS], ignore_index=True)
    merged = got.merge(ref, on=key, how="outer", suffixes=("", "_ref"), indicator=True)
    assert (merged["_merge"] == "both").all(), merged[merged["_merge"] != "both"].head()
    assert np.allclose(merged["value"], merged["value_ref"], rtol=0, atol=1e-6)
    # one cell by hand: KOR electrical equipment sold to Chinese industries in 2008
    t = _table(2008)
    cell = t.Z.loc[("KOR", "Electrical and Optical Equipment"), "CHN"].sum() * 1000
    row = got[(got["exporter"] == "KOR") & (got["importer"] == "CHN") & (got["year"] == 2008)
              & (got["industry"] == "WIOD35|Electrical and Optical Equipment") & (got["use"] == "intermediate")]
    assert row["value"].tolist() == [pytest.approx(cell, rel=1e-12)]


def test_firms_are_calibrated_to_the_2008_table():
    from loader.demo.base import wiod2013, wiod_divisions
    from loader.demo.generate import generate

    f = generate(400, 7)
    firms = f["firms"]
    assert set(firms["country"]) == set(WIOD_COUNTRIES)
    assert "trade_flows" not in f   # the real base's trade comes from the table, not the generator
    divisions = {d for ds in wiod_divisions().values() for d in ds}
    assert firms["industry"].str.removeprefix("ISIC4|").isin(divisions).all()
    assert firms["founded"].max() <= 2008 and set(f["firm_supply"]["year"]) == {2008}
    assert set(f["gvc_stages"]["year"]) == {2008} and f["investments"]["year"].max() <= 2008
    # a supply link only where the 2008 table has a flow from the supplier's to the buyer's cell
    base = wiod2013()
    sector_of = {d: s for s, ds in wiod_divisions().items() for d in ds}
    cell = {k: (c, sector_of[i.removeprefix("ISIC4|")]) for k, c, i in
            zip(firms["key"], firms["country"], firms["industry"])}
    links = f["firm_supply"][f["firm_supply"]["product"] != "subcontracting"]
    coef = [base.A.at[cell[s], cell[b]] for s, b in zip(links["supplier"], links["buyer"])]
    assert len(coef) > 100 and min(coef) > 0


def test_unknown_base_table_is_refused_before_writing():
    from loader.demo.load import load_demo

    with pytest.raises(ValueError, match="--table nope: expected one of wiod2013, pymrio-test"):
        load_demo(10, 1, table="nope")


@pytest.fixture(scope="module")
def wiod_demo(driver, schema_applied):
    from loader.demo.load import load_demo
    from tests.conftest import wipe

    wipe(driver)
    first = load_demo(300, 7, progress=False)
    second = load_demo(300, 7, progress=False)
    return first, second


def _rows(driver, cypher, **params):
    return [r.data() for r in driver.execute_query(cypher, params, database_="neo4j")[0]]


@pytest.mark.slow
def test_wiod_demo_graph(driver, wiod_demo):
    first, second = wiod_demo
    sets = {r["k"]: r for r in _rows(driver, "MATCH (d:Dataset) RETURN d.key AS k, d.synthetic AS s, d.units AS u, "
                                             "d.citation AS c, d.classification AS cl, d.licence AS l")}
    assert set(sets) == {"reference", "wiod-2013-release", "wiod-2013-release-trade", "demo:firms-300-seed-7",
                         "demo:kor-regions-synthetic"}
    assert sets["demo:kor-regions-synthetic"]["s"] is True
    wiod = sets["wiod-2013-release"]
    assert wiod["s"] is False and wiod["u"] == "million US dollars, current prices" and wiod["cl"] == "WIOD35"
    assert wiod["c"].startswith("Timmer, M. P.") and "cite" in wiod["l"]
    assert sets["wiod-2013-release-trade"]["s"] is False and sets["demo:firms-300-seed-7"]["s"] is True
    years = _rows(driver, "MATCH (y:SectorYear {source: 'wiod-2013-release'}) RETURN y.year AS y, count(*) AS n "
                          "ORDER BY y")
    assert years == [{"y": y, "n": 1435} for y in WIOD_YEARS]
    # SUPPLIES per year: exactly the non-zero flows with max(a, b) >= 0.001, counted by numpy
    got = {r["y"]: r["n"] for r in _rows(driver, "MATCH (:Sector)-[r:SUPPLIES {source: 'wiod-2013-release'}]->"
                                                 "(:Sector) RETURN r.year AS y, count(*) AS n")}
    for y in WIOD_YEARS:
        t = _table(y)
        Z, x = t.Z.to_numpy(float), t.x.to_numpy(float)
        with np.errstate(all="ignore"):
            A = np.where(x[None, :] > 0, Z / x[None, :], 0)
            B = np.where(x[:, None] > 0, Z / x[:, None], 0)
        assert got[y] == int(((Z != 0) & (np.maximum(A, B) >= 0.001)).sum())
    ex = _rows(driver, "MATCH (:Country)-[r:EXPORTS]->(:Country) RETURN count(*) AS n, count(r.weight) AS w, "
                       "count(r.unit_value) AS uv, collect(DISTINCT r.year) AS years")[0]
    assert ex["n"] > 0 and ex["w"] == 0 and ex["uv"] == 0 and sorted(ex["years"]) == list(WIOD_YEARS)
    firms = _rows(driver, "MATCH (f:Firm)-[:LOCATED_IN]->(c:Country) RETURN collect(DISTINCT c.key) AS c")[0]["c"]
    assert set(firms) == set(WIOD_COUNTRIES)
    # the second run writes nothing
    summaries = [*second["mrio"], second["trade"], second["tables"], second["regions"]]
    regions = _rows(driver, "MATCH (y:RegionYear {source: 'demo:kor-regions-synthetic', year: 2008}) "
                            "RETURN y.level AS level, count(*) AS n ORDER BY level")
    assert regions == [{"level": "economic_region", "n": 7}, {"level": "subdivision", "n": 17}]
    from queries.runner import run_module

    va = run_module("regional-va", {"country": "KOR"})
    assert len(va) == 17 and abs(va["tiva_net"].sum()) <= 1e-9 * va["va_exports_total"].sum()
    assert [d["key"] for d in va.attrs["provenance"]["datasets"]] == ["demo:kor-regions-synthetic"]
    assert len(run_module("regional-tiva", {"level": "economic_region"})) == 49
    assert all(sum(s.created.values()) == 0 and sum(s.updated.values()) == 0 and sum(s.deleted.values()) == 0
               for s in summaries)


@pytest.mark.slow
def test_example_reports_open_on_rows_of_the_wiod_demo(wiod_demo):
    from queries.examples import EXAMPLES, save_examples
    from queries.reports import run_report

    first, _ = wiod_demo
    assert first["year"] == 2008
    before = save_examples(year=first["year"])
    for example in EXAMPLES:
        assert len(run_report(example["name"])) > 0, example["name"]
    assert save_examples(year=first["year"]) == before   # a rerun adds no version


@pytest.mark.slow
def test_example_dashboard_opens_on_rows_of_the_wiod_demo(wiod_demo, driver):
    from queries.catalogue import get_dashboard, run_dashboard
    from queries.examples import EXAMPLE_DASHBOARD, save_example_dashboard, save_examples

    first, _ = wiod_demo
    save_examples(year=first["year"])
    version = save_example_dashboard(year=first["year"])
    assert save_example_dashboard(year=first["year"]) == version   # a rerun adds no version
    dash = get_dashboard(EXAMPLE_DASHBOARD["name"])
    suppliers, exports = run_dashboard(dash)   # its defaults: KOR, the table's latest year
    assert suppliers.error is None and exports.error is None, (suppliers.error, exports.error)
    assert len(suppliers.frame) > 0 and exports.values == {"country": "KOR", "year": 2008}
    # Korea's 2008 exports to each partner, summed here over the stored flows
    direct = {r["importer"]: r["v"] for r in _rows(
        driver, "MATCH (:Country {key: 'KOR'})-[r:EXPORTS]->(d:Country) WHERE r.year = 2008 "
                "RETURN d.key AS importer, sum(r.value) AS v")}
    got = dict(zip(exports.frame["importer"], exports.frame["exports_kusd"]))
    assert set(got) == set(direct) and len(got) == 5
    assert all(got[k] == pytest.approx(direct[k], abs=0.05) for k in direct)
