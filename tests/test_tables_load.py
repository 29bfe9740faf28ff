"""A valid folder loads with the right values (checked against pandas), and loading twice changes nothing."""
from __future__ import annotations

import io

import pandas as pd
import pytest

from tests.support.tables_checksum import checksum
from tests.support.tables_fixture import VALID, replace_line, write_folder


def frame(stem: str) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(VALID[stem]), keep_default_na=False)


def rows(driver, cypher, **params):
    return [r.data() for r in driver.execute_query(cypher, params, database_="neo4j")[0]]


def without_load_time(cs: dict) -> dict:
    return {k: v for k, v in cs.items() if k[:3] not in {("node", "Dataset", "loaded_at"), ("node", "Dataset", "description")}}


@pytest.fixture
def loaded(empty_db, tmp_path):
    from loader.tables.load import load_tables

    folder = write_folder(tmp_path / "valid")
    summary = load_tables(folder, source="fixture", progress=False)
    return folder, summary


def test_counts_and_summary(empty_db, loaded):
    _, summary = loaded
    counts = {r["l"]: r["n"] for r in rows(empty_db, "MATCH (n) WHERE n.source = 'fixture' "
                                                      "RETURN labels(n)[0] AS l, count(*) AS n")}
    assert counts == {"Country": 1, "Region": 2, "Industry": 1, "Firm": 4, "Person": 2, "Dataset": 1}
    rels = {r["t"]: r["n"] for r in rows(empty_db, "MATCH ()-[r]->() WHERE r.source = 'fixture' "
                                                    "RETURN type(r) AS t, count(*) AS n")}
    assert rels == {"WORKS_FOR": 3, "OWNS": 2, "INVESTS_IN": 2, "FDI_STATISTIC": 2, "SUPPLIES": 5, "EXPORTS": 3,
                    "PERFORMS": 3, "HAS_INDICATOR": 2, "STAGE_ASSESSMENT": 2}
    assert summary.created["Firm"] == 4 and summary.created["SUPPLIES (Firm->Firm)"] == 5
    # the files name reference codes (KOR, KR-11, ISIC4|C26) on an empty database: reference data came along
    assert rows(empty_db, "MATCH (:Firm {key: 'F1'})-[:LOCATED_IN]->(r:Region)-[:PART_OF]->(e) "
                          "RETURN r.key AS r, e.key AS e") == [{"r": "KR-11", "e": "KR-ECON-CAPITAL"}]
    f1 = rows(empty_db, "MATCH (f:Firm {key: 'F1'})-[:IN_INDUSTRY]->(i) RETURN f, i.key AS i")[0]
    assert f1["i"] == "ISIC4|C26"
    assert f1["f"]["employees"] == 12000 and f1["f"]["output"] == 950000.5 and f1["f"]["founded"] == 1969
    assert rows(empty_db, "MATCH (f:Firm {key: 'F4'}) RETURN f.region AS r") == [{"r": None}]


def test_supply_shares_match_pandas(empty_db, loaded):
    s = frame("firm_supply")
    s["a"] = s["value"] / s.groupby(["buyer", "year"])["value"].transform("sum")
    s["b"] = s["value"] / s.groupby(["supplier", "year"])["value"].transform("sum")
    got = pd.DataFrame(rows(empty_db, "MATCH (x:Firm)-[r:SUPPLIES]->(y:Firm) RETURN x.key AS supplier, "
                                      "y.key AS buyer, r.year AS year, r.product AS product, r.value AS value, "
                                      "r.a AS a, r.b AS b"))
    m = s.merge(got, on=["supplier", "buyer", "year", "product"], suffixes=("", "_db"))
    assert len(m) == len(s) == 5
    assert (m["value"] - m["value_db"]).abs().max() < 1e-12
    assert (m["a"] - m["a_db"]).abs().max() < 1e-12 and (m["b"] - m["b_db"]).abs().max() < 1e-12
    # a hand check of one share: F1 bought 100 + 300 in 2020, 300 of it from F4
    assert m.query("supplier == 'F4'")["a_db"].item() == pytest.approx(0.75)


def test_trade_unit_values(empty_db, loaded):
    got = {(r["e"], r["i"]): r for r in rows(
        empty_db, "MATCH (e:Country)-[r:EXPORTS]->(i:Country) RETURN e.key AS e, i.key AS i, r.value AS value, "
                  "r.weight AS weight, r.unit_value AS uv, r.use AS use, r.industry AS industry")}
    assert got[("KOR", "VNM")]["uv"] == pytest.approx(5000 / 12.5)  # thousand USD / tonnes = USD / kg
    assert got[("KOR", "VNM")]["use"] == "intermediate"
    assert got[("KOR", "RoW")]["uv"] is None and got[("KOR", "RoW")]["weight"] == 0


