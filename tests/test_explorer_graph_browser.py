"""Graph handling, the Cypher box, dashboards, exports and the WebGL renderer in a real browser:
Debian's headless Chromium driven by Playwright against `streamlit run explorer/app.py` on the test Neo4j.

The graph: the hand-made test graph (tests/support/explorer_graph.py), three hub firms with 100
suppliers each (10 shared: about 300 nodes when all three are drawn), one firm with 5,000
suppliers (the WebGL scene), two saved reports and a dashboard that shares `country` between them.
Screenshots and timings go to test-output/explorer-graph-*.
"""
from __future__ import annotations

import io
import math
import time
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest

from queries import catalogue, reports
from queries.model import Param
from tests.support import streamlit_app
from tests.conftest import OUTPUT_DIR
from tests.support import explorer_graph
from tests.support.browser import COMPONENT, click_node, drawing_frame, idle, needs_chromium, new_page, wait_drawn

pytestmark = [pytest.mark.slow, needs_chromium]

FIRMS = ("MATCH (f:Firm) WHERE f.country = $country RETURN f.key AS key, f.name AS name, f.output AS output "
         "ORDER BY output DESC")
EXPORTS = ("MATCH (c:Country {key: $country})-[r:EXPORTS]->(d:Country) RETURN c.key AS exporter, d.key AS importer, "
           "r.value AS value ORDER BY value DESC")
BIG = 5000


@pytest.fixture(scope="module")
def big_graph(driver, schema_applied):
    explorer_graph.load_fresh(driver)
    driver.execute_query(
        "UNWIND range(1, 3) AS h CREATE (:Firm {key: 'H' + h, name: 'Hub ' + h, country: 'KOR', industry: 'TEST|ELEC', "
        "output: 1000.0 * h, source: 'TEST-SYN'})")
    driver.execute_query(
        "UNWIND range(0, 269) AS i CREATE (s:Firm {key: 'T' + i, name: 'Tier ' + i, "
        "country: ['KOR', 'CHN', 'JPN'][i % 3], industry: 'TEST|METAL', output: toFloat(i + 1), source: 'TEST-SYN'}) "
        "WITH s, i UNWIND CASE WHEN i < 30 THEN [1, 2, 3] ELSE [1 + i % 3] END AS h "
        "MATCH (hub:Firm {key: 'H' + h}) CREATE (s)-[:SUPPLIES {year: 2020, value: toFloat(1 + i % 17), "
        "source: 'TEST-SYN'}]->(hub)")
    driver.execute_query(
        "CREATE (:Firm {key: 'BIG', name: 'Big Assembly', country: 'KOR', industry: 'TEST|ELEC', output: 1e6, "
        "source: 'TEST-SYN'})")
    driver.execute_query(
        "UNWIND range(0, $n - 1) AS i CREATE (s:Firm {key: 'B' + i, name: 'Big supplier ' + i, "
        "country: ['KOR', 'CHN', 'JPN', 'USA', 'VNM'][i % 5], industry: 'TEST|METAL', output: toFloat(i + 1), "
        "source: 'TEST-SYN'}) WITH s, i MATCH (b:Firm {key: 'BIG'}) "
        "CREATE (s)-[:SUPPLIES {year: 2020, value: toFloat(1 + i % 97), source: 'TEST-SYN'}]->(b)", n=BIG)
    reports.save_report("firms-of-country", "Firms of a country", FIRMS, {"country": "KOR"})
    reports.save_report("exports-of-country", "Exports of a country", EXPORTS, {"country": "KOR"})
    catalogue.save_dashboard("trade-desk", "Trade desk", [Param("country", "str", "KOR", help="ISO3")],
                             [{"title": "Firms", "report": "firms-of-country"},
                              {"title": "Exports", "report": "exports-of-country"}])
    return driver


@pytest.fixture(scope="module")
def app_url(big_graph):
    with streamlit_app.serve("explorer-graph-streamlit.log") as url:
        yield url


@pytest.fixture
def page(browser):
    ctx, pg = new_page(browser)
    pg.set_default_timeout(90_000)   # the 5,000-node drawing
    yield pg
    ctx.close()


inner = drawing_frame


def shot(page, name: str) -> None:
    idle(page)
    page.screenshot(path=str(OUTPUT_DIR / f"explorer-graph-{name}.png"), full_page=True)


def caption(page) -> str:
    return page.get_by_text(" nodes · showing ").first.inner_text()


def fingerprint(driver):
    return driver.execute_query("MATCH (n) OPTIONAL MATCH (n)-[r]->() RETURN count(DISTINCT n) AS n, "
                                "count(r) AS r, sum(coalesce(n.output, 0)) AS output").records[0].data()


