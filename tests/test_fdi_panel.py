"""The country indicators file and the global-factory panel on a hand-built graph loaded through `loader tables`.

Expectations come from the input frames with pandas (``tests/support/studies_panel.expected_panel``) and numpy
(least squares with host and year dummies), never from the product's own code."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from loader.tables.load import load_tables
from loader.tables.problems import TablesError
from loader.tables.spec import INDICATOR_UNITS
from queries.errors import ParameterError
from queries.modules import fdi_panel
from queries.runner import run_module
from tests.support import studies_panel as sp
from tests.support.tables_checksum import checksum

TABLES = sp.frames()
EXPECTED = sp.expected_panel(TABLES)


@pytest.fixture(scope="module")
def panel_db(driver, schema_applied, tmp_path_factory):
    from tests.conftest import wipe

    wipe(driver)
    folder = sp.write(tmp_path_factory.mktemp("panel") / "panel", TABLES)
    load_tables(folder, source=sp.SOURCE, progress=False)
    return driver


def test_module_units_are_the_file_formats():
    assert fdi_panel.INDICATORS == INDICATOR_UNITS == sp.UNITS


def test_indicators_are_written_as_has_indicator_links(panel_db):
    recs, _, _ = panel_db.execute_query(
        "MATCH (c:Country)-[h:HAS_INDICATOR]->(i:Indicator) RETURN c.key AS country, h.year AS year, "
        "i.key AS indicator, h.value AS value, h.unit AS unit, h.reported_by AS reported_by, h.source AS source")
    got = pd.DataFrame([r.data() for r in recs]).sort_values(["country", "year", "indicator"]).reset_index(drop=True)
    want = TABLES["country_indicators"].sort_values(["country", "year", "indicator"]).reset_index(drop=True)
    assert len(got) == len(want)
    np.testing.assert_allclose(got["value"], want["value"])
    assert list(got["unit"]) == list(want["unit"]) and set(got["reported_by"]) == {"test: drawn"}
    assert set(got["source"]) == {sp.SOURCE}
    recs, _, _ = panel_db.execute_query("MATCH (i:Indicator) RETURN i.key AS key, i.unit AS unit")
    assert {r["key"]: r["unit"] for r in recs} == INDICATOR_UNITS


def test_a_second_load_changes_nothing(panel_db, tmp_path):
    before = checksum(panel_db)
    load_tables(sp.write(tmp_path / "panel", TABLES), source=sp.SOURCE, progress=False)
    assert checksum(panel_db) == before


BAD = [
    ("unknown country", "ZZZ,2015,gdp,1.0,million USD,x", "country", "ISO3 code"),
    ("unknown indicator", "CHN,2015,population,1.0,million USD,x", "indicator", "one of gdp, gdp_per_capita"),
    ("unknown unit", "CHN,2015,gdp,1.0,billion USD,x", "unit", "one of million USD, USD"),
    ("unit of another indicator", "CHN,2015,gdp,1.0,USD,x", "unit", "expected 'million USD' (the unit of gdp)"),
    ("negative value", "CHN,2015,wage,-3,USD,x", "value", "may not be negative"),
    ("not a number", "CHN,2015,wage,high,USD,x", "value", "expected a number"),
    ("duplicate", "CHN,2016,gdp,5.0,million USD,x", "country,year,indicator", "duplicate key CHN|2016|gdp"),
]


@pytest.mark.parametrize("case, line, column, fragment", BAD, ids=[b[0] for b in BAD])
def test_bad_indicator_rows_are_refused_and_nothing_is_written(panel_db, tmp_path, case, line, column, fragment):
    before = checksum(panel_db)
    tables = dict(TABLES)
    good = tables["country_indicators"].copy()
    tables["country_indicators"] = good
    folder = sp.write(tmp_path / "bad", tables)
    path = folder / "country_indicators.csv"
    path.write_text(path.read_text() + line + "\n")
    with pytest.raises(TablesError) as err:
        load_tables(folder, source=sp.SOURCE, progress=False)
    problems = err.value.problems
    assert len(problems) == 1, problems
    p = problems[0]
    assert (p.file, p.line, p.column) == ("country_indicators.csv", len(good) + 2, column), p
    assert fragment in p.message, p.message
    assert checksum(panel_db) == before


def _panel(**params) -> pd.DataFrame:
    return run_module("fdi-trade-panel", {"origin": sp.ORIGIN, **params})


def test_panel_equals_pandas(panel_db):
    got = _panel()
    assert len(got) == len(EXPECTED)
    got = got.sort_values(["host", "year"]).reset_index(drop=True)
    want = EXPECTED.sort_values(["host", "year"]).reset_index(drop=True)
    assert list(got["host"]) == list(want["host"]) and list(got["year"]) == list(want["year"])
    numeric = [c for c in want.columns if c not in ("host", "year")]
    for c in numeric:
        np.testing.assert_allclose(got[c].astype(float), want[c].astype(float), rtol=1e-9, equal_nan=True,
                                   err_msg=c)
    # the projects of JPN's firm and the domestic one are not in; the statistic (99999) never is
    assert got["fdi_amount"].sum() == pytest.approx(TABLES["investments"]["amount"].sum() - 555.0 - 444.0)


def test_gaps_zeros_and_reasons(panel_db):
    got = _panel().set_index(["host", "year"])
    usa = got.loc[sp.NO_PROJECTS]
    assert usa["fdi_amount"] == 0 and usa["fdi_projects"] == 0        # covered year without a project: zero
    early = got.loc[("CHN", 2016)]
    assert pd.isna(early["exports_value"]) and early["exports_unit_value_note"] == "no trade data for the year"
    mex = got.loc[(sp.SERVICES_ONLY, 2019)]
    assert mex["exports_value"] > 0 and pd.isna(mex["exports_unit_value"])
    assert mex["exports_unit_value_note"] == "weight 0 on every flow (services are traded without weight)"
    chn = got.loc[("CHN", 2019)]
    services = TABLES["trade_flows"].query("exporter == 'KOR' and importer == 'CHN' and year == 2019")
    share = services.query("weight > 0")["value"].sum() / services["value"].sum()
    assert chn["exports_unit_value_note"] == f"over the 1 of 2 flows with a weight ({share:.1%} of the value)"
    assert pd.isna(got.loc[sp.MISSING_WAGE, "wage"])


def test_provenance_names_the_datasets_and_units(panel_db):
    prov = _panel().attrs["provenance"]
    assert [d["key"] for d in prov["datasets"]] == [sp.SOURCE]
    assert prov["units"]["fdi_market_amount"] == "million USD" and prov["units"]["exports_value"] == "thousand USD"
    assert prov["years"] == sp.YEARS
    assert any("FDI projects" in r["what"] for r in prov["reads"]) and any("indicators" in r["what"] for r in prov["reads"])
    assert not any("FDI_STATISTIC" in r["what"] for r in prov["reads"])


def test_industry_and_years_select(panel_db):
    got = _panel(industry="ISIC4|C26", years="2018..2020")
    assert set(got["year"]) == {2018, 2019, 2020}
    inv = TABLES["investments"]
    k1 = inv[(inv["investor"] == "K1") & inv["year"].between(2018, 2020) & (inv["target"] != "KR-11")]
    assert got["fdi_amount"].sum() == pytest.approx(k1["amount"].sum())
    tr = TABLES["trade_flows"].query("exporter == 'KOR' and industry == 'ISIC4|C26' and year >= 2018")
    assert got["exports_value"].sum() == pytest.approx(tr["value"].sum())


def test_bad_parameters_are_named(panel_db):
    with pytest.raises(ParameterError, match="origin"):
        _panel(origin="XXX")
    with pytest.raises(ParameterError, match="industry"):
        _panel(industry="ISIC4|Z99")
    with pytest.raises(ParameterError, match="required"):
        run_module("fdi-trade-panel", {})


def lsdv(panel: pd.DataFrame, y: str, xs: list[str]) -> np.ndarray:
    hosts = pd.get_dummies(panel["host"], dtype=float).to_numpy()
    years = pd.get_dummies(panel["year"], dtype=float).to_numpy()[:, 1:]
    X = np.column_stack([panel[xs].to_numpy(float), hosts, years])
    beta, *_ = np.linalg.lstsq(X, panel[y].to_numpy(float), rcond=None)
    return beta[: len(xs)]


@pytest.mark.parametrize("motive, dependent", [("market", "amount"), ("all", "log_amount"), ("efficiency", "projects")])
def test_fixed_effects_estimate_equals_numpy(panel_db, motive, dependent):
    xs = ["exports_unit_value", "gdp_per_capita", "wage"]
    got = run_module("fdi-trade-panel-fe", {"origin": sp.ORIGIN, "motive": motive, "dependent": dependent,
                                            "regressors": xs})
    prefix = "fdi" if motive == "all" else f"fdi_{motive}"
    data = EXPECTED.copy()
    if dependent == "log_amount":
        data["y"] = np.log1p(data[f"{prefix}_amount"])
    else:
        data["y"] = data[f"{prefix}_{'projects' if dependent == 'projects' else 'amount'}"].astype(float)
    data = data.dropna(subset=["y", *xs])
    data = data[data.groupby("host")["year"].transform("size") > 1]
    assert list(got["variable"]) == xs
    np.testing.assert_allclose(got["coefficient"], lsdv(data, "y", xs), rtol=1e-7, atol=1e-9)
    assert set(got["n_obs"]) == {len(data)} and set(got["hosts"]) == {data["host"].nunique()}
    assert (got["std_error"] > 0).all() and got["p_value"].between(0, 1).all()
    notes = " ".join(got.attrs["provenance"]["notes"])
    assert "clustered by host" in notes and "left out" in notes   # 2016 has no trade, IND 2018 no wage


def test_estimate_that_cannot_be_identified_says_why(panel_db):
    got = run_module("fdi-trade-panel-fe", {"origin": sp.ORIGIN, "years": "2020..2020",
                                            "regressors": ["gdp_per_capita"]})
    assert list(got["variable"]) == ["gdp_per_capita"] and got["coefficient"].isna().all()
    assert got["note"].iloc[0].startswith("no estimate: host and year effects need at least 2 hosts and 2 years")
    assert got["std_error"].isna().all() and got["p_value"].isna().all()
    estimated = run_module("fdi-trade-panel-fe", {"origin": sp.ORIGIN, "regressors": ["gdp_per_capita"]})
    assert set(estimated["note"]) == {""} and estimated["coefficient"].notna().all()
