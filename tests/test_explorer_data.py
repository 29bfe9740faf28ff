"""The explorer's data-access layer against the real test Neo4j: search, neighbourhoods, path node info,
and recovery after the server restarts."""
from __future__ import annotations

import pytest

from explorer.data import neighbourhood
from explorer.data import search
from explorer.data import spillovers
from explorer.data.scene import Filters, build_scene
from explorer.graph.scene import showing
from schema.model import USER_FACING_LABELS
from tests.support import explorer_graph


@pytest.fixture(scope="module")
def graph(driver, schema_applied):
    explorer_graph.load_fresh(driver)
    return driver


def keys(hits):
    return [(h["label"], h["key"]) for h in hits]


@pytest.mark.parametrize("text, first", [
    ("KR-11", ("Region", "KR-11")),            # a code with a separator, exact key first
    ("KOR|METAL", ("Sector", "KOR|METAL")),
    ("hanbit", ("Firm", "F1")),                # prefix of a name
    ("Basic and met", ("Industry", "TEST|METAL")),  # stop word skipped, last word a prefix
    ("Busn", ("Region", "KR-26")),             # one typo
    ("Kim Minji", ("Person", "P1")),
])
def test_search_finds_by_name_or_code(graph, text, first):
    assert keys(search.search(text))[0] == first


def test_search_can_be_limited_to_labels(graph):
    assert {h["label"] for h in search.search("elec", 20, ("Sector",))} == {"Sector"}
    # nothing searchable in the text: no query is sent, rather than a Lucene parse error
    assert search.search("((( ") == []


def test_neighbourhood_is_heaviest_first_and_capped(graph):
    hood = neighbourhood.neighbourhood("Firm:F1", cap=2)
    # F1: 11 relationships; the two heaviest are the FDI of 120 (F5 -> F1) and the supply of 90 (F2 -> F1)
    assert hood["total"] == 11 and hood["shown"] == 2
    assert [(e["source"], e["type"], e["weight"]) for e in hood["edges"]] == [
        ("Firm:F5", "INVESTS_IN", 120.0), ("Firm:F2", "SUPPLIES", 90.0)]


def test_neighbourhood_filters_labels_types_year_and_min_value(graph):
    only_firms = neighbourhood.neighbourhood("Firm:F1", labels=("Firm",))
    assert {n["label"] for n in only_firms["nodes"].values()} == {"Firm"}
    supplies = neighbourhood.neighbourhood("Firm:F1", types=("SUPPLIES",), min_value=50.0)
    assert sorted(e["source"] for e in supplies["edges"]) == ["Firm:F2", "Firm:F4"]
    in_2019 = neighbourhood.neighbourhood("Firm:F1", types=("INVESTS_IN",), year=2019)
    assert [e["target"] for e in in_2019["edges"]] == ["Firm:F4"]


def test_self_loops_appear_once(graph):
    hood = neighbourhood.neighbourhood("Sector:KOR|ELEC", types=("SUPPLIES",))
    loops = [e for e in hood["edges"] if e["source"] == e["target"]]
    assert len(loops) == 1 and loops[0]["props"]["value"] == 10.0


def test_a_view_of_two_expansions_counts_each(graph):
    f = Filters(USER_FACING_LABELS, ("SUPPLIES",), None, None, 300)
    scene = build_scene(["Firm:F1", "Firm:F3"], f)
    # F1: 3 suppliers; F3: supplies F1 (already drawn) and buys from F2
    assert set(scene["nodes"]) == {"Firm:F1", "Firm:F2", "Firm:F3", "Firm:F4"}
    assert len(scene["edges"]) == 4 and showing(scene) == (5, 5)


def test_sectors_in_a_view_carry_their_yearly_accounts(graph):
    f = Filters(USER_FACING_LABELS, ("SUPPLIES",), None, None, 300)
    scene = build_scene(["Sector:KOR|ELEC"], f)
    metal = scene["nodes"]["Sector:KOR|METAL"]["props"]
    assert (metal["output"], metal["backward_linkage"], metal["accounts_year"]) == (50.0, 0.9, 2020)
    # a year without accounts leaves the sector without numbers rather than showing another year's
    view_1999 = build_scene(["Sector:KOR|ELEC"], Filters(USER_FACING_LABELS, ("SUPPLIES",), 1999, None, 300))
    assert "output" not in view_1999["nodes"]["Sector:KOR|ELEC"]["props"]


def test_unknown_labels_never_reach_cypher(graph):
    from schema.model import UnknownNameError

    with pytest.raises(UnknownNameError):
        neighbourhood.node_details("Firm) DETACH DELETE (n:Firm")


def test_path_nodes_get_their_economic_region(graph):
    info = spillovers.node_info(("F1", "F2", "F4", "KOR|ELEC"))
    assert info["F1"]["region"] == "KR-ECON-CAPITAL" and info["F2"]["region"] == "KR-ECON-SOUTHEAST"
    assert info["F4"]["region"] is None and info["F4"]["country"] == "CHN"
    assert info["KOR|ELEC"]["label"] == "Sector" and info["KOR|ELEC"]["country"] == "KOR"


@pytest.mark.slow
def test_the_app_recovers_after_the_server_restarts(graph, neo4j_server):
    """Stop the real server under a running AppTest session, then start it again: the page says the
    database is down, and the Retry button brings the page back on the same (cached) driver."""
    from streamlit.testing.v1 import AppTest

    from tests.test_explorer_pages import APP

    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    assert at.dataframe[0].value.set_index("label").loc["Firm", "count"] == 5
    neo4j_server.stop()
    try:
        at.run()
        assert any("Neo4j is not reachable" in e.value for e in at.error)
    finally:
        neo4j_server.start()
    import streamlit as st

    st.cache_data.clear()  # the counts below must come from the restarted server, not the cache
    at.button(key="retry-connection").click().run()
    assert not at.error and not at.exception
    assert at.dataframe[0].value.set_index("label").loc["Firm", "count"] == 5
