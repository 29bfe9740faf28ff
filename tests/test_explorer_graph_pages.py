"""The Network page's graph handling through streamlit.testing's AppTest on the real test Neo4j:
hide, pin, in-drawing filters, layouts, community colours, expand all, saved drawings, and the URL
that holds all of it."""
from __future__ import annotations

import pytest

from queries import reports
from tests.support import explorer_graph
from tests.test_explorer_pages import run_page, texts


@pytest.fixture(scope="module")
def graph(driver, schema_applied):
    import streamlit as st

    explorer_graph.load_fresh(driver)
    st.cache_data.clear()
    yield driver
    st.cache_data.clear()


def qp(at, key):
    v = at.query_params[key]
    return v if isinstance(v, list) else [v]


def caption(at) -> str:
    return next(c.value for c in at.caption if " nodes · showing " in c.value)


def test_hidden_and_pinned_nodes_and_the_filters_are_in_the_url(graph):
    at = run_page("network", node="Firm:F1", hide="Firm:F2", pin="Firm:F3@120.5,-40", layout="hierarchical",
                  year="all")
    # F1 and its 9 partners (11 relationships: F4 and F5 twice); F2 hidden
    assert caption(at).startswith("9 nodes · showing 11 of 11 relationships · 1 nodes hidden or filtered out")
    assert qp(at, "hide") == ["Firm:F2"] and qp(at, "pin") == ["Firm:F3@120.5,-40"] and qp(at, "layout") == ["hierarchical"]
    # the in-drawing country filter keeps F1's Korean partners (and F1) only
    at = run_page("network", node="Firm:F1", countries="KOR")
    drawn = int(caption(at).split(" nodes")[0])
    assert drawn < 10 and "hidden or filtered out" in caption(at) and qp(at, "countries") == ["KOR"]


def test_hide_and_unhide_from_the_details_panel(graph):
    at = run_page("network", node="Firm:F1", selected="Firm:F4")
    at.button(key="net_hide").click().run()
    assert qp(at, "hide") == ["Firm:F4"] and "1 nodes hidden" in caption(at)
    at.button(key="net_unhide").click().run()
    assert "hide" not in at.query_params and "hidden" not in caption(at)


def test_expand_all_has_a_cap_and_says_so(graph):
    at = run_page("network", node="Firm:F1")
    at.button(key="net_expand_all").click().run()
    expanded = qp(at, "node")
    assert expanded[0] == "Firm:F1" and len(expanded) == 10   # F1 and its 9 partners (under the cap of 25)
    assert any("Expanded 9 of 9 shown nodes" in i.value for i in at.info)


def test_colour_by_community_runs_the_module_and_says_the_modularity(graph):
    at = run_page("network", node="Sector:KOR|ELEC", colour="community", types="SUPPLIES")
    c = caption(at)
    assert "communities (louvain, modularity " in c or "community (louvain, modularity " in c, c
    assert not at.error


def test_a_bad_pin_or_layout_is_named(graph):
    at = run_page("network", node="Firm:F1", pin="Firm:F3@x,y")
    assert any(e.value.startswith("URL parameter pin: 'Firm:F3@x,y' is not a pin") for e in at.error)
    at = run_page("network", node="Firm:F1", layout="circle")
    assert any(e.value.startswith("URL parameter layout: 'circle' is not a choice; allowed: one of force, "
                                  "hierarchical, country") for e in at.error)


def test_a_saved_drawing_opens_as_it_was_saved(graph):
    at = run_page("network", node="Firm:F1", hide="Firm:F2", pin="Firm:F3@10,20", layout="country")
    at.text_input(key="net_save_name").input("f1-drawing")
    at.button[-1].click().run()   # the form's submit button comes last
    assert any("Saved drawing 'f1-drawing' version 1" in s.value for s in at.success), [s.value for s in at.success]
    doc = reports.get_document("scene", "f1-drawing")
    assert doc["content"]["hide"] == ["Firm:F2"] and doc["content"]["pin"] == ["Firm:F3@10,20"]
    assert doc["content"]["layout"] == "country" and doc["content"]["node"] == ["Firm:F1"]
    again = run_page("network", scene="f1-drawing")
    assert qp(again, "hide") == ["Firm:F2"] and qp(again, "layout") == ["country"]
    assert caption(again) == caption(at)
    assert any("Opened saved drawing 'f1-drawing'" in s.value for s in again.success) or "f1-drawing" in texts(again)
    bad = run_page("network", scene="nope")
    assert any(e.value.startswith("URL parameter scene: no saved scene 'nope'") for e in bad.error)
