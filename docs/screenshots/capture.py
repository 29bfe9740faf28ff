"""Screenshots of every explorer page for the README, taken with Playwright in Debian's Chromium.

Run against an explorer serving the default demo (``make demo``: 3000 firms, seed 7):

    python docs/screenshots/capture.py [--url http://127.0.0.1:8501] [--out docs/screenshots] [PAGE ...]

Each page is opened at a link that shows what it does (the URL holds the whole view), the app is
left to finish its run, and the view is saved as a 256-colour PNG (Pillow), which keeps a
1280-pixel-wide page well under 200 kB. Prints each file's size.
"""
from __future__ import annotations

import argparse
import io
from pathlib import Path
from urllib.parse import quote

from PIL import Image
from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
COMPONENT = 'iframe[title="explorer.graph.component.gvn_network"]'
# file, link, what to wait for (a selector), the element to scroll into view (or None), viewport height
CYPHER = quote("MATCH (c:Country {key: $country})-[r:EXPORTS]->(d:Country) WHERE r.year = 2008 "
               "RETURN d.key AS importer, round(sum(r.value), 1) AS exports_kusd ORDER BY exports_kusd DESC")
PAGES = [
    ("overview", "/", "text=Nodes per label", None, 900),
    ("data", "/data", '[data-testid="stDataFrame"]', None, 900),
    ("network", "/network?node=Firm:DEMO-F0003&colour=output", COMPONENT, None, 1150),
    ("spillovers", "/spillovers?node=DEMO-F0001&run=1&tab=Sankey", ".js-plotly-plot", '[data-testid="stTabs"]', 900),
    ("centrality", "/centrality?tab=World+map", "path.choroplethlocation", '[data-testid="stTabs"]', 900),
    ("years", "/years?source=wiod-2013-release&year_a=1995&year_b=2008&measure=backward_linkage&tab=Linkages",
     ".js-plotly-plot", '[data-testid="stTabs"]', 900),
    ("reports", "/reports?report=report:top-suppliers-of-country&run=1", '[data-testid="stDataFrame"]', None, 1000),
    ("cypher", f"/cypher?q={CYPHER}&p_country=KOR&run=1&tab=Chart", "canvas", None, 1100),
    ("dashboards", "/dashboards?dashboard=country-desk&p_country=KOR&p_year=2008", "text=Exports by partner", None,
     1100),
    ("trade", "/trade", ".js-plotly-plot", None, 900),
    ("trade-provinces", "/trade?tab=Regions&province_map=foreign_output_share", "text=Foreign output share by province",
     "text=Korean provinces", 900),
    ("value-added", "/value-added?year=2008&year_b=1995&exporter=KOR&top=10", ".js-plotly-plot",
     "text=GVC participation and position", 950),
    ("studies", "/studies", "text=Global", None, 1000),
]


SCROLL_TO = """e => {
  e.scrollIntoView({block: 'start'});
  let box = e.parentElement;
  while (box && box.scrollHeight <= box.clientHeight) box = box.parentElement;
  (box || document.scrollingElement).scrollBy(0, -90);
}"""


def settle(page) -> None:
    page.locator('[data-testid="stStatusWidget"]').wait_for(state="hidden", timeout=120_000)
    page.wait_for_timeout(2500)


def capture(url: str, out: Path, only: set[str] | None = None) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        for name, link, ready, scroll_to, height in PAGES:
            if only and name not in only:
                continue
            page = browser.new_page(viewport={"width": 1280, "height": height})
            page.set_default_timeout(120_000)
            page.goto(url + link)
            page.locator(ready).first.wait_for(state="attached")
            settle(page)
            if scroll_to:
                # the app's header bar covers the top of the page: what was scrolled to goes 90 px below it
                page.locator(scroll_to).first.evaluate(SCROLL_TO)
                settle(page)
            if ready == COMPONENT:
                page.frame_locator(COMPONENT).locator("body[data-stabilized='1']").wait_for(state="attached")
                settle(page)
            image = Image.open(io.BytesIO(page.screenshot())).convert("RGB")
            target = out / f"{name}.png"
            image.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(target, optimize=True)
            print(f"{target}: {target.stat().st_size / 1024:.0f} kB")
            page.close()
        browser.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8501")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent)
    parser.add_argument("pages", nargs="*", help="only these (file names without .png); default every page")
    args = parser.parse_args()
    capture(args.url.rstrip("/"), args.out, set(args.pages) or None)
