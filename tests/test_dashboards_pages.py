"""The Cypher box and the Dashboards page through streamlit.testing's AppTest, on the real test Neo4j
loaded with the hand-made graph (tests/support/explorer_graph.py)."""
from __future__ import annotations

import pytest

from queries import catalogue, reports
from queries.model import Param
from tests.support import explorer_graph
from tests.test_explorer_pages import run_page, texts

FIRMS = ("MATCH (f:Firm) WHERE f.country = $country RETURN f.key AS key, f.name AS name, f.output AS output "
         "ORDER BY output DESC")
EXPORTS = ("MATCH (c:Country {key: $country})-[r:EXPORTS]->(d:Country) RETURN c.key AS exporter, d.key AS importer, "
           "r.value AS value ORDER BY value DESC")


@pytest.fixture(scope="module")
def graph(driver, schema_applied):
    import streamlit as st

    explorer_graph.load_fresh(driver)
    reports.save_report("firms-of-country", "Firms of a country", FIRMS, {"country": "KOR"})
    reports.save_report("exports-of-country", "Exports of a country", EXPORTS, {"country": "KOR"})
    catalogue.save_dashboard("trade-desk", "Trade desk", [Param("country", "str", "KOR", help="ISO3")],
                             [{"title": "Firms", "report": "firms-of-country"},
                              {"title": "Exports", "report": "exports-of-country", "view": "chart"}])
    st.cache_data.clear()
    yield driver
    st.cache_data.clear()


def fingerprint(driver):
    return driver.execute_query("MATCH (n) OPTIONAL MATCH (n)-[r]->() RETURN count(DISTINCT n) AS n, count(r) AS r, "
                                "sum(coalesce(n.output, 0)) AS output").records[0].data()


def test_the_cypher_box_refuses_a_write_and_leaves_the_database_unchanged(graph):
    before = fingerprint(graph)
    at = run_page("cypher", q="MATCH (f:Firm) SET f.output = 0 RETURN count(f)", run="1")
    errors = [e.value for e in at.error]
    assert errors == ["refused: query type 'rw': it writes to the database"], errors
    assert not at.dataframe and fingerprint(graph) == before
    at = run_page("cypher", q="CREATE (:Firm {key: 'X'})", run="1")
    assert [e.value for e in at.error][0].startswith("refused:") and fingerprint(graph) == before


def test_the_cypher_box_runs_with_parameters_from_the_url_and_saves_a_report(graph):
    at = run_page("cypher", q="MATCH (f:Firm) WHERE f.country = $country RETURN f.key AS key ORDER BY key",
                  p_country="KOR", run="1")
    assert list(at.dataframe[0].value["key"]) == ["F1", "F2", "F3"]
    assert "3 rows" in [s.value for s in at.success][0]
    # a $name without a saved default is a JSON parameter: text is written quoted, so it reads back as text
    assert at.query_params["p_country"] in ('"KOR"', ['"KOR"']) and at.query_params["run"] in ("1", ["1"])
    at.text_input(key="cy_save_name").input("korean-firms")
    at.text_input(key="cy_save_title").input("Korean firms")
    at.button[-1].click().run()
    assert any("Saved report 'korean-firms' version 1" in s.value for s in at.success)
    assert catalogue.run("korean-firms", {"country": "CHN"})["key"].tolist() == ["F4"]


def test_a_dashboard_feeds_one_country_to_both_reports(graph):
    at = run_page("dashboards", dashboard="trade-desk", p_country="KOR")
    firms, exports = at.dataframe[0].value, at.dataframe[1].value if len(at.dataframe) > 1 else None
    assert list(firms["key"]) == ["F1", "F2", "F3"]
    caps = texts(at)
    assert caps.count("country = KOR") == 2   # both tiles say which value they ran with
    at = run_page("dashboards", dashboard="trade-desk", p_country="CHN")
    assert list(at.dataframe[0].value["key"]) == ["F4"]
    assert texts(at).count("country = CHN") == 2
    assert at.query_params["p_country"] in ("CHN", ["CHN"])


def test_a_bad_dashboard_link_is_named(graph):
    at = run_page("dashboards", dashboard="nope")
    assert [e.value for e in at.error][0].startswith("URL parameter dashboard: no saved dashboard 'nope'")
    at = run_page("dashboards", dashboard="trade-desk", p_colour="red")
    assert any(e.value.startswith("URL parameter p_colour: dashboard 'trade-desk' has no parameter 'colour'")
               for e in at.error)
    assert not at.dataframe


def test_a_saved_report_with_a_list_default_gets_a_multi_select(graph):
    reports.save_report("firms-in-countries", "Firms of some countries",
                        "MATCH (f:Firm) WHERE f.country IN $countries RETURN f.key AS key ORDER BY key",
                        {"countries": ["KOR"]})
    import streamlit as st

    st.cache_data.clear()   # the page lists reports from a one-minute cache
    at = run_page("reports", report="report:firms-in-countries", p_countries="CHN,USA", run="1")
    box = at.multiselect(key="rp_report:firms-in-countries_1_countries")
    assert box.value == ["CHN", "USA"]
    assert list(at.dataframe[0].value["key"]) == ["F4", "F5"]
    box.set_value(["KOR"])
    at.button[0].click().run()
    assert list(at.dataframe[0].value["key"]) == ["F1", "F2", "F3"]
    assert "p_countries=KOR" in at.code[0].value


def test_build_a_dashboard_on_the_page_shares_what_two_reports_declare(graph):
    at = run_page("dashboards")
    at.multiselect(key="db_new_tiles").set_value(["firms-of-country", "exports-of-country"]).run()
    shared = next(m for m in at.multiselect if m.label.startswith("Shared parameters"))
    assert shared.value == ["country"]   # both declare it: shared by default
    at.radio(key="db_new_kind_country").set_value("multi-select").run()
    at.text_input(key="db_new_name").input("built-here")
    at.text_input(key="db_new_title").input("Built on the page")
    at.button[-1].click().run()
    assert any("Saved dashboard 'built-here' version 1" in s.value for s in at.success), [e.value for e in at.error]
    d = catalogue.get_dashboard("built-here")
    assert [(p.name, p.type) for p in d.params] == [("country", "multi")]
    assert [t.report for t in d.tiles] == ["firms-of-country", "exports-of-country"]
