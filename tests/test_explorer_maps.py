"""Maps offline: the TopoJSON decoder, the Korean provinces, and the explorer in Chromium with the network cut.

Pure part: a hand-worked TopoJSON (quantized, delta-encoded, a shared arc used reversed) decodes
to the expected rings; the 17 provinces each contain their own capital's city hall and no other
(coordinates from the city halls' published addresses), and their areas match the published
areas within what the simplification drops (small islands); ``make demo``/``make explorer``, docker
compose and the image all run ``explorer/app.py`` next to its settings file, which the image copies.

Browser part (slow): ``streamlit run /abs/path/explorer/app.py`` from a folder that is NOT the
repository and without any flag, so static serving can only come from the script-level
``explorer/.streamlit/config.toml``; Debian's Chromium (Playwright) aborts every request that
does not go to the loopback app. The world map draws the shapes of every country with data, the
province map all 17 provinces; the charts' SVG export holds title, legend and source line, the
PNG export is 3x the chart; a table's CSV download carries dataset, year and units; the path
graph fits itself the first time it is shown.
"""
from __future__ import annotations

import fnmatch
import io
import json
import math
import os
import re
import struct
import subprocess
import sys
import tomllib
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd
import pytest

from explorer.transform import maps
from tests.support import streamlit_app
from tests.conftest import OUTPUT_DIR, REPO
from tests.support.browser import COMPONENT, idle, needs_chromium

GEO = REPO / "explorer" / "static" / "geo"

# --------------------------------------------------------------------------- pure: TopoJSON

# Two unit squares (scale 0.5 x 0.25 from (100, 30)) sharing the edge x = 101: arc 0 is that
# edge, A uses it forwards, B backwards (~0 = -1, then ~2 = -3); arc 1 has a collinear point at (100.5, 31).
TOPO = {"type": "Topology", "transform": {"scale": [0.5, 0.25], "translate": [100, 30]},
        "arcs": [[[2, 0], [0, 4]],
                 [[2, 4], [-1, 0], [-1, 0], [0, -4], [2, 0]],
                 [[2, 4], [2, 0], [0, -4], [-2, 0]]],
        "objects": {"squares": {"type": "GeometryCollection", "geometries": [
            {"type": "Polygon", "arcs": [[0, 1]], "properties": {"name": "A"}},
            {"type": "MultiPolygon", "arcs": [[[-1, -3]]], "properties": {"name": "B"}}]}}}


def test_topojson_decodes_quantized_delta_arcs_and_reversed_shared_edges():
    a, b = maps.topology_features(TOPO, "squares")
    assert a["properties"] == {"name": "A"} and a["geometry"]["type"] == "MultiPolygon"
    assert a["geometry"]["coordinates"] == [[[[101, 30], [101, 31], [100.5, 31], [100, 31], [100, 30], [101, 30]]]]
    # B walks the shared edge downwards, then its own arc backwards; the joining point appears once
    assert b["geometry"]["coordinates"] == [[[[101, 31], [101, 30], [102, 30], [102, 31], [101, 31]]]]
    # simplified: the collinear point goes, the corners stay, and both squares still share (101,30)-(101,31)
    a2, b2 = maps.topology_features(TOPO, "squares", tolerance=0.01)
    assert a2["geometry"]["coordinates"] == [[[[101, 30], [101, 31], [100, 31], [100, 30], [101, 30]]]]
    assert b2["geometry"]["coordinates"] == b["geometry"]["coordinates"]
    with pytest.raises(ValueError, match="object 'rivers'; objects: squares"):
        maps.topology_features(TOPO, "rivers")


# city halls / provincial government seats (lat, lon), one per ISO 3166-2 code
CAPITALS = {"KR-11": (37.5663, 126.9779), "KR-26": (35.1798, 129.0750), "KR-27": (35.8714, 128.6014),
            "KR-28": (37.4563, 126.7052), "KR-29": (35.1601, 126.8514), "KR-30": (36.3504, 127.3845),
            "KR-31": (35.5396, 129.3115), "KR-50": (36.4800, 127.2890), "KR-41": (37.2752, 127.0095),
            "KR-42": (37.8813, 127.7298), "KR-43": (36.6424, 127.4890), "KR-44": (36.6588, 126.6728),
            "KR-45": (35.8242, 127.1480), "KR-46": (35.0160, 126.7108), "KR-47": (36.5684, 128.7294),
            "KR-48": (35.2279, 128.6811), "KR-49": (33.4996, 126.5312)}
