"""The Korean province map draws the regional measure of an inter-regional table (Chromium, network cut).

The demo's synthetic provincial table (WIOD 2008's KOR block split by a small firm layer) is loaded
with a high --min-coefficient (the map reads RegionYear nodes, not the flows), then the Trade page's
Regions tab must colour all 17 provinces by regional-va's coefficient, with the values the database
holds. The pattern (Streamlit started outside the repository, every request but the app's aborted) is
tests/test_explorer_maps.py's."""
from __future__ import annotations

import pytest

from tests.support.browser import needs_chromium
from tests.test_explorer_maps import app_url, chart, offline  # noqa: F401  (fixtures)


@pytest.fixture(scope="module")
def demo(driver, schema_applied, settings):
    """Overrides test_explorer_maps' demo: only the provincial table (app_url depends on this name)."""
    from loader.demo.base import WIOD_FOLDER, wiod2013
    from loader.demo.generate import generate
    from loader.demo.regions import korea_regional_table
    from loader.mrio.load import write_table
    from loader.mrio.read import read_mrio
    from tests.conftest import wipe

    wipe(driver)
    table = korea_regional_table(read_mrio(WIOD_FOLDER, "parquet", year=2008), generate(300, 7)["firms"],
                                 wiod2013().divisions)
    write_table(table, min_coefficient=0.05, settings=settings, progress=False)
    return driver


@pytest.mark.slow
@needs_chromium
def test_province_map_draws_the_regional_measure_offline(app_url, offline, demo):  # noqa: F811
    stored = {r["k"]: r["v"] for r in demo.execute_query(
        "MATCH (g:Region)-[:HAS_YEAR]->(y:RegionYear {level: 'subdivision', year: 2008}) "
        "RETURN g.key AS k, y.va_gen_coef AS v").records}
    assert len(stored) == 17
    offline.goto(app_url + "/trade?tab=Regions&regional_map=va_gen_coef")
    plot = chart(offline, "VA gen coefficient by province")
    offline.wait_for_function("n => document.querySelectorAll('path.choroplethlocation').length >= n", arg=34)
    traces = plot.locator(".trace.choropleth")
    assert traces.count() == 2
    assert traces.nth(0).locator("path.choroplethlocation").count() == 17     # the grey outline
    assert traces.nth(1).locator("path.choroplethlocation").count() == 17     # every province coloured
    drawn = plot.evaluate("gd => [Array.from(gd._fullData[1].locations), Array.from(gd._fullData[1].z)]")
    assert dict(zip(drawn[0], drawn[1])) == pytest.approx(stored, rel=1e-12)
    source = plot.locator("text", has_text="Source: ").first.text_content()
    assert source.startswith("Source: demo:kor-regions-synthetic (") and "SYNTHETIC); 2008; module regional-va" in source
    assert offline.blocked == [], offline.blocked
