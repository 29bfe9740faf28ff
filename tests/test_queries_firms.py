"""Firm, person, trade and region modules on a small hand-made graph with hand-computed answers."""
from __future__ import annotations

import pytest

from queries.errors import ParameterError
from queries.runner import run_module

FIRMS = [  # key, size_class, country, region, industry, output, foreign_share, employees
    ("T1", "tnc", "KOR", "KR-11", "ISIC4|C26", 1000.0, 0.8, 500),
    ("S1", "sme", "KOR", "KR-11", "ISIC4|C24", 100.0, 0.0, 20),
    ("S2", "sme", "KOR", "KR-26", "ISIC4|C24", 200.0, 0.1, 40),
    ("L1", "large", "KOR", "KR-26", "ISIC4|C29", 500.0, 0.0, 300),
    ("T2", "tnc", "KOR", "KR-26", "ISIC4|C26", 300.0, 0.5, 100),
    ("C1", "large", "CHN", None, "ISIC4|C24", 400.0, 0.0, 80),
    ("H1", "large", "USA", None, "ISIC4|K64", 0.0, 0.0, 10),
    ("H2", "large", "USA", None, "ISIC4|K64", 0.0, 0.0, 5),
]
FLOWS = [("S1", "T1", 50.0), ("S2", "T1", 30.0), ("C1", "T1", 20.0), ("T1", "L1", 100.0), ("S2", "L1", 10.0),
         ("L1", "S1", 5.0), ("T2", "L1", 40.0)]
YEAR = 2020


def _write(driver):
    q = driver.execute_query
    q("UNWIND ['KOR', 'CHN', 'USA'] AS k MERGE (c:Country {key: k}) SET c.name = k")
    q("UNWIND [['KR-11', 'subdivision', 'KR-ECON-CAPITAL'], ['KR-26', 'subdivision', 'KR-ECON-SOUTHEAST']] AS r "
      "MERGE (s:Region {key: r[0]}) SET s.kind = r[1], s.name = r[0] "
      "MERGE (e:Region {key: r[2]}) SET e.kind = 'economic_region', e.name = r[2] "
      "MERGE (s)-[:PART_OF]->(e) WITH s, e MATCH (k:Country {key: 'KOR'}) "
      "MERGE (s)-[:LOCATED_IN]->(k) MERGE (e)-[:LOCATED_IN]->(k)")
    q("UNWIND $rows AS r MERGE (f:Firm {key: r[0]}) SET f.name = 'Firm ' + r[0], f.size_class = r[1], "
      "f.country = r[2], f.region = r[3], f.industry = r[4], f.output = r[5], f.foreign_share = r[6], "
      "f.employees = r[7] WITH f, r MATCH (c:Country {key: r[2]}) MERGE (f)-[:LOCATED_IN]->(c) "
      "WITH f, r MATCH (g:Region {key: r[3]}) MERGE (f)-[:LOCATED_IN]->(g)", rows=[list(f) for f in FIRMS])
    sales, purchases = {}, {}
    for s, b, v in FLOWS:
        sales[s] = sales.get(s, 0) + v
        purchases[b] = purchases.get(b, 0) + v
    rows = [{"s": s, "b": b, "v": v, "a": v / purchases[b], "bb": v / sales[s]} for s, b, v in FLOWS]
    q("UNWIND $rows AS r MATCH (s:Firm {key: r.s}), (b:Firm {key: r.b}) "
      "MERGE (s)-[x:SUPPLIES {year: $year}]->(b) SET x.value = r.v, x.a = r.a, x.b = r.bb, x.product = 'p'",
      rows=rows, year=YEAR)
    q("UNWIND [['P1', 'USA'], ['P2', 'KOR']] AS p MERGE (n:Person {key: p[0]}) SET n.name = p[0], n.nationality = p[1]")
    q("UNWIND $rows AS r MATCH (o {key: r[0]}), (f:Firm {key: r[1]}) WHERE o:Firm OR o:Person "
      "MERGE (o)-[x:OWNS]->(f) SET x.share = r[2]",
      rows=[["P1", "H1", 0.6], ["H1", "T1", 0.5], ["P2", "T1", 0.2], ["H2", "H1", 0.4], ["P1", "H2", 1.0]])
    q("MATCH (p:Person {key: 'P2'}), (f:Firm {key: 'T1'}) MERGE (p)-[w:WORKS_FOR]->(f) SET w.role = 'founder'")
    q("MATCH (h:Firm {key: 'H1'}), (t:Firm {key: 'T1'}), (u:Country {key: 'USA'}), (k:Country {key: 'KOR'}), "
      "(r:Region {key: 'KR-ECON-CAPITAL'}) "
      "CREATE (h)-[:INVESTS_IN {year: 2018, amount: 50.0, motive: 'efficiency', mode: 'acquisition'}]->(t) "
      "CREATE (u)-[:FDI_STATISTIC {year: 2019, amount: 100.0, measure: 'flow', reported_by: 'test'}]->(k) "
      "CREATE (h)-[:INVESTS_IN {year: 2019, amount: 20.0, motive: 'strategic_asset', mode: 'greenfield'}]->(r)")
    q("MATCH (k:Country {key: 'KOR'}), (c:Country {key: 'CHN'}), (u:Country {key: 'USA'}) "
      "CREATE (k)-[:EXPORTS {year: 2020, industry: 'ISIC4|C26', value: 1000.0, weight: 10.0, use: 'intermediate'}]->(c) "
      "CREATE (k)-[:EXPORTS {year: 2020, industry: 'ISIC4|C26', value: 500.0, weight: 20.0, use: 'final'}]->(c) "
      "CREATE (k)-[:EXPORTS {year: 2020, industry: 'ISIC4|C26', value: 300.0, weight: 1.0, use: 'final'}]->(u)")
    q("UNWIND [['rnd', 1], ['assembly', 4], ['marketing', 5]] AS s MERGE (n:Stage {key: s[0]}) "
      "SET n.name = s[0], n.order = s[1]")
    q("UNWIND [['T1', 'rnd', 300.0], ['T1', 'assembly', 100.0], ['S1', 'assembly', 20.0], ['T2', 'marketing', 50.0]] "
      "AS p MATCH (f:Firm {key: p[0]}), (s:Stage {key: p[1]}) "
      "MERGE (f)-[x:PERFORMS {year: 2020}]->(s) SET x.stage = p[1], x.value_added = p[2]")


