"""The "Value added & participation" page in a real browser (Debian Chromium through Playwright) on WIOD data.

The shipped WIOD 2013 extract for 1995 and 2000, loaded through the MRIO loader (the GVC accounting runs with
the load): this module runs right after tests/test_demo_wiod.py, whose demo holds every year of the extract,
and reads those years when they are stored as a load leaves them (``tests.support.wiod.stored``, with the
demo's --min-coefficient); alone, or
after another module, it loads them itself. It starts the app and opens the page with both years and an
exporter in the URL: every figure is drawn (the KWW bars, the participation scatter, the Sankey, the heat map,
the two-year bars), each with its title and a source line naming the dataset and year(s), and the numbers
drawn are the stored ones (the bars of one country add up to its gross exports).
"""
from __future__ import annotations

import pytest

from loader.mrio.load import write_table
from loader.mrio.parquet import read_table
from tests.support import streamlit_app
from tests.support import wiod as shipped
from tests.conftest import OUTPUT_DIR, REPO
from tests.support.browser import chromium, needs_chromium, new_page
from tests.test_gvc_graph import clear

WIOD = REPO / "data" / "wiod2013"
YEARS = (1995, 2000)

pytestmark = [pytest.mark.slow, needs_chromium]


@pytest.fixture(scope="module")
def wiod(driver, schema_applied):
    from loader.demo.load import DEMO_MIN_COEFFICIENT

    tables = [read_table(WIOD / str(y)) for y in YEARS]
    for t in tables:
        # the page reads the GVC results, computed on the full table whatever is kept of the flows: keeping only
        # SUPPLIES with a coefficient of 0.01 or more makes each year a fraction of the write (the demo keeps 0.001)
        if not (shipped.stored(driver, t, DEMO_MIN_COEFFICIENT) or shipped.stored(driver, t, 0.01)):
            write_table(t, progress=False, min_coefficient=0.01)
    yield tables
    clear(driver)   # two WIOD years are too big for the 1,000-node wipe of the next test's fixture on a small heap


@pytest.fixture(scope="module")
def app_url(wiod):
    with streamlit_app.serve("explorer-value-added-streamlit.log") as url:
        yield url


@pytest.fixture(scope="module")
def page(app_url):
    with chromium() as b:
        _, pg = new_page(b, downloads=False)
        pg.set_default_timeout(120_000)
        pg.goto(app_url + "/value-added?year=1995&year_b=2000&exporter=DEU&top=8")
        yield pg


def chart(page, title: str):
    loc = page.locator(".js-plotly-plot").filter(has=page.locator(".gtitle", has_text=title))
    loc.first.wait_for()
    return loc.first


# the traces as plotly drew them (_fullData: typed arrays decoded), as plain lists
_FIGURE = """el => {
  const plain = a => (a === undefined || a === null) ? null : Array.from(a);
  return {layout: {title: el.layout.title, xaxis: el.layout.xaxis && {title: el.layout.xaxis.title}},
          data: el._fullData.map(t => ({type: t.type, x: plain(t.x), y: plain(t.y),
            node: t.node && {label: plain(t.node.label)},
            link: t.link && {source: plain(t.link.source), target: plain(t.link.target),
                             value: plain(t.link.value)}}))};
}"""


def figure(plot) -> dict:
    """The figure plotly drew: title, x axis title and the traces' data."""
    return plot.evaluate(_FIGURE)


def test_the_page_draws_every_figure_with_title_units_and_source(page, wiod, driver):
    source = wiod[0].source
    expected = {
        "Gross exports decomposed": "1995",
        "GVC participation and position": "1995",
        "Value added in DEU's gross exports by origin country": "1995",
        "Bilateral value-added exports": "1995",
        "Backward (FVA/E) and forward (DVX/E) participation": "1995, 2000",
    }
    for title, years in expected.items():
        plot = chart(page, title)
        fig = figure(plot)
        sub = fig["layout"]["title"]["subtitle"]["text"]
        assert sub.startswith("Source: ") and source in sub and years in sub, (title, sub)
        assert fig["data"], title
    # the KWW bars of one country add up to its stored gross exports
    fig = figure(chart(page, "Gross exports decomposed"))
    kor = sum(x for trace in fig["data"] for x, y in zip(trace["x"], trace["y"]) if y == "KOR")
    assert fig["layout"]["xaxis"]["title"]["text"].startswith("Gross exports (million USD")
    stored = driver.execute_query("MATCH (c:CountryYear {source: $s, year: 1995, country: 'KOR'}) "
                                  "RETURN c.gross_exports AS e", s=source).records[0]["e"]
    assert kor == pytest.approx(stored, rel=1e-9)
    # both sides of the Sankey add up to DEU's gross exports (less exports of sectors without output)
    sankey = figure(chart(page, "Value added in DEU's gross exports"))["data"][0]
    labels, link = sankey["node"]["label"], sankey["link"]
    mid = labels.index("DEU")
    into = sum(v for t, v in zip(link["target"], link["value"]) if t == mid)
    out = sum(v for s, v in zip(link["source"], link["value"]) if s == mid)
    deu = driver.execute_query("MATCH (c:CountryYear {source: $s, year: 1995, country: 'DEU'}) "
                               "RETURN c.gross_exports AS e, c.unexplained_exports AS u", s=source).records[0]
    assert into == pytest.approx(deu["e"] - deu["u"], rel=1e-9)
    assert out == pytest.approx(deu["e"], rel=1e-9)
    # the heat map holds every country pair
    heat = figure(chart(page, "Bilateral value-added exports"))["data"][0]
    assert len(heat["x"]) == len(heat["y"]) == 41
    page.screenshot(path=str(OUTPUT_DIR / "explorer-value-added.png"), full_page=True)