# published land areas (km2, KOSIS 2018; Incheon and South Jeolla include hundreds of islands)
AREAS = {"KR-11": 605.2, "KR-26": 769.8, "KR-27": 883.5, "KR-28": 1062.6, "KR-29": 501.1, "KR-30": 539.4,
         "KR-31": 1062.0, "KR-50": 464.9, "KR-41": 10195.3, "KR-42": 16875.3, "KR-43": 7406.8, "KR-44": 8245.6,
         "KR-45": 8069.1, "KR-46": 12318.8, "KR-47": 19031.4, "KR-48": 10539.6, "KR-49": 1849.1}


def _inside(lon: float, lat: float, ring: list) -> bool:
    hit = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:]):
        if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
            hit = not hit
    return hit


def _contains(feature: dict, lat: float, lon: float) -> bool:
    return any(_inside(lon, lat, poly[0]) and not any(_inside(lon, lat, h) for h in poly[1:])
               for poly in feature["geometry"]["coordinates"])


def _area_km2(feature: dict) -> float:
    def ring(r):  # shoelace in degrees, scaled by the km per degree at the ring's latitude
        k = 111.32 ** 2 * math.cos(math.radians(sum(p[1] for p in r) / len(r)))
        return abs(sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(r, r[1:]))) / 2 * k
    return sum(ring(p[0]) - sum(ring(h) for h in p[1:]) for p in feature["geometry"]["coordinates"])


@pytest.mark.parametrize("tolerance", [0.0, maps.DRAW_TOLERANCE])
def test_each_province_holds_its_own_capital_and_its_published_area(tolerance):
    topo = json.loads((GEO / "kr-provinces-2018-topo-simple.json").read_text(encoding="utf-8"))
    features = maps.korean_provinces(topo, tolerance)["features"]
    assert sorted(f["id"] for f in features) == sorted(CAPITALS)
    for iso, (lat, lon) in CAPITALS.items():
        holding = [f["id"] for f in features if _contains(f, lat, lon)]
        assert holding == [iso], (iso, holding)
    for f in features:
        assert f["properties"]["iso"] == f["id"]
        assert _area_km2(f) == pytest.approx(AREAS[f["id"]], rel=0.07), f["properties"]["name_eng"]


def test_the_vendored_world_shapes_are_the_layers_plotly_reads():
    world = json.loads((GEO / "world_110m.json").read_text())
    assert {"countries", "land", "coastlines", "ocean", "lakes"} <= set(world["objects"])
    ids = {g.get("id") for g in world["objects"]["countries"]["geometries"]}
    assert {"KOR", "CHN", "JPN", "USA", "DEU", "VNM"} <= ids and len(ids - {None}) == 174


def test_every_way_of_starting_the_app_reads_the_explorer_config():
    """Streamlit reads a .streamlit/config.toml next to the script it runs, whatever the working folder."""
    config = tomllib.loads((REPO / "explorer" / ".streamlit" / "config.toml").read_text())
    assert config["server"]["enableStaticServing"] is True
    for name in ("Makefile", "docker-compose.yml"):
        runs = re.findall(r"streamlit run (\S+)", (REPO / name).read_text())
        assert runs and set(runs) == {"explorer/app.py"}, (name, runs)
    # the image copies explorer/ whole, and .dockerignore leaves its settings and static files in
    assert "COPY explorer explorer" in (REPO / "Dockerfile").read_text().splitlines()
    ignored = [p.strip().rstrip("/") for p in (REPO / ".dockerignore").read_text().splitlines()
               if p.strip() and not p.startswith("#")]
    for path in ("explorer/.streamlit/config.toml", "explorer/static/geo/world_110m.json",
                 "explorer/static/geo/kr-provinces-2018-topo-simple.json"):
        parts = Path(path).parts
        assert not any(fnmatch.fnmatch(path, p) or any(fnmatch.fnmatch("/".join(parts[:i]), p)
                                                      for i in range(1, len(parts))) for p in ignored), path


# --------------------------------------------------------------------------- browser, network cut

@pytest.fixture(scope="module")
def demo(driver, schema_applied):
    from tests.conftest import wipe

    wipe(driver)
    subprocess.run([sys.executable, "-m", "loader", "demo", "--firms", "400", "--seed", "7", "--table", "pymrio-test", "--quiet"],
                   cwd=REPO, check=True, env=os.environ.copy(), capture_output=True)
    return driver


