"""The Network page's year: by default the latest year of real data, a selector of the years held (latest
first) and "all years" only when asked for (``?year=all``), drawn with every edge labelled by its year.

The pure rules are checked directly; the page in a real browser (Debian's headless Chromium driven by
Playwright, as in tests/test_explorer_graph_browser.py) on the hand-made test graph plus one record of a
real dataset in 2019: firm F1's relationships are 5 without a year, 5 of 2020 and 1 of 2019 (all from the
synthetic test dataset), so the real data's latest year, 2019, draws 6 of them and ``year=all`` 11.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from explorer.transform import network_state as ns
from tests.support import streamlit_app
from tests.conftest import OUTPUT_DIR
from tests.support import explorer_graph
from tests.support.browser import CHROMIUM, COMPONENT, drawing_frame, idle, new_page, wait_drawn


# ---------------------------------------------------------------- the rules (pure)

def test_default_year_is_the_latest_of_real_data_else_of_any():
    held = {"wiod": [1995, 2008], "demo:firms": [2008, 2020], "": [2021]}
    assert ns.default_year(held, real={"wiod"}) == 2008          # later synthetic and unlabelled years ignored
    assert ns.default_year(held, real=set()) == 2021             # no real dataset: the latest of any
    assert ns.default_year({}, real={"wiod"}) is None             # nothing has a year


def test_year_choices_latest_first_then_all_and_url_values():
    assert ns.year_options([2000, 2008, 1995, 2008]) == [2008, 2000, 1995, "all"]
    assert ns.read_year(None, [2019, 2020]) == (None, None)
    assert ns.read_year("all", [2019, 2020]) == ("all", None)
    assert ns.read_year("2019", [2019, 2020]) == (2019, None)
    value, msg = ns.read_year("1990", [2019, 2020])
    assert value is None and msg == ("URL parameter year: no relationships of 1990 in the database; allowed: one "
                                     "of the years held (2020, 2019) or 'all'")
    value, msg = ns.read_year("latest", [2019, 2020])
    assert value is None and msg.startswith("URL parameter year: 'latest' is not a year; allowed:")
    assert ns.year_filter("all") is None and ns.year_filter(2019) == 2019
    assert "ALL YEARS" in ns.year_caption("all", [2019, 2020]) and "2019, 2020" in ns.year_caption("all", [2019, 2020])
    assert ns.year_caption(2019, [2019]).startswith("year 2019 only")


def test_edges_carry_their_year_only_when_years_are_drawn_together():
    from explorer.graph.style import drawing

    scene = {"nodes": {n: {"label": "Firm", "props": {"key": n}} for n in ("Firm:A", "Firm:B")},
             "edges": {"e1": {"source": "Firm:A", "target": "Firm:B", "type": "SUPPLIES", "props": {"year": 2019}},
                       "e2": {"source": "Firm:A", "target": "Firm:B", "type": "SUPPLIES", "props": {"year": 2020}},
                       "e3": {"source": "Firm:A", "target": "Firm:B", "type": "OWNS", "props": {"share": 0.5}}},
             "expanded": ["Firm:A"]}
    assert sorted(e["label"] for e in drawing(scene, year_labels=True)["edges"]) == ["", "2019", "2020"]
    assert {e["label"] for e in drawing(scene)["edges"]} == {""}


# ---------------------------------------------------------------- the page in a browser

@pytest.fixture(scope="module")
def years_graph(driver, schema_applied):
    explorer_graph.load_fresh(driver)
    driver.execute_query("MERGE (d:Dataset {key: 'TEST-REAL'}) SET d.name = 'Real test trade', d.synthetic = false, "
                         "d.source = 'TEST-REAL'")
    driver.execute_query("MATCH (a:Country {key: 'KOR'}), (b:Country {key: 'JPN'}) CREATE (a)-[:EXPORTS {year: 2019, "
                         "value: 1.0, industry: 'TEST|ELEC', source: 'TEST-REAL'}]->(b)")
    return driver


@pytest.fixture(scope="module")
def app_url(years_graph):
    with streamlit_app.serve("explorer-network-years-streamlit.log") as url:
        yield url


@pytest.fixture(scope="module")
def page(app_url):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} missing (apt-get install chromium)")
    from tests.support.browser import chromium

    with chromium() as b:
        _, pg = new_page(b, downloads=False)
        pg.set_default_timeout(90_000)
        yield pg


def drawn_edges(page) -> list[dict]:
    """The edges vis-network holds in the drawing (inside the component's frame)."""
    return drawing_frame(page).evaluate("() => network.body.data.edges.get().map(e => ({title: e.title, label: e.label || ''}))")


def edge_years(edges: list[dict]) -> list[int | None]:
    out = []
    for e in edges:
        year = [line.split(": ", 1)[1] for line in e["title"].split("\n") if line.startswith("year: ")]
        out.append(int(year[0]) if year else None)
    return out


@pytest.mark.slow
def test_the_default_draws_one_year_and_all_years_only_when_asked(app_url, page):
    page.goto(app_url + "/network?node=Firm:F1")
    wait_drawn(page)
    idle(page)
    default = drawn_edges(page)
    years = edge_years(default)
    # the latest year of REAL data (2019), though the synthetic test data reach 2020; yearless relationships stay
    assert sorted(y for y in years if y is not None) == [2019] and len(default) == 6, default
    assert all(e["label"] == "" for e in default)
    assert "year=2019" in page.url, page.url
    assert page.get_by_text("year 2019 only").count() >= 1
    page.screenshot(path=str(OUTPUT_DIR / "explorer-network-years-default.png"), full_page=True)

    page.goto(app_url + "/network?node=Firm:F1&year=all")
    wait_drawn(page)
    idle(page)
    every = drawn_edges(page)
    years = edge_years(every)
    assert len(every) == 11 and sorted({y for y in years if y is not None}) == [2019, 2020], every
    # drawn together, each yearly edge says its year on the drawing itself
    assert all(e["label"] == str(y) for e, y in zip(every, years) if y is not None)
    assert page.get_by_text("ALL YEARS drawn together (2019, 2020)", exact=False).count() >= 1
    page.screenshot(path=str(OUTPUT_DIR / "explorer-network-years-all.png"), full_page=True)


@pytest.mark.slow
def test_a_bad_year_in_the_url_names_the_parameter_and_the_years_held(app_url, page):
    page.goto(app_url + "/network?node=Firm:F1&year=1990")
    page.get_by_text("URL parameter year: no relationships of 1990 in the database").wait_for()
    assert page.get_by_text("allowed: one of the years held (2020, 2019) or 'all'", exact=False).count() == 1
    assert page.locator(COMPONENT).count() == 0   # nothing drawn for a year the link did not mean
