"""Dashboards (several reports sharing parameters) and the Cypher box's door, on the real test Neo4j.

Each tile's rows are compared with a query written here, run directly through the driver, so a
shared value that did not reach a tile (or reached it changed) shows as a different table.
"""
from __future__ import annotations

import pytest

from queries import catalogue, reports
from queries.errors import ParameterError, QueryRefused
from queries.model import Param

FIRMS = ("MATCH (f:Firm) WHERE f.country = $country AND f.output >= $min_output "
         "RETURN f.key AS key, f.output AS output ORDER BY key")
LINKS = ("MATCH (s:Firm)-[r:SUPPLIES]->(b:Firm) WHERE b.country = $country AND r.year >= $years[0] "
         "AND r.year <= $years[1] RETURN s.key AS supplier, b.key AS buyer, r.year AS year, r.value AS value "
         "ORDER BY supplier, buyer, year")
MANY = "MATCH (f:Firm) WHERE f.country IN $countries RETURN f.country AS country, count(*) AS firms ORDER BY country"


@pytest.fixture(scope="module")
def graph(driver, schema_applied):
    from tests.conftest import wipe

    wipe(driver)
    driver.execute_query(
        "UNWIND range(1, 9) AS i CREATE (:Firm {key: 'f' + i, output: i * 10.0, "
        "country: ['KOR', 'CHN', 'JPN'][i % 3]})")
    driver.execute_query(
        "UNWIND range(1, 8) AS i MATCH (a:Firm {key: 'f' + i}), (b:Firm {key: 'f' + (i + 1)}) "
        "CREATE (a)-[:SUPPLIES {year: 2018 + i % 4, value: i * 1.5}]->(b)")
    reports.save_report("firms-in", "Firms of a country", FIRMS, {"country": "KOR", "min_output": 0.0})
    reports.save_report("links-into", "Supply links into a country", LINKS, {"country": "KOR", "years": [2018, 2021]})
    reports.save_report("firms-per-country", "Firms per country", MANY, {"countries": ["KOR"]})
    return driver


def direct(driver, cypher, **params):
    return [r.data() for r in driver.execute_query(cypher, **params).records]


def rows(df):
    return df.to_dict("records")


def test_two_reports_sharing_country_run_with_the_same_value(graph):
    version = catalogue.save_dashboard(
        "country-view", "One country", [Param("country", "str", "KOR", help="ISO3")],
        [{"title": "Firms", "report": "firms-in", "params": {"min_output": 20.0}},
         {"title": "Links", "report": "links-into", "view": "graph"}], "firms and their suppliers")
    assert version == 1
    d = catalogue.get_dashboard("country-view")
    assert [t.title for t in d.tiles] == ["Firms", "Links"] and d.tiles[1].view == "graph"
    for country in ("CHN", "JPN"):
        firms, links = catalogue.run_dashboard(d, {"country": country})
        assert firms.error is None and links.error is None
        assert firms.values == {"country": country, "min_output": 20.0} and links.values == {"country": country}
        assert rows(firms.frame) == direct(graph, FIRMS, country=country, min_output=20.0)
        assert rows(links.frame) == direct(graph, LINKS, country=country, years=[2018, 2021])
        assert len(firms.frame) > 0 and len(links.frame) > 0
    # the shared default when nothing is given; a value the shared Param refuses runs nothing
    firms, _ = catalogue.run_dashboard(d)
    assert set(firms.frame["key"]) == {r["key"] for r in direct(graph, FIRMS, country="KOR", min_output=20.0)}
    with pytest.raises(ParameterError, match="dashboard 'country-view' has no parameter"):
        catalogue.run_dashboard(d, {"colour": "red"})


def test_multi_and_range_parameters_feed_their_tiles(graph):
    catalogue.save_dashboard(
        "region-view", "Several countries",
        [Param("countries", "multi", ("KOR",), help="ISO3 codes"),
         Param("years", "range", (2018, 2021), 2000, 2030, item="int", help="years of the links"),
         Param("country", "str", "KOR", help="buyer country")],
        [{"title": "Counts", "report": "firms-per-country"}, {"title": "Links", "report": "links-into"}])
    d = catalogue.get_dashboard("region-view")
    assert [p.type for p in d.params] == ["multi", "range", "str"]
    counts, links = catalogue.run_dashboard(d, {"countries": "CHN,JPN", "years": "2019..2020", "country": "JPN"})
    assert rows(counts.frame) == direct(graph, MANY, countries=["CHN", "JPN"])
    assert rows(links.frame) == direct(graph, LINKS, country="JPN", years=[2019, 2020])
    assert set(links.frame["year"]) <= {2019, 2020}
    with pytest.raises(ParameterError, match="'years': '2020..2019' has lo above hi"):
        catalogue.run_dashboard(d, {"years": "2020..2019"})