@pytest.fixture(scope="module")
def app_url(demo, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("not-the-repository")
    with streamlit_app.serve("explorer-maps-streamlit.log", cwd=elsewhere) as url:
        yield url


@pytest.fixture
def offline(browser, app_url):
    """A page whose every request to anything but the app is aborted; ``page.blocked`` lists them."""
    ctx = browser.new_context(viewport={"width": 1500, "height": 1400}, accept_downloads=True)
    blocked: list[str] = []

    def route(r):
        url = r.request.url
        if url.startswith(app_url) or url.startswith(("data:", "blob:", "about:")):
            r.continue_()
        else:
            blocked.append(url)
            r.abort()

    ctx.route("**/*", route)
    pg = ctx.new_page()
    pg.set_default_timeout(60_000)
    pg.blocked = blocked
    yield pg
    ctx.close()


def chart(page, title: str):
    """The plotly chart whose title starts with ``title``."""
    loc = page.locator(".js-plotly-plot").filter(has=page.locator(".gtitle", has_text=title))
    loc.first.wait_for()
    return loc.first


def download(page, trigger) -> bytes:
    with page.expect_download() as dl:
        trigger()
    return Path(dl.value.path()).read_bytes()


def camera(page, plot) -> bytes:
    plot.hover()
    return download(page, lambda: plot.locator('.modebar-btn[data-title^="Download plot"]').click())


@pytest.mark.slow
@needs_chromium
def test_the_app_serves_the_geometry_from_its_own_config(app_url):
    served = urllib.request.urlopen(app_url + "/app/static/geo/world_110m.json", timeout=10).read()
    assert served == (GEO / "world_110m.json").read_bytes()


@pytest.mark.slow
@needs_chromium
def test_world_map_draws_every_country_with_data_offline(app_url, offline, demo):
    countries = {r["c"] for r in demo.execute_query(
        "MATCH (y:SectorYear) WHERE y.year = 2020 RETURN DISTINCT y.country AS c").records}
    offline.goto(app_url + "/centrality?tab=World+map")
    plot = chart(offline, "Output by country")
    drawn = plot.locator("path.choroplethlocation")
    offline.wait_for_function("n => document.querySelectorAll('path.choroplethlocation').length >= n",
                              arg=len(countries))
    assert drawn.count() == len(countries) == 6
    # each country's path holds a real outline, and the basemap layers read from world_110m.json are drawn
    assert all(len(d or "") > 100 for d in drawn.evaluate_all("ps => ps.map(p => p.getAttribute('d'))"))
    for layer in ("land", "countries", "coastlines"):
        assert len(plot.locator(f".layer.{layer} path").first.get_attribute("d") or "") > 10_000, layer
    assert offline.blocked == [], offline.blocked   # nothing went to plotly's CDN, or anywhere else
    idle(offline)
    offline.screenshot(path=str(OUTPUT_DIR / "explorer-maps-world-offline.png"), full_page=True)


@pytest.mark.slow
@needs_chromium
def test_province_map_draws_all_17_provinces_offline(app_url, offline, demo):
    with_firms = demo.execute_query(
        "MATCH (f:Firm)-[:LOCATED_IN]->(r:Region {kind: 'subdivision'})-[:LOCATED_IN]->(:Country {key: 'KOR'}) "
        "RETURN count(DISTINCT r) AS n").records[0]["n"]
    offline.goto(app_url + "/trade?tab=Regions")
    plot = chart(offline, "Output by province")
    paths = plot.locator("path.choroplethlocation")
    offline.wait_for_function("n => document.querySelectorAll('path.choroplethlocation').length >= n",
                              arg=17 + with_firms)
    # the grey outline of all 17 provinces, and on top one coloured shape per province with firms
    traces = plot.locator(".trace.choropleth")
    assert traces.count() == 2
    assert traces.nth(0).locator("path.choroplethlocation").count() == 17
    assert traces.nth(1).locator("path.choroplethlocation").count() == with_firms > 10
    assert paths.count() == 17 + with_firms
    assert offline.blocked == [], offline.blocked


@pytest.mark.slow
@needs_chromium
def test_charts_export_svg_with_title_legend_and_source_and_png_at_3x(app_url, offline):
    offline.goto(app_url + "/centrality?layer=firm")
    plot = chart(offline, "Firms by PageRank")
    idle(offline)
    png = camera(offline, plot)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    shown = plot.evaluate("gd => [gd._fullLayout.width, gd._fullLayout.height]")
    assert (width, height) == (3 * shown[0], 3 * shown[1])

    offline.get_by_text("SVG (vector)").click()
    idle(offline)
    plot = chart(offline, "Firms by PageRank")
    svg = camera(offline, plot).decode("utf-8")
    (OUTPUT_DIR / "explorer-maps-ranking.svg").write_text(svg)
    texts = ["".join(t.itertext()) for t in ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}text")]
    joined = " ".join(texts)
    assert any(t.startswith("Firms by PageRank, 2020") for t in texts), texts[:5]
    assert any(t.startswith("Source: demo:firms-400-seed-7 (SYNTHETIC); 2020; module centrality") for t in texts)
    assert "Country" in texts and {"KOR", "CHN"} <= set(texts)          # legend title and entries
    assert "PageRank (share 0..1)" in texts and "Firm" in texts          # axis titles, with the unit
    assert 'class="legend"' in svg and "legendtitletext" in svg
    assert not any(t.startswith("DEMO-F") for t in texts) and "Industries" in joined   # firm names, not keys

    offline.get_by_role("tab", name="World map").click()   # same session: the SVG choice holds
    plot = chart(offline, "Output by country")
    idle(offline)
    svg = camera(offline, plot).decode("utf-8")
    assert svg.count('class="choroplethlocation"') == 6 and "Output by country" in svg and "Source: " in svg
    assert offline.blocked == [], offline.blocked


@pytest.mark.slow
@needs_chromium
def test_a_table_download_carries_dataset_year_and_units(app_url, offline):
    offline.goto(app_url + "/trade?tab=Regions")
    offline.get_by_role("button", name="Download provinces (CSV)").wait_for()
    idle(offline)
    text = download(offline, lambda: offline.get_by_role("button", name="Download provinces (CSV)").click()).decode()
    lines = text.splitlines()
    assert lines[0] == "# dataset: demo:firms-400-seed-7 (SYNTHETIC)"
    assert lines[1].startswith("# years: ") and "2020" in lines[1]
    assert "output = thousand USD" in lines[2] and "inward_fdi = million USD" in lines[2]
    assert lines[3] == "# module: region-profile"
    table = pd.read_csv(io.StringIO(text), skiprows=4)
    assert len(table) > 10 and set(table["region"]) <= {f"KR-{n}" for n in (11, *range(26, 32), *range(41, 51))}


@pytest.mark.slow
@needs_chromium
def test_the_path_graph_fits_itself_the_first_time_it_is_shown(app_url, offline, demo):
    firm = demo.execute_query("MATCH (f:Firm)<-[:SUPPLIES]-() WITH f, count(*) AS n ORDER BY n DESC, f.key "
                              "LIMIT 1 RETURN f.key AS key").records[0]["key"]
    offline.goto(app_url + f"/spillovers?node={firm}&run=1")
    offline.get_by_text("paths listed (upstream").wait_for()
    idle(offline)
    offline.wait_for_timeout(3000)   # long enough for a drawing in a hidden tab to have settled, as it used to
    offline.get_by_role("tab", name="Path graph").click()
    frame = offline.frame_locator(COMPONENT)
    frame.locator("body[data-stabilized='1']").wait_for(state="attached", timeout=120_000)
    inner = frame.locator("#drawing").element_handle().content_frame()
    box = inner.evaluate("""() => {
        const c = document.querySelector('#mynetwork canvas');
        const pos = network.getPositions();
        const pts = Object.keys(pos).map(id => network.canvasToDOM(pos[id]));
        const xs = pts.map(p => p.x), ys = pts.map(p => p.y);
        return {w: c.clientWidth, h: c.clientHeight, n: pts.length, scale: network.getScale(),
                x0: Math.min(...xs), x1: Math.max(...xs), y0: Math.min(...ys), y1: Math.max(...ys)}; }""")
    assert box["n"] > 5 and box["w"] > 300 and box["h"] == 480, box
    # every node in view, and the drawing spread over the frame (not one node blown up to fill it)
    assert 0 <= box["x0"] and box["x1"] <= box["w"] and 0 <= box["y0"] and box["y1"] <= box["h"], box
    assert (box["x1"] - box["x0"]) > 0.5 * box["w"] or (box["y1"] - box["y0"]) > 0.5 * box["h"], box
    offline.locator(COMPONENT).screenshot(path=str(OUTPUT_DIR / "explorer-maps-path-graph.png"))