def test_investments_ownership_people_stages(empty_db, loaded):
    inv = rows(empty_db, "MATCH (a)-[r:INVESTS_IN]->(b) RETURN a.key AS a, labels(b)[0] AS l, b.key AS b, "
                         "r.amount AS amount, r.motive AS motive, r.mode AS mode ORDER BY a, b")
    assert [(r["a"], r["l"], r["b"]) for r in inv] == [("F1", "Firm", "F4"), ("F1", "Country", "VNM")]
    assert sum(r["amount"] for r in inv) == pytest.approx(frame("investments")["amount"].sum())
    stats = rows(empty_db, "MATCH (a:Country)-[r:FDI_STATISTIC]->(b) RETURN a.key AS a, labels(b)[0] AS l, "
                           "b.key AS b, r.amount AS amount, r.measure AS measure, r.reported_by AS by, "
                           "r.motive AS motive ORDER BY b")
    assert [(r["a"], r["l"], r["b"], r["amount"], r["motive"]) for r in stats] == [
        ("JPN", "Country", "KOR", -12.5, None), ("JPN", "Region", "KR-41", 140.0, None)]
    assert {r["measure"] for r in stats} == {"flow"} and stats[1]["by"] == "Korea MOTIE inward FDI by region"
    assert rows(empty_db, "MATCH (p:Person {key: 'P1'})-[r:WORKS_FOR]->(:Firm {key: 'F1'}) "
                          "RETURN r.role AS role ORDER BY role") == [{"role": "executive"}, {"role": "founder"}]
    assert rows(empty_db, "MATCH (o)-[r:OWNS]->(f:Firm) RETURN o.key AS o, f.key AS f, r.share AS s ORDER BY o") == \
        [{"o": "F1", "f": "F4", "s": 0.6}, {"o": "P1", "f": "F1", "s": 0.2}]
    va = rows(empty_db, "MATCH (:Firm {key: 'F1'})-[r:PERFORMS]->(s:Stage) WITH s, r ORDER BY s.order "
                        "RETURN s.key AS s, r.value_added AS v")
    assert va == [{"s": "rnd", "v": 500.0}, {"s": "assembly", "v": 300.0}]


def test_second_load_changes_nothing(empty_db, loaded):
    from loader.tables.load import load_tables

    folder, _ = loaded
    before = checksum(empty_db)
    again = load_tables(folder, source="fixture", progress=False)
    assert checksum(empty_db) == before
    assert sum(again.created.values()) == 0 and sum(again.updated.values()) == 0


def test_changed_value_counts_as_update(empty_db, loaded, tmp_path):
    from loader.tables.load import load_tables

    folder = write_folder(tmp_path / "changed", {
        "firms": replace_line("firms", 3, "F2,Beta Parts,KOR,KR-26,ISIC4|C29,sme,41,2100,0,2001")})
    summary = load_tables(folder, source="fixture", progress=False)
    assert summary.updated.get("Firm") == 1 and sum(summary.created.values()) == 0
    assert rows(empty_db, "MATCH (f:Firm {key: 'F2'}) RETURN f.employees AS e") == [{"e": 41}]


def test_references_to_database_entities_and_shares_across_loads(empty_db, loaded, tmp_path):
    """A folder may point at firms an earlier load wrote; a and b then cover both loads' links."""
    from loader.tables.load import load_tables

    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "firm_supply.csv").write_text("supplier,buyer,year,value,product\nF3,F1,2020,600,tools\n")
    load_tables(extra, source="extra", progress=False)
    a = rows(empty_db, "MATCH (s:Firm)-[r:SUPPLIES {year: 2020}]->(:Firm {key: 'F1'}) RETURN s.key AS s, r.a AS a "
                       "ORDER BY s")
    assert {r["s"]: r["a"] for r in a} == pytest.approx({"F2": 100 / 1000, "F3": 600 / 1000, "F4": 300 / 1000})


def test_parquet_folder_loads_like_csv(empty_db, loaded, tmp_path):
    from tests.conftest import wipe
    from loader.tables.load import load_tables

    folder, _ = loaded
    csv_state = without_load_time(checksum(empty_db))
    pq = tmp_path / "pq"
    pq.mkdir()
    for path in folder.glob("*.csv"):
        # string columns stay strings (iso2 "" must not turn into NaN), numbers keep their types
        pd.read_csv(path, keep_default_na=False, na_values={"output": [""]}).to_parquet(pq / f"{path.stem}.parquet")
    wipe(empty_db)
    load_tables(pq, source="fixture", progress=False)
    assert without_load_time(checksum(empty_db)) == csv_state


def test_large_tables_are_checked_column_wise_and_refs_to_stored_firms_hold(empty_db, loaded, tmp_path):
    """The fixture's firms and supply links take the column-wise path (loader/tables/columns.py), also when the
    links name firms the database holds rather than the folder; a bad link sends the folder row by row."""
    from connection import Settings
    from loader.tables.load import check_folder
    from loader.tables.problems import TablesError

    checked, _ = check_folder(loaded[0], Settings.from_env())
    assert set(checked.columns) == {"firms", "firm_supply"}
    assert "firms" not in checked.rows and "firm_supply" not in checked.rows
    links_only = write_folder(tmp_path / "links", {stem: None for stem in VALID if stem != "firm_supply"})
    checked, _ = check_folder(links_only, Settings.from_env())
    assert set(checked.columns) == {"firm_supply"}
    bad = write_folder(tmp_path / "bad", {stem: None for stem in VALID if stem != "firm_supply"} |
                       {"firm_supply": replace_line("firm_supply", 3, "F4,F77,2020,300,chips")})
    with pytest.raises(TablesError) as err:
        check_folder(bad, Settings.from_env())
    assert [(p.file, p.line, p.column) for p in err.value.problems] == [("firm_supply.csv", 3, "buyer")]
