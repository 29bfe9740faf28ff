"""The Studies page through streamlit.testing's AppTest against the real test Neo4j (panel graph loaded
through `loader tables`), its pure parts (links, tidy panel, Parquet) by hand; the browser test is
tests/test_explorer_studies_browser.py."""
from __future__ import annotations

import io
import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
from streamlit.testing.v1 import AppTest

from explorer.transform import charts
from explorer.transform import studies as view
from queries import modules
from queries.modules.studies import STUDIES, StudyReport
from tests.support import studies_panel as sp

APP = str(Path(__file__).resolve().parent.parent / "explorer" / "app.py")
GVC_MODULES = ("gvc-decomposition", "gvc-participation", "va-by-origin", "tiva", "va-generation", "gvc-gap")


@pytest.fixture(scope="module")
def panel_graph(driver, schema_applied, tmp_path_factory):
    import streamlit as st
    from loader.tables.load import load_tables
    from tests.conftest import wipe

    wipe(driver)
    load_tables(sp.write(tmp_path_factory.mktemp("studies") / "panel", sp.frames()), source=sp.SOURCE,
                synthetic=True, progress=False)
    st.cache_data.clear()
    yield driver
    st.cache_data.clear()


def run_page(**query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    at.switch_page("page_scripts/studies.py")
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_every_study_is_listed_with_its_reports():
    assert [s.key for s in STUDIES] == ["a", "b", "c", "d", "e"]
    named = {r.module for s in STUDIES for r in s.reports}
    # the modules of this build exist; the GVC accounting modules are listed by their names, for when they land
    for name in named - set(GVC_MODULES):
        assert name in modules.MODULES, name
    assert {"gvc-decomposition", "gvc-participation", "va-generation", "gvc-gap"} <= named
    for s in STUDIES:
        for r in s.reports:
            if r.module in modules.MODULES:
                modules.MODULES[r.module].coerce_params(dict(r.params))   # every prefilled value is valid
    methods = (Path(__file__).resolve().parent.parent / "docs" / "methods.md").read_text(encoding="utf-8")
    for s in STUDIES:
        assert f"## {s.methods}" in methods, s.methods


def test_report_links():
    link = view.report_link(StudyReport("fdi-by-motive", "x", {"origin": "KOR", "split": "destination"}))
    parts = urlsplit(link)
    assert parts.path == "reports"
    assert parse_qs(parts.query) == {"report": ["module:fdi-by-motive"], "p_origin": ["KOR"],
                                     "p_split": ["destination"], "run": ["1"]}
    link = view.report_link(StudyReport("fdi-trade-panel", "x", {"origin": "KOR"}, "panel"))
    assert urlsplit(link).path == "studies"
    assert parse_qs(urlsplit(link).query) == {"tab": [view.PANEL_TAB], "origin": ["KOR"], "run": ["1"]}


def test_tidy_panel_and_parquet_by_hand():
    panel = pd.DataFrame({"host": ["CHN", "MEX"], "year": [2019, 2019], "fdi_amount": [12.5, 0.0],
                          "exports_unit_value": [3.25, None],
                          "exports_unit_value_note": ["", "weight 0 on every flow (services are traded without weight)"]})
    units = {"fdi_amount": "million USD", "exports_unit_value": "USD/kg"}
    long = view.tidy(panel, units)
    assert list(long.columns) == ["host", "year", "variable", "value", "unit", "note"]
    assert long.to_dict("records")[:2] == [
        {"host": "CHN", "year": 2019, "variable": "fdi_amount", "value": 12.5, "unit": "million USD", "note": ""},
        {"host": "CHN", "year": 2019, "variable": "exports_unit_value", "value": 3.25, "unit": "USD/kg", "note": ""}]
    mex = long[(long["host"] == "MEX") & (long["variable"] == "exports_unit_value")].iloc[0]
    assert np.isnan(mex["value"]) and mex["note"].startswith("weight 0")
    src = charts.Source((charts.Dataset("studies:panel", "test", True, (2019,)),), (2019,), units, "fdi-trade-panel")
    table = pq.read_table(io.BytesIO(view.to_parquet(long, src)))
    back = table.to_pandas()
    pd.testing.assert_frame_equal(back, long)
    meta = json.loads(table.schema.metadata[b"gvn.source"])
    assert meta["datasets"][0]["key"] == "studies:panel" and meta["datasets"][0]["synthetic"] is True
    assert meta["module"] == "fdi-trade-panel" and meta["years"] == [2019]


def test_page_runs_on_an_empty_database(empty_db):
    import streamlit as st

    st.cache_data.clear()
    try:
        at = run_page()
        assert not at.error, [e.value for e in at.error]
        text = "\n".join(m.value for m in at.markdown)
        assert text.count("nothing loaded that this study reads") == len(STUDIES)
        assert any("Enter the origin country" in i.value for i in at.info)
        at = run_page(tab=view.PANEL_TAB, origin="KOR")
        assert [e.value for e in at.error] == ["fdi-trade-panel: parameter 'origin': no Country 'KOR'; expected an "
                                               "ISO3 code of the graph"]
    finally:
        st.cache_data.clear()


def test_studies_list_says_what_is_missing_and_which_data(panel_graph):
    at = run_page()
    text = "\n".join(m.value for m in at.markdown)
    for s in STUDIES:
        assert s.question in text
    for name in GVC_MODULES:
        if name not in modules.MODULES and any(r.module == name for s in STUDIES for r in s.reports):
            assert f"`{name}`: *not available in this build*" in text
    assert ('<a href="studies?tab=Global-factory+panel&amp;origin=KOR&amp;run=1" target="_self">The panel: FDI by '
            'motive, trade and host indicators, host x year</a>') in text
    assert text.count('target="_self"') == sum(r.module in modules.MODULES for s in STUDIES for r in s.reports)
    assert "studies:panel — SYNTHETIC — 2016–2020" in text    # read from the Dataset node


def test_panel_view_from_its_link(panel_graph):
    at = run_page(tab=view.PANEL_TAB, origin="KOR", show_years="2019,2020")
    assert not at.error, [e.value for e in at.error]
    frames = [d.value for d in at.dataframe]
    panel = next(f for f in frames if "fdi_market_amount" in f.columns)
    want = sp.expected_panel(sp.frames())
    assert len(panel) == len(want)
    assert panel["fdi_amount"].sum() == pytest.approx(want["fdi_amount"].sum())
    coefficients = next(f for f in frames if "coefficient" in f.columns)
    # every default regressor varies within host and year here: none is absorbed
    assert list(coefficients["variable"]) == list(modules.fdi_panel.DEFAULT_REGRESSORS)
    charts_ = at.get("plotly_chart")
    assert len(charts_) == 2
    for c in charts_:
        spec = json.loads(c.proto.spec)
        assert not charts.problems(spec), charts.problems(spec)
        assert "SYNTHETIC" in spec["layout"]["title"]["subtitle"]["text"]
        annotations = [a["text"] for a in spec["layout"].get("annotations", [])]
        assert "2019" in annotations and "2020" in annotations      # the years side by side
    assert at.query_params["origin"] in ("KOR", ["KOR"])


def test_bad_panel_link_is_named(panel_graph):
    at = run_page(tab=view.PANEL_TAB, origin="KOR", motive="greed")
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and errors[0].startswith("URL parameter motive:") and "market" in errors[0], errors
