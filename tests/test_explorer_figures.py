"""Charts, tables and downloads an analyst can publish: title, units, legend title, source line.

Pure tests of ``explorer.transform.charts`` / ``tables`` (figures built from hand-made frames,
CSV and JSON read back), then every chart, table and download of the Centrality, Trade & FDI and
Spillovers pages through AppTest on the real test Neo4j, with the province map's numbers checked
against the test graph's firms by hand.
"""
from __future__ import annotations

import base64
import io
import json
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
from streamlit.testing.v1 import AppTest

from explorer.transform import charts, tables
from tests.support import explorer_graph

APP = str(Path(__file__).resolve().parent.parent / "explorer" / "app.py")
SRC = charts.Source((charts.Dataset("demo:firms", "Demo firms", True, (2020,)),
                     charts.Dataset("wiod13", "WIOD 2013 release", False, (2011,))), (2011, 2020),
                    {"output": "thousand USD", "share": "share 0..1", "firms": "count", "name": "name"},
                    "region-profile")


# --------------------------------------------------------------------------- pure: source, labels

def test_source_line_names_every_dataset_year_and_the_synthetic_flag():
    assert SRC.line() == ("Source: demo:firms (Demo firms, SYNTHETIC); wiod13 (WIOD 2013 release); 2011, 2020; "
                          "module region-profile")
    assert charts.years_text([2018, 2019, 2020]) == "2018–2020" and charts.years_text([2015, 2020]) == "2015, 2020"
    assert charts.Source().line() == "Source: datasets not recorded; year not recorded"
    assert charts.Dataset("").text() == "records without a dataset"   # records with no source tag


def test_source_of_prefers_the_runs_provenance_and_falls_back_to_what_the_page_knows():
    result = pd.DataFrame({"output": [1.0]})
    result.attrs["provenance"] = {"datasets": [{"key": "icio23", "name": "OECD ICIO 2023", "synthetic": False,
                                                "years": [2019]}],
                                  "years": [2019], "units": {"output": "million USD"}, "notes": []}
    src = charts.source_of(result, module="sector-linkages", column_units={"output": "table currency"},
                           fallback_datasets=[{"key": "other", "years": [2000]}], fallback_years=[2000])
    assert src.datasets == (charts.Dataset("icio23", "OECD ICIO 2023", False, (2019,)),)
    assert src.years == (2019,) and src.unit("output") == "million USD"  # the run's currency beats the module's
    bare = charts.source_of(pd.DataFrame({"output": [1.0]}), module="m", column_units={"output": "table currency"},
                            fallback_datasets=[{"key": "demo:x", "name": "demo:x", "synthetic": True,
                                                "years": [2020]}], fallback_years=[2020],
                            page_units={"output": "thousand USD"})
    assert bare.line() == "Source: demo:x (SYNTHETIC); 2020; module m" and bare.unit("output") == "thousand USD"


def test_labels_carry_units_only_for_quantities_and_names_replace_keys():
    assert charts.label("foreign_output_share", "share 0..1") == "Foreign output share (share 0..1)"
    assert charts.label("pagerank", "share 0..1") == "PageRank (share 0..1)"
    assert charts.label("sector", "key") == "Sector" and charts.label("year", "year") == "Year"
    assert charts.label("motive", "market|resource|efficiency|strategic_asset") == "Motive"
    assert charts.display_names(["F1", "F2", "F3", "F4"], ["Hanbit", "Hanbit", None, "Ohio"]) == \
        ["Hanbit (F1)", "Hanbit (F2)", "F3", "Ohio"]


# --------------------------------------------------------------------------- pure: figures

FRAME = pd.DataFrame({"name": ["Seoul", "Busan", "Jeju"], "output": [950.0, 400.0, 10.0],
                      "kind": ["subdivision", "subdivision", "economic_region"], "country": ["KOR", "CHN", "USA"],
                      "x": [1.2, 0.8, 1.0], "region": ["KR-11", "KR-26", "KR-49"]})


def built_figures() -> dict[str, go.Figure]:
    geo = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": k, "properties": {"name_eng": k},
         "geometry": {"type": "MultiPolygon", "coordinates": [[[[0, 0], [1, 0], [1, 1], [0, 0]]]]}}
        for k in ("KR-11", "KR-26", "KR-49", "KR-50")]}
    return {
        "bar": charts.bar(FRAME, "name", "output", title="Output by region", source=SRC, category_title="Region",
                          value_title="Output (thousand USD)", colour="kind", legend="Kind of region"),
        "stacked": charts.bar(FRAME, "kind", "output", title="Stacked", source=SRC, category_title="Kind",
                              value_title="Output (thousand USD)", colour="country", legend="Country",
                              horizontal=False, stacked=True),
        "scatter": charts.scatter(FRAME, "x", "output", title="S", source=SRC, x_title="Backward linkage (index)",
                                  y_title="Output (thousand USD)", colour="country", legend="Country",
                                  size="output", lines=(("h", 1.0),)),
        "world": charts.world_map(FRAME, "output", title="W", source=SRC, value_title="Output (thousand USD)"),
        "provinces": charts.province_map(FRAME, "output", geo, title="P", source=SRC,
                                         value_title="Output (thousand USD)", credit="boundaries: test"),
        "sankey": charts.sankey(["a", "b"], [0], [1], [0.5], title="Paths: link width = value (share)", source=SRC,
                                value_title="value (share)"),
    }


