"""The explorer's pure pieces (no database, no Streamlit): search text, scenes, paths, URL parameters."""
from __future__ import annotations

import networkx as nx
import pandas as pd
import pytest
from hypothesis import given, strategies as st

from explorer.transform import country
from explorer.graph import scene
from explorer.transform import paths
from explorer.transform import url
from queries.model import Param
from explorer.transform import results
from explorer.graph.style import metric_colours, strip_external, to_html
from explorer.transform.search import lucene_query, node_id, split_node_id, words_of


def test_codes_split_like_the_standard_analyzer():
    assert words_of("KOR|Electrical and Optical") == ["kor", "electrical", "optical"]
    assert lucene_query("KR-11") == "+kr +11*"
    assert lucene_query("korea elec") == "+(korea OR korea~1) +(elec* OR elec~1)"
    assert lucene_query("  ") == ""
    # a lone stop word is kept (the user typed nothing else)
    assert lucene_query("and") == "+and*"


@given(st.text(max_size=40))
def test_any_typed_text_gives_a_query_without_raw_lucene_syntax(text):
    q = lucene_query(text)
    # only the operators the function itself writes may appear
    stripped = q.replace(" OR ", " ").replace("~1", "").replace("*", "").replace("+", "").replace("(", "").replace(")", "")
    assert all(ch.isalnum() or ch in " _" for ch in stripped), q


def test_node_ids_round_trip_keys_with_separators():
    nid = node_id("Sector", "KOR|Electrical: and Optical")
    assert split_node_id(nid) == ("Sector", "KOR|Electrical: and Optical")
    with pytest.raises(ValueError):
        split_node_id("no-label-here")


def hood(center, others, total=None):
    edges = [{"source": o, "target": center, "type": "SUPPLIES", "props": {"year": 2020, "value": v}, "weight": v}
             for o, v in others]
    return {"nodes": {o: {"label": "Firm", "props": {"key": o, "output": v * 10}} for o, v in others},
            "edges": edges, "total": total or len(edges), "shown": len(edges)}


def test_merge_counts_shown_and_total_and_dedupes_edges():
    v = scene.merge_into_scene(scene.empty_scene(), "A", {"label": "Firm", "props": {"key": "A"}},
                         hood("A", [("B", 2.0), ("C", 3.0)], total=7))
    # expanding B brings the B->A edge again: it must not be drawn twice
    v = scene.merge_into_scene(v, "B", {"label": "Firm", "props": {"key": "B"}}, hood("A", [("B", 2.0)]))
    assert len(v["edges"]) == 2 and v["expanded"] == ["A", "B"]
    assert scene.showing(v) == (3, 8)
    assert scene.node_metric(v, "degree") == {"A": 2.0, "B": 1.0, "C": 1.0}
    assert scene.node_metric(v, "strength")["A"] == 5.0


def test_sizes_grow_with_the_square_root_and_missing_values_get_the_minimum():
    sizes = scene.scale_sizes({"a": 100.0, "b": 25.0, "c": None}, lo=10, hi=50)
    assert sizes == {"a": 50.0, "b": 30.0, "c": 10.0}


def test_graphml_export_reads_back_with_networkx(tmp_path):
    v = scene.merge_into_scene(scene.empty_scene(), "A", {"label": "Firm", "props": {"key": "A", "tags": ["x"]}},
                         hood("A", [("B", 2.0)]))
    path = tmp_path / "v.graphml"
    path.write_text(scene.graphml(v))
    g = nx.read_graphml(path)
    assert set(g.nodes) == {"A", "B"} and g.nodes["A"]["neo4j_label"] == "Firm"
    assert [d["value"] for _, _, d in g.edges(data=True)] == [2.0]


def test_metric_colours_bins_and_legend():
    colours, legend = metric_colours({"a": 0.0, "b": 10.0, "c": None})
    assert colours["a"] != colours["b"] and colours["c"] == "#cccccc"
    assert legend[-1] == ("#cccccc", "no value") and len(legend) == 6


def test_drawing_is_offline_and_carries_the_click_bridge():
    v = scene.merge_into_scene(scene.empty_scene(), "A", {"label": "Firm", "props": {"key": "A"}}, hood("A", [("B", 1)]))
    html = to_html(v)
    assert "cdn.jsdelivr" not in html and "gvnNodeScreenPosition" in html and "vis.Network" in html
    assert strip_external('<script src="https://x/y.js"></script><p>') == "<p>"


UP = pd.DataFrame({"path": [["M", "E"], ["C", "E"], ["X", "M", "E"], ["E", "E"]], "depth": [1, 1, 2, 1],
                   "value": [0.2, 0.1, 0.04, 0.1], "depth_total": [0.4, 0.4, 0.04, 0.4]})


