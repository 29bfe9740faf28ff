"""Layouts, readability and exports of network drawings, without a browser or a database.

A 300-node scene (three expanded hubs and their partners, flows of very different size) must stay
readable in every layout: no two node discs overlap (measured pair by pair against a brute-force
count), only the largest nodes carry labels, and edge width follows value. The hierarchical layout
must run left to right along goods; the country layout must keep each country's nodes together.
GEXF goes out and comes back through networkx.read_gexf with the same nodes, edges, attributes
and years.
"""
from __future__ import annotations

import io
import math
import re

import networkx as nx
import pytest

from explorer.graph import gexf, layout, style, webgl
from explorer.graph.scene import empty_scene, merge_into_scene, node_metric, scale_sizes

COUNTRIES = ("KOR", "CHN", "JPN", "USA", "DEU")


def busy_scene(n_per_hub: int = 99) -> dict:
    """Three expanded hub firms, each with n partners (a few shared), flows spanning three decades."""
    scene = empty_scene()
    for h in range(3):
        hub = f"Firm:H{h}"
        nodes, edges = {}, []
        for i in range(n_per_hub):
            k = f"P{h}-{i}" if i % 20 else f"P-shared-{i}"
            nid = f"Firm:{k}"
            nodes[nid] = {"label": "Firm", "props": {"key": k, "name": f"Partner {k}",
                                                     "country": COUNTRIES[(i + h) % 5], "industry": f"I{i % 4}"}}
            value = float(10 ** ((i * 7) % 30 / 10))
            src, dst = (nid, hub) if i % 3 else (hub, nid)
            edges.append({"source": src, "target": dst, "type": "SUPPLIES", "props": {"year": 2018 + i % 3,
                                                                                      "value": value},
                          "weight": value})
        scene = merge_into_scene(scene, hub, {"label": "Firm", "props": {"key": f"H{h}", "name": f"Hub {h}",
                                                                         "country": COUNTRIES[h]}},
                                 {"nodes": nodes, "edges": edges, "shown": len(edges), "total": len(edges)})
    return scene


def brute_overlaps(pos, radii):
    ids = sorted(pos)
    return [(a, b) for i, a in enumerate(ids) for b in ids[i + 1:]
            if math.dist(pos[a], pos[b]) < radii[a] + radii[b] - 1e-6]


def test_the_overlap_count_agrees_with_brute_force():
    pts = {f"n{i}": ((i * 37) % 101 * 3.0, (i * 53) % 97 * 3.0) for i in range(400)}
    radii = {n: 4.0 + (i % 5) for i, n in enumerate(pts)}
    found = layout.overlapping_pairs(pts, radii)
    assert found and found == sorted(brute_overlaps(pts, radii))


@pytest.mark.parametrize("which", layout.LAYOUTS)
def test_a_300_node_scene_has_no_overlapping_discs_in_any_layout(which):
    scene = busy_scene()
    assert 290 <= len(scene["nodes"]) <= 310
    radii = scale_sizes(node_metric(scene, "strength"))
    pos = layout.positions(scene, which, radii)
    assert set(pos) == set(scene["nodes"])
    assert brute_overlaps(pos, radii) == []
    hubs = sorted(radii, key=radii.get, reverse=True)[:10]
    assert all(radii[h] > 20 for h in hubs[:3])   # the hubs are big discs: overlaps would show
    assert layout.positions(scene, which, radii) == pos   # the same scene draws the same


def test_overlaps_are_pushed_apart_and_pinned_nodes_stay_put():
    radii = {"a": 30.0, "b": 30.0, "c": 10.0, "d": 10.0}
    pos = {"a": (0.0, 0.0), "b": (5.0, 0.0), "c": (5.0, 0.0), "d": (200.0, 0.0)}
    out = layout.remove_overlaps(pos, radii, fixed={"a"})
    assert out["a"] == (0.0, 0.0) and out["d"] == (200.0, 0.0) and brute_overlaps(out, radii) == []
    scene = busy_scene(30)
    radii = scale_sizes(node_metric(scene, "degree"))
    pinned = {"Firm:H0": (1234.5, -50.0), "Firm:P0-1": (1234.5, -10.0)}   # pinned on top of each other
    for which in layout.LAYOUTS:
        got = layout.positions(scene, which, radii, pinned)
        assert got["Firm:H0"] == pinned["Firm:H0"] and got["Firm:P0-1"] == pinned["Firm:P0-1"]
        others = {n: p for n, p in got.items() if n not in pinned}
        assert brute_overlaps(others, radii) == []


def chain_scene(edges, extra=()):
    scene = empty_scene()
    names = sorted({n for e in edges for n in e[:2]} | set(extra))
    scene["nodes"] = {f"Sector:{n}": {"label": "Sector", "props": {"key": n, "country": n[:3]}} for n in names}
    scene["edges"] = {f"{s}>{t}>{k}": {"source": f"Sector:{s}", "target": f"Sector:{t}", "type": k, "props": {},
                                       "weight": 1.0} for s, t, k in edges}
    return scene