def test_every_builder_gives_a_figure_with_nothing_missing():
    for name, fig in built_figures().items():
        assert charts.problems(fig) == [], name
        assert fig.layout.title.text and fig.layout.title.subtitle.text.startswith("Source: demo:firms"), name
    figs = built_figures()
    assert figs["bar"].layout.legend.title.text == "Kind of region"
    assert figs["bar"].layout.xaxis.title.text == "Output (thousand USD)" and figs["bar"].layout.yaxis.automargin
    assert figs["world"].layout.coloraxis.colorbar.title.text == "Output<br>(thousand USD)"
    assert figs["provinces"].layout.title.subtitle.text.endswith("; boundaries: test")


def test_problems_names_what_a_figure_lacks():
    bare = go.Figure(go.Bar(x=[1, 2], y=["a", "b"], orientation="h"))
    assert charts.problems(bare) == ["no source line (title.subtitle 'Source: ...')", "no title",
                                     "xaxis has no title", "yaxis has no title"]
    bare.update_layout(title={"text": "T", "subtitle": {"text": "Source: x"}}, xaxis_title="Output",
                       yaxis_title="Firm")
    assert charts.problems(bare) == ["xaxis title 'Output' has no unit in parentheses"]
    two = go.Figure([go.Bar(x=["a"], y=[1], name="p"), go.Bar(x=["a"], y=[2], name="q")])
    two.update_layout(title={"text": "T", "subtitle": {"text": "Source: x"}}, xaxis_title="Kind",
                      yaxis_title="Amount (million USD)")
    assert charts.problems(two) == ["the legend has no title"]
    with pytest.raises(ValueError, match="not ready to publish: the legend has no title"):
        charts.finish(go.Figure([go.Bar(x=["a"], y=[1]), go.Bar(x=["a"], y=[2])]), title="T", source=SRC,
                      x="Kind", y="Amount (million USD)")


def test_config_exports_png_at_3x_or_svg_and_points_maps_at_the_static_files():
    png = charts.config("world output 2020", "png", "/app/static/geo/")
    assert png["toImageButtonOptions"] == {"format": "png", "filename": "world-output-2020", "scale": 3}
    assert png["topojsonURL"] == "/app/static/geo/" and png["displaylogo"] is False
    assert charts.config("x", "svg")["toImageButtonOptions"]["format"] == "svg"
    with pytest.raises(ValueError, match="image format 'jpg'"):
        charts.config("x", "jpg")


# --------------------------------------------------------------------------- pure: tables and downloads

def test_csv_download_carries_dataset_years_units_and_reads_back():
    df = FRAME[["region", "name", "output"]].assign(firms=[2, 1, 0])
    text = tables.to_csv(df, SRC)
    head = text.splitlines()[:tables.CSV_COMMENT_LINES]
    assert head == ["# dataset: demo:firms (Demo firms, SYNTHETIC); wiod13 (WIOD 2013 release)",
                    "# years: 2011, 2020", "# units: output = thousand USD; firms = count",
                    "# module: region-profile"]
    back = pd.read_csv(io.StringIO(text), skiprows=tables.CSV_COMMENT_LINES)
    pd.testing.assert_frame_equal(back, df.reset_index(drop=True))
    assert tables.headers(list(df.columns), SRC) == {"region": "region", "name": "name",
                                                     "output": "output (thousand USD)", "firms": "firms (count)"}


def test_json_download_carries_the_same_facts_and_every_row():
    df = pd.DataFrame({"path": [["A", "B"]], "output": [1.5]})
    doc = json.loads(tables.to_json(df, SRC))
    assert doc["source"]["units"] == {"output": "thousand USD"} and doc["source"]["years"] == [2011, 2020]
    assert [d["key"] for d in doc["source"]["datasets"]] == ["demo:firms", "wiod13"]
    assert doc["source"]["datasets"][0]["synthetic"] is True and doc["source"]["module"] == "region-profile"
    assert doc["rows"] == [{"path": ["A", "B"], "output": 1.5}]


