"""Section 4: how long a 50-, 300- and 1,000-node neighbourhood takes to show.

Three parts, each with the explorer's own functions: data access
(``explorer.data.neighbourhood.neighbourhood``, its Streamlit cache cleared before every run),
the drawing (``scene.merge_into_scene`` + ``style.to_html``, pyvis ``generate_html``), and,
when Chromium is there, a real headless Chromium (Playwright) loading that HTML until the
explorer's bridge script marks vis-network's stabilisation done (``body[data-stabilized]``,
set on ``stabilizationIterationsDone``). The Streamlit page around the drawing is not part
of it (the explorer's browser test times that path end to end).

``renderers`` compares the two drawings the Network page uses, on the same scenes of 300, 1,500
and 5,000 nodes (a firm and its suppliers, as the page builds them; no database): pyvis
(vis-network on a 2D canvas, the default up to ``webgl.WEBGL_NODES``) and WebGL (sigma.js +
graphology). For each: the time from opening the page until the first drawing is done (pyvis:
its short stabilisation has ended and overlapping discs are separated; WebGL: the first frame
is drawn), and the time from a real mouse click on a node (one second after the drawing is done)
until the drawing posts the ``select`` message the component forwards to Python (what the page then shows is a Streamlit
rerun on top). ``python -m bench.suite_explorer`` runs only this part and writes
``bench/renderers.md`` and ``bench/renderers.json``.
"""
from __future__ import annotations

import logging
import os
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


RENDERER_SIZES = (300, 1500, 5000)


def star_scene(n: int) -> dict:
    """A firm and n - 1 suppliers merged like one expansion on the Network page (positions, sizes
    and labels then come from the page's own drawing code)."""
    from explorer.graph.scene import empty_scene, merge_into_scene

    nodes = {f"Firm:S{i}": {"label": "Firm", "props": {"key": f"S{i}", "name": f"Supplier {i}",
                                                       "country": ("KOR", "CHN", "JPN", "USA", "VNM")[i % 5]}}
             for i in range(n - 1)}
    edges = [{"source": nid, "target": "Firm:HUB", "type": "SUPPLIES", "props": {"year": 2020, "value": 1.0 + i % 97},
              "weight": 1.0 + i % 97} for i, nid in enumerate(nodes)]
    return merge_into_scene(empty_scene(), "Firm:HUB", {"label": "Firm", "props": {"key": "HUB", "name": "Hub"}},
                            {"nodes": nodes, "edges": edges, "shown": len(edges), "total": len(edges)})


def renderer_page(scene: dict, renderer: str) -> str:
    from explorer.graph import style, webgl

    if renderer == "webgl":
        return webgl.to_html(style.drawing(scene, positions=True))
    return style.to_html(scene)