def download(page, click) -> Path:
    with page.expect_download() as dl:
        click()
    target = OUTPUT_DIR / f"explorer-graph-{dl.value.suggested_filename}"
    dl.value.save_as(target)
    return target


def test_the_cypher_box_refuses_a_write_and_draws_a_read(app_url, page, big_graph):
    before = fingerprint(big_graph)
    page.goto(app_url + "/cypher")
    box = page.locator("textarea").first
    # the page's first run (the app's first in this module) may still be drawing: a box filled then is
    # drawn again empty, and a click during the rerun Ctrl+Enter starts can be folded into it
    idle(page)
    box.fill("MATCH (f:Firm) SET f.output = 0 RETURN count(f) AS n")
    box.press("Control+Enter")
    idle(page)
    page.get_by_role("button", name="Run").click()
    page.locator('[data-testid="stAlertContentError"]').filter(has_text="refused: query type 'rw'").wait_for()
    assert fingerprint(big_graph) == before
    shot(page, "1-cypher-refused")
    box.fill("MATCH p = (s:Firm)-[:SUPPLIES]->(b:Firm {key: 'F1'}) RETURN p")
    box.press("Control+Enter")
    idle(page)
    page.get_by_role("button", name="Run").click()
    page.get_by_text("3 rows").wait_for()
    page.get_by_role("tab", name="Graph").click()
    wait_drawn(page)
    page.get_by_text("4 nodes, 3 relationships").wait_for()
    idle(page)
    assert "run=1" in page.url and "tab=Graph" in page.url
    shot(page, "2-cypher-graph")


def test_a_dashboard_runs_both_reports_with_the_shared_country(app_url, page):
    page.goto(app_url + "/dashboards?dashboard=trade-desk&p_country=KOR")
    page.get_by_text("country = KOR").nth(1).wait_for()
    field = page.get_by_role("textbox", name="country")
    field.fill("CHN")
    field.press("Enter")
    page.get_by_text("country = CHN").nth(1).wait_for()
    idle(page)
    assert page.get_by_text("country = KOR").count() == 0 and "p_country=CHN" in page.url
    tables = page.locator('[data-testid="stDataFrame"]')
    assert tables.count() == 2
    shot(page, "3-dashboard")


def drawn_positions(page) -> dict:
    return inner(page).evaluate("(() => { var p = network.getPositions(), out = {};"
                                " network.body.data.nodes.forEach(n => { out[n.id] = [p[n.id].x, p[n.id].y, n.size]; });"
                                " return out; })()")


def test_three_hubs_draw_without_overlapping_discs_and_export_svg_png_gexf(app_url, page):
    page.goto(app_url + "/network?node=Firm:H1&node=Firm:H2&node=Firm:H3&types=SUPPLIES&size=degree")
    t0 = time.perf_counter()
    seconds = wait_drawn(page, t0)
    text = caption(page)
    n = int(text.split(" nodes")[0])
    assert 270 <= n <= 300, text
    pos = drawn_positions(page)
    ids = sorted(pos)
    pairs = [(a, b) for i, a in enumerate(ids) for b in ids[i + 1:]
             if math.dist(pos[a][:2], pos[b][:2]) < pos[a][2] + pos[b][2] - 1]
    hubs = {"Firm:H1", "Firm:H2", "Firm:H3"}
    assert all(pos[h][2] > 30 for h in hubs)   # the hubs are the big discs
    assert [p for p in pairs if hubs & set(p)] == []   # no disc overlaps a hub
    labelled = [l for l in inner(page).evaluate("network.body.data.nodes.get().map(n => n.label.trim())") if l]
    assert len(labelled) <= 30 + 3
    with open(OUTPUT_DIR / "explorer-graph-timing.txt", "a") as fh:
        fh.write(f"3 hubs, {n} nodes (pyvis, force): {seconds:.2f} s to settled; overlapping disc pairs: {len(pairs)} "
                 f"of {len(ids) * (len(ids) - 1) // 2}, none with a hub\n")
    shot(page, "4-three-hubs")

    svg = download(page, lambda: page.frame_locator(COMPONENT).get_by_role("button", name="Save SVG").click())
    root = ET.fromstring(svg.read_text())
    ns = {"s": "http://www.w3.org/2000/svg"}
    assert root.find("s:title", ns).text.startswith("Network around Hub 1, Hub 2, Hub 3")
    assert len(root.findall(".//s:circle[@class='node']", ns)) == n
    legend = [t.text for t in root.findall(".//s:g[@class='legend']/s:text", ns)]
    assert "Firm" in legend and "SUPPLIES" in legend
    png = download(page, lambda: page.frame_locator(COMPONENT).get_by_role("button", name="Save PNG").click())
    from PIL import Image

    width = float(root.get("width"))
    with Image.open(png) as im:
        assert im.size[0] == round(width * 3)   # three times the drawing's width on screen
    gexf = download(page, lambda: page.get_by_role("button", name="Export GEXF (Gephi)").click())
    g = nx.read_gexf(io.BytesIO(gexf.read_bytes()), version="1.3")
    assert g.number_of_nodes() == n and {"Firm:H1", "Firm:H2", "Firm:H3"} <= set(g)
    assert {d["start"] for _, _, d in g.edges(data=True)} == {2020}