def test_hierarchical_runs_left_to_right_in_the_direction_of_goods():
    # an upstream tree into KOR|ELEC two levels deep, plus an ownership link and a lone node
    edges = [("CHNMETAL", "KORMETAL", "SUPPLIES"), ("KORMETAL", "KORELEC", "SUPPLIES"),
             ("CHNELEC", "KORELEC", "SUPPLIES"), ("USASERV", "KORELEC", "SUPPLIES"),
             ("CHNMETAL", "CHNELEC", "SUPPLIES"), ("KORELEC", "USAFIRM", "EXPORTS"),
             ("JPNBANK", "KORELEC", "OWNS")]
    scene = chain_scene(edges, extra=("ZZZLONE",))
    radii = {n: 12.0 for n in scene["nodes"]}
    pos = layout.positions(scene, "hierarchical", radii)
    x = {n.split(":")[1]: p[0] for n, p in pos.items()}
    for s, t, kind in edges:
        if kind in layout.GOODS_TYPES:
            assert x[s] < x[t], (s, t, x)
    # longest path: CHNMETAL -> KORMETAL -> KORELEC is three columns, so KORELEC is two gaps right of CHNMETAL
    assert x["KORELEC"] - x["CHNMETAL"] == pytest.approx(2 * layout.LAYER_GAP)
    assert x["JPNBANK"] == x["CHNMETAL"] or x["JPNBANK"] == x["KORELEC"]   # joins a neighbour's column
    assert x["ZZZLONE"] < min(x[n] for n in x if n != "ZZZLONE")          # off every goods edge: far left


def test_hierarchical_with_a_cycle_keeps_most_goods_edges_left_to_right():
    # input-output tables are full of cycles: a ring of 6 sectors plus a chain feeding it
    ring = [(f"R{i}", f"R{(i + 1) % 6}", "SUPPLIES") for i in range(6)]
    chain = [("A", "B", "SUPPLIES"), ("B", "R0", "SUPPLIES")]
    scene = chain_scene(ring + chain)
    pos = layout.positions(scene, "hierarchical", {n: 10.0 for n in scene["nodes"]})
    x = {n.split(":")[1]: p[0] for n, p in pos.items()}
    backwards = [(s, t) for s, t, _ in ring + chain if x[s] >= x[t]]
    assert len(backwards) == 1   # one edge must close the ring; every other goes right
    assert x["A"] < x["B"] < x["R0"]


def test_country_layout_keeps_each_countrys_nodes_together():
    scene = busy_scene(60)
    radii = scale_sizes(node_metric(scene, "degree"))
    pos = layout.positions(scene, "country", radii)
    groups: dict[str, list] = {}
    for nid, node in scene["nodes"].items():
        groups.setdefault(layout.node_country(node), []).append(pos[nid])
    centre = {c: (sum(p[0] for p in ps) / len(ps), sum(p[1] for p in ps) / len(ps)) for c, ps in groups.items()}
    reach = {c: max(math.dist(p, centre[c]) for p in ps) + max(radii.values()) for c, ps in groups.items()}
    assert len(groups) == len(COUNTRIES)
    # every country's nodes fit in a circle around their centre that no other country's circle touches
    for a in groups:
        for b in groups:
            if a < b:
                assert math.dist(centre[a], centre[b]) > reach[a] + reach[b], (a, b)


def test_labels_only_for_the_largest_nodes_and_edge_width_by_value():
    scene = busy_scene()
    d = style.drawing(scene, size_by="strength", selected="Firm:P1-5")
    labelled = {n["id"] for n in d["nodes"] if n["label"]}
    sizes = {n["id"]: n["size"] for n in d["nodes"]}
    top = sorted(sizes, key=lambda n: (-sizes[n], n))[:style.LABEL_TOP]
    assert labelled == set(top) | {"Firm:P1-5"} | set(scene["expanded"])
    assert len(labelled) <= style.LABEL_TOP + 1 + len(scene["expanded"])
    by_weight = sorted(((scene["edges"][eid]["weight"], w) for eid, w in style.edge_widths(scene).items()))
    widths = [w for _, w in by_weight]
    assert widths == sorted(widths) and widths[0] >= style.EDGE_WIDTH[0] and widths[-1] == style.EDGE_WIDTH[1]
    small = busy_scene(10)
    assert all(n["label"] for n in style.drawing(small)["nodes"])   # a small scene labels everything


