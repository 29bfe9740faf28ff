"""The explorer in a real browser: Debian's headless Chromium driven by Playwright.

Starts `streamlit run explorer/app.py` on a free loopback port against the test Neo4j loaded
with the demo generator, then: searches a firm, clicks a node in the drawing and expands it,
traces the firm's upstream paths, runs a saved report and downloads its CSV. Screenshots go
to test-output/. Also measures how long a 300-node neighbourhood takes to appear.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support import explorer_graph
from tests.support import streamlit_app
from tests.support.browser import COMPONENT, click_node, idle, needs_chromium, wait_drawn
from tests.conftest import OUTPUT_DIR, REPO

CAPTION = re.compile(r"^\d+ nodes · showing \d+ of \d+ relationships")

pytestmark = [pytest.mark.slow, needs_chromium]


@pytest.fixture(scope="module")
def demo_graph(driver, schema_applied):
    from tests.conftest import wipe

    wipe(driver)
    subprocess.run([sys.executable, "-m", "loader", "demo", "--firms", "400", "--seed", "7", "--table", "pymrio-test", "--quiet"],
                   cwd=REPO, check=True, env=os.environ.copy(), capture_output=True)
    from queries import reports

    reports.save_report("largest-firms", "Largest firms", "MATCH (f:Firm) WHERE f.output >= $min_output "
                        "RETURN f.key AS key, f.name AS name, f.country AS country, f.output AS output "
                        "ORDER BY output DESC LIMIT $n", {"min_output": 0.0, "n": 25}, "Firms by output")
    # one firm with exactly 300 suppliers: the 300-node neighbourhood that is timed
    explorer_graph.hub(driver, 300)
    driver.execute_query("CALL db.awaitIndexes(60)")
    driver.execute_query("CALL db.index.fulltext.awaitEventuallyConsistentIndexRefresh()")
    return driver


@pytest.fixture(scope="module")
def app_url(demo_graph):
    with streamlit_app.serve("explorer-streamlit.log") as url:
        yield url


def drawing(page):
    return page.frame_locator(COMPONENT).frame_locator("#drawing")


def shot(page, name: str) -> Path:
    idle(page)
    path = OUTPUT_DIR / f"explorer-{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def test_search_click_expand_trace_and_report(app_url, page, demo_graph):
    firm = demo_graph.execute_query(
        "MATCH (f:Firm)-[:SUPPLIES]->() WHERE f.source STARTS WITH 'demo' "
        "WITH f, count(*) AS buyers ORDER BY buyers DESC, f.key LIMIT 1 "
        "MATCH (f)-[:LOCATED_IN]->(c:Country) RETURN f.key AS key, f.name AS name, c.key AS country").records[0]

    # --- search a firm and draw it
    page.goto(app_url + "/network")
    page.get_by_label("Search a country, region").fill(firm["name"])
    page.locator('[data-testid="stSelectbox"]').filter(has_text="match").click()
    page.get_by_role("option").filter(has_text=firm["key"]).first.click()
    wait_drawn(page)
    assert page.get_by_text("showing", exact=False).first.is_visible()
    shot(page, "1-search")

    # --- click the firm's country in the drawing: its details appear; expand it
    click_node(page, f"Country:{firm['country']}")
    page.get_by_role("button", name="Expand this node").wait_for()
    shot(page, "2-clicked")
    t0 = time.perf_counter()
    page.get_by_role("button", name="Expand this node").click()
    page.get_by_text("expanded", exact=True).wait_for()
    seconds = wait_drawn(page, t0)
    caption = page.get_by_text(CAPTION).first.inner_text()
    n_nodes = int(caption.split(" nodes")[0])
    assert n_nodes > 100, caption
    shot(page, "3-expanded")

    # --- exports of the view: PNG from the drawing's canvas, GraphML that networkx reads back
    with page.expect_download() as dl:
        page.frame_locator(COMPONENT).get_by_role("button", name="Save PNG").click()
    png = OUTPUT_DIR / "explorer-network.png"
    dl.value.save_as(png)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with page.expect_download() as dl:
        page.get_by_role("button", name="Export GraphML").click()
    graphml = OUTPUT_DIR / "explorer-network.graphml"
    dl.value.save_as(graphml)
    import networkx as nx

    g = nx.read_graphml(graphml)
    assert g.number_of_nodes() == n_nodes and f"Country:{firm['country']}" in g
    (OUTPUT_DIR / "explorer-timing.txt").write_text(f"expand {firm['country']}: {caption}: {seconds:.2f} s\n")

    # --- upstream paths of the firm
    page.goto(app_url + f"/spillovers?node={firm['key']}")
    page.get_by_role("button", name="Trace paths").click()
    page.get_by_text("paths listed (upstream").wait_for()
    page.locator('[data-testid="stDataFrame"]').first.wait_for()
    shot(page, "4-upstream")
    page.get_by_role("tab", name="Sankey").click()
    page.locator(".js-plotly-plot").first.wait_for()
    shot(page, "4b-sankey")

    # --- run a saved report and download its CSV
    page.goto(app_url + "/reports?report=report:largest-firms")
    page.get_by_role("button", name="Run").click()
    page.get_by_text("25 rows").wait_for()
    with page.expect_download() as dl:
        page.get_by_role("button", name="Download CSV").click()
    target = OUTPUT_DIR / "explorer-largest-firms.csv"
    dl.value.save_as(target)
    lines = target.read_text().splitlines()
    assert lines[0] == "key,name,country,output" and len(lines) == 26
    assert "report=report%3Alargest-firms" in page.url or "report=report:largest-firms" in page.url
    shot(page, "5-report")


@pytest.mark.long
def test_time_a_300_node_neighbourhood(app_url, page, demo_graph):
    """A fresh page straight to a firm with 300 suppliers (301 nodes): time until the layout has settled.

    Timed three times (the first includes the server's cold caches); all go to test-output/explorer-timing.txt.
    """
    times = []
    for i in range(3):
        page.goto(app_url + "/")
        page.get_by_text("Nodes per label").wait_for()
        t0 = time.perf_counter()
        page.goto(app_url + "/network?node=Firm:HUB")
        times.append(wait_drawn(page, t0))
        caption = page.get_by_text(CAPTION).first.inner_text()
        assert caption.startswith("301 nodes · showing 300 of 300 relationships"), caption
    shot(page, "6-300-nodes")
    line = ("300-node neighbourhood (Firm:HUB, 301 nodes, 300 relationships), page load to settled layout: "
            + ", ".join(f"{t:.2f} s" for t in times))
    with open(OUTPUT_DIR / "explorer-timing.txt", "a") as fh:
        fh.write(line + "\n")
    print("\n" + line)