@pytest.fixture(scope="module")
def firms(driver, schema_applied):
    from tests.conftest import wipe

    wipe(driver)
    _write(driver)
    return driver


def test_ownership_chain_multiplies_shares_and_finds_ultimate_owners(firms):
    df = run_module("ownership-chain", {"firm": "T1"}).set_index("owner")
    assert set(df.index) == {"H1", "P1", "P2", "H2"}
    # P1 -> H1 -> T1 = 0.6 * 0.5; P1 -> H2 -> H1 -> T1 = 1.0 * 0.4 * 0.5
    assert df.at["P1", "effective_share"] == pytest.approx(0.6 * 0.5 + 1.0 * 0.4 * 0.5)
    assert df.at["P1", "chains"] == 2 and list(df.at["P1", "path"]) == ["P1", "H1", "T1"]
    assert df.at["H2", "effective_share"] == pytest.approx(0.2)
    assert df.at["P1", "kind"] == "Person" and bool(df.at["P1", "ultimate"]) and not bool(df.at["H1", "ultimate"])
    ult = run_module("ownership-chain", {"firm": "T1", "ultimate_only": True})
    assert set(ult["owner"]) == {"P1", "P2"}
    assert set(run_module("ownership-chain", {"firm": "T1", "max_depth": 1})["owner"]) == {"H1", "P2"}


def test_tnc_sme_linkages(firms):
    df = run_module("tnc-sme-linkages", {}).set_index("affiliate")
    assert list(df.index) == ["T1"]  # T2 and S2 (10% foreign: an affiliate too) have no domestic SME partner
    # S2 is itself a foreign affiliate (foreign share 0.1 >= 10%): not a domestic SME partner of T1
    assert df.at["T1", "sme_suppliers"] == 1 and df.at["T1", "purchases_from_smes"] == pytest.approx(50.0)
    assert df.at["T1", "purchases"] == pytest.approx(100.0) and df.at["T1", "sme_purchase_share"] == 0.5
    assert df.at["T1", "local_purchase_share"] == pytest.approx(1.0)   # S1 is in T1's economic region
    assert df.at["T1", "sme_buyers"] == 0 and df.at["T1", "year"] == YEAR
    # USA's H1 holds 50% (influence, one link) and P1 (US national) 60% x 50%: H1 is the largest
    assert df.at["T1", "foreign_parent"] == "H1" and df.at["T1", "affiliate_by"] == "foreign_share, ownership_chain"


def test_gvc_stages_smile_curve(firms):
    df = run_module("gvc-stages", {})
    assert list(df["stage"]) == ["rnd", "assembly", "marketing"]
    assert list(df["value_added"]) == [300.0, 120.0, 50.0]
    assert df["share"].sum() == pytest.approx(1.0)
    assert run_module("gvc-stages", {"size_class": "sme"})["value_added"].tolist() == [20.0]


def test_fdi_by_motive(firms):
    # firm-level projects only: the country-level statistic USA -> KOR (100) is another level
    df = run_module("fdi-by-motive", {"all_years": True}).set_index("motive")
    assert set(df.index) == {"efficiency", "strategic_asset"} and df.at["efficiency", "projects"] == 1
    assert df["share"].sum() == pytest.approx(1.0)
    kor = run_module("fdi-by-motive", {"destination": "KOR", "split": "mode", "all_years": True})
    assert kor["amount"].sum() == pytest.approx(70.0)  # region target resolves to its country
    assert set(run_module("fdi-by-motive", {"origin": "USA", "all_years": True})["motive"]) == \
        {"efficiency", "strategic_asset"}
    latest = run_module("fdi-by-motive", {})   # by default one year: the latest (2019)
    assert latest["amount"].tolist() == [20.0] and latest["year"].tolist() == [2019]
    stats = run_module("fdi-statistics", {})
    assert stats[["origin", "destination", "amount"]].values.tolist() == [["USA", "KOR", 100.0]]