# --------------------------------------------------------------------------- pages (AppTest, real Neo4j)

@pytest.fixture(scope="module")
def graph(driver, schema_applied):
    explorer_graph.load_fresh(driver)
    yield driver


def run_page(page: str, **query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    at.switch_page(f"page_scripts/{page}.py")
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def numbers(x) -> list:
    """A spec's array: plotly writes numeric arrays as typed arrays ({"dtype", "bdata": base64})."""
    if isinstance(x, dict) and "bdata" in x:
        return np.frombuffer(base64.b64decode(x["bdata"]), dtype=x["dtype"]).tolist()
    return list(x)


def page_charts(at: AppTest) -> dict[str, tuple[dict, dict]]:
    return {c.key: (json.loads(c.proto.spec), json.loads(c.proto.config)) for c in at.get("plotly_chart")}


PAGES = [("centrality", {}, ["ce_rank_bar", "ce_link_bar", "ce_scatter", "ce_map"]),
         ("centrality", {"layer": "firm"}, ["ce_rank_bar", "ce_link_bar", "ce_scatter", "ce_map"]),
         ("trade", {}, ["tr_fdi_bar", "tr_fdi_worldmap", "tr_scatter", "tr_trade_map", "tr_regions_bar",
                        "tr_provinces_chart"]),
         ("spillovers", {"node": "KOR|ELEC", "run": "1"}, ["sp_sankey", "sp_split_bar"])]


@pytest.mark.parametrize("page, query, keys", PAGES, ids=[f"{p}-{'-'.join(q.values()) or 'default'}"
                                                          for p, q, _ in PAGES])
def test_every_chart_table_and_download_of_a_page_says_what_it_shows(graph, page, query, keys):
    at = run_page(page, **query)
    found = page_charts(at)
    assert list(found) == keys
    for key, (spec, config) in found.items():
        assert charts.problems(spec) == [], key
        assert "TEST-SYN (Explorer test graph, SYNTHETIC)" in spec["layout"]["title"]["subtitle"]["text"], key
        assert "2020" in spec["layout"]["title"]["subtitle"]["text"], key
        assert config["toImageButtonOptions"]["format"] == "png" and config["toImageButtonOptions"]["scale"] >= 3
        assert config["topojsonURL"] == "/app/static/geo/"
    # every table has its two downloads, and its caption names the source
    assert len(at.get("download_button")) == 2 * len(at.dataframe)
    assert sum("Source: TEST-SYN" in c.value for c in at.caption) >= len(at.dataframe)


def test_firm_ranking_bars_show_names_not_keys(graph):
    spec, _ = page_charts(run_page("centrality", layer="firm"))["ce_rank_bar"]
    shown = {y for trace in spec["data"] for y in trace["y"]}
    assert shown == {"Hanbit Electronics", "Busan Steel Works", "Seoul Metal Parts", "Shenzhen Components"}
    assert spec["layout"]["legend"]["title"]["text"] == "Country"
    assert spec["layout"]["yaxis"]["automargin"] is True


def test_the_svg_choice_of_the_sidebar_reaches_every_chart(graph):
    at = run_page("trade")
    at.radio(key="fig_format").set_value("svg").run()
    assert {c["toImageButtonOptions"]["format"] for _, c in page_charts(at).values()} == {"svg"}


def test_the_province_map_colours_each_province_by_its_firms(graph):
    at = run_page("trade", tab="Regions", province_map="output")
    spec, _ = page_charts(at)["tr_provinces_chart"]
    outline, data = spec["data"]
    assert len(outline["locations"]) == 17 and len(spec["data"][0]["geojson"]["features"]) == 17
    # by hand from the test graph: KR-11 holds F1 (output 900) and F3 (50); KR-26 holds F2 (400)
    assert dict(zip(data["locations"], numbers(data["z"]))) == {"KR-11": 950.0, "KR-26": 400.0}
    assert data["colorbar"]["title"]["text"] == "Output<br>(thousand USD)"
    assert "KOSTAT SGIS 2018" in spec["layout"]["title"]["subtitle"]["text"]
    at.selectbox(key="tr_province_map").set_value("foreign_output_share").run()
    spec, _ = page_charts(at)["tr_provinces_chart"]
    shares = dict(zip(spec["data"][1]["locations"], numbers(spec["data"][1]["z"])))
    assert shares["KR-11"] == pytest.approx(0.6 * 900 / 950) and shares["KR-26"] == 0.0
    assert at.query_params["province_map"] in ("foreign_output_share", ["foreign_output_share"])
    provinces = at.dataframe[5].value.set_index("region")
    assert provinces.loc["KR-11", "inward_fdi"] == pytest.approx(120.0)  # F5 -> F1, 2020
