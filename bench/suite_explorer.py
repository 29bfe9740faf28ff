"""Section 4: how long a 50-, 300- and 1,000-node neighbourhood takes to show.

Three parts, each with the explorer's own functions: data access
(``explorer.data.neighbourhood.neighbourhood``, its Streamlit cache cleared before every run),
the drawing (``scene.merge_into_scene`` + ``style.to_html``, pyvis ``generate_html``), and,
when Chromium is there, a real headless Chromium (Playwright) loading that HTML until the
explorer's bridge script marks vis-network's stabilisation done (``body[data-stabilized]``,
set on ``stabilizationIterationsDone``). The Streamlit page around the drawing is not part
of it (the explorer's browser test times that path end to end).
"""
from __future__ import annotations

import logging
import time
from pathlib import Path

from bench.record import Record
from bench.stats import Timing, measure

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


def hub_firm() -> str:
    from connection import get_driver

    rows = get_driver().execute_query(
        "MATCH (f:Firm) RETURN f.key AS key, COUNT { (f)-[:SUPPLIES]-() } AS d ORDER BY d DESC LIMIT 1").records
    return rows[0]["key"]


def run(rec: Record, dataset: str, sizes, work: Path, *, repeat: int, log) -> None:
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    from explorer.data import neighbourhood
    from explorer.graph.style import to_html
    from explorer.graph.scene import empty_scene, merge_into_scene
    from explorer.transform.search import node_id

    key = hub_firm()
    nid = node_id("Firm", key)
    types = ("SUPPLIES",)   # the hub's supply neighbourhood: one node per partner
    for size in sizes:
        holder = {}

        def data():
            neighbourhood.neighbourhood.clear()
            holder["hood"] = neighbourhood.neighbourhood(nid, types, neighbourhood.USER_FACING_LABELS, None, None, size)
            holder["center"] = {"label": "Firm", "props": neighbourhood.node_details.__wrapped__(nid)}

        def draw():
            view = merge_into_scene(empty_scene(), nid, holder["center"], holder["hood"])
            holder["nodes"] = len(view["nodes"])
            holder["html"] = to_html(view, size_by="degree", colour_by="label", selected=nid)

        t_data = measure(f"data access, cap {size}", data, repeat=repeat)
        t_draw = measure(f"pyvis HTML, cap {size}", draw, repeat=repeat)
        nodes = holder["nodes"]
        rec.add("explorer", dataset, t_data, nodes=nodes, cap=size)
        rec.add("explorer", dataset, t_draw, nodes=nodes, cap=size)
        page = work / f"view-{size}.html"
        page.write_text(holder["html"])
        t_browser = browser_time(page, repeat)
        if t_browser is not None:
            t_browser.name = f"Chromium until stabilized, cap {size}"
            rec.add("explorer", dataset, t_browser, nodes=nodes, cap=size)
            total = Timing(f"total (data + HTML + browser), {nodes} nodes",
                           [a + b + c for a, b, c in zip(t_data.runs_s, t_draw.runs_s, t_browser.runs_s)])
            rec.add("explorer", dataset, total, nodes=nodes, cap=size)
        log(f"  view cap {size}: {nodes} nodes, data {t_data.median_s:.3f}s, html {t_draw.median_s:.3f}s, "
            f"browser {t_browser.median_s if t_browser else float('nan'):.3f}s")


def browser_time(page: Path, repeat: int) -> Timing | None:
    if not Path(CHROMIUM).exists():
        return None
    from playwright.sync_api import sync_playwright

    runs = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            for _ in range(repeat):
                ctx = browser.new_context(viewport={"width": 1400, "height": 900})
                tab = ctx.new_page()
                t0 = time.perf_counter()
                tab.goto(page.as_uri())
                tab.wait_for_selector("body[data-stabilized='1']", state="attached", timeout=180_000)
                runs.append(time.perf_counter() - t0)
                ctx.close()
        finally:
            browser.close()
    return Timing("browser", runs)
