"""Every explorer page rendered by streamlit.testing's AppTest against the real test Neo4j."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.support import explorer_graph
from tests.conftest import TEST_PORT

APP = str(Path(__file__).resolve().parent.parent / "explorer" / "app.py")


@pytest.fixture(scope="module")
def graph(driver, schema_applied):
    explorer_graph.load_fresh(driver)
    yield driver


def run_page(page: str, **query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in query.items():
        at.query_params[k] = v
    # st.navigation registers the pages on the first run; only then can the test switch to one
    at.run()
    at.switch_page(f"page_scripts/{page}.py")
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [w.value for w in at.warning] \
        + [i.value for i in at.info] + [e.value for e in at.error] + [t.value for t in at.title]
    return "\n".join(str(p) for p in parts)


@pytest.mark.parametrize("page", ["overview", "network", "spillovers", "centrality", "reports", "trade"])
def test_every_page_runs_on_an_empty_database(empty_db, page):
    import streamlit as st

    st.cache_data.clear()
    try:
        at = run_page(page, node="Firm:NOPE")
        # the pages that open a node say it does not exist (one line), instead of drawing or tracing nothing
        errors = [e.value for e in at.error]
        if page in ("network", "spillovers"):
            assert len(errors) == 1 and errors[0].startswith("URL parameter node:") and "NOPE" in errors[0], errors
        else:
            assert not errors
        assert not any("SYNTHETIC" in w.value for w in at.sidebar.warning)
    finally:
        st.cache_data.clear()


def test_overview_counts_and_synthetic_badge(graph):
    at = run_page("overview")
    by_label = {r["label"]: r["count"] for r in at.dataframe[0].value.to_dict("records")}
    assert by_label["Firm"] == 5 and by_label["Sector"] == 5 and by_label["Country"] == 4
    by_type = {r["type"]: r["count"] for r in at.dataframe[1].value.to_dict("records")}
    assert by_type["SUPPLIES"] == len(explorer_graph.FLOWS) + 4
    # the sidebar badge on every page, and the flag in the sources table
    assert any("SYNTHETIC DATA loaded: TEST-SYN" in w.value for w in at.sidebar.warning)
    sources = at.dataframe[2].value
    assert sources.set_index("key").loc["TEST-SYN", "data"] == "⚠️ SYNTHETIC"
    years = at.dataframe[3].value
    assert "2020" in " ".join(years["years"])


def test_overview_flags_a_load_that_did_not_finish(graph):
    import streamlit as st

    graph.execute_query("MATCH (d:Dataset {key: 'TEST-SYN'}) SET d.loading = datetime('2026-01-02T03:04:05Z')")
    st.cache_data.clear()  # the page caches the dataset list for a minute
    try:
        at = run_page("overview")
        msgs = [e.value for e in at.error]
        assert any("TEST-SYN" in m and "did not finish" in m and "2026-01-02" in m for m in msgs), msgs
    finally:
        graph.execute_query("MATCH (d:Dataset {key: 'TEST-SYN'}) REMOVE d.loading")
        st.cache_data.clear()
    assert not any("did not finish" in e.value for e in run_page("overview").error)


def test_network_search_shows_matches_and_draws_a_pick(graph):
    at = run_page("network", year="all")   # every year: F1's 2019 investment is counted below
    at.text_input(key="net_q").input("hanbit").run()
    pick = at.selectbox(key="net_pick")
    assert "Firm:F1" in pick.options[0] or pick.options[0].startswith("Hanbit")
    at.selectbox(key="net_pick").select("Firm:F1").run()
    assert not at.exception
    assert at.query_params["node"] == ["Firm:F1"] or at.query_params["node"] == "Firm:F1"
    caption = texts(at)
    # F1's relationships: 3 SUPPLIES in, 1 INVESTS_IN in, 2 out, 1 OWNS, 1 WORKS_FOR, 2 LOCATED_IN, 1 IN_INDUSTRY
    assert "showing 11 of 11 relationships" in caption


def test_network_cap_says_showing_n_of_m(graph):
    at = run_page("network", node="Firm:F1", year="all")
    at.slider(key="net_cap").set_value(10).run()
    # the cap is per expanded node; 11 match, 10 shown
    assert "showing 10 of 11 relationships" in texts(at)


def test_network_filters_by_type_and_year(graph):
    at = run_page("network", node="Firm:F1", year="all")
    at.multiselect(key="net_types").set_value(["INVESTS_IN"]).run()
    assert "showing 3 of 3 relationships" in texts(at)
    at.selectbox(key="net_year").set_value(2019).run()
    assert "showing 1 of 1 relationships" in texts(at)


def test_a_down_database_gives_a_message_and_retry_then_recovers(graph, monkeypatch):
    # nothing listens on port 1: the page must say so instead of raising
    monkeypatch.setenv("NEO4J_URI", "bolt://127.0.0.1:1")
    at = run_page("overview")
    assert any("Neo4j is not reachable at bolt://127.0.0.1:1" in e.value for e in at.error)
    retry = at.button(key="retry-connection")
    # the server "comes back": Retry reruns against the reachable database without a restart
    monkeypatch.setenv("NEO4J_URI", f"bolt://127.0.0.1:{TEST_PORT}")
    retry.click().run()
    assert not at.error
    assert at.dataframe[0].value.set_index("label").loc["Firm", "count"] == 5


def test_spillovers_ranks_upstream_paths_and_splits_by_country(graph):
    at = run_page("spillovers", node="KOR|ELEC")
    at.selectbox(key="sp_node").set_value("KOR|ELEC")
    at.radio(key="sp_by").set_value("country")
    at.button(key="sp_run").click().run()
    assert not at.exception
    table = at.dataframe[0].value
    # strongest path is the direct link KOR|METAL -> KOR|ELEC with a = 20 / 100
    assert table.iloc[0]["path"] == "KOR|METAL → KOR|ELEC"
    assert table.iloc[0]["value"] == pytest.approx(0.2)
    split = at.dataframe[2].value.set_index("depth")
    # depth 1 upstream of KOR|ELEC: KOR|METAL 0.2 and KOR|ELEC 0.1 at home; CHN|ELEC 0.1, USA|SERV 0.05 abroad
    # (the split says "country" when it compares countries)
    assert split.loc[1, "same_country"] == pytest.approx(0.3)
    assert split.loc[1, "other_country"] == pytest.approx(0.15)
    assert at.query_params["direction"] in ("upstream", ["upstream"])


def test_spillovers_firm_downstream_by_economic_region(graph):
    at = run_page("spillovers", node="F2", direction="downstream")
    at.selectbox(key="sp_node").set_value("F2")
    at.button(key="sp_run").click().run()
    assert not at.exception
    table = at.dataframe[0].value
    assert set(table["path"]) == {"Busan Steel Works → Hanbit Electronics", "Busan Steel Works → Seoul Metal Parts",
                                  "Busan Steel Works → Seoul Metal Parts → Hanbit Electronics"}
    split = at.dataframe[2].value.set_index("depth")
    # F2 sits in Busan (Southeast); its buyers F1 and F3 in Seoul (Greater Seoul): all other-region
    assert split.loc[1, "same_region"] == 0.0 and split.loc[1, "other_region"] > 0


def test_centrality_ranking_linkages_key_sectors_and_map(graph):
    at = run_page("centrality")
    assert not at.exception
    frames = [d.value for d in at.dataframe]
    ranking = frames[0]
    # KOR|ELEC buys from four suppliers (self-loop included): the PageRank leader of the test table
    assert ranking.iloc[0]["key"] == "KOR|ELEC"
    linkages = frames[1]
    assert list(linkages["sector"])[:2] == ["KOR|ELEC", "CHN|ELEC"]  # by backward linkage 1.4, 1.1
    key = frames[2]
    assert list(key["sector"]) == ["KOR|ELEC"]  # the only sector with BL > 1 and FL > 1
    by_country = frames[3].set_index("country")
    assert by_country.loc["KOR", "output"] == pytest.approx(150.0)  # 100 + 50
    assert by_country.loc["CHN", "output"] == pytest.approx(120.0)
    # every chart is a plotly figure with title, units and source line: both rankings, key sectors and the map
    assert [c.key for c in at.get("plotly_chart")] == ["ce_rank_bar", "ce_link_bar", "ce_scatter", "ce_map"]


def test_centrality_betweenness_sampling_widget(graph):
    at = run_page("centrality")
    widget = at.number_input(key="ce_bc_sampling")
    assert widget.value == 0 and widget.min == 0   # exact by default, range from the module's parameter
    assert set(at.dataframe[0].value["betweenness_sources"]) == {5}   # all five sectors are sources
    widget.set_value(2).run()
    assert not at.exception and not at.error
    ranking = at.dataframe[0].value
    assert set(ranking["betweenness_sources"]) == {2} and len(ranking) == 5
    assert any("sampled from 2 source nodes" in c.value for c in at.caption)


def test_trade_and_fdi_by_motive_mode_unit_values_and_regions(graph):
    # by default the page shows the latest year only (never years mixed unless asked): 2020's 120 + 75
    latest = run_page("trade")
    assert [d.value for d in latest.dataframe][0]["amount"].sum() == pytest.approx(195.0)
    at = run_page("trade", fdi_all_years="true", trade_all_years="true")
    assert not at.exception
    frames = [d.value for d in at.dataframe]
    by_mode = frames[0].set_index("motive")
    assert by_mode.loc["strategic_asset", "mode"] == "acquisition"
    assert by_mode["amount"].sum() == pytest.approx(235.0)  # 120 + 40 + 75
    inward = frames[1].set_index("country")
    assert inward.loc["CHN", "amount"] == pytest.approx(115.0) and inward.loc["KOR", "amount"] == pytest.approx(120.0)
    trade = frames[2]
    assert trade.set_index("importer").loc["USA", "unit_value"] == pytest.approx(100.0)  # 3000 / 30
    exports = frames[3].set_index("country")
    assert exports.loc["KOR", "value"] == pytest.approx(8000.0)
    regions = frames[4].set_index("region")
    assert regions.loc["KR-ECON-CAPITAL", "foreign_output_share"] == pytest.approx(0.6 * 900 / 950)


TOP_FIRMS = ("MATCH (f:Firm) WHERE f.output >= $min_output AND ($country = '' OR f.country = $country) "
             "RETURN f.key AS key, f.name AS name, f.country AS country, f.output AS output ORDER BY output DESC")


@pytest.fixture
def saved_report(graph):
    from queries import reports

    graph.execute_query("MATCH (n) WHERE n:Report OR n:ReportVersion DETACH DELETE n")
    reports.save_report("top-firms", "Top firms by output", TOP_FIRMS, {"min_output": 100.0, "country": ""},
                        "Firms above an output floor")
    return "report:top-firms"


def test_reports_runs_a_saved_report_with_typed_widgets_and_downloads(saved_report):
    at = run_page("reports")
    at.selectbox(key="rp_choice").set_value(saved_report).run()
    floor = at.number_input(key="rp_report:top-firms_1_min_output")
    assert floor.value == 100.0  # the saved default, in a float widget
    floor.set_value(350.0)
    at.button[0].click().run()  # the form's Run button
    assert not at.exception
    table = at.dataframe[0].value
    assert list(table["key"]) == ["F1", "F5", "F2"]  # outputs 900, 700, 400 >= 350
    # the URL now reproduces this view
    assert at.query_params["report"] in ("report:top-firms", ["report:top-firms"])
    assert at.query_params["p_min_output"] in ("350.0", ["350.0"])
    csv = next(b for b in at.get("download_button") if "CSV" in b.proto.label)
    assert csv.proto.label == "Download CSV"


def test_reports_url_reproduces_the_view(saved_report):
    at = run_page("reports", report=saved_report, p_min_output="800", p_country="KOR", run="1")
    table = at.dataframe[0].value
    assert list(table["key"]) == ["F1"]


def test_reports_save_copy_makes_a_new_report(saved_report):
    from queries import reports

    at = run_page("reports", report=saved_report)
    at.number_input(key="rp_report:top-firms_1_min_output").set_value(10.0)
    at.text_input(key="rp_report:top-firms_1_country").input("KOR")
    # submit the parameter form so its values count, then fill and submit the save form
    # (like a browser, a form only sends its own widgets)
    at.button[0].click().run()
    at.text_input(key="rp_new_name").input("top-korean-firms")
    at.text_input(key="rp_new_title").input("Top Korean firms")
    next(b for b in at.button if b.proto.label == "Save copy").click().run()
    assert not at.exception
    assert any("Saved report 'top-korean-firms' version 1" in m.value for m in at.success)
    copy = reports.get_report("top-korean-firms")
    assert copy["title"] == "Top Korean firms"
    assert copy["params"] == {"min_output": 10.0, "country": "KOR"}
    assert copy["cypher"] == TOP_FIRMS


def test_reports_runs_a_builtin_module(graph):
    at = run_page("reports", report="module:key-sectors", run="1")
    assert not at.exception
    assert list(at.dataframe[0].value["sector"]) == ["KOR|ELEC"]


BAD_URLS = [
    ("spillovers", {"node": "NOPE-FIRM"}, "URL parameter node: no sector or firm has the key 'NOPE-FIRM'"),
    ("spillovers", {"node": "KOR|ELEC", "threshold": "5", "run": "1"},
     "URL parameter threshold: '5' is above the maximum 1; allowed: a number from 0 to 1"),
    ("spillovers", {"node": "KOR|ELEC", "depth": "99", "run": "1"}, "URL parameter depth: '99' is above the maximum 6"),
    ("network", {"node": "NoLabel"}, "URL parameter node: 'NoLabel' is not a node id"),
    ("network", {"node": "Firm:F1", "size": "colour"}, "URL parameter size: 'colour' is not a choice; allowed: one of"),
    ("reports", {"report": "module:upstream-paths", "p_node": "KOR|ELEC", "p_depth": "99", "run": "1"},
     "URL parameter p_depth: '99' is above the maximum 6"),
    ("reports", {"report": "module:key-sectors", "p_colour": "red", "run": "1"},
     "URL parameter p_colour: module 'key-sectors' has no parameter 'colour'"),
    ("centrality", {"year": "abc"}, "URL parameter year: 'abc' is not a valid int"),
    ("trade", {"fdi_year": "1700"}, "URL parameter fdi_year: '1700' is below the minimum 1900"),
]


@pytest.mark.parametrize("page, query, message", BAD_URLS, ids=[f"{p}-{'-'.join(q)}" for p, q, _ in BAD_URLS])
def test_a_bad_url_value_is_named_and_nothing_runs_with_another(graph, page, query, message):
    at = run_page(page, **query)
    errors = [e.value for e in at.error]
    assert any(m.startswith(message) and "\n" not in m for m in errors), errors
    assert not at.dataframe and not at.success   # no result computed from a value the URL did not give


def test_the_shareable_report_link_follows_the_last_run(saved_report):
    at = run_page("reports", report=saved_report)
    at.button[0].click().run()
    assert "p_min_output=100.0" in at.code[0].value
    at.number_input(key="rp_report:top-firms_1_min_output").set_value(350.0)
    at.button[0].click().run()
    assert "p_min_output=350.0" in at.code[0].value and "p_min_output=100.0" not in at.code[0].value


def test_the_spillovers_url_holds_the_year_and_every_trace_parameter(graph):
    at = run_page("spillovers", node="KOR|ELEC")
    at.selectbox(key="sp_year").set_value(2020)
    at.button(key="sp_run").click().run()
    got = {k: at.query_params[k] for k in ("node", "direction", "depth", "threshold", "limit", "year", "by", "run")}
    got = {k: v[0] if isinstance(v, list) else v for k, v in got.items()}
    assert got == {"node": "KOR|ELEC", "direction": "upstream", "depth": "3", "threshold": "0.001", "limit": "20",
                   "year": "2020", "by": "region", "run": "1"}
    # the same URL in a new session traces the same paths without a click
    again = run_page("spillovers", **got)
    assert again.dataframe[0].value.equals(at.dataframe[0].value)


def test_the_open_tab_is_in_the_url_and_a_wrong_one_is_named(graph):
    at = run_page("spillovers", node="KOR|ELEC", run="1", tab="Sankey")
    assert at.session_state["sp_tab"] == "Sankey"
    assert at.query_params["tab"] in ("Sankey", ["Sankey"])
    at = run_page("centrality", tab="Nowhere")
    assert [e.value for e in at.error] == ["URL parameter tab: 'Nowhere' is not a tab of this page; allowed: one of "
                                           "Centrality ranking, Linkages, Key sectors, World map"]
