"""Links reproduce results, and bad links say what is wrong: the explorer in Debian's headless Chromium.

Against the small hand-made test graph (tests/support/explorer_graph.py): run a report, trace paths
and expand a network, change a parameter, take the page's link, open it in a fresh browser
context and compare what it shows (the downloaded CSV, the drawing's caption). Then open each
bad URL an analyst ran into and check for the one-line message and for no traceback.
"""
from __future__ import annotations

import pytest

from tests.support import streamlit_app
from tests.conftest import OUTPUT_DIR
from tests.support import explorer_graph
from tests.support.browser import click_node, idle, needs_chromium, new_page, wait_drawn

pytestmark = [pytest.mark.slow, needs_chromium]

TOP_FIRMS = ("MATCH (f:Firm) WHERE f.output >= $min_output RETURN f.key AS key, f.name AS name, "
             "f.output AS output ORDER BY output DESC LIMIT $n")


@pytest.fixture(scope="module")
def small_graph(driver, schema_applied):
    from queries import reports

    explorer_graph.load_fresh(driver)
    reports.save_report("top-firms", "Top firms", TOP_FIRMS, {"min_output": 100.0, "n": 10}, "firms by output")
    return driver


@pytest.fixture(scope="module")
def app_url(small_graph):
    with streamlit_app.serve("explorer-links-streamlit.log") as url:
        yield url


def download(page, button: str, name: str) -> str:
    with page.expect_download() as dl:
        page.get_by_role("button", name=button).click()
    target = OUTPUT_DIR / name
    dl.value.save_as(target)
    return target.read_text()


def no_traceback(page) -> None:
    body = page.locator("body").inner_text()
    assert "Traceback" not in body and "Error:" not in body.replace("ParameterError:", ""), body[:2000]
    assert page.locator('[data-testid="stException"]').count() == 0


def test_a_reports_link_keeps_the_parameters_of_the_last_run(app_url, page, browser):
    page.goto(app_url + "/reports?report=report:top-firms")
    page.get_by_role("button", name="Run").click()
    page.get_by_text("4 rows").wait_for()                   # outputs 900, 700, 400, 300 >= 100
    floor = page.get_by_role("spinbutton", name="min_output")
    floor.fill("350")
    page.get_by_role("button", name="Run").click()
    page.get_by_text("3 rows").wait_for()
    idle(page)
    link = page.locator('[data-testid="stCode"]').last.inner_text().strip()
    assert "p_min_output=350.0" in link and "v=1" in link and "run=1" in link, link
    first = download(page, "Download CSV", "explorer-link-report-1.csv")
    assert first.splitlines()[1:] == ["F1,Hanbit Electronics,900.0", "F5,Ohio Services,700.0",
                                      "F2,Busan Steel Works,400.0"]
    ctx, other = new_page(browser)
    try:
        other.goto(link)
        other.get_by_text("3 rows").wait_for()
        assert download(other, "Download CSV", "explorer-link-report-2.csv") == first
        no_traceback(other)
    finally:
        ctx.close()


def test_a_spillovers_link_keeps_year_depth_and_node(app_url, page, browser):
    page.goto(app_url + "/spillovers?node=KOR|ELEC")
    page.get_by_role("button", name="Trace paths").click()
    page.get_by_text("paths listed (upstream").wait_for()
    depth = page.get_by_role("spinbutton", name="Depth (links)")
    depth.fill("1")
    depth.press("Enter")
    page.get_by_text("depth ≤ 1").wait_for()
    page.locator('[data-testid="stSelectbox"]').filter(has_text="Year").click()
    page.get_by_role("option", name="2020").click()
    page.get_by_text("year 2020").wait_for()
    idle(page)
    first = download(page, "Download paths (CSV)", "explorer-link-paths-1.csv")
    # the source in four comment lines, then header + KOR|METAL, CHN|ELEC, the self-loop and USA|SERV at depth 1
    assert first.splitlines()[:2] == ["# dataset: TEST-SYN (Explorer test graph, SYNTHETIC)", "# years: 2020"]
    assert len(first.splitlines()) == 4 + 5
    page.get_by_role("tab", name="Sankey").click()
    page.locator(".js-plotly-plot").first.wait_for()
    idle(page)
    link = page.url
    assert "depth=1" in link and "year=2020" in link and "node=KOR%7CELEC" in link and "run=1" in link, link
    assert "tab=Sankey" in link, link
    ctx, other = new_page(browser)
    try:
        other.goto(link)
        other.get_by_text("paths listed (upstream, depth ≤ 1").wait_for()
        other.get_by_role("tab", name="Sankey", selected=True).wait_for()   # the link's tab is open
        other.get_by_role("tab", name="Ranked paths").click()
        idle(other)
        assert download(other, "Download paths (CSV)", "explorer-link-paths-2.csv") == first
    finally:
        ctx.close()