def test_saving_checks_everything_and_keeps_versions(graph):
    before = graph.execute_query("MATCH (n) RETURN count(n) AS n").records[0]["n"]
    with pytest.raises(QueryRefused, match="tile 1 \\(Bad\\).*refused: query type 'rw': it writes to the database"):
        catalogue.save_dashboard("bad", "Bad", [], [{"title": "Bad", "cypher": "CREATE (:Firm {key: 'x'}) RETURN 1"}])
    with pytest.raises(QueryRefused, match="tile 1 \\(nope\\): no query module or saved report 'nope'"):
        catalogue.save_dashboard("bad", "Bad", [], [{"report": "nope"}])
    with pytest.raises(ParameterError, match="shared parameter\\(s\\) \\['year'\\] feed no tile"):
        catalogue.save_dashboard("bad", "Bad", [Param("year", "int", help="y")], [{"report": "firms-in"}])
    with pytest.raises(ParameterError, match="'min_output': 'lots' is not a valid float"):
        catalogue.save_dashboard("bad", "Bad", [], [{"report": "firms-in", "params": {"min_output": "lots"}}])
    with pytest.raises(ParameterError, match="view 'pie'; allowed: table, chart, graph"):
        catalogue.save_dashboard("bad", "Bad", [], [{"report": "firms-in", "view": "pie"}])
    with pytest.raises(ParameterError, match="add at least one tile"):
        catalogue.save_dashboard("bad", "Bad", [], [])
    after = graph.execute_query("MATCH (n) RETURN count(n) AS n").records[0]["n"]
    assert after == before   # nothing was stored, nothing was created

    tiles = [{"title": "Firms", "report": "firms-in"},
             {"title": "Top", "cypher": "MATCH (f:Firm) WHERE f.country = $country RETURN f.key AS key "
                                       "ORDER BY f.output DESC LIMIT 2"}]
    shared = [Param("country", "str", "KOR", help="ISO3")]
    assert catalogue.save_dashboard("kept", "Kept", shared, tiles) == 1
    assert catalogue.save_dashboard("kept", "Kept", shared, tiles) == 1       # identical: no new version
    assert catalogue.save_dashboard("kept", "Kept", shared, tiles[:1]) == 2
    assert catalogue.get_dashboard("kept").versions == (1, 2) and len(catalogue.get_dashboard("kept", 1).tiles) == 2
    _, top = catalogue.run_dashboard(catalogue.get_dashboard("kept", 1), {"country": "CHN"})
    assert top.frame["key"].tolist() == [r["key"] for r in direct(
        graph, "MATCH (f:Firm) WHERE f.country = 'CHN' RETURN f.key AS key ORDER BY f.output DESC LIMIT 2")]
    assert "kept" in {d.name for d in catalogue.dashboards()}
    with pytest.raises(ParameterError, match="has no version 5; saved versions: \\[1, 2\\]"):
        catalogue.get_dashboard("kept", 5)
    with pytest.raises(QueryRefused, match="no saved dashboard 'gone'"):
        catalogue.get_dashboard("gone")


def test_the_cypher_box_door_refuses_writes_and_leaves_the_database_unchanged(graph):
    before = direct(graph, "MATCH (n) RETURN count(n) AS n, sum(coalesce(n.output, 0)) AS total")
    for text in ("MATCH (f:Firm) SET f.output = 0 RETURN count(f)", "CREATE (:Firm {key: 'intruder'})",
                 "MATCH (f:Firm) DETACH DELETE f", "CALL apoc.cypher.runWrite('CREATE (:X)', {})",
                 "LOAD CSV FROM 'file:///etc/passwd' AS l RETURN l"):
        entry = catalogue.cypher_entry(text)
        with pytest.raises(QueryRefused, match="^refused"):
            catalogue.run_entry(entry, {})
    assert direct(graph, "MATCH (n) RETURN count(n) AS n, sum(coalesce(n.output, 0)) AS total") == before
    entry = catalogue.cypher_entry("MATCH (f:Firm) WHERE f.country = $c RETURN f.key AS key ORDER BY key")
    assert [p.name for p in entry.params] == ["c"] and entry.params[0].required
    assert catalogue.run_entry(entry, {"c": "KOR"})["key"].tolist() == \
        [r["key"] for r in direct(graph, "MATCH (f:Firm {country: 'KOR'}) RETURN f.key AS key ORDER BY key")]
    df = catalogue.run_entry(catalogue.cypher_entry("UNWIND range(1, 50) AS i RETURN i"), {}, row_cap=10)
    assert len(df) == 10 and df.attrs["truncated"] is True
