"""The Studies page in a real browser: Debian's headless Chromium driven by Playwright.

The panel graph (tests/support/studies_panel.py, marked synthetic) is loaded through `loader tables` and the app
served by `streamlit run`. The test reads the Studies list, clicks study (a)'s panel link, checks both charts and
the coefficient table, downloads the tidy panel as CSV and Parquet and reads them back with their units, opens
the page's address in a fresh browser and gets the same download, and follows a Reports link to its result.
Screenshots go to test-output/explorer-studies-*.png.
"""
from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from tests.conftest import OUTPUT_DIR
from tests.support import studies_panel as sp
from tests.support import streamlit_app
from tests.support.browser import needs_chromium, new_page as _new_page

pytestmark = [pytest.mark.slow, needs_chromium]


@pytest.fixture(scope="module")
def demo_graph(driver, schema_applied, tmp_path_factory):
    """The studies panel's tables, loaded through the table loader."""
    from loader.tables.load import load_tables
    from tests.conftest import wipe

    wipe(driver)
    load_tables(sp.write(tmp_path_factory.mktemp("studies-browser") / "panel", sp.frames()), source=sp.SOURCE,
                synthetic=True, progress=False)
    return driver


@pytest.fixture(scope="module")
def app_url(demo_graph):
    with streamlit_app.serve("explorer-studies-streamlit.log") as url:
        yield url


def new_page(browser):
    ctx, pg = _new_page(browser)
    pg.set_default_timeout(90_000)
    return ctx, pg


def settle(pg) -> None:
    pg.locator('[data-testid="stStatusWidget"]').wait_for(state="hidden")
    pg.wait_for_timeout(1000)


def download(pg, name: str) -> bytes:
    with pg.expect_download() as dl:
        pg.get_by_role("button", name=name).click()
    return Path(dl.value.path()).read_bytes()


def test_studies_page_and_panel_view(app_url, browser):  # noqa: F811
    ctx, pg = new_page(browser)
    pg.goto(f"{app_url}/studies")
    pg.get_by_text("(a) Global factories and FDI motives").wait_for()
    settle(pg)
    for title in ("(b) Regional trade", "(c) ICT value-chain stages", "(d) The country-region-industry",
                  "(e) TNC-SME linkages"):
        assert pg.get_by_text(title).count() >= 1, title
    from queries import modules
    from queries.modules.studies import STUDIES

    # a report whose module is not in the build says so; every module named is in this one
    missing = [r.module for st in STUDIES for r in st.reports if r.module not in modules.MODULES]
    assert (pg.get_by_text("not available in this build").count() >= 1) == bool(missing), missing
    assert pg.get_by_text("studies:panel — SYNTHETIC — 2016–2020").count() >= 1
    pg.screenshot(path=str(OUTPUT_DIR / "explorer-studies-list.png"), full_page=True)

    # one click opens the panel with its parameters
    pg.get_by_role("link", name="The panel: FDI by motive, trade and host indicators, host x year").click()
    pg.get_by_role("button", name="Download panel, tidy (CSV)").wait_for()
    # the page writes its state into the address at the end of its run
    pg.wait_for_function("() => location.search.includes('origin=KOR')")
    settle(pg)
    assert "tab=Global-factory" in pg.url, pg.url
    pg.locator(".js-plotly-plot").nth(1).wait_for()
    settle(pg)
    drawn = " | ".join(pg.locator(".js-plotly-plot text").all_text_contents())
    assert "FDI of KOR's firms by motive and host" in drawn, drawn
    assert "Motive mix against trade unit values per host" in drawn, drawn
    assert "Source: studies:panel" in drawn and "SYNTHETIC" in drawn, drawn
    assert "FDI amount (million USD)" in drawn and "(USD/kg)" in drawn, drawn
    assert pg.get_by_text("host-years,").count() >= 1      # the estimate's summary line
    pg.screenshot(path=str(OUTPUT_DIR / "explorer-studies-panel.png"), full_page=True)

    csv = download(pg, "Download panel, tidy (CSV)").decode("utf-8")
    assert csv.startswith("# dataset: studies:panel") and "SYNTHETIC" in csv.splitlines()[0]
    tidy = pd.read_csv(io.StringIO(csv), skiprows=4)
    want = sp.expected_panel(sp.frames())
    assert len(tidy) == len(want) * (len(want.columns) - 2)
    units = tidy.drop_duplicates("variable").set_index("variable")["unit"]
    assert units["fdi_market_amount"] == "million USD" and units["exports_unit_value"] == "USD/kg"
    assert units["gdp"] == "million USD" and units["rnd_share"] == "percent of GDP"
    got = tidy.query("variable == 'fdi_amount'")["value"].sum()
    assert got == pytest.approx(want["fdi_amount"].sum())
    table = pq.read_table(io.BytesIO(download(pg, "Download panel, tidy (Parquet)")))
    parquet = table.to_pandas()
    assert list(parquet.columns) == ["host", "year", "variable", "value", "unit", "note"]
    assert parquet.query("variable == 'fdi_amount'")["value"].sum() == pytest.approx(got)
    assert json.loads(table.schema.metadata[b"gvn.source"])["datasets"][0]["synthetic"] is True
    address = pg.url
    ctx.close()

    # the address reproduces it in a fresh browser
    ctx, pg = new_page(browser)
    pg.goto(address)
    pg.get_by_role("button", name="Download panel, tidy (CSV)").wait_for()
    settle(pg)
    assert download(pg, "Download panel, tidy (CSV)").decode("utf-8") == csv
    ctx.close()


def test_a_reports_link_runs_its_module(app_url, browser):  # noqa: F811
    ctx, pg = new_page(browser)
    pg.goto(f"{app_url}/studies")
    pg.get_by_text("(a) Global factories and FDI motives").wait_for()
    pg.get_by_role("link", name="FDI projects by motive and host").click()
    pg.locator('[data-testid="stDataFrame"]').first.wait_for()
    settle(pg)
    assert "report=module%3Afdi-by-motive" in pg.url or "report=module:fdi-by-motive" in pg.url, pg.url
    assert "p_split=destination" in pg.url and "p_origin=KOR" in pg.url
    pg.screenshot(path=str(OUTPUT_DIR / "explorer-studies-report.png"), full_page=True)
    ctx.close()
