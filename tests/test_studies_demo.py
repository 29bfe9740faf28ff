"""The demo's country indicators: labelled synthetic, in the format's units, loaded with the demo, and the
global-factory panel runs on the demo (Korea's FDI years with indicators)."""
from __future__ import annotations

import pytest

from loader.demo import indicators
from loader.demo.base import base_table
from loader.demo.load import TRADE_SOURCE
from loader.demo.generate import DEFAULT_TABLE, generate
from loader.tables.spec import INDICATOR_UNITS

N = 200


def test_generated_indicators_are_labelled_and_in_the_format():
    frames = generate(N, 7)
    ind = frames["country_indicators"]
    assert set(ind["source"]) == {indicators.SOURCE} and indicators.SOURCE.startswith("synthetic:")
    assert (ind["unit"] == ind["indicator"].map(INDICATOR_UNITS)).all()
    base = base_table(DEFAULT_TABLE)   # the demo's countries and its firms' year (WIOD 2008)
    assert set(ind["country"]) == set(base.countries)
    assert ind["year"].max() == base.year and ind["year"].min() >= indicators.FIRST_YEAR
    assert not ind.duplicated(["country", "year", "indicator"]).any() and (ind["value"] >= 0).all()
    # GDP = GDP per capita x population (million persons): the same draw, so the ratio is the population
    wide = ind.pivot_table(index=["country", "year"], columns="indicator", values="value")
    ratio = (wide["gdp"] / wide["gdp_per_capita"]).groupby(level=0).agg(["min", "max"])
    assert ((ratio["max"] - ratio["min"]) / ratio["max"] < 1e-3).all()
    assert generate(N, 7)["country_indicators"].equals(ind)              # deterministic per seed
    firms_before = frames["firms"]
    assert generate(N, 7)["firms"].equals(firms_before)


@pytest.mark.slow
@pytest.mark.long
def test_demo_loads_them_and_the_panel_runs(driver, schema_applied):
    from loader.demo.load import load_demo
    from queries.runner import run_module
    from tests.conftest import wipe

    wipe(driver)
    load_demo(N, 7, progress=False)
    recs, _, _ = driver.execute_query(
        "MATCH (c:Country)-[h:HAS_INDICATOR]->(:Indicator) MATCH (d:Dataset {key: h.source}) "
        "RETURN count(h) AS n, collect(DISTINCT d.synthetic) AS synthetic")
    assert recs[0]["n"] == len(generate(N, 7)["country_indicators"]) and recs[0]["synthetic"] == [True]
    panel = run_module("fdi-trade-panel", {"origin": "KOR"})
    assert len(panel) > 0 and panel["gdp_per_capita"].notna().any()
    prov = panel.attrs["provenance"]
    synthetic = {d["key"]: d["synthetic"] for d in prov["datasets"]}
    # the FDI projects and indicators are the demo's synthetic ones; its trade is the real WIOD trade
    assert any(synthetic.values()), synthetic
    assert all(s or k == TRADE_SOURCE for k, s in synthetic.items()), synthetic