def test_sankey_layers_nodes_by_distance_and_sums_links():
    sk = paths.sankey(UP, "upstream")
    links = {(sk["labels"][s], sk["labels"][t]): v for s, t, v in zip(sk["source"], sk["target"], sk["value"])}
    # M (1 step away) -> E gets its own path and the longer path through it
    assert links[("M (1)", "E")] == pytest.approx(0.24)
    assert links[("X (2)", "M (1)")] == pytest.approx(0.04)
    # the self-loop E -> E is drawn between layers, never as a cycle
    assert links[("E (1)", "E")] == pytest.approx(0.1)


def test_place_split_reads_the_modules_totals_over_every_path():
    # the module's depth_* columns cover every path above the threshold, listed or not
    frame = UP.assign(depth_same_country=[0.3, 0.3, 0.0, 0.3], depth_other_country=[0.1, 0.1, 0.04, 0.1],
                      depth_same_region=[0.25, 0.25, 0.0, 0.25], depth_other_region=[0.1, 0.1, 0.04, 0.1],
                      depth_unknown_region=[0.05, 0.05, 0.0, 0.05])
    by_country = paths.place_split(frame, "country").set_index("depth")
    assert by_country.loc[1, "same_country"] == pytest.approx(0.3) and by_country.loc[2, "other_country"] == 0.04
    assert by_country.loc[1, "same_country_share"] == pytest.approx(0.75)
    by_region = paths.place_split(frame, "region").set_index("depth")
    assert by_region.loc[1, "unknown_region"] == pytest.approx(0.05)
    assert "same_country" not in by_region and "unknown_region" not in by_country
    assert paths.place_split(UP, "country").empty          # a result without the module's totals


def test_ranked_table_orders_all_depths_by_value():
    t = paths.ranked_table(UP, {"E": "Electronics"})
    assert list(t["path"])[:2] == ["M → Electronics", "C → Electronics"]
    assert list(t["rank"]) == [1, 2, 3, 4]


def test_country_aggregates_leave_rest_of_world_out():
    frame = pd.DataFrame({"country": ["KOR", "KOR", "RoW", "CHN"], "output": [1.0, 2.0, 5.0, 4.0],
                          "backward_linkage": [1.0, 2.0, 1.0, 1.0]})
    agg, left = country.by_country(frame, "output")
    assert agg.set_index("country")["output"].to_dict() == {"CHN": 4.0, "KOR": 3.0} and left == ["RoW"]
    mean, _ = country.by_country(frame, "backward_linkage")
    assert mean.set_index("country").loc["KOR", "backward_linkage"] == 1.5


PARAMS = [Param("year", "int"), Param("t", "float"), Param("on", "bool"),
          Param("mode", "choice", choices=("a", "b")), Param("name", "str"), Param("keys", "json")]
FIELDS = url.report_fields(PARAMS)


@given(year=st.none() | st.integers(-10**6, 10**6), t=st.none() | st.floats(allow_nan=False, allow_infinity=False),
       on=st.booleans(), mode=st.sampled_from(["a", "b"]), name=st.text(min_size=1),
       keys=st.none() | st.lists(st.text(max_size=5), max_size=3))
def test_url_parameters_round_trip(year, t, on, mode, name, keys):
    values = {"p_year": year, "p_t": t, "p_on": on, "p_mode": mode, "p_name": name, "p_keys": keys}
    back, problems = url.read(FIELDS, url.write(FIELDS, values))
    assert problems == []
    assert back == {k: v for k, v in values.items() if v is not None}


def test_bad_url_parameters_are_reported_not_raised():
    back, problems = url.read(FIELDS, {"p_year": "soon", "p_mode": "c", "p_on": "maybe"})
    assert back == {} and len(problems) == 3
    # one line each, naming the URL parameter and what it allows
    assert problems[0] == "URL parameter p_year: 'soon' is not a valid int; allowed: an integer, or empty"
    assert problems[1] == "URL parameter p_on: 'maybe' is not a valid bool; allowed: true or false"
    assert problems[2] == "URL parameter p_mode: 'c' is not a choice; allowed: one of a, b"


def test_results_become_graphs_from_paths_or_edge_lists():
    v = results.to_scene(UP, "value")
    assert set(v["nodes"]) == {"M", "E", "C", "X"} and v["edges"]["M->E"]["weight"] == pytest.approx(0.24)
    trade = pd.DataFrame({"exporter": ["KOR"], "importer": ["CHN"], "value": [5.0]})
    assert list(results.to_scene(trade, "value")["edges"]) == ["KOR->CHN"]
    assert results.to_scene(pd.DataFrame({"a": [1]}), None) is None