def test_community_colours_and_legend():
    nodes = {f"n{i}": {} for i in range(14)}
    communities = {f"n{i}": 1 if i < 6 else (2 if i < 10 else 11 + i) for i in range(13)}   # n13: none
    colours, legend = style.community_colours(communities, nodes)
    assert colours["n0"] == colours["n5"] == style.COMMUNITY_COLOURS[0] != colours["n6"]
    assert colours["n13"] == style.MISSING and colours["n12"] == style.OTHER_COMMUNITY
    assert legend[0] == (style.COMMUNITY_COLOURS[0], "community 1 (6 nodes)")
    assert legend[-2] == (style.OTHER_COMMUNITY, "3 smaller communities (3 nodes)")
    assert legend[-1][1] == "no link among the drawn nodes"


def test_gexf_comes_back_through_networkx_with_nodes_edges_attributes_and_years():
    scene = busy_scene(20)
    scene["nodes"]["Person:P1"] = {"label": "Person", "props": {"key": "P1", "name": "Kim <& Co>", "nationality": "KOR"}}
    scene["edges"]["w"] = {"source": "Person:P1", "target": "Firm:H0", "type": "WORKS_FOR",
                           "props": {"role": "founder", "since": 2001}, "weight": None}
    radii = scale_sizes(node_metric(scene, "degree"))
    pos = layout.positions(scene, "force", radii)
    text = gexf.to_gexf(scene, title="Three hubs", positions=pos, sizes=radii,
                        colours={n: "#1f77b4" for n in scene["nodes"]})
    assert 'version="1.3"' in text and 'mode="dynamic"' in text and 'timeformat="integer"' in text
    g = nx.read_gexf(io.BytesIO(text.encode()), version="1.3")
    assert set(g.nodes) == set(scene["nodes"])
    assert sorted(d["id"] for _, _, d in g.edges(data=True)) == sorted(scene["edges"])
    for nid, node in scene["nodes"].items():
        data = g.nodes[nid]
        assert data["neo4j_label"] == node["label"]
        assert {k: data[k] for k in node["props"]} == node["props"]
        assert data["viz"]["position"]["x"] == pytest.approx(pos[nid][0])
        assert data["viz"]["position"]["y"] == pytest.approx(-pos[nid][1])
        assert data["viz"]["size"] == pytest.approx(radii[nid])
    for s, t, data in g.edges(data=True):
        e = scene["edges"][data["id"]]
        assert (s, t, data["label"], data["type"]) == (e["source"], e["target"], e["type"], e["type"])
        props = e["props"]
        assert {p: data[p] for p in props} == props
        if "year" in props:
            assert data["start"] == data["end"] == props["year"] and data["weight"] == e["weight"]
        else:
            assert data["start"] == 2001 and "end" not in data and "weight" not in data


def test_webgl_page_is_self_contained_and_chosen_past_the_threshold():
    assert webgl.renderer_for(webgl.WEBGL_NODES) == "pyvis" and webgl.renderer_for(webgl.WEBGL_NODES + 1) == "webgl"
    assert webgl.renderer_for(10, "webgl") == "webgl" and webgl.renderer_for(5000, "pyvis") == "pyvis"
    d = style.drawing(busy_scene(20), positions=True)
    html = webgl.to_html(d)
    assert not re.search(r"<(script|link)[^>]+(src|href)=", html)   # nothing fetched: both libraries inline
    assert "graphology" in html and "Sigma" in html and "gvnNodeScreenPosition" in html
    with pytest.raises(ValueError, match="needs positions"):
        webgl.to_html(style.drawing(busy_scene(5)))
    assert (webgl.VENDOR / "LICENSE-sigma.txt").read_text().count("Permission is hereby granted") == 1
    assert "MIT" in (webgl.VENDOR / "LICENSE-graphology.txt").read_text()


def test_expand_all_takes_the_best_connected_nodes_up_to_the_cap_and_filters_leave_the_scene_whole():
    from explorer.graph import view

    scene = busy_scene()
    more, waiting = view.expand_all(scene, scene["expanded"])
    assert len(more) == view.EXPAND_ALL_CAP and waiting == len(scene["nodes"]) - 3
    assert all(m.startswith("Firm:P-shared") for m in more[:4])   # partners of all three hubs come first
    drawn, out = view.visible(scene, hidden={"Firm:H0"}, countries=["KOR", "CHN"])
    assert "Firm:H0" not in drawn["nodes"] and out == len(scene["nodes"]) - len(drawn["nodes"])
    assert all(layout.node_country(n) in ("KOR", "CHN") for n in drawn["nodes"].values())
    assert all(e["source"] in drawn["nodes"] and e["target"] in drawn["nodes"] for e in drawn["edges"].values())
    assert len(scene["nodes"]) == 290 and "Firm:H0" in scene["nodes"]   # the scene itself is untouched
    big, _ = view.visible(scene, size_by="degree", min_size=2)
    assert set(big["nodes"]) == {n for n, d in node_metric(scene, "degree").items() if d >= 2}
