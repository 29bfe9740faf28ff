"""Linkage intensity and SME upgrading candidates on the analysis audit graph, checked against pandas.

The audit graph (tests/support/audit_graph.py) is loaded through the product's loaders. Its foreign
affiliates are listed here by hand from its docstring (foreign share >= 10%: A1, HKR, X1 and the SME S4;
an ownership chain from abroad: A2 and U1; not N1, two influence links away; not D1, a domestic
multinational; S5's 5% is portfolio), and the expectations are pandas sums over its supply table.
"""
from __future__ import annotations

import pandas as pd
import pytest

from queries.runner import run_module
from tests.support import audit_graph as audit

F = audit.frames(audit.REAL)
FIRMS = F["firms"].set_index("key")
AFFILIATES = {"A1", "HKR", "X1", "S4", "A2", "U1"}
YEAR = audit.YEAR


@pytest.fixture(scope="module")
def audit_db(driver, schema_applied, tmp_path_factory):
    from tests.conftest import wipe

    wipe(driver)
    audit.load(tmp_path_factory.mktemp("linkages"))
    return driver


def econ(region: str) -> str:
    """The region a firm is compared at: its economic region, else its own region, else '' (none)."""
    return audit.ECONOMIC_REGION.get(region, region or "")


def local_links(year: int = YEAR) -> pd.DataFrame:
    """Purchases of affiliates from suppliers of their own country in ``year``, with what decides each split."""
    s = F["firm_supply"].query("year == @year").copy()
    s = s[s["buyer"].isin(AFFILIATES)]
    s["country"] = s["buyer"].map(FIRMS["country"])
    s = s[s["supplier"].map(FIRMS["country"]) == s["country"]]
    s["sme"] = (s["supplier"].map(FIRMS["size_class"]) == "sme") & ~s["supplier"].isin(AFFILIATES)
    s["region"] = s["buyer"].map(FIRMS["region"]).map(econ)
    s["industry"] = s["buyer"].map(FIRMS["industry"])
    s["same_region"] = (s["region"] != "") & (s["supplier"].map(FIRMS["region"]).map(econ) == s["region"])
    return s


def expected(keys: list[str]) -> pd.DataFrame:
    s = local_links()
    s["from_smes"] = s["value"].where(s["sme"], 0.0)
    s["in_region"] = s["value"].where(s["same_region"], 0.0)
    s["region_smes"] = s["value"].where(s["same_region"] & s["sme"], 0.0)
    g = s.groupby(keys).agg(local_purchases=("value", "sum"), local_from_smes=("from_smes", "sum"),
                            region_purchases=("in_region", "sum"), region_from_smes=("region_smes", "sum"),
                            affiliates=("buyer", "nunique")).reset_index()
    g["intensity"] = g["local_from_smes"] / g["local_purchases"]
    g["regional_intensity"] = g["region_from_smes"] / g["region_purchases"]
    return g


def test_hand_worked_capital_region_electronics(audit_db):
    """A1 buys locally S1 120, S2 50, S4 30 (an affiliate, not a domestic SME), S3 40 (another region), K0 5
    (no region); X1 buys S2 8. Local 253, from domestic SMEs 218; in the capital region 208, from SMEs 178."""
    got = run_module("linkage-intensity", {}).set_index(["region", "industry"])
    row = got.loc[("KR-ECON-CAPITAL", "ISIC4|C26")]
    assert (row["local_purchases"], row["local_from_smes"]) == (253.0, 218.0)
    assert (row["region_purchases"], row["region_from_smes"]) == (208.0, 178.0)
    assert row["intensity"] == pytest.approx(218 / 253) and row["regional_intensity"] == pytest.approx(178 / 208)
    assert row["affiliates"] == 2 and row["year"] == YEAR


@pytest.mark.parametrize("group_by, keys", [("region_industry", ["country", "region", "industry"]),
                                            ("region", ["country", "region"]), ("industry", ["country", "industry"]),
                                            ("country", ["country"])])
def test_intensity_equals_pandas(audit_db, group_by, keys):
    got = run_module("linkage-intensity", {"group_by": group_by})
    want = expected(keys)
    assert len(got) == len(want)
    merged = want.merge(got, on=keys, suffixes=("", "_got"))
    assert len(merged) == len(want)
    for c in ("local_purchases", "local_from_smes", "intensity", "region_purchases", "region_from_smes",
              "regional_intensity", "affiliates"):
        assert merged[c].astype(float).tolist() == pytest.approx(merged[f"{c}_got"].astype(float).tolist()), c
    assert set(got["year"]) == {YEAR}     # the later synthetic year and the earlier real one are not mixed in
    assert got.attrs["provenance"]["datasets"][0]["key"] == audit.REAL_SOURCE


def test_upgrading_candidates_equal_pandas(audit_db):
    got = run_module("sme-upgrading-candidates", {})
    s = F["firm_supply"].query("year == @YEAR").copy()
    domestic_smes = [k for k in FIRMS.index if FIRMS.at[k, "size_class"] == "sme" and k not in AFFILIATES]
    s = s[s["supplier"].isin(domestic_smes)]
    s["to_aff"] = s["buyer"].isin(AFFILIATES) & (s["buyer"].map(FIRMS["country"]) == s["supplier"].map(FIRMS["country"]))
    rows = []
    for sme, part in s.groupby("supplier"):
        to = part[part["to_aff"]]
        if to.empty:
            continue
        rows.append({"sme": sme, "affiliate_buyers": to["buyer"].nunique(), "value_to_affiliates": to["value"].sum(),
                     "sales": part["value"].sum(), "share_of_sales": to["value"].sum() / part["value"].sum(),
                     "region": econ(FIRMS.at[sme, "region"]), "industry": FIRMS.at[sme, "industry"]})
    want = pd.DataFrame(rows).sort_values(["value_to_affiliates", "sme"], ascending=[False, True])
    # by hand: S1 sells A1 120 and D1 45 (a domestic multinational); S3 A1 40 and A2 70; S2 A1 50, X1 8; S5 A2 10
    assert list(want["sme"]) == ["S1", "S3", "S2", "S5"]
    assert list(got["sme"]) == list(want["sme"])
    for c in ("affiliate_buyers", "value_to_affiliates", "sales", "share_of_sales"):
        assert got[c].astype(float).tolist() == pytest.approx(want[c].astype(float).tolist()), c
    assert list(got["region"]) == list(want["region"]) and list(got["industry"]) == list(want["industry"])
    assert "S4" not in set(got["sme"])    # an SME with 15% foreign equity is an affiliate, not a candidate


def test_selections(audit_db):
    got = run_module("sme-upgrading-candidates", {"region": "KR-ECON-SOUTHEAST"})
    assert list(got["sme"]) == ["S3", "S5"]
    got = run_module("linkage-intensity", {"industry": "C24", "group_by": "country"})
    assert got["local_purchases"].tolist() == [95.0] and got["local_from_smes"].tolist() == [80.0]
    every = run_module("linkage-intensity", {"source": audit.REAL_SOURCE, "all_years": True, "group_by": "country"})
    assert sorted(every["year"]) == [2019, 2020]
    # 2019: S1 -> A1 999 (local, domestic SME) and S3 -> A2 500: intensity 1
    assert every.set_index("year").loc[2019, "local_purchases"] == 1499.0