def renderer_times(page: Path, repeat: int, click_node: str = "Firm:S7") -> tuple[Timing, Timing] | None:
    """(page load to first drawing, click to select message) in headless Chromium."""
    if not Path(CHROMIUM).exists():
        return None
    from playwright.sync_api import sync_playwright

    draw, click = [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            for _ in range(repeat):
                ctx = browser.new_context(viewport={"width": 1400, "height": 900})
                tab = ctx.new_page()
                # the drawing posts to its parent, which is itself here: keep the messages with their time
                tab.add_init_script("window.gvnMessages = []; window.addEventListener('message', "
                                    "e => window.gvnMessages.push(Object.assign({at: performance.now()}, e.data)));")
                t0 = time.perf_counter()
                tab.goto(page.as_uri())
                tab.wait_for_selector("body[data-stabilized='1']", state="attached", timeout=300_000)
                draw.append(time.perf_counter() - t0)
                # vis-network ignores clicks for a few hundred milliseconds after its stabilisation (its
                # view is still being fitted): click a second later, as a person would
                tab.wait_for_timeout(1000)
                pos = tab.evaluate("id => gvnNodeScreenPosition(id)", click_node)
                start = tab.evaluate("performance.now()")
                tab.mouse.click(pos["x"], pos["y"])
                tab.wait_for_function("window.gvnMessages.some(m => m.event === 'select')", timeout=60_000)
                got = tab.evaluate("window.gvnMessages.find(m => m.event === 'select')")
                if got["node"] != click_node:
                    raise RuntimeError(f"clicked {click_node} but the drawing selected {got['node']}")
                click.append((got["at"] - start) / 1000.0)
                ctx.close()
        finally:
            browser.close()
    return Timing("page load to first drawing", draw), Timing("click to select message", click)


def renderers(rec: Record, work: Path, *, sizes=RENDERER_SIZES, repeat: int = 3, log=print) -> None:
    work.mkdir(parents=True, exist_ok=True)
    for n in sizes:
        scene = star_scene(n)
        for renderer in ("pyvis", "webgl"):
            holder = {}
            t_html = measure(f"{renderer} HTML, {n} nodes", lambda: holder.update(html=renderer_page(scene, renderer)),
                             repeat=repeat)
            page = work / f"renderer-{renderer}-{n}.html"
            page.write_text(holder["html"])
            rec.add("explorer-renderers", f"star-{n}", t_html, nodes=n, renderer=renderer,
                    html_bytes=len(holder["html"].encode()))
            got = renderer_times(page, repeat)
            if got is None:
                log(f"  {renderer} {n}: no Chromium")
                continue
            t_draw, t_click = got
            t_draw.name, t_click.name = f"{renderer}: {t_draw.name}", f"{renderer}: {t_click.name}"
            rec.add("explorer-renderers", f"star-{n}", t_draw, nodes=n, renderer=renderer)
            rec.add("explorer-renderers", f"star-{n}", t_click, nodes=n, renderer=renderer)
            log(f"  {renderer:5s} {n:5d} nodes: html {t_html.median_s:.3f} s, first drawing {t_draw.median_s:.2f} s, "
                f"click answer {t_click.median_s * 1000:.0f} ms")


def write_renderers(rec: Record, out: Path, meta: dict) -> None:
    import json

    rows = {}
    for f in rec.figures:
        if f.section != "explorer-renderers":
            continue
        key = (f.extra["nodes"], f.extra["renderer"])
        rows.setdefault(key, {})[f.timing.name.split(": ")[-1]] = f.timing
        if "html_bytes" in f.extra:
            rows[key]["bytes"] = f.extra["html_bytes"]
    lines = ["# Network drawings: pyvis (vis-network) against WebGL (sigma.js)", "",
             f"`python -m bench.suite_explorer`, {meta['when']}, {meta['machine']}; headless Chromium "
             f"{meta['chromium']} with `--disable-gpu` (WebGL through SwiftShader, the CPU: a real GPU draws faster). "
             f"Medians of {meta['repeat']} runs (min-max in brackets). A star: one firm and its suppliers. "
             f"Load average at the end: {', '.join(f'{x:.1f}' for x in meta['load'])} (other work shared the cores).",
             "",
             "| nodes | renderer | HTML built in Python | page size | page load to first drawing | click to select "
             "message |", "|---:|---|---:|---:|---:|---:|"]

    def cell(t: Timing, unit: float = 1.0, fmt: str = "{:.2f} s") -> str:
        return f"{fmt.format(t.median_s * unit)} ({fmt.format(min(t.runs_s) * unit)}-{fmt.format(max(t.runs_s) * unit)})"

    for (n, r), d in sorted(rows.items()):
        lines.append(f"| {n:,} | {r} | {cell(d[f'{r} HTML, {n} nodes'])} | {d['bytes'] / 1e6:.1f} MB | "
                     f"{cell(d['page load to first drawing']) if 'page load to first drawing' in d else '-'} | "
                     f"{cell(d['click to select message'], 1000, '{:.0f} ms') if 'click to select message' in d else '-'} |")
    lines += ["", "The Network page switches to WebGL above 1,500 nodes (`explorer.graph.webgl.WEBGL_NODES`)."]
    (out / "renderers.md").write_text("\n".join(lines) + "\n")
    (out / "renderers.json").write_text(json.dumps({"meta": meta, "figures": [f.as_dict() for f in rec.figures
                                                                            if f.section == "explorer-renderers"]},
                                                   indent=1))


def main(argv: list[str] | None = None) -> int:
    import argparse
    import datetime as dt
    import platform
    import subprocess

    ap = argparse.ArgumentParser(prog="python -m bench.suite_explorer",
                                 description="pyvis against WebGL drawings at 300, 1,500 and 5,000 nodes")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parent)
    args = ap.parse_args(argv)
    rec = Record()
    renderers(rec, Path("/tmp/gvn-bench-renderers"), repeat=args.repeat)
    chromium = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True).stdout.strip() \
        if Path(CHROMIUM).exists() else "missing"
    meta = {"when": f"{dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC", "repeat": args.repeat,
            "machine": f"{platform.machine()}, {os.cpu_count()} cores (shared), Python {platform.python_version()}",
            "chromium": chromium, "load": os.getloadavg()}
    write_renderers(rec, args.out, meta)
    print((args.out / "renderers.md").read_text())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
