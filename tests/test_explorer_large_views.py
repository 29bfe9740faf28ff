"""Big drawings: above style.LARGE_SCENE_NODES nodes the scene starts from positions computed
in Python (explorer.graph.layout) with a short stabilisation; small scenes keep vis-network's own
400-step layout. The layout and the generated options are checked without a browser; the
drawings in Debian's headless Chromium (Playwright), no database needed."""
from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest

from explorer.graph import layout
from explorer.graph import style
from explorer.graph import scene as graph_scene

from tests.support.browser import needs_chromium as chromium


def star(n: int, centre: str = "Firm:HUB", prefix: str = "L", scene=None) -> dict:
    """``centre`` and n - 1 suppliers, merged into ``scene`` like one expansion on the Network page."""
    nodes = {f"Firm:{prefix}{i}": {"label": "Firm", "props": {"key": f"{prefix}{i}", "name": f"Supplier {i}"}}
             for i in range(n - 1)}
    edges = [{"source": nid, "target": centre, "type": "SUPPLIES", "props": {"year": 2020}} for nid in nodes]
    return graph_scene.merge_into_scene(scene or graph_scene.empty_scene(), centre,
                            {"label": "Firm", "props": {"key": centre.split(":")[1], "name": "Hub"}},
                            {"nodes": nodes, "edges": edges, "shown": len(edges), "total": len(edges)})


def drawn(html: str) -> tuple[dict, list[dict]]:
    """The vis-network options and node records pyvis wrote into the page."""
    options = json.loads(re.search(r"var options = (\{.*?\});\n", html).group(1))
    nodes = json.loads(re.search(r"nodes = new vis\.DataSet\((\[.*?\])\);\n", html).group(1))
    return options, nodes


def test_threshold_switches_options_and_positions():
    small_opts, small_nodes = drawn(style.to_html(star(50)))
    big_opts, big_nodes = drawn(style.to_html(star(600)))
    assert small_opts["physics"]["stabilization"]["iterations"] == 400
    assert "layout" not in small_opts and not any("x" in n for n in small_nodes)
    assert big_opts["physics"]["stabilization"]["iterations"] == style.LARGE_SCENE_ITERATIONS < 100
    assert big_opts["layout"] == {"improvedLayout": False}
    assert len(big_nodes) == 600 and all(isinstance(n["x"], float) and isinstance(n["y"], float) for n in big_nodes)
    # exactly at the threshold the small behaviour holds; one node more switches
    limit = style.LARGE_SCENE_NODES
    assert not style.is_large(star(limit)) and style.is_large(star(limit + 1))
    # physics off: a large scene is drawn at the Python positions, nothing to settle
    off_opts, _ = drawn(style.to_html(star(600), physics=False))
    assert off_opts["physics"]["enabled"] is False
    # the rest of the options (edges, interaction) are the same for both
    assert {k: v for k, v in big_opts.items() if k not in ("physics", "layout")} == \
        {k: v for k, v in small_opts.items() if k != "physics"}


def test_star_layout_puts_the_hub_in_the_middle_and_spreads_the_partners():
    scene = star(1000)
    pos = layout.seed_positions(scene)
    assert set(pos) == set(scene["nodes"]) and pos["Firm:HUB"] == (0.0, 0.0)
    radii = [math.dist(p, (0, 0)) for nid, p in pos.items() if nid != "Firm:HUB"]
    assert min(radii) >= layout.INNER_RADIUS - 1e-9
    # no two nodes share a spot: the closest pair is still apart (sorted sweep, not all pairs)
    pts = sorted(pos.values())
    closest = min(math.dist(a, b) for i, a in enumerate(pts) for b in pts[i + 1:i + 40])
    assert closest > 20
    assert layout.seed_positions(scene) == pos   # deterministic: the same scene draws the same


def test_layout_of_several_expansions_shared_partners_and_loose_parts():
    scene = star(300, "Firm:A", "a")
    scene = star(200, "Firm:B", "b", scene)
    # a partner of both hubs, a separate pair nobody expanded, and a node without edges
    scene["nodes"]["Firm:S"] = {"label": "Firm", "props": {"key": "S"}}
    scene["nodes"].update({f"Firm:{k}": {"label": "Firm", "props": {"key": k}} for k in ("P", "Q", "Z")})
    for s, t in (("Firm:S", "Firm:A"), ("Firm:S", "Firm:B"), ("Firm:P", "Firm:Q")):
        scene["edges"][f"{s}-{t}"] = {"source": s, "target": t, "type": "SUPPLIES", "props": {}}
    pos = layout.seed_positions(scene)
    assert set(pos) == set(scene["nodes"])
    a, b = pos["Firm:A"], pos["Firm:B"]
    # the groups do not overlap: hubs are further apart than the outer rings of both
    assert math.dist(a, b) > 1.5 * max(math.dist(pos[f"Firm:a{i}"], a) for i in range(299))
    # the shared partner sits between the hubs, nearer the middle than to either hub
    mid = ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)
    assert math.dist(pos["Firm:S"], mid) < min(math.dist(pos["Firm:S"], a), math.dist(pos["Firm:S"], b))
    assert math.dist(pos["Firm:P"], pos["Firm:Q"]) < math.dist(pos["Firm:P"], a)   # the pair stays together
    assert layout.seed_positions(graph_scene.empty_scene()) == {}


def test_bridge_also_settles_when_the_short_run_ended_before_it_listened():
    assert "network.physics.ready" in style.BRIDGE


def open_drawing(browser, html: str, path: Path):
    """Load a drawing as the top page; messages the bridge posts to its parent (itself here) are kept."""
    path.write_text(html)
    ctx = browser.new_context(viewport={"width": 1400, "height": 900})
    tab = ctx.new_page()
    tab.add_init_script("window.gvnMessages = []; window.addEventListener('message', e => window.gvnMessages.push(e.data));")
    tab.goto(path.as_uri())
    tab.wait_for_selector("body[data-stabilized='1']", state="attached", timeout=120_000)
    return ctx, tab


@pytest.mark.slow
@chromium
@pytest.mark.parametrize("n, physics", [(50, True), (600, True), (600, False)])
def test_views_settle_and_say_so_in_chromium(browser, tmp_path, n, physics):
    scene = star(n)
    ctx, tab = open_drawing(browser, style.to_html(scene, physics=physics), tmp_path / f"scene-{n}.html")
    try:
        tab.wait_for_function("window.gvnMessages.some(m => m.gvn && m.event === 'stabilized')", timeout=10_000)
        assert tab.evaluate("network.physics.options.enabled") is False   # settled: physics stops
        if n > style.LARGE_SCENE_NODES:
            # drawn where Python put the nodes (a short polish moves them only a little)
            got = tab.evaluate("network.getPositions()")
            seed = layout.seed_positions(scene)
            moved = sorted(math.dist((got[k]["x"], got[k]["y"]), seed[k]) for k in seed)
            assert moved[len(moved) // 2] < layout.NODE_SPACING * 2
            hub = got["Firm:HUB"]
            assert math.dist((hub["x"], hub["y"]), (0, 0)) < layout.INNER_RADIUS
            if not physics:
                assert moved[-1] < 1.5   # getPositions() gives whole pixels
        # a node can still be found on screen for the click bridge
        pos = tab.evaluate("gvnNodeScreenPosition('Firm:HUB')")
        assert 0 <= pos["x"] <= 1400 and 0 <= pos["y"] <= 900
    finally:
        ctx.close()
