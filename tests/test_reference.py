"""Reference data: counts equal the packages they come from; loading twice changes nothing."""
from __future__ import annotations

import csv
from pathlib import Path

import pycountry
import pytest

from tests.support.tables_checksum import checksum

DATA = Path(__file__).resolve().parent.parent / "loader" / "reference" / "data"


def one(driver, cypher, **params):
    recs, _, _ = driver.execute_query(cypher, params, database_="neo4j")
    return recs[0][0]


@pytest.fixture(scope="module")
def loaded(driver, schema_applied):
    from tests.conftest import wipe
    from loader.reference.load import load_reference

    wipe(driver)
    first = load_reference(progress=False)
    return first


def test_countries_match_pycountry(driver, loaded):
    assert one(driver, "MATCH (c:Country) RETURN count(c)") == len(pycountry.countries)
    kor = driver.execute_query("MATCH (c:Country {key: 'KOR'}) RETURN c", database_="neo4j")[0][0]["c"]
    assert kor["iso2"] == "KR" and kor["continent"] == "Asia" and kor["un_region"] == "Eastern Asia"
    assert kor["source"] == "reference"


def test_korean_subdivisions_and_economic_regions(driver, loaded):
    expected = {s.code for s in pycountry.subdivisions.get(country_code="KR") if s.parent_code is None}
    got = {r["k"] for r in driver.execute_query(
        "MATCH (r:Region {kind: 'subdivision'})-[:LOCATED_IN]->(:Country {key: 'KOR'}) RETURN r.key AS k",
        database_="neo4j")[0]}
    assert len(expected) == 17 and got == expected
    econ = driver.execute_query(
        "MATCH (s:Region {kind: 'subdivision'})-[:PART_OF]->(e:Region {kind: 'economic_region'}) "
        "RETURN e.key AS e, collect(s.key) AS subs", database_="neo4j")[0]
    groups = {r["e"]: set(r["subs"]) for r in econ}
    assert len(groups) == 7
    # the grouping rule of the regional studies, checked by subdivision name from pycountry
    names = {k: pycountry.subdivisions.get(code=k).name for k in expected}
    capital = {names[k].split("-")[0] for k in groups["KR-ECON-CAPITAL"]}
    assert capital == {"Seoul", "Incheon", "Gyeonggi"}
    assert {names[k].split("-")[0] for k in groups["KR-ECON-SOUTHEAST"]} == {"Busan", "Ulsan", "Gyeongsangnam"}
    assert {names[k].split("-")[0] for k in groups["KR-ECON-HONAM"]} == {"Gwangju", "Jeollabuk", "Jeollanam"}
    assert sum(len(v) for v in groups.values()) == 17


def test_groupings(driver, loaded):
    import countrygroups

    counts = {r["g"]: r["n"] for r in driver.execute_query(
        "MATCH (c:Country)-[:MEMBER_OF]->(g:Region {grouping_type: 'organisation'}) "
        "RETURN g.key AS g, count(c) AS n", database_="neo4j")[0]}
    assert counts["EU"] == 27 and counts["BRICS"] == len(countrygroups.BRICS) == 5
    assert counts["ASEAN"] == 11 and counts["APEC"] == 21 and counts["OECD"] == 38
    assert one(driver, "MATCH (:Country {key: 'DEU'})-[:MEMBER_OF]->(g:Region {key: 'EU'}) RETURN count(g)") == 1
    assert one(driver, "MATCH (:Country {key: 'VNM'})-[:MEMBER_OF]->(g:Region {key: 'ASEAN'}) RETURN count(g)") == 1
    assert one(driver, "MATCH (:Country {key: 'KOR'})-[:MEMBER_OF]->(g:Region {key: 'EU'}) RETURN count(g)") == 0


def test_industries_and_concordances(driver, loaded):
    by_class = {r["c"]: r["n"] for r in driver.execute_query(
        "MATCH (i:Industry) RETURN i.classification AS c, count(i) AS n", database_="neo4j")[0]}
    assert by_class == {"ISIC4": 21 + 88, "WIOD35": 35, "ICIO45": 45, "ICIO36": 36, "ICIO2023": 45,
                        "WIOD56": 56, "EXIO3": 163, "EXIO3P": 200}
    # every ISIC4 division maps to exactly one WIOD35 industry, and all but 99 to one ICIO45 industry
    rows = driver.execute_query(
        "MATCH (d:Industry {classification: 'ISIC4', level: 'division'}) "
        "OPTIONAL MATCH (d)-[m:MAPS_TO]->(w:Industry {classification: 'WIOD35'}) "
        "OPTIONAL MATCH (d)-[n:MAPS_TO]->(o:Industry {classification: 'ICIO45'}) "
        "RETURN d.code AS d, sum(DISTINCT m.weight) AS w, count(DISTINCT w) AS nw, count(DISTINCT o) AS no",
        database_="neo4j")[0]
    assert len(rows) == 88
    assert all(r["nw"] == 1 for r in rows)
    assert {r["d"] for r in rows if r["no"] == 0} == {"U99"}
    # every WIOD35 industry receives at least one division: the file covers the classification
    assert one(driver, "MATCH (w:Industry {classification: 'WIOD35'}) WHERE NOT ()-[:MAPS_TO]->(w) "
                       "RETURN count(w)") == 0
    # the WIOD35 codes are the WIOD table's own names (shared with the MRIO loader's nodes)
    with open(DATA / "wiod35.csv", encoding="utf-8") as fh:
        names = {r["name"] for r in csv.DictReader(fh)}
    assert "Electrical and Optical Equipment" in names
    assert one(driver, "MATCH (i:Industry {key: 'WIOD35|Electrical and Optical Equipment'}) RETURN count(i)") == 1


def test_icio_code_ranges():
    from loader.reference.industries import icio_divisions

    assert icio_divisions("D10T12") == ["10", "11", "12"]
    assert icio_divisions("D26") == ["26"]
    with pytest.raises(ValueError):
        icio_divisions("C26")


def test_stages(driver, loaded):
    rows = driver.execute_query("MATCH (s:Stage) RETURN s.key AS k ORDER BY s.order", database_="neo4j")[0]
    assert [r["k"] for r in rows] == ["rnd", "design", "parts", "assembly", "marketing", "service"]


def test_loading_twice_changes_nothing(driver, loaded):
    from loader.reference.load import load_reference

    assert sum(loaded.created.values()) > 0
    before = checksum(driver)
    second = load_reference(progress=False)
    assert checksum(driver) == before
    assert sum(second.created.values()) == 0 and sum(second.updated.values()) == 0