def test_a_network_link_keeps_every_expanded_node(app_url, page, browser):
    page.goto(app_url + "/network?node=Firm:F1")
    wait_drawn(page)
    click_node(page, "Firm:F2")
    page.get_by_role("button", name="Expand this node").click()
    page.get_by_text("expanded", exact=True).wait_for()
    wait_drawn(page)
    idle(page)
    link = page.url
    assert "node=Firm%3AF1&node=Firm%3AF2" in link and "selected=Firm%3AF2" in link, link
    caption = page.get_by_text(" nodes · showing ").first.inner_text()
    ctx, other = new_page(browser)
    try:
        other.goto(link)
        wait_drawn(other)
        assert other.get_by_text(" nodes · showing ").first.inner_text() == caption
        other.get_by_text("expanded", exact=True).wait_for()   # F2's details: the link's selection
        assert other.locator('[data-testid="stSubheader"], h3').filter(has_text="Busan Steel Works").count() >= 1
    finally:
        ctx.close()


BAD_LINKS = [
    ("/spillovers?node=NOPE-FIRM", "URL parameter node: no sector or firm has the key 'NOPE-FIRM'"),
    ("/network?node=Firm:NOPE", "URL parameter node: no Firm with key 'NOPE' in the database"),
    ("/network?node=NoLabel", "URL parameter node: 'NoLabel' is not a node id; allowed: Label:key"),
    ("/spillovers?node=KOR|ELEC&threshold=5", "URL parameter threshold: '5' is above the maximum 1; allowed: a "
                                              "number from 0 to 1"),
    ("/spillovers?node=KOR|ELEC&threshold=abc", "URL parameter threshold: 'abc' is not a valid float"),
    ("/spillovers?node=KOR|ELEC&limit=-1&run=1", "URL parameter limit: '-1' is below the minimum 0"),
    ("/reports?report=module:upstream-paths&p_node=KOR|ELEC&p_depth=99&run=1",
     "URL parameter p_depth: '99' is above the maximum 6; allowed: an integer from 1 to 6"),
    ("/reports?report=report:top-firms&p_n=-1&run=1", "URL parameter p_n: '-1' is below the minimum 0"),
    ("/reports?report=report:top-firms&v=99", "URL parameter v: '99' is not a choice; allowed: one of 1"),
    ("/reports?report=no-such-report", "URL parameter report: no saved report or query module 'no-such-report'"),
    ("/centrality?year=abc", "URL parameter year: 'abc' is not a valid int"),
    ("/network?node=Firm:F1&cap=5", "URL parameter cap: '5' is below the minimum 10"),
    ("/trade?use=sometimes", "URL parameter use: 'sometimes' is not a choice; allowed: one of any, intermediate, final"),
]


@pytest.mark.parametrize("path, message", BAD_LINKS, ids=[p for p, _ in BAD_LINKS])
def test_a_bad_link_says_what_is_allowed_without_a_traceback(app_url, page, path, message):
    page.goto(app_url + path)
    alert = page.locator('[data-testid="stAlertContentError"]').filter(has_text=message)
    alert.first.wait_for()
    text = alert.first.inner_text()
    assert "\n" not in text.strip(), text
    idle(page)
    no_traceback(page)
    # nothing was run with a value the link did not ask for
    assert page.get_by_text("paths listed").count() == 0 and page.get_by_text(" rows").count() == 0
