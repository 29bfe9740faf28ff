"""The Years compared and Data pages: AppTest against two years of a small table (every chart with title,
units and source; URL state; values against numpy), and the Data page in Chromium (slow)."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.support.browser import needs_chromium
from tests.test_queries_compare import SOURCE, _systems

SCRIPTS = Path(__file__).resolve().parent.parent / "explorer" / "page_scripts"
GAP_SECTOR = 5   # this sector's gross output is given 2 % above its row sums in 2011


@pytest.fixture(scope="module")
def graph(driver, schema_applied):
    from loader.mrio.load import write_table
    from loader.mrio.read import MrioTable
    from tests.conftest import wipe

    wipe(driver)
    gaps = {}
    for year, (Z, Y) in _systems().items():
        x = Z.sum(axis=1) + Y.sum(axis=1)
        if year == 2011:
            x.iloc[GAP_SECTOR] *= 1.02
        gaps[year] = float((np.abs(x - Z.sum(axis=1) - Y.sum(axis=1)) / x).max())
        write_table(MrioTable(Z=Z, Y=Y, x=x, year=year, classification="PYMRIO_TEST", source=SOURCE,
                              name="compare test", units="million US dollars", citation="pymrio test system"),
                    progress=False)
    return gaps


def app(script: str, **query):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(SCRIPTS / script), default_timeout=240)
    for k, v in query.items():
        at.query_params[k] = v
    return at.run()


def test_years_page_charts_tables_and_url(graph):
    from explorer.transform import charts

    at = app("years.py", measure="upstreamness", va_measure="gross_exports", node="reg1|manufactoring",
             threshold="0.00001", tab="Paths")
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    assert len(specs) >= 3
    for spec in specs:
        assert charts.problems(spec) == [], spec["layout"]["title"]
        assert f"Source: {SOURCE}" in spec["layout"]["title"]["subtitle"]["text"]
        assert "2010, 2011" in spec["layout"]["title"]["subtitle"]["text"]
    tables = [d.value for d in at.dataframe]
    link = next(t for t in tables if "sector" in t.columns and "rank_change" in t.columns)
    assert set(link["measure"]) == {"upstreamness"} and set(link["year_a"]) == {2010}
    va = next(t for t in tables if "measure" in t.columns and set(t["measure"]) == {"gross_exports"})
    # gross exports by country, both years, against numpy
    for year, col in ((2010, "value_a"), (2011, "value_b")):
        Z, Y = _systems()[year]
        reg = np.array(Z.index.get_level_values(0))
        e = pd.Series([Z.to_numpy()[k, reg != reg[k]].sum() + Y.to_numpy()[k, np.array(
            Y.columns.get_level_values(0)) != reg[k]].sum() for k in range(len(reg))], index=reg).groupby(level=0).sum()
        got = va.set_index("country")[col]
        assert np.allclose(got.sort_index().to_numpy(), e.sort_index().to_numpy(), rtol=1e-9)
    paths = next(t for t in tables if "present" in t.columns)
    assert len(paths) > 0 and paths["path"].str.endswith("reg1|manufactoring").all()
    q = dict(at.query_params)
    assert q["measure"] == "upstreamness" and q["node"] == "reg1|manufactoring" and q["tab"] == "Paths"


def test_years_page_bad_url_value_is_named(graph):
    at = app("years.py", measure="nope")
    assert not at.exception
    assert any("measure" in e.value for e in at.error)


def test_data_page_lists_the_dataset_with_its_facts_and_balance_gap(graph):
    at = app("data.py")
    assert not at.exception, at.exception
    sets, years = at.dataframe[0].value, at.dataframe[1].value
    row = sets.set_index("key").loc[SOURCE]
    assert row["data"] == "real" and row["kind"] == "input-output table" and row["years"] == "2010, 2011"
    assert row["countries"] == 6 and row["industries"] == 8 and row["units"] == "million US dollars"
    assert row["citation"] == "pymrio test system" and row["classification"] == "PYMRIO_TEST"
    assert row["load"] == "complete"
    gaps = years.set_index("year")["max_balance_gap"]
    assert gaps[2010] == pytest.approx(graph[2010], abs=1e-12) and gaps[2011] == pytest.approx(graph[2011], rel=1e-9)
    assert graph[2011] == pytest.approx(0.02 / 1.02, rel=1e-9)


def test_data_page_flags_an_unfinished_load(graph, driver):
    driver.execute_query("MATCH (d:Dataset {key: $k}) SET d.loading = datetime(), d.loading_years = [2011]",
                         {"k": SOURCE})
    from explorer.data import coverage

    coverage.datasets.clear()   # the page caches what it read for a minute
    try:
        at = app("data.py")
        row = at.dataframe[0].value.set_index("key").loc[SOURCE]
        assert row["load"].startswith("UNFINISHED") and "2011" in row["load"]
        assert any(SOURCE in e.value and "did not finish" in e.value for e in at.error)
    finally:
        driver.execute_query("MATCH (d:Dataset {key: $k}) REMOVE d.loading, d.loading_years", {"k": SOURCE})


@pytest.mark.slow
@needs_chromium
def test_data_page_in_chromium(graph):
    from tests.conftest import OUTPUT_DIR
    from tests.support import streamlit_app
    from tests.support.browser import chromium, idle, new_page

    with streamlit_app.serve("explorer-data-streamlit.log") as url, chromium() as b:
        _, page = new_page(b, height=1200)
        page.set_default_timeout(120_000)
        page.goto(url + "/data")
        page.get_by_text("Input-output tables by year").wait_for()
        idle(page)
        with page.expect_download() as dl:
            page.get_by_text("Download datasets (CSV)").click()
        frame = pd.read_csv(dl.value.path())
        row = frame.set_index("key").loc[SOURCE]
        assert row["years"] == "2010, 2011" and row["units"] == "million US dollars" and row["data"] == "real"
        page.screenshot(path=str(OUTPUT_DIR / "explorer-data-page.png"), full_page=True)