def test_trade_unit_values(firms):
    df = run_module("trade-unit-values", {"year": 2020, "order_by": "unit_value"})
    assert list(df["importer"]) == ["USA", "CHN"]
    assert df["unit_value"].tolist() == [pytest.approx(300.0), pytest.approx(1500.0 / 30.0)]
    assert run_module("trade-unit-values", {"use": "intermediate"})["unit_value"].tolist() == [100.0]


def test_region_profile(firms):
    df = run_module("region-profile", {"kind": "economic_region"}).set_index("region")
    assert df.at["KR-ECON-SOUTHEAST", "firms"] == 3 and df.at["KR-ECON-CAPITAL", "firms"] == 2
    assert df.at["KR-ECON-SOUTHEAST", "output"] == 1000.0
    assert df.at["KR-ECON-SOUTHEAST", "foreign_output_share"] == pytest.approx((0.1 * 200 + 0.5 * 300) / 1000)
    assert df.at["KR-ECON-CAPITAL", "inward_fdi"] == pytest.approx(20.0)   # the latest year (2019): into the region
    every_year = run_module("region-profile", {"kind": "economic_region", "all_years": True}).set_index("region")
    assert every_year.at["KR-ECON-CAPITAL", "inward_fdi"] == pytest.approx(70.0)   # into T1 and into the region
    assert df.at["KR-ECON-CAPITAL", "top_industry"] == "ISIC4|C26"


def test_firm_neighbourhood(firms):
    df = run_module("firm-neighbourhood", {"firm": "T1"})
    rel = df.groupby("relation")["key"].apply(set).to_dict()
    assert rel == {"supplier": {"S1", "S2", "C1"}, "buyer": {"L1"}, "owner": {"H1", "P2"}, "investor": {"H1"},
                   "person": {"P2"}}
    sup = df[df["relation"] == "supplier"].set_index("key")
    assert sup.at["S1", "share"] == pytest.approx(0.5)


def test_shortest_supply_path(firms):
    df = run_module("shortest-supply-path", {"source": "S2", "target": "S1"})
    assert [list(p) for p in df["path"]] == [["S2", "L1", "S1"]]
    assert df["value"][0] == pytest.approx(10.0 / 150.0 * 5.0 / 5.0)
    with pytest.raises(ParameterError):
        run_module("shortest-supply-path", {"source": "S2", "target": "nobody"})


def test_spillover_channels_of_a_firm(firms):
    df = run_module("spillover-channels", {"firm": "T1"})
    got = {(r.channel, r.scope): (r.firms, r.value) for r in df.itertuples()}
    assert got[("horizontal", "other_regions")] == (1, 300.0)           # T2, in KR-26
    assert got[("backward", "same_region")] == (1, 50.0)                 # S1
    assert got[("backward", "other_regions")] == (2, 50.0)               # S2 + C1
    assert got[("forward", "other_regions")] == (1, 100.0)               # L1
    assert ("horizontal", "same_region") not in got


def test_spillover_javorcik_measures(firms):
    df = run_module("spillover-channels", {"level": "country", "country": "KOR"}).set_index("industry")
    # H for KOR: C26 = (0.8*1000 + 0.5*300) / 1300; C24 = 0.1*200 / 300; C29 = 0
    h26, h24 = (800 + 150) / 1300, 20 / 300
    assert df.at["ISIC4|C26", "horizontal"] == pytest.approx(h26)
    assert df.at["ISIC4|C24", "horizontal"] == pytest.approx(h24)
    # backward of C24 in KOR: C24 firms' (S1, S2) sales: S1->T1 50, S2->T1 30, S2->L1 10 (total 90);
    # alpha(C24->C26) = 80/90 with H(KOR, C26)
    assert df.at["ISIC4|C24", "backward"] == pytest.approx(80 / 90 * h26)
    # forward of C29 in KOR: L1 buys from T1 (C26, 100), S2 (C24, 10), T2 (C26, 40) -> 140/150 * h26 + 10/150 * h24
    assert df.at["ISIC4|C29", "forward"] == pytest.approx(140 / 150 * h26 + 10 / 150 * h24)
    # forward of C26 in KOR: T1 buys from S1, S2 (KOR, C24: 80) and C1 (CHN, C24 with H 0): 80/100 * h24 inside
    assert df.at["ISIC4|C26", "forward_inside"] == pytest.approx(80 / 100 * h24)
    assert df.at["ISIC4|C26", "forward_outside"] == pytest.approx(0.0)
    reg = run_module("spillover-channels", {"level": "region", "region_kind": "subdivision"})
    r = reg[(reg["group"] == "KR-26") & (reg["industry"] == "ISIC4|C29")].iloc[0]
    # L1 (KR-26) buys T1 (KR-11, C26 H=0.8) 100, S2 (KR-26, C24 H=0.1) 10, T2 (KR-26, C26 H=0.5) 40
    assert r["forward_inside"] == pytest.approx(40 / 150 * 0.5 + 10 / 150 * 0.1)
    assert r["forward_outside"] == pytest.approx(100 / 150 * 0.8)