def test_hide_pin_layouts_and_communities_in_the_drawing(app_url, page):
    page.goto(app_url + "/network?node=Firm:F1")
    wait_drawn(page)
    click_node(page, "Firm:F3")
    page.get_by_role("button", name="Pin", exact=True).click()
    page.get_by_text("pinned at").wait_for()
    idle(page)
    assert "pin=Firm%3AF3%40" in page.url, page.url
    click_node(page, "Firm:F4")
    page.get_by_role("button", name="Hide", exact=True).click()
    page.get_by_text("1 nodes hidden").wait_for()
    idle(page)
    assert "hide=Firm%3AF4" in page.url
    wait_drawn(page)
    assert "Firm:F4" not in drawn_positions(page)
    # hierarchical: every supply line runs left to right; the pinned node stays where it was pinned
    link = page.url.replace("layout=force", "layout=hierarchical") + "&types=SUPPLIES,OWNS,INVESTS_IN"
    pin = [p for p in link.split("&") if p.startswith("pin=")][0]
    x, y = (float(v) for v in urllib.parse.unquote(pin).split("@")[1].split(","))
    page.goto(link)
    wait_drawn(page)
    pos = drawn_positions(page)
    assert math.dist(pos["Firm:F3"][:2], (x, y)) <= 1.0
    for s, t in (("Firm:F2", "Firm:F1"),):
        assert pos[s][0] < pos[t][0]
    shot(page, "5-hierarchical")
    page.goto(link.replace("layout=hierarchical", "layout=country").replace("types=SUPPLIES,OWNS,INVESTS_IN",
                                                                           "types=SUPPLIES") + "&colour=community")
    wait_drawn(page)
    page.get_by_text("(louvain, modularity").first.wait_for()
    page.get_by_text("community 1 (").first.wait_for()
    shot(page, "6-communities")


def click_inside(page, node: str, double: bool = False) -> None:
    """A real mouse click on a node's centre: the drawing frame's box plus its 1 px border plus where
    the renderer draws the node (WebGL dots are a few pixels wide: the border matters)."""
    pos = inner(page).evaluate("id => gvnNodeScreenPosition(id)", node)
    box = page.frame_locator(COMPONENT).locator("#drawing").bounding_box()
    x, y = box["x"] + 1 + pos["x"], box["y"] + 1 + pos["y"]
    (page.mouse.dblclick if double else page.mouse.click)(x, y)


def test_a_5000_node_scene_draws_with_webgl_and_answers_clicks(app_url, page):
    t0 = time.perf_counter()
    page.goto(app_url + f"/network?node=Firm:BIG&cap={BIG}&types=SUPPLIES")
    first_draw = wait_drawn(page, t0)
    assert caption(page).startswith(f"{BIG + 1} nodes · showing {BIG} of {BIG} relationships")
    page.get_by_text("Drawn with WebGL (sigma.js)").wait_for()
    assert inner(page).evaluate("!!document.querySelector('#mynetwork canvas') && typeof Sigma === 'function'")
    target = "Firm:B1234"
    t1 = time.perf_counter()
    click_inside(page, target)
    page.get_by_text("Big supplier 1234").first.wait_for()
    click_answer = time.perf_counter() - t1
    idle(page)
    assert "selected=Firm%3AB1234" in page.url
    shot(page, "7-webgl-selected")
    # a double click expands the node, as in the pyvis drawing
    click_inside(page, "Firm:B77", double=True)
    page.wait_for_url(lambda u: "node=Firm%3AB77" in u, timeout=90_000)
    wait_drawn(page)
    idle(page)
    assert page.url.count("node=") == 2
    with open(OUTPUT_DIR / "explorer-graph-timing.txt", "a") as fh:
        fh.write(f"{BIG + 1}-node neighbourhood (WebGL): page load to first draw {first_draw:.2f} s; "
                 f"click to details shown {click_answer:.2f} s\n")
    shot(page, "8-webgl-expanded")
